import Capture
import Dispatch
import Synchronization

/// Decodes a file's next few frames on a thread of its own while the caller processes the current one,
/// so `analyze` costs the slower of decoding and vision per frame rather than their sum. Vision itself
/// stays on the caller's thread. At most `capacity` decoded frames wait: memory stays bounded.
final class DecodeAhead: @unchecked Sendable {
    // @unchecked: `source` is used only by the decoding thread, from `init` until it has handed over the
    // end, an error, or seen `stop()`; everything shared lives in the Mutex or is a semaphore.
    private let source: FrameSource
    private let decoded = Mutex<[Result<Frame?, CaptureError>]>([])
    private let stopped = Atomic<Bool>(false)
    private let freeSlots: DispatchSemaphore
    private let ready = DispatchSemaphore(value: 0)

    init(_ source: FrameSource, capacity: Int = 4) {
        self.source = source
        freeSlots = DispatchSemaphore(value: capacity)
        DispatchQueue(label: "gazetop.decode-ahead").async { [self] in decodeAll() }
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
        while true {
            freeSlots.wait()
            if stopped.load(ordering: .relaxed) { return }
            let item: Result<Frame?, CaptureError>
            do { item = .success(try source.nextFrame()) } catch { item = .failure(error) }
            decoded.withLock { $0.append(item) }
            ready.signal()
            if case .success(let frame) = item, frame != nil { continue }
            return
        }
    }
}
