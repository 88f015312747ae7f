import Capture
import Dispatch
import Synchronization

/// Decodes a file's next frames on a thread of its own while the caller processes the current one, so
/// `analyze` costs the slower of decoding and vision per frame rather than their sum. Vision itself stays on
/// the caller's thread. Decoded frames wait up to `memoryBudgetBytes` (at least `minimumFrames` of them):
/// memory stays bounded, and decoding goes on while vision spends a few frames' time on one (a full face
/// scan at 1280x720 takes about 20 ms, five frames' decoding), instead of leaving a core idle.
// @unchecked Sendable: `source` is used only on the decoding queue, from `init` until it has handed over
// the end, an error, or seen `stop()`; everything shared lives in the Mutex or is a semaphore.
final class DecodeAhead: @unchecked Sendable {
    private let source: FrameSource
    private let decoded = Mutex<[Result<Frame?, CaptureError>]>([])
    private let stopped = Atomic<Bool>(false)
    /// One permit per frame that may wait decoded: one at first, more once the first frame's size is known.
    /// Made at 0 and signalled: libdispatch traps when a semaphore is freed below the value it was made
    /// with, which this one is whenever decoded frames wait (an interrupted `analyze` crashed so at exit).
    private let freeSlots = DispatchSemaphore(value: 0)
    private let ready = DispatchSemaphore(value: 0)
    private let memoryBudgetBytes: Int
    private let minimumFrames: Int
    /// The decoding thread: it owns `source` (its decoder handle).
    private let queue = DispatchQueue(label: "gazetop.decode-ahead")

    /// 16 MiB is 17 frames of 1280x720 and 4 of 4K.
    init(_ source: FrameSource, memoryBudgetBytes: Int = 16 << 20, minimumFrames: Int = 4) {
        self.source = source
        self.memoryBudgetBytes = memoryBudgetBytes
        self.minimumFrames = minimumFrames
        freeSlots.signal()
        queue.async { [self] in decodeAll() }
    }

    /// The next frame in order, nil at the end; rethrows a decoding error where it happened. Not to be
    /// called again after the end or an error.
    func next() throws(CaptureError) -> Frame? {
        ready.wait()
        let item = decoded.withLock { $0.removeFirst() }
        freeSlots.signal()
        return try item.get()
    }

    /// Lets the decoding thread finish early (the caller stopped reading).
    func stop() {
        stopped.store(true, ordering: .relaxed)
        freeSlots.signal()
    }

    private func decodeAll() {
        dispatchPrecondition(condition: .onQueue(queue))
        var sized = false
        while true {
            freeSlots.wait()
            if stopped.load(ordering: .relaxed) { return }
            let item: Result<Frame?, CaptureError>
            do { item = .success(try source.nextFrame()) } catch { item = .failure(error) }
            if !sized, case .success(let frame?) = item {
                sized = true
                let frames = max(minimumFrames, memoryBudgetBytes / max(1, frame.gray.count))
                for _ in 1..<frames { freeSlots.signal() }
            }
            decoded.withLock { $0.append(item) }
            ready.signal()
            if case .success(let frame) = item, frame != nil { continue }
            return
        }
    }
}
