/// What the eyes are doing in one frame.
public enum EyeState: String, Sendable, Codable, CaseIterable {
    /// Open (or narrowed without closing).
    case open
    /// In a blink.
    case blink
    /// Closed for longer than a blink (resting, asleep, a photo of closed eyes), or still shut when the
    /// stream ended.
    case closed
    /// No eyes to judge (no face).
    case unknown
}

/// The two openness measures of a frame, each the mean of both eyes.
public struct EyeOpenness: Sendable, Equatable {
    /// Eye Aspect Ratio from the landmarks.
    public var aspectRatio: Double
    /// Visible iris height from the eye patch (see `EyeObservation.irisHeight`).
    public var irisHeight: Double

    public init(aspectRatio: Double, irisHeight: Double) {
        self.aspectRatio = aspectRatio
        self.irisHeight = irisHeight
    }

    public init?(face: FaceObservation) {
        guard let l = face.leftEye.aspectRatio, let r = face.rightEye.aspectRatio else { return nil }
        self.init(aspectRatio: (l + r) / 2, irisHeight: (face.leftEye.irisHeight + face.rightEye.irisHeight) / 2)
    }
}

/// How a closure of the eyes ended up being judged, once it is over (or has gone on too long).
public enum ClosureVerdict: Sendable, Equatable {
    /// A blink; `durationMs` is how long the lids moved (from starting to close to open again).
    case blink(durationMs: Double)
    /// Deeply closed for longer than a blink: the closure's frames are `closed`.
    case closed
    /// The eye was not seen to reopen (the face left, or the stream ended): not a blink; its frames are
    /// `closed`, as that is how they were last seen.
    case unfinished
    /// Too short, or a long shallow dip: not a blink; its frames are `open`.
    case noise

    /// The state the closure's frames get once it is judged.
    public var state: EyeState {
        switch self {
        case .blink: .blink
        case .closed, .unfinished: .closed
        case .noise: .open
        }
    }
}

/// One frame's outcome from the detector.
public struct BlinkStep: Sendable, Equatable {
    /// The frame's state as known now. While `awaitingVerdict`, it is `blink` provisionally.
    public var state: EyeState
    /// The frame belongs to a closure not judged yet: its final state comes with a later verdict.
    public var awaitingVerdict = false
    /// Set when the closure whose frames were awaiting a verdict has just been judged.
    public var verdict: ClosureVerdict?
    /// Openness relative to the person's own open eyes (1 = as open as usual), nil with no eyes.
    public var openness: Double?
}

/// Turns per-frame eye openness into blinks.
///
/// Openness is judged against an open-eye level that follows the person (a high percentile of their
/// recent measures while the eyes were not closing), not one constant for everybody: eyes differ, and so do
/// cameras and head angles. Two measures are combined, each relative to its own level: the Eye Aspect
/// Ratio from the landmarks, and the visible iris height from the eye patch (the landmarks are least
/// reliable exactly when the lid closes, while the iris simply disappears). `irisWeight` 0 uses EAR alone.
///
/// A closure starts when relative openness falls below `closeFraction` and ends above `reopenFraction`
/// (hysteresis). It is a blink when the eye reopens, the lids moved for at least `minDurationMs`, the eye
/// was deeply closed (below `deepFraction`) for at most `maxDurationMs`, and the whole movement took at most
/// `maxMovementMs`. Deeply closed for longer is `closed`. A gap in observations up to `maxGapMs` neither
/// splits nor ends a closure.
public struct BlinkDetector: Sendable {
    public let config: BlinkConfig
    private var aspectLevel: OpenEyeLevel
    private var irisLevel: OpenEyeLevel
    private var closure: Closure?
    private var lastSeenMs: Double?
    private var lastFrameMs: Double?
    private var frameIntervalMs: Double?
    /// Blinks judged so far.
    public private(set) var count = 0
    /// Duration of the last blink, in milliseconds.
    public private(set) var lastDurationMs: Double?

    private struct Closure {
        var startMs: Double
        var lastClosingMs: Double
        var deepMs = 0.0
        /// Set once the closure has gone on too long to be a blink: judged before it ends.
        var earlyVerdict: ClosureVerdict?
    }

    public init(config: BlinkConfig = BlinkConfig()) {
        self.config = config
        aspectLevel = OpenEyeLevel(windowMs: config.baselineWindowMs, percentile: config.baselinePercentile)
        irisLevel = OpenEyeLevel(windowMs: config.baselineWindowMs, percentile: config.baselinePercentile)
    }

    /// Whether a closure is under way (its frames are not judged yet).
    public var isInClosure: Bool { closure != nil }

    /// The person's open-eye Eye Aspect Ratio, once known.
    public var openAspectRatio: Double? { aspectLevel.level }

    /// The Eye Aspect Ratio under which, all else equal, a closure starts now (for drawing on a meter).
    public var closingAspectRatio: Double? { aspectLevel.level.map { $0 * config.closeFraction } }

    /// Feeds one frame, in stream order; `openness` is nil when there are no eyes to measure.
    public mutating func update(timeMs: Double, openness measured: EyeOpenness?) -> BlinkStep {
        // The frame interval is learnt from consecutive frames, seen or not: a dropped face must not make
        // the next interval look twice as long.
        if let last = lastFrameMs, timeMs > last {
            let dt = timeMs - last
            frameIntervalMs = frameIntervalMs.map { 0.9 * $0 + 0.1 * dt } ?? dt
        }
        lastFrameMs = timeMs
        guard let measured else { return noEyes(timeMs: timeMs) }
        lastSeenMs = timeMs
        guard let relative = relativeOpenness(measured) else {
            aspectLevel.add(timeMs: timeMs, value: measured.aspectRatio)
            irisLevel.add(timeMs: timeMs, value: measured.irisHeight)
            return BlinkStep(state: .open, openness: 1)
        }
        let line = closure == nil ? config.closeFraction : config.reopenFraction
        guard relative < line else {
            aspectLevel.add(timeMs: timeMs, value: measured.aspectRatio)
            irisLevel.add(timeMs: timeMs, value: measured.irisHeight)
            let verdict = closure.flatMap { $0.earlyVerdict == nil ? judge($0, reopened: true) : nil }
            closure = nil
            return BlinkStep(state: .open, verdict: verdict, openness: relative)
        }
        if closure?.earlyVerdict == .noise {
            // A long shallow dip was judged a narrower eye, not a closure: the person's open level follows
            // it down, or the closure would never end.
            aspectLevel.add(timeMs: timeMs, value: measured.aspectRatio)
            irisLevel.add(timeMs: timeMs, value: measured.irisHeight)
        }
        var c = closure ?? Closure(startMs: timeMs, lastClosingMs: timeMs)
        if relative < config.deepFraction { c.deepMs += frameIntervalMs ?? 0 }
        c.lastClosingMs = timeMs
        closure = c
        return inClosure(relative: relative)
    }

    /// Ends the stream: a closure still being judged never reopened.
    public mutating func finish() -> ClosureVerdict? {
        defer { closure = nil }
        return closure.flatMap { $0.earlyVerdict == nil ? judge($0, reopened: false) : nil }
    }

    /// The state of a frame inside the current closure, judging it at once when it has gone on too long.
    private mutating func inClosure(relative: Double?) -> BlinkStep {
        guard var c = closure else { return BlinkStep(state: .open, openness: relative) }
        if let judged = c.earlyVerdict { return BlinkStep(state: judged.state, openness: relative) }
        let movement = c.lastClosingMs - c.startMs + (frameIntervalMs ?? 0)
        if c.deepMs > config.maxDurationMs || movement > config.maxMovementMs {
            // Deeply shut for too long is closed eyes; long but shallow is a narrowed eye, not a closure.
            let verdict: ClosureVerdict = c.deepMs > config.maxDurationMs ? .closed : .noise
            c.earlyVerdict = verdict
            closure = c
            return BlinkStep(state: verdict.state, verdict: verdict, openness: relative)
        }
        return BlinkStep(state: .blink, awaitingVerdict: true, openness: relative)
    }

    private mutating func noEyes(timeMs: Double) -> BlinkStep {
        if closure != nil, let seen = lastSeenMs, timeMs - seen <= config.maxGapMs {
            return inClosure(relative: nil) // a dropped frame inside a closure: it goes on
        }
        let verdict = closure.flatMap { $0.earlyVerdict == nil ? judge($0, reopened: false) : nil }
        closure = nil
        return BlinkStep(state: .unknown, verdict: verdict, openness: nil)
    }

    private mutating func judge(_ c: Closure, reopened: Bool) -> ClosureVerdict {
        guard reopened else { return .unfinished }
        let duration = c.lastClosingMs - c.startMs + (frameIntervalMs ?? 0)
        guard duration >= config.minDurationMs else { return .noise }
        count += 1
        lastDurationMs = duration
        return .blink(durationMs: duration)
    }

    /// Openness relative to the person's levels: the weighted mean of each measure over its own level.
    private func relativeOpenness(_ m: EyeOpenness) -> Double? {
        guard let ear = aspectLevel.level, ear > 0 else { return nil }
        var sum = m.aspectRatio / ear, weight = 1.0
        if config.irisWeight > 0, let iris = irisLevel.level, iris > 0 {
            sum += config.irisWeight * m.irisHeight / iris
            weight += config.irisWeight
        }
        return sum / weight
    }
}

/// A person's open-eye level of one measure: a high percentile of it over a trailing window of frames in
/// which the eye was not closing. It starts from the first frame, so a blink in the first second is judged.
struct OpenEyeLevel: Sendable {
    let windowMs: Double
    let percentile: Double
    private var times: [Double] = []
    private var values: [Double] = []
    /// The live values, kept sorted so the percentile is a lookup.
    private var sorted: [Double] = []
    private var head = 0
    private(set) var level: Double?

    init(windowMs: Double, percentile: Double) {
        self.windowMs = windowMs
        self.percentile = percentile
    }

    mutating func add(timeMs: Double, value: Double) {
        times.append(timeMs)
        values.append(value)
        sorted.insert(value, at: insertionIndex(value))
        while head < times.count - 1 && times[head] < timeMs - windowMs {
            sorted.remove(at: insertionIndex(values[head]))
            head += 1
        }
        if head > 1024 && head * 2 > times.count {
            times.removeFirst(head); values.removeFirst(head); head = 0
        }
        level = sorted[min(sorted.count - 1, Int(percentile * Double(sorted.count - 1) + 0.5))]
    }

    /// First index whose value is not below `value` (binary search).
    private func insertionIndex(_ value: Double) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
