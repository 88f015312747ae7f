import Foundation
import GazeCore
import Testing
@testable import Evaluation

/// The attacker's photo edits on a drawn face: a grey skin, two white eye openings with a dark iris each.
@Suite struct PictureEditsTests {
    static let width = 200, height = 160

    /// An eye opening 40 px wide centred at `c`, 16 px high, as six landmarks.
    static func eye(_ c: Point) -> EyePoints {
        EyePoints([Point(x: c.x - 20, y: c.y), Point(x: c.x - 7, y: c.y - 8), Point(x: c.x + 7, y: c.y - 8),
                   Point(x: c.x + 20, y: c.y), Point(x: c.x + 7, y: c.y + 8), Point(x: c.x - 7, y: c.y + 8)])
    }

    static let right = Point(x: 60, y: 60), left = Point(x: 140, y: 60)

    /// The face: 68 landmarks (eyes as above, an outline and a nose around them), and its picture.
    static func face() -> (PictureEdits.Picture, FaceObservation) {
        var points = [Point](repeating: Point(x: 100, y: 100), count: 68)
        for i in 0...16 { points[i] = Point(x: 20 + Double(i) * 10, y: 40 + 80 * sin(Double(i) / 16 * .pi)) }
        for i in 27...35 { points[i] = Point(x: 100, y: 60 + Double(i - 27) * 5) }
        let r = eye(right), l = eye(left)
        for i in 0..<6 { points[36 + i] = r.points[i]; points[42 + i] = l.points[i] }
        var pixels = [UInt8](repeating: 140, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let p = Point(x: Double(x), y: Double(y))
                for e in [r, l] where PictureEdits.inside(p, e.points) {
                    pixels[y * width + x] = p.distance(to: e.center) < 8 ? 30 : 230
                }
            }
        }
        func observed(_ e: EyePoints) -> EyeObservation {
            EyeObservation(points: e, pupil: e.center, pupilContrast: 1, irisHeight: 0.4, meanLevel: 150)
        }
        let face = FaceObservation(box: Box(x: 20, y: 20, width: 160, height: 120), landmarks: Landmarks(points: points),
                                   leftEye: observed(l), rightEye: observed(r), headPose: nil)
        return (PictureEdits.Picture(pixels: pixels, width: width, height: height), face)
    }

    /// The centroid of the dark pixels (under 80) within 22 px of `c`.
    static func darkCentre(_ p: PictureEdits.Picture, near c: Point) -> Point? {
        var sx = 0.0, sy = 0.0, n = 0.0
        for y in 0..<p.height {
            for x in 0..<p.width where p.pixels[y * p.width + x] < 80 && Point(x: Double(x), y: Double(y)).distance(to: c) < 22 {
                sx += Double(x)
                sy += Double(y)
                n += 1
            }
        }
        return n > 0 ? Point(x: sx / n, y: sy / n) : nil
    }

    @Test func movedIrisesMoveByTheShiftInsideTheOpening() throws {
        let (picture, face) = Self.face()
        // 0.3 half-widths across: 6 px of a 40 px eye.
        let moved = PictureEdits.movingIrises(picture, face: face, shift: Point(x: 0.3, y: 0))
        for c in [Self.right, Self.left] {
            let d = try #require(Self.darkCentre(moved, near: c)) - c
            #expect(abs(d.x - 6) < 1 && abs(d.y) < 0.5, "iris moved by \(d)")
        }
        // 0.1 widths down (4 px): the lower lid hides the part that goes below it, so what is seen of the
        // iris moves down by less.
        let down = PictureEdits.movingIrises(picture, face: face, shift: Point(x: 0, y: 0.1))
        let d = try #require(Self.darkCentre(down, near: Self.right)) - Self.right
        #expect(d.y > 1 && d.y < 4 && abs(d.x) < 0.5, "iris moved by \(d)")
        // Nothing outside the openings changed.
        for y in 0..<Self.height {
            for x in 0..<Self.width where !PictureEdits.inside(Point(x: Double(x), y: Double(y)), Self.eye(Self.right).points)
                && !PictureEdits.inside(Point(x: Double(x), y: Double(y)), Self.eye(Self.left).points) {
                #expect(moved.pixels[y * Self.width + x] == picture.pixels[y * Self.width + x])
            }
        }
    }

    @Test func paintedShutEyesHaveNoIrisAndALidLine() {
        let (picture, face) = Self.face()
        let shut = PictureEdits.paintedShut(picture, face: face)
        for c in [Self.right, Self.left] {
            // No white left in the opening, no dark disc at its centre; a dark line along the lower lid.
            let e = Self.eye(c)
            for y in 0..<Self.height {
                for x in 0..<Self.width where PictureEdits.inside(Point(x: Double(x), y: Double(y)), e.points) {
                    #expect(shut.pixels[y * Self.width + x] < 200)
                }
            }
            #expect(shut.pixels[Int(c.y) * Self.width + Int(c.x)] > 100)
            #expect(shut.pixels[Int(c.y + 8) * Self.width + Int(c.x)] < 80)
        }
    }

    @Test func aHeadTurnedByNothingIsTheSamePictureAndATurnMovesTheNose() {
        let (picture, face) = Self.face()
        #expect(PictureEdits.turnedHead(picture, face: face, yawDeg: 0, pitchDeg: 0).pixels == picture.pixels)
        // Turned, the face's middle moves sideways more than its edge: the eyes' irises (nearer the middle
        // and in front) shift, in the direction of sin(yaw) times their depth.
        let turned = PictureEdits.turnedHead(picture, face: face, yawDeg: 15, pitchDeg: 0)
        let before = Self.darkCentre(picture, near: Self.right)!, after = Self.darkCentre(turned, near: Self.right)!
        #expect(after.x - before.x > 2)
        #expect(abs(after.y - before.y) < 1)
    }
}
