import Foundation
import Monitor
import Testing
import Vision
@testable import Evaluation

/// Blink detection on the 40 real ZJU clips. The floors sit below what `gazetop evaluate` measured
/// (F1 0.966 overall; per condition FNN 0.971, FTN 0.958, FBN 0.932, UNN 1.000).
@Suite(.serialized) struct BlinkAccuracyTests {
    @Test func zjuClipsReachTheFloorAndAgreeWithTheIndependentScorer() throws {
        guard let data = SharedData.dataFolder, let tools = SharedData.toolsFolder else {
            print("skipped: ../shared/data or ../shared/tools not found")
            return
        }
        let clips = try BlinkAnnotations.load(folder: data + "/zju-eyeblink")
        let analyzer = FileAnalyzer(pipeline: FramePipeline(model: try FaceModel()))
        let result = try BlinkEvaluation.run(clips, analyzer: analyzer)

        let overall = result.overall
        print("blink F1 \(overall.f1) precision \(overall.precision) recall \(overall.recall)")
        #expect(overall.f1 >= 0.95)
        for (condition, score) in result.byCondition {
            print("  \(condition) F1 \(score.f1)")
            #expect(score.f1 >= 0.90, "condition \(condition)")
        }

        // The same predictions through shared/tools/score_blinks.py must give the same counts.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gazetop-preds-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for c in result.clips {
            let lines = c.flags.enumerated().map { "{\"frame\":\($0.offset),\"blink\":\($0.element)}" }
            try (lines.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent(c.clip.name + ".jsonl"),
                                                             atomically: true, encoding: .utf8)
        }
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", tools + "/score_blinks.py", folder.path, "--data", data + "/zju-eyeblink"]
        let out = Pipe()
        python.standardOutput = out
        try python.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)
        let firstLine = try #require(text.split(separator: "\n").first)
        let theirs = try #require(try JSONSerialization.jsonObject(with: Data(firstLine.utf8)) as? [String: Any])
        #expect(theirs["tp"] as? Int == overall.truePositives)
        #expect(theirs["fp"] as? Int == overall.falsePositives)
        #expect(theirs["fn"] as? Int == overall.falseNegatives)
    }
}
