import Glibc

/// CLOCK_MONOTONIC, the clock V4L2 drivers stamp buffers with (V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC), so
/// capture times and "now" can be subtracted.
public enum CaptureClock {
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

    /// CPU time of the calling thread, for charging work to whoever did it (the simulator's share).
    public static func threadCPUUs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }
}
