import Testing
@testable import GazeCore

/// The challenge's state machine with a hand-driven clock: frames every 50 ms of stream time, a scripted
/// person who looks where the screen says after a reaction time.
@Suite struct ChallengeSessionTests {
    static let grid = ScreenGrid()

    /// How the scripted person behaves.
    struct Person {
        /// Gaze features for a direction (default: the generic mapping, head still).
        var features: (GazeAngles) -> GazeFeatures = { ScriptedPerson.features(looking: $0) }
        /// Milliseconds from a new target on screen to the eyes being there.
        var reactionMs = 300.0
        /// Where they look for a target (default: at it).
        var aim: (GazeTarget) -> GazeAngles = { ChallengeSessionTests.grid.direction(of: $0) }
        /// Blinks so far at a time.
        var blinks: (Double) -> Int = { $0 >= 500 ? 1 : 0 }
        /// The frame's other facts (face, light, digest...), changed per time.
        var change: (inout ChallengeFrame, Double) -> Void = { _, _ in }
    }

    struct Run {
        var views: [Double: GazeTaskView] = [:]
        var session: ChallengeSession
        var outcome: ChallengeOutcome? { session.outcome }
    }

    /// Feeds frames from t = 0 until the session finishes or `untilMs`.
    static func run(_ session: ChallengeSession, _ person: Person = Person(), untilMs: Double = 30_000) -> Run {
        var run = Run(session: session)
        var target: GazeTarget = .camera, previous: GazeTarget = .camera, changedMs = -1e9
        var i = 0
        while !run.session.isFinished, Double(i) * 50 <= untilMs {
            let t = Double(i) * 50
            let looking = t - changedMs >= person.reactionMs ? target : previous
            var f = ScriptedPerson.frame(at: t, looking: person.aim(looking), blinks: person.blinks(t), index: i)
            f.features = person.features(person.aim(looking))
            person.change(&f, t)
            let view = run.session.update(f)
            run.views[t] = view
            if let next = view.target, next != target {
                previous = target
                target = next
                changedMs = t
            }
            i += 1
        }
        return run
    }

    static func session(_ sequence: [Int] = [3, 1, 5], calibration: GazeCalibration? = .generic(),
                        configure: (inout GazeConfig) -> Void = { _ in }) -> ChallengeSession {
        var config = GazeConfig()
        configure(&config)
        return ChallengeSession(sequence: sequence, calibration: calibration, config: config)
    }

    @Test func aPersonWhoFollowsPasses() throws {
        let run = Self.run(Self.session())
        let outcome = try #require(run.outcome)
        #expect(outcome.result == .pass, "\(outcome.failedChecks)")
        #expect(outcome.readyMs == 1000, "one face for the 1 s hold, from the first frame")
        #expect(outcome.endMs == 10_000, "three cells of 3 s after get ready")
        #expect(outcome.measuredFrames == 180)
        // Each cell: 3 s at 20 frames a second, counted from 0.6 s: 48 frames, all on target.
        #expect(outcome.cells.map(\.cell) == [3, 1, 5])
        #expect(outcome.cells.map(\.frames) == [48, 48, 48])
        #expect(outcome.cells.map(\.framesOnTarget) == [48, 48, 48])
        #expect(outcome.overallAccuracy == 1)
        #expect(outcome.directionAccuracy == 1)
        #expect(outcome.calibration == .saved(recentred: true))
        #expect(outcome.blinks == 1)
        #expect(outcome.failedChecks.isEmpty)
        #expect(outcome.advice == nil)
        #expect(outcome.checks.map(\.check) == [.facePresent, .singleFace, .eyeInHead, .gazeAccuracy, .cellAccuracy, .blink,
                                                .blinkProfile, .naturalMotion, .planarMotion, .frameTiming, .repeatedFrames])
    }

    @Test("What the screen shows, and when", arguments: [
        (0.0, GazeTaskView.Phase.getReady, GazeTarget?.some(.camera), 15.0, "look at the camera and blink"),
        (500.0, .getReady, .camera, 14.5, "look at the camera and blink"),
        (1000.0, .sequence(index: 1, of: 3), .cell(3), 3.0, "look at cell 3 (top right)"),
        (1050.0, .sequence(index: 1, of: 3), .cell(3), 2.95, "look at cell 3 (top right)"),
        (3950.0, .sequence(index: 1, of: 3), .cell(3), 0.05, "look at cell 3 (top right)"),
        (4000.0, .sequence(index: 2, of: 3), .cell(1), 3.0, "look at cell 1 (top left)"),
        (7000.0, .sequence(index: 3, of: 3), .cell(5), 3.0, "look at cell 5 (bottom middle)"),
        (10_000.0, .finished, nil, nil, "PASS"),
    ] as [(Double, GazeTaskView.Phase, GazeTarget?, Double?, String)])
    func views(timeMs: Double, phase: GazeTaskView.Phase, target: GazeTarget?, secondsLeft: Double?, instruction: String) throws {
        let run = Self.run(Self.session())
        let view = try #require(run.views[timeMs])
        #expect(view.phase == phase)
        #expect(view.target == target)
        if let secondsLeft {
            #expect(abs((view.secondsLeft ?? -1) - secondsLeft) < 1e-9, "\(view.secondsLeft ?? -1)")
        } else {
            #expect(view.secondsLeft == nil)
        }
        #expect(view.instruction == instruction)
    }

    @Test func withoutACalibrationTheSessionCalibratesItself() throws {
        // This person's eyes turn less than the generic gain says, and their neutral pupil sits off centre:
        // uncalibrated, their gaze would miss the cells.
        let person = GazeCalibration(right: [-9, -30, 0, -1, 0], up: [12, 0, -170, 0, 1])
        var p = Person()
        p.features = { g in
            GazeFeatures(pupilOffset: Point(x: (g.rightDeg - person.right[0]) / person.right[1],
                                            y: (g.upDeg - person.up[0]) / person.up[2]),
                         headPose: HeadPose(yaw: 0, pitch: 0, roll: 0))
        }
        let run = Self.run(Self.session(calibration: nil), p)
        let outcome = try #require(run.outcome)
        #expect(outcome.result == .pass, "\(outcome.failedChecks)")
        // Get ready 1 s, calibration 2 x 2 s, three cells of 3 s.
        #expect(outcome.endMs == 14_000)
        #expect(run.views[1000]?.phase == .calibrating(point: 1, of: 2))
        #expect(run.views[1000]?.target == .cell(1))
        #expect(run.views[1000]?.instruction == "look at the dot in cell 1 (top left)")
        #expect(run.views[3000]?.target == .cell(6))
        #expect(run.views[5000]?.phase == .sequence(index: 1, of: 3))
        guard case .session(let rms)? = outcome.calibration else {
            Issue.record("calibration \(String(describing: outcome.calibration))")
            return
        }
        // Exact frames, so only the fit's gentle pull towards the generic gains (ridgeWeight) is left.
        #expect(rms < 0.1)
        #expect(run.session.calibration.map { abs($0.right[1] / -30 - 1) < 0.01 && abs($0.up[2] / -170 - 1) < 0.01 } == true)
        // The same person against the generic mapping, no calibration step: lost.
        let uncalibrated = try #require(Self.run(Self.session(calibration: .generic()) { $0.challenge.recentreSavedCalibration = false }, p).outcome)
        #expect(uncalibrated.result == .fail)
    }

    @Test func aStillPhotoFailsAtCalibration() throws {
        var p = Person()
        p.aim = { _ in GazeAngles(rightDeg: 0, upDeg: 0) }
        p.blinks = { _ in 0 }
        p.change = { f, _ in
            f.digest = 7
            f.landmarkMotion = 0
        }
        let run = Self.run(Self.session(calibration: nil), p)
        let outcome = try #require(run.outcome)
        #expect(outcome.result == .fail)
        #expect(outcome.endMs == 5000, "it ends when calibration does")
        #expect(outcome.failedChecks == [.calibration, .eyeInHead, .blink, .naturalMotion, .repeatedFrames])
        #expect(outcome.calibration == .failed(.targetsNotSeparated(.camera)))
        #expect(outcome.advice == "follow the highlighted cell with your eyes")
        #expect(run.views[5000]?.instruction == "FAIL - follow the highlighted cell with your eyes")
    }

    @Test func lookingOneCellOffFails() throws {
        let shift = Self.grid.centre(of: 2).rightDeg - Self.grid.centre(of: 1).rightDeg
        var p = Person()
        p.aim = { target in
            let g = Self.grid.direction(of: target)
            guard case .cell = target else { return g }
            return GazeAngles(rightDeg: g.rightDeg - shift, upDeg: g.upDeg) // one cell to the left
        }
        let outcome = try #require(Self.run(Self.session([3, 2, 6]), p).outcome)
        #expect(outcome.result == .fail)
        // The eyes turned, but not toward the cells asked for: eye_in_head sees it too.
        #expect(outcome.failedChecks == [.eyeInHead, .gazeAccuracy, .cellAccuracy])
        #expect(outcome.cells.map(\.framesOnTarget) == [0, 0, 0])
    }

    @Test func movementScoringAcceptsTheSameOffsetTrack() throws {
        let shift = Self.grid.centre(of: 2).rightDeg - Self.grid.centre(of: 1).rightDeg
        var p = Person()
        p.aim = { target in
            let g = Self.grid.direction(of: target)
            guard case .cell = target else { return g }
            return GazeAngles(rightDeg: g.rightDeg - shift, upDeg: g.upDeg)
        }
        let outcome = try #require(Self.run(Self.session([3, 2, 6]) { $0.challenge.scoring = .direction }, p).outcome)
        // Direction alone cannot see an offset (why it is not the default); only eye_in_head, which reads
        // each target's eye turn, does.
        #expect(outcome.failedChecks == [.eyeInHead], "\(outcome.failedChecks)")
    }

    enum NotReady: String, CaseIterable, CustomTestStringConvertible {
        case noFace, dark, glare, far, twoPeople, noPose
        var testDescription: String { rawValue }

        func apply(_ f: inout ChallengeFrame, _: Double) {
            switch self {
            case .noFace: f.face = false; f.faces = 0; f.features = nil; f.faceWidthPixels = nil
            case .dark: f.frameLevel = 30
            case .glare: f.frameLevel = 250
            case .far: f.faceWidthPixels = 60
            case .twoPeople: f.faces = 2
            case .noPose: f.features = nil
            }
        }

        var problem: ReadyProblem {
            switch self {
            case .noFace: .noFace
            case .dark: .tooDark
            case .glare: .tooBright
            case .far: .tooFar
            case .twoPeople: .severalFaces
            case .noPose: .eyesNotSeen
            }
        }
    }

    @Test("Get ready waits for one face, lit and close enough", arguments: NotReady.allCases)
    func notReady(_ c: NotReady) throws {
        let problem = c.problem
        var p = Person()
        p.change = c.apply
        let run = Self.run(Self.session(), p)
        let outcome = try #require(run.outcome)
        #expect(outcome.result == .inconclusive)
        #expect(outcome.stop == .notReady(problem))
        #expect(outcome.endMs == 15_000, "gives up after 15 s")
        #expect(outcome.checks.isEmpty)
        #expect(run.views[5000]?.problem == problem)
        #expect(run.views[5000]?.statusLine == "get ready: look at the camera and blink - \(problem.advice) 10.0 s")
        #expect(run.views[15_000]?.instruction == "TRY AGAIN - " + problem.advice)
    }

    @Test func aBreakInGetReadyStartsTheHoldAgain() throws {
        var p = Person()
        p.change = { f, t in
            if t >= 500 && t < 800 { f.face = false; f.faces = 0; f.features = nil }
        }
        let outcome = try #require(Self.run(Self.session(), p).outcome)
        #expect(outcome.readyMs == 1800)
        #expect(outcome.result == .pass)
    }

    /// Two frames in three of the first second read the iris 30 degrees off (as right after a blink): a
    /// look that scatters is no zero. Get ready goes on until the newest window is steady, and the saved
    /// calibration is recentred on the real look; taken as it came, the zero is the misread one and every
    /// cell is missed.
    @Test func aScatteredCameraLookIsNoZero() throws {
        var p = Person()
        p.change = { f, t in
            if t < 1000, Int(t / 50) % 3 != 0 { f.features = ScriptedPerson.features(looking: GazeAngles(rightDeg: 30, upDeg: 0)) }
        }
        let steady = try #require(Self.run(Self.session(), p).outcome)
        #expect(steady.result == .pass, "\(steady.failedChecks)")
        #expect(try #require(steady.readyMs) > 1000, "waits for a steady look")
        let anyLook = try #require(Self.run(Self.session { $0.challenge.cameraLookSteadyDeg = 1000 }, p).outcome)
        #expect(anyLook.result == .fail)
        #expect(anyLook.failedChecks.contains(.gazeAccuracy))
    }

    @Test func withoutABlinkItFailsUnlessNotRequired() throws {
        var p = Person()
        p.blinks = { _ in 0 }
        let failed = try #require(Self.run(Self.session(), p).outcome)
        #expect(failed.result == .fail)
        #expect(failed.failedChecks == [.blink])
        #expect(failed.advice == "blink naturally while you follow the cells")
        let lenient = try #require(Self.run(Self.session { $0.challenge.requireBlink = false }, p).outcome)
        #expect(lenient.result == .pass)
        #expect(!lenient.checks.contains { $0.check == .blink })
    }

    @Test func closedEyesThroughCalibrationAreInconclusive() throws {
        var p = Person()
        p.change = { f, t in if t > 1000 { f.eyesOpen = false } }
        let outcome = try #require(Self.run(Self.session(calibration: nil), p).outcome)
        #expect(outcome.result == .inconclusive)
        #expect(outcome.stop == .calibrationUnseen)
        #expect(outcome.calibration == .failed(.tooFewFrames(.cell(1), frames: 0)))
    }

    @Test func endingEarlyIsInconclusiveAndFinal() throws {
        var session = Self.run(Self.session(), untilMs: 5000).session
        #expect(!session.isFinished)
        let outcome = session.end(.stopped)
        #expect(outcome.result == .inconclusive)
        #expect(outcome.stop == .stopped)
        #expect(outcome.advice == "please try again")
        #expect(outcome.endMs == 5000)
        // Later frames change nothing.
        let view = session.update(ScriptedPerson.frame(at: 5050, looking: nil, index: 999))
        #expect(view.phase == .finished && view.result == .inconclusive)
        #expect(session.end(.streamEnded).stop == .stopped)
    }

    @Test func aSavedCalibrationIsRecentredOnTheCameraLook() throws {
        // The person's neutral gaze reads 12 degrees right and 9 up of the camera through the saved mapping
        // (they sit elsewhere than when it was made): recentring puts it back.
        var p = Person()
        p.features = { g in ScriptedPerson.features(looking: GazeAngles(rightDeg: g.rightDeg + 12, upDeg: g.upDeg + 9)) }
        let recentred = try #require(Self.run(Self.session(), p).outcome)
        #expect(recentred.result == .pass)
        let asSaved = try #require(Self.run(Self.session { $0.challenge.recentreSavedCalibration = false }, p).outcome)
        #expect(asSaved.calibration == .saved(recentred: false))
        #expect(asSaved.overallAccuracy < recentred.overallAccuracy)
    }

    @Test func theScheduleIsKnownUpFront() {
        #expect(Self.session().scheduledSeconds == 9)
        #expect(Self.session(calibration: nil).scheduledSeconds == 13)
        #expect(Self.session(calibration: nil).calibrationTargets == [.cell(1), .cell(6)])
    }
}
