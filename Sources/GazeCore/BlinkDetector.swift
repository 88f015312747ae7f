/// What the eyes are doing in one frame.
public enum EyeState: String, Sendable, Codable, CaseIterable {
    /// Open (or opening again after a blink).
    case open
    /// In a blink: closed for no longer than a blink lasts.
    case blink
    /// Closed for longer than a blink: resting, sleeping, or a photo of closed eyes.
    case closed
    /// No eyes to judge (no face).
    case unknown
}

/// Turns a per-frame eye-openness signal into blinks.
///
/// Openness is judged against an open-eye baseline that follows the person (a high percentile of their
/// recent openness), not one constant for everybody: eyes differ, and so do cameras and head angles.
/// The eye counts as closing when openness falls below `closeFraction` of that baseline and as open
/// again above `reopenFraction` (hysteresis, so noise near one line does not flicker). A closure is a
/// blink while it lasts no longer than `maxDurationMs`; longer, it is `closed`. Closures shorter than
/// `minDurationMs` are noise. A gap in observations up to `maxGapMs` neither splits nor ends a blink.
public struct BlinkDetector: Sendable {
    public let config: BlinkConfig
    private var baseline: OpenEyeBaseline
    private var closedSinceMs: Double?
    private var lastSeenMs: Double?
    private var lastClosedMs: Double?
    /// Completed blinks so far.
    public private(set) var count = 0
    /// Duration of the last completed blink, in milliseconds.
    public private(set) var lastDurationMs: Double?

    public init(config: BlinkConfig = BlinkConfig()) {
        self.config = config
        self.baseline = OpenEyeBaseline(windowMs: config.baselineWindowMs, percentile: config.baselinePercentile)
    }

    /// The open-eye level the current frame is judged against, if known yet.
    public var openLevel: Double? { baseline.level }

    /// The openness below which the eye counts as closing now, if known yet.
    public var closeThreshold: Double? { baseline.level.map { $0 * config.closeFraction } }

    public mutating func reset() {
        self = BlinkDetector(config: config)
    }

    /// Feeds one frame: `openness` is nil when there are no eyes to measure (no face).
    public mutating func update(timeMs: Double, openness: Double?) -> EyeState {
        guard let openness else { return noEyes(timeMs: timeMs) }
        lastSeenMs = timeMs
        let level = baseline.level
        let closing: Bool
        if let level {
            let line = closedSinceMs == nil ? config.closeFraction : config.reopenFraction
            closing = openness < level * line
        } else {
            closing = false
        }
        if !closing { baseline.add(timeMs: timeMs, value: openness) }
        if closing {
            if closedSinceMs == nil { closedSinceMs = timeMs }
            lastClosedMs = timeMs
            return state(at: timeMs)
        }
        finishClosure(endMs: timeMs)
        return .open
    }

    /// State for a frame still inside a closure that started at `closedSinceMs`.
    private func state(at timeMs: Double) -> EyeState {
        guard let start = closedSinceMs else { return .open }
        return timeMs - start > config.maxDurationMs ? .closed : .blink
    }

    private mutating func noEyes(timeMs: Double) -> EyeState {
        if closedSinceMs != nil, let seen = lastSeenMs, timeMs - seen <= config.maxGapMs {
            return state(at: timeMs) // a dropped frame inside a blink: the blink goes on
        }
        finishClosure(endMs: lastSeenMs ?? timeMs)
        return .unknown
    }

    /// The eye opened (or vanished) at `endMs`: count the closure if it had a blink's length.
    private mutating func finishClosure(endMs: Double) {
        guard let start = closedSinceMs else { return }
        closedSinceMs = nil
        let duration = (lastClosedMs ?? start) - start + frameAllowanceMs(endMs: endMs)
        if duration >= config.minDurationMs && duration <= config.maxDurationMs {
            count += 1
            lastDurationMs = duration
        }
    }

    /// A closure seen in n frames lasted about n frame intervals, not n - 1.
    private func frameAllowanceMs(endMs: Double) -> Double {
        guard let last = lastClosedMs else { return 0 }
        return max(0, min(endMs - last, config.maxGapMs))
    }
}

/// The person's open-eye openness: a high percentile of what was measured over a trailing window while
/// the eye was not closing. Starts from the first frames, so a blink in the first second is already judged.
struct OpenEyeBaseline: Sendable {
    let windowMs: Double
    let percentile: Double
    private var samples: [(timeMs: Double, value: Double)] = []
    private var head = 0
    private(set) var level: Double?

    init(windowMs: Double, percentile: Double) {
        self.windowMs = windowMs
        self.percentile = percentile
    }

    mutating func add(timeMs: Double, value: Double) {
        samples.append((timeMs, value))
        while head < samples.count - 1 && samples[head].timeMs < timeMs - windowMs { head += 1 }
        if head > 1024 && head * 2 > samples.count { samples.removeFirst(head); head = 0 }
        let live = samples[head...].map(\.value).sorted()
        level = live[min(live.count - 1, Int(percentile * Double(live.count - 1) + 0.5))]
    }
}
