import Foundation
import GazeCore
import Testing
import Vision
@testable import Evaluation

/// Face matching on real people, at the default threshold. Floors a little below what
/// `gazetop evaluate --match` measured (ZJU: true match rate 0.683 at 0.34, 0 false matches of 720, EER
/// 0.019; the shared photos: 0 false matches, the closest pair of different people 0.566 apart).
@Suite(.serialized) struct MatchAccuracyTests {
    @Test func zjuClipsAndPhotosOfDifferentPeople() throws {
        guard let data = SharedData.dataFolder else {
            print("skipped: ../shared/data not found")
            return
        }
        let reader: FaceReader
        do {
            reader = try FaceReader(encoder: FaceEncoder())
        } catch {
            Issue.record("face-matching models missing (make face-models): \(error)")
            return
        }
        let threshold = MatchConfig().threshold
        let result = try MatchEvaluation.run(folder: data + "/zju-eyeblink", reader: reader)
        #expect(result.genuinePairs == 60 && result.impostorPairs == 720)
        #expect(result.inputs.allSatisfy { $0.sample != nil }, "every clip gives a descriptor")
        let at = result.scores.point(at: threshold)
        print("ZJU at \(threshold): TMR \(at.trueMatchRate) FMR \(at.falseMatchRate) EER \(result.scores.equalErrorRate().rate)")
        #expect(at.falseMatchRate <= 0.0014, "at most 1 of 720 pairs of different people matches")
        #expect(at.trueMatchRate >= 0.6)
        #expect(result.scores.equalErrorRate().rate <= 0.04)

        let cross = try MatchEvaluation.crossCheck(folders: [data + "/faces-68", data + "/faces"], reader: reader,
                                                   threshold: threshold)
        #expect(cross.faces.count >= 40)
        #expect(cross.matches.isEmpty, "false matches: \(cross.matches.map { "\($0.a.photo) \($0.b.photo)" })")
        #expect((cross.closest?.distance ?? 0) >= 0.5)
    }
}
