/// Milliseconds counted into fixed buckets, so a session of any length keeps statistics in constant
/// memory: 0.05 ms resolution up to 500 ms, everything slower in the last bucket (its true maximum kept
/// apart).
public struct LatencyHistogram: Equatable, Sendable {
    public static let bucketMs = 0.05
    public static let limitMs = 500.0
    private var buckets = [Int](repeating: 0, count: Int(LatencyHistogram.limitMs / LatencyHistogram.bucketMs) + 1)
    public private(set) var count = 0
    public private(set) var maxMs = 0.0
    private var sumMs = 0.0

    public init() {}

    public mutating func add(_ ms: Double) {
        let v = max(0, ms)
        buckets[min(buckets.count - 1, Int(v / Self.bucketMs))] += 1
        count += 1
        sumMs += v
        maxMs = Swift.max(maxMs, v)
    }

    public var meanMs: Double { count > 0 ? sumMs / Double(count) : 0 }

    /// The value below which `fraction` of the samples fall (the upper edge of its bucket, never above the
    /// largest sample).
    public func quantile(_ fraction: Double) -> Double {
        guard count > 0 else { return 0 }
        let rank = Int((fraction * Double(count)).rounded(.up))
        var seen = 0
        for (i, n) in buckets.enumerated() where n > 0 {
            seen += n
            if seen >= max(rank, 1) { return min(Double(i + 1) * Self.bucketMs, maxMs) }
        }
        return maxMs
    }

    public var medianMs: Double { quantile(0.5) }
    public var p99Ms: Double { quantile(0.99) }
}
