import Capture
import Foundation
import GazeCore
import Testing
@testable import Vision

/// The tracker's detection policy on real photos.
@Suite(.enabled(if: TestData.exists("faces-68"), "../shared/data/faces-68 is absent: detection not checked"),
       .enabled(if: SharedModel.isInstalled, "\(FaceModel.systemPath) is absent: install libdlib-data"))
struct FaceTrackerTests {
    /// Re-acquiring a face around its last box (a fraction of a full scan, `cvs_detect_faces_near`) must
    /// find the box a full scan finds, exactly, when the face has moved a tenth of its size since.
    @Test func aSearchAroundTheFaceFindsTheFaceAFullScanFinds() throws {
        let images = TestData.files(in: "faces-68", extensions: ["jpg", "png"])
        var found = 0
        try SharedModel.use { model in
            let tracker = FaceTracker(model: model)
            for image in images {
                guard let frame = try openFileSource(path: TestData.path("faces-68/" + image)).nextFrame(),
                      let full = tracker.largestFace(in: frame) else {
                    Issue.record("\(image): no frame, or a full scan finds no face")
                    continue
                }
                // Where a followed face would be: the same face, a little off.
                let last = Box(x: full.x + 0.1 * full.width, y: full.y - 0.1 * full.height, width: full.width,
                               height: full.height)
                guard let near = tracker.largestFace(in: frame, near: last) else { continue }
                found += 1
                #expect(near == full, "\(image): full scan \(full), near \(near)")
            }
        }
        #expect(images.count >= 9 && found == images.count, "found \(found) of \(images.count) nearby")
    }
}
