import Glibc

/// gazetop's one clock for "now": CLOCK_MONOTONIC, the clock V4L2 drivers stamp buffers with
/// (V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC), so capture times and "now" can be subtracted. It times work and
/// paces screens; never stream time, which comes with each frame. GazeCore and Dashboard have no clock of
/// their own: they are handed this one (or a test's).
public enum MonotonicClock {
    public static func nowMs() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1_000_000
    }

    public static func nowUs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }

    public static func nowSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// CPU time of the calling thread, for charging work to whoever did it (the simulator's share).
    public static func threadCPUUs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }
}
