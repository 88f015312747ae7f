import Capture
import Foundation
import GazeCore
import Monitor
import Testing
import Vision

/// `/ws`, the eye-tracking protocol, against `gazetop serve` running on loopback, with real frames.
@Suite(.enabled(if: TestData.ready, Comment(rawValue: TestData.skipMessage)))
struct EyeSocketTests {
    /// The protocol's fields, in the original server's order, then gazetop's.
    static let originalFields = ["t", "earLeft", "earRight", "blink", "eyeContact", "eyeContactPct", "gazeVector", "conf"]

    /// The ZJU clip's frames as JPEG through the socket, each with its stream time, give the records
    /// `analyze` gives for the same JPEGs (a folder of them at 30 fps): the same eye measures frame by frame
    /// and the same blinks. On a server of its own: a server's first connection detects faces on the frames
    /// `analyze` does; later ones are staggered (`TrackingConfig.detectionStagger`).
    @Test func framesGiveTheRecordsAndBlinksOfAnalyze() throws {
        let server = try TestServer()
        let frames = try TestData.jpegFrames()
        #expect(frames.count > 100)

        // analyze's records for the same pictures.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gazetop-ws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (i, frame) in frames.enumerated() {
            try Data(frame.jpeg).write(to: folder.appendingPathComponent(String(format: "%04d.jpg", i)))
        }
        let analyzer = FileAnalyzer(pipeline: FramePipeline(model: try FaceModel(), config: GazeConfig()))
        var expected: [FrameRecord] = []
        let stats = try analyzer.run(try ImageFolderSource(path: folder.path, fps: 30)) { expected.append($0) }
        #expect(stats.blinkCount >= 5, "the clip has six labelled blinks")

        let socket = try WebSocketClient(port: server.port)
        var answers: [[String: Any]] = []
        for i in frames.indices {
            try socket.send(text: TestData.message(frames[i].jpeg, timeMs: Double(i) * 1000 / 30))
            let message = try socket.receive()
            guard case .text(let text) = message else { Issue.record("frame \(i): \(message)"); return }
            #expect(text.hasPrefix("{\"t\":"), "t comes first, as the original sent it")
            answers.append(try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]))
        }
        try socket.sendClose()

        let now = Date().timeIntervalSince1970 * 1000
        for (i, answer) in answers.enumerated() {
            for field in Self.originalFields + ["frame", "face", "blinkCount", "eyes", "streamMs", "dropped"] {
                #expect(answer.keys.contains(field), "frame \(i) has no \(field)")
            }
            let t = try #require(answer["t"] as? Double)
            #expect(t > now - 600_000 && t <= now + 1, "t is epoch milliseconds")
            let pct = try #require(answer["eyeContactPct"] as? Double)
            #expect(pct >= 0 && pct <= 1, "eyeContactPct is a fraction")
            #expect(answer["dropped"] as? Int == 0, "one frame in flight: nothing to drop")
            #expect(answer["error"] == nil)
            let record = expected[i]
            #expect(answer["frame"] as? Int == record.frame)
            #expect(answer["face"] as? Bool == record.face)
            #expect(answer["earLeft"] as? Double == record.earLeft.map { ($0 * 10000).rounded() / 10000 }, "frame \(i)")
            #expect(answer["earRight"] as? Double == record.earRight.map { ($0 * 10000).rounded() / 10000 }, "frame \(i)")
        }
        #expect(answers.last?["blinkCount"] as? Int == stats.blinkCount)
        #expect(answers.filter { $0["face"] as? Bool == true }.count > frames.count * 9 / 10)
    }

    /// A bare base64 picture (no JSON) is a frame too, and without "time" the frame's time is when it came.
    @Test func bareBase64IsAFrame() throws {
        let server = try SharedServer.get()
        let frames = try TestData.jpegFrames()
        let socket = try WebSocketClient(port: server.port)
        try socket.send(text: Data(frames[0].jpeg).base64EncodedString())
        let first = try socket.receiveJSON()
        #expect(first["face"] as? Bool == true)
        #expect(first["streamMs"] as? Double == 0)
        try socket.send(text: "data:image/jpeg;base64," + Data(frames[1].jpeg).base64EncodedString())
        let second = try socket.receiveJSON()
        #expect(second["face"] as? Bool == true)
        #expect((second["streamMs"] as? Double ?? -1) >= 0)
        try socket.sendClose()
    }

    /// Every message that gives no frame gets an error object naming the problem, and the connection stays
    /// open: the next good frame gets its record. A message of another type gets no answer, as the
    /// original server gave none.
    @Test func badMessagesGetErrorsAndTheConnectionStaysOpen() throws {
        let server = try SharedServer.get()
        let jpeg = try TestData.jpegFrames()[0].jpeg
        // Everything of the JPEG up to its image data, then its end: a JPEG with no picture in it.
        let scan = try #require(zip(jpeg.indices, jpeg.dropFirst()).first { jpeg[$0.0] == 0xFF && $0.1 == 0xDA }?.0)
        var png = [UInt8](repeating: 0, count: 64)
        png.replaceSubrange(0..<8, with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let bad: [(message: String, says: String)] = [
            ("not json {", "not base64"),
            ("{\"type\": \"frame\"", "not a JSON object"),
            ("{\"data\": \"abc\"}", "no \"type\""),
            ("{\"type\": \"frame\"}", "no \"data\""),
            ("{\"type\": \"frame\", \"data\": \"\"}", "empty"),
            ("{\"type\": \"frame\", \"data\": \"data:image/jpeg,abc\"}", "not base64"),
            ("{\"type\": \"frame\", \"data\": \"%%%%\"}", "not base64"),
            (TestData.message(Array("hello, world".utf8)), "not a JPEG or PNG"),
            (TestData.message(Array(jpeg.prefix(jpeg.count / 3))), "cut short"),
            (TestData.message(Array(jpeg[..<scan]) + [0xFF, 0xD9]), "does not decode"),
            (TestData.message(png), "not a JPEG or PNG"),
            ("{\"type\": \"frame\", \"data\": \"\(Data(jpeg).base64EncodedString())\", \"time\": -5}", "\"time\""),
        ]
        let socket = try WebSocketClient(port: server.port)
        for (message, says) in bad {
            try socket.send(text: message)
            let answer = try socket.receiveJSON()
            let error = try #require(answer["error"] as? String, "\(message.prefix(60)) gave \(answer)")
            #expect(error.contains(says), "\(message.prefix(60)): \(error)")
            #expect(answer["t"] is Double)
        }
        try socket.send(binary: jpeg)
        #expect(try socket.receiveJSON()["error"] as? String != nil, "binary messages are refused with a reason")
        try socket.send(text: "{\"type\": \"hello\"}")
        try socket.send(text: TestData.message(jpeg, timeMs: 1000))
        let good = try socket.receiveJSON()
        #expect(good["error"] == nil, "the message of another type had no answer; the frame's record is next")
        #expect(good["face"] as? Bool == true)
        // Time may not run backwards within a connection.
        try socket.send(text: TestData.message(jpeg, timeMs: 500))
        #expect((try socket.receiveJSON()["error"] as? String)?.contains("backwards") == true)
        try socket.sendClose()
        #expect(try HTTP.request(port: server.port, "GET", "/health").status == 200)
    }

    /// A message over the size limit closes that connection (with 1009, message too big, when the close
    /// frame reaches the client before the reset of the rest of the upload); the server goes on.
    @Test func aMessageTooLargeClosesOnlyItsConnection() throws {
        let server = try SharedServer.get()
        let socket = try WebSocketClient(port: server.port)
        // The server may close while the 15 MB are still being sent: the send then fails, as it should.
        try? socket.send(text: String(repeating: "A", count: 15 * 1024 * 1024))
        do {
            let answer = try socket.receive()
            guard case .close(let code, _) = answer else { Issue.record("got \(answer)"); return }
            #expect(code == 1009)
        } catch {
            #expect("\(error)".contains("reset") || "\(error)".contains("closed"), "\(error)")
        }
        let other = try WebSocketClient(port: server.port)
        try other.send(text: TestData.message(try TestData.jpegFrames()[0].jpeg))
        #expect(try other.receiveJSON()["face"] as? Bool == true)
        try other.sendClose()
    }

    /// Each connection is a session of its own: two clients sending different clips side by side get
    /// each their own frame numbers, times and blink counts.
    @Test func connectionsAreSessionsOfTheirOwn() throws {
        let server = try SharedServer.get()
        let frames = try TestData.jpegFrames()
        let a = try WebSocketClient(port: server.port), b = try WebSocketClient(port: server.port)
        for i in 0..<20 {
            try a.send(text: TestData.message(frames[i].jpeg, timeMs: Double(i) * 100))
            #expect(try a.receiveJSON()["frame"] as? Int == i)
            if i % 2 == 0 {
                try b.send(text: TestData.message(frames[i].jpeg, timeMs: Double(i) * 50))
                let answer = try b.receiveJSON()
                #expect(answer["frame"] as? Int == i / 2)
                #expect(answer["streamMs"] as? Double == Double(i) * 50)
            }
        }
        try a.sendClose()
        try b.sendClose()
    }
}
