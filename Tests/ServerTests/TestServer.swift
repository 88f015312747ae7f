import Capture
import Foundation
import GazeCore
import Glibc
import Synchronization
import Vision

/// The shared recordings beside the project (`../shared/data`, see its README), found from this file.
enum TestData {
    static let root: String = {
        let here = URL(fileURLWithPath: #filePath)
        let project = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return project.deletingLastPathComponent().appendingPathComponent("shared/data").standardizedFileURL.path
    }()

    static func path(_ sub: String) -> String { root + "/" + sub }

    /// A ZJU clip with six labelled blinks, the last ending 20 frames before the clip does.
    static let blinkClip = path("zju-eyeblink/29_000008M_FNN.mp4")
    static var available: Bool { access(blinkClip, R_OK) == 0 }
    static var modelInstalled: Bool { access(FaceModel.systemPath, R_OK) == 0 }
    static let skipMessage = "needs ../shared/data (the ZJU clips) and the landmark model (libdlib-data)"
    static var ready: Bool { available && modelInstalled }

    /// The clip's frames as JPEG, as a browser's canvas would send them, with their stream times.
    static func jpegFrames(_ clip: String = blinkClip, quality: Int = 85) throws -> [(jpeg: [UInt8], timeMs: Double)] {
        let video = try VideoFileSource(path: clip, keepsColor: true)
        var frames: [(jpeg: [UInt8], timeMs: Double)] = []
        while let frame = try video.nextFrame() {
            frames.append((try PictureEncoding.jpeg(bgr: video.lastColorFrame, width: video.width, height: video.height,
                                                   quality: quality), frame.timeMs))
        }
        return frames
    }

    /// The protocol's frame message for a picture.
    static func message(_ jpeg: [UInt8], timeMs: Double? = nil) -> String {
        let time = timeMs.map { ",\"time\":\($0)" } ?? ""
        return "{\"type\":\"frame\",\"data\":\"data:image/jpeg;base64,\(Data(jpeg).base64EncodedString())\"\(time)}"
    }
}

/// `gazetop serve` running as a process of its own on a free loopback port, as a user runs it: the tests
/// talk to it over real sockets (blocking ones, which must not share Swift's few concurrency threads with
/// the server's handlers, as they would in-process). Its stderr (the announcement and the access log)
/// goes to a file the tests read.
final class TestServer: @unchecked Sendable { // the process is only started, signalled and waited for
    let port: Int
    let logPath: String
    let process: Process

    /// `gazetop` is built into the same folder as the test bundle (`.build/<config>/`).
    static let executable: String = {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("gazetop").path
    }()

    /// Starts `gazetop serve --port 0` with `arguments` (and `environment` added to the tests' own);
    /// returns once it has announced its port.
    init(_ arguments: [String] = [], environment extra: [String: String] = [:]) throws {
        logPath = FileManager.default.temporaryDirectory.appendingPathComponent("gazetop-serve-\(UUID().uuidString).log").path
        guard FileManager.default.createFile(atPath: logPath, contents: nil), let log = FileHandle(forWritingAtPath: logPath) else {
            throw ClientError(description: "cannot create \(logPath)")
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = ["serve", "--port", "0"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GAZETOP_MODEL"] = nil
        environment.merge(extra) { $1 }
        process.environment = environment
        process.standardError = log
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? log.close()
        // The announcement comes once the models are loaded; wait for it (a bounded number of looks, not a
        // time: a loaded machine may take long to load two models).
        var found: Int?
        for _ in 0..<6000 where found == nil && process.isRunning {
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on http://127.0.0.1:") {
                found = Int(text[range.upperBound...].prefix { $0.isNumber })
            } else {
                usleep(20_000)
            }
        }
        guard let found else {
            if process.isRunning { process.terminate() }
            let said = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw ClientError(description: "gazetop serve did not start: \(said)")
        }
        port = found
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: logPath)
    }

    /// Its stderr so far: the announcement, then one access-log line per request or connection.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Runs `gazetop ARGUMENTS` to its end (a start that fails, say); its exit status and stderr. A
    /// `$GAZETOP_STORE` of the caller's is not passed on: a test names the store it means. Should it run on
    /// (a server that starts serving after all), it is stopped after two minutes, and the test fails on its
    /// status rather than hanging.
    static func runToEnd(_ arguments: [String], environment extra: [String: String] = [:]) throws -> (status: Int32, said: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GAZETOP_STORE"] = nil
        environment.merge(extra) { $1 }
        process.environment = environment
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        DispatchQueue.global().asyncAfter(deadline: .now() + 120) { if process.isRunning { process.terminate() } }
        let said = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, said)
    }

    /// Sends SIGTERM and waits for the exit; returns its status.
    func terminate() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Waits until `/health` reports `connections` or fewer open sockets (a closed socket is counted out
    /// asynchronously); gives up after many looks rather than after a time.
    func waitForConnections(atMost connections: Int) throws {
        for _ in 0..<3000 {
            let health = try HTTP.request(port: port, "GET", "/health")
            if let open = health.json?["connections"] as? Int, open <= connections { return }
            usleep(10_000)
        }
        throw ClientError(description: "the server still counts more than \(connections) connections")
    }
}

/// Servers started once per test process, on first use, and shared by the tests that need their settings
/// (starting one per test, with its models to load, would cost more than the tests). A static is never
/// deinitialised, so the servers are stopped, and their logs and folders removed, when the process exits.
enum OnceStarted {
    private static let running = Mutex<[(server: TestServer?, folders: [String])]>([])
    private static let stopAtExit: Void = { atexit { OnceStarted.stopAll() } }()

    /// Starts `gazetop serve ARGUMENTS` for the rest of the test process; `folders` go with it at exit.
    static func server(_ arguments: [String] = [], environment: [String: String] = [:],
                       folders: [String] = []) -> Result<TestServer, Error> {
        _ = stopAtExit
        let result = Result { try TestServer(arguments, environment: environment) }
        running.withLock { $0.append((server: try? result.get(), folders: folders)) }
        return result
    }

    private static func stopAll() {
        for (server, folders) in running.withLock({ $0 }) {
            if let server {
                if server.process.isRunning { _ = server.terminate() }
                try? FileManager.default.removeItem(atPath: server.logPath)
            }
            for folder in folders { try? FileManager.default.removeItem(atPath: folder) }
        }
    }

    /// A new empty folder under the system's temporary one.
    static func folder(_ prefix: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// One server for the tests that need no special settings.
enum SharedServer {
    private static let started = OnceStarted.server()
    static func get() throws -> TestServer { try started.get() }
}
