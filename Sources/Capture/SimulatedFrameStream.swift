import Dispatch
import Synchronization

/// One frame as a simulated camera serves it.
public struct SimulatedFrame: Sendable {
    /// Encoded in the camera's pixel format and size.
    public var bytes: [UInt8]
    /// Microseconds from the first frame of the first pass (the passes of a looping video follow each other).
    public var offsetUs: Double
    /// The stream's last frame (never when looping).
    public var last: Bool
}

/// Where a simulated camera's frames come from, by their place in the stream (0, 1, ... across loops):
/// encoded ahead by a bounded amount (`SimulatedFrameStream`), or all before streaming (`SimulatedFrames`,
/// for benchmarks that time the streaming alone).
public protocol SimulatedFrameStore: AnyObject, Sendable {
    var fourcc: FourCC { get }
    var width: Int { get }
    var height: Int { get }
    /// Frame `i`; nil while it is still being encoded, or when the stream ends before it.
    func frame(_ i: Int) -> SimulatedFrame?
    /// Whether the stream ends before frame `i` (known once the encoder has reached the end).
    func ends(before i: Int) -> Bool
    /// Frame `i`, waiting up to `timeoutMs` for it to be encoded; nil when the stream ends before it or the
    /// time is up. One caller at a time (the simulated device, under its lock).
    func waitForFrame(_ i: Int, timeoutMs: Int) -> SimulatedFrame?
    /// The frames before `i` will not be asked for again.
    func release(before i: Int)
    /// Bytes of encoded frames held now.
    var heldBytes: Int { get }
    /// How long the first frame took to be ready (decoding and encoding before anything was served).
    var preparationMs: Double { get }
    /// Why the stream ends where it does, when that is not the video's end: a picture of a folder that
    /// cannot be read (the camera fails there, naming it, rather than seeming to end).
    var failure: CaptureError? { get }
}

/// A simulated camera's frames encoded on a thread of its own, at most `aheadFrames` ahead of the camera:
/// the first frame is served at once and memory stays bounded whatever the video's length (encoding a
/// 70 s clip at 720p whole before the first frame took seconds and over a gigabyte). A looping video is
/// decoded again for each pass.
public final class SimulatedFrameStream: SimulatedFrameStore, Sendable {
    /// About a second at 30 fps; 30 frames of 1280x720 YUYV are 55 MB.
    public static let aheadFrames = 30

    public let fourcc: FourCC
    public let width: Int
    public let height: Int
    private let core: Core

    /// Starts encoding `video` as `fourcc` at `width` x `height`, the first frame numbered `firstIndex`,
    /// and waits for that frame: a video that cannot be read is thrown here.
    public init(video: String, fourcc: FourCC, width: Int, height: Int, loops: Bool, firstIndex: Int = 0) throws(CaptureError) {
        self.fourcc = fourcc
        self.width = width
        self.height = height
        core = Core()
        let core = self.core
        let started = MonotonicClock.nowMs()
        DispatchQueue(label: "gazetop.simulated-frames").async {
            core.produce(video: video, fourcc: fourcc, width: width, height: height, loops: loops,
                         firstIndex: firstIndex, started: started)
        }
        core.firstReady.wait()
        if let failure = core.shared.withLock({ $0.items.isEmpty ? $0.failure : nil }) { throw failure }
    }

    deinit { core.stop() }

    public func frame(_ i: Int) -> SimulatedFrame? { core.shared.withLock { $0.items[i] } }

    public func ends(before i: Int) -> Bool { core.shared.withLock { s in s.endIndex.map { i >= $0 } ?? false } }

    public func waitForFrame(_ i: Int, timeoutMs: Int) -> SimulatedFrame? {
        let deadline = DispatchTime.now() + .milliseconds(timeoutMs)
        while true {
            // Ready, known never to come, or asked for: the encoder signals `arrived` once it is there.
            let ready = core.shared.withLock { s -> SimulatedFrame?? in
                if let f = s.items[i] { return .some(f) }
                if let end = s.endIndex, i >= end { return .some(nil) }
                s.awaited = i
                return nil
            }
            if let ready { return ready }
            if core.arrived.wait(timeout: deadline) == .timedOut {
                // Take the request back; if the encoder took it first, its signal is on its way: consume it.
                let signalled = core.shared.withLock { s -> Bool in
                    defer { s.awaited = nil }
                    return s.awaited == nil
                }
                if signalled { core.arrived.wait() }
                return frame(i)
            }
        }
    }

    public func release(before i: Int) {
        let freed = core.shared.withLock { s -> Int in
            let old = s.items.keys.filter { $0 < i }
            for k in old { s.heldBytes -= s.items.removeValue(forKey: k)!.bytes.count }
            return old.count
        }
        for _ in 0..<freed { core.free.signal() }
    }

    public var heldBytes: Int { core.shared.withLock { $0.heldBytes } }
    public var preparationMs: Double { core.shared.withLock { $0.preparationMs } }
    public var failure: CaptureError? { core.shared.withLock { $0.failure } }

    /// What the encoding thread and the camera share; the thread holds this, not the stream, so the
    /// stream's release stops it.
    // @unchecked Sendable: everything mutable is in `shared` (a Mutex); the semaphores are thread-safe.
    private final class Core: @unchecked Sendable {
        struct Shared {
            var items: [Int: SimulatedFrame] = [:]
            var heldBytes = 0
            var endIndex: Int?
            var failure: CaptureError?
            var stopped = false
            var preparationMs = 0.0
            /// The frame a caller of `waitForFrame` waits for.
            var awaited: Int?

            /// Whether the waiter is to be woken now that frames up to `index` are in or the stream has
            /// ended; the request is then taken.
            mutating func wakesWaiter(at index: Int) -> Bool {
                guard let awaited, index >= awaited || endIndex != nil else { return false }
                self.awaited = nil
                return true
            }
        }

        let shared = Mutex(Shared())
        /// Room for frames ahead. Made at 0 and signalled up: libdispatch traps when a semaphore is freed
        /// below the value it was made with, as this one is when the stream goes with frames ahead.
        let free = DispatchSemaphore(value: 0)
        let firstReady = DispatchSemaphore(value: 0)
        /// Signalled when the frame a `waitForFrame` asked for is in, or the stream has ended before it.
        let arrived = DispatchSemaphore(value: 0)

        init() {
            for _ in 0..<SimulatedFrameStream.aheadFrames { free.signal() }
        }

        func stop() {
            shared.withLock { $0.stopped = true }
            free.signal()
        }

        func produce(video: String, fourcc: FourCC, width: Int, height: Int, loops: Bool, firstIndex: Int, started: Double) {
            var index = firstIndex
            var pass = 0
            var durationMs = 0.0
            /// Waits for room, then hands frame `index` over; false once the stream is gone.
            func publish(_ bytes: [UInt8], _ timeMs: Double, last: Bool) -> Bool {
                free.wait()
                let first = index == firstIndex
                let (kept, wake) = shared.withLock { s -> (Bool, Bool) in
                    guard !s.stopped else { return (false, false) }
                    s.items[index] = SimulatedFrame(bytes: bytes, offsetUs: (Double(pass) * durationMs + timeMs) * 1000, last: last)
                    s.heldBytes += bytes.count
                    if first { s.preparationMs = MonotonicClock.nowMs() - started }
                    return (true, s.wakesWaiter(at: index))
                }
                if first { firstReady.signal() }
                if wake { arrived.signal() }
                index += 1
                return kept
            }
            do throws(CaptureError) {
                repeat {
                    let encoder = try SimulatedFrames.Encoder(video: video, fourcc: fourcc, width: width, height: height)
                    // One frame held back, so the last one is known as the last when it is handed over.
                    var pending: (bytes: [UInt8], timeMs: Double)?
                    var firstMs: Double?
                    var count = 0
                    while let f = try encoder.next() {
                        if firstMs == nil { firstMs = f.timeMs }
                        if let p = pending, !publish(p.bytes, p.timeMs, last: false) { return }
                        pending = (f.bytes, f.timeMs - firstMs!)
                        count += 1
                    }
                    guard let p = pending else { throw .unreadableVideo(path: video, reason: "") }
                    if pass == 0 {
                        let interval = count > 1 ? p.timeMs / Double(count - 1) : 1000.0 / 30
                        durationMs = p.timeMs + interval
                    }
                    if !publish(p.bytes, p.timeMs, last: !loops) { return }
                    pass += 1
                } while loops
                let wake = shared.withLock { s in
                    s.endIndex = index
                    return s.wakesWaiter(at: index)
                }
                if wake { arrived.signal() }
            } catch {
                // Mid-stream, a picture that cannot be read ends the stream there.
                let first = index == firstIndex
                let wake = shared.withLock { s in
                    s.failure = error
                    s.endIndex = index
                    return s.wakesWaiter(at: index)
                }
                if first { firstReady.signal() }
                if wake { arrived.signal() }
            }
        }
    }
}
