/// What a session comes to, for the summary printed at the end and for `--report`: the totals of
/// `SessionStats` and a timeline with one entry per second of stream time.
public struct SessionReport: Sendable, Equatable {
    public var stats: SessionStats
    public var timeline: [ReportSecond]

    public init(stats: SessionStats = SessionStats(), timeline: [ReportSecond] = []) {
        self.stats = stats
        self.timeline = timeline
    }
}

/// One second of a session report.
public struct ReportSecond: Sendable, Equatable {
    /// Seconds since the session's first frame.
    public var second: Int
    public var frames = 0
    public var faceFrames = 0
    public var contactFrames = 0
    /// Blinks whose frames started in this second.
    public var blinks = 0

    public init(second: Int, frames: Int = 0, faceFrames: Int = 0, contactFrames: Int = 0, blinks: Int = 0) {
        self.second = second
        self.frames = frames
        self.faceFrames = faceFrames
        self.contactFrames = contactFrames
        self.blinks = blinks
    }

    /// Shares of the second's frames, 0...1 (nil for a second without frames, e.g. a stalled camera).
    public var faceShare: Double? { frames > 0 ? Double(faceFrames) / Double(frames) : nil }
    public var eyeContactShare: Double? { frames > 0 ? Double(contactFrames) / Double(frames) : nil }
}

/// Builds a `SessionReport` from final (confirmed) records, in stream order. Constant work per record;
/// memory grows by one small entry per second.
public struct SessionRecorder: Sendable {
    public private(set) var stats = SessionStats()
    private var timeline: [ReportSecond] = []
    private var firstMs: Double?
    private var lastBlinkCount = 0

    public init() {}

    public mutating func add(_ r: FrameRecord) {
        stats.add(r)
        let first = firstMs ?? r.t
        firstMs = first
        let second = max(0, Int(((r.t - first) / 1000).rounded(.down)))
        if timeline.isEmpty || timeline[timeline.count - 1].second < second {
            // Seconds without frames stay in the timeline, empty, so entry i is always second i.
            let next = timeline.last.map { $0.second + 1 } ?? 0
            for s in next...second { timeline.append(ReportSecond(second: s)) }
        }
        let i = timeline.count - 1
        timeline[i].frames += 1
        if r.face { timeline[i].faceFrames += 1 }
        if r.eyeContact { timeline[i].contactFrames += 1 }
        timeline[i].blinks += max(0, r.blinkCount - lastBlinkCount)
        lastBlinkCount = r.blinkCount
    }

    public var report: SessionReport { SessionReport(stats: stats, timeline: timeline) }
}
