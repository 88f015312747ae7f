import Foundation
import GazeCore
import Testing
@testable import Evaluation

/// The eye-contact label format and its scoring.
@Suite struct EyeContactLabelsTests {
    @Test func parsesRangesAndIgnoresOtherKeys() throws {
        let text = """
            {"about": "x", "clips": [{"file": "a/b_FNN.mp4", "frames": 10, "contact": [[0, 3], [6, 6]], "away": [[8, 9]]},
                                     {"file": "c.mp4", "away": [[1, 2]]}]}
            """
        let entries = try EyeContactLabels.parse(Data(text.utf8), name: "t")
        #expect(entries == [.init(file: "a/b_FNN.mp4", contact: [0...3, 6...6], away: [8...9]),
                            .init(file: "c.mp4", contact: [], away: [1...2])])
    }

    @Test("Bad label files are refused with the reason", arguments: [
        ("[]", "not a JSON object"),
        ("{}", "no \"clips\" list"),
        ("{\"clips\": []}", "no clips"),
        ("{\"clips\": [{\"contact\": []}]}", "has no \"file\""),
        ("{\"clips\": [{\"file\": \"a\", \"contact\": [[3, 1]]}]}", "bad \"contact\" range"),
        ("{\"clips\": [{\"file\": \"a\", \"contact\": [[-1, 1]]}]}", "bad \"contact\" range"),
        ("{\"clips\": [{\"file\": \"a\", \"away\": [[0.5, 1]]}]}", "bad \"away\" range"),
        ("{\"clips\": [{\"file\": \"a\", \"away\": 3}]}", "is not a list"),
        ("{\"clips\": [{\"file\": \"a\", \"contact\": [[0, 5]], \"away\": [[5, 6]]}]}", "both contact and away"),
    ])
    func refusesBadFiles(text: String, reason: String) {
        #expect(throws: AnnotationError.self) { try EyeContactLabels.parse(Data(text.utf8), name: "t") }
        do { _ = try EyeContactLabels.parse(Data(text.utf8), name: "t") } catch {
            #expect(error.description.contains(reason), "\(error.description)")
        }
    }

    @Test func recordingsAreFoundBesideTheFileOrAboveIt() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gazetop-labels-\(getpid())")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("labels"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("clips"), withIntermediateDirectories: true)
        try Data().write(to: root.appendingPathComponent("clips/x_FTN.mp4"))
        let file = root.appendingPathComponent("labels/l.json")
        try Data("{\"clips\": [{\"file\": \"clips/x_FTN.mp4\", \"contact\": [[0, 1]]}]}".utf8).write(to: file)
        let clips = try EyeContactLabels.load(path: file.path)
        #expect(clips.map(\.videoPath) == [root.appendingPathComponent("clips/x_FTN.mp4").path])
        #expect(clips[0].condition == "FTN" && clips[0].name == "x_FTN")
        try Data("{\"clips\": [{\"file\": \"clips/missing.mp4\", \"contact\": [[0, 1]]}]}".utf8).write(to: file)
        #expect(throws: AnnotationError.self) { try EyeContactLabels.load(path: file.path) }
        #expect(throws: AnnotationError.self) { try EyeContactLabels.load(path: root.appendingPathComponent("none.json").path) }
    }

    static func record(_ frame: Int, contact: Bool, right: Double? = nil, up: Double? = nil) -> FrameRecord {
        let raw = right.map { r in
            RawMeasures(openness: 1, openAspectRatio: nil, closingAspectRatio: nil, irisHeight: 0.3, contrastLeft: 0,
                        contrastRight: 0, pupilOffsetLeft: Point(x: 0, y: 0), pupilOffsetRight: Point(x: 0, y: 0),
                        gazeRightDeg: r, gazeUpDeg: up, faceWidth: 100, frameLevel: 100)
        }
        return FrameRecord(t: Double(frame) * 33, earLeft: nil, earRight: nil, blink: false, eyeContact: contact,
                           eyeContactPct: 0, gazeVector: nil, conf: 0, frame: frame, face: true, faces: 1, blinkCount: 0,
                           eyes: .open, headPose: nil, pupilLeft: nil, pupilRight: nil, ms: 0, raw: raw)
    }

    @Test func scoresLabelledFramesOnly() {
        let clip = EyeContactClip(file: "v.mp4", videoPath: "v.mp4", contact: [0...3], away: [6...7])
        // Frames 0-3 contact (three in eye contact), 4-5 unlabelled (ignored), 6-7 away (one in eye
        // contact), frame 7 has no record at all (counts as not in eye contact).
        let records = [Self.record(0, contact: true, right: 1, up: -2), Self.record(1, contact: true, right: 3, up: 0),
                       Self.record(2, contact: false, right: 20, up: 4), Self.record(3, contact: true),
                       Self.record(4, contact: true), Self.record(5, contact: true), Self.record(6, contact: true)]
        let s = EyeContactEvaluation.score(clip, records: records)
        #expect(s.contactFrames == 4 && s.contactHits == 3 && s.contactShare == 0.75)
        #expect(s.awayFrames == 2 && s.awayHits == 1 && s.awayShare == 0.5)
        #expect(s.contactGaze.count == 3)
        #expect(s.rightDeg == Spread([1, 3, 20]) && s.rightDeg?.median == 3 && s.upDeg?.median == 0)
        #expect(EyeContactScore().contactShare == nil && EyeContactScore().awayShare == nil)
    }

    @Test func spreadIsTheMedianAndQuartiles() throws {
        let s = try #require(Spread([4, 1, 3, 2, 5]))
        #expect(s.median == 3 && s.lowerQuartile == 2 && s.upperQuartile == 4 && s.width == 2)
        let even = try #require(Spread([1, 2, 3, 4]))
        #expect(even.median == 2.5 && even.lowerQuartile == 1.75)
        #expect(Spread([]) == nil)
    }
}
