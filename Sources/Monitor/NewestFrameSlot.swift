import Capture
import Dispatch
import Synchronization

/// The hand-over between the capture thread and the vision queue: one slot holding the newest frame.
/// A frame put while the previous one still waits replaces it, and is counted as dropped, so nothing
/// ever queues up behind a slow frame and what vision sees is as fresh as it can be.
///
/// In lossless mode (for simulated cameras paced by demand, where every frame must be seen), `put` waits
/// for vision to take the previous frame instead of replacing it.
final class NewestFrameSlot: Sendable {
    private struct State {
        var pending: Frame?
        var visionBusy = false
        var dropped = 0
    }

    private let state = Mutex(State())
    private let lossless: Bool
    /// Lossless mode: one permit per empty slot. Made at 0 and signalled once: libdispatch traps when a
    /// semaphore is freed below the value it was made with, as this one is whenever a frame is in the slot.
    private let space = DispatchSemaphore(value: 0)

    init(lossless: Bool) {
        self.lossless = lossless
        space.signal()
    }

    /// Frames replaced before vision took them.
    var dropped: Int { state.withLock { $0.dropped } }

    /// Puts the newest frame; true when vision was idle and must be started. In lossless mode waits for the
    /// slot to be free, giving up (false, frame not put) when `shouldStop` says so.
    func put(_ frame: Frame, shouldStop: () -> Bool) -> (startVision: Bool, put: Bool) {
        if lossless {
            while space.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
                if shouldStop() { return (false, false) }
            }
        }
        let start = state.withLock { s in
            if s.pending != nil { s.dropped += 1 }
            s.pending = frame
            if s.visionBusy { return false }
            s.visionBusy = true
            return true
        }
        return (start, true)
    }

    /// The waiting frame, if any; nil marks vision idle (the next `put` starts it again).
    func take() -> Frame? {
        let frame = state.withLock { s -> Frame? in
            guard let f = s.pending else {
                s.visionBusy = false
                return nil
            }
            s.pending = nil
            return f
        }
        if frame != nil && lossless { space.signal() }
        return frame
    }
}
