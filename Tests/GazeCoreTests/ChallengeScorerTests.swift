import Testing
@testable import GazeCore

@Suite struct ChallengeScorerTests {
    let grid = ScreenGrid()

    /// Scores a sequence where, in each cell, `gaze(cellIndex, frame)` is looked at for 60 frames of 50 ms.
    func score(_ sequence: [Int], scoring: ChallengeScoring = .position,
               gaze: (Int, Int) -> GazeAngles?) -> ChallengeScorer {
        var config = ChallengeConfig()
        config.scoring = scoring
        var scorer = ChallengeScorer(sequence: sequence, config: config, grid: grid)
        for index in sequence.indices {
            for k in 0..<60 { scorer.add(index: index, sinceStartMs: Double(k) * 50, gaze: gaze(index, k)) }
        }
        return scorer
    }

    @Test func framesCountAfterTheReactionAllowance() {
        // 0.6 s at 50 ms a frame: frames 12...59 count, 48 of them.
        let s = score([2, 5]) { index, _ in grid.centre(of: [2, 5][index]) }
        #expect(s.scores.map(\.frames) == [48, 48])
        #expect(s.scores.map(\.framesOnTarget) == [48, 48])
        #expect(s.overallAccuracy == 1)
        #expect(s.results.allSatisfy { $0.passed })
        #expect(s.results.map(\.check) == [.gazeAccuracy, .cellAccuracy])
    }

    @Test func framesWithoutGazeDoNotCount() {
        let s = score([1]) { _, k in k % 4 == 0 ? nil : grid.centre(of: 1) }
        #expect(s.scores[0].frames == 36)
        #expect(s.scores[0].accuracy == 1)
    }

    @Test("Accuracy and its limits", arguments: [
        // frames on target out of 48 per cell -> passes (overall >= 0.8, every cell >= 0.5)
        ([48, 48, 48], true, true),
        ([39, 39, 39], true, true),    // 0.8125 each
        ([38, 38, 38], false, true),   // 0.79 overall
        ([48, 48, 24], true, true),    // 0.833 overall, worst exactly 0.5
        ([48, 48, 23], true, false),   // worst 0.479 (overall 0.826 passes; the cell does not)
        ([0, 48, 48], false, false),
    ])
    func accuracy(onTarget: [Int], overallOK: Bool, cellsOK: Bool) {
        let sequence = [1, 2, 3]
        let s = score(sequence) { index, k in
            // The first frames that count (from frame 12) are on target, the rest one row down.
            k - 12 < onTarget[index] ? grid.centre(of: sequence[index]) : grid.centre(of: sequence[index] + 3)
        }
        #expect(s.scores.map(\.framesOnTarget) == onTarget)
        let r = s.results
        #expect(r[0].passed == overallOK, "overall \(s.overallAccuracy)")
        #expect(r[1].passed == cellsOK, "worst cell \(r[1].value)")
    }

    @Test func directionHoldsWhenTheWholeGazeIsOffsetByACell() {
        // The person looks one cell to the right of each target: every position is wrong, every move right.
        let sequence = [1, 4, 2]
        let shift = grid.centre(of: 2).rightDeg - grid.centre(of: 1).rightDeg
        let s = score(sequence, scoring: .both) { index, _ in
            let c = grid.centre(of: sequence[index])
            return GazeAngles(rightDeg: c.rightDeg + shift, upDeg: c.upDeg)
        }
        #expect(s.overallAccuracy == 0)
        #expect(s.directionAccuracy == 1)
        #expect(s.scores.map(\.directionOK) == [nil, true, true])
        #expect(s.results.map(\.passed) == [false, false, true])
        #expect(score(sequence, scoring: .direction) { index, _ in grid.centre(of: sequence[index] % 6 + 1) }
            .results.map(\.check) == [.gazeDirection])
    }

    @Test("A move is right when it points the cells' way and goes far enough", arguments: [
        // from cell 1 to cell 3 (about 33 degrees to the right), the gaze moved by (dx, dy) degrees
        (33.0, 0.0, true),
        (17.0, 0.0, true),   // just over half the way
        (16.0, 0.0, false),  // under half the way
        (30.0, 20.0, true),  // cosine 0.83
        (20.0, 25.0, false), // cosine 0.62: too far off the direction
        (-33.0, 0.0, false), // the wrong way
        (0.0, 0.0, false),   // no move at all
    ])
    func direction(dx: Double, dy: Double, ok: Bool) {
        let from = GazeAngles(rightDeg: -16, upDeg: -8)
        let to = GazeAngles(rightDeg: -16 + dx, upDeg: -8 + dy)
        let s = ChallengeScorer(sequence: [1, 3])
        #expect(s.directionOK(from: from, to: to, cells: (1, 3)) == ok)
    }

    @Test func aMoveWithoutGazeAtOneEndIsWrong() {
        let s = score([1, 3, 5], scoring: .direction) { index, _ in index == 1 ? nil : grid.centre(of: [1, 3, 5][index]) }
        #expect(s.scores.map(\.directionOK) == [nil, nil, nil])
        #expect(s.directionAccuracy == 0)
        #expect(score([4], scoring: .direction) { _, _ in grid.centre(of: 4) }.directionAccuracy == nil)
    }
}
