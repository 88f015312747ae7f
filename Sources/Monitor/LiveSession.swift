import Capture
import Dispatch
import GazeCore
import Glibc
import Synchronization

/// How a live session runs.
public struct LiveOptions: Sendable {
    public var request = CaptureRequest()
    /// A stream that gives no frame for this long has failed (`CameraError.timeout`).
    public var frameTimeoutSeconds = 5.0
    /// After an unplug, wait for the camera to come back instead of stopping.
    public var reconnect = false
    public var reconnectIntervalMs = 500
    /// Refuse a virtual camera (v4l2loopback and the like).
    public var refuseVirtual = false
    /// Never drop a frame: capture waits for vision. Only for sources paced by their consumer (a simulated
    /// camera with pace=demand); a real camera would drop in its driver instead.
    public var lossless = false
    /// Stop after this long streaming (benchmarks); nil runs until stopped.
    public var durationSeconds: Double?

    public init() {}
}

/// What a live session did, for a summary line and for benchmarks.
public struct LiveReport: Sendable {
    public enum Ending: Equatable, Sendable {
        /// The caller asked it to stop (Ctrl-C).
        case stopped
        /// The stream ended (a simulated camera at the end of its video).
        case ended
        /// `durationSeconds` passed.
        case timeUp
        case failed(CameraError)
    }

    public var ending = Ending.stopped
    public var format: CaptureFormat?
    /// Frames the capture thread got from the driver.
    public var framesCaptured = 0
    /// Frames vision processed.
    public var framesProcessed = 0
    /// Frames replaced in the hand-over slot because vision was still busy.
    public var framesDropped = 0
    /// Frames the driver skipped (no free buffer), and corrupt ones it handed back unread.
    public var driverDrops = 0
    public var corruptFrames = 0
    public var reconnects = 0
    /// From the driver's capture timestamp to the frame being done with, in milliseconds: its live view
    /// published (the dashboard's snapshot, when `onFrame` publishes one), else its result known.
    public var latency = LatencyHistogram()
    /// Vision and metrics alone, per frame.
    public var processing = LatencyHistogram()
    /// From the capture timestamp to vision starting on the frame: the cost of capture and hand-over.
    public var handOver = LatencyHistogram()
    /// CPU time of the capture thread (poll, dequeue, copying luma out, re-queue), seconds.
    public var captureThreadCPUSeconds = 0.0
    public var stats = SessionStats()
    /// Wall time spent streaming.
    public var streamingSeconds = 0.0

    public var capturedFps: Double { streamingSeconds > 0 ? Double(framesCaptured) / streamingSeconds : 0 }
}

/// Live capture: a capture thread takes frames from the camera as they come, a serial vision queue
/// processes the newest one whenever it is free, and frames it had no time for are dropped and counted,
/// never queued. The vision queue owns the frame processor (and so every dlib/OpenCV handle): it is
/// created on that queue and used only there.
///
/// `run` blocks its calling thread, which becomes the capture thread.
// @unchecked Sendable: the vision queue's blocks capture `self`. Each mutable field has one owner: the
// camera and `captureReport` belong to the thread inside `run`, the processor, `visionReport` and the
// callbacks to the vision queue; `run` reads the vision side only after draining that queue with `sync`.
public final class LiveSession: @unchecked Sendable {
    public let camera: V4L2Camera
    public let options: LiveOptions
    private let visionQueue = DispatchQueue(label: "gazetop.vision", qos: .userInteractive)
    private let makeProcessor: @Sendable () -> any FrameProcessing
    private var processor: (any FrameProcessing)?
    private var visionReport = LiveReport()
    private var onFrame: (LiveFrame) -> Void = { _ in }
    private let slot: NewestFrameSlot
    /// Counts other threads may read while the session runs (the dashboard's header).
    public let counters = LiveCounters()
    /// `stop()` was called: the capture loop ends at its next turn.
    private let stopRequested = Atomic(false)
    /// Signalled once by `stop()`: wakes a wait for an unplugged camera at once (made at 0; libdispatch
    /// traps when a semaphore is freed below the value it was made with).
    private let stopSignal = DispatchSemaphore(value: 0)

    /// - Parameter makeProcessor: builds the per-frame path; called once, on the vision queue.
    public init(camera: V4L2Camera, options: LiveOptions, makeProcessor: @escaping @Sendable () -> any FrameProcessing) {
        self.camera = camera
        self.options = options
        self.makeProcessor = makeProcessor
        slot = NewestFrameSlot(lossless: options.lossless)
    }

    /// Opens and configures the camera, streams until stopped, the stream ends or it fails, and releases
    /// the camera. Setup failures (no camera, permission, busy, unsupported format) are thrown; a failure
    /// mid-stream ends the session and is reported in `LiveReport.ending`, with what was recorded so far.
    ///
    /// - Parameters:
    ///   - onFrame: called on the vision queue with each processed frame's result, in order.
    ///   - onEnd: called on the vision queue once the stream is over, with the records a closure of the
    ///     eyes still held back (the confirmed records are those of every `onFrame`, then these).
    ///   - onEvent: called on the capture thread when the camera goes away or comes back.
    ///   - onStreaming: called on the capture thread once the camera is configured and streams, with its
    ///     format (a setup failure is thrown instead), before the first frame.
    ///   - shouldStop: polled about ten times a second while streaming, and between tries to reopen an
    ///     unplugged camera (`stop()` ends those waits at once).
    public func run(onFrame: @escaping (LiveFrame) -> Void, onEnd: @escaping ([FrameRecord]) -> Void = { _ in },
                    onEvent: (LiveEvent) -> Void = { _ in }, onStreaming: (CaptureFormat?) -> Void = { _ in },
                    shouldStop: () -> Bool) throws(CameraError) -> LiveReport {
        self.onFrame = onFrame
        visionQueue.sync { processor = makeProcessor() }
        defer { camera.close() }
        try startCamera()
        var report = LiveReport()
        report.format = camera.format
        counters.noteFormat(camera.format)
        onStreaming(camera.format)
        report.ending = capture(&report, onEvent: onEvent, shouldStop: shouldStop)
        camera.stop()
        visionQueue.sync { // every frame put has been processed; release what a closure held back
            if let processor {
                let held = processor.finish()
                held.forEach { visionReport.stats.add($0) }
                onEnd(held)
            }
        }
        report.framesProcessed = visionReport.framesProcessed
        report.latency = visionReport.latency
        report.processing = visionReport.processing
        report.handOver = visionReport.handOver
        report.stats = visionReport.stats
        report.framesDropped = slot.dropped
        report.driverDrops = camera.driverDrops
        report.corruptFrames = camera.corruptFrames
        return report
    }

    private func startCamera() throws(CameraError) {
        try camera.open()
        if options.refuseVirtual, let info = camera.info, info.isVirtual {
            throw .virtualCamera(path: camera.path, driver: info.driver)
        }
        try camera.configure(options.request)
        try camera.start()
    }

    /// The capture loop. Returns why it ended.
    private func capture(_ report: inout LiveReport, onEvent: (LiveEvent) -> Void, shouldStop: () -> Bool)
        -> LiveReport.Ending {
        let started = MonotonicClock.nowMs()
        let startedCPU = MonotonicClock.threadCPUUs()
        var lastFrameMs = started
        defer {
            report.streamingSeconds = (MonotonicClock.nowMs() - started) / 1000
            report.captureThreadCPUSeconds = Double(MonotonicClock.threadCPUUs() - startedCPU) / 1e6
        }
        while true {
            if isStopping(shouldStop) { return .stopped }
            let now = MonotonicClock.nowMs()
            if let limit = options.durationSeconds, now - started >= limit * 1000 { return .timeUp }
            do throws(CameraError) {
                switch try camera.read(waitMs: 100) {
                case .frame(let frame):
                    lastFrameMs = MonotonicClock.nowMs()
                    report.framesCaptured += 1
                    let (startVision, put) = slot.put(frame, shouldStop: { isStopping(shouldStop) })
                    if !put { return .stopped }
                    counters.noteCaptured(driverDrops: camera.driverDrops, dropped: slot.dropped)
                    if startVision { visionQueue.async { self.drain() } }
                case .waiting:
                    if now - lastFrameMs > options.frameTimeoutSeconds * 1000 {
                        throw .timeout(path: camera.path, seconds: options.frameTimeoutSeconds)
                    }
                case .ended:
                    return .ended
                }
            } catch {
                guard case .unplugged = error, options.reconnect else { return .failed(error) }
                onEvent(.cameraLost(path: camera.path))
                camera.close()
                if let failure = reconnect(shouldStop: shouldStop) { return failure }
                report.reconnects += 1
                lastFrameMs = MonotonicClock.nowMs()
                onEvent(.cameraBack(path: camera.path))
            }
        }
    }

    /// Ends the session soon, from any thread: the capture loop at its next turn (within its 100 ms read),
    /// a wait for an unplugged camera at once. `run` returns with `.stopped`.
    public func stop() {
        guard !stopRequested.exchange(true, ordering: .acquiringAndReleasing) else { return }
        stopSignal.signal()
    }

    private func isStopping(_ shouldStop: () -> Bool) -> Bool {
        stopRequested.load(ordering: .acquiring) || shouldStop()
    }

    /// Tries to open the camera again every `reconnectIntervalMs` until it works; nil when it does, the
    /// ending otherwise. Between tries it waits on `stopSignal`, so `stop()` ends the wait at once.
    private func reconnect(shouldStop: () -> Bool) -> LiveReport.Ending? {
        while true {
            if stopSignal.wait(timeout: .now() + .milliseconds(options.reconnectIntervalMs)) == .success {
                stopSignal.signal() // it stays raised for any later wait
                return .stopped
            }
            if isStopping(shouldStop) { return .stopped }
            do throws(CameraError) {
                try startCamera()
                return nil
            } catch {
                camera.close()
                switch error {
                case .noCamera, .unplugged, .busy: continue // not back yet, or still settling
                default: return .failed(error)
                }
            }
        }
    }

    /// Runs `work` on the vision queue, after the frames already handed over (for the UI's requests to the
    /// frame processor, which lives there).
    public func onVisionQueue(_ work: @escaping @Sendable () -> Void) {
        visionQueue.async(execute: work)
    }

    /// Runs `work` on the vision queue and waits for it (reading what lives there, e.g. after `run`).
    public func onVisionQueueAndWait<T>(_ work: () -> T) -> T {
        visionQueue.sync(execute: work)
    }

    /// Runs on the vision queue: processes the newest frame until there is none.
    private func drain() {
        // The processor and its dlib/OpenCV handles are the vision queue's alone.
        dispatchPrecondition(condition: .onQueue(visionQueue))
        guard let processor else { return }
        while let frame = slot.take() {
            if let captured = frame.captureMs { visionReport.handOver.add(MonotonicClock.nowMs() - captured) }
            let result = processor.process(frame)
            let doneMs = MonotonicClock.nowMs()
            visionReport.framesProcessed += 1
            visionReport.processing.add(result.timing.totalMs)
            result.confirmed.forEach { visionReport.stats.add($0) }
            counters.noteProcessed()
            onFrame(LiveFrame(result: result, latencyMs: frame.captureMs.map { doneMs - $0 }))
            if let captured = frame.captureMs { visionReport.latency.add(MonotonicClock.nowMs() - captured) }
        }
    }
}

extension LiveSession {
    /// `run` for readers of the confirmed records alone (a JSON Lines writer): `onRecord` gets each one
    /// whose judgement is final, in stream order, on the vision queue.
    public func run(onRecord: @escaping (FrameRecord) -> Void, onEvent: (LiveEvent) -> Void = { _ in },
                    shouldStop: () -> Bool) throws(CameraError) -> LiveReport {
        try run(onFrame: { $0.result.confirmed.forEach(onRecord) }, onEnd: { $0.forEach(onRecord) },
                onEvent: onEvent, shouldStop: shouldStop)
    }
}

/// What happened to the camera while a session ran, for the status line.
public enum LiveEvent: Equatable, Sendable, CustomStringConvertible {
    /// Unplugged; the session waits for it to come back (`LiveOptions.reconnect`).
    case cameraLost(path: String)
    case cameraBack(path: String)

    public var description: String {
        switch self {
        case .cameraLost(let path): "\(path) went away; waiting for it to come back (Ctrl-C to stop)"
        case .cameraBack(let path): "\(path) is back; streaming again"
        }
    }
}

/// One processed frame for a live view: everything it produced, and capture-to-result latency (nil for
/// sources without a capture timestamp).
public struct LiveFrame: Sendable {
    public var result: FrameResult
    public var latencyMs: Double?

    public init(result: FrameResult, latencyMs: Double?) {
        self.result = result
        self.latencyMs = latencyMs
    }
}

/// A live session's running counts, readable from any thread while it runs.
public final class LiveCounters: Sendable {
    private let captured = Atomic(0)
    private let processed = Atomic(0)
    private let dropped = Atomic(0)
    private let driverDrops = Atomic(0)
    private let negotiated = Mutex<CaptureFormat?>(nil)

    public init() {}

    /// The format the camera streams in, once it is configured.
    public var format: CaptureFormat? { negotiated.withLock { $0 } }

    /// Frames captured, processed by vision, dropped while vision was busy, and skipped by the driver.
    public var framesCaptured: Int { captured.load(ordering: .relaxed) }
    public var framesProcessed: Int { processed.load(ordering: .relaxed) }
    public var framesDropped: Int { dropped.load(ordering: .relaxed) }
    public var framesSkippedByDriver: Int { driverDrops.load(ordering: .relaxed) }

    func noteCaptured(driverDrops d: Int, dropped n: Int) {
        captured.add(1, ordering: .relaxed)
        driverDrops.store(d, ordering: .relaxed)
        dropped.store(n, ordering: .relaxed)
    }

    func noteProcessed() { processed.add(1, ordering: .relaxed) }

    func noteFormat(_ format: CaptureFormat?) { negotiated.withLock { $0 = format } }
}
