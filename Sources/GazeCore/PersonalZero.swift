/// The person's quick zero: they look into the camera for `seconds`, and the gaze mapping is re-centred
/// so that look reads as the camera. Where a person's iris sits while they look into the lens differs
/// from the median person's by about 3 degrees each way (their anatomy, where the landmarks put their
/// eye corners: docs/GAZE.md); this takes that out without the full calibration's six dots. The gains
/// stay the mapping's (the eye model's, or a full calibration's).
public struct PersonalZeroSession: Sendable {
    public let config: GazeConfig
    /// The mapping being re-centred.
    public let base: GazeCalibration
    /// How long the person looks at the camera, in stream time from the first frame with a face.
    public var seconds = 2.0
    /// Fewest open-eyed frames with a face the zero needs.
    public var minFrames = 10
    /// A look further than this from where the mapping puts the camera is not taken as one: the person
    /// was likely looking elsewhere (a zero can only move the mapping by a person's own offset, a few
    /// degrees).
    public var maxShiftDeg = 15.0
    /// Gives up when no usable frame came for this long.
    public var giveUpSeconds = 10.0

    private var startMs: Double?
    private var firstMs: Double?
    private var samples: [GazeFeatures] = []
    public private(set) var outcome: PersonalZeroOutcome?
    public private(set) var view: GazeTaskView

    public init(config: GazeConfig = GazeConfig(), calibration: GazeCalibration? = nil) {
        self.config = config
        base = calibration ?? .generic(config.gaze)
        view = GazeTaskView(phase: .calibrating(point: 1, of: 1), target: .camera,
                            instruction: "look into the camera lens", problem: .noFace)
    }

    public var isFinished: Bool { outcome != nil }

    @discardableResult
    public mutating func update(_ f: ChallengeFrame) -> GazeTaskView {
        guard outcome == nil else { return view }
        if firstMs == nil { firstMs = f.timeMs }
        let usable = f.face && f.eyesOpen ? f.features : nil
        if let usable {
            if startMs == nil { startMs = f.timeMs }
            samples.append(usable)
        }
        guard let start = startMs else {
            if f.timeMs - (firstMs ?? f.timeMs) > giveUpSeconds * 1000 { finish(problem: "no face with open eyes came") }
            else { view.problem = f.face ? nil : .noFace }
            return view
        }
        let left = seconds - (f.timeMs - start) / 1000
        view.problem = usable == nil ? (f.face ? nil : .noFace) : nil
        view.secondsLeft = max(0, left)
        view.features = usable
        view.gaze = usable.map(base.angles(for:))
        if left <= 0 { finish(problem: nil) }
        return view
    }

    public mutating func stop(_ reason: ChallengeStop) {
        guard outcome == nil else { return }
        outcome = PersonalZeroOutcome(calibration: nil, frames: samples.count, problem: nil, stop: reason)
        view.phase = .finished
        view.result = .inconclusive
        view.instruction = outcome!.headline
    }

    /// The median look (per term), if enough frames came, checked against `maxShiftDeg`.
    private mutating func finish(problem: String?) {
        var problem = problem
        var calibration: GazeCalibration?
        if problem == nil {
            if samples.count < minFrames {
                problem = "only \(samples.count) frames with open eyes (\(minFrames) needed)"
            } else if let look = GazeFeatures.median(samples) {
                let now = base.angles(for: look)
                if now.offAxisDeg > maxShiftDeg {
                    problem = "that look reads \(Int(now.offAxisDeg.rounded())) degrees from the camera: look into the lens"
                } else {
                    calibration = base.recentred(look, at: GazeAngles(rightDeg: 0, upDeg: 0))
                }
            }
        }
        outcome = PersonalZeroOutcome(calibration: calibration, frames: samples.count, problem: problem, stop: nil)
        view.phase = .finished
        view.result = calibration == nil ? .fail : .pass
        view.instruction = outcome!.headline
    }
}

/// How a personal zero ended.
public struct PersonalZeroOutcome: Sendable, Equatable {
    /// The re-centred mapping; nil when it failed or stopped.
    public var calibration: GazeCalibration?
    public var frames: Int
    public var problem: String?
    public var stop: ChallengeStop?

    public var headline: String {
        if let stop { return "TRY AGAIN - " + stop.advice }
        if let problem { return "TRY AGAIN - " + problem }
        return "ZEROED - your look at the camera now reads as the camera"
    }
}

extension PersonalZeroSession: GazeTask {}
