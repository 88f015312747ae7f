import Testing
@testable import GazeCore

@Suite struct EyePointsTests {
    /// An eye 30 px wide whose lids sit `half` px above and below the corner line.
    static func eye(width: Double = 30, half: Double) -> EyePoints {
        EyePoints([
            Point(x: 0, y: 0), Point(x: 10, y: -half), Point(x: 20, y: -half),
            Point(x: width, y: 0), Point(x: 20, y: half), Point(x: 10, y: half),
        ])
    }

    @Test("EAR is the mean lid gap over the corner distance", arguments: [
        (half: 5.0, expected: 10.0 / 30),
        (half: 4.5, expected: 9.0 / 30),
        (half: 0.0, expected: 0.0),
        (half: 1.5, expected: 0.1),
    ])
    func aspectRatio(half: Double, expected: Double) throws {
        let ear = try #require(Self.eye(half: half).aspectRatio)
        #expect(abs(ear - expected) < 1e-12)
    }

    @Test func unevenLidsAverage() throws {
        let e = EyePoints([
            Point(x: 0, y: 0), Point(x: 10, y: -6), Point(x: 20, y: -2),
            Point(x: 40, y: 0), Point(x: 20, y: 2), Point(x: 10, y: 6),
        ])
        // (12 + 4) / (2 * 40)
        #expect(try #require(e.aspectRatio) == 0.2)
    }

    @Test func degenerateEyeHasNoRatio() {
        let e = EyePoints(Array(repeating: Point(x: 3, y: 3), count: 6))
        #expect(e.aspectRatio == nil)
    }

    @Test func pupilOffsetIsRelativeToCorners() {
        let points = Self.eye(half: 5)
        func offset(_ pupil: Point) -> Point {
            EyeObservation(points: points, pupil: pupil, pupilContrast: 0.5, irisHeight: 0.3, meanLevel: 100).pupilOffset
        }
        #expect(offset(Point(x: 15, y: 0)) == Point(x: 0, y: 0))
        #expect(offset(Point(x: 30, y: 0)) == Point(x: 1, y: 0))
        #expect(offset(Point(x: 0, y: 0)) == Point(x: -1, y: 0))
        #expect(offset(Point(x: 15, y: 3)) == Point(x: 0, y: 0.1))
    }

    /// The eye's own frame on an eye turned a quarter clockwise on screen (corner 0 above corner 3): down on
    /// the face is the image's -x, and the frame turns with it; a degenerate eye has none.
    @Test func theEyesFrameTurnsWithTheEye() throws {
        let turned = EyePoints([
            Point(x: 0, y: 0), Point(x: 5, y: 10), Point(x: 5, y: 20),
            Point(x: 0, y: 30), Point(x: -5, y: 20), Point(x: -5, y: 10),
        ])
        #expect(turned.down == Point(x: -1, y: 0))
        #expect(turned.offset(of: Point(x: 0, y: 30)) == Point(x: 1, y: 0))
        #expect(turned.offset(of: Point(x: -3, y: 15)) == Point(x: 0, y: 0.1))
        let flat = EyePoints(Array(repeating: Point(x: 3, y: 3), count: 6))
        #expect(flat.down == nil && flat.offset(of: Point(x: 1, y: 1)) == nil)
        // The upper lid of the level eye sits 5 px above its 30 px corner line; the turned eye's 5 px the other side.
        #expect(try #require(Self.eye(half: 5).upperLidOffset) == -5.0 / 30)
        #expect(try #require(turned.upperLidOffset) == -5.0 / 30)
    }
}
