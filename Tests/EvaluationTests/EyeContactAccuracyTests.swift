import Foundation
import Monitor
import Testing
import Vision
@testable import Evaluation

/// Eye contact on the shared labelled recordings at defaults, no calibration. The floors sit below what
/// `gazetop evaluate --eye-contact ../shared/data/eye-contact/labels.json` measured (README, "How well it
/// sees where you look").
@Suite(.serialized) struct EyeContactAccuracyTests {
    @Test func sharedLabelsReachTheFloors() throws {
        guard let data = SharedData.dataFolder else {
            print("skipped: ../shared/data not found")
            return
        }
        let clips = try EyeContactLabels.load(path: data + "/eye-contact/labels.json")
        let pipeline = FramePipeline(model: try FaceModel(), includeRaw: true)
        let result = try EyeContactEvaluation.run(clips, analyzer: FileAnalyzer(pipeline: pipeline))
        let overall = result.overall
        print("eye contact: contact \(overall.contactShare ?? -1) away \(overall.awayShare ?? -1)")
        #expect(try #require(overall.contactShare) >= 0.91)
        #expect(try #require(overall.awayShare) >= 0.95)
        for (condition, score) in result.byCondition {
            if let share = score.contactShare { #expect(share >= 0.87, "condition \(condition): \(share)") }
        }
        let right = try #require(overall.rightDeg), up = try #require(overall.upDeg)
        #expect(abs(right.median) <= 3 && abs(up.median) <= 3, "median gaze \(right.median), \(up.median)")
    }
}
