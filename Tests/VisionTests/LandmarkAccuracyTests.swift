import Capture
import Foundation
import GazeCore
import Testing
import Vision

/// The 68 landmarks against hand-placed ground truth (`../shared/data/faces-68`): on every annotated image,
/// the mean point error over the distance between the outer eye corners (the usual "normalised mean error"
/// of 300-W) must be at most 0.10.
@Suite(.enabled(if: TestData.exists("faces-68"), "../shared/data/faces-68 is absent: landmark accuracy not measured"),
       .enabled(if: SharedModel.isInstalled, "\(FaceModel.systemPath) is absent: install libdlib-data"))
struct LandmarkAccuracyTests {
    static let maxError = 0.10

    static let images = TestData.files(in: "faces-68", extensions: ["jpg", "png"])

    /// Reads a `.pts` file: `version: 1`, `n_points: 68`, `{`, 68 lines `x y`, `}`.
    static func readPoints(_ path: String) throws -> [Point] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard let open = lines.firstIndex(of: "{"), let close = lines.firstIndex(of: "}"), open < close else {
            throw PtsError(path: path, problem: "no { ... } block")
        }
        let count = lines.first { $0.hasPrefix("n_points:") }.flatMap { Int($0.dropFirst(9).trimmingCharacters(in: .whitespaces)) }
        guard count == 68 else { throw PtsError(path: path, problem: "n_points is not 68") }
        let points = try lines[(open + 1)..<close].map { line -> Point in
            let xy = line.split(separator: " ").compactMap { Double($0) }
            guard xy.count == 2 else { throw PtsError(path: path, problem: "bad line '\(line)'") }
            return Point(x: xy[0], y: xy[1])
        }
        guard points.count == 68 else { throw PtsError(path: path, problem: "\(points.count) points") }
        return points
    }

    struct PtsError: Error, CustomStringConvertible {
        var path: String
        var problem: String
        var description: String { "\(path): \(problem)" }
    }

    /// Mean distance between corresponding points over the distance between the true outer eye corners
    /// (0-based points 36 and 45).
    static func normalisedError(_ found: [Point], _ truth: [Point]) -> Double {
        zip(found, truth).map { $0.distance(to: $1) }.reduce(0, +) / Double(truth.count) / truth[36].distance(to: truth[45])
    }

    @Test func everyImageIsAnnotated() throws {
        #expect(Self.images.count >= 9, "faces-68 holds \(Self.images.count) images")
        for image in Self.images {
            let pts = TestData.path("faces-68/" + (image as NSString).deletingPathExtension + ".pts")
            #expect(try Self.readPoints(pts).count == 68)
        }
    }

    @Test(arguments: images)
    func landmarksAreWithinTenPercentOfTheEyeDistance(image: String) throws {
        let stem = (image as NSString).deletingPathExtension
        let truth = try Self.readPoints(TestData.path("faces-68/" + stem + ".pts"))
        let frame = try #require(try ImageFolderSource(path: TestData.path("faces-68/" + image)).nextFrame())
        let observation = try SharedModel.use { FaceTracker(model: $0).observe(frame) }

        guard let face = observation.face else {
            // Say whether the detector could have found it at full size (detection runs on a copy scaled
            // to `detectionMaxSidePixels`), so the failure points at the cause.
            var fullSize = TrackingConfig()
            fullSize.detectionMaxSidePixels = max(frame.width, frame.height)
            let unscaled = try SharedModel.use { FaceTracker(model: $0, config: fullSize).observe(frame) }
            let annotatedWidth = Box(bounding: truth).width
            Issue.record("""
                \(image) (\(frame.width)x\(frame.height), annotated face \(Int(annotatedWidth)) px wide): no face found; \
                without the detection downscale: \(unscaled.face.map { "found, normalised error \(Self.normalisedError($0.landmarks.points, truth))" } ?? "none either")
                """)
            return
        }
        let found = face.landmarks.points
        let eyeDistance = truth[36].distance(to: truth[45])
        let normalised = Self.normalisedError(found, truth)
        let meanError = normalised * eyeDistance
        let truthCentre = Box(bounding: truth).center, foundCentre = Box(bounding: found).center
        let offCentre = truthCentre.distance(to: foundCentre) / eyeDistance
        print(String(format: "landmarks %@: %dx%d, %d face(s) detected, eye distance %.0f px, mean error %.2f px, normalised %.4f%@",
                     image, frame.width, frame.height, observation.faceCount, eyeDistance, meanError, normalised,
                     offCentre > 1 ? " (a different face: centre \(Int(offCentre * 100))% of the eye distance away)" : ""))
        #expect(offCentre <= 1, "\(image): the tracker followed a different face than the annotated one")
        #expect(normalised <= Self.maxError, "\(image): normalised mean error \(normalised)")
    }
}
