import Testing
@testable import GazeCore

/// `blink_profile`, `eye_in_head` and the random calibration plan on hand-built inputs.
@Suite struct BlinkProfileTests {
    /// The generic head's landmarks with both eyes' lids at `open` (1 open, 0 shut), the head pitched.
    static func face(open: Double, pitchDeg: Double = 0, flat: Bool = false) -> Landmarks {
        var rng = SeededGenerator(seed: 5)
        var l = HeadModel(flat: flat).landmarks(yawDeg: 0, pitchDeg: pitchDeg, rng: &rng)
        for eye in [36, 42] {
            let mid = (l.points[eye].y + l.points[eye + 3].y) / 2
            for i in [eye + 1, eye + 2, eye + 4, eye + 5] { l.points[i].y = mid + (l.points[i].y - mid) * open }
        }
        return l
    }

    /// A tally fed 30 fps frames of `openings`, the blink counted at `countedAt`.
    static func tally(_ openings: [Double], countedAt: Int, pitch: [Double]? = nil, flat: Bool = false) -> BlinkProfileTally {
        var t = BlinkProfileTally()
        for (i, o) in openings.enumerated() {
            t.add(timeMs: Double(i) * 1000 / 30, landmarks: face(open: o, pitchDeg: pitch?[i] ?? 0, flat: flat),
                  blinkCount: i >= countedAt ? 1 : 0)
        }
        return t
    }

    @Test func aRealBlinkClosesAndReopensOverSeveralFrames() {
        // About 100 ms down, 170 ms up (a blink's reopening is slower than its closing).
        let t = Self.tally([1, 1, 1, 1, 0.7, 0.3, 0.05, 0.1, 0.35, 0.6, 0.8, 0.95, 1, 1, 1, 1, 1, 1], countedAt: 11)
        #expect(t.realBlinks(framesPerSecond: 30) == 1)
        #expect(t.bestPartway >= 4)
    }

    @Test func aSwapOfAnOpenAndAShutPictureHasNoFramePartway() {
        let t = Self.tally([1, 1, 1, 1, 0.05, 0.05, 0.05, 0.05, 1, 1, 1, 1, 1, 1], countedAt: 9)
        let p = t.profiles
        #expect(p.count == 1 && p[0].depth > 0.5 && p[0].partway == 0)
        #expect(t.realBlinks(framesPerSecond: 30) == 0)
    }

    @Test func aPictureTiltedAwayAndBackDoesNotDip() {
        // The eyes foreshorten (their aspect ratio drops by a seventh), but so does the face.
        let pitch: [Double] = [0, 0, 0, 10, 20, 30, 20, 10, 0, 0, 0, 0]
        let t = Self.tally(Array(repeating: 1, count: 12), countedAt: 8, pitch: pitch, flat: true)
        #expect(t.profiles.allSatisfy { $0.depth < BlinkProfileConfig().minDepth })
        #expect(t.realBlinks(framesPerSecond: 30) == 0)
    }

    @Test func fewerFramesPartwayAreNeededAtLowerFrameRates() {
        let t = BlinkProfileTally()
        #expect(t.partwayNeeded(framesPerSecond: 30) == 2)
        #expect(t.partwayNeeded(framesPerSecond: 15) == 1)
        #expect(t.partwayNeeded(framesPerSecond: 10) == 1)
    }

    // MARK: The eyes must do the work

    /// Eye-in-head offsets for an eye turn `g` (the generic eye model; `factor` times its gain: an eyeball
    /// whose radius is the generic one over `factor`).
    static func features(eyeTurn g: GazeAngles, factor: Double = 1) -> GazeFeatures {
        var eye = EyeModel()
        eye.pupilRadius /= factor
        return GazeFeatures(pupilOffset: eye.pupilOffset(gaze: g, headYawDeg: 0), headPose: HeadPose(yaw: 0, pitch: 0, roll: 0))
    }

    static func eyeWork(_ targets: [GazeAngles], eyes: (GazeAngles) -> GazeFeatures) -> EyeWorkTally {
        var t = EyeWorkTally()
        t.setNeutral(Array(repeating: features(eyeTurn: GazeAngles(rightDeg: 0, upDeg: 0)), count: 5))
        for d in targets {
            t.begin(direction: d)
            for _ in 0..<20 { t.add(eyes(d)) }
        }
        return t
    }

    static let cells = [GazeAngles(rightDeg: -17, upDeg: -9), GazeAngles(rightDeg: 0, upDeg: -22), GazeAngles(rightDeg: 17, upDeg: -22)]

    @Test func eyesThatFollowPass() {
        let t = Self.eyeWork(Self.cells) { Self.features(eyeTurn: $0) }
        #expect(t.shares.allSatisfy { abs($0 - 1) < 1e-9 })
        #expect(t.passed)
    }

    @Test func aPersonWhoseHeadDoesMuchOfItStillPasses() {
        // The head makes 44% of the shift and the eyeball gain is 1.4 times the generic one.
        let t = Self.eyeWork(Self.cells) { d in Self.features(eyeTurn: GazeAngles(rightDeg: 0.56 * d.rightDeg, upDeg: 0.56 * d.upDeg), factor: 1.4) }
        #expect(t.smallestShare > 0.39 && t.passed)
    }

    @Test func eyesFixedInAMovedPictureFail() {
        let t = Self.eyeWork(Self.cells) { _ in Self.features(eyeTurn: GazeAngles(rightDeg: 0, upDeg: 0)) }
        #expect(t.smallestShare == 0)
        #expect(!t.passed)
    }

    @Test func eyesTurnedTheWrongWayFail() {
        let t = Self.eyeWork(Self.cells) { d in Self.features(eyeTurn: GazeAngles(rightDeg: -d.rightDeg, upDeg: d.upDeg)) }
        #expect(!t.passed)
    }

    @Test func aTargetNearTheCameraIsNotJudged() {
        let t = Self.eyeWork([GazeAngles(rightDeg: 0, upDeg: -8)]) { _ in Self.features(eyeTurn: GazeAngles(rightDeg: 0, upDeg: 0)) }
        #expect(t.shares.isEmpty && t.passed)
    }

    // MARK: Nothing to anticipate

    @Test func randomCalibrationPlansSpanTheGridAndVary() {
        let grid = ScreenGrid(), c = ChallengeConfig()
        var rng = SeededGenerator(seed: 21)
        let plans = (0..<1000).map { _ in CalibrationPlan.random(grid: grid, config: c, using: &rng) }
        for p in plans {
            #expect(p.cells.count == c.randomCalibrationPoints && Set(p.cells).count == p.cells.count)
            // The outer columns and both rows among the dots: the fit sees the whole width and height.
            #expect(Set(p.cells.map(grid.column(of:))).isSuperset(of: [0, 2]) && Set(p.cells.map(grid.row(of:))) == [0, 1])
            #expect(p.pointSeconds.allSatisfy { c.randomCalibrationPointSeconds.contains($0) })
        }
        // Every order of every such choice turns up: for three dots on a 2x3 grid, 60 plans (two dots: 4).
        #expect(Set(plans.map(\.cells)).count == 60)
        #expect(Set(plans.map { $0.pointSeconds[0] }).count > 900)
    }

    @Test func aSessionFollowsItsPlan() {
        var session = ChallengeSession(sequence: [2, 5], calibration: nil,
                                       plan: CalibrationPlan(cells: [3, 4], pointSeconds: [2.4, 1.9]))
        #expect(session.calibrationTargets == [.cell(3), .cell(4)])
        #expect(abs(session.scheduledSeconds - (2.4 + 1.9 + 6)) < 1e-9)
        _ = session.update(ScriptedPerson.frame(at: 0, looking: nil, index: 0))
    }
}
