import Capture
import Foundation
import GazeCore
import Monitor
import Testing
import Vision

/// The per-frame seam: one `FrameResult` per frame says what processing it produced.
@Suite(.enabled(if: SharedModel.isInstalled, Comment(rawValue: SharedModel.missingMessage)))
struct FramePipelineTests {
    /// A clip with three blinks, so some frames are held back and released together.
    static let clip = "zju-eyeblink/1_000001M_FBN.mp4"

    @Test(.enabled(if: FileManager.default.fileExists(atPath: TestData.path(clip)), Comment(rawValue: TestData.skipMessage)))
    func eachResultSaysWhatItsFrameProduced() throws {
        try SharedModel.use { model in
            let pipeline = FramePipeline(model: model)
            let source = try openFileSource(path: TestData.path(Self.clip))
            var results: [FrameResult] = []
            while let frame = try source.nextFrame() { results.append(pipeline.process(frame)) }
            let confirmed = results.flatMap(\.confirmed) + pipeline.finish()

            #expect(results.count > 100)
            for r in results {
                #expect(r.observation.frame == r.frame.sequence && r.live.frame == r.frame.sequence)
                #expect(r.timing.visionMs == r.observation.visionMs && r.timing.totalMs >= r.timing.visionMs)
                #expect(r.confirmed.allSatisfy { $0.frame <= r.frame.sequence }, "nothing confirmed ahead of its frame")
            }
            // Every frame is confirmed once, in order; a closure's frames wait and come out together.
            #expect(confirmed.map(\.frame) == results.map(\.frame.sequence))
            #expect(results.contains { $0.confirmed.isEmpty } && results.contains { $0.confirmed.count > 1 })
            #expect(confirmed.last?.blinkCount == 3)
            // `ms` means the same in the live and the confirmed copy of a frame: vision's time on it.
            let liveMs = Dictionary(uniqueKeysWithValues: results.map { ($0.live.frame, $0.live.ms) })
            #expect(confirmed.allSatisfy { $0.ms == liveMs[$0.frame] })
            #expect(results.allSatisfy { $0.live.ms == $0.timing.visionMs })
        }
    }
}
