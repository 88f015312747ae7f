import Capture
import Foundation
import GazeCore
import Monitor
import Store
import Vision

/// One liveness challenge, from the first frame to its outcome and the result's context, on a camera
/// (shown on the full screen or the line display) or on a recording (scored headless). The kiosk's rules
/// around it (session ids, lockout) are `LedgerStore`'s; writing the result and the exit status are the
/// caller's.
public struct ChallengeRun {
    public var sequence: [Int]
    /// The short calibration's targets drawn for this session; nil keeps the fixed plan (a fixed sequence,
    /// for testing).
    public var plan: CalibrationPlan?
    public var config: GazeConfig
    public var model: FaceModel
    /// The session's id, its settings and when it started; the run adds the rest.
    public var context: ChallengeResultContext
    /// Wall-clock seconds (since 1970) after which the session has expired.
    public var expiresAt: Double
    /// Ctrl-C, SIGTERM: the challenge stops (inconclusive).
    public var shouldStop: @Sendable () -> Bool
    /// When the command's session started (`MonotonicClock`): its processing time runs from here.
    public var startedMs: Double
    /// Who must complete the challenge, and what describes the followed face for it (both or neither).
    public var identity: (requirement: IdentityRequirement, describer: FollowedFaceDescriber)?

    public init(sequence: [Int], plan: CalibrationPlan?, config: GazeConfig, model: FaceModel,
                context: ChallengeResultContext, expiresAt: Double, shouldStop: @escaping @Sendable () -> Bool,
                startedMs: Double = MonotonicClock.nowMs()) {
        self.sequence = sequence
        self.plan = plan
        self.config = config
        self.model = model
        self.startedMs = startedMs
        self.context = context
        self.expiresAt = expiresAt
        self.shouldStop = shouldStop
    }

    /// What a run came to: the outcome, the result's context, and a camera failure mid-stream (the outcome
    /// is then inconclusive, and the result still written).
    public struct Finished: Sendable {
        public var outcome: ChallengeOutcome
        public var context: ChallengeResultContext
        public var cameraFailure: CameraError?
    }

    /// Scores a recording of a challenge whose get-ready starts `startSeconds` in.
    public func score(recording path: String, startSeconds: Double, calibration: CalibrationChoice) throws(RunFailure) -> Finished {
        let source: FrameSource
        do { source = try openFileSource(path: path) } catch { throw .input("\(error)") }
        return try score(source, named: path, startSeconds: startSeconds, calibration: calibration)
    }

    /// Scores the frames of `source` (a recording, or frames a test put together) as a recording named `name`.
    public func score(_ source: FrameSource, named name: String, startSeconds: Double,
                      calibration: CalibrationChoice) throws(RunFailure) -> Finished {
        let recording = ChallengeRecording(sequence: sequence, plan: plan, calibration: calibration.calibration,
                                           config: config, startSeconds: startSeconds,
                                           identity: identity?.requirement)
        let display = TaskDisplay()
        let outcome: ChallengeOutcome
        do {
            outcome = try recording.score(source, model: model, describer: identity?.describer,
                                          onView: display.show, shouldStop: shouldStop)
        } catch {
            throw .input("\(error)")
        }
        var context = self.context
        context.input = name
        context.inputStartSeconds = startSeconds
        context.calibrationFile = calibration.file
        noteIdentity(&context)
        context.processingSeconds = (MonotonicClock.nowMs() - startedMs) / 1000
        return Finished(outcome: outcome, context: context, cameraFailure: nil)
    }

    private func noteIdentity(_ context: inout ChallengeResultContext) {
        guard let describer = identity?.describer else { return }
        context.identity?.descriptors = describer.count
        context.identity?.descriptorSeconds = describer.totalMs / 1000
    }

    /// Runs the challenge on `camera`. A virtual camera that `options` refuses is a failed challenge
    /// (said in one line), not an error; other setup failures are thrown.
    public func run(camera: V4L2Camera, options: LiveOptions, calibration: CalibrationChoice,
                    display: TaskDisplayMode) throws(RunFailure) -> Finished {
        let lineDisplay = TaskDisplay()
        let task = ChallengeSession(sequence: sequence, calibration: calibration.calibration, plan: plan, config: config,
                                    identity: identity?.requirement)
        let attempt = try LiveTask.run(task, camera: camera, options: options, model: model, config: config,
                                       describer: identity?.describer, mode: display,
                                       line: lineDisplay, shouldStop: shouldStop,
                                       expired: { [expiresAt] in Date().timeIntervalSince1970 >= expiresAt })
        var context = self.context
        let outcome: ChallengeOutcome
        var failure: CameraError?
        do throws(CameraError) {
            let run = try attempt.get()
            if case .fullScreen = display { StandardError.write(run.task.outcome!.headline + "\n") }
            outcome = run.task.outcome!
            context.format = run.report.format
            if case .failed(let error) = run.report.ending { failure = error }
        } catch {
            guard case .virtualCamera(let path, let driver) = error else { throw .camera(error) }
            outcome = .virtualCameraRefused(sequence: sequence)
            StandardError.write("gazetop: \(path) is a virtual camera (\(driver)); the challenge refuses it unless --allow-virtual\n")
            lineDisplay.end(outcome.headline)
        }
        noteIdentity(&context)
        context.device = camera.path
        context.deviceInfo = camera.info
        context.calibrationFile = calibration.file
        context.processingSeconds = (MonotonicClock.nowMs() - startedMs) / 1000
        return Finished(outcome: outcome, context: context, cameraFailure: failure)
    }
}
