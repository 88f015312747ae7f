import Testing
@testable import GazeCore

@Suite struct SessionRecorderTests {
    static func record(_ t: Double, face: Bool = true, contact: Bool = false, blinks: Int = 0) -> FrameRecord {
        FrameRecord(t: t, earLeft: nil, earRight: nil, blink: false, eyeContact: contact, eyeContactPct: 0, gazeVector: nil,
                    conf: 0, frame: Int(t / 100), face: face, faces: face ? 1 : 0, blinkCount: blinks,
                    eyes: face ? .open : .unknown, headPose: nil, pupilLeft: nil, pupilRight: nil, ms: 1, raw: nil)
    }

    @Test func oneTimelineEntryPerSecondWithItsShares() {
        var r = SessionRecorder()
        // Second 0: 10 frames, 5 in contact. Second 1: 10 frames, no face in 4, one blink.
        for i in 0..<10 { r.add(Self.record(Double(i) * 100, contact: i < 5)) }
        for i in 10..<20 { r.add(Self.record(Double(i) * 100, face: i >= 14, blinks: i >= 15 ? 1 : 0)) }
        let t = r.report.timeline
        #expect(t.map(\.second) == [0, 1])
        #expect(t[0].frames == 10 && t[0].eyeContactShare == 0.5 && t[0].faceShare == 1 && t[0].blinks == 0)
        #expect(t[1].faceShare == 0.6 && t[1].eyeContactShare == 0 && t[1].blinks == 1)
    }

    @Test func entryIIsAlwaysSecondIEvenWithoutFrames() {
        var r = SessionRecorder()
        r.add(Self.record(0))
        r.add(Self.record(3500))
        let t = r.report.timeline
        #expect(t.map(\.second) == [0, 1, 2, 3])
        #expect(t[1].frames == 0 && t[1].faceShare == nil && t[1].eyeContactShare == nil)
    }

    @Test func theTotalsAreSessionStats() {
        var r = SessionRecorder()
        var s = SessionStats()
        for i in 0..<50 {
            let rec = Self.record(Double(i) * 100 + 1234, face: i % 7 != 0, contact: i % 3 == 0, blinks: i / 10)
            r.add(rec)
            s.add(rec)
        }
        #expect(r.report.stats == s)
        #expect(r.report.timeline.reduce(0) { $0 + $1.blinks } == s.blinkCount)
        #expect(r.report.timeline.reduce(0) { $0 + $1.frames } == 50)
    }
}
