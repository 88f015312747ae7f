/// The distances of same-person (genuine) and different-person (impostor) pairs, and the rates they give:
/// how face matching is scored. Pure: exact tests feed it distances.
public struct MatchScores: Sendable, Equatable {
    public let genuine: [Double]
    public let impostor: [Double]

    public init(genuine: [Double], impostor: [Double]) {
        self.genuine = genuine.sorted()
        self.impostor = impostor.sorted()
    }

    /// One point of the ROC: at `threshold`, the share of genuine pairs matched (true match rate) and of
    /// impostor pairs matched (false match rate). A pair matches when its distance is at most the threshold.
    public struct Point: Sendable, Equatable {
        public let threshold: Double
        public let trueMatchRate: Double
        public let falseMatchRate: Double
    }

    public func point(at threshold: Double) -> Point {
        Point(threshold: threshold, trueMatchRate: share(genuine, atMost: threshold),
              falseMatchRate: share(impostor, atMost: threshold))
    }

    /// The ROC at every `step` of threshold from `from` to `to` (inclusive, up to rounding).
    public func roc(from: Double = 0.30, to: Double = 0.80, step: Double = 0.05) -> [Point] {
        let count = Int(((to - from) / step).rounded())
        return (0...count).map { point(at: from + Double($0) * step) }
    }

    /// The highest true match rate at any threshold whose false match rate is at most `maxFalseMatchRate`,
    /// and the largest such threshold (thresholds tried: every pair's distance, and 0).
    public func bestTrueMatchRate(falseMatchRateAtMost maxFalseMatchRate: Double) -> Point {
        var best = point(at: 0)
        for t in genuine + impostor {
            let p = point(at: t)
            if p.falseMatchRate <= maxFalseMatchRate && p.trueMatchRate >= best.trueMatchRate { best = p }
        }
        return best
    }

    /// The equal error rate: where the false match rate and the false non-match rate cross, taken at the
    /// pair distance (or midway between two neighbouring distances) where they are closest, and reported as
    /// their mean there. 0 when every genuine pair is closer than every impostor pair.
    public func equalErrorRate() -> (rate: Double, threshold: Double) {
        let candidates = (genuine + impostor).sorted()
        guard !candidates.isEmpty else { return (0, 0) }
        var thresholds = candidates
        for (a, b) in zip(candidates, candidates.dropFirst()) where b > a { thresholds.append((a + b) / 2) }
        var best = (gap: Double.infinity, rate: 0.0, threshold: 0.0)
        for t in thresholds.sorted() {
            let p = point(at: t)
            let fnmr = 1 - p.trueMatchRate
            let gap = abs(fnmr - p.falseMatchRate)
            if gap < best.gap { best = (gap, (fnmr + p.falseMatchRate) / 2, t) }
        }
        return (best.rate, best.threshold)
    }

    private func share(_ sorted: [Double], atMost threshold: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] <= threshold { low = mid + 1 } else { high = mid }
        }
        return Double(low) / Double(sorted.count)
    }
}
