import GazeCore

/// How well eye contact matched the labels over some frames: the share of `contact` frames judged in
/// eye contact, the share of `away` frames judged not, and the gaze on `contact` frames (its bias).
public struct EyeContactScore: Sendable, Equatable {
    /// Labelled `contact` frames, and how many of them gazetop judged in eye contact.
    public var contactFrames = 0
    public var contactHits = 0
    /// Labelled `away` frames, and how many gazetop judged not in eye contact.
    public var awayFrames = 0
    public var awayHits = 0
    /// Gaze angles on `contact` frames that had a gaze (a face), in stream order.
    public var contactGaze: [GazeAngles] = []

    public init() {}

    /// Adds one labelled frame: `looking` is the label (true: contact), `inContact` gazetop's verdict.
    public mutating func add(looking: Bool, inContact: Bool, gaze: GazeAngles?) {
        if looking {
            contactFrames += 1
            if inContact { contactHits += 1 }
            if let gaze { contactGaze.append(gaze) }
        } else {
            awayFrames += 1
            if !inContact { awayHits += 1 }
        }
    }

    /// Share of `contact` frames in eye contact (nil without any).
    public var contactShare: Double? { contactFrames > 0 ? Double(contactHits) / Double(contactFrames) : nil }
    /// Share of `away` frames not in eye contact (nil without any).
    public var awayShare: Double? { awayFrames > 0 ? Double(awayHits) / Double(awayFrames) : nil }

    /// The gaze's median and interquartile spread on `contact` frames, per axis (nil without any).
    public var rightDeg: Spread? { Spread(contactGaze.map(\.rightDeg)) }
    public var upDeg: Spread? { Spread(contactGaze.map(\.upDeg)) }

    public static func + (a: EyeContactScore, b: EyeContactScore) -> EyeContactScore {
        var s = a
        s.contactFrames += b.contactFrames
        s.contactHits += b.contactHits
        s.awayFrames += b.awayFrames
        s.awayHits += b.awayHits
        s.contactGaze += b.contactGaze
        return s
    }
}

/// The middle of some values and how far they spread: the median and the quartiles (linear between ranks).
public struct Spread: Sendable, Equatable {
    public var median: Double
    public var lowerQuartile: Double
    public var upperQuartile: Double

    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        let s = values.sorted()
        func quantile(_ q: Double) -> Double {
            let at = q * Double(s.count - 1)
            let i = Int(at), f = at - Double(i)
            return i + 1 < s.count ? s[i] * (1 - f) + s[i + 1] * f : s[i]
        }
        median = quantile(0.5)
        lowerQuartile = quantile(0.25)
        upperQuartile = quantile(0.75)
    }

    /// The interquartile range.
    public var width: Double { upperQuartile - lowerQuartile }
}
