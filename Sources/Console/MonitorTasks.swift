import Capture
import Dashboard
import GazeCore
import Monitor
import Store

/// The monitor's `g`, `c` and `z`: a challenge or a calibration on the monitor's own stream. Frames reach the
/// task through the feed's tap on the vision queue; this (main) thread draws its views with a
/// `GazeTaskLoop` on the dashboard's screen until it is done, then the dashboard comes back with the
/// result in its status line. A calibration that succeeds is saved as `gazetop calibrate` saves it, and
/// the monitor maps gaze with it from then on (and so does the next `g`).
final class MonitorTasks {
    let feed: DashboardFeed
    let session: LiveSession
    let screen: CursesScreen
    let config: GazeConfig
    let camera: String
    private(set) var calibration: GazeCalibration?
    let shouldStop: () -> Bool

    init(feed: DashboardFeed, session: LiveSession, screen: CursesScreen, config: GazeConfig, camera: String,
         calibration: GazeCalibration?, shouldStop: @escaping () -> Bool) {
        self.feed = feed
        self.session = session
        self.screen = screen
        self.config = config
        self.camera = camera
        self.calibration = calibration
        self.shouldStop = shouldStop
    }

    func challenge() -> String {
        guard !shouldStop() else { return "liveness challenge: the stream has ended" }
        var rng = SystemRandomNumberGenerator()
        let cells = ChallengeSequence.random(count: config.challenge.areaCount, grid: ScreenGrid(config: config.screen), using: &rng)
        let plan = CalibrationPlan.random(grid: ScreenGrid(config: config.screen), config: config.challenge, using: &rng)
        let task = run(ChallengeSession(sequence: cells, calibration: calibration, plan: plan, config: config))
        return "liveness challenge: " + (task.outcome?.headline ?? "stopped")
    }

    func calibrate() -> String {
        guard !shouldStop() else { return "calibration: the stream has ended" }
        let task = run(CalibrationSession(config: config))
        guard let outcome = task.outcome else { return "calibration: stopped" }
        guard case .success(let fit)? = outcome.fit else { return "calibration: " + outcome.headline }
        if let failure = use(fit) { return "calibration not saved: \(failure.description)" }
        return "calibration saved to \(StatePaths.calibrationFile) (error \(RecordEncoding.num(fit.rmsErrorDeg, 1)) degrees); gaze uses it now"
    }

    /// The quick personal zero (`z`): re-centres the mapping in use (the saved calibration's, or the
    /// generic eye model's) on the person's look at the camera, and saves it as the calibration file.
    func zero() -> String {
        guard !shouldStop() else { return "personal zero: the stream has ended" }
        let task = run(PersonalZeroSession(config: config, calibration: calibration))
        guard let outcome = task.outcome else { return "personal zero: stopped" }
        guard let zeroed = outcome.calibration else { return "personal zero: " + outcome.headline }
        if let failure = use(CalibrationFit.Result(calibration: zeroed, rmsErrorDeg: 0, frames: outcome.frames)) {
            return "personal zero not saved: \(failure.description)"
        }
        return "personal zero saved to \(StatePaths.calibrationFile); gaze uses it now (c calibrates fully)"
    }

    /// Saves `fit` as this camera's calibration file and maps gaze with it from the next frame on; the
    /// failure to save, if it was not saved (and so not used).
    private func use(_ fit: CalibrationFit.Result) -> StateFileError? {
        do {
            try CalibrationFile(fit, camera: CameraIdentity.of(camera)).save(StatePaths.calibrationFile)
        } catch {
            return error
        }
        calibration = fit.calibration
        feed.setCalibration(fit.calibration)
        return nil
    }

    /// Runs `task` on the stream until it is done (or the program stops), drawing it; returns it finished.
    private func run<Task: GazeTask>(_ task: Task) -> Task {
        let driver = GazeTaskDriver(task)
        feed.setTaskTap { driver.take($0) }
        let loop = GazeTaskLoop(screen: screen, config: config.dashboard, grid: ScreenGrid(config: config.screen),
                                latest: { driver.view }, done: { driver.isFinished }, clock: MonotonicClock.nowSeconds)
        _ = loop.run(stop: { [session] in
            driver.requestStop(.stopped)
            session.onVisionQueue { driver.applyStop() }
        }, shouldStop: shouldStop)
        if !driver.isFinished {
            // The program is stopping: end the task on the vision queue (with the next frame, or once the
            // queue is free if the stream has ended). Not a synchronous wait: a live stream keeps it busy.
            driver.requestStop(.stopped)
            session.onVisionQueue { driver.applyStop() }
            driver.waitUntilFinished()
        }
        feed.setTaskTap(nil)
        return driver.finishedTask!
    }
}
