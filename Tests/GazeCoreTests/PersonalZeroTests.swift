import Testing
@testable import GazeCore

/// The monitor's quick zero: two seconds looking at the camera re-centre the mapping.
@Suite struct PersonalZeroTests {
    static func frame(_ i: Int, look: GazeAngles?, eyesOpen: Bool = true, frameMs: Double = 1000.0 / 30) -> ChallengeFrame {
        var f = ScriptedPerson.frame(at: Double(i) * frameMs, looking: look, index: i)
        if look != nil { f.eyesOpen = eyesOpen }
        return f
    }

    @Test func aPersonLookingAtTheCameraGetsTheirZero() throws {
        // This person's look at the camera reads 6 degrees right and 4 up in the generic mapping.
        let bias = GazeAngles(rightDeg: 6, upDeg: 4)
        var z = PersonalZeroSession()
        var i = 0
        while !z.isFinished, i < 200 {
            z.update(Self.frame(i, look: i < 5 ? nil : bias))
            i += 1
        }
        let outcome = try #require(z.outcome)
        let zeroed = try #require(outcome.calibration)
        // Two seconds from the first face: 60 frames at 30 fps, 5 frames of no face before.
        #expect(outcome.frames >= 59 && outcome.frames <= 61 && i >= 64 && i <= 67)
        let f = ScriptedPerson.features(looking: bias)
        #expect(zeroed.angles(for: f).offAxisDeg < 1e-6)
        #expect(z.view.result == .pass && outcome.headline.hasPrefix("ZEROED"))
    }

    @Test func aLookFarFromTheCameraIsRefused() throws {
        var z = PersonalZeroSession()
        for i in 0..<100 where !z.isFinished { z.update(Self.frame(i, look: GazeAngles(rightDeg: 0, upDeg: -25))) }
        let outcome = try #require(z.outcome)
        #expect(outcome.calibration == nil && outcome.problem?.contains("look into the lens") == true)
        #expect(z.view.result == .fail)
    }

    @Test func closedEyesAndNoFaceGiveUp() throws {
        var z = PersonalZeroSession()
        for i in 0..<400 where !z.isFinished { z.update(Self.frame(i, look: GazeAngles(rightDeg: 0, upDeg: 0), eyesOpen: false)) }
        let outcome = try #require(z.outcome)
        #expect(outcome.calibration == nil && outcome.problem == "no face with open eyes came")
    }

    @Test func stoppingIsInconclusive() throws {
        var z = PersonalZeroSession()
        z.update(Self.frame(0, look: GazeAngles(rightDeg: 0, upDeg: 0)))
        z.stop(.stopped)
        #expect(z.outcome?.stop == .stopped && z.view.result == .inconclusive)
    }
}
