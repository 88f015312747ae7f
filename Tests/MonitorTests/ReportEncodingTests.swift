import Foundation
import GazeCore
import Monitor
import Testing

@Suite struct ReportEncodingTests {
    /// 12 s at 10 fps: contact in the first 8 s, looking away 2 s, no face 2 s; a blink every 3 s.
    static var report: SessionReport {
        var recorder = SessionRecorder()
        for i in 0..<120 {
            let face = i < 100
            recorder.add(FrameRecord(t: Double(i) * 100, earLeft: nil, earRight: nil, blink: false, eyeContact: i < 80,
                                     eyeContactPct: 0, gazeVector: nil, conf: 0, frame: i, face: face, faces: face ? 1 : 0,
                                     blinkCount: i / 30, eyes: face ? .open : .unknown, headPose: nil, pupilLeft: nil,
                                     pupilRight: nil, ms: 1, raw: nil))
        }
        return recorder.report
    }

    static let context = ReportEncoding.Context(device: "sim:clip \"one\".mp4", startedAt: "2025-01-31T09:15:00Z")

    @Test func jsonParsesWithEveryField() throws {
        let text = ReportEncoding.json(Self.report, Self.context)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["device"] as? String == "sim:clip \"one\".mp4")
        #expect(object["startedAt"] as? String == "2025-01-31T09:15:00Z")
        #expect(object["frames"] as? Int == 120)
        #expect((object["durationSeconds"] as? Double) == 12)
        #expect((object["eyeContactPct"] as? Double).map { abs($0 - 0.667) < 0.0001 } == true)
        #expect((object["faceVisiblePct"] as? Double).map { abs($0 - 83.3) < 0.01 } == true)
        #expect(object["blinks"] as? Int == 3)
        #expect((object["blinksPerMinute"] as? Double).map { abs($0 - 18) < 0.01 } == true, "3 blinks in 10 s with a face")
        #expect((object["longestLookAwaySeconds"] as? Double) == 2)
        let timeline = try #require(object["timeline"] as? [[String: Any]])
        #expect(timeline.count == 12)
        #expect(timeline.map { $0["second"] as? Int } == Array(0..<12))
        #expect(timeline[0]["eyeContactPct"] as? Int == 1 && timeline[9]["eyeContactPct"] as? Int == 0)
        #expect(timeline[11]["faceVisiblePct"] as? Int == 0)
        #expect(timeline.reduce(0) { $0 + ($1["blinks"] as? Int ?? 0) } == 3)
    }

    @Test func anEmptySessionIsStillValidJSON() throws {
        let text = ReportEncoding.json(SessionReport(), Self.context)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["frames"] as? Int == 0)
        #expect(object["eyeContactPct"] is NSNull && object["blinksPerMinute"] is NSNull)
        #expect((object["timeline"] as? [Any])?.isEmpty == true)
    }

    @Test func markdownForPeople() {
        let text = ReportEncoding.markdown(Self.report, Self.context)
        #expect(text.hasPrefix("# gazetop session report\n"))
        #expect(text.contains("- Eye contact: 67% of the time"))
        #expect(text.contains("- Longest look-away: 2.0 s"))
        #expect(text.contains("- Blinks: 3 (18.0 per minute; a resting adult blinks 10-20)"))
        #expect(text.contains("- Face visible: 83% of the time"))
        #expect(text.contains("| 0:00 | 100% | 100% | 0 |"))
        #expect(text.contains("| 0:11 | 0% | 0% | 0 |"))
    }

    @Test func theSummaryPrintedAtTheEnd() {
        let text = ReportEncoding.text(Self.report, Self.context)
        #expect(text.components(separatedBy: "\n") == [
            "gazetop session on sim:clip \"one\".mp4: 12.0 s",
            "  eye contact        67% of the time",
            "  longest look-away  2.0 s",
            "  blinks             3 (18.0 per minute; a resting adult blinks 10-20)",
            "  face visible       83% of the time",
        ])
    }

    @Test(arguments: [("report.md", ReportEncoding.Format.markdown), ("REPORT.MD", .markdown), ("report.json", .json),
                      ("report", .json)])
    func theFileNameChoosesTheFormat(path: String, format: ReportEncoding.Format) {
        #expect(ReportEncoding.Format(path: path) == format)
    }

    @Test func utcNowIsISO8601() {
        #expect(ReportEncoding.utcNow().wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil)
    }
}
