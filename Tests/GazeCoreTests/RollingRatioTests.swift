import Testing
@testable import GazeCore

/// The share of stream time a condition held over a trailing window. Times are whole milliseconds, so
/// every sum is exact.
@Suite struct RollingRatioTests {
    /// Feeds `(time, on)` samples and returns the ratio after each.
    static func ratios(_ samples: [(Double, Bool)], windowMs: Double = 30_000) -> [Double] {
        var r = RollingRatio(windowMs: windowMs)
        return samples.map { r.add(timeMs: $0.0, on: $0.1) }
    }

    @Test func emptyIsZero() {
        #expect(RollingRatio(windowMs: 1000).ratio == 0)
    }

    @Test("The first sample is all there is", arguments: [(true, 1.0), (false, 0.0)])
    func firstSample(on: Bool, expected: Double) {
        #expect(Self.ratios([(0, on)]) == [expected])
    }

    @Test("Each sample covers the time until the next; the newest one typical interval", arguments: [
        // on, on, off, off at 100 ms: 200 of 300 ms on, plus the newest (off) as 100 ms: 200 / 400.
        (samples: [(0.0, true), (100.0, true), (200.0, false), (300.0, false)], expected: 0.5),
        // The newest on counts too: 100 of 200, plus 100 on: 200 / 300.
        (samples: [(0.0, true), (100.0, false), (200.0, true)], expected: 2.0 / 3),
        // Uneven rate: 900 ms on, then 100 ms off, newest off as the mean interval (500 ms): 900 / 1500.
        // Counting samples instead of time would say 1/3.
        (samples: [(0.0, true), (900.0, false), (1000.0, false)], expected: 0.6),
        // Two samples at the same instant: no time passes, no division by zero.
        (samples: [(0.0, false), (0.0, false)], expected: 0.0),
    ])
    func timeWeighted(samples: [(Double, Bool)], expected: Double) {
        #expect(Self.ratios(samples).last == expected)
    }

    @Test func oldSamplesLeaveTheWindow() {
        // One sample every 100 ms for 2 s: on for the first second, off after.
        let samples = (0...20).map { (Double($0) * 100, $0 < 10) }
        let r = Self.ratios(samples, windowMs: 1000)
        // At 1500 ms the window holds samples 500...1500: 500 ms on (500-1000) of 1000, plus the newest
        // (off) as 100 ms.
        #expect(r[15] == 500.0 / 1100)
        // At 2000 ms only samples from 1000 on remain: all off.
        #expect(r[20] == 0)
        // While everything is inside the window, nothing leaves: at 900 ms, all on.
        #expect(r[9] == 1)
    }

    @Test func timeGoingBackwardsAddsNothing() {
        let r = Self.ratios([(0, true), (100, true), (50, false)])
        // The step back counts as 0 ms: 100 ms on, newest off as the mean (50 ms).
        #expect(r.last == 100.0 / 150)
    }

    @Test func resetForgetsEverything() {
        var r = RollingRatio(windowMs: 1000)
        r.add(timeMs: 0, on: true)
        r.add(timeMs: 100, on: true)
        r.reset()
        #expect(r.ratio == 0)
        #expect(r.add(timeMs: 200, on: false) == 0)
        #expect(r.windowMs == 1000)
    }

    /// Long streams compact their storage; the ratio must not change when they do.
    @Test func longStreamsStayExact() {
        var r = RollingRatio(windowMs: 1000)
        var last = 0.0
        // 20 000 samples, 10 ms apart, on one in four: the compaction point (4096 dropped) passes several times.
        for i in 0..<20_000 { last = r.add(timeMs: Double(i) * 10, on: i % 4 == 0) }
        // The window holds 101 samples (the 100 intervals of the last second plus the newest); the last
        // sample (i = 19 999) is off. 25 of the 100 intervals start with an on sample.
        #expect(last == 250.0 / 1010)
    }
}
