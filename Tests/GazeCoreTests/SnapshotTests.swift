import Testing
@testable import GazeCore

/// The words and states the dashboard shows: gaze direction, the banner's state, timeline slots, blink rates.
@Suite struct SnapshotTests {
    @Test(arguments: [
        (right: -20.0, up: 0.0, words: "to your left"),
        (right: 20.0, up: 2.0, words: "to your right"),
        (right: 1.0, up: 15.0, words: "up"),
        (right: -3.0, up: -25.0, words: "down"),
        (right: -12.0, up: 10.0, words: "up and to your left"),
        (right: 0.0, up: 0.0, words: "away"),
    ])
    func directionWords(right: Double, up: Double, words: String) {
        #expect(GazeDirection(rightDeg: right, upDeg: up).words == words)
    }

    static func record(face: Bool = true, faces: Int = 1, eyes: EyeState = .open, contact: Bool = false,
                       gaze: [Double]? = [0.5, 0]) -> FrameRecord {
        FrameRecord(t: 0, earLeft: nil, earRight: nil, blink: eyes == .blink, eyeContact: contact, eyeContactPct: 0,
                    gazeVector: face ? gaze : nil, conf: 0, frame: 0, face: face, faces: faces, blinkCount: 0, eyes: eyes,
                    headPose: nil, pupilLeft: nil, pupilRight: nil, ms: 0, raw: nil)
    }

    @Test func gazeStates() {
        let right = GazeDirection(horizontal: .right, vertical: nil)
        #expect(GazeState(Self.record(contact: true), previous: .starting, fullScaleDeg: 40) == .contact)
        #expect(GazeState(Self.record(), previous: .contact, fullScaleDeg: 40) == .away(right))
        #expect(GazeState(Self.record(face: false, faces: 0, eyes: .unknown), previous: .contact, fullScaleDeg: 40) == .noFace)
        #expect(GazeState(Self.record(eyes: .closed), previous: .contact, fullScaleDeg: 40) == .eyesClosed)
        #expect(GazeState(Self.record(faces: 3, contact: true), previous: .starting, fullScaleDeg: 40)
            == .manyFaces(count: 3, following: .contact))
    }

    /// A blink does not break the word shown: the state before it holds.
    @Test(arguments: [GazeState.contact, .away(GazeDirection(horizontal: .left, vertical: nil)), .starting])
    func aBlinkKeepsTheStateBeforeIt(previous: GazeState) {
        let now = GazeState(Self.record(eyes: .blink), previous: previous, fullScaleDeg: 40)
        #expect(now == (previous == .starting ? .eyesClosed : previous))
    }

    @Test(arguments: [
        (TimelineSecond(), TimelineSecond.Kind.empty),
        (TimelineSecond(contactFrames: 20, awayFrames: 10), .contact),
        (TimelineSecond(contactFrames: 10, awayFrames: 10), .away),
        (TimelineSecond(contactFrames: 10, awayFrames: 5, noFaceFrames: 10), .noFace),
    ])
    func timelineSlots(slot: TimelineSecond, kind: TimelineSecond.Kind) {
        #expect(slot.dominant == kind)
    }

    @Test func blinkRates() {
        let d = DashboardConfig()
        #expect(BlinkRate(perMinute: nil, config: d) == .unknown)
        #expect(BlinkRate(perMinute: d.lowBlinksPerMinute - 1, config: d) == .farBelow)
        #expect(BlinkRate(perMinute: 15, config: d) == .usual)
        #expect(BlinkRate(perMinute: d.highBlinksPerMinute + 1, config: d) == .farAbove)
    }
}
