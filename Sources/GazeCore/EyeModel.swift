#if canImport(Glibc)
import Glibc // asin, sin, tan, cos: libm only
#endif

/// The eye as a ball turning about its centre, seen between its corners: where the person looks follows
/// from where the iris centre sits against where the eyeball's centre projects.
///
/// A ray from the eyeball's centre through the iris centre points where the person looks. When it points
/// at the camera, the camera sees the iris centre right over the eyeball's centre; turned by an angle a,
/// the iris centre sits `pupilRadius * sin(a)` away from it in the picture. So the angle from the camera
/// is the asin of the iris centre's offset from the eyeball centre's projection over the radius, with no
/// separate gain per axis and no head angle added: a head that turns carries the eyeballs, and the iris
/// offset in the picture already holds the whole gaze. The head's pose enters only through where the
/// eyeball's centre projects, which lies a little behind the corners.
///
/// Lengths are in eye widths (corner to corner), the pupil's x offset in half widths as
/// `EyeObservation.pupilOffset` gives it. The numbers and where each comes from: docs/GAZE.md.
public struct EyeModel: Sendable, Equatable {
    /// Where the eyeball's centre projects, for a head facing the camera, against the corners' midpoint:
    /// x in half widths (+: the image's right), y in eye widths (-: above the corner line). The iris of an
    /// eye looking into the camera sits there: measured as the median over the shared frontal ZJU people
    /// looking into the camera (the upper lid covers the top of the iris, and the corners sit below the
    /// eye's centre).
    public var centreX = -0.03
    public var centreY = -0.10
    /// Distance from the eyeball's centre of rotation to the pupil, in eye widths: about 10.5 mm (13.5 mm
    /// to the cornea's apex, less 3 mm to the entrance pupil) over an adult eye's 29 mm corner to corner.
    public var pupilRadius = 0.36
    /// How far the eyeball's centre lies behind the corners' midpoint, in eye widths: a head turned by
    /// yaw y moves its projection by `depth * sin(y)` eye widths against the corners (measured: the slope of the
    /// looking-at-camera iris offset against head yaw on the shared frontal clips, with MediaPipe's iris).
    /// Head pitch is left out: the generic face model's pitch is off by -2 to +15 degrees from one person to
    /// the next, which would add more error than the term removes.
    public var depth = 0.065

    public init() {}

    /// Degrees of gaze per unit of pupil offset about the camera direction: per half width across, per
    /// eye width down (the slope of asin at 0).
    public var degreesPerOffsetX: Double { 180 / .pi / (2 * pupilRadius) }
    public var degreesPerOffsetY: Double { 180 / .pi / pupilRadius }

    /// The person's own zero: the eyeball's centre set where their iris sat while they looked into the
    /// camera (`offset`: their mean pupil offset then; `yawDeg`: their head's yaw then).
    public func recentred(lookingAtCamera offset: Point, yawDeg: Double) -> EyeModel {
        var m = self
        let shift = headShift(yawDeg: yawDeg)
        m.centreX = offset.x - shift
        m.centreY = offset.y * cos(yawDeg * .pi / 180)
        return m
    }

    /// Where the person looks, in degrees from the camera: right of it (their right) and above.
    public func gaze(pupilOffset p: Point, headYawDeg yaw: Double) -> GazeAngles {
        angles(dx: p.x - (centreX + headShift(yawDeg: yaw)), y: p.y, yawDeg: yaw)
    }

    /// The eyes' turn in the head alone, in degrees: the iris against the eyeball's centre as it projects
    /// for a face squarely facing the camera. A picture moved as a whole keeps this still; a live person
    /// looking around moves it. (For a face turned by y, it differs from the turn of the eyes in the head
    /// by `depth * sin(y)` over the radius: a degree or two.)
    public func eyeInHead(pupilOffset p: Point) -> GazeAngles {
        angles(dx: p.x - centreX, y: p.y, yawDeg: 0)
    }

    /// The pupil offset at which `gaze(pupilOffset:headYawDeg:)` reads `g`: its inverse (angles within
    /// 90 degrees), for simulations and tests that need the features of a known look.
    public func pupilOffset(gaze g: GazeAngles, headYawDeg yaw: Double) -> Point {
        let c = cos(yaw * .pi / 180)
        return Point(x: centreX + headShift(yawDeg: yaw) - 2 * pupilRadius * sin(g.rightDeg * .pi / 180) / c,
                     y: (centreY - pupilRadius * sin(g.upDeg * .pi / 180)) / c)
    }

    /// The eyeball centre's horizontal shift for a head turned by `yawDeg` (positive: the face turns to
    /// the image's right, so what lies behind the corners moves left), in half widths of the corners as
    /// the picture shows them (foreshortened by cos(yaw): hence tan, not sin).
    func headShift(yawDeg: Double) -> Double {
        -2 * depth * tan(yawDeg * .pi / 180)
    }

    /// Offsets in the picture's eye frame to angles. On a face turned by yaw the corners' width shrinks
    /// by cos(yaw) and offsets measured in it grow by as much: undone here, so lengths are true eye
    /// widths (`centreY` is one: the corners sit that far below the centre whatever the yaw).
    private func angles(dx: Double, y: Double, yawDeg: Double) -> GazeAngles {
        let c = cos(yawDeg * .pi / 180)
        let across = dx * c / 2 / pupilRadius
        let down = (y * c - centreY) / pupilRadius
        // The image's right is the person's left; the image's down is their down.
        return GazeAngles(rightDeg: -degrees(asin(max(-1, min(1, across)))), upDeg: -degrees(asin(max(-1, min(1, down)))))
    }

    private func degrees(_ r: Double) -> Double { r * 180 / .pi }
}
