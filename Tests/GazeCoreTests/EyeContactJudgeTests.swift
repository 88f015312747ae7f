import Testing
@testable import GazeCore

/// Eye contact with hysteresis: enter within `enterConeDeg` (10), stay until beyond `leaveConeDeg` (13).
/// Gazes are Pythagorean so the off-axis angle is exact: (6, 8) is 10 degrees, (5, 12) is 13.
@Suite struct EyeContactJudgeTests {
    struct Frame: CustomStringConvertible {
        var gaze: GazeAngles?
        var eyesOpen = true
        var expected: Bool
        var description: String { "\(gaze.map { "\($0.offAxisDeg)" } ?? "no gaze") open=\(eyesOpen)" }
    }

    static func at(_ right: Double, _ up: Double, open: Bool = true, _ expected: Bool) -> Frame {
        Frame(gaze: GazeAngles(rightDeg: right, upDeg: up), eyesOpen: open, expected: expected)
    }

    static func check(_ frames: [Frame], config: EyeContactConfig = EyeContactConfig()) {
        var judge = EyeContactJudge(config: config)
        for (i, f) in frames.enumerated() {
            let got = judge.update(gaze: f.gaze, eyesOpen: f.eyesOpen)
            #expect(got == f.expected, "frame \(i): \(f)")
            #expect(judge.inContact == got)
        }
    }

    @Test func entersWithinTheEnterCone() {
        Self.check([
            Self.at(0, 11, false),   // 11: outside the entry cone
            Self.at(6, 8, true),     // 10: on its edge counts
            Self.at(0, 0, true),
        ])
    }

    @Test func staysUntilBeyondTheLeaveCone() {
        Self.check([
            Self.at(-6, -8, true),   // 10: enters
            Self.at(0, 12, true),    // 12: stays
            Self.at(-5, 12, true),   // 13: on the leave edge, stays
            Self.at(0, 13.01, false), // beyond: leaves
            Self.at(12, 0, false),   // 12: within the leave cone, but entering needs 10
            Self.at(0, 10.5, false),
            Self.at(8, -6, true),    // 10: back in
        ])
    }

    @Test func needsOpenEyes() {
        Self.check([
            Self.at(0, 0, open: false, false),
            Self.at(0, 0, true),
            Self.at(0, 0, open: false, false), // a blink ends it...
            Self.at(0, 12, false),             // ...so 12 degrees afterwards does not resume it
            Self.at(0, 9, true),
        ])
    }

    @Test func needsAGaze() {
        Self.check([
            Self.at(0, 0, true),
            Frame(gaze: nil, expected: false),
            Frame(gaze: nil, eyesOpen: false, expected: false),
            Self.at(0, 11, false), // no face in between: entering again needs the entry cone
            Self.at(3, 4, true),
        ])
    }

    @Test func coneFollowsTheConfiguration() {
        var config = EyeContactConfig()
        config.enterConeDeg = 5
        config.leaveConeDeg = 20
        Self.check([
            Self.at(6, 0, false),
            Self.at(3, 4, true),
            Self.at(12, 16, true), // 20
            Self.at(0, 20.5, false),
        ], config: config)
    }

    @Test func resetEndsContact() {
        var judge = EyeContactJudge()
        let before = judge.update(gaze: GazeAngles(rightDeg: 0, upDeg: 0), eyesOpen: true)
        #expect(before)
        judge.reset()
        #expect(!judge.inContact)
        let after = judge.update(gaze: GazeAngles(rightDeg: 0, upDeg: 12), eyesOpen: true)
        #expect(!after)
    }
}
