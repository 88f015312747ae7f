import Capture
import GazeCore
import Synchronization

/// The vision side of the live dashboard. On the vision queue it feeds each frame's live and confirmed
/// records to a `SnapshotCollector` and publishes a fresh `Snapshot` into a small lock-protected box; the
/// UI thread takes the newest one whenever it draws, so drawing never holds up vision. The UI's requests
/// (pause, reset, preview, the eye-contact cone) are queued here and applied on the vision queue, where
/// the collector and the frame pipeline live.
// @unchecked Sendable: `collector`, `pipeline`, the preview's fields, `rates` and `latencyMs` belong to
// the vision queue (every method marked so runs there); `box` and `requests` are the only state other
// threads touch, each behind its own Mutex. `counters` and `scheduleOnVisionQueue` are set once, before the
// session starts.
public final class DashboardFeed: @unchecked Sendable {
    public enum Request: Sendable, Equatable {
        case pause, resume, reset
        case preview(Bool)
        /// Narrow (+1) or widen (-1) the eye-contact cone by `DashboardConfig.coneStepDeg` per step.
        case stricter(steps: Int)
    }

    private struct Box {
        var snapshot = Snapshot()
        var stream: StreamState?
        var event: String?
    }

    private let config: GazeConfig
    /// The session's counters (set before the session runs).
    public var counters = LiveCounters()
    private let box: Mutex<Box>
    private let requests = Mutex<[Request]>([])
    private var collector: SnapshotCollector
    private var pipeline: FramePipeline?
    private var previewOn = false
    private var preview: Preview?
    /// The newest frame and what vision saw in it, so a preview turned on during a pause or after the
    /// stream ended still shows the last picture.
    private var lastFrame: Frame?
    private var lastFace: FaceObservation?
    private var rates = RateWindow()
    private var latencyMs: Double?
    /// Where each frame goes as a `ChallengeFrame` while a challenge or calibration runs on the monitor's
    /// stream (`g`, `c`); the sampler starts afresh with each new tap.
    private let taskTap = Mutex<(id: Int, take: @Sendable (ChallengeFrame) -> Void)?>(nil)
    private var tapSampler: (id: Int, sampler: ChallengeFrameSampler)?
    /// Asks for `applyRequests` to run on the vision queue (set by whoever owns the queue).
    public var scheduleOnVisionQueue: (@escaping @Sendable () -> Void) -> Void = { _ in }

    public init(config: GazeConfig, device: String) {
        self.config = config
        collector = SnapshotCollector(config: config)
        var first = Snapshot()
        first.source.device = device
        collector.fill(&first)
        box = Mutex(Box(snapshot: first))
    }

    // MARK: Any thread

    /// The newest snapshot.
    public func latest() -> Snapshot {
        box.withLock { b in
            var s = b.snapshot
            if let stream = b.stream { s.stream = stream }
            if s.message == nil { s.message = b.event }
            return s
        }
    }

    /// Queues a request of the UI; it takes effect on the vision queue.
    public func request(_ r: Request) {
        requests.withLock { $0.append(r) }
        scheduleOnVisionQueue { [self] in applyRequests() }
    }

    /// Sends each processed frame to `take` (on the vision queue) from the next frame on, as a
    /// `ChallengeFrame`; nil stops.
    public func setTaskTap(_ take: (@Sendable (ChallengeFrame) -> Void)?) {
        taskTap.withLock { tap in tap = take.map { ((tap?.id ?? 0) + 1, $0) } }
    }

    /// The stream ended, whatever the vision queue publishes next.
    public func streamEnded() { box.withLock { $0.stream = .ended } }

    /// A camera event: the stream's state (waiting while the camera is away, streaming again once it is
    /// back) and its line for the status bar.
    public func take(_ event: LiveEvent) {
        box.withLock { b in
            b.event = event.description
            switch event {
            case .cameraLost: b.stream = .waiting
            case .cameraBack: b.stream = nil
            }
        }
    }

    // MARK: Vision queue

    /// The pipeline whose eye-contact cone the UI changes (set where it is made, on the vision queue).
    public func attach(_ pipeline: FramePipeline) { self.pipeline = pipeline }

    /// One processed frame: its live record for what is shown now, the records it made final for the
    /// counts, and one snapshot published for both.
    public func take(_ f: LiveFrame) {
        applyRequests()
        let result = f.result
        latencyMs = f.latencyMs
        collector.addLive(result.live, frameLevel: result.observation.frameLevel)
        for record in result.confirmed { collector.addConfirmed(record) }
        if !collector.paused {
            lastFrame = result.frame
            lastFace = result.observation.face
            if previewOn { makePreview() }
        }
        rates.add(nowMs: MonotonicClock.nowMs(), captured: counters.framesCaptured, processed: counters.framesProcessed)
        publish()
        feedTask(result)
    }

    /// The stream is over: the records a closure of the eyes still held back.
    public func end(_ held: [FrameRecord]) {
        guard !held.isEmpty else { return }
        for record in held { collector.addConfirmed(record) }
        publish()
    }

    private func feedTask(_ result: FrameResult) {
        guard let tap = taskTap.withLock({ $0 }) else {
            tapSampler = nil
            return
        }
        if tapSampler?.id != tap.id { tapSampler = (tap.id, ChallengeFrameSampler()) }
        tap.take(tapSampler!.sampler.sample(result))
    }

    /// Maps gaze with `calibration` from the next frame on (a calibration just made with `c`).
    public func setCalibration(_ calibration: GazeCalibration?) {
        scheduleOnVisionQueue { [self] in pipeline?.setCalibration(calibration) }
    }

    /// Applies the UI's queued requests.
    public func applyRequests() {
        let pending = requests.withLock { r -> [Request] in
            defer { r.removeAll() }
            return r
        }
        guard !pending.isEmpty else { return }
        for r in pending {
            switch r {
            case .pause: collector.pause()
            case .resume: collector.resume()
            case .reset: collector.reset()
            case .preview(let on):
                previewOn = on
                if on { makePreview() } else { preview = nil }
            case .stricter(let steps):
                let cone = collector.setCone(collector.coneDeg - Double(steps) * config.dashboard.coneStepDeg)
                pipeline?.setEyeContactCone(enterDeg: cone)
            }
        }
        publish()
    }

    /// The session's statistics so far.
    public var report: SessionReport { collector.report }

    private func makePreview() {
        guard let frame = lastFrame else { return }
        let d = config.dashboard
        preview = PreviewImage.make(frame, face: lastFace, maxWidth: d.previewMaxWidthPixels, maxHeight: d.previewMaxHeightPixels)
    }

    private func publish() {
        var s = Snapshot()
        collector.fill(&s)
        s.preview = preview
        s.paused = collector.paused
        s.source.captureFps = rates.capturedFps
        s.source.visionFps = rates.processedFps
        s.source.latencyMs = latencyMs
        s.source.dropped = counters.framesDropped
        s.source.driverDrops = counters.framesSkippedByDriver
        box.withLock { b in
            s.source.device = b.snapshot.source.device
            s.source.format = counters.format?.description ?? ""
            b.snapshot = s
        }
    }
}

/// Frames per second over the last second or so, from running counts sampled as frames come.
struct RateWindow {
    private var samples: [(ms: Double, captured: Int, processed: Int)] = []
    static let spanMs = 1000.0

    mutating func add(nowMs: Double, captured: Int, processed: Int) {
        samples.append((nowMs, captured, processed))
        // Keep one sample at least `spanMs` old, as the start of the window.
        while samples.count > 2 && nowMs - samples[1].ms >= Self.spanMs { samples.removeFirst() }
    }

    private func rate(_ count: (Int, Int) -> Int) -> Double {
        guard let first = samples.first, let last = samples.last, last.ms - first.ms > 100 else { return 0 }
        return Double(count(last.captured - first.captured, last.processed - first.processed)) / ((last.ms - first.ms) / 1000)
    }

    var capturedFps: Double { rate { c, _ in c } }
    var processedFps: Double { rate { _, p in p } }
}

extension LiveSession {
    /// A session whose frames also feed `feed`, the dashboard's vision side: each pipeline it makes is
    /// attached to the feed, and the feed reads the session's counters and applies UI requests on its
    /// vision queue. (`run` still needs `onFrame: feed.take` and `onEnd: feed.end`.)
    public static func feeding(_ feed: DashboardFeed, camera: V4L2Camera, options: LiveOptions,
                               makePipeline: @escaping @Sendable () -> FramePipeline) -> LiveSession {
        let session = LiveSession(camera: camera, options: options) {
            let pipeline = makePipeline()
            feed.attach(pipeline)
            return pipeline
        }
        feed.counters = session.counters
        feed.scheduleOnVisionQueue = { session.onVisionQueue($0) }
        return session
    }
}
