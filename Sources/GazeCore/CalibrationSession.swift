/// How a calibration ended.
public struct CalibrationOutcome: Sendable, Equatable {
    /// The fit and its checks; nil when it stopped before the fit.
    public var fit: Result<CalibrationFit.Result, CalibrationProblem>?
    /// Why it stopped early, if it did.
    public var stop: ChallengeStop?
    /// Blinks seen in the blink step.
    public var blinks: Int
    /// Frames used by the fit.
    public var frames: Int

    public var calibration: GazeCalibration? {
        if case .success(let r)? = fit { return r.calibration }
        return nil
    }

    /// What the screen says at the end.
    public var headline: String {
        if let stop { return "TRY AGAIN - " + stop.advice }
        switch fit {
        case .success(let r)?: return "CALIBRATED - error " + GazeTaskView.seconds(r.rmsErrorDeg) + " degrees"
        case .failure(let problem)?: return "TRY AGAIN - " + problem.description
        case nil: return "TRY AGAIN"
        }
    }
}

/// `gazetop calibrate` as a state machine fed with frames and their stream times: get ready (look at the
/// camera), blink a few times (still looking at the camera), look at each cell in turn for
/// `CalibrationConfig.pointSeconds`, then fit the full mapping (`CalibrationFit`, every coefficient) to
/// the camera look and the six cells, and check it.
public struct CalibrationSession: Sendable {
    public let config: GazeConfig
    public let grid: ScreenGrid
    private var ready: ReadyPhase
    private var readyAtMs: Double?
    private var pointsStartMs: Double?
    private var firstBlinkCount: Int?
    private var blinks = 0
    private var samples: [CalibrationFit.Sample] = []
    public private(set) var outcome: CalibrationOutcome?
    public private(set) var view: GazeTaskView

    public init(config: GazeConfig = GazeConfig()) {
        self.config = config
        grid = ScreenGrid(config: config.screen)
        ready = ReadyPhase(challenge: config.challenge, liveness: config.liveness,
                           minCameraLookFrames: config.calibration.minFramesPerTarget, eye: config.gaze.eye)
        view = GazeTaskView(phase: .getReady, target: .camera, instruction: "look at the camera", problem: .noFace)
    }

    /// The cells looked at, in order, after the camera.
    public var targets: [GazeTarget] { grid.cells.map { .cell($0) } }

    public var isFinished: Bool { outcome != nil }

    private var pointMs: Double { config.calibration.pointSeconds * 1000 }

    @discardableResult
    public mutating func update(_ f: ChallengeFrame) -> GazeTaskView {
        guard outcome == nil else { return view }
        let generic = f.features.map { GazeCalibration.generic(config.gaze).angles(for: $0) }
        guard let readyAt = readyAtMs else {
            firstBlinkCount = firstBlinkCount ?? f.blinkCount
            switch ready.update(f) {
            case .waiting:
                view = GazeTaskView(phase: .getReady, target: .camera, secondsLeft: ready.secondsLeft(at: f.timeMs),
                                    instruction: "look at the camera", problem: ready.problem, features: f.features, gaze: generic)
            case .timedOut(let problem):
                finish(stop: .notReady(problem))
            case .ready:
                readyAtMs = f.timeMs
                firstBlinkCount = f.blinkCount
                samples = ready.cameraLook.map { CalibrationFit.Sample(target: .camera, features: $0.features) }
                view = blinkView(f, seen: 0, left: config.calibration.blinkStepTimeoutSeconds, gaze: generic)
            }
            return view
        }
        guard let pointsStart = pointsStartMs else {
            blinks = f.blinkCount - (firstBlinkCount ?? f.blinkCount)
            let elapsed = f.timeMs - readyAt
            if blinks >= config.calibration.blinksWanted || elapsed >= config.calibration.blinkStepTimeoutSeconds * 1000 {
                pointsStartMs = f.timeMs
                view = pointView(0, sincePoint: 0, f, gaze: generic)
            } else {
                if f.eyesOpen, let features = f.features { samples.append(.init(target: .camera, features: features)) }
                view = blinkView(f, seen: blinks, left: config.calibration.blinkStepTimeoutSeconds - elapsed / 1000, gaze: generic)
            }
            return view
        }
        let since = f.timeMs - pointsStart
        let point = Int(since / pointMs)
        guard point < targets.count else {
            finish(stop: nil)
            return view
        }
        let sincePoint = since - Double(point) * pointMs
        if sincePoint >= config.calibration.settleSeconds * 1000, f.eyesOpen, let features = f.features {
            samples.append(.init(target: targets[point], features: features))
        }
        view = pointView(point, sincePoint: sincePoint, f, gaze: generic)
        return view
    }

    /// Ends early (stream ended, Ctrl-C): no calibration.
    @discardableResult
    public mutating func end(_ stop: ChallengeStop) -> CalibrationOutcome {
        if outcome == nil { finish(stop: stop) }
        return outcome!
    }

    private func blinkView(_ f: ChallengeFrame, seen: Int, left: Double, gaze: GazeAngles?) -> GazeTaskView {
        GazeTaskView(phase: .blinks(seen: seen, wanted: config.calibration.blinksWanted), target: .camera,
                     secondsLeft: max(0, left), instruction: "look at the camera and blink a few times",
                     features: f.features, gaze: gaze)
    }

    private func pointView(_ point: Int, sincePoint: Double, _ f: ChallengeFrame, gaze: GazeAngles?) -> GazeTaskView {
        GazeTaskView(phase: .calibrating(point: point + 1, of: targets.count), target: targets[point],
                     secondsLeft: (pointMs - sincePoint) / 1000,
                     instruction: GazeTaskView.lookAt(targets[point], grid: grid, dot: true), features: f.features, gaze: gaze)
    }

    private mutating func finish(stop: ChallengeStop?) {
        var done = CalibrationOutcome(fit: nil, stop: stop, blinks: blinks, frames: samples.count)
        if stop == nil {
            let fit = CalibrationFit(config: config.calibration, grid: grid, prior: .generic(config.gaze),
                                 hitMarginDeg: config.challenge.hitMarginDeg)
            done.fit = fit.fit(samples, targets: [.camera] + targets, free: .all)
        }
        outcome = done
        let passed = done.calibration != nil
        view = GazeTaskView(phase: .finished, instruction: done.headline, result: passed ? .pass : stop == nil ? .fail : .inconclusive)
    }
}
