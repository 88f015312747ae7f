import Testing
@testable import GazeCore

/// The landmark motion the natural-motion check reads.
@Suite struct ChallengeFrameTests {
    /// 68 points on a rough face, outer eye corners (36 and 45) 100 px apart.
    static func face(shift: Point = Point(x: 0, y: 0), scale: Double = 1) -> Landmarks {
        var points = (0..<68).map { i in Point(x: Double(i % 10) * 11, y: Double(i / 10) * 13) }
        points[36] = Point(x: 0, y: 40)
        points[45] = Point(x: 100, y: 40)
        return Landmarks(points: points.map { Point(x: $0.x * scale + shift.x, y: $0.y * scale + shift.y) })
    }

    @Test func identicalLandmarksDoNotMove() {
        #expect(ChallengeFrame.landmarkMotion(from: Self.face(), to: Self.face()) == 0)
    }

    @Test func movingTheWholeFaceIsNotMotion() {
        // A photo slid across the picture: every point moves the same way.
        #expect(abs(ChallengeFrame.landmarkMotion(from: Self.face(), to: Self.face(shift: Point(x: 7, y: -3)))) < 1e-12)
    }

    @Test func onePointMovingCountsOverTheEyeDistance() {
        var moved = Self.face().points
        moved[60].x += 68 // one landmark of 68 moves 68 px; the centroid moves 1 px
        let motion = ChallengeFrame.landmarkMotion(from: Self.face(), to: Landmarks(points: moved))
        // 67 points sit 1 px from the shifted prediction, one 67 px: mean 134/68 px, over 100 px.
        #expect(abs(motion - 134.0 / 68 / 100) < 1e-12)
    }
}
