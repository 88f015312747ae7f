import Capture
import GazeCore
import Synchronization
import Vision

/// Runs a challenge or a calibration (a `GazeTask`) on a live camera or a recording: every processed frame
/// becomes a `ChallengeFrame` for the task, and each new view goes to `onView` (the display) at once.
public enum GazeTaskRunner {
    /// What a live run did: the task, finished, and the session's report.
    public struct LiveRun<Task: GazeTask> {
        public var task: Task
        public var report: LiveReport
    }

    /// Streams from `camera` until the task finishes, the stream ends or fails, or `stopReason` gives a
    /// reason (Ctrl-C, the session expired); a task cut short is ended with that reason (the stream ending:
    /// `.streamEnded`). Setup failures (no camera, busy, a refused virtual camera...) are thrown as by
    /// `LiveSession.run`; a failure mid-stream is in the report's ending.
    ///
    /// - Parameters:
    ///   - onView: called on the vision queue with the task's view after each frame.
    ///   - stopReason: polled on the capture thread about ten times a second.
    public static func live<Task: GazeTask>(_ task: Task, camera: V4L2Camera, options: LiveOptions, model: FaceModel,
                                            config: GazeConfig, onView: @escaping (GazeTaskView) -> Void,
                                            stopReason: @escaping () -> ChallengeStop? = { nil })
        throws(CameraError) -> LiveRun<Task> {
        let state = RunState(task: task, model: model, onView: onView)
        let session = LiveSession(camera: camera, options: options) {
            ChallengeProcessor(pipeline: FramePipeline(model: state.model, config: config), onFrame: state.take)
        }
        let report = try session.run(onRecord: { _ in }, shouldStop: {
            if state.finished.load(ordering: .acquiring) { return true }
            guard let reason = stopReason() else { return false }
            state.stop.withLock { $0 = $0 ?? reason }
            return true
        })
        var finished = state.task
        if !finished.isFinished {
            let reason = state.stop.withLock { $0 } ?? .streamEnded
            finished.stop(reason)
            onView(finished.view)
        }
        return LiveRun(task: finished, report: report)
    }

    /// Runs the task on a recording: frames before `startMs` go through the pipeline (so it is in the
    /// state a live session would be in) but not to the task; the task ends at the recording's end if it
    /// has not finished by then.
    public static func file<Task: GazeTask>(_ task: Task, source: FrameSource, startMs: Double, pipeline: FramePipeline,
                                            onView: (GazeTaskView) -> Void = { _ in },
                                            shouldStop: () -> Bool = { false }) throws(CaptureError) -> Task {
        var task = task
        var sampler = ChallengeFrameSampler()
        pipeline.reset()
        while !task.isFinished, let frame = try source.nextFrame() {
            if shouldStop() {
                task.stop(.stopped)
                break
            }
            let record = pipeline.process(frame)
            _ = pipeline.takeConfirmed()
            guard let observation = pipeline.lastObservation else { continue }
            let sample = sampler.sample(frame, observation: observation, record: record)
            if sample.timeMs >= startMs { onView(task.update(sample)) }
        }
        if !task.isFinished {
            task.stop(.streamEnded)
            onView(task.view)
        }
        return task
    }
}

/// The task and what the vision queue needs, shared between the threads of a live run.
// @unchecked Sendable: `task` is changed only on the vision queue (in `take`) while the session runs and
// read by `live` only after `LiveSession.run` has drained that queue; the model is handed to the vision
// queue once and not used elsewhere meanwhile; `finished` and `stop` are synchronised.
private final class RunState<Task: GazeTask>: @unchecked Sendable {
    var task: Task
    let model: FaceModel
    let onView: (GazeTaskView) -> Void
    let finished = Atomic<Bool>(false)
    let stop = Mutex<ChallengeStop?>(nil)

    init(task: Task, model: FaceModel, onView: @escaping (GazeTaskView) -> Void) {
        self.task = task
        self.model = model
        self.onView = onView
    }

    func take(_ frame: ChallengeFrame) {
        guard !task.isFinished else { return }
        onView(task.update(frame))
        if task.isFinished { finished.store(true, ordering: .releasing) }
    }
}
