/// "A blink is a movement": a real blink closes and reopens the lids over several frames, so at 30 fps
/// some frames catch the lids part-way; a swap between an open and a shut picture has none, and a picture
/// tilted away and back foreshortens the eyes and the face alike, so its openness does not dip at all.
///
/// Openness here is the lids' gap (the mean of the two eyes' lid-to-lid heights) over the face's height
/// from the top of the nose to the chin (landmarks 27 and 8): a tilt of the whole face scales both.
public struct BlinkProfileTally: Sendable {
    public let config: BlinkProfileConfig
    private var samples: [(timeMs: Double, openness: Double)] = []
    private var blinkTimes: [Double] = []
    private var lastBlinkCount: Int?

    public init(config: BlinkProfileConfig = BlinkProfileConfig()) {
        self.config = config
    }

    /// The openness of a face, as above; nil for a degenerate face.
    public static func openness(_ l: Landmarks) -> Double? {
        func gap(_ e: EyePoints) -> Double { (e.points[1].distance(to: e.points[5]) + e.points[2].distance(to: e.points[4])) / 2 }
        let height = l.points[27].distance(to: l.points[8])
        guard height > 1e-6 else { return nil }
        return (gap(l.leftEye) + gap(l.rightEye)) / 2 / height
    }

    /// Adds a new frame (not a repeat of the one before): its landmarks, and the blink count so far (a blink
    /// is counted when it ends).
    public mutating func add(timeMs: Double, landmarks: Landmarks?, blinkCount: Int) {
        if let l = landmarks, let o = Self.openness(l) { samples.append((timeMs, o)) }
        if let last = lastBlinkCount, blinkCount > last { blinkTimes.append(timeMs) }
        lastBlinkCount = blinkCount
    }

    /// One counted blink's profile: how deep its openness dipped (a fraction of the open level) and how
    /// many frames caught the lids part-way (between a fifth and four fifths of the way down).
    public struct Profile: Sendable, Equatable {
        public var depth: Double
        public var partway: Int
    }

    /// The profile of every counted blink with landmarks around it, in order. (A blink is counted from the
    /// landmarks, so the real pipeline always has them; frames built by hand in tests may not.)
    public var profiles: [Profile] {
        blinkTimes.compactMap { end in
            let window = samples.filter { $0.timeMs >= end - config.windowBeforeMs && $0.timeMs <= end + config.windowAfterMs }
            guard window.count >= 3 else { return nil }
            let sorted = window.map(\.openness).sorted()
            let open = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.8))], bottom = sorted[0]
            guard open > 0 else { return Profile(depth: 0, partway: 0) }
            let span = open - bottom
            let partway = window.count { $0.openness > bottom + 0.2 * span && $0.openness < open - 0.2 * span }
            return Profile(depth: span / open, partway: partway)
        }
    }

    /// Frames part-way a real blink needs at `framesPerSecond` (`minPartwayFramesAt30` scaled, at least 1).
    public func partwayNeeded(framesPerSecond: Double) -> Int {
        max(1, Int((Double(config.minPartwayFramesAt30) * framesPerSecond / 30).rounded()))
    }

    /// Counted blinks that could be judged.
    public var judged: Int { profiles.count }

    /// Counted blinks whose profile is a real blink's.
    public func realBlinks(framesPerSecond: Double) -> Int {
        let needed = partwayNeeded(framesPerSecond: framesPerSecond)
        return profiles.count { $0.depth >= config.minDepth && $0.partway >= needed }
    }

    /// The most part-way frames any sufficiently deep counted blink had (0 without one).
    public var bestPartway: Int { profiles.filter { $0.depth >= config.minDepth }.map(\.partway).max() ?? 0 }
}
