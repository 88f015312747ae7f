import Capture
import CVision
import Foundation
import GazeCore
import Monitor
import Testing
@testable import Vision

/// The detection near a followed face (`cvs_detect_faces_near`) must give exactly the box the full scan
/// gives that face, and its score to float rounding (dlib's filter sums the last columns of a picture in
/// another order than the others, and a cut has its last columns elsewhere); the tracker that uses it must
/// give the records of one that scans the whole picture at every re-detection.
@Suite(.serialized,
       .enabled(if: SharedModel.isInstalled, "\(FaceModel.systemPath) is absent: install libdlib-data"))
struct FaceSearchTests {
    static let clips = ["videos/video00.mp4", "videos/video01.mp4", "zju-eyeblink/13_000004M_FBN.mp4"]

    static func boxes(_ count: Int32, _ found: [cvs_rect]) -> [cvs_rect] { Array(found.prefix(Int(max(0, count)))) }

    @Test(arguments: clips)
    func nearSearchFindsEachFaceAsTheFullScanDoes(clip: String) throws {
        guard FileManager.default.fileExists(atPath: TestData.path(clip)) else {
            print("skipped: \(clip) not found in ../shared/data")
            return
        }
        let config = TrackingConfig()
        let source = try VideoFileSource(path: TestData.path(clip))
        var compared = 0
        try SharedModel.use { model in
            var index = 0
            while let frame = try source.nextFrame() {
                defer { index += 1 }
                guard index % 10 == 0 else { continue }
                let longest = max(frame.width, frame.height)
                let scale = longest > config.detectionMaxSidePixels ? Float(config.detectionMaxSidePixels) / Float(longest) : 1
                frame.gray.withUnsafeBufferPointer { pixels in
                    let image = cvs_image(pixels: pixels.baseAddress, width: Int32(frame.width), height: Int32(frame.height),
                                          stride: Int32(frame.width))
                    var error = cvs_error()
                    var full = [cvs_rect](repeating: cvs_rect(), count: 16)
                    let count = cvs_detect_faces(model.handle, image, scale, Float(config.detectionMinScore), &full, 16, &error)
                    for face in Self.boxes(count, full) {
                        let reach = Float(config.nearSearchReachFraction)
                        let centres = cvs_rect(x: face.x - face.width * reach, y: face.y - face.height * reach,
                                               width: face.width * (1 + 2 * reach), height: face.height * (1 + 2 * reach), score: 0)
                        let ratio = Float(config.nearSearchSizeRatio)
                        var near = [cvs_rect](repeating: cvs_rect(), count: 16)
                        let nearCount = cvs_detect_faces_near(model.handle, image, scale, Float(config.detectionMinScore), centres,
                                                              face.width / ratio, face.width * ratio, &near, 16, &error)
                        let same = Self.boxes(nearCount, near).contains {
                            $0.x == face.x && $0.y == face.y && $0.width == face.width && $0.height == face.height
                                && abs($0.score - face.score) < 1e-4
                        }
                        #expect(same, "frame \(index): the full scan's face at \(face.x),\(face.y) \(face.width) wide score \(face.score); near: \(Self.boxes(nearCount, near).map { "\($0.x),\($0.y) \($0.width) \($0.score)" }); full: \(Self.boxes(count, full).map { "\($0.x),\($0.y) \($0.width) \($0.score)" })")
                        compared += 1
                    }
                }
            }
        }
        #expect(compared >= 10, "\(compared) faces compared")
    }

    @Test func trackerSearchingNearTheFaceGivesTheRecordsOfFullScans() throws {
        let clip = "videos/video00.mp4"
        guard FileManager.default.fileExists(atPath: TestData.path(clip)) else {
            print("skipped: \(clip) not found in ../shared/data")
            return
        }
        func run(fullScanEvery: Int, model: FaceModel) throws -> (records: [FrameRecord], fullScans: Int, nearSearches: Int) {
            var config = GazeConfig()
            config.tracking.fullScanEveryFrames = fullScanEvery
            let pipeline = FramePipeline(model: model, config: config)
            var out: [FrameRecord] = []
            _ = try FileAnalyzer(pipeline: pipeline).run(try openFileSource(path: TestData.path(clip)), onRecord: {
                var record = $0
                record.ms = 0
                out.append(record)
            })
            return (out, pipeline.tracker.detections, pipeline.tracker.nearDetections)
        }
        try SharedModel.use { model in
            let near = try run(fullScanEvery: GazeConfig().tracking.fullScanEveryFrames, model: model)
            let full = try run(fullScanEvery: 1, model: model)
            // With a full scan due at every re-detection, only an implausible fit searches near the face.
            #expect(full.nearSearches < near.nearSearches)
            // A near search that finds nothing (the first frame's detection is not the woman's face, and
            // is lost at its first re-detection) is followed by a full scan.
            let searches = near.fullScans + near.nearSearches
            #expect(near.fullScans < searches / 4, "\(near.fullScans) of \(searches) detections scanned it all")
            #expect(near.records.count == full.records.count)
            let differing = near.records.indices.first { $0 < full.records.count && near.records[$0] != full.records[$0] }
            #expect(differing == nil, "frame \(differing ?? -1): near \(differing.map { near.records[$0] }.debugDescription); full \(differing.map { full.records[$0] }.debugDescription)")
        }
    }
}
