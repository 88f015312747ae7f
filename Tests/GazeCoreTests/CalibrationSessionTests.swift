import Testing
@testable import GazeCore

/// `gazetop calibrate`'s state machine with a hand-driven clock (frames every 50 ms).
@Suite struct CalibrationSessionTests {
    static let grid = ScreenGrid()

    /// A person whose eyes and head share the turn (the head takes 30% across, 20% down) and whose eye
    /// gains and neutral pupil differ from the generic ones.
    static func features(_ g: GazeAngles) -> GazeFeatures {
        let headRight = 0.3 * g.rightDeg, headUp = 0.2 * g.upDeg
        return GazeFeatures(pupilOffset: Point(x: 0.05 - (g.rightDeg - headRight) / 55, y: -0.08 - (g.upDeg - headUp) / 95),
                            headPose: HeadPose(yaw: 2 - headRight, pitch: -3 + headUp, roll: 0))
    }

    /// Runs until finished, the person looking where the screen says after 300 ms.
    static func run(blinksAt: [Double] = [1500, 2000, 2500], still: Bool = false, untilMs: Double = 60_000)
        -> (CalibrationSession, [Double: GazeTaskView]) {
        var session = CalibrationSession()
        var views: [Double: GazeTaskView] = [:]
        var target: GazeTarget = .camera, previous: GazeTarget = .camera, changedMs = -1e9
        var i = 0
        while !session.isFinished, Double(i) * 50 <= untilMs {
            let t = Double(i) * 50
            let looking = still ? GazeTarget.camera : (t - changedMs >= 300 ? target : previous)
            var f = ScriptedPerson.frame(at: t, looking: grid.direction(of: looking),
                                         blinks: blinksAt.filter { $0 <= t }.count, index: i)
            f.features = features(grid.direction(of: looking))
            let view = session.update(f)
            views[t] = view
            if let next = view.target, next != target {
                previous = target
                target = next
                changedMs = t
            }
            i += 1
        }
        return (session, views)
    }

    @Test func aPersonWhoFollowsIsCalibrated() throws {
        let (session, views) = Self.run()
        let outcome = try #require(session.outcome)
        let calibration = try #require(outcome.calibration, "\(String(describing: outcome.fit))")
        #expect(outcome.blinks == 3)
        // Every cell's look now lands in its cell, near its centre.
        for cell in 1...6 {
            let a = calibration.angles(for: Self.features(Self.grid.centre(of: cell)))
            #expect(Self.grid.cell(at: a) == cell)
            #expect(GazeAngles(rightDeg: a.rightDeg - Self.grid.centre(of: cell).rightDeg,
                               upDeg: a.upDeg - Self.grid.centre(of: cell).upDeg).offAxisDeg < 1)
        }
        guard case .success(let fit)? = outcome.fit else { return }
        #expect(fit.rmsErrorDeg < 1)
        // Ready at 1 s, three blinks by 2.5 s, six cells of 2 s.
        #expect(views[1000]?.phase == .blinks(seen: 0, wanted: 3))
        #expect(views[2000]?.phase == .blinks(seen: 2, wanted: 3))
        #expect(views[2500]?.phase == .calibrating(point: 1, of: 6))
        #expect(views[2500]?.target == .cell(1))
        #expect(views[4500]?.target == .cell(2))
        #expect(views[14_450]?.phase == .calibrating(point: 6, of: 6))
        #expect(views[14_500]?.phase == .finished)
        #expect(views[14_500]?.result == .pass)
        #expect(views[14_500]?.instruction.hasPrefix("CALIBRATED - error 0.") == true)
        // The raw values go with every view while it runs.
        #expect(views[3000]?.features == Self.features(Self.grid.centre(of: 1)))
    }

    @Test func withoutBlinksTheBlinkStepTimesOut() throws {
        let (session, views) = Self.run(blinksAt: [])
        #expect(views[6950]?.phase == .blinks(seen: 0, wanted: 3))
        #expect(views[7000]?.phase == .calibrating(point: 1, of: 6))
        #expect(session.outcome?.calibration != nil)
        #expect(session.outcome?.blinks == 0)
    }

    @Test func aStillFaceIsNotCalibrated() throws {
        let (session, views) = Self.run(still: true)
        let outcome = try #require(session.outcome)
        #expect(outcome.calibration == nil)
        guard case .failure(.targetsNotSeparated)? = outcome.fit else {
            Issue.record("fit \(String(describing: outcome.fit))")
            return
        }
        #expect(views[14_500]?.result == .fail)
        #expect(views[14_500]?.instruction == "TRY AGAIN - the eyes did not follow the targets")
    }

    @Test func endingEarlyGivesNoCalibration() {
        var (session, _) = Self.run(untilMs: 5000)
        let outcome = session.end(.stopped)
        #expect(outcome.calibration == nil && outcome.fit == nil)
        #expect(outcome.headline == "TRY AGAIN - please try again")
    }
}
