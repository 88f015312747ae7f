/// Turns the stream of records into what the dashboard shows (the "collect" half of collect and draw).
/// It runs beside the pipeline, fed two streams of the same frames:
///
/// - live records (`addLive`), the newest word for the screen: the banner, the EAR lines, the eye-contact
///   window and timeline;
/// - confirmed records (`addConfirmed`), whose judgement is final: the blink count and the session's
///   statistics and report, so they equal what `analyze` gives for the same frames.
///
/// Pausing and resetting work in stream time, so a record held back during a closure lands on the right
/// side of the pause or reset whenever it comes out. Pure: time comes in with the records.
public struct SnapshotCollector: Sendable {
    public let config: GazeConfig
    public private(set) var coneDeg: Double
    public private(set) var paused = false

    // Live side.
    private var latest: FrameRecord?
    private var frameLevel: Double?
    private var gaze = GazeState.starting
    private var window: RollingRatio
    private var timeline: [TimelineSecond] = []
    /// The stream second of `timeline.last`.
    private var timelineSecond: Int?
    private var leftEar: [Double?] = []
    private var rightEar: [Double?] = []
    private var earCursor = 0
    /// Stream time of the newest live record, paused or not.
    private var newestMs: Double?

    // Confirmed side.
    private var recorder = SessionRecorder()
    /// Records at or before this stream time belong to the statistics before the last reset.
    private var resetAtMs: Double?
    /// Pauses in stream time: records in (from, to] are left out, and later ones are moved back by the
    /// pauses' lengths so durations and rates count only unpaused time.
    private var pauses: [(fromMs: Double, toMs: Double)] = []
    private var pausedAtMs: Double?
    private var blinkCountSeen = 0
    private var blinksCounted = 0
    private var blinkStartMs: Double?
    private var lastBlinkDurationMs: Double?
    /// Whether "face too small" is up (with hysteresis: `DashboardConfig.smallFaceClearFactor`).
    private var faceTooSmall = false

    public init(config: GazeConfig = GazeConfig()) {
        self.config = config
        coneDeg = config.eyeContact.enterConeDeg
        window = RollingRatio(windowMs: config.eyeContact.windowMs)
    }

    // MARK: Feeding

    /// The newest frame's record as known now, and the frame's mean grey level.
    public mutating func addLive(_ r: FrameRecord, frameLevel: Double?) {
        newestMs = r.t
        if paused { return }
        latest = r
        self.frameLevel = frameLevel
        if let width = r.raw?.faceWidth, r.face {
            let d = config.dashboard
            faceTooSmall = width < d.smallFaceWidthPixels * (faceTooSmall ? d.smallFaceClearFactor : 1)
        } else {
            faceTooSmall = false
        }
        gaze = GazeState(r, previous: gaze, fullScaleDeg: config.gaze.fullScaleDeg)
        window.add(timeMs: r.t, on: r.eyeContact)
        addToTimeline(r)
        let capacity = config.dashboard.earHistoryFrames
        if leftEar.count < capacity {
            leftEar.append(r.earLeft)
            rightEar.append(r.earRight)
        } else {
            leftEar[earCursor] = r.earLeft
            rightEar[earCursor] = r.earRight
            earCursor = (earCursor + 1) % capacity
        }
    }

    /// A record whose judgement is final, in stream order.
    public mutating func addConfirmed(_ r: FrameRecord) {
        let newBlinks = max(0, r.blinkCount - blinkCountSeen)
        blinkCountSeen = r.blinkCount
        guard counts(r.t) else { return }
        blinksCounted += newBlinks
        if r.blink {
            if blinkStartMs == nil { blinkStartMs = r.t }
        } else if let start = blinkStartMs {
            lastBlinkDurationMs = r.t - start
            blinkStartMs = nil
        }
        var shifted = r
        shifted.t = r.t - pausedMs(before: r.t)
        shifted.blinkCount = blinksCounted
        recorder.add(shifted)
    }

    // MARK: The user's keys

    /// Freezes what is shown and stops the statistics until `resume`.
    public mutating func pause() {
        guard !paused else { return }
        paused = true
        pausedAtMs = newestMs ?? 0
    }

    public mutating func resume() {
        guard paused, let from = pausedAtMs else { return }
        paused = false
        pausedAtMs = nil
        let to = newestMs ?? from
        if to > from { pauses.append((from, to)) }
    }

    /// Starts the statistics afresh from the newest frame on: blink count, eye-contact shares, timeline,
    /// longest look-away, the report. The judgement itself (baselines, the blink under way) carries on.
    public mutating func reset() {
        let now = newestMs ?? 0
        resetAtMs = now
        pauses.removeAll()
        if paused { pausedAtMs = now }
        recorder = SessionRecorder()
        blinksCounted = 0
        blinkStartMs = nil
        lastBlinkDurationMs = nil
        window.reset()
        timeline.removeAll()
        timelineSecond = nil
    }

    /// Changes the cone shown (the pipeline's judge is changed by its owner); clamped to the configured
    /// limits. Returns the cone now in force.
    @discardableResult
    public mutating func setCone(_ deg: Double) -> Double {
        coneDeg = min(config.dashboard.maxConeDeg, max(config.dashboard.minConeDeg, deg))
        return coneDeg
    }

    // MARK: Reading

    /// The statistics of the session so far (pauses left out, from the last reset on).
    public var report: SessionReport { recorder.report }

    /// Fills the vision side of a snapshot; the UI's own fields (help, message, ...) are left as they are.
    public func fill(_ s: inout Snapshot) {
        let d = config.dashboard
        s.stream = latest == nil ? .starting : .live
        s.live = latest
        s.gaze = gaze
        s.source.frameLevel = frameLevel
        s.coneDeg = coneDeg
        s.fullScaleDeg = config.gaze.fullScaleDeg
        let stats = recorder.stats
        s.sessionMs = stats.durationMs
        s.faceShare = stats.frames > 0 ? stats.faceShare : nil

        s.contact.windowShare = latest == nil ? nil : window.ratio
        s.contact.windowSeconds = config.eyeContact.windowMs / 1000
        s.contact.sessionShare = stats.frames > 0 ? stats.eyeContactShare : nil
        s.contact.longestLookAwayMs = stats.longestLookAwayMs
        s.contact.timeline = timeline
        s.contact.timelineSeconds = d.timelineSeconds

        s.blinks.count = stats.blinkCount
        s.blinks.perMinute = stats.blinksPerMinute
        s.blinks.rate = BlinkRate(perMinute: stats.blinksPerMinute, config: d)
        s.blinks.lastDurationMs = lastBlinkDurationMs
        s.blinks.blinkingNow = latest?.eyes == .blink
        s.blinks.typicalPerMinute = d.typicalBlinksPerMinute

        s.eyes.left = Array(leftEar[earCursor...] + leftEar[..<earCursor])
        s.eyes.right = Array(rightEar[earCursor...] + rightEar[..<earCursor])
        s.eyes.closingEar = latest?.raw?.closingAspectRatio
        s.eyes.openEar = latest?.raw?.openAspectRatio

        var warnings: [PictureWarning] = []
        if let level = frameLevel {
            if level < d.tooDarkLevel { warnings.append(.tooDark(level: level)) }
            if level > d.tooBrightLevel { warnings.append(.tooBright(level: level)) }
        }
        if faceTooSmall, let width = latest?.raw?.faceWidth { warnings.append(.faceTooSmall(widthPixels: width)) }
        s.warnings = warnings
    }

    // MARK: Private

    /// Whether a confirmed record at stream time `t` counts: after the last reset and outside pauses.
    private func counts(_ t: Double) -> Bool {
        if let reset = resetAtMs, t <= reset { return false }
        if let from = pausedAtMs, t > from { return false }
        return !pauses.contains { t > $0.fromMs && t <= $0.toMs }
    }

    private func pausedMs(before t: Double) -> Double {
        pauses.reduce(0) { $0 + ($1.toMs < t ? $1.toMs - $1.fromMs : 0) }
    }

    private mutating func addToTimeline(_ r: FrameRecord) {
        let second = Int((r.t / 1000).rounded(.down))
        if let last = timelineSecond, second <= last {
            // Same second (or a clock step back): count it in the newest slot.
        } else {
            // Seconds without frames (a stalled camera) stay as empty slots.
            let gap = timelineSecond.map { min(second - $0, config.dashboard.timelineSeconds) } ?? 1
            for _ in 0..<gap { timeline.append(TimelineSecond()) }
            timelineSecond = second
            if timeline.count > config.dashboard.timelineSeconds {
                timeline.removeFirst(timeline.count - config.dashboard.timelineSeconds)
            }
        }
        let i = timeline.count - 1
        if !r.face {
            timeline[i].noFaceFrames += 1
        } else if r.eyeContact {
            timeline[i].contactFrames += 1
        } else {
            timeline[i].awayFrames += 1
        }
    }
}
