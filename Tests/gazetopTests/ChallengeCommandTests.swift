import Foundation
import Testing

/// `gazetop challenge` and `gazetop calibrate` as a kiosk script sees them: exit 0 pass, 1 fail, 2
/// inconclusive or any error with one line on stderr; the result file whole or not at all; session ids
/// and lockout kept between runs. State and config go to a scratch folder ($XDG_STATE_HOME,
/// $XDG_CONFIG_HOME).
@Suite(.serialized) struct ChallengeCommandTests {
    static let data: String = {
        let here = URL(fileURLWithPath: #filePath)
        return here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/data").standardizedFileURL.path
    }()
    static let clip = data + "/zju-eyeblink/2_000001M_FNN.mp4"
    static var haveClip: Bool { FileManager.default.fileExists(atPath: clip) }

    struct Scratch {
        let folder: URL
        var environment: [String: String] {
            ["XDG_STATE_HOME": folder.appendingPathComponent("state").path,
             "XDG_CONFIG_HOME": folder.appendingPathComponent("config").path]
        }
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    static func scratch() throws -> Scratch { Scratch(folder: try ErrorPathTests.scratch()) }

    func run(_ arguments: [String], _ scratch: Scratch) throws -> ErrorPathTests.Run {
        try #require(FileManager.default.isExecutableFile(atPath: ErrorPathTests.executable), "no gazetop built")
        return try ErrorPathTests.run(arguments, environment: scratch.environment)
    }

    func expectOneLine(_ r: ErrorPathTests.Run, status: Int32, containing: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == status, "status \(r.status), stderr \(r.stderr)", sourceLocation: sourceLocation)
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty && r.stderr.hasPrefix("gazetop: "), "\(r.stderr.debugDescription)",
                sourceLocation: sourceLocation)
        #expect(r.stderr.contains(containing), "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stdout.isEmpty, sourceLocation: sourceLocation)
    }

    @Test("Bad usage is one line and exit 2, and writes no result", arguments: [
        (["--sequence", "3,3,1"], "twice in a row"),
        (["--sequence", "1,9"], "\"9\" is not one"),
        (["--threshold", "1.5"], "--threshold"),
        (["--reaction", "4"], "--reaction"),
        (["--bogus"], "--bogus"),
        (["--input", "/no/such/clip.mp4"], "--input needs --sequence"),
        (["--input", "/no/such/clip.mp4", "--sequence", "1,2"], "/no/such/clip.mp4"),
        (["--calibration", "/no/such/calibration.json", "--no-calibration"], "exclude each other"),
        (["--session", "nope", "--allow-virtual", "--device", "sim:/no/such.mp4"], "session nope was never issued"),
        (["--model", "/no/such/model.dat", "--device", "sim:/no/such.mp4"], "model"),
    ])
    func badUsage(arguments: [String], says: String) throws {
        let scratch = try Self.scratch()
        defer { scratch.remove() }
        let r = try run(["challenge"] + arguments + ["--result", scratch.path("result.json")], scratch)
        expectOneLine(r, status: 2, containing: says)
        #expect(!FileManager.default.fileExists(atPath: scratch.path("result.json")))
    }

    @Test(.enabled(if: ChallengeCommandTests.haveClip, "needs ../shared/data"))
    func aVirtualCameraIsRefusedUnlessAllowedAndTheResultSaysWhy() throws {
        let scratch = try Self.scratch()
        defer { scratch.remove() }
        let result = scratch.path("result.json")
        let r = try run(["challenge", "--device", "sim:\(Self.clip)?pace=demand&loop", "--result", result], scratch)
        #expect(r.status == 1)
        #expect(r.stderr.contains("virtual camera") && r.stderr.contains("--allow-virtual"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: result))) as? [String: Any])
        #expect(json["result"] as? String == "fail")
        #expect(json["failed_checks"] as? [String] == ["virtual_camera"])
        #expect((json["camera"] as? [String: Any])?["virtual"] as? Bool == true)
    }

    @Test(.enabled(if: ChallengeCommandTests.haveClip, "needs ../shared/data"))
    func aPersonWhoOnlyLooksAtTheCameraFails() throws {
        let scratch = try Self.scratch()
        defer { scratch.remove() }
        let result = scratch.path("result.json")
        let r = try run(["challenge", "--allow-virtual", "--device", "sim:\(Self.clip)?pace=demand&loop", "--size", "320x240",
                         "--sequence", "3,1,5", "--result", result], scratch)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.hasSuffix("FAIL - follow the highlighted cell with your eyes\n"), "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: result))) as? [String: Any])
        #expect(json["sequence"] as? [Int] == [3, 1, 5])
        #expect((json["failed_checks"] as? [String])?.contains("calibration") == true)
        #expect((json["session_id"] as? String)?.count == 32)
        #expect((json["camera"] as? [String: Any])?["format"] as? String == "YUYV 320x240 @ 30 fps")
    }

    @Test(.enabled(if: ChallengeCommandTests.haveClip, "needs ../shared/data"))
    func aSessionRunsOnceAndFailuresLockOut() throws {
        let scratch = try Self.scratch()
        defer { scratch.remove() }
        let issued = try run(["challenge", "--new-session", "--ttl", "60"], scratch)
        #expect(issued.status == 0)
        let id = issued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.count == 32 && id.allSatisfy(\.isHexDigit), "\(id)")
        let device = ["--allow-virtual", "--device", "sim:\(Self.clip)?pace=demand&loop", "--size", "320x240"]
        let first = try run(["challenge", "--session", id, "--max-failures", "2", "--lockout", "600"] + device, scratch)
        #expect(first.status == 1, "\(first.stderr)")
        // The same id again: refused.
        expectOneLine(try run(["challenge", "--session", id] + device, scratch), status: 2, containing: "already used")
        // An expired id.
        let short = try run(["challenge", "--new-session", "--ttl", "0.001"], scratch).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        usleep(20_000)
        expectOneLine(try run(["challenge", "--session", short] + device, scratch), status: 2, containing: "expired")
        // A second failure in a row with --max-failures 2: locked out (refused runs neither count nor clear).
        let second = try run(["challenge", "--max-failures", "2", "--lockout", "600"] + device, scratch)
        #expect(second.status == 1, "\(second.stderr)")
        expectOneLine(try run(["challenge"] + device, scratch), status: 2, containing: "locked")
    }

    @Test(.enabled(if: ChallengeCommandTests.haveClip, "needs ../shared/data"))
    func aRecordingIsScoredOffline() throws {
        let scratch = try Self.scratch()
        defer { scratch.remove() }
        let result = scratch.path("result.json")
        // The generic mapping as a saved calibration, so the 5 s clip reaches its cells (1 s each).
        let calibration = scratch.path("calibration.json")
        try Data("""
            {"version": 1, "created": "2026-01-01T00:00:00Z", "right": [0, -45, 0, -1, 0], "up": [0, 0, -120, 0, 1],
             "rms_error_deg": 0, "frames": 0}
            """.utf8).write(to: URL(fileURLWithPath: calibration))
        let r = try run(["challenge", "--input", Self.clip, "--sequence", "2,4", "--area-duration", "1", "--start", "0.5",
                         "--calibration", calibration, "--result", result], scratch)
        // The clip's person looks at the camera, never at the cells: the eyes neither turn nor carry the lids.
        #expect(r.status == 1, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: result))) as? [String: Any])
        #expect((json["input"] as? [String: Any])?["start"] as? Double == 0.5)
        #expect(json["camera"] == nil)
        #expect(json["failed_checks"] as? [String] == ["eye_in_head", "lid_follows_gaze", "gaze_accuracy", "cell_accuracy"], "\(json)")
        #expect((json["calibration"] as? [String: Any])?["file"] as? String == calibration)
        // Without a calibration the clip ends during the short one: inconclusive.
        let short = try run(["challenge", "--input", Self.clip, "--sequence", "2,4", "--result", result], scratch)
        #expect(short.status == 2 && short.stderr.hasSuffix("TRY AGAIN - please try again\n"), "\(short.stderr)")
    }

    @Test(.enabled(if: ChallengeCommandTests.haveClip, "needs ../shared/data"))
    func calibrateDoesNotSaveAFitOfEyesThatDidNotFollow() throws {
        let scratch = try Self.scratch()
        defer { scratch.remove() }
        let out = scratch.path("calibration.json")
        let r = try run(["calibrate", "--device", "sim:\(Self.clip)?pace=demand&loop", "--size", "320x240"], scratch)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.hasSuffix("TRY AGAIN - the eyes did not follow the targets\n"), "\(r.stderr)")
        let offline = try run(["calibrate", "--input", Self.clip, "--output", out], scratch)
        #expect(offline.status == 1, "the clip ends before the six dots: \(offline.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("config/gazetop/calibration.json")))
        let usage = try run(["calibrate", "--input", Self.clip], scratch)
        #expect(usage.status == 64 && usage.stderr.contains("--output"))
    }

    /// Where calibrate saves is checked before anything else, as challenge's --result is: a bad path must
    /// not cost the person the session. (The camera here does not exist: checked after the session, or
    /// after opening the camera, the run would fail on the camera instead.)
    @Test func calibrateChecksWhereItSavesFirst() throws {
        let scratch = try Self.scratch()
        defer { scratch.remove() }
        let r = try run(["calibrate", "--device", scratch.path("no-such-camera"), "--output", scratch.path("no/such/folder/c.json")],
                        scratch)
        expectOneLine(r, status: 5, containing: "cannot write \(scratch.path("no/such/folder/c.json"))")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("no")), "a folder the user did not ask for was made")
    }

    /// A result that cannot be written (ENOSPC: /dev/full, as on a full disk) is an error, not a pass or a fail.
    @Test(.enabled(if: ChallengeCommandTests.haveClip, "needs ../shared/data"))
    func aResultOnAFullDiskIsAnError() throws {
        let scratch = try Self.scratch()
        defer { scratch.remove() }
        let r = try run(["challenge", "--input", Self.clip, "--sequence", "1,2", "--area-duration", "1", "--result", "/dev/full"],
                        scratch)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.hasSuffix("gazetop: cannot write /dev/full: No space left on device\n"), "\(r.stderr)")
    }
}
