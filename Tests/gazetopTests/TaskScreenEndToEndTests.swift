import Foundation
import Glibc
import Testing

/// The challenge's full screen on a real terminal: tmux runs the built `gazetop challenge` on a simulated
/// camera looping a shared ZJU clip at the camera's own pace (stream time runs with the clock), and
/// `capture-pane` reads what the person would see: the grid, the lit cell moving on time, the result. The
/// clip's person looks at the camera throughout, so the challenge fails: the exit status, the line left
/// on stderr and the result file must all say so.
@Suite(.serialized, .enabled(if: SharedClip.available, Comment(rawValue: SharedClip.skipMessage)),
       .enabled(if: TmuxTool.available, "needs tmux (scripts/install-deps.sh installs it)"))
struct TaskScreenEndToEndTests {
    typealias Tmux = DashboardEndToEndTests.Tmux
    static let width = 100, height = 30
    /// The sequence the test asks for, and each cell's seconds (the default).
    static let sequence = [3, 1, 5]
    static let areaSeconds = 3.0

    /// The generic gaze mapping as a saved calibration, so the challenge goes straight to its cells (the
    /// clip's person, who never looks at the dots, would fail the short calibration first).
    /// A shell `export` of the state and configuration homes inside `folder`, so a run touches no real
    /// ledger or calibration; more variables may follow on the same line.
    static func stateHomes(_ folder: URL) -> String {
        "export XDG_STATE_HOME=\(DashboardEndToEndTests.quoted(folder.path + "/state")) "
            + "XDG_CONFIG_HOME=\(DashboardEndToEndTests.quoted(folder.path + "/config"))"
    }

    static func writeCalibration(_ folder: URL) throws -> String {
        let path = folder.appendingPathComponent("calibration.json").path
        try Data("""
            {"version": 1, "created": "2026-01-01T00:00:00Z", "right": [0, -45, 0, -1, 0], "up": [0, 0, -120, 0, 1],
             "rms_error_deg": 0, "frames": 0}
            """.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The cell whose big countdown digits (█) are on the screen, from where they are: the grid fills rows
    /// 2 to height-3 in 3 columns and 2 rows (GazeTaskScreen's layout). Nil when none are drawn.
    static func litCell(_ screen: String) -> Int? {
        let rows = screen.components(separatedBy: "\n")
        var xs: [Int] = [], ys: [Int] = []
        for (y, row) in rows.enumerated() where y >= 2 && y < height - 2 {
            for (x, c) in row.enumerated() where c == "█" {
                xs.append(x)
                ys.append(y)
            }
        }
        guard !xs.isEmpty else { return nil }
        let x = xs.reduce(0, +) / xs.count, y = ys.reduce(0, +) / ys.count
        let column = x * 3 / width, row = (y - 2) * 2 / (height - 4)
        return row * 3 + column + 1
    }

    /// The step in the header ("2/3") and the cell it names ("look at cell 3").
    static func header(_ screen: String) -> (step: Int, cell: Int)? {
        let first = screen.components(separatedBy: "\n").first ?? ""
        guard let m = first.firstMatch(of: /^ (\d)\/3  look at cell (\d)/) else { return nil }
        return (Int(m.1)!, Int(m.2)!)
    }

    @Test func challengeGridMovesOnTimeAndTheResultMatchesTheExitStatus() throws {
        try #require(FileManager.default.isExecutableFile(atPath: ErrorPathTests.executable),
                     "no gazetop at \(ErrorPathTests.executable): build it with `swift build -c release`")
        let folder = try ErrorPathTests.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let resultPath = folder.appendingPathComponent("result.json").path
        let calibration = try Self.writeCalibration(folder)
        let tmux = Tmux()
        defer { tmux.kill() }
        let gazetop = DashboardEndToEndTests.gazetopCommand([
            "challenge", "--device", "sim:\(SharedClip.path)?loop", "--allow-virtual",
            "--sequence", Self.sequence.map(String.init).joined(separator: ","), "--calibration", calibration,
            "--result", resultPath])
        let env = TaskScreenEndToEndTests.stateHomes(folder) + "; unset NO_COLOR"
        let command = "\(env); printf 'before gazetop\\n'; \(gazetop); echo \"gazetop exited $?\"; sleep 600"
        try tmux.run(["new-session", "-d", "-s", tmux.session, "-x", "\(Self.width)", "-y", "\(Self.height)",
                      "-e", "LANG=C.UTF-8", command])

        let grid = try tmux.waitFor("the grid", seconds: 30) { $0.contains("┌") && $0.contains("q Esc stop") }
        #expect(try tmux.state() == "1 0", "the grid runs on the alternate screen with the cursor hidden")
        #expect(grid.contains("camera"), "the camera's mark at the top:\n\(grid)")

        // Watch the sequence: when each step first shows, and which cell is lit with it.
        var firstSeen: [Int: Date] = [:]
        var lit: [Int: Set<Int>] = [:]
        var finished: String?
        let deadline = Date().addingTimeInterval(60)
        while finished == nil && Date() < deadline {
            let screen = try tmux.screen()
            let now = Date()
            if screen.contains("F A I L") || screen.contains("P A S S") || screen.contains("T R Y") || screen.contains("gazetop exited") {
                finished = screen
                break
            }
            if let h = Self.header(screen) {
                if firstSeen[h.step] == nil { firstSeen[h.step] = now }
                #expect(h.cell == Self.sequence[h.step - 1], "step \(h.step) names cell \(h.cell):\n\(screen)")
                if let cell = Self.litCell(screen) { lit[h.step, default: []].insert(cell) }
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let result = try #require(finished, "no result screen within 60 s")
        #expect(Set(firstSeen.keys) == [1, 2, 3], "every step was shown: \(firstSeen.keys.sorted())")
        for step in 1...3 {
            #expect(lit[step] == [Self.sequence[step - 1]], "step \(step) lit \(lit[step] ?? [])")
        }
        // Each cell stays lit for its seconds (stream time follows the clock at the camera's pace; the
        // margin is for the capture-pane polling and a loaded machine).
        if let one = firstSeen[1], let two = firstSeen[2], let three = firstSeen[3] {
            for gap in [two.timeIntervalSince(one), three.timeIntervalSince(two)] {
                #expect(gap > Self.areaSeconds - 1 && gap < Self.areaSeconds + 1.5, "a step lasted \(gap) s")
            }
        }
        #expect(result.contains("F A I L"), "the person only looked at the camera:\n\(result)")
        #expect(result.contains("follow the highlighted cell with your eyes"))
        #expect(!result.contains("%") && !result.contains("accuracy"), "no scores for the person")

        let after = try tmux.waitFor("gazetop to exit", seconds: 20) { $0.contains("gazetop exited") }
        #expect(after.contains("gazetop exited 1"), "\(after)")
        #expect(after.contains("FAIL - follow the highlighted cell with your eyes"), "the line for scripts on stderr")
        #expect(after.contains("before gazetop"))
        #expect(try tmux.state() == "0 1", "back on the primary screen with the cursor shown")
        for leftover in ["┌", "q Esc stop", "F A I L", "camera"] {
            #expect(!after.contains(leftover), "grid text \"\(leftover)\" left on the primary screen:\n\(after)")
        }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: resultPath))) as? [String: Any])
        #expect(json["result"] as? String == "fail")
        #expect(json["sequence"] as? [Int] == Self.sequence)
        #expect((json["failed_checks"] as? [String])?.contains("gaze_accuracy") == true, "\(json)")
    }

    /// q during the challenge stops it: try again, exit 2, and the result file says inconclusive (stopped).
    @Test func qStopsTheChallenge() throws {
        try #require(FileManager.default.isExecutableFile(atPath: ErrorPathTests.executable))
        let folder = try ErrorPathTests.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let resultPath = folder.appendingPathComponent("result.json").path
        let calibration = try Self.writeCalibration(folder)
        let tmux = Tmux()
        defer { tmux.kill() }
        let gazetop = DashboardEndToEndTests.gazetopCommand([
            "challenge", "--device", "sim:\(SharedClip.path)?loop", "--allow-virtual",
            "--sequence", "2,6", "--calibration", calibration, "--result", resultPath, "--ascii"])
        let env = TaskScreenEndToEndTests.stateHomes(folder) + " NO_COLOR=1"
        try tmux.run(["new-session", "-d", "-s", tmux.session, "-x", "\(Self.width)", "-y", "\(Self.height)",
                      "-e", "LANG=C.UTF-8", "\(env); \(gazetop); echo \"gazetop exited $?\"; sleep 600"])
        let running = try tmux.waitFor("the first cell", seconds: 30) { $0.contains(" 1/2  look at cell 2") }
        #expect(running.allSatisfy { $0.isASCII }, "--ascii draws ASCII only:\n\(running)")
        try tmux.keys("q")
        let after = try tmux.waitFor("gazetop to exit", seconds: 20) { $0.contains("gazetop exited") }
        #expect(after.contains("gazetop exited 2") && after.contains("TRY AGAIN - please try again"), "\(after)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: resultPath))) as? [String: Any])
        #expect(json["result"] as? String == "inconclusive", "\(json)")
        #expect(try tmux.state() == "0 1")
    }
}

extension TaskScreenEndToEndTests {
    /// A virtual camera refused (no --allow-virtual) ends in one line on a terminal that never showed the
    /// grid: every byte the pane received is recorded, and none of them enters the alternate screen.
    @Test func aRefusedVirtualCameraNeverOpensTheScreen() throws {
        try #require(FileManager.default.isExecutableFile(atPath: ErrorPathTests.executable))
        let folder = try ErrorPathTests.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let calibration = try Self.writeCalibration(folder)
        let bytes = folder.appendingPathComponent("pane.bytes").path
        let tmux = Tmux()
        defer { tmux.kill() }
        let gazetop = DashboardEndToEndTests.gazetopCommand(["challenge", "--device", "sim:\(SharedClip.path)?loop",
                                                             "--calibration", calibration])
        // Wait for the recording to start before gazetop does.
        let command = "\(Self.stateHomes(folder)); while [ ! -e \(DashboardEndToEndTests.quoted(bytes)) ]; do sleep 0.05; done; "
            + "\(gazetop); echo \"gazetop exited $?\"; sleep 600"
        try tmux.run(["new-session", "-d", "-s", tmux.session, "-x", "\(Self.width)", "-y", "\(Self.height)",
                      "-e", "LANG=C.UTF-8", command])
        try tmux.run(["pipe-pane", "-t", tmux.session, "-o", "cat >> \(DashboardEndToEndTests.quoted(bytes))"])
        let after = try tmux.waitFor("gazetop to exit", seconds: 30) { $0.contains("gazetop exited") }
        // The refusal names the device, so it wraps in the pane at a long checkout path.
        let unwrapped = after.replacingOccurrences(of: "\n", with: "")
        #expect(unwrapped.contains("is a virtual camera") && after.contains("gazetop exited 1"), "\(after)")
        let recorded = try Data(contentsOf: URL(fileURLWithPath: bytes))
        #expect(!recorded.isEmpty)
        #expect(recorded.range(of: Data("\u{1B}[?1049h".utf8)) == nil, "the alternate screen was opened")
    }

    /// Without a UTF-8 locale the grid is refused in one line before anything starts, unless --ascii
    /// (calibrate: exit 13 as the monitor; challenge: 2, its status for any error); Ctrl-C stops a
    /// challenge with the terminal restored (inconclusive, exit 2).
    @Test func aTerminalWithoutUTF8AndCtrlC() throws {
        try #require(FileManager.default.isExecutableFile(atPath: ErrorPathTests.executable))
        let folder = try ErrorPathTests.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let calibration = try Self.writeCalibration(folder)
        let tmux = Tmux()
        defer { tmux.kill() }
        let device = ["--device", "sim:\(SharedClip.path)?loop"]
        let command = DashboardEndToEndTests.gazetopCommand
        let env = TaskScreenEndToEndTests.stateHomes(folder) + " LANG=C LC_ALL=C NO_COLOR=1"
        let script = "\(env); \(command(["calibrate"] + device)); echo \"first exited $?\"; "
            + "\(command(["challenge", "--allow-virtual", "--calibration", calibration] + device)); echo \"second exited $?\"; "
            + "\(command(["challenge", "--allow-virtual", "--calibration", calibration, "--ascii"] + device)); "
            + "echo \"third exited $?\"; sleep 600"
        try tmux.run(["new-session", "-d", "-s", tmux.session, "-x", "\(Self.width)", "-y", "\(Self.height)", script])
        let refused = try tmux.waitFor("two refusals", seconds: 30) { $0.contains("second exited") }
        #expect(refused.components(separatedBy: "the terminal's locale is not UTF-8").count == 3, "\(refused)")
        #expect(refused.contains("first exited 13") && refused.contains("second exited 2"), "\(refused)")
        let running = try tmux.waitFor("the ASCII grid", seconds: 30) { $0.contains("q Esc stop") && $0.contains("+---") }
        #expect(running.allSatisfy { $0.isASCII })
        try tmux.keys("C-c")
        let after = try tmux.waitFor("the third run to end", seconds: 20) { $0.contains("third exited") }
        #expect(after.contains("third exited 2") && after.contains("TRY AGAIN"), "\(after)")
        #expect(try tmux.state() == "0 1")
        #expect(!after.contains("q Esc stop"), "no grid left on the primary screen")
    }
}

/// Whether tmux is on the PATH.
enum TmuxTool {
    static let available = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .contains { FileManager.default.isExecutableFile(atPath: "\($0)/tmux") }
}

/// `g` and `c` in the monitor: the challenge and the calibration take over the dashboard's screen on the
/// same stream, and the dashboard comes back with the result in its status line.
@Suite(.serialized, .enabled(if: SharedClip.available, Comment(rawValue: SharedClip.skipMessage)),
       .enabled(if: TmuxTool.available, "needs tmux (scripts/install-deps.sh installs it)"))
struct MonitorChallengeEndToEndTests {
    @Test func gAndCRunOnTheMonitorsScreenAndComeBack() throws {
        try #require(FileManager.default.isExecutableFile(atPath: ErrorPathTests.executable))
        let folder = try ErrorPathTests.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let calibration = try TaskScreenEndToEndTests.writeCalibration(folder)
        let tmux = DashboardEndToEndTests.Tmux()
        defer { tmux.kill() }
        let gazetop = DashboardEndToEndTests.gazetopCommand(["--device", "sim:\(SharedClip.path)?loop", "--calibration", calibration])
        let env = TaskScreenEndToEndTests.stateHomes(folder) + "; unset NO_COLOR"
        try tmux.run(["new-session", "-d", "-s", tmux.session, "-x", "100", "-y", "30", "-e", "LANG=C.UTF-8",
                      "\(env); \(gazetop); echo \"gazetop exited $?\"; sleep 600"])
        _ = try tmux.waitFor("the dashboard", seconds: 30) { $0.contains("BLINKS") && $0.contains("g liveness") }
        try tmux.keys("g")
        let grid = try tmux.waitFor("the challenge's grid", seconds: 30) { TaskScreenEndToEndTests.header($0) != nil }
        #expect(!grid.contains("BLINKS"), "the grid replaces the dashboard:\n\(grid)")
        let cell = try #require(TaskScreenEndToEndTests.header(grid)?.cell)
        #expect(TaskScreenEndToEndTests.litCell(grid) == cell, "the lit cell is the one named:\n\(grid)")
        let result = try tmux.waitFor("the result", seconds: 40) { $0.contains("F A I L") || $0.contains("P A S S") }
        #expect(result.contains("F A I L"), "the clip's person only looks at the camera:\n\(result)")
        let back = try tmux.waitFor("the dashboard again", seconds: 20) { $0.contains("BLINKS") }
        #expect(back.contains("liveness challenge: FAIL - follow the highlighted cell with your eyes"), "\(back)")
        #expect(try tmux.state() == "1 0", "still on the alternate screen")

        // c: the calibration's dots on the same screen; the clip's eyes do not follow them, so nothing is saved.
        try tmux.keys("c")
        let dot = try tmux.waitFor("a calibration dot", seconds: 30) { $0.contains("CALIBRATING 1/6") && $0.contains("●") }
        #expect(!dot.contains("BLINKS"))
        let again = try tmux.waitFor("the dashboard after calibrating", seconds: 60) { $0.contains("BLINKS") }
        #expect(again.contains("calibration: TRY AGAIN"), "\(again)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/config/gazetop/calibration.json"))
        try tmux.keys("q")
        let after = try tmux.waitFor("gazetop to exit") { $0.contains("gazetop exited") }
        #expect(after.contains("gazetop exited 0"), "\(after)")
        #expect(try tmux.state() == "0 1")
        #expect(!after.contains("┌") && !after.contains("F A I L"), "nothing of the screens left behind:\n\(after)")
    }
}

/// `gazetop calibrate` on a terminal: the dot moves through the cells with the raw values shown, and a
/// fit of eyes that did not follow is refused (try again, exit 1, nothing saved).
@Suite(.serialized, .enabled(if: SharedClip.available, Comment(rawValue: SharedClip.skipMessage)),
       .enabled(if: TmuxTool.available, "needs tmux (scripts/install-deps.sh installs it)"))
struct CalibrateScreenEndToEndTests {
    @Test func calibrationShowsTheDotAndTheRawValues() throws {
        try #require(FileManager.default.isExecutableFile(atPath: ErrorPathTests.executable))
        let folder = try ErrorPathTests.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tmux = DashboardEndToEndTests.Tmux()
        defer { tmux.kill() }
        let gazetop = DashboardEndToEndTests.gazetopCommand(["calibrate", "--device", "sim:\(SharedClip.path)?loop"])
        let env = TaskScreenEndToEndTests.stateHomes(folder) + "; unset NO_COLOR"
        try tmux.run(["new-session", "-d", "-s", tmux.session, "-x", "100", "-y", "30", "-e", "LANG=C.UTF-8",
                      "\(env); \(gazetop); echo \"gazetop exited $?\"; sleep 600"])
        let dot = try tmux.waitFor("the first dot", seconds: 40) { $0.contains("CALIBRATING 1/6") && $0.contains("●") }
        #expect(dot.contains("look at the dot in cell 1"))
        #expect(dot.contains("pupil ") && dot.contains("head yaw"), "the raw values:\n\(dot)")
        // The dot sits in cell 1's box: the left third, the upper half.
        let rows = dot.components(separatedBy: "\n")
        let y = try #require(rows.firstIndex { $0.contains("●") })
        let x = try #require(rows[y].firstIndex(of: "●")).utf16Offset(in: rows[y])
        #expect(y > 2 && y < 15 && x > 0 && x < 33, "the dot at column \(x), row \(y)")
        _ = try tmux.waitFor("the dot in cell 6", seconds: 30) { $0.contains("CALIBRATING 6/6") }
        let after = try tmux.waitFor("gazetop to exit", seconds: 30) { $0.contains("gazetop exited") }
        #expect(after.contains("gazetop exited 1"), "\(after)")
        #expect(after.contains("TRY AGAIN - the eyes did not follow the targets"), "\(after)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/config/gazetop/calibration.json"))
        #expect(try tmux.state() == "0 1")
    }
}
