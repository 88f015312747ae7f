import Capture
import GazeCore
import Monitor
import Vision

/// How a live challenge or calibration shows itself: the full-screen grid on a terminal, or the line
/// display on stderr (`TaskDisplay`).
public enum TaskDisplayMode: Sendable {
    case fullScreen(ascii: Bool, color: Bool)
    case line
}

/// A challenge or calibration on a live camera, shown as its `TaskDisplayMode` says: on the line display
/// the run takes this thread; on the full screen it runs on a thread of its own while this one draws
/// (`TaskScreenHost`), and q or Esc stop it.
enum LiveTask {
    /// Runs `task` to its end. A camera that fails at setup is returned, for the caller to judge (a refused
    /// virtual camera is a failed challenge); a screen that cannot open is thrown.
    ///
    /// - Parameters:
    ///   - line: the line display, when that is the mode.
    ///   - shouldStop: Ctrl-C, SIGTERM (the task stops, `.stopped`).
    ///   - expired: the session's time is up (the task stops, `.expired`).
    static func run<Task: GazeTask>(_ task: Task, camera: V4L2Camera, options: LiveOptions, model: FaceModel,
                                    config: GazeConfig, describer: FollowedFaceDescriber? = nil, mode: TaskDisplayMode, line: TaskDisplay,
                                    shouldStop: @escaping @Sendable () -> Bool, expired: @escaping () -> Bool = { false })
        throws(RunFailure) -> Result<GazeTaskRunner.LiveRun<Task>, CameraError> {
        guard case .fullScreen(let ascii, let color) = mode else {
            return live(task, camera: camera, options: options, model: model, config: config, describer: describer, onView: line.show,
                        stopReason: { shouldStop() ? .stopped : expired() ? .expired : nil })
        }
        let host = TaskScreenHost(initial: task.view)
        do {
            return try host.run(ascii: ascii, color: color, config: config.dashboard, shouldStop: shouldStop) {
                live(task, camera: camera, options: options, model: model, config: config, describer: describer, onView: host.show,
                     stopReason: { shouldStop() || host.stopRequested ? .stopped : expired() ? .expired : nil })
            }
        } catch {
            throw .terminal(error.description)
        }
    }

    private static func live<Task: GazeTask>(_ task: Task, camera: V4L2Camera, options: LiveOptions, model: FaceModel,
                                             config: GazeConfig, describer: FollowedFaceDescriber?,
                                             onView: @escaping (GazeTaskView) -> Void,
                                             stopReason: @escaping () -> ChallengeStop?)
        -> Result<GazeTaskRunner.LiveRun<Task>, CameraError> {
        Result { () throws(CameraError) in
            try GazeTaskRunner.live(task, camera: camera, options: options, model: model, config: config,
                                    describer: describer, onView: onView, stopReason: stopReason)
        }
    }
}
