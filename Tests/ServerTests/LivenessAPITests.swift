import Capture
import Foundation
import Glibc
import Synchronization
import Testing

/// A `multipart/form-data` body as a browser's FormData sends it.
struct FormBody {
    struct Field {
        var name: String
        var filename: String?
        var contentType: String?
        var bytes: [UInt8]
    }

    let boundary = "----gazetopTestBoundary\(UInt32.random(in: 0...UInt32.max))"
    var fields: [Field]

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    var bytes: [UInt8] {
        var out: [UInt8] = []
        for field in fields {
            var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field.name)\""
            if let filename = field.filename { head += "; filename=\"\(filename)\"" }
            head += "\r\n"
            if let type = field.contentType { head += "Content-Type: \(type)\r\n" }
            out += Array((head + "\r\n").utf8) + field.bytes + Array("\r\n".utf8)
        }
        return out + Array("--\(boundary)--\r\n".utf8)
    }

    /// The form a page sends: the session's id and its recording.
    static func submission(_ sessionId: String, video: [UInt8], type: String = "video/webm") -> FormBody {
        FormBody(fields: [Field(name: "session_id", bytes: Array(sessionId.utf8)),
                          Field(name: "video", filename: "recording.webm", contentType: type, bytes: video)])
    }
}

/// A liveness server of the suite's own: its temporary folder is one the tests look into, and a small upload
/// limit makes "too large" cheap to reach.
enum LivenessServer {
    static let temporary = OnceStarted.folder("gazetop-liveness")
    static let maxVideoMB = 5

    private static let started = OnceStarted.server(["--workers", "1", "--max-video-mb", "\(maxVideoMB)"],
                                                    environment: ["TMPDIR": temporary], folders: [temporary])
    static func get() throws -> TestServer { try started.get() }

    /// What the server keeps in its temporary folder once it is idle. The suite's tests share the server
    /// and run at once, so an upload another test is still scoring may sit there for a while: a file counts
    /// as left over only if it is still there after a bounded number of looks (up to two minutes), long
    /// after every submission of the suite has been answered.
    static var leftovers: [String] {
        var present: [String] = []
        for _ in 0..<6000 {
            present = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
            if present.isEmpty { break }
            usleep(20_000)
        }
        return present
    }
}

/// Requests of the liveness API.
enum Liveness {
    static func initiate(_ server: TestServer, body: String? = nil) throws -> HTTPAnswer {
        try HTTP.request(port: server.port, "POST", "/initiate-liveness", headers: [("Content-Type", "application/json")],
                         body: Array((body ?? "").utf8))
    }

    /// A new session's answer, checked to be a success.
    static func session(_ server: TestServer, body: String? = nil) throws -> [String: Any] {
        let answer = try initiate(server, body: body)
        guard answer.status == 200, let json = answer.json, json["session_id"] is String else {
            throw ClientError(description: "initiate-liveness failed: \(answer.status) \(answer.text)")
        }
        return json
    }

    /// The same submission sent to each of `servers` at the same moment (one thread each, released together);
    /// the answers in the order they came (nil where the request itself failed).
    static func submitAtOnce(_ servers: [TestServer], _ form: FormBody) -> [HTTPAnswer?] {
        let answers = Mutex<[HTTPAnswer?]>([])
        let ready = DispatchSemaphore(value: 0), go = DispatchSemaphore(value: 0), done = DispatchGroup()
        for server in servers {
            done.enter()
            Thread.detachNewThread {
                defer { done.leave() }
                ready.signal()
                go.wait()
                let answer = try? Liveness.submit(server, form)
                answers.withLock { $0.append(answer) }
            }
        }
        for _ in servers { ready.wait() }
        for _ in servers { go.signal() }
        done.wait()
        return answers.withLock { $0 }
    }

    static func submit(_ server: TestServer, _ form: FormBody) throws -> HTTPAnswer {
        try HTTP.request(port: server.port, "POST", "/submit-liveness", headers: [("Content-Type", form.contentType)], body: form.bytes)
    }

    static func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    /// The clip as a VP8 WebM, as a browser's MediaRecorder records, played over and over until it lasts
    /// `seconds` (frames at 30 fps), at most `size` wide.
    static func webm(_ clip: String, seconds: Double, path: String) throws {
        let source = try VideoFileSource(path: clip, keepsColor: true)
        var frames: [[UInt8]] = []
        while try source.nextFrame() != nil { frames.append(source.lastColorFrame) }
        let writer = try VideoEncoding(path: path, fourcc: "VP80", fps: 30, width: source.width, height: source.height)
        for i in 0..<Int(seconds * 30) {
            // Back and forth, so the person does not jump at the loop.
            let cycle = i % (2 * frames.count - 2)
            try writer.write(bgr: frames[cycle < frames.count ? cycle : 2 * frames.count - 2 - cycle])
        }
        writer.finish()
    }

    /// A tiny video (grey noise, 64x48 at 10 fps) of `seconds`.
    static func noise(seconds: Double, path: String) throws {
        let writer = try VideoEncoding(path: path, fourcc: "VP80", fps: 10, width: 64, height: 48)
        for _ in 0..<Int(seconds * 10) { try writer.write(bgr: (0..<(64 * 48 * 3)).map { _ in UInt8.random(in: 0...255) }) }
        writer.finish()
    }
}

/// The liveness API end to end: `gazetop serve` as a process, sessions initiated and recordings submitted
/// over real sockets.
@Suite(.enabled(if: TestData.modelInstalled, "needs the landmark model (libdlib-data)"))
struct LivenessAPITests {
    /// A session is a random sequence and calibration plan drawn as `gazetop challenge` draws them, with the
    /// schedule a page shows: get ready, the three dots, each cell, back to back from 0.
    @Test func initiateDrawsASessionWithItsSchedule() throws {
        let server = try LivenessServer.get()
        let json = try Liveness.session(server)
        #expect(json["success"] as? Bool == true)
        let id = try #require(json["session_id"] as? String)
        #expect(id.count == 32 && id.allSatisfy(\.isHexDigit))
        let sequence = try #require(json["sequence"] as? [Int])
        #expect(sequence.count == 3 && sequence.allSatisfy { (1...6).contains($0) })
        #expect(zip(sequence, sequence.dropFirst()).allSatisfy { $0 != $1 })
        #expect(json["area_duration"] as? Double == 3)
        #expect((json["instructions"] as? String)?.isEmpty == false)
        let schedule = try #require(json["schedule"] as? [[String: Any]])
        #expect(schedule.map { $0["step"] as? String } == ["get_ready", "calibration", "calibration", "calibration", "cell", "cell", "cell"])
        #expect(schedule.suffix(3).map { $0["cell"] as? Int } == sequence)
        var at = 0.0
        for step in schedule {
            let start = try #require(step["start"] as? Double)
            #expect(abs(start - at) < 0.002, "steps follow each other: \(schedule)")
            at = start + (step["duration"] as? Double ?? 0)
            #expect((step["instruction"] as? String)?.hasPrefix("look at") == true)
        }
        #expect(abs((json["total_duration"] as? Double ?? 0) - at) < 0.002)
        // The calibration's three dots: different cells spanning both outer columns and both rows, 1.8-2.6 s each.
        let dots = schedule.filter { $0["step"] as? String == "calibration" }
        let cells = dots.compactMap { $0["cell"] as? Int }
        #expect(cells.count == 3 && Set(cells).count == 3, "\(cells)")
        #expect(Set(cells.map { ($0 - 1) % 3 }).isSuperset(of: [0, 2]) && Set(cells.map { ($0 - 1) / 3 }) == [0, 1], "\(cells)")
        #expect(dots.allSatisfy { (1.8...2.6).contains($0["duration"] as? Double ?? 0) })
        // Every session is drawn anew.
        #expect(try Liveness.session(server)["session_id"] as? String != id)
    }

    @Test func areaDurationIsTaken() throws {
        let json = try Liveness.session(try LivenessServer.get(), body: "{\"area_duration\": 2.5}")
        #expect(json["area_duration"] as? Double == 2.5)
        let cells = (json["schedule"] as? [[String: Any]] ?? []).filter { $0["step"] as? String == "cell" }
        #expect(cells.count == 3 && cells.allSatisfy { $0["duration"] as? Double == 2.5 })
    }

    @Test(arguments: [
        ("not json", "not a JSON object"),
        ("[1, 2]", "not a JSON object"),
        ("{\"area_duration\": \"3\"}", "area_duration"),
        ("{\"area_duration\": true}", "area_duration"),
        ("{\"area_duration\": 0.2}", "area_duration"),
        ("{\"area_duration\": 1000}", "area_duration"),
        ("{\"area_duration\": null}", "area_duration"),
    ])
    func initiateRefusesBadBodies(body: String, says: String) throws {
        let answer = try Liveness.initiate(try LivenessServer.get(), body: body)
        #expect(answer.status == 400)
        #expect(answer.json?["success"] as? Bool == false)
        #expect((answer.json?["error"] as? String)?.contains(says) == true, "\(answer.text)")
    }

    /// A real recording of a person who only looks at the camera: scored, not passed, with every field of
    /// the answer; the session is then used up.
    @Test(.enabled(if: TestData.available, Comment(rawValue: TestData.skipMessage))) func clipIsScoredOnceAndNotPassed() throws {
        let server = try LivenessServer.get()
        let id = try #require(try Liveness.session(server)["session_id"] as? String)
        let clip = try Liveness.bytes(TestData.blinkClip)
        let answer = try Liveness.submit(server, .submission(id, video: clip, type: "video/mp4"))
        #expect(answer.status == 200, "\(answer.text)")
        let json = try #require(answer.json, "\(answer.text)")
        #expect(json["success"] as? Bool == true)
        #expect(json["session_id"] as? String == id)
        let result = try #require(json["result"] as? String)
        #expect(result == "fail" || result == "inconclusive", "\(answer.text)")
        #expect(json["overall_accuracy"] is Double || json["overall_accuracy"] is Int)
        let cells = try #require(json["sequence_results"] as? [[String: Any]])
        #expect(cells.map { $0["area"] as? Int } == (json["sequence"] as? [Int] ?? []).map { $0 })
        #expect(cells.allSatisfy { $0["accuracy"] != nil && $0["frames"] is Int && $0["frames_on_target"] is Int })
        #expect(json["failed_checks"] is [String])
        #expect((json["processing_time"] as? Double ?? 0) > 0)

        let again = try Liveness.submit(server, .submission(id, video: clip, type: "video/mp4"))
        #expect(again.status == 409, "\(again.text)")
        #expect((again.json?["error"] as? String)?.contains("already submitted") == true)
        let left = LivenessServer.leftovers
        #expect(left.isEmpty, "\(left)")
    }

    /// A WebM (VP8, as MediaRecorder makes) long enough for the whole schedule: decoded and scored to a
    /// verdict. The clip's person looks only at the camera, so the challenge fails (not inconclusive).
    @Test(.enabled(if: TestData.available, Comment(rawValue: TestData.skipMessage))) func webmRecordingFails() throws {
        let server = try LivenessServer.get()
        let session = try Liveness.session(server)
        let id = try #require(session["session_id"] as? String)
        let seconds = (session["total_duration"] as? Double ?? 20) + 1
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gazetop-test-\(UUID().uuidString).webm").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Liveness.webm(TestData.blinkClip, seconds: seconds, path: path)
        let answer = try Liveness.submit(server, .submission(id, video: try Liveness.bytes(path)))
        #expect(answer.status == 200, "\(answer.text)")
        let json = try #require(answer.json)
        #expect(json["result"] as? String == "fail", "\(answer.text)")
        #expect((json["failed_checks"] as? [String])?.isEmpty == false, "\(answer.text)")
        #expect(json["stopped"] is NSNull, "\(answer.text)")
        #expect((json["sequence_results"] as? [[String: Any]])?.count == 3)
    }

    /// Two submissions of one session at once: exactly one is scored, the other hears it was used.
    @Test(.enabled(if: TestData.available, Comment(rawValue: TestData.skipMessage))) func concurrentSubmissionsScoreOnce() throws {
        let server = try LivenessServer.get()
        let id = try #require(try Liveness.session(server)["session_id"] as? String)
        let clip = try Liveness.bytes(TestData.blinkClip)
        let answers = Liveness.submitAtOnce([server, server], .submission(id, video: clip, type: "video/mp4"))
        #expect(answers.map { $0?.status ?? -1 }.sorted() == [200, 409])
    }

    /// `--session-ttl 1`: a session submitted after a second has expired (410), and says so.
    @Test func expiredSessionIsRefused() throws {
        let server = try TestServer(["--workers", "1", "--session-ttl", "1"])
        let id = try #require(try Liveness.session(server)["session_id"] as? String)
        #expect(try Liveness.session(server)["expires_in"] as? Double == 1)
        usleep(1_300_000)
        let answer = try Liveness.submit(server, .submission(id, video: Array("a video".utf8)))
        #expect(answer.status == 410, "\(answer.text)")
        #expect((answer.json?["error"] as? String)?.contains("expired") == true)
    }

    /// Every bad submission: a 4xx JSON error naming the problem, and nothing left in the temporary folder.
    @Test func badSubmissionsAreNamed() throws {
        let server = try LivenessServer.get()
        let id = try #require(try Liveness.session(server)["session_id"] as? String)
        let video: [UInt8] = Array("not a video at all, just text".utf8)
        func check(_ answer: HTTPAnswer, _ status: Int, _ says: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(answer.status == status, "\(answer.text)", sourceLocation: sourceLocation)
            #expect(answer.headers["content-type"] == "application/json", sourceLocation: sourceLocation)
            #expect(answer.json?["success"] as? Bool == false, sourceLocation: sourceLocation)
            #expect((answer.json?["error"] as? String)?.contains(says) == true, "\(answer.text)", sourceLocation: sourceLocation)
        }
        let port = server.port
        check(try HTTP.request(port: port, "POST", "/submit-liveness", headers: [("Content-Type", "application/json")],
                               body: Array("{\"session_id\": \"\(id)\"}".utf8)), 415, "multipart/form-data")
        check(try HTTP.request(port: port, "POST", "/submit-liveness", headers: [("Content-Type", "multipart/form-data")],
                               body: Array("x".utf8)), 415, "boundary")
        check(try Liveness.submit(server, FormBody(fields: [.init(name: "video", filename: "a.webm", bytes: video)])), 400, "session_id")
        check(try Liveness.submit(server, FormBody(fields: [.init(name: "session_id", bytes: Array(id.utf8))])), 400, "video")
        check(try Liveness.submit(server, .submission(id, video: [])), 400, "empty")
        let cut = FormBody.submission(id, video: video)
        let cutBytes = Array(cut.bytes.dropLast(40))
        check(try HTTP.request(port: port, "POST", "/submit-liveness", headers: [("Content-Type", cut.contentType)], body: cutBytes),
              400, "closing boundary")
        check(try Liveness.submit(server, .submission("0123456789abcdef0123456789abcdef", video: video)), 404, "no such liveness session")
        // A video that does not decode costs no session: the same id is refused again for the video.
        check(try Liveness.submit(server, .submission(id, video: video)), 422, "cannot be decoded")
        check(try Liveness.submit(server, .submission(id, video: Array(repeating: 0, count: 5000))), 422, "cannot be decoded")
        // Too large: refused from the Content-Length alone.
        let socket = try TestSocket(port: port)
        let form = FormBody.submission(id, video: video)
        try socket.send(Array(("POST /submit-liveness HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            + "Content-Type: \(form.contentType)\r\nContent-Length: \((LivenessServer.maxVideoMB + 1) * 1024 * 1024)\r\n\r\n").utf8))
        check(try HTTP.parse(socket), 413, "larger than \(LivenessServer.maxVideoMB) MB")
        // Longer than 60 s.
        let long = FileManager.default.temporaryDirectory.appendingPathComponent("gazetop-test-\(UUID().uuidString).webm").path
        defer { try? FileManager.default.removeItem(atPath: long) }
        try Liveness.noise(seconds: 62, path: long)
        check(try Liveness.submit(server, .submission(id, video: try Liveness.bytes(long))), 413, "longer than 60 s")
        let left = LivenessServer.leftovers
        #expect(left.isEmpty, "\(left)")
        // GET is not how a session starts.
        check(try HTTP.request(port: port, "GET", "/initiate-liveness"), 404, "/initiate-liveness")
    }
}
