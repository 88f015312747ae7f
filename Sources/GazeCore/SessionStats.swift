/// Running totals over a stream of records: what a summary or a session report says at the end.
public struct SessionStats: Sendable, Equatable {
    public private(set) var frames = 0
    public private(set) var faceFrames = 0
    public private(set) var contactFrames = 0
    public private(set) var firstTimeMs: Double?
    public private(set) var lastTimeMs: Double?
    public private(set) var blinkCount = 0
    /// Stream time with eye contact, and with a face, weighting each frame by the interval it covers.
    public private(set) var contactMs = 0.0
    public private(set) var faceMs = 0.0
    /// The longest stretch without eye contact while a face was in view, in milliseconds.
    public private(set) var longestLookAwayMs = 0.0
    private var lookAwaySinceMs: Double?
    private var previous: FrameRecord?

    public init() {}

    public mutating func add(_ r: FrameRecord) {
        if let p = previous {
            let dt = max(0, r.t - p.t)
            if p.eyeContact { contactMs += dt }
            if p.face { faceMs += dt }
        }
        frames += 1
        if r.face { faceFrames += 1 }
        if r.eyeContact { contactFrames += 1 }
        if firstTimeMs == nil { firstTimeMs = r.t }
        lastTimeMs = r.t
        blinkCount = r.blinkCount
        // A look-away lasts from its first frame until the frame that ends it (or the newest frame).
        if let since = lookAwaySinceMs { longestLookAwayMs = max(longestLookAwayMs, r.t - since) }
        if r.face && !r.eyeContact {
            if lookAwaySinceMs == nil { lookAwaySinceMs = r.t }
        } else {
            lookAwaySinceMs = nil
        }
        previous = r
    }

    /// Stream time covered, counting the last frame as one typical interval.
    public var durationMs: Double {
        guard let first = firstTimeMs, let last = lastTimeMs, frames > 0 else { return 0 }
        return frames > 1 ? (last - first) * Double(frames) / Double(frames - 1) : 0
    }

    public var faceShare: Double { frames > 0 ? Double(faceFrames) / Double(frames) : 0 }
    public var eyeContactShare: Double { frames > 0 ? Double(contactFrames) / Double(frames) : 0 }

    /// Time with a face in view under which no blink rate is given (too little to say).
    public static let blinkRateMinimumFaceMs = 5000.0

    /// Blinks per minute of time with a face in view (nil under `blinkRateMinimumFaceMs` of it).
    public var blinksPerMinute: Double? {
        let seen = durationMs * faceShare
        return seen >= Self.blinkRateMinimumFaceMs ? Double(blinkCount) / (seen / 60_000) : nil
    }
}
