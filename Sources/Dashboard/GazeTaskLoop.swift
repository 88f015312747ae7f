import GazeCore

/// The UI thread's loop while a challenge or a calibration runs: draws the newest `GazeTaskView` about
/// `refreshHz` times a second and reads keys; q or Esc asks the task to stop (it then finishes,
/// inconclusive). Once the task is done, its result stays on the screen for `resultSeconds` or until a
/// key, unless the person stopped it or the program is stopping. It never waits for the vision side.
public final class GazeTaskLoop {
    /// How the loop ended.
    public enum Ending: Equatable, Sendable {
        /// The task finished (by itself, or after the person's stop) and its result was shown.
        case finished
        /// `shouldStop` said so (Ctrl-C, SIGTERM) before the task was done.
        case interrupted
    }

    private let screen: Screen
    private let config: DashboardConfig
    private let latest: () -> GazeTaskView
    private let done: () -> Bool
    private let clock: () -> Double
    private let grid: ScreenGrid
    /// Whether the person asked to stop (q, Esc).
    public private(set) var stopAsked = false

    /// - Parameters:
    ///   - latest: the newest view (cheap; called once per drawing).
    ///   - done: whether the task has finished and `latest` shows its end.
    ///   - clock: seconds on a monotonic clock (tests drive it by hand).
    public init(screen: Screen, config: DashboardConfig = DashboardConfig(), grid: ScreenGrid = ScreenGrid(),
                latest: @escaping () -> GazeTaskView, done: @escaping () -> Bool,
                clock: @escaping () -> Double) {
        self.screen = screen
        self.config = config
        self.grid = grid
        self.latest = latest
        self.done = done
        self.clock = clock
    }

    /// Runs until the task is done and its result has been shown, or `shouldStop`. `stop` is called once,
    /// when the person asks to stop; it must return at once.
    public func run(stop: () -> Void, shouldStop: () -> Bool) -> Ending {
        let frameMs = max(1, Int(1000 / config.refreshHz))
        while !done() {
            if shouldStop() { return .interrupted }
            draw()
            if let key = screen.readKey(timeoutMs: frameMs), Self.stops(key), !stopAsked {
                stopAsked = true
                stop()
            }
        }
        draw()
        guard !stopAsked else { return .finished }
        let until = clock() + config.resultSeconds
        while clock() < until && !shouldStop() {
            let left = max(1, Int((until - clock()) * 1000))
            switch screen.readKey(timeoutMs: min(frameMs, left)) {
            case nil: continue
            case .resize?: draw()
            case _?: return .finished
            }
        }
        return .finished
    }

    /// q, Q, Esc and F10 stop, as they quit the monitor.
    static func stops(_ key: Key) -> Bool {
        switch key {
        case .character("q"), .character("Q"), .escape, .function(10): true
        default: false
        }
    }

    private func draw() {
        let size = screen.size
        screen.show(GazeTaskScreen.render(latest(), width: size.width, height: size.height, options: screen.options, screen: grid))
    }
}
