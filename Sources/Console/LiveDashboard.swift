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
public struct LiveDashboard {
    public let camera: V4L2Camera
    public let options: LiveOptions
    public let config: GazeConfig
    public let calibration: GazeCalibration?
    public let model: ModelHandOver

    public init(device: V4L2Camera, options: LiveOptions, config: GazeConfig, calibration: GazeCalibration?,
                model: ModelHandOver) {
        self.calibration = calibration
        camera = device
        self.options = options
        self.config = config
        self.model = model
    }

    public struct Outcome: Sendable {
        public var live: LiveReport
        public var report: SessionReport
    }

    /// Streams and draws until the person quits, a signal comes, the stream fails or (`exitAtEnd`) ends.
    /// Setup failures are thrown before the screen changes; a failure mid-stream after it is closed.
    public func run(ascii: Bool, color: Bool, exitAtEnd: Bool) throws(RunFailure) -> Outcome {
        // Before any thread starts, so they all inherit it: a parent may have left SIGWINCH blocked.
        TerminalSignals.unblock()
        let feed = DashboardFeed(config: config, device: camera.path)
        let model = self.model, config = self.config, calibration = self.calibration
        let session = LiveSession.feeding(feed, camera: camera, options: options) {
            FramePipeline(model: model.take(), config: config, includeRaw: true, calibration: calibration)
        }

        let interrupt = InterruptFlag(signals: [SIGINT, SIGTERM, SIGHUP])
        let streaming = SessionThread(session: session, feed: feed, shouldStop: { interrupt.raised })
        // A session waiting for an unplugged camera sleeps until the next try: a signal wakes it at once.
        interrupt.whenRaised { session.stop() }
        streaming.start()
        // Setup failures (no camera, busy, permission) are reported before the screen changes.
        streaming.waitUntilStreamingOrFinished()
        if streaming.finished, case .failure(let error) = streaming.result! { throw .camera(error) }

        let screen: CursesScreen
        do {
            screen = try CursesScreen(ascii: ascii, color: color)
        } catch {
            streaming.stopAndWait()
            throw .terminal(error.description)
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
        case .failure(let error): throw .camera(error)
        }
    }
}

