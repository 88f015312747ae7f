import Foundation
import Glibc
import Testing

/// The real dashboard on a real terminal: tmux runs the built `gazetop` on a simulated camera serving a
/// shared ZJU clip, `capture-pane` reads the screen a person would see, and `send-keys` drives it.
/// `pace=demand` makes the simulated camera lossless, so every frame is processed and the blink count on
/// the screen (and in the report) must equal `gazetop analyze` on the same clip.
@Suite(.serialized, .enabled(if: SharedClip.available, Comment(rawValue: SharedClip.skipMessage)))
struct DashboardEndToEndTests {
    static let clip = SharedClip.path
    /// The same tuning for both runs: the monitor's own default (detection in the background, answers
    /// taken 2 frames later; `TrackingConfig.liveDetectionLagFrames`), which files do not use by default.
    static let tuning = ["--detection-lag", "2"]

    /// A tmux server of this test's own (its own socket, no user configuration), killed at the end.
    final class Tmux {
        let socket = "gazetop-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
        let session = "dash"
        /// The panes' $XDG_RUNTIME_DIR: a simulated camera's lock lives there, and this test's cameras are
        /// not busy because another test streams the same clip.
        let runtime = FileManager.default.temporaryDirectory.appendingPathComponent("gazetop-e2e-runtime-\(UUID().uuidString)").path

        /// Runs tmux and returns what it printed. Through posix_spawn and waitpid rather than Foundation's
        /// Process, whose exit monitoring missed tmux clients that exit within milliseconds; and into a
        /// file rather than a pipe, whose write end the server that new-session starts would inherit.
        @discardableResult
        func run(_ arguments: [String]) throws -> String {
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-out-\(UUID().uuidString)").path
            defer { unlink(output) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
            let argv = (["tmux", "-L", socket, "-f", "/dev/null"] + arguments).map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var environment = ProcessInfo.processInfo.environment
            environment["LANG"] = "C.UTF-8" // tmux shows wide characters only under a UTF-8 locale
            environment["LC_ALL"] = nil
            environment["TMUX"] = nil
            try? FileManager.default.createDirectory(atPath: runtime, withIntermediateDirectories: true)
            environment["XDG_RUNTIME_DIR"] = runtime
            let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { envp.forEach { free($0) } }
            // The test runner's threads block most signals, and a child inherits that mask: tmux and the
            // programs in its panes start with every signal unblocked, as from a shell.
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var none = sigset_t()
            sigemptyset(&none)
            posix_spawnattr_setsigmask(&attributes, &none)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
            var pid: pid_t = 0
            let spawned = posix_spawnp(&pid, "tmux", &actions, &attributes, argv, envp)
            try #require(spawned == 0, "cannot run tmux (errno \(spawned)); it is installed by scripts/install-deps.sh")
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        }

        /// The pane's text. `joined`: a line the terminal wrapped (a message holding a long path, in a
        /// checkout of any depth) reads as the one line it was printed as.
        func screen(joined: Bool = false) throws -> String {
            try run(["capture-pane", "-p"] + (joined ? ["-J"] : []) + ["-t", session])
        }
        func keys(_ keys: String...) throws { try run(["send-keys", "-t", session] + keys) }
        func state() throws -> String {
            try run(["display-message", "-p", "-t", session, "#{alternate_on} #{cursor_flag}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// How many times longer than on a quiet machine a wait may take: the tests run on 2 cores that
        /// other builds share (CI, a team), and a wait that is met early costs nothing.
        static let loadAllowance = 6.0

        /// Polls the screen until `condition` holds; the last screen either way. `seconds` is what a quiet
        /// machine needs; the wait allows `loadAllowance` times that.
        func waitFor(_ what: String, seconds: Double = 20, joined: Bool = false, _ condition: (String) -> Bool) throws -> String {
            let deadline = Date().addingTimeInterval(seconds * Self.loadAllowance)
            var text = try screen(joined: joined)
            while !condition(text) && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.1)
                text = try screen(joined: joined)
            }
            if !condition(text) { Issue.record("timed out waiting for \(what); the screen:\n\(text)") }
            return text
        }

        /// Ends the server and removes its socket (tmux leaves the file behind).
        func kill() {
            _ = try? run(["kill-server"])
            let folder = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
            unlink("\(folder)/tmux-\(getuid())/\(socket)")
            try? FileManager.default.removeItem(atPath: runtime)
        }
    }

    static func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// The built gazetop with `arguments`, as one shell command, each word quoted.
    static func gazetopCommand(_ arguments: [String]) -> String {
        ([ErrorPathTests.executable] + arguments).map(quoted).joined(separator: " ")
    }

    /// `gazetop analyze --summary` on the clip: its blink count.
    static func analyzedBlinks() throws -> Int {
        let folder = try ErrorPathTests.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let records = folder.appendingPathComponent("records.jsonl").path
        let run = try ErrorPathTests.run(["analyze", clip, "--summary", "-o", records] + tuning)
        #expect(run.status == 0, "analyze failed: \(run.stderr)")
        let match = try #require(run.stderr.firstMatch(of: /blinks (\d+)/), "no blink count in: \(run.stderr)")
        return Int(match.1)!
    }

    @Test func liveDashboardInTmux() throws {
        var null = stat()
        try #require(stat("/dev/null", &null) == 0 && (null.st_mode & S_IFMT) == S_IFCHR,
                     "/dev/null is not the null device (a program replaced it with a file); tmux cannot start")
        try #require(FileManager.default.isExecutableFile(atPath: ErrorPathTests.executable),
                     "no gazetop at \(ErrorPathTests.executable): build it with `swift build -c release`")
        let expectedBlinks = try Self.analyzedBlinks()
        #expect(expectedBlinks > 0, "the clip has blinks, so the comparison means something")
        let folder = try ErrorPathTests.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let reportPath = folder.appendingPathComponent("report.json").path

        let tmux = Tmux()
        defer { tmux.kill() }
        let gazetop = Self.gazetopCommand(["--device", "sim:\(Self.clip)?pace=demand", "--size", "320x240",
                                           "--report", reportPath] + Self.tuning)
        // The shell stays after gazetop exits, so the primary screen it left can be read. NO_COLOR (which
        // the test runner may set) is cleared: this run checks the colour screen.
        let command = "unset NO_COLOR; printf 'before gazetop\\n'; \(gazetop); echo \"gazetop exited $?\"; sleep 600"
        try tmux.run(["new-session", "-d", "-s", tmux.session, "-x", "120", "-y", "40", "-e", "LANG=C.UTF-8", command])

        // The clip plays to its end; the final screen stays with the stream's word and the blink count.
        let ended = try tmux.waitFor("the end of the stream") { $0.contains("The stream ended") }
        #expect(try tmux.state() == "1 0", "the dashboard runs on the alternate screen with the cursor hidden")
        #expect(ended.contains("E Y E   C O N T A C T") || ended.contains("L O O K I N G   A W A Y"), "\(ended)")
        #expect(ended.contains("sim:2_000001M_FNN.mp4"), "the header names the device")
        #expect(ended.contains("ENDED"))
        let shown = try #require(ended.firstMatch(of: /BLINKS (\d+)/), "no blink count on the screen:\n\(ended)")
        #expect(Int(shown.1) == expectedBlinks, "the screen says \(shown.1) blinks, analyze \(expectedBlinks)")
        #expect(ended.contains("last minute") && ended.contains("EYES") && ended.contains("GAZE"))
        #expect(ended.contains("q quit") && ended.contains("? help"))
        #expect(ended.components(separatedBy: "\n").allSatisfy { $0.count <= 120 })

        try tmux.keys("?")
        _ = try tmux.waitFor("the help") { $0.contains("this help") && $0.contains("The screen") }
        try tmux.keys("Escape")
        _ = try tmux.waitFor("the help to close") { !$0.contains("this help") }

        try tmux.keys("Space")
        let paused = try tmux.waitFor("PAUSED") { $0.contains("P A U S E D") }
        #expect(paused.contains("space resumes"))
        try tmux.keys("Space")
        _ = try tmux.waitFor("the pause to end") { !$0.contains("P A U S E D") }

        try tmux.keys("p")
        // The whole picture in half blocks, with the pupils marked; waiting for all of it, since the pane
        // can be read while the terminal is still painting the picture's rows (a timeout records the issue).
        _ = try tmux.waitFor("the camera preview, drawn in half blocks with the pupils marked") {
            $0.contains("CAMERA") && !$0.contains("waiting for a frame") && $0.filter { $0 == "▀" }.count > 200
                && $0.contains("◆")
        }

        try tmux.keys("c")
        _ = try tmux.waitFor("the calibration notice") { $0.contains("calibration: the stream has ended") }

        try tmux.run(["resize-window", "-t", tmux.session, "-x", "80", "-y", "24"])
        let small = try tmux.waitFor("a redraw at 80x24") { s in
            s.contains("BLINKS") && s.components(separatedBy: "\n").allSatisfy { $0.count <= 80 }
                && s.contains("q quit")
        }
        #expect(small.contains("BLINKS \(expectedBlinks)"))
        try tmux.run(["resize-window", "-t", tmux.session, "-x", "60", "-y", "15"])
        _ = try tmux.waitFor("the too-small notice") { $0.contains("needs at least") && $0.contains("60x15") }
        try tmux.run(["resize-window", "-t", tmux.session, "-x", "120", "-y", "40"])
        _ = try tmux.waitFor("a redraw at 120x40") { $0.contains("BLINKS") && !$0.contains("needs at least") }

        try tmux.keys("q")
        let after = try tmux.waitFor("gazetop to exit") { $0.contains("gazetop exited") }
        #expect(after.contains("gazetop exited 0"))
        #expect(try tmux.state() == "0 1", "back on the primary screen with the cursor shown")
        // The primary screen holds what was there before, then the summary: no dashboard left behind.
        #expect(after.contains("before gazetop"))
        #expect(after.contains("eye contact") && after.contains("longest look-away") && after.contains("face visible"))
        #expect(after.contains("blinks             \(expectedBlinks) "), "summary:\n\(after)")
        for leftover in ["q quit", "BLINKS", "EYE CONTACT", "last minute", "E Y E", "┌"] {
            #expect(!after.contains(leftover), "dashboard text \"\(leftover)\" left on the primary screen:\n\(after)")
        }

        let data = try Data(contentsOf: URL(fileURLWithPath: reportPath))
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(report["blinks"] as? Int == expectedBlinks)
        let timeline = try #require(report["timeline"] as? [[String: Any]])
        #expect(timeline.count >= 4 && timeline.count <= 6, "one entry per second of a 5 s clip: \(timeline.count)")
        #expect((report["durationSeconds"] as? Double).map { $0 > 4 && $0 < 6 } == true)
        // The person is in view throughout; only the first frames, before the background detector's first
        // answer (2 frames later), have no face yet.
        let visible = (report["faceVisiblePct"] as? Double) ?? (report["faceVisiblePct"] as? Int).map(Double.init)
        #expect(visible.map { $0 >= 95 && $0 < 100 } == true, "faceVisiblePct \(String(describing: visible))")
    }

    /// Ctrl-C and SIGTERM end the dashboard like q does: the terminal comes back, the summary is printed,
    /// and the exit status is 0.
    @Test func interruptAndTerminateRestoreTheTerminal() throws {
        try #require(FileManager.default.isExecutableFile(atPath: ErrorPathTests.executable))
        let tmux = Tmux()
        defer { tmux.kill() }
        // A looping clip, so only the signal ends it.
        let run = Self.gazetopCommand(["--device", "sim:\(Self.clip)", "--size", "320x240", "--loop"])
        let command = "unset NO_COLOR; \(run); echo \"first exited $?\"; \(run); echo \"second exited $?\"; sleep 600"
        try tmux.run(["new-session", "-d", "-s", tmux.session, "-x", "100", "-y", "30", "-e", "LANG=C.UTF-8", command])

        _ = try tmux.waitFor("the first dashboard") { $0.contains("BLINKS") && $0.contains("q quit") }
        try tmux.keys("C-c")
        let first = try tmux.waitFor("the first run to end") { $0.contains("first exited") }
        #expect(first.contains("first exited 0") && first.contains("gazetop session on"), "\(first)")
        #expect(try tmux.state() == "0 1")

        _ = try tmux.waitFor("the second dashboard") { $0.contains("BLINKS") && $0.contains("q quit") }
        #expect(try tmux.state() == "1 0")
        let shell = try tmux.run(["display-message", "-p", "-t", tmux.session, "#{pane_pid}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        let gazetop = try #require(children.split(separator: " ").compactMap { Int32($0) }.first, "no gazetop under the shell")
        #expect(kill(gazetop, SIGTERM) == 0)
        let second = try tmux.waitFor("the second run to end") { $0.contains("second exited") }
        #expect(second.contains("second exited 0"), "\(second)")
        #expect(try tmux.state() == "0 1")
        #expect(!second.contains("q quit") && !second.contains("BLINKS"), "no dashboard left on the primary screen")
    }

    /// TERM=dumb cannot move the cursor: one line and exit 13 before the camera opens, instead of curses
    /// drawing line after line of garbage (defect 8 of issue 13).
    @Test func aDumbTerminalIsRefusedInOneLine() throws {
        try #require(FileManager.default.isExecutableFile(atPath: ErrorPathTests.executable))
        let tmux = Tmux()
        defer { tmux.kill() }
        let run = Self.gazetopCommand(["--device", "sim:\(Self.clip)?pace=demand", "--size", "320x240", "--exit-at-end"])
        try tmux.run(["new-session", "-d", "-s", tmux.session, "-x", "100", "-y", "30",
                      "TERM=dumb \(run); echo \"first exited $?\"; sleep 600"])
        let screen = try tmux.waitFor("the run to end", joined: true) { $0.contains("first exited") }
        let lines = screen.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        #expect(lines == ["gazetop: the terminal (TERM=dumb) cannot move the cursor, which the full screen needs; "
                            + "use a terminal such as xterm, or --json for records", "first exited 13"], "\(screen)")
    }

    /// While the camera is away (`--reconnect` waiting), the band says so instead of the person's last
    /// state, and the state comes back with the camera.
    @Test func theBandSaysWhenTheCameraIsAway() throws {
        try #require(FileManager.default.isExecutableFile(atPath: ErrorPathTests.executable))
        let tmux = Tmux()
        defer { tmux.kill() }
        let run = Self.gazetopCommand(["--device", "sim:\(Self.clip)?unplug-after=40&replug-after-ms=4000", "--size", "320x240",
                                       "--reconnect", "--loop"])
        try tmux.run(["new-session", "-d", "-s", tmux.session, "-x", "100", "-y", "30", "-e", "LANG=C.UTF-8", "\(run); sleep 600"])
        let away = try tmux.waitFor("the camera to go") { $0.contains("N O   C A M E R A") }
        #expect(away.contains("waiting for it to come back"), "\(away)")
        #expect(!away.contains("E Y E   C O N T A C T") && !away.contains("L O O K I N G"), "\(away)")
        let back = try tmux.waitFor("the camera to come back", seconds: 30) { !$0.contains("N O   C A M E R A") && $0.contains("BLINKS") }
        #expect(!back.contains("Waiting for the camera"), "\(back)")
        try tmux.keys("q")
    }

    /// Without a UTF-8 locale the dashboard cannot draw its characters: one line and exit 13, unless
    /// --ascii, which draws in plain ASCII (and NO_COLOR leaves the colours off).
    @Test func aTerminalWithoutUTF8() throws {
        try #require(FileManager.default.isExecutableFile(atPath: ErrorPathTests.executable))
        let tmux = Tmux()
        defer { tmux.kill() }
        let base = ["--device", "sim:\(Self.clip)?pace=demand", "--size", "320x240"]
        let refused = Self.gazetopCommand(base)
        let ascii = Self.gazetopCommand(base + ["--ascii", "--exit-at-end"])
        let command = "export LANG=C LC_ALL=C NO_COLOR=1; \(refused); echo \"first exited $?\"; \(ascii); "
            + "echo \"second exited $?\"; sleep 600"
        try tmux.run(["new-session", "-d", "-s", tmux.session, "-x", "100", "-y", "30", command])
        let screen = try tmux.waitFor("both runs") { $0.contains("second exited") }
        #expect(screen.contains("gazetop: the terminal's locale is not UTF-8"), "\(screen)")
        #expect(screen.contains("first exited 13"))
        #expect(screen.contains("second exited 0"))
        #expect(screen.contains("gazetop session on"), "the ASCII dashboard ran to the end and printed its summary")
    }
}

/// A shared ZJU clip: `<repo>/../shared/data/zju-eyeblink/2_000001M_FNN.mp4` (320x240, 30 fps, about 5 s,
/// one frontal face that blinks), found from this file's path.
enum SharedClip {
    static let path: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3) // Tests/gazetopTests/DashboardEndToEndTests.swift
        return parts.joined(separator: "/") + "/../shared/data/zju-eyeblink/2_000001M_FNN.mp4"
    }()
    static let available = FileManager.default.isReadableFile(atPath: path)
    static let skipMessage = "needs ../shared/data (the ZJU eyeblink clips); not found beside the repository"
}
