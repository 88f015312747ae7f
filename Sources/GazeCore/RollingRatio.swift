/// The share of stream time a condition held over a trailing window (for example eye contact over the
/// last 30 s). Each sample covers the time until the next one, so uneven frame rates weigh fairly.
/// Constant work per sample: the sums are kept as samples enter and leave.
public struct RollingRatio: Sendable {
    public let windowMs: Double
    private var times: [Double] = []
    private var flags: [Bool] = []
    private var head = 0
    /// Sums over the intervals between live samples.
    private var totalMs = 0.0
    private var onMs = 0.0

    public init(windowMs: Double) {
        self.windowMs = windowMs
    }

    public mutating func reset() {
        self = RollingRatio(windowMs: windowMs)
    }

    /// Adds one sample and returns the share (0...1) of the window during which the condition held.
    @discardableResult
    public mutating func add(timeMs: Double, on: Bool) -> Double {
        if let lastTime = times.last, let lastOn = flags.last {
            let dt = max(0, timeMs - lastTime)
            totalMs += dt
            if lastOn { onMs += dt }
        }
        times.append(timeMs)
        flags.append(on)
        while head < times.count - 1 && times[head] < timeMs - windowMs {
            let dt = max(0, times[head + 1] - times[head])
            totalMs -= dt
            if flags[head] { onMs -= dt }
            head += 1
        }
        if head > 4096 && head * 2 > times.count {
            times.removeFirst(head); flags.removeFirst(head); head = 0
        }
        return ratio
    }

    /// The current share, 0...1 (0 before any sample). The newest sample counts as one typical interval,
    /// so a first frame of eye contact reads as 100%, not as an undefined 0/0.
    public var ratio: Double {
        let live = times.count - head
        guard live > 0 else { return 0 }
        let newestOn = flags[times.count - 1]
        let step = live > 1 ? totalMs / Double(live - 1) : 1
        let total = totalMs + step
        return total > 0 ? max(0, min(1, (onMs + (newestOn ? step : 0)) / total)) : 0
    }
}
