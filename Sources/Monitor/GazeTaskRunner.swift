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
    ///   - describer: the followed face's descriptors, when the task wants them (its identity checks).
    public static func live<Task: GazeTask>(_ task: Task, camera: V4L2Camera, options: LiveOptions, model: FaceModel,
                                            config: GazeConfig, describer: FollowedFaceDescriber? = nil,
                                            onView: @escaping (GazeTaskView) -> Void,
                                            stopReason: @escaping () -> ChallengeStop? = { nil })
        throws(CameraError) -> LiveRun<Task> {
        let driver = GazeTaskDriver(task, onView: onView)
        let handOver = ModelHandOver(model)
        let session = LiveSession(camera: camera, options: options) {
            ChallengeProcessor(pipeline: FramePipeline(model: handOver.take(), config: config), describer: describer) {
                driver.take($0, describe: $1)
            }
        }
        let report = try session.run(onRecord: { _ in }, shouldStop: {
            if driver.isFinished { return true }
            guard let reason = stopReason() else { return false }
            driver.requestStop(reason)
            return true
        })
        // The session has drained the vision queue: the task is this thread's now.
        driver.end()
        let finished = driver.finishedTask!
        return LiveRun(task: finished, report: report)
    }

    /// Runs the task on a recording: frames before `startMs` go through the pipeline (so it is in the
    /// state a live session would be in) but not to the task; the task ends at the recording's end if it
    /// has not finished by then.
    public static func file<Task: GazeTask>(_ task: Task, source: FrameSource, startMs: Double, pipeline: FramePipeline,
                                            describer: FollowedFaceDescriber? = nil,
                                            onView: (GazeTaskView) -> Void = { _ in },
                                            shouldStop: () -> Bool = { false }) throws(CaptureError) -> Task {
        let run = FileRun(task, source: source, startMs: startMs, pipeline: pipeline, describer: describer)
        while true {
            if let finished = try run.step(frames: .max, onView: onView, shouldStop: shouldStop) { return finished }
        }
    }

    /// A task on a recording, run a few frames at a time: a server scores a recording in turns on a vision
    /// queue it shares with other clients. Stepped to its end it is `file`, frame for frame.
    public final class FileRun<Task: GazeTask> {
        private var task: Task
        private let source: FrameSource
        private let startMs: Double
        private let pipeline: FramePipeline
        private let describer: FollowedFaceDescriber?
        private var sampler = ChallengeFrameSampler()

        public init(_ task: Task, source: FrameSource, startMs: Double, pipeline: FramePipeline,
                    describer: FollowedFaceDescriber? = nil) {
            self.task = task
            self.source = source
            self.startMs = startMs
            self.pipeline = pipeline
            self.describer = describer
            pipeline.reset()
        }

        /// Processes up to `frames` more frames; returns the finished task once it is (stopped, or ended
        /// with the recording), nil while there is more to do.
        public func step(frames limit: Int, onView: (GazeTaskView) -> Void = { _ in },
                         shouldStop: () -> Bool = { false }) throws(CaptureError) -> Task? {
            var done = 0
            while !task.isFinished && done < limit {
                guard let frame = try source.nextFrame() else {
                    task.stop(.streamEnded)
                    onView(task.view)
                    return task
                }
                if shouldStop() {
                    task.stop(.stopped)
                    return task
                }
                let result = pipeline.process(frame)
                let sample = sampler.sample(result)
                done += 1
                guard sample.timeMs >= startMs else { continue }
                onView(task.take(sample) { [describer] in describer?.describe(result) })
            }
            return task.isFinished ? task : nil
        }
    }
}

