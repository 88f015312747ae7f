import Dispatch
import GazeCore
import Synchronization

/// A challenge or a calibration (a `GazeTask`) fed frame by frame on the vision queue while other threads
/// read its newest view and ask it to stop: what `GazeTaskRunner` and the monitor's `g` and `c` share.
// @unchecked Sendable: `task` is changed only on the vision queue (in `take` and `applyStop`) and read
// elsewhere only after `isFinished` is seen true (with acquiring order, after its last change);
// `latest`, `finished`, `stopReason` and the semaphore are synchronised.
public final class GazeTaskDriver<Task: GazeTask>: @unchecked Sendable {
    private var task: Task
    private let latest: Mutex<GazeTaskView>
    private let finished = Atomic(false)
    private let stopReason = Mutex<ChallengeStop?>(nil)
    /// Signalled once, when the task finishes. Made at 0: libdispatch traps when a semaphore is freed below
    /// the value it was made with.
    private let finishedSignal = DispatchSemaphore(value: 0)
    private let onView: (GazeTaskView) -> Void

    /// - Parameter onView: called on the vision queue with each new view.
    public init(_ task: Task, onView: @escaping (GazeTaskView) -> Void = { _ in }) {
        self.task = task
        latest = Mutex(task.view)
        self.onView = onView
    }

    // MARK: Any thread

    /// The newest view.
    public var view: GazeTaskView { latest.withLock { $0 } }

    /// Whether the task has finished (its final view is `view`).
    public var isFinished: Bool { finished.load(ordering: .acquiring) }

    /// Blocks until the task has finished (on the vision queue: a frame, `applyStop` or `end`).
    public func waitUntilFinished() {
        finishedSignal.wait()
        finishedSignal.signal() // for any later caller
    }

    /// Asks the task to stop with `reason` (the first reason wins); it takes effect on the vision queue,
    /// with the next frame or `applyStop`.
    public func requestStop(_ reason: ChallengeStop) { stopReason.withLock { $0 = $0 ?? reason } }

    /// The stop asked for, if any.
    public var requestedStop: ChallengeStop? { stopReason.withLock { $0 } }

    /// The task once finished (nil before).
    public var finishedTask: Task? { isFinished ? task : nil }

    // MARK: Vision queue

    /// The next frame; `describe` gives its followed face's descriptor, computed only when the task wants
    /// one (`GazeTask.wantsFaceDescriptor`).
    public func take(_ frame: ChallengeFrame, describe: () -> FaceDescriptor? = { nil }) {
        guard !task.isFinished else { return }
        if applyStop() { return }
        publish(task.take(frame, describe: describe))
    }

    /// Ends the task with the requested stop, if one was asked for; true when the task is finished.
    @discardableResult
    public func applyStop() -> Bool {
        if task.isFinished { return true }
        guard let reason = requestedStop else { return false }
        task.stop(reason)
        publish(task.view)
        return true
    }

    /// Ends the task (`.streamEnded` unless a stop was asked for) if it has not finished.
    public func end() {
        guard !task.isFinished else { return }
        requestStop(.streamEnded)
        applyStop()
    }

    private func publish(_ v: GazeTaskView) {
        latest.withLock { $0 = v }
        onView(v)
        if task.isFinished, !finished.exchange(true, ordering: .acquiringAndReleasing) { finishedSignal.signal() }
    }
}
