import Capture
import Foundation
import Glibc

/// Debian's Chromium, headless, as a test's browser: its fake camera fed a clip (`Y4MClip`), the camera
/// granted without asking, and driven over the DevTools protocol (`DevToolsPage`) on a port it picks
/// itself (`--remote-debugging-port=0`, read back from `DevToolsActivePort`), so runs never collide.
final class Chromium: @unchecked Sendable { // only started, driven from the one test, and stopped
    let folder: String
    let process: Process
    let debuggingPort: Int

    /// The browser's path, or nil where none is installed (`scripts/install-deps.sh` installs Debian's).
    static let executable: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser"] where access("\(folder)/\(name)", X_OK) == 0 {
                return "\(folder)/\(name)"
            }
        }
        return nil
    }()
    static let skipMessage = "needs Debian's chromium (scripts/install-deps.sh installs it)"

    /// Starts the browser on a blank page, its fake camera playing `camera` (a .y4m file) over and over, or
    /// its own test pattern without one; `grantsCamera` false refuses the camera as a person can.
    /// `folder` (made by the caller, removed by it) holds the browser's profile and its log.
    init(camera: String?, grantsCamera: Bool = true, folder: String) throws {
        guard let executable = Self.executable else { throw ClientError(description: Self.skipMessage) }
        self.folder = folder
        let profile = folder + "/profile"
        let logPath = folder + "/chromium.log"
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else {
            throw ClientError(description: "cannot create the browser's log in \(folder)")
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        var arguments = [
            "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--mute-audio",
            // A loaded machine must not make the page's timers or its recording lag as a hidden tab's would.
            "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
            "--disable-backgrounding-occluded-windows",
            // A container's small /dev/shm makes Chromium's renderers crash; its temporary folder will do.
            "--disable-dev-shm-usage",
            "--user-data-dir=\(profile)", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
            "--use-fake-device-for-media-stream",
            grantsCamera ? "--use-fake-ui-for-media-stream" : "--deny-permission-prompts",
            "--window-size=1024,900",
        ]
        if let camera { arguments.append("--use-file-for-fake-video-capture=\(camera)") }
        // Chromium refuses to run as root with its sandbox (a container's test run often is root).
        if getuid() == 0 { arguments.append("--no-sandbox") }
        process.arguments = arguments + ["about:blank"]
        let log = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? log?.close()
        // The port is written once the browser listens: a bounded number of looks, not a time.
        var port: Int?
        for _ in 0..<3000 where port == nil && process.isRunning {
            if let text = try? String(contentsOfFile: profile + "/DevToolsActivePort", encoding: .utf8),
               let first = text.split(separator: "\n").first, let number = Int(first) {
                port = number
            } else {
                usleep(20_000)
            }
        }
        guard let port else {
            if process.isRunning { process.terminate(); process.waitUntilExit() }
            throw ClientError(description: "chromium did not start: \(Self.tail(logPath))")
        }
        debuggingPort = port
    }

    deinit { stop() }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// The end of the browser's own log, for a failure's message.
    var log: String { Self.tail(folder + "/chromium.log") }

    private static func tail(_ path: String) -> String {
        String(((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").suffix(2000))
    }

    /// The DevTools connection to the browser's one page.
    func page() throws -> DevToolsPage {
        let list = try HTTP.request(port: debuggingPort, "GET", "/json/list")
        guard let targets = try JSONSerialization.jsonObject(with: Data(list.body)) as? [[String: Any]],
              let page = targets.first(where: { $0["type"] as? String == "page" }),
              let url = page["webSocketDebuggerUrl"] as? String, let path = URL(string: url)?.path else {
            throw ClientError(description: "no page among the browser's targets: \(list.text)")
        }
        return try DevToolsPage(port: debuggingPort, path: path)
    }
}

/// One page driven over the Chrome DevTools Protocol: JSON commands over a WebSocket, answered by id;
/// events in between are read, and the page's uncaught exceptions and console errors (a refused script or
/// connection included) are kept for the test to check.
final class DevToolsPage {
    private let socket: WebSocketClient
    private var nextId = 0
    /// What went wrong in the page so far.
    private(set) var problems: [String] = []

    init(port: Int, path: String) throws {
        socket = try WebSocketClient(port: port, path: path)
        _ = try call("Runtime.enable")
        _ = try call("Log.enable")
        _ = try call("Page.enable")
    }

    /// Sends a command and returns its result; throws the protocol's error.
    @discardableResult
    func call(_ method: String, _ params: [String: Any] = [:]) throws -> [String: Any] {
        nextId += 1
        let id = nextId
        let command = try JSONSerialization.data(withJSONObject: ["id": id, "method": method, "params": params])
        try socket.send(text: String(decoding: command, as: UTF8.self))
        while true {
            let message = try socket.receiveJSON()
            guard let answered = message["id"] as? Int else {
                note(message)
                continue
            }
            guard answered == id else { continue }
            if let error = message["error"] as? [String: Any] {
                throw ClientError(description: "\(method): \(error["message"] ?? error)")
            }
            return message["result"] as? [String: Any] ?? [:]
        }
    }

    private func note(_ event: [String: Any]) {
        let params = event["params"] as? [String: Any] ?? [:]
        switch event["method"] as? String {
        case "Runtime.exceptionThrown":
            let details = params["exceptionDetails"] as? [String: Any]
            let exception = details?["exception"] as? [String: Any]
            problems.append("exception: \(exception?["description"] ?? details?["text"] ?? "?")")
        case "Runtime.consoleAPICalled" where params["type"] as? String == "error":
            let args = (params["args"] as? [[String: Any]] ?? []).map { "\($0["value"] ?? $0["description"] ?? "")" }
            problems.append("console.error: \(args.joined(separator: " "))")
        case "Log.entryAdded":
            let entry = params["entry"] as? [String: Any] ?? [:]
            if entry["level"] as? String == "error" { problems.append("\(entry["source"] ?? "log"): \(entry["text"] ?? "")") }
        default:
            break
        }
    }

    /// Evaluates JavaScript in the page (awaiting a promise, as a user's gesture so a click may ask for full
    /// screen) and returns its value.
    @discardableResult
    func evaluate(_ expression: String) throws -> Any? {
        let result = try call("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true,
                                                   "userGesture": true])
        if let exception = result["exceptionDetails"] as? [String: Any] {
            let thrown = (exception["exception"] as? [String: Any])?["description"] ?? exception["text"] ?? "?"
            throw ClientError(description: "the page threw on \(expression): \(thrown)")
        }
        return (result["result"] as? [String: Any])?["value"]
    }

    func string(_ expression: String) throws -> String { try evaluate(expression) as? String ?? "" }

    /// Polls `expression` until it gives true; throws with `describe`'s value (the page's state) once
    /// `seconds` have passed. The deadline is generous: it only tells a page that never gets there from a
    /// slow one.
    func waitUntil(_ expression: String, seconds: Double, describe: String) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if try evaluate(expression) as? Bool == true { return }
            guard Date() < deadline else {
                throw ClientError(description: "waited \(Int(seconds)) s for \(expression); the page shows: "
                    + "\((try? string(describe)) ?? "?"); its problems: \(problems)")
            }
            usleep(100_000)
        }
    }

    func navigate(_ url: String) throws { try call("Page.navigate", ["url": url]) }

    /// The page as it looks now, as PNG.
    func screenshot() throws -> Data {
        let result = try call("Page.captureScreenshot", ["format": "png"])
        guard let base64 = result["data"] as? String, let png = Data(base64Encoded: base64) else {
            throw ClientError(description: "no screenshot")
        }
        return png
    }
}

/// A clip as the raw video Chromium's fake camera plays (YUV4MPEG2: a text header, then each frame as
/// "FRAME\n" and its I420 planes), played forward then backward so the browser's loop has no jump.
enum Y4MClip {
    static func write(_ clip: String, to path: String) throws {
        let source = try VideoFileSource(path: clip, keepsColor: true)
        var frames: [[UInt8]] = []
        while try source.nextFrame() != nil { frames.append(source.lastColorFrame) }
        let (width, height) = (source.width & ~1, source.height & ~1)
        let fps = Int((source.nominalFps ?? 30).rounded())
        var out = Data("YUV4MPEG2 W\(width) H\(height) F\(fps):1 Ip A1:1 C420jpeg\n".utf8)
        for index in Array(frames.indices) + frames.indices.dropFirst().dropLast().reversed() {
            out.append(contentsOf: Array("FRAME\n".utf8))
            out.append(contentsOf: i420(bgr: frames[index], width: width, height: height, stride: source.width))
        }
        try out.write(to: URL(fileURLWithPath: path))
    }

    /// BT.601 studio-range Y, then U and V each averaged over 2x2 pixels.
    static func i420(bgr: [UInt8], width: Int, height: Int, stride: Int) -> [UInt8] {
        var y = [UInt8](repeating: 0, count: width * height)
        var u = [UInt8](repeating: 0, count: width * height / 4)
        var v = [UInt8](repeating: 0, count: width * height / 4)
        func pixel(_ col: Int, _ row: Int) -> (r: Int, g: Int, b: Int) {
            let at = (row * stride + col) * 3
            return (Int(bgr[at + 2]), Int(bgr[at + 1]), Int(bgr[at]))
        }
        for row in 0..<height {
            for col in 0..<width {
                let p = pixel(col, row)
                y[row * width + col] = UInt8((66 * p.r + 129 * p.g + 25 * p.b + 128) >> 8 + 16)
            }
        }
        for row in 0..<(height / 2) {
            for col in 0..<(width / 2) {
                var (r, g, b) = (0, 0, 0)
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    let p = pixel(col * 2 + dx, row * 2 + dy)
                    r += p.r; g += p.g; b += p.b
                }
                (r, g, b) = (r / 4, g / 4, b / 4)
                u[row * width / 2 + col] = UInt8(clamping: (-38 * r - 74 * g + 112 * b + 128) >> 8 + 128)
                v[row * width / 2 + col] = UInt8(clamping: (112 * r - 94 * g - 18 * b + 128) >> 8 + 128)
            }
        }
        return y + u + v
    }
}
