import Testing
@testable import Evaluation

struct MatchScoresTests {
    let scores = MatchScores(genuine: [0.1, 0.2, 0.3, 0.5], impostor: [0.4, 0.6, 0.7, 0.8, 0.9])

    @Test func ratesCountPairsAtOrUnderTheThreshold() {
        let p = scores.point(at: 0.4)
        #expect(p.trueMatchRate == 0.75)
        #expect(p.falseMatchRate == 0.2)
        #expect(scores.point(at: 0.05).trueMatchRate == 0)
        #expect(scores.point(at: 1).falseMatchRate == 1)
    }

    @Test func bestTrueMatchRateUnderAFalseMatchRate() {
        let best = scores.bestTrueMatchRate(falseMatchRateAtMost: 0)
        #expect(best.trueMatchRate == 0.75)
        #expect(best.threshold == 0.3)
        #expect(scores.bestTrueMatchRate(falseMatchRateAtMost: 0.2).trueMatchRate == 1)
    }

    @Test func equalErrorRate() {
        // At 0.45: one genuine pair of four missed (0.25), one impostor of five matched (0.2); no threshold
        // brings them closer.
        let eer = scores.equalErrorRate()
        #expect(abs(eer.rate - 0.225) < 1e-12)
        #expect(MatchScores(genuine: [0.1, 0.2], impostor: [0.5, 0.6]).equalErrorRate().rate == 0)
    }

    @Test func rocSpansTheRange() {
        let roc = scores.roc(from: 0.3, to: 0.8, step: 0.1)
        #expect(roc.count == 6)
        #expect(abs(roc.last!.threshold - 0.8) < 1e-9)
        #expect(roc.map(\.trueMatchRate) == [0.75, 0.75, 1, 1, 1, 1])
    }

    @Test func anInputWithoutDescriptorCountsAsNotMatched() {
        let s = MatchScores(genuine: [0.1, .infinity], impostor: [.infinity, 0.9])
        #expect(s.point(at: 2).trueMatchRate == 0.5)
        #expect(s.point(at: 2).falseMatchRate == 0.5)
    }

    @Test func peopleFromZJUNames() {
        #expect(MatchEvaluation.person(ofClip: "27_000007M_UNN.mp4") == "000007M")
        #expect(MatchEvaluation.person(ofClip: "clip.mp4") == nil)
    }

    @Test func framesOfOneVideoAreOnePerson() {
        #expect(MatchEvaluation.group(ofPhoto: "d/300vw_001_000006.jpg") == MatchEvaluation.group(ofPhoto: "d/300vw_001_000009.jpg"))
        #expect(MatchEvaluation.group(ofPhoto: "d/300w_indoor_020.png") != MatchEvaluation.group(ofPhoto: "d/300w_indoor_029.png"))
    }
}
