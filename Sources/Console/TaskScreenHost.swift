import Capture
import Dashboard
import Dispatch
import Foundation
import GazeCore
import Glibc
import Synchronization

/// The full-screen display of a challenge or calibration: the task runs on a thread of its own (its
/// runner's thread becomes the capture thread) and hands each view to `show`; the main thread draws the
/// newest one through curses (`GazeTaskLoop`) until the task is done and its result has been shown, then
/// closes the screen before anything is printed. q or Esc raise `stopRequested`, which the task's stop
/// reason reads.
public final class TaskScreenHost: Sendable {
    private let view: Mutex<GazeTaskView>
    private let userStop = Atomic(false)
    private let finished = Atomic(false)
    private let shown = Atomic(false)
    /// Signalled at the first view and when the task ends, whichever comes first wakes the main thread.
    private let shownOrFinished = DispatchSemaphore(value: 0)

    public init(initial: GazeTaskView) {
        view = Mutex(initial)
    }

    /// The task's newest view (any thread).
    public func show(_ v: GazeTaskView) {
        view.withLock { $0 = v }
        if !shown.exchange(true, ordering: .acquiringAndReleasing) { shownOrFinished.signal() }
    }

    /// The person pressed q or Esc.
    public var stopRequested: Bool { userStop.load(ordering: .relaxed) }

    /// Runs `work` (the task, to its end) on its own thread while the screen shows its views; returns what
    /// `work` returned once the screen is closed. Check the terminal first: a screen curses cannot open is
    /// thrown after `work` has been told to stop (`stopRequested`) and has returned.
    ///
    /// - Parameter shouldStop: read while the screen is drawn (Ctrl-C); the task reads its own.
    public func run<T>(ascii: Bool, color: Bool, config: DashboardConfig, shouldStop: () -> Bool,
                       work: @escaping () -> T) throws(ScreenError) -> T {
        // Before any thread starts, so they all inherit it: a parent may have left SIGWINCH blocked.
        TerminalSignals.unblock()
        let box = ResultBox<T>(work)
        let thread = Thread { [self] in
            box.value = box.work()
            finished.store(true, ordering: .releasing)
            shownOrFinished.signal()
            box.done.signal()
        }
        thread.name = "gazetop task"
        thread.start()
        // The screen opens with the task's first view, once the camera streams: a run refused at once (a
        // virtual camera, a busy one) ends with its one line on a terminal that never showed a grid.
        shownOrFinished.wait()
        guard shown.load(ordering: .acquiring) else {
            box.done.wait()
            return box.value!
        }
        let screen: CursesScreen
        do { screen = try CursesScreen(ascii: ascii, color: color) } catch {
            userStop.store(true, ordering: .relaxed)
            box.done.wait()
            throw error
        }
        let loop = GazeTaskLoop(screen: screen, config: config, latest: { [self] in view.withLock { $0 } },
                                done: { [self] in finished.load(ordering: .acquiring) }, clock: MonotonicClock.nowSeconds)
        _ = loop.run(stop: { userStop.store(true, ordering: .relaxed) }, shouldStop: shouldStop)
        screen.close()
        box.done.wait()
        return box.value!
    }
}

// @unchecked Sendable: `work` and what it captures are used by the task's thread only, while the main
// thread draws (it touches none of them); `value` is written once before `done` is signalled and read
// after waiting on it.
private final class ResultBox<T>: @unchecked Sendable {
    let work: () -> T
    var value: T?
    let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping () -> T) { self.work = work }
}
