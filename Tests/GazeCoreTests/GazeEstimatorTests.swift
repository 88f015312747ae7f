import Foundation
import Testing
@testable import GazeCore

/// Gaze from the eye model, in the person's frame: `rightDeg` > 0 is the person's right.
/// Pictures are unmirrored camera images, so the image's right is the person's left.
@Suite struct GazeEstimatorTests {
    static func features(yaw: Double = 0, pitch: Double = 0, pupilX: Double = 0, pupilY: Double = 0) -> GazeFeatures {
        GazeFeatures(pupilOffset: Point(x: pupilX, y: pupilY), headPose: HeadPose(yaw: yaw, pitch: pitch, roll: 0))
    }

    @Test("Sign conventions of the uncalibrated mapping", arguments: [
        // Pupil towards the image-right eye corner: the eye turns to the person's left.
        (GazeEstimatorTests.features(pupilX: 0.3), false as Bool?, nil as Bool?),
        (GazeEstimatorTests.features(pupilX: -0.3), true as Bool?, nil as Bool?),
        // Pupil below the eyeball's centre (y > 0 in the image): looking down; above: up.
        (GazeEstimatorTests.features(pupilY: 0.05), nil as Bool?, false as Bool?),
        (GazeEstimatorTests.features(pupilY: -0.2), nil as Bool?, true as Bool?),
    ])
    func signConventions(features: GazeFeatures, right: Bool?, up: Bool?) {
        let a = GazeEstimator().angles(for: features)
        if let right { #expect((a.rightDeg > 1) == right && abs(a.rightDeg) > 1, "rightDeg \(a.rightDeg)") }
        if let up { #expect((a.upDeg > 1) == up && abs(a.upDeg) > 1, "upDeg \(a.upDeg)") }
    }

    @Test func featuresFromAFaceAverageTheTwoPupils() throws {
        func eye(x: Double, pupilX: Double) -> EyeObservation {
            let points = EyePoints([Point(x: x, y: 0), Point(x: x + 10, y: -5), Point(x: x + 20, y: -5),
                                    Point(x: x + 30, y: 0), Point(x: x + 20, y: 5), Point(x: x + 10, y: 5)])
            return EyeObservation(points: points, pupil: Point(x: x + 15 + pupilX, y: 0), pupilContrast: 0.5,
                                  irisHeight: 0.3, meanLevel: 100)
        }
        let landmarks = Landmarks(points: Array(repeating: Point(x: 0, y: 0), count: 68))
        var face = FaceObservation(box: Box(x: 0, y: 0, width: 100, height: 100), landmarks: landmarks,
                                   leftEye: eye(x: 60, pupilX: 2.25), rightEye: eye(x: 0, pupilX: 0),
                                   headPose: HeadPose(yaw: 1, pitch: 2, roll: 3))
        let f = try #require(GazeFeatures(face: face))
        #expect(abs(f.pupilOffset.x - 0.075) < 1e-12 && f.pupilOffset.y == 0)
        #expect(f.headPose == HeadPose(yaw: 1, pitch: 2, roll: 3))
        face.headPose = nil
        #expect(GazeFeatures(face: face) == nil)
    }

    @Test func eyesThatDisagreeGiveTheOneNearerItsMiddle() {
        // 0.5 half widths apart: one iris was misread at an edge.
        #expect(GazeFeatures.binocular(Point(x: -0.55, y: -0.02), Point(x: -0.05, y: -0.1)) == Point(x: -0.05, y: -0.1))
        #expect(GazeFeatures.binocular(Point(x: 0.1, y: -0.1), Point(x: 0.6, y: 0)) == Point(x: 0.1, y: -0.1))
        // Within 0.2 of each other (vergence, noise): the mean.
        let mean = GazeFeatures.binocular(Point(x: 0.3, y: -0.1), Point(x: 0.15, y: -0.1))
        #expect(abs(mean.x - 0.225) < 1e-12 && mean.y == -0.1)
    }

    @Test("gazeVector scales by fullScaleDeg and clamps", arguments: [
        (GazeAngles(rightDeg: 0, upDeg: 0), [0.0, 0.0]),
        (GazeAngles(rightDeg: 20, upDeg: -10), [0.5, -0.25]),
        (GazeAngles(rightDeg: 80, upDeg: -45), [1.0, -1.0]),
        (GazeAngles(rightDeg: -40, upDeg: 40), [-1.0, 1.0]),
    ])
    func vector(angles: GazeAngles, expected: [Double]) {
        #expect(GazeEstimator().vector(angles) == expected)
    }

    /// A mapping in which the head alone counts, one degree per degree: the smoothing in round numbers.
    static let headOnly = GazeCalibration(right: [0, 0, 0, -1, 0], up: [0, 0, 0, 0, 1])

    @Test func firstFrameIsRawThenSmoothingConverges() throws {
        var g = GazeEstimator(calibration: Self.headOnly) // smoothingMs 60
        let frameMs = 1000.0 / 30
        let start = g.update(timeMs: 0, features: Self.features())
        let first = try #require(start)
        #expect(first == GazeAngles(rightDeg: 0, upDeg: 0))
        // The person turns their head to the image's right by 20 degrees and holds it.
        var last = first
        var values: [Double] = []
        for i in 1...30 {
            let a = g.update(timeMs: Double(i) * frameMs, features: Self.features(yaw: 20))
            last = try #require(a)
            values.append(last.rightDeg)
        }
        // Exponential approach: after n frames, -20 * (1 - exp(-n * dt / 60)).
        for (k, v) in values.enumerated() {
            let n = Double(k + 1)
            #expect(abs(v - -20 * (1 - exp(-n * frameMs / 60))) < 1e-9, "frame \(k + 1): \(v)")
        }
        // Moving monotonically towards the target, and there within 0.01 degree after a second.
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 > $1 })
        #expect(abs(last.rightDeg - -20) < 0.01)
        #expect(last.upDeg == 0)
    }

    @Test func noFaceResetsTheSmoothing() throws {
        var g = GazeEstimator(calibration: Self.headOnly)
        _ = g.update(timeMs: 0, features: Self.features())
        _ = g.update(timeMs: 33, features: Self.features(yaw: 30))
        #expect(g.update(timeMs: 67, features: nil) == nil)
        // After the gap, the first frame is taken as it is, not blended with the gaze before it.
        let after = g.update(timeMs: 100, features: Self.features(yaw: -10))
        let next = try #require(after)
        #expect(next == GazeAngles(rightDeg: 10, upDeg: 0))
    }

    @Test func zeroSmoothingIsRaw() throws {
        var config = GazeEstimateConfig()
        config.smoothingMs = 0
        var g = GazeEstimator(config: config, calibration: Self.headOnly)
        _ = g.update(timeMs: 0, features: Self.features(yaw: 10))
        let second = g.update(timeMs: 33, features: Self.features(yaw: -10, pitch: 4))
        let a = try #require(second)
        #expect(a == GazeAngles(rightDeg: 10, upDeg: 4))
    }

    @Test func offAxisIsTheAngleFromTheCamera() {
        #expect(GazeAngles(rightDeg: 3, upDeg: -4).offAxisDeg == 5)
        #expect(GazeAngles(rightDeg: 0, upDeg: 0).offAxisDeg == 0)
    }

    @Test func aCalibrationReplacesTheGenericGains() throws {
        let calibration = GazeCalibration(right: [3, -30, 0, -1, 0], up: [-2, 0, -80, 0, 1])
        var g = GazeEstimator(calibration: calibration)
        let f = Self.features(yaw: 5, pitch: 2, pupilX: 0.2, pupilY: -0.1)
        #expect(g.angles(for: f) == calibration.angles(for: f))
        #expect(g.angles(for: f) != GazeEstimator().angles(for: f))
        let updated = g.update(timeMs: 0, features: f)
        let first = try #require(updated)
        #expect(first == GazeAngles(rightDeg: 3 - 6 - 5, upDeg: -2 + 8 + 2))
    }
}
