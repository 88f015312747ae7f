import Testing
@testable import Evaluation

@Suite struct BlinkScoreTests {
    @Test("runs are maximal stretches of true flags", arguments: [
        ([false, true, true, false, true], [1...2, 4...4]),
        ([true, true, true], [0...2]),
        ([false, false], []),
        ([], []),
    ] as [([Bool], [ClosedRange<Int>])])
    func runs(flags: [Bool], expected: [ClosedRange<Int>]) {
        #expect(BlinkScore.runs(flags) == expected)
    }

    @Test func overlapWithThreeFramesOfSlackMatches() {
        // Detection ends 3 frames before the truth starts: still a match; 4 frames: not.
        #expect(BlinkScore(truth: [10...15], detected: [4...7]).truePositives == 1)
        #expect(BlinkScore(truth: [10...15], detected: [3...6]).truePositives == 0)
        #expect(BlinkScore(truth: [10...15], detected: [18...20]).truePositives == 1)
        #expect(BlinkScore(truth: [10...15], detected: [19...20]).truePositives == 0)
    }

    @Test func matchingIsOneToOne() {
        // One long detection over two true blinks counts once; the other blink is missed.
        let s = BlinkScore(truth: [10...12, 16...18], detected: [9...19])
        #expect(s == BlinkScore(truePositives: 1, falsePositives: 0, falseNegatives: 1))
        // Two detections on one blink: one matches, the other is a false positive.
        let t = BlinkScore(truth: [10...15], detected: [10...11, 14...15])
        #expect(t == BlinkScore(truePositives: 1, falsePositives: 1, falseNegatives: 0))
    }

    @Test func precisionRecallF1() {
        let s = BlinkScore(truePositives: 8, falsePositives: 2, falseNegatives: 8)
        #expect(s.precision == 0.8)
        #expect(s.recall == 0.5)
        #expect(abs(s.f1 - 2 * 0.8 * 0.5 / 1.3) < 1e-12)
        #expect(BlinkScore().f1 == 0)
    }
}
