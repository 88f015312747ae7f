import Capture
import Dashboard
import Dispatch
import Foundation
import GazeCore
import Glibc
import Monitor
import Synchronization

/// Wires the live dashboard: the session streams on a thread of its own (its capture thread) and
/// processes on its vision queue, which feeds a `DashboardFeed`; the main thread runs the `DashboardLoop`
/// on a curses screen and draws the newest snapshot. Every way out (quit, Ctrl-C, SIGTERM, a camera
/// failure, an error) closes the screen before anything is printed.
struct LiveDashboard {
    let camera: V4L2Camera
    let options: LiveOptions
    let config: GazeConfig
    let calibration: GazeCalibration?
    let model: ModelHandOver

    init(device: V4L2Camera, options: LiveOptions, config: GazeConfig, calibration: GazeCalibration?,
         model: ModelHandOver) {
        self.calibration = calibration
        camera = device
        self.options = options
        self.config = config
        self.model = model
    }

    struct Outcome {
        var live: LiveReport
        var report: SessionReport
    }

    func run(ascii: Bool, color: Bool, exitAtEnd: Bool) throws(CommandFailure) -> Outcome {
        // Before any thread starts, so they all inherit it: a parent may have left SIGWINCH blocked.
        TerminalSignals.unblock()
        let feed = DashboardFeed(config: config, device: camera.path)
        let model = self.model, config = self.config, calibration = self.calibration
        let session = LiveSession.feeding(feed, camera: camera, options: options) {
            FramePipeline(model: model.take(), config: config, includeRaw: true, calibration: calibration)
        }

        let interrupt = InterruptFlag(signals: [SIGINT, SIGTERM, SIGHUP])
        let streaming = SessionThread(session: session, feed: feed, shouldStop: { interrupt.raised })
        streaming.start()
        // Setup failures (no camera, busy, permission) are reported before the screen changes.
        streaming.waitUntilStreamingOrFinished()
        if streaming.finished, case .failure(let error) = streaming.result! { throw CommandFailure(error) }

        let screen: CursesScreen
        do {
            screen = try CursesScreen(ascii: ascii, color: color)
        } catch {
            streaming.stopAndWait()
            throw CommandFailure(.terminal, error.description)
        }
        var hooks = DashboardLoop.Hooks()
        hooks.pause = { feed.request($0 ? .pause : .resume) }
        hooks.reset = { feed.request(.reset) }
        hooks.preview = { feed.request(.preview($0)) }
        hooks.stricter = { feed.request(.stricter(steps: $0)) }
        // g and c: the task runs on this stream (the same camera and pipeline), drawn on this screen.
        let tasks = MonitorTasks(feed: feed, session: session, screen: screen, config: config, camera: camera.path,
                                 calibration: calibration, shouldStop: { interrupt.raised || streaming.finished })
        hooks.challenge = tasks.challenge
        hooks.calibrate = tasks.calibrate
        hooks.zero = tasks.zero
        let loop = DashboardLoop(screen: screen, config: config.dashboard, latest: { feed.latest() }, hooks: hooks,
                                 clock: MonotonicClock.nowSeconds)
        // The first run without a calibration: the generic eye model fits most people within a few degrees;
        // two seconds of looking at the camera fit this one.
        let greeting = calibration == nil ? "no calibration for this camera: press z and look into the lens for 2 s" : nil
        _ = loop.run(exitAtEnd: exitAtEnd, greeting: greeting, shouldStop: { interrupt.raised || streaming.failed })
        screen.close()

        streaming.stopAndWait()
        let report = session.onVisionQueueAndWait { feed.report }
        switch streaming.result! {
        case .success(let live): return Outcome(live: live, report: report)
        case .failure(let error): throw CommandFailure(error)
        }
    }
}

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
        let path = StatePaths.calibrationFile
        do {
            try CalibrationFile(fit, camera: CameraIdentity.of(camera)).save(path)
        } catch {
            return "calibration not saved: \(error.description)"
        }
        calibration = fit.calibration
        feed.setCalibration(fit.calibration)
        return "calibration saved to \(path) (error \(RecordEncoding.num(fit.rmsErrorDeg, 1)) degrees); gaze uses it now"
    }

    /// The quick personal zero (`z`): re-centres the mapping in use (the saved calibration's, or the
    /// generic eye model's) on the person's look at the camera, and saves it as the calibration file.
    func zero() -> String {
        guard !shouldStop() else { return "personal zero: the stream has ended" }
        let task = run(PersonalZeroSession(config: config, calibration: calibration))
        guard let outcome = task.outcome else { return "personal zero: stopped" }
        guard let zeroed = outcome.calibration else { return "personal zero: " + outcome.headline }
        let path = StatePaths.calibrationFile
        let fit = CalibrationFit.Result(calibration: zeroed, rmsErrorDeg: 0, frames: outcome.frames)
        do {
            try CalibrationFile(fit, camera: CameraIdentity.of(camera)).save(path)
        } catch {
            return "personal zero not saved: \(error.description)"
        }
        calibration = zeroed
        feed.setCalibration(zeroed)
        return "personal zero saved to \(path); gaze uses it now (c calibrates fully)"
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

/// The environment's say on the terminal.
enum TerminalCheck {
    /// A full screen needs a terminal that can move the cursor (not TERM=dumb), and as it draws wide
    /// characters, a UTF-8 locale unless `--ascii`. Both are said before anything starts (exit 13).
    static func requireScreen(ascii: Bool) throws(CommandFailure) {
        if let why = CursesScreen.whyTerminalCannotDraw() {
            throw CommandFailure(.terminal, why + "; use a terminal such as xterm, or --json for records")
        }
        try requireUTF8(unlessASCII: ascii)
    }

    /// The dashboard draws wide characters, so the locale must be UTF-8 unless `--ascii`.
    private static func requireUTF8(unlessASCII ascii: Bool) throws(CommandFailure) {
        let utf8 = TerminalLocale.adoptEnvironment()
        if !utf8 && !ascii {
            let lang = getenv("LC_ALL").flatMap { String(validatingCString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
                ?? getenv("LANG").flatMap { String(validatingCString: $0) } ?? "unset"
            throw CommandFailure(.terminal, "the terminal's locale is not UTF-8 (LANG/LC_ALL: \(lang)); "
                + "set a UTF-8 locale (e.g. LANG=C.UTF-8) or use --ascii")
        }
    }

    /// NO_COLOR (https://no-color.org): present and not empty means no colour.
    static var noColorRequested: Bool {
        guard let value = getenv("NO_COLOR") else { return false }
        return value.pointee != 0
    }
}
