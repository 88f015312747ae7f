import Capture
import GazeCore
import Vision

/// A recording of a challenge and how to score it: the one way `gazetop challenge --input` and the
/// server's `POST /submit-liveness` turn a video into an outcome, so the same file with the same sequence
/// and plan gets the same verdict from both.
public struct ChallengeRecording: Sendable {
    /// The cells the recording shows, in order.
    public var sequence: [Int]
    /// The short calibration's cells and timing the recording shows; nil: the fixed plan (a recording
    /// made with `--sequence`).
    public var plan: CalibrationPlan?
    /// A saved calibration to use; nil: the challenge calibrates itself.
    public var calibration: GazeCalibration?
    public var config: GazeConfig
    /// Where in the recording get ready starts, seconds of stream time.
    public var startSeconds: Double
    /// Whose face the challenge must show (`same_person`, `enrolled_person`); nil: no identity checks.
    public var identity: IdentityRequirement?

    public init(sequence: [Int], plan: CalibrationPlan?, calibration: GazeCalibration?, config: GazeConfig,
                startSeconds: Double = 0, identity: IdentityRequirement? = nil) {
        self.sequence = sequence
        self.plan = plan
        self.calibration = calibration
        self.config = config
        self.startSeconds = startSeconds
        self.identity = identity
    }

    /// Runs the challenge on `source` to its outcome: frames before `startSeconds` only warm the pipeline,
    /// and a recording that ends before the verdict is inconclusive (`stream_ended`). Call it on the queue
    /// that owns `model`; `describer` samples the face for the identity checks.
    public func score(_ source: FrameSource, model: FaceModel, describer: FollowedFaceDescriber? = nil,
                      onView: (GazeTaskView) -> Void = { _ in },
                      shouldStop: () -> Bool = { false }) throws(CaptureError) -> ChallengeOutcome {
        try GazeTaskRunner.file(session, source: source, startMs: startSeconds * 1000,
                                pipeline: FramePipeline(model: model, config: config), describer: describer,
                                onView: onView, shouldStop: shouldStop).outcome!
    }

    /// The same scoring in steps (`GazeTaskRunner.FileRun`), for a queue shared with other work; every step
    /// on the queue that owns `model`. Its finished task's `outcome` is what `score` returns.
    public func scoring(_ source: FrameSource, model: FaceModel,
                        describer: FollowedFaceDescriber? = nil) -> GazeTaskRunner.FileRun<ChallengeSession> {
        GazeTaskRunner.FileRun(session, source: source, startMs: startSeconds * 1000,
                               pipeline: FramePipeline(model: model, config: config), describer: describer)
    }

    private var session: ChallengeSession {
        ChallengeSession(sequence: sequence, calibration: calibration, plan: plan, config: config, identity: identity)
    }
}
