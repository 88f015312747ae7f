import Capture
import GazeCore
import Monitor
import Testing
import Vision

/// 151 frames of a table with a juice box (`../shared/data/noface`): no face, so no blink, no eye contact.
@Suite(.enabled(if: TestData.exists("noface"), "../shared/data/noface is absent: no-face frames not checked"),
       .enabled(if: SharedModel.isInstalled, "\(FaceModel.systemPath) is absent: install libdlib-data"))
struct NoFaceTests {
    @Test func noFaceNoBlinkNoEyeContact() throws {
        let source = try ImageFolderSource(path: TestData.path("noface"))
        let images = TestData.files(in: "noface", extensions: ["jpg"])
        #expect(images.count == 151)
        var records: [FrameRecord] = []
        let stats = try SharedModel.use { model in
            try FileAnalyzer(pipeline: FramePipeline(model: model)).run(source, onRecord: { records.append($0) })
        }
        #expect(records.count == images.count)
        #expect(records.map(\.frame) == Array(0..<images.count))
        for r in records {
            #expect(!r.face, "frame \(r.frame): a face")
            #expect(r.faces == 0, "frame \(r.frame): \(r.faces) faces")
            #expect(!r.blink, "frame \(r.frame): a blink")
            #expect(!r.eyeContact, "frame \(r.frame): eye contact")
            #expect(r.blinkCount == 0, "frame \(r.frame): blink count \(r.blinkCount)")
            #expect(r.eyes == .unknown, "frame \(r.frame): eyes \(r.eyes)")
            #expect(r.eyeContactPct == 0)
            #expect(r.gazeVector == nil && r.earLeft == nil && r.earRight == nil)
        }
        #expect(stats.frames == images.count)
        #expect(stats.faceFrames == 0)
        #expect(stats.blinkCount == 0)
        #expect(stats.contactFrames == 0)
        #expect(stats.blinksPerMinute == nil)
    }
}
