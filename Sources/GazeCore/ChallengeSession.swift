#if canImport(Glibc)
import Glibc // exp() only: libm
#endif

/// Why a session ended before its sequence was done: the result is inconclusive.
public enum ChallengeStop: Sendable, Equatable {
    /// Get ready never saw one face, lit and close enough, for long enough.
    case notReady(ReadyProblem)
    /// The calibration steps saw too few frames with open eyes to fit.
    case calibrationUnseen
    /// The camera or the recording ended first.
    case streamEnded
    /// Stopped from outside (Ctrl-C).
    case stopped
    /// The session id's lifetime ran out.
    case expired

    public var name: String {
        switch self {
        case .notReady(let p): "not_ready:" + p.rawValue
        case .calibrationUnseen: "calibration_unseen"
        case .streamEnded: "stream_ended"
        case .stopped: "stopped"
        case .expired: "expired"
        }
    }

    /// What the person is told.
    public var advice: String {
        switch self {
        case .notReady(let p): p.advice
        case .calibrationUnseen: "keep your face in view and your eyes open"
        case .streamEnded, .stopped: "please try again"
        case .expired: "the session expired; please start again"
        }
    }
}

/// Which calibration a challenge used.
public enum CalibrationUse: Sendable, Equatable {
    /// A saved calibration, shifted to this session's camera look when `recentred`.
    case saved(recentred: Bool)
    /// The session's own short calibration, with its error.
    case session(rmsErrorDeg: Double)
    /// The short calibration could not be fitted.
    case failed(CalibrationProblem)
}

/// Everything a challenge decided, for the result file and the exit status.
public struct ChallengeOutcome: Sendable, Equatable {
    public var result: ChallengeResult
    public var sequence: [Int]
    public var cells: [CellScore]
    /// Mean of the cells' accuracies.
    public var overallAccuracy: Double
    /// Share of cell-to-cell moves in the right direction (nil with one cell).
    public var directionAccuracy: Double?
    /// Every check that was evaluated, passed or not, in priority order.
    public var checks: [CheckResult]
    /// Why it ended early (inconclusive), if it did.
    public var stop: ChallengeStop?
    public var calibration: CalibrationUse?
    /// Blinks seen from the session's first frame.
    public var blinks: Int
    /// Frames after get ready.
    public var measuredFrames: Int
    /// Stream times of the first frame, the end of get ready and the last frame, milliseconds.
    public var startMs: Double?
    public var readyMs: Double?
    public var endMs: Double?

    public init(result: ChallengeResult, sequence: [Int], cells: [CellScore], overallAccuracy: Double,
                directionAccuracy: Double?, checks: [CheckResult], stop: ChallengeStop?, calibration: CalibrationUse?,
                blinks: Int, measuredFrames: Int, startMs: Double? = nil, readyMs: Double? = nil, endMs: Double? = nil) {
        self.result = result
        self.sequence = sequence
        self.cells = cells
        self.overallAccuracy = overallAccuracy
        self.directionAccuracy = directionAccuracy
        self.checks = checks
        self.stop = stop
        self.calibration = calibration
        self.blinks = blinks
        self.measuredFrames = measuredFrames
        self.startMs = startMs
        self.readyMs = readyMs
        self.endMs = endMs
    }

    public var failedChecks: [ChallengeCheck] { checks.filter { !$0.passed }.map(\.check) }

    /// The one reason the person is told (pass: nil).
    public var advice: String? {
        if let stop { return stop.advice }
        return checks.first { !$0.passed }?.check.advice
    }

    /// What the screen says at the end.
    public var headline: String {
        switch result {
        case .pass: "PASS"
        case .fail: "FAIL - " + (advice ?? "please try again")
        case .inconclusive: "TRY AGAIN - " + (advice ?? "please try again")
        }
    }

    /// The result the same session would have had under another scoring mode or other gaze limits: the
    /// liveness and calibration checks as they were, the gaze checks redone on the cells' scores.
    public func result(scoredWith config: ChallengeConfig) -> ChallengeResult {
        if stop != nil { return .inconclusive }
        let gaze: Set<ChallengeCheck> = [.gazeAccuracy, .cellAccuracy, .gazeDirection]
        if checks.contains(where: { !gaze.contains($0.check) && !$0.passed }) { return .fail }
        return ChallengeScorer.checks(cells, config: config).allSatisfy(\.passed) ? .pass : .fail
    }

    /// A session refused before it began because the camera is a virtual one.
    public static func virtualCameraRefused(sequence: [Int]) -> ChallengeOutcome {
        ChallengeOutcome(result: .fail, sequence: sequence, cells: sequence.map { CellScore(cell: $0) }, overallAccuracy: 0,
                         directionAccuracy: nil, checks: [CheckResult(check: .virtualCamera, passed: false, value: 1, limit: 0)],
                         stop: nil, calibration: nil, blinks: 0, measuredFrames: 0)
    }
}

/// Exponential smoothing of gaze angles over stream time.
struct AngleSmoother: Sendable {
    let timeConstantMs: Double
    private var value: GazeAngles?
    private var lastMs: Double?

    init(timeConstantMs: Double) { self.timeConstantMs = timeConstantMs }

    mutating func reset() {
        value = nil
        lastMs = nil
    }

    mutating func add(_ a: GazeAngles, timeMs: Double) -> GazeAngles {
        defer { lastMs = timeMs }
        guard let v = value, let last = lastMs, timeConstantMs > 0 else {
            value = a
            return a
        }
        let keep = exp(-max(0, timeMs - last) / timeConstantMs)
        let next = GazeAngles(rightDeg: keep * v.rightDeg + (1 - keep) * a.rightDeg, upDeg: keep * v.upDeg + (1 - keep) * a.upDeg)
        value = next
        return next
    }
}

/// The liveness challenge as a state machine, fed one frame at a time with the frame's own stream time
/// (no clock of its own):
///
/// 1. get ready: one face, lit and close enough, for `readyHoldSeconds` (the person looks at the camera
///    and is asked to blink); gives up after `readyTimeoutSeconds` (inconclusive);
/// 2. without a saved calibration, a short one: each cell of its `CalibrationPlan` (three drawn at random
///    per session at a kiosk, the fixed `shortCalibrationCells` for recordings) for its time, fitted with
///    the camera look (`CalibrationFit`, offset and eye gain);
///    a fit that fails its checks fails the challenge (the eyes did not follow);
/// 3. the sequence: each cell for `areaDurationSeconds`, scored after `reactionSeconds`;
/// 4. the outcome: pass when every liveness check and gaze check passed.
///
/// After get ready the schedule is fixed in stream time, so a recording of a session gives the same outcome.
public struct ChallengeSession: Sendable {
    public let config: GazeConfig
    public let sequence: [Int]
    public let grid: ScreenGrid
    private let saved: GazeCalibration?
    private var ready: ReadyPhase
    private var liveness: LivenessChecks
    private var scorer: ChallengeScorer
    private var smoother: AngleSmoother
    /// The calibration in use, once known.
    public private(set) var calibration: GazeCalibration?
    private var calibrationUse: CalibrationUse?
    private var calibrationSamples: [CalibrationFit.Sample] = []
    /// The short calibration's cells and timing (used only without a saved calibration).
    public let plan: CalibrationPlan
    private var eyeWork: EyeWorkTally
    private var eyelids: EyelidTally
    private var eyeTarget: Int?
    private var readyAtMs: Double?
    /// The faces sampled for the identity checks (nil: no identity required, no samples wanted).
    public private(set) var identity: IdentityTally?
    /// The identity moment the last frame fell in, when it showed one face (see `identityMoment`).
    private var pendingMoment: Int?
    private var firstMs: Double?
    private var lastMs: Double?
    public private(set) var outcome: ChallengeOutcome?
    public private(set) var view: GazeTaskView

    /// - Parameters:
    ///   - sequence: cells of `config.screen`'s grid, none twice in a row (see `ChallengeSequence`).
    ///   - calibration: a saved calibration; nil runs the short calibration.
    ///   - plan: the short calibration's cells and timing; nil: the fixed plan of `config` (recordings, tests).
    ///   - identity: who must complete it (`enrolled_person`) and that one face does (`same_person`); nil
    ///     checks neither and wants no descriptors.
    public init(sequence: [Int], calibration: GazeCalibration?, plan: CalibrationPlan? = nil, config: GazeConfig = GazeConfig(),
                identity: IdentityRequirement? = nil) {
        self.config = config
        self.identity = identity.map { IdentityTally(requirement: $0, config: config.matching) }
        self.plan = plan ?? .fixed(config.challenge)
        eyeWork = EyeWorkTally(config: config.liveness.eyeWork, eye: config.gaze.eye)
        eyelids = EyelidTally(config: config.liveness.eyelid, eye: config.gaze.eye)
        self.sequence = sequence
        grid = ScreenGrid(config: config.screen)
        saved = calibration
        ready = ReadyPhase(challenge: config.challenge, liveness: config.liveness,
                           minCameraLookFrames: config.calibration.minFramesPerTarget, eye: config.gaze.eye)
        liveness = LivenessChecks(config: config.liveness)
        scorer = ChallengeScorer(sequence: sequence, config: config.challenge, grid: grid)
        smoother = AngleSmoother(timeConstantMs: config.challenge.gazeSmoothingMs)
        view = GazeTaskView(phase: .getReady, target: .camera, instruction: "look at the camera and blink",
                            problem: .noFace)
    }

    /// The short calibration's targets after the camera look (none with a saved calibration).
    public var calibrationTargets: [GazeTarget] {
        saved == nil ? plan.cells.map { .cell($0) } : []
    }

    private var areaMs: Double { config.challenge.areaDurationSeconds * 1000 }
    private var calibrationMs: Double { saved == nil ? plan.pointSeconds.reduce(0, +) * 1000 : 0 }

    /// The calibration point at `sinceReady` ms, with when it started and how long it lasts.
    private func point(at sinceReady: Double) -> (index: Int, startMs: Double, durationMs: Double) {
        var start = 0.0
        for (i, s) in plan.pointSeconds.enumerated() {
            if sinceReady < start + s * 1000 || i == plan.pointSeconds.count - 1 { return (i, start, s * 1000) }
            start += s * 1000
        }
        return (0, 0, 0)
    }

    /// Seconds from the end of get ready to the verdict.
    public var scheduledSeconds: Double { (calibrationMs + areaMs * Double(sequence.count)) / 1000 }

    public var isFinished: Bool { outcome != nil }

    /// Takes the next frame (stream times must increase; a frame that goes back in time is still taken, and
    /// fails the frame-timing check). Returns what the screen should show now.
    @discardableResult
    public mutating func update(_ f: ChallengeFrame) -> GazeTaskView {
        guard outcome == nil else { return view }
        if firstMs == nil { firstMs = f.timeMs }
        lastMs = f.timeMs
        pendingMoment = nil
        guard let readyAt = readyAtMs else {
            getReady(f)
            if readyAtMs != nil { noteMoment(f, 0) }
            return view
        }
        liveness.add(f)
        let sinceReady = f.timeMs - readyAt
        if sinceReady < calibrationMs {
            calibrate(f, sinceReady: sinceReady)
            let (point, startMs, _) = self.point(at: sinceReady)
            if sinceReady - startMs >= config.challenge.shortCalibrationSettleSeconds * 1000 { noteMoment(f, 1 + point) }
            return view
        }
        if calibration == nil {
            finishCalibration()
            if outcome != nil { return view }
        }
        let sinceSequence = sinceReady - calibrationMs
        let index = Int(sinceSequence / areaMs)
        guard index < sequence.count else {
            finish(stop: nil)
            return view
        }
        let gaze = estimate(f)
        noteEyes(f, target: calibrationTargets.count + index, direction: grid.direction(of: .cell(sequence[index])),
                 counts: sinceSequence - Double(index) * areaMs >= config.challenge.reactionSeconds * 1000)
        scorer.add(index: index, sinceStartMs: sinceSequence - Double(index) * areaMs, gaze: f.eyesOpen ? gaze : nil)
        noteMoment(f, identityMoment(index: index, sinceCellMs: sinceSequence - Double(index) * areaMs))
        let cell = sequence[index]
        view = GazeTaskView(phase: .sequence(index: index + 1, of: sequence.count), target: .cell(cell),
                            secondsLeft: (Double(index + 1) * areaMs - sinceSequence) / 1000,
                            instruction: GazeTaskView.lookAt(.cell(cell), grid: grid),
                            features: f.features, gaze: gaze)
        return view
    }

    /// Ends the session early (the stream ended, Ctrl-C, the session expired): inconclusive, unless it has
    /// already finished. Returns the outcome.
    @discardableResult
    public mutating func end(_ stop: ChallengeStop) -> ChallengeOutcome {
        if outcome == nil { finish(stop: stop) }
        return outcome!
    }

    // MARK: Identity

    /// Whether the task wants a descriptor of the followed face in the frame it has just taken: when an
    /// identity is required, at a moment not sampled yet, on a frame with one face.
    public var wantsFaceDescriptor: Bool {
        guard outcome == nil, let identity, let moment = pendingMoment else { return false }
        return !identity.hasSample(at: moment)
    }

    /// The descriptor of the followed face in the frame last taken (asked for by `wantsFaceDescriptor`).
    public mutating func addFaceDescriptor(_ descriptor: FaceDescriptor) {
        guard wantsFaceDescriptor, let moment = pendingMoment, let timeMs = lastMs else { return }
        identity?.add(IdentitySample(moment: moment, timeMs: timeMs, descriptor: descriptor))
    }

    /// The identity moment of a frame of the sequence: moment 0 is get ready's last frame, 1... the
    /// calibration points once settled, then each cell after the reaction time, and one more in the last
    /// `MatchConfig.lastSampleSeconds` of the last cell (a swap late in the challenge is seen too).
    private func identityMoment(index: Int, sinceCellMs: Double) -> Int? {
        let first = 1 + calibrationTargets.count
        if index == sequence.count - 1, sinceCellMs >= areaMs - config.matching.lastSampleSeconds * 1000,
           identity?.hasSample(at: first + index) ?? true {
            return first + sequence.count
        }
        return sinceCellMs >= config.challenge.reactionSeconds * 1000 ? first + index : nil
    }

    private mutating func noteMoment(_ f: ChallengeFrame, _ moment: Int?) {
        guard identity != nil, f.face, f.faces == 1 else { return }
        pendingMoment = moment
    }

    // MARK: Phases

    private mutating func getReady(_ f: ChallengeFrame) {
        liveness.noteBlinks(f)
        switch ready.update(f) {
        case .waiting:
            view = GazeTaskView(phase: .getReady, target: .camera, secondsLeft: ready.secondsLeft(at: f.timeMs),
                                instruction: "look at the camera and blink", problem: ready.problem,
                                features: f.features, gaze: f.features.map { GazeCalibration.generic(config.gaze).angles(for: $0) })
        case .timedOut(let problem):
            finish(stop: .notReady(problem))
        case .ready:
            readyAtMs = f.timeMs
            let look = ready.cameraLook.map(\.features)
            eyeWork.setNeutral(look)
            eyelids.setNeutral(ready.cameraLook.map { ($0.features, $0.landmarks) })
            if let saved {
                if config.challenge.recentreSavedCalibration, let neutral = GazeFeatures.median(look) {
                    calibration = saved.recentred(neutral, at: grid.direction(of: .camera))
                    calibrationUse = .saved(recentred: true)
                } else {
                    calibration = saved
                    calibrationUse = .saved(recentred: false)
                }
            } else {
                calibrationSamples = look.map { CalibrationFit.Sample(target: .camera, features: $0) }
            }
            showNextStep(at: f.timeMs)
        }
    }

    private mutating func calibrate(_ f: ChallengeFrame, sinceReady: Double) {
        let (point, startMs, pointMs) = self.point(at: sinceReady)
        let target = calibrationTargets[point]
        let sincePoint = sinceReady - startMs
        let settled = sincePoint >= config.challenge.shortCalibrationSettleSeconds * 1000
        if settled, f.eyesOpen, let features = f.features {
            calibrationSamples.append(CalibrationFit.Sample(target: target, features: features))
        }
        noteEyes(f, target: point, direction: grid.direction(of: target), counts: settled)
        view = GazeTaskView(phase: .calibrating(point: point + 1, of: calibrationTargets.count), target: target,
                            secondsLeft: (pointMs - sincePoint) / 1000,
                            instruction: GazeTaskView.lookAt(target, grid: grid, dot: true), features: f.features,
                            gaze: f.features.map { GazeCalibration.generic(config.gaze).angles(for: $0) })
    }

    private mutating func finishCalibration() {
        let fit = CalibrationFit(config: config.calibration, grid: grid, prior: .generic(config.gaze),
                                 hitMarginDeg: config.challenge.hitMarginDeg)
        switch fit.fit(calibrationSamples, targets: [.camera] + calibrationTargets, free: .offsetAndEyeGain) {
        case .success(let result):
            calibration = result.calibration
            calibrationUse = .session(rmsErrorDeg: result.rmsErrorDeg)
        case .failure(let problem):
            calibrationUse = .failed(problem)
            if case .tooFewFrames = problem { finish(stop: .calibrationUnseen) } else { finish(stop: nil) }
        }
    }

    /// The view right after get ready: the first calibration point or cell, at its full duration.
    private mutating func showNextStep(at timeMs: Double) {
        if let first = calibrationTargets.first {
            view = GazeTaskView(phase: .calibrating(point: 1, of: calibrationTargets.count), target: first,
                                secondsLeft: plan.pointSeconds[0], instruction: GazeTaskView.lookAt(first, grid: grid, dot: true))
        } else if let cell = sequence.first {
            view = GazeTaskView(phase: .sequence(index: 1, of: sequence.count), target: .cell(cell),
                                secondsLeft: areaMs / 1000, instruction: GazeTaskView.lookAt(.cell(cell), grid: grid))
        }
    }

    /// Notes a frame's eye-in-head offset and upper lid for target `target` (calibration points first, then
    /// the cells), when it `counts` (settled, or after the reaction time) and the eyes are open.
    private mutating func noteEyes(_ f: ChallengeFrame, target: Int, direction: GazeAngles, counts: Bool) {
        if eyeTarget != target {
            eyeTarget = target
            eyeWork.begin(direction: direction)
            eyelids.begin(direction: direction)
        }
        if counts, f.eyesOpen, let features = f.features {
            eyeWork.add(features)
            eyelids.add(features, landmarks: f.landmarks)
        }
    }

    /// The calibrated, smoothed gaze of a frame; nil without features. Closed eyes hold the last estimate
    /// (the pupil is hidden); a lost face starts the smoothing afresh.
    private mutating func estimate(_ f: ChallengeFrame) -> GazeAngles? {
        guard let calibration, let features = f.features else {
            if !f.face { smoother.reset() }
            return nil
        }
        guard f.eyesOpen else { return nil }
        return smoother.add(calibration.angles(for: features), timeMs: f.timeMs)
    }

    private mutating func finish(stop: ChallengeStop?) {
        var checks: [CheckResult] = []
        if readyAtMs != nil {
            checks = liveness.results(requireBlink: config.challenge.requireBlink)
            switch calibrationUse {
            case .session(let rms):
                checks.append(CheckResult(check: .calibration, passed: true, value: rms, limit: config.calibration.maxResidualDeg))
            case .failed(let problem):
                if case .tooNoisy(let rms) = problem {
                    checks.append(CheckResult(check: .calibration, passed: false, value: rms, limit: config.calibration.maxResidualDeg))
                } else {
                    checks.append(CheckResult(check: .calibration, passed: false, value: 0, limit: 0))
                }
            default: break
            }
            if eyeWork.neutral != nil {
                checks.append(CheckResult(check: .eyeInHead, passed: eyeWork.passed, value: eyeWork.smallestShare,
                                          limit: config.liveness.eyeWork.minEyeShare))
            }
            if eyelids.judged {
                checks.append(CheckResult(check: .lidFollowsGaze, passed: eyelids.passed, value: eyelids.lidShare ?? 0,
                                          limit: config.liveness.eyelid.minLidShare))
            }
            if calibration != nil { checks += scorer.results }
            if let identity { checks += identity.results }
        }
        checks.sort { Self.priority($0.check) < Self.priority($1.check) }
        let failed = checks.contains { !$0.passed }
        let result: ChallengeResult = stop != nil ? .inconclusive : failed ? .fail : .pass
        let done = ChallengeOutcome(result: result, sequence: sequence, cells: scorer.scores,
                                    overallAccuracy: scorer.overallAccuracy, directionAccuracy: scorer.directionAccuracy,
                                    checks: checks, stop: stop, calibration: calibrationUse, blinks: liveness.blinks,
                                    measuredFrames: liveness.frames, startMs: firstMs, readyMs: readyAtMs, endMs: lastMs)
        outcome = done
        view = GazeTaskView(phase: .finished, instruction: done.headline, result: result)
    }

    /// The order the person hears about failures in: what they can fix first; a swap of people hears
    /// "please try again" before anything about the face.
    static func priority(_ c: ChallengeCheck) -> Int {
        let order: [ChallengeCheck] = [.virtualCamera, .facePresent, .singleFace, .calibration, .eyeInHead, .lidFollowsGaze, .gazeAccuracy,
                                       .cellAccuracy, .gazeDirection, .blink, .blinkProfile, .naturalMotion, .planarMotion,
                                       .frameTiming, .repeatedFrames, .samePerson, .enrolledPerson]
        return order.firstIndex(of: c) ?? order.count
    }
}
