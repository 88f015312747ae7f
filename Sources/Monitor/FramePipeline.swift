import Capture
import GazeCore
import Vision

/// Everything processing one frame produced, as one value: readers take what they need from it instead
/// of reaching back into the pipeline afterwards.
public struct FrameResult: Sendable {
    /// Where the frame's time went, in milliseconds of a monotonic clock.
    public struct Timing: Sendable, Equatable {
        /// The vision stages (detection, landmarks, eyes, head pose).
        public var stages: StageTimings
        /// Vision as a whole: `FrameObservation.visionMs`, and so every copy of the frame's `FrameRecord.ms`.
        public var visionMs: Double
        /// The metrics after it (GazeCore: blinks, gaze, eye contact).
        public var metricsMs: Double
        /// Vision and metrics together.
        public var totalMs: Double { visionMs + metricsMs }

        public init(stages: StageTimings = StageTimings(), visionMs: Double, metricsMs: Double) {
            self.stages = stages
            self.visionMs = visionMs
            self.metricsMs = metricsMs
        }
    }

    /// The frame processed (its pixels are shared, not copied).
    public var frame: Frame
    /// What vision saw in it.
    public var observation: FrameObservation
    /// Its record as known now, for a live view: a closing eye is provisionally `blink`.
    public var live: FrameRecord
    /// The records whose judgement became final with this frame, in stream order: this frame's own, or,
    /// at the end of a closure of the eyes, the frames held back during it (see `EyeMetrics`); often none
    /// while the eyes are shut.
    public var confirmed: [FrameRecord]
    public var timing: Timing

    public init(frame: Frame, observation: FrameObservation, live: FrameRecord, confirmed: [FrameRecord], timing: Timing) {
        self.frame = frame
        self.observation = observation
        self.live = live
        self.confirmed = confirmed
        self.timing = timing
    }
}

/// Vision then metrics for one stream: the single path every frame takes, from a file or a camera.
///
/// Not thread-safe: it owns the face tracker's dlib/OpenCV state, so it lives on one serial queue.
public final class FramePipeline {
    public let tracker: FaceTracker
    public private(set) var metrics: EyeMetrics
    public let includeRaw: Bool

    /// - Parameter calibration: the person's gaze mapping (`gazetop calibrate`); nil for the generic one.
    public init(model: FaceModel, config: GazeConfig = GazeConfig(), includeRaw: Bool = false,
                calibration: GazeCalibration? = nil) {
        tracker = FaceTracker(model: model, config: config.tracking)
        metrics = EyeMetrics(config: config, calibration: calibration)
        self.includeRaw = includeRaw
    }

    /// Processes one frame: what vision saw, its live record, and the records it made final.
    public func process(_ frame: Frame) -> FrameResult {
        let observation = tracker.observe(frame)
        let metricsStart = MonotonicClock.nowMs()
        let live = metrics.update(observation, includeRaw: includeRaw)
        let confirmed = metrics.takeConfirmed()
        let timing = FrameResult.Timing(stages: tracker.lastTimings, visionMs: observation.visionMs,
                                        metricsMs: MonotonicClock.nowMs() - metricsStart)
        return FrameResult(frame: frame, observation: observation, live: live, confirmed: confirmed, timing: timing)
    }

    /// Ends the stream and returns the records still held back.
    public func finish() -> [FrameRecord] { metrics.finish() }

    /// Changes the eye-contact cone from the next frame on (see `EyeMetrics.setEyeContactCone`).
    public func setEyeContactCone(enterDeg: Double) { metrics.setEyeContactCone(enterDeg: enterDeg) }

    /// Maps gaze with `calibration` from the next frame on (see `EyeMetrics.setCalibration`).
    public func setCalibration(_ calibration: GazeCalibration?) { metrics.setCalibration(calibration) }

    /// Forgets the face and the statistics (a new file, or the user's reset).
    public func reset() {
        tracker.reset()
        metrics.reset()
    }
}
