import Capture
import GazeCore
import Monitor
import Vision

/// One calibration, from the first frame to its outcome, on a camera (shown on the full screen or the
/// line display, with the raw values) or on a recording. Saving the fit is the caller's (`CalibrationFile`).
public struct CalibrationRun {
    public var config: GazeConfig
    public var model: FaceModel
    /// Ctrl-C, SIGTERM: the calibration stops (not calibrated).
    public var shouldStop: @Sendable () -> Bool

    public init(config: GazeConfig, model: FaceModel, shouldStop: @escaping @Sendable () -> Bool) {
        self.config = config
        self.model = model
        self.shouldStop = shouldStop
    }

    /// Fits a recording of a calibration whose get-ready starts `startSeconds` in.
    public func fit(recording path: String, startSeconds: Double) throws(RunFailure) -> CalibrationOutcome {
        let source: FrameSource
        do { source = try openFileSource(path: path) } catch { throw .input("\(error)") }
        do {
            return try GazeTaskRunner.file(CalibrationSession(config: config), source: source, startMs: startSeconds * 1000,
                                           pipeline: FramePipeline(model: model, config: config),
                                           onView: TaskDisplay(raw: true).show, shouldStop: shouldStop).outcome!
        } catch {
            throw .input("\(error)")
        }
    }

    /// Runs the calibration on `camera`; a camera failure, at setup or mid-stream, is thrown.
    public func run(camera: V4L2Camera, options: LiveOptions, display: TaskDisplayMode) throws(RunFailure) -> CalibrationOutcome {
        let attempt = try LiveTask.run(CalibrationSession(config: config), camera: camera, options: options, model: model,
                                       config: config, mode: display, line: TaskDisplay(raw: true), shouldStop: shouldStop)
        let run: GazeTaskRunner.LiveRun<CalibrationSession>
        do throws(CameraError) { run = try attempt.get() } catch { throw .camera(error) }
        if case .fullScreen = display { StandardError.write(run.task.outcome!.headline + "\n") }
        if case .failed(let error) = run.report.ending { throw .camera(error) }
        return run.task.outcome!
    }
}
