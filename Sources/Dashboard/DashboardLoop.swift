import GazeCore
import Glibc

/// The UI thread's loop: reads keys, and draws the newest snapshot about `refreshHz` times a second.
/// It never waits for the vision side: it takes whatever snapshot is newest (`latest`) and hands requests
/// over through `hooks`, which must return at once.
public final class DashboardLoop {
    /// What the loop asks of the rest of the program. Each must return at once (queue work, don't do it).
    public struct Hooks {
        public var pause: (Bool) -> Void = { _ in }
        public var reset: () -> Void = {}
        public var preview: (Bool) -> Void = { _ in }
        /// +1 for a narrower eye-contact cone, -1 for a wider one.
        public var stricter: (Int) -> Void = { _ in }
        /// Calibration and the liveness challenge: the exception to returning at once. Each takes over the
        /// screen (on this thread) until it is done, with the monitor paused, and returns what the status
        /// line should say then. Nil where this build has none (the status line says so).
        public var calibrate: (() -> String)?
        public var zero: (() -> String)?
        public var challenge: (() -> String)?

        public init() {}
    }

    /// Why the loop ended.
    public enum Ending: Equatable, Sendable {
        case quit
        /// `shouldStop` said so (Ctrl-C, SIGTERM, the stream failed).
        case stopped
        /// The stream ended and the loop was told to leave then (`exitAtEnd`).
        case streamEnded
    }

    private let screen: Screen
    private let latest: () -> Snapshot
    private let hooks: Hooks
    private let config: DashboardConfig
    private let clock: () -> Double
    private var paused = false
    private var frozen: Snapshot?
    private var showHelp = false
    private var showPreview = false
    private var message: (text: String, untilSeconds: Double)?
    /// The eye-contact cone as the user set it; the vision side applies the same clamped steps.
    private var coneDeg: Double?

    /// - Parameters:
    ///   - latest: the newest snapshot (cheap; called once per drawing).
    ///   - clock: seconds on a monotonic clock (tests drive it by hand).
    public init(screen: Screen, config: DashboardConfig = DashboardConfig(), latest: @escaping () -> Snapshot,
                hooks: Hooks = Hooks(), clock: @escaping () -> Double) {
        self.screen = screen
        self.config = config
        self.latest = latest
        self.hooks = hooks
        self.clock = clock
    }

    /// Runs until quit, `shouldStop`, or (with `exitAtEnd`) the end of the stream.
    /// - Parameter greeting: a first status line (e.g. the first run's advice), shown for twice the usual
    ///   time.
    public func run(exitAtEnd: Bool = false, greeting: String? = nil, shouldStop: () -> Bool) -> Ending {
        if let greeting { message = (greeting, clock() + 2 * config.messageSeconds) }
        let frameMs = max(1, Int(1000 / config.refreshHz))
        while true {
            if shouldStop() { return .stopped }
            let snapshot = draw()
            if exitAtEnd && snapshot.stream == .ended { return .streamEnded }
            // Wait for a key at most one frame; the answer to a key is drawn at once.
            if let key = screen.readKey(timeoutMs: frameMs), let action = UIAction(key, helpShown: showHelp), handle(action) {
                return .quit
            }
        }
    }

    /// The snapshot as drawn now: the newest one (or the one frozen by a pause) with the UI's own state.
    public func current() -> Snapshot {
        var s = paused ? (frozen ?? latest()) : latest()
        if paused {
            // Frozen data, but the stream's own news (ended, waiting) still shows.
            let now = latest()
            s.stream = now.stream == .ended || now.stream == .waiting ? now.stream : s.stream
        }
        s.paused = paused
        s.showHelp = showHelp
        s.showPreview = showPreview
        if let m = message {
            if clock() < m.untilSeconds { s.message = m.text } else { message = nil }
        }
        return s
    }

    @discardableResult
    func draw() -> Snapshot {
        let s = current()
        let size = screen.size
        screen.show(DashboardView.render(s, width: size.width, height: size.height, options: screen.options))
        return s
    }

    /// Carries out one action; true when it is time to quit.
    func handle(_ action: UIAction) -> Bool {
        switch action {
        case .quit:
            return true
        case .togglePause:
            paused.toggle()
            frozen = paused ? latest() : nil
            hooks.pause(paused)
        case .resetStatistics:
            hooks.reset()
            say("statistics reset")
        case .togglePreview:
            showPreview.toggle()
            hooks.preview(showPreview)
        case .calibrate:
            if let calibrate = hooks.calibrate { say(whilePaused(calibrate)) } else { say("calibration: not available in this build yet") }
        case .zero:
            if let zero = hooks.zero { say(whilePaused(zero)) } else { say("personal zero: not available here") }
        case .challenge:
            if let challenge = hooks.challenge { say(whilePaused(challenge)) } else { say("liveness challenge: not available in this build yet") }
        case .toggleHelp:
            showHelp.toggle()
        case .stricter, .looser:
            let step = action == .stricter ? 1 : -1
            hooks.stricter(step)
            let cone = coneDeg ?? latest().coneDeg
            let next = min(config.maxConeDeg, max(config.minConeDeg, cone - Double(step) * config.coneStepDeg))
            coneDeg = next
            say("eye contact within \(Format.fixed(next, 0)) degrees of the camera"
                + (action == .stricter ? " (stricter)" : " (looser)"))
        case .redraw:
            break
        }
        return false
    }

    /// Runs `work` with the statistics paused (unless they already were), then resumes them.
    private func whilePaused(_ work: () -> String) -> String {
        let wasPaused = paused
        if !wasPaused { hooks.pause(true) }
        defer { if !wasPaused { hooks.pause(false) } }
        showHelp = false
        return work()
    }

    private func say(_ text: String) { message = (text, clock() + config.messageSeconds) }
}
