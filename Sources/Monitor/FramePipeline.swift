import Capture
import GazeCore
import Vision

/// Vision then metrics for one stream: the single path every frame takes, from a file or a camera.
///
/// Not thread-safe: it owns the face tracker's dlib/OpenCV state, so it lives on one serial queue.
public final class FramePipeline {
    public let tracker: FaceTracker
    public private(set) var metrics: EyeMetrics
    public let includeRaw: Bool
    /// Milliseconds the metrics (GazeCore) took on the last frame; the vision stages are in
    /// `tracker.lastTimings`.
    public private(set) var lastCoreMs = 0.0
    /// What vision saw in the last frame processed (the dashboard's preview marks the eye landmarks from
    /// it; the challenge reads the landmarks).
    public private(set) var lastObservation: FrameObservation?

    /// - Parameter calibration: the person's gaze mapping (`gazetop calibrate`); nil for the generic one.
    public init(model: FaceModel, config: GazeConfig = GazeConfig(), includeRaw: Bool = false,
                calibration: GazeCalibration? = nil) {
        tracker = FaceTracker(model: model, config: config.tracking)
        metrics = EyeMetrics(config: config, calibration: calibration)
        self.includeRaw = includeRaw
    }

    /// Processes one frame and returns its record as known now (the live view). The record's `ms` covers
    /// vision and metrics together.
    public func process(_ frame: Frame) -> FrameRecord {
        let start = Monotonic.nowMs()
        let observation = tracker.observe(frame)
        lastObservation = observation
        let coreStart = Monotonic.nowMs()
        var record = metrics.update(observation, includeRaw: includeRaw)
        let end = Monotonic.nowMs()
        lastCoreMs = end - coreStart
        record.ms = end - start
        return record
    }

    /// Records whose judgement is final (see `EyeMetrics`), in stream order, since the last call.
    public func takeConfirmed() -> [FrameRecord] { metrics.takeConfirmed() }

    /// Ends the stream and returns the records still held back.
    public func finish() -> [FrameRecord] { metrics.finish() }

    /// Changes the eye-contact cone from the next frame on (see `EyeMetrics.setEyeContactCone`).
    public func setEyeContactCone(enterDeg: Double) { metrics.setEyeContactCone(enterDeg: enterDeg) }

    /// Maps gaze with `calibration` from the next frame on (see `EyeMetrics.setCalibration`).
    public func setCalibration(_ calibration: GazeCalibration?) { metrics.setCalibration(calibration) }

    /// Forgets the face and the statistics (a new file, or the user's reset).
    public func reset() {
        lastObservation = nil
        tracker.reset()
        metrics.reset()
    }
}
