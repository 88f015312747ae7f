/// The scoring convention for blink detection on annotated clips (as in shared/data's README and
/// shared/tools/score_blinks.py, which must agree with this): a detected blink is a maximal run of
/// frames flagged as blinking; it matches a true blink when the two frame ranges overlap allowing
/// `slackFrames` on either side; matching is one to one, true blinks taken in order, each taking the
/// first unmatched detection that fits.
public struct BlinkScore: Sendable, Equatable {
    public var truePositives = 0
    public var falsePositives = 0
    public var falseNegatives = 0

    public init(truePositives: Int = 0, falsePositives: Int = 0, falseNegatives: Int = 0) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.falseNegatives = falseNegatives
    }

    public static let slackFrames = 3

    /// Scores one clip: `truth` and `detected` are inclusive frame ranges.
    public init(truth: [ClosedRange<Int>], detected: [ClosedRange<Int>], slack: Int = BlinkScore.slackFrames) {
        var used = Set<Int>()
        for t in truth {
            if let j = detected.indices.first(where: { j in
                !used.contains(j) && detected[j].lowerBound <= t.upperBound + slack
                    && detected[j].upperBound >= t.lowerBound - slack
            }) {
                used.insert(j)
                truePositives += 1
            }
        }
        falsePositives = detected.count - truePositives
        falseNegatives = truth.count - truePositives
    }

    public static func + (a: BlinkScore, b: BlinkScore) -> BlinkScore {
        BlinkScore(truePositives: a.truePositives + b.truePositives, falsePositives: a.falsePositives + b.falsePositives,
                   falseNegatives: a.falseNegatives + b.falseNegatives)
    }

    public var precision: Double {
        truePositives + falsePositives > 0 ? Double(truePositives) / Double(truePositives + falsePositives) : 0
    }

    public var recall: Double {
        truePositives + falseNegatives > 0 ? Double(truePositives) / Double(truePositives + falseNegatives) : 0
    }

    public var f1: Double {
        precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    }

    /// Maximal runs of true flags, as inclusive frame ranges.
    public static func runs(_ flags: [Bool]) -> [ClosedRange<Int>] {
        var out: [ClosedRange<Int>] = []
        var start: Int?
        for (i, on) in flags.enumerated() {
            if on, start == nil { start = i }
            if !on, let s = start { out.append(s...(i - 1)); start = nil }
        }
        if let s = start { out.append(s...(flags.count - 1)) }
        return out
    }
}
