import Capture
import Foundation
import GazeCore
import Monitor
import Synchronization

/// What the eye-tracking socket needs to know to process frames.
public struct EyeSessionSettings: Sendable {
    /// The pipeline's configuration (`analyze`'s: detection in line, so the same frames give the same
    /// records; the server staggers each connection's detections with `tracking.detectionStagger`).
    public var config: GazeConfig
    /// Pictures larger than this on either side are scaled down first.
    public var maxImageSide: Int
    /// A picture whose header claims more pixels than this is refused undecoded.
    public var maxImagePixels: Int

    public init(config: GazeConfig, maxImageSide: Int = 1024, maxImagePixels: Int = 40_000_000) {
        self.config = config
        self.maxImageSide = maxImageSide
        self.maxImagePixels = maxImagePixels
    }
}

/// One WebSocket connection's eye tracking: its own pipeline (tracker, blink detector, rolling window) on
/// its vision worker's queue, frames processed in arrival order.
///
/// The socket hands over each message as it arrives (`submit`) and returns at once: parsing, base64, the
/// picture's decoding and vision all run on the worker, never on the event loop. One message waits at
/// most: a newer one replaces it (the newest wins), and the replaced one is counted in `dropped`, so a
/// client that sends faster than it can be served never builds a queue.
// @unchecked Sendable: `pipeline`, `lastTimeMs` and `startMs` are touched only on the worker's queue (the
// `drain` closure runs there alone, one at a time per session); everything else is behind `state`.
final class EyeSession: @unchecked Sendable {
    private struct State {
        var pending: (text: String, arrivalMs: Double, sequence: Int)?
        var running = false
        var closed = false
        var received = 0
        var dropped = 0
    }

    let worker: VisionWorker
    private let settings: EyeSessionSettings
    private let reply: @Sendable (String) -> Void
    private let state = Mutex(State())
    private var pipeline: FramePipeline?
    private var startMs: Double?
    private var lastTimeMs = -Double.infinity

    /// - Parameter reply: called on the worker's queue with each answer, in order.
    init(worker: VisionWorker, settings: EyeSessionSettings, reply: @escaping @Sendable (String) -> Void) {
        self.worker = worker
        self.settings = settings
        self.reply = reply
    }

    /// Messages received, and those replaced by a newer one before they were processed.
    var counts: (received: Int, dropped: Int) { state.withLock { ($0.received, $0.dropped) } }

    /// Takes a message as it arrives (any thread); the answer comes through `reply`.
    func submit(_ text: String) {
        let arrival = MonotonicClock.nowMs()
        let start = state.withLock { s -> Bool in
            guard !s.closed else { return false }
            if s.pending != nil { s.dropped += 1 }
            s.pending = (text, arrival, s.received)
            s.received += 1
            if s.running { return false }
            s.running = true
            return true
        }
        if start { worker.queue.async { self.drain() } }
    }

    /// The connection is gone: what waits is not processed, and no answer follows.
    func close() {
        state.withLock { s in
            s.closed = true
            s.pending = nil
        }
    }

    /// Processes the waiting message, then yields the worker to the next session's frame (one frame a turn,
    /// so 40 connections share a worker fairly) and comes back if another has arrived meanwhile.
    private func drain() {
        dispatchPrecondition(condition: .onQueue(worker.queue))
        let next = state.withLock { s -> (text: String, arrivalMs: Double, sequence: Int)? in
            guard !s.closed, let p = s.pending else {
                s.running = false
                return nil
            }
            s.pending = nil
            return p
        }
        guard let next else { return }
        let answer = process(next.text, arrivalMs: next.arrivalMs, sequence: next.sequence)
        if let answer, !state.withLock({ $0.closed }) { reply(answer) }
        worker.queue.async { self.drain() }
    }

    /// One message's answer: the frame's record, an error object, or nothing (a message of another type).
    private func process(_ text: String, arrivalMs: Double, sequence: Int) -> String? {
        let message: FrameMessage
        do { message = try FrameMessage.parse(text) } catch { return EyeReply.error(error.description) }
        guard case .frame(let bytes, let clientTimeMs) = message else { return nil }
        let picture: (gray: [UInt8], width: Int, height: Int)
        do {
            picture = try PictureDecoding.decodeGray(bytes, maxSide: settings.maxImageSide, maxPixels: settings.maxImagePixels)
        } catch {
            return EyeReply.error(error.description)
        }
        // Stream time: the client's when it gives one, else when the frame arrived, from the first frame.
        let start = startMs ?? arrivalMs
        startMs = start
        let timeMs = clientTimeMs ?? (arrivalMs - start)
        guard timeMs >= lastTimeMs else {
            return EyeReply.error("\"time\" went backwards (\(RecordEncoding.num(timeMs, 1)) ms after \(RecordEncoding.num(lastTimeMs, 1)) ms)")
        }
        lastTimeMs = timeMs
        let pipeline = self.pipeline ?? FramePipeline(model: worker.model, config: settings.config)
        self.pipeline = pipeline
        let frame = Frame(gray: picture.gray, width: picture.width, height: picture.height, timeMs: timeMs, sequence: sequence)
        let result = pipeline.process(frame)
        return EyeReply.record(result.live, epochMs: Date().timeIntervalSince1970 * 1000, dropped: counts.dropped)
    }
}
