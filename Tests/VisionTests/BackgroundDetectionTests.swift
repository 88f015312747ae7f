import Capture
import Foundation
import GazeCore
import Monitor
import Testing
@testable import Vision

/// Detection on a queue of its own (`--detection-lag`): the answers are collected at a fixed frame, so the
/// records must not depend on timing, and full scans must leave the frame's path.
@Suite(.serialized) struct BackgroundDetectionTests {
    static let clip = "zju-eyeblink/1_000001M_FBN.mp4"

    static func records(lag: Int, model: FaceModel) throws -> (records: [FrameRecord], inlineDetections: Int, nearSearches: Int) {
        var config = GazeConfig()
        config.tracking.detectionLagFrames = lag
        let pipeline = FramePipeline(model: model, config: config)
        var out: [FrameRecord] = []
        _ = try FileAnalyzer(pipeline: pipeline).run(try openFileSource(path: TestData.path(clip)),
                                                      onRecord: { out.append($0) })
        return (out, pipeline.tracker.detections, pipeline.tracker.nearDetections)
    }

    @Test func recordsDoNotDependOnTimingAndScansLeaveTheFramePath() throws {
        guard SharedModel.isInstalled, FileManager.default.fileExists(atPath: TestData.path(Self.clip)) else {
            print("skipped: model or ../shared/data missing")
            return
        }
        try SharedModel.use { model in
            let lag = GazeConfig().tracking.liveDetectionLagFrames
            let first = try Self.records(lag: lag, model: model)
            let second = try Self.records(lag: lag, model: model)
            let inline = try Self.records(lag: 0, model: model)
            #expect(first.records.count == inline.records.count)
            #expect(first.records.map(\.blink) == second.records.map(\.blink))
            #expect(first.records.map(\.earLeft) == second.records.map(\.earLeft))
            #expect(first.records.last?.blinkCount == 3, "the clip's three annotated blinks")
            #expect(inline.records.last?.blinkCount == 3)
            // In line, a 146-frame clip is re-detected every 10 frames (mostly near the face, the whole
            // picture every 60 frames); in the background, no detection waits in line, and the first frames
            // (before the first scan's answer) have no face.
            #expect(inline.inlineDetections + inline.nearSearches >= 14)
            #expect(inline.inlineDetections >= 3)
            #expect(first.inlineDetections == 0 && first.nearSearches == 0)
            #expect(first.records.prefix(lag).allSatisfy { !$0.face })
            #expect(first.records.dropFirst(lag).first?.face == true)
        }
    }

    /// The detector's last release can come while its queue is still scanning (the end of a stream, the
    /// pipeline going away with a request in flight). Its queue's blocks used to hold the detector, so that
    /// release ran `deinit` on the queue itself, whose wait for the queue trapped (SIGILL); now the blocks
    /// hold only the handle, and the detector goes at once.
    @Test func aDetectorLetGoWhileItScansGoesAtOnce() throws {
        weak var released: BackgroundDetector?
        do {
            let detector = try BackgroundDetector(config: TrackingConfig())
            released = detector
            // A full scan of a 640x480 picture takes tens of milliseconds: these are still queued below.
            for i in 0..<3 {
                detector.request(Frame(gray: [UInt8](repeating: UInt8(60 + i), count: 640 * 480), width: 640,
                                       height: 480, timeMs: Double(i) * 33, sequence: i))
            }
        }
        #expect(released == nil, "the detection queue's blocks still hold the detector")
    }
}
