import ArgumentParser
import Capture
import Dashboard
import Dispatch
import Foundation
import GazeCore
import Glibc
import Synchronization

/// How `challenge` and `calibrate` show themselves: the full-screen grid on a terminal, else the line
/// display (`--headless`, or when stdin or stdout is not a terminal).
struct TaskScreenOptions: ParsableArguments {
    @Flag(name: .long, help: "Show one status line on stderr instead of the full-screen grid (also when stdin or stdout is not a terminal).")
    var headless = false

    @Flag(name: .long, help: "Draw the grid with ASCII characters only (for terminals without UTF-8).")
    var ascii = false

    @Flag(name: .customLong("no-color"), help: "Draw the grid without colour (also when NO_COLOR is set).")
    var noColor = false

    var fullScreen: Bool { !headless && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }
    var color: Bool { !noColor && !TerminalCheck.noColorRequested }
}

/// The full-screen display of a challenge or calibration: the task runs on a thread of its own (its
/// runner's thread becomes the capture thread) and hands each view to `show`; the main thread draws the
/// newest one through curses (`GazeTaskLoop`) until the task is done and its result has been shown, then
/// closes the screen before anything is printed. q or Esc raise `stopRequested`, which the task's stop
/// reason reads.
// @unchecked Sendable: `view` and the flags are behind a Mutex or atomic, the semaphores are thread-safe;
// `result` is written once by the task's thread before `done` is signalled and read by the main thread
// after waiting on it.
final class TaskScreenHost: @unchecked Sendable {
    private let view: Mutex<GazeTaskView>
    private let userStop = Atomic(false)
    private let finished = Atomic(false)
    private let shown = Atomic(false)
    /// Signalled at the first view and when the task ends, whichever comes first wakes the main thread.
    private let shownOrFinished = DispatchSemaphore(value: 0)

    init(initial: GazeTaskView) {
        view = Mutex(initial)
    }

    /// The task's newest view (any thread).
    func show(_ v: GazeTaskView) {
        view.withLock { $0 = v }
        if !shown.exchange(true, ordering: .acquiringAndReleasing) { shownOrFinished.signal() }
    }

    /// The person pressed q or Esc.
    var stopRequested: Bool { userStop.load(ordering: .relaxed) }

    /// Runs `work` (the task, to its end) on its own thread while the screen shows its views; returns what
    /// `work` returned once the screen is closed. Check the terminal first (`TerminalCheck.requireScreen`).
    func run<T>(options: TaskScreenOptions, config: DashboardConfig, interrupt: InterruptFlag,
                work: @escaping () -> T) throws(CommandFailure) -> T {
        // The terminal was checked before anything started (TerminalCheck.requireScreen, exit 13).
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
        do { screen = try CursesScreen(ascii: options.ascii, color: options.color) } catch {
            userStop.store(true, ordering: .relaxed)
            box.done.wait()
            throw CommandFailure(.terminal, error.description)
        }
        let loop = GazeTaskLoop(screen: screen, config: config, latest: { [self] in view.withLock { $0 } },
                                done: { [self] in finished.load(ordering: .acquiring) }, clock: MonotonicClock.nowSeconds)
        _ = loop.run(stop: { userStop.store(true, ordering: .relaxed) }, shouldStop: { interrupt.raised })
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
