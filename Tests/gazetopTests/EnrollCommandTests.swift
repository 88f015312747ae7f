import Capture
import Foundation
import Testing

/// `gazetop enroll` and the challenge's identity options (`--enrolled`, `--match-photo`) as a kiosk script
/// sees them, on real ZJU clips: state in a scratch folder ($XDG_STATE_HOME).
@Suite(.serialized) struct EnrollCommandTests {
    typealias Scratch = ChallengeCommandTests.Scratch
    static let data = ChallengeCommandTests.data
    static func clip(_ name: String) -> String { data + "/zju-eyeblink/" + name + ".mp4" }
    static var haveData: Bool { FileManager.default.fileExists(atPath: clip("2_000001M_FNN")) }
    /// The face-matching models in the checkout's models/ (`make face-models`).
    static var haveModels: Bool {
        let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("models/dlib_face_recognition_resnet_model_v1.dat").path
        return FileManager.default.fileExists(atPath: models)
    }

    func run(_ arguments: [String], _ scratch: Scratch) throws -> ErrorPathTests.Run {
        try #require(FileManager.default.isExecutableFile(atPath: ErrorPathTests.executable), "no gazetop built")
        return try ErrorPathTests.run(arguments, environment: scratch.environment)
    }

    func expectOneLine(_ r: ErrorPathTests.Run, status: Int32, containing: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == status, "status \(r.status), stderr \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.hasPrefix("gazetop: ") && r.stderr.hasSuffix("\n") && r.stderr.dropLast().firstIndex(of: "\n") == nil,
                "\(r.stderr.debugDescription)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(containing), "\(r.stderr)", sourceLocation: sourceLocation)
    }

    /// The generic mapping as a saved calibration, so a 5 s clip reaches its cells (1 s each).
    static func calibration(_ scratch: Scratch) throws -> String {
        let path = scratch.path("calibration.json")
        try Data("""
            {"version": 1, "created": "2026-01-01T00:00:00Z", "right": [0, -45, 0, -1, 0], "up": [0, 0, -120, 0, 1],
             "rms_error_deg": 0, "frames": 0}
            """.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Scores `input` as a recording of the challenge 2,4 (1 s a cell, get ready from 0.5 s) with `identity`
    /// options; returns the exit status and the result's identity checks by name.
    func challenge(_ input: String, _ identity: [String], _ scratch: Scratch) throws -> (Int32, [String: Bool], [String: Any]) {
        let result = scratch.path("result.json")
        try? FileManager.default.removeItem(atPath: result)
        let r = try run(["challenge", "--input", input, "--sequence", "2,4", "--area-duration", "1", "--start", "0.5",
                         "--calibration", try Self.calibration(scratch), "--result", result] + identity, scratch)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: result))) as? [String: Any],
                                "\(r.stderr)")
        let checks = (json["checks"] as? [[String: Any]] ?? []).reduce(into: [String: Bool]()) {
            if let name = $1["name"] as? String, let passed = $1["passed"] as? Bool { $0[name] = passed }
        }
        return (r.status, checks, json)
    }

    // MARK: Usage and errors, no data needed

    @Test("Bad usage is one line and exit 64", arguments: [
        ([], "give a NAME"),
        (["al"], "needs at least one photo"),
        (["--list", "al"], "take no NAME"),
        (["--list", "--remove", "al"], "exclude each other"),
        (["al", "x.jpg", "--bogus"], "--bogus"),
    ])
    func badUsage(arguments: [String], says: String) throws {
        let scratch = try ChallengeCommandTests.scratch()
        defer { scratch.remove() }
        expectOneLine(try run(["enroll"] + arguments, scratch), status: 64, containing: says)
    }

    @Test func nobodyEnrolledListsNothingAndRemovingThemIsAnError() throws {
        let scratch = try ChallengeCommandTests.scratch()
        defer { scratch.remove() }
        let list = try run(["enroll", "--list"], scratch)
        #expect(list.status == 0 && list.stdout.isEmpty && list.stderr.isEmpty)
        expectOneLine(try run(["enroll", "--remove", "al"], scratch), status: 3, containing: "no one is enrolled as 'al'")
        let r = try run(["challenge", "--enrolled", "al", "--input", "/no/such/clip.mp4", "--sequence", "1,2"], scratch)
        if Self.haveModels {
            expectOneLine(r, status: 2, containing: "no one is enrolled as 'al'")
        }
        expectOneLine(try run(["challenge", "--enrolled", "al", "--match-photo", "x.jpg"], scratch), status: 2,
                      containing: "exclude each other")
    }

    /// A person in enrolled.json without a photo (a hand-edited file) must not turn `enrolled_person` off:
    /// the challenge refuses to start (before the fix it ran without the check and anyone passed).
    @Test func aPersonEnrolledWithoutAPhotoIsAnErrorNotAnyone() throws {
        let scratch = try ChallengeCommandTests.scratch()
        defer { scratch.remove() }
        let folder = scratch.path("state/gazetop")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(#"{"version": 1, "people": [{"name": "al", "enrolled_at": "2026-01-01T00:00:00Z", "photos": []}]}"#.utf8)
            .write(to: URL(fileURLWithPath: folder + "/enrolled.json"))
        #expect(try run(["enroll", "--list"], scratch).stdout.hasPrefix("al\t0 photos"))
        guard Self.haveModels else { return }
        expectOneLine(try run(["challenge", "--enrolled", "al", "--input", "/no/such/clip.mp4", "--sequence", "1,2"], scratch),
                      status: 2, containing: "'al' is enrolled without a photo")
    }

    // MARK: Real faces

    @Test(.enabled(if: EnrollCommandTests.haveData, "needs ../shared/data"),
          .enabled(if: EnrollCommandTests.haveModels, "face-matching models absent from models/: run make face-models"))
    func aPhotoWithoutOneClearFaceRefusesTheEnrolment() throws {
        let scratch = try ChallengeCommandTests.scratch()
        defer { scratch.remove() }
        let noFace = try #require(try FileManager.default.contentsOfDirectory(atPath: Self.data + "/noface").sorted().first)
        let empty = Self.data + "/noface/" + noFace
        let two = Self.data + "/faces/2008_001009.jpg"
        let good = Self.clip("1_000001M_FBN")
        expectOneLine(try run(["enroll", "al", good, empty], scratch), status: 3, containing: "\(empty): no face found; nothing enrolled")
        expectOneLine(try run(["enroll", "al", two], scratch), status: 3, containing: "\(two): 2 faces")
        expectOneLine(try run(["enroll", "al", scratch.path("missing.jpg")], scratch), status: 3, containing: "missing.jpg")
        #expect(try run(["enroll", "--list"], scratch).stdout.isEmpty, "a refused enrolment keeps nothing")
        // A photo without a face for --match-photo: the challenge does not start.
        expectOneLine(try run(["challenge", "--match-photo", empty, "--input", good, "--sequence", "1,2"], scratch), status: 2,
                      containing: "\(empty): no face found")
    }

    /// Person 1 enrolled from one clip passes `enrolled_person` on another clip of theirs; person 2's clip
    /// fails it. (The clips' person looks at the camera, so the gaze checks fail either way: the challenge
    /// fails, and the identity checks are read from the result.)
    @Test(.enabled(if: EnrollCommandTests.haveData, "needs ../shared/data"),
          .enabled(if: EnrollCommandTests.haveModels, "face-matching models absent from models/: run make face-models"))
    func anEnrolledPersonIsRecognisedOnAnotherClipAndSomeoneElseIsNot() throws {
        let scratch = try ChallengeCommandTests.scratch()
        defer { scratch.remove() }
        let enrolled = try run(["enroll", "person1", Self.clip("1_000001M_FBN")], scratch)
        #expect(enrolled.status == 0 && enrolled.stderr == "gazetop: enrolled person1 from 1 input\n", "\(enrolled.stderr)")
        let list = try run(["enroll", "--list"], scratch)
        #expect(list.stdout.hasPrefix("person1\t1 photo\tenrolled "), "\(list.stdout)")

        let (_, same, json) = try challenge(Self.clip("2_000001M_FNN"), ["--enrolled", "person1"], scratch)
        #expect(same["enrolled_person"] == true && same["same_person"] == true, "\(json)")
        let identity = try #require(json["identity"] as? [String: Any])
        #expect(identity["enrolled"] as? String == "person1")
        let descriptors = try #require(identity["descriptors"] as? Int)
        // Ready, the two cells, once more near the end: a handful, not one a frame (their time is wall-clock
        // and not asserted on: it depends on the machine's load).
        #expect(descriptors == 4, "\(identity)")
        #expect(identity["descriptor_time"] is Double)

        let (status, other, _) = try challenge(Self.clip("6_000002M_FNN"), ["--enrolled", "person1"], scratch)
        #expect(status == 1)
        #expect(other["enrolled_person"] == false && other["same_person"] == true, "\(other)")

        expectOneLine(try run(["enroll", "--remove", "person1"], scratch), status: 0, containing: "removed person1")
        #expect(try run(["enroll", "--list"], scratch).stdout.isEmpty)
    }

    /// Writes the frames of `clip` from `from` up to `to` into `folder` as numbered grey PGMs from `index` on
    /// (lossless: the grey the pipeline would have decoded); returns the next index.
    static func writeFrames(of clip: String, from: Int, to: Int, into folder: String, startingAt index: Int) throws -> Int {
        let source = try VideoFileSource(path: clip)
        var next = index
        while let frame = try source.nextFrame(), frame.sequence < to {
            guard frame.sequence >= from else { continue }
            var data = Data("P5\n\(frame.width) \(frame.height)\n255\n".utf8)
            data.append(contentsOf: frame.gray)
            try data.write(to: URL(fileURLWithPath: folder + String(format: "/%04d.pgm", next)))
            next += 1
        }
        return next
    }

    /// A swap of people between cells: the first 2.5 s of person 1's clip (get ready from 0.5 s, the first
    /// cell from about 1.5 s), then person 2's clip from the same moment on. `same_person` fails; the same
    /// frames of person 1 alone pass it.
    @Test(.enabled(if: EnrollCommandTests.haveData, "needs ../shared/data"),
          .enabled(if: EnrollCommandTests.haveModels, "face-matching models absent from models/: run make face-models"))
    func aSwapOfPeopleMidChallengeFailsSamePerson() throws {
        let scratch = try ChallengeCommandTests.scratch()
        defer { scratch.remove() }
        #expect(try run(["enroll", "person1", Self.clip("1_000001M_FBN")], scratch).status == 0)
        let spliced = scratch.path("spliced"), alone = scratch.path("alone")
        for folder in [spliced, alone] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let a = Self.clip("2_000001M_FNN"), b = Self.clip("6_000002M_FNN")
        let split = try Self.writeFrames(of: a, from: 0, to: 75, into: spliced, startingAt: 0)
        _ = try Self.writeFrames(of: b, from: 75, to: 150, into: spliced, startingAt: split)
        _ = try Self.writeFrames(of: a, from: 0, to: 150, into: alone, startingAt: 0)

        let (status, swapped, json) = try challenge(spliced, ["--enrolled", "person1"], scratch)
        #expect(status == 1)
        #expect(swapped["same_person"] == false, "\(json)")
        #expect(json["reason"] as? String != nil)
        let (_, honest, control) = try challenge(alone, ["--enrolled", "person1"], scratch)
        #expect(honest["same_person"] == true && honest["enrolled_person"] == true, "\(control)")
        // With a photo of person 2 instead of an enrolment: the swap fails same_person all the same.
        let (_, photo, _) = try challenge(spliced, ["--match-photo", Self.clip("7_000002M_FTN")], scratch)
        #expect(photo["same_person"] == false)
    }
}
