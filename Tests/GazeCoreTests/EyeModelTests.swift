import Foundation
import Testing
@testable import GazeCore

/// The eye model against eyes built in 3D: an eyeball of known geometry, turned in a head of known yaw,
/// seen by an orthographic camera, gives its landmarks and iris centre; the model must give the eye's
/// direction back.
@Suite struct EyeModelTests {
    /// One eye in 3D (x right in the image, y down, z towards the camera), in pixels: eyeball centre at
    /// the origin; corners `width` apart, level with each other, where the model puts them against the
    /// centre; the iris centre `pupilRadius * width` from the centre along the gaze. The head turns by
    /// `yawDeg` about the vertical axis through the eyeball's centre; the eye looks `rightDeg` to the
    /// person's right and `upDeg` up of the camera axis.
    static func eye(model m: EyeModel, width: Double = 30, at origin: Point, yawDeg: Double, rightDeg: Double,
                    upDeg: Double) -> EyeObservation {
        let yaw = yawDeg * .pi / 180
        func turn(_ p: (x: Double, y: Double, z: Double)) -> Point {
            // The face turns towards the image's right for positive yaw: z (towards the camera) goes to +x.
            Point(x: origin.x + p.x * cos(yaw) + p.z * sin(yaw), y: origin.y + p.y)
        }
        // Where the corners sit against the eyeball's centre in the head: the centre projects at
        // (centreX half widths, centreY widths) from their midpoint, and lies `depth` widths behind it.
        let mid = (x: -m.centreX * width / 2, y: -m.centreY * width, z: m.depth * width)
        let a = turn((mid.x - width / 2, mid.y, mid.z)), b = turn((mid.x + width / 2, mid.y, mid.z))
        // The gaze's components across the picture: the person's right is the image's left.
        let r = m.pupilRadius * width
        let iris = Point(x: origin.x - r * sin(rightDeg * .pi / 180), y: origin.y - r * sin(upDeg * .pi / 180))
        let lids = [Point(x: a.x + (b.x - a.x) / 3, y: a.y - 5), Point(x: a.x + 2 * (b.x - a.x) / 3, y: a.y - 5),
                    Point(x: a.x + 2 * (b.x - a.x) / 3, y: a.y + 5), Point(x: a.x + (b.x - a.x) / 3, y: a.y + 5)]
        return EyeObservation(points: EyePoints([a, lids[0], lids[1], b, lids[2], lids[3]]), pupil: iris,
                              pupilContrast: 0.5, irisHeight: 0.3, meanLevel: 100)
    }

    static func face(yawDeg: Double, rightDeg: Double, upDeg: Double, model: EyeModel = EyeModel()) -> FaceObservation {
        let left = eye(model: model, at: Point(x: 80, y: 100), yawDeg: yawDeg, rightDeg: rightDeg, upDeg: upDeg)
        let right = eye(model: model, at: Point(x: 160, y: 100), yawDeg: yawDeg, rightDeg: rightDeg, upDeg: upDeg)
        return FaceObservation(box: Box(x: 40, y: 40, width: 160, height: 160),
                               landmarks: Landmarks(points: Array(repeating: Point(x: 0, y: 0), count: 68)),
                               leftEye: left, rightEye: right, headPose: HeadPose(yaw: yawDeg, pitch: 0, roll: 0))
    }

    @Test("Known eye and head turns come back", arguments: [
        (0.0, 0.0, 0.0), (0.0, 12.0, 0.0), (0.0, -20.0, 5.0), (0.0, 0.0, -15.0),
        (25.0, 0.0, 0.0), (-30.0, 0.0, 0.0), (20.0, -10.0, 8.0), (-15.0, 25.0, -12.0),
    ])
    func rotationsComeBack(yawDeg: Double, rightDeg: Double, upDeg: Double) throws {
        let f = try #require(GazeFeatures(face: Self.face(yawDeg: yawDeg, rightDeg: rightDeg, upDeg: upDeg)))
        let a = GazeEstimator().angles(for: f)
        #expect(abs(a.rightDeg - rightDeg) < 1e-9, "rightDeg \(a.rightDeg) for \(rightDeg)")
        #expect(abs(a.upDeg - upDeg) < 1e-9, "upDeg \(a.upDeg) for \(upDeg)")
    }

    @Test func aTurnedHeadLookingAtTheCameraIsInEyeContact() throws {
        // The classic failure of head pose plus a gain: a head turned by 25 degrees whose eyes look back
        // at the camera. Its iris sits off the corners' midpoint, yet the gaze is the camera.
        let f = try #require(GazeFeatures(face: Self.face(yawDeg: 25, rightDeg: 0, upDeg: 0)))
        #expect(abs(f.pupilOffset.x - EyeModel().centreX) > 0.05)
        #expect(GazeEstimator().angles(for: f).offAxisDeg < 1e-9)
    }

    @Test func eyeInHeadIgnoresTheHeadShiftButNotTheEyes() {
        let m = EyeModel()
        #expect(m.eyeInHead(pupilOffset: Point(x: m.centreX, y: m.centreY)).offAxisDeg < 1e-12)
        let turned = m.eyeInHead(pupilOffset: Point(x: m.centreX + 0.2, y: m.centreY))
        #expect(turned.rightDeg < -5 && abs(turned.upDeg) < 1e-12)
    }

    @Test func aPersonalZeroCentresTheirLookAtTheCamera() {
        let look = Point(x: 0.08, y: -0.16)
        let m = EyeModel().recentred(lookingAtCamera: look, yawDeg: 10)
        #expect(m.gaze(pupilOffset: look, headYawDeg: 10).offAxisDeg < 1e-9)
        #expect(EyeModel().gaze(pupilOffset: look, headYawDeg: 10).offAxisDeg > 5)
    }

    @Test("The generic calibration is the model made linear: within 1.5 degrees inside 20 of eye and head turn", arguments: [
        (0.0, 0.0, 0.0), (0.0, 10.0, 0.0), (0.0, -18.0, 6.0), (12.0, 5.0, -15.0), (-20.0, 0.0, 0.0),
    ])
    func genericIsTheLinearModel(yawDeg: Double, rightDeg: Double, upDeg: Double) throws {
        let f = try #require(GazeFeatures(face: Self.face(yawDeg: yawDeg, rightDeg: rightDeg, upDeg: upDeg)))
        let linear = GazeCalibration.generic().angles(for: f)
        #expect(abs(linear.rightDeg - rightDeg) <= 1.5, "right \(linear.rightDeg)")
        #expect(abs(linear.upDeg - upDeg) <= 1.5, "up \(linear.upDeg)")
    }
}
