import Testing
@testable import GazeCore

/// `planar_motion` on hand-built landmark tracks: a generic 3D head filmed turning, and the same face
/// flattened into a picture turned the same way.
@Suite struct PlanarMotionTests {
    /// 4 s at 30 fps: the face turns to one side, back, to the other, and tilts down, with minimum-jerk
    /// moves, each point jittered by half a pixel (about dlib's frame-to-frame noise on a still face).
    static func track(_ head: HeadModel, turnDeg: Double, noise: Double = 0.5) -> [Landmarks] {
        var rng = SeededGenerator(seed: 3)
        return (0..<120).map { i in
            let t = Double(i) / 30
            let yaw = turnDeg * (minimumJerk(t / 0.5) - 2 * minimumJerk((t - 1.2) / 0.8) + minimumJerk((t - 2.6) / 0.5))
            let pitch = -turnDeg * 0.6 * minimumJerk((t - 1.5) / 0.8)
            return head.landmarks(yawDeg: yaw, pitchDeg: pitch, shift: (x: 20 * t, y: 0), noise: noise, rng: &rng)
        }
    }

    static func tally(_ track: [Landmarks]) -> PlanarMotionTally {
        var tally = PlanarMotionTally()
        for (i, l) in track.enumerated() { tally.add(timeMs: Double(i) * 1000 / 30, landmarks: l) }
        return tally
    }

    @Test func aHomographyMapsAPlaneExactlyAndLeavesAHeadsParallax() throws {
        var rng = SeededGenerator(seed: 1)
        let flat = HeadModel(flat: true), head = HeadModel()
        let a = PlanarMotion.rigidPoints(flat.landmarks(yawDeg: 0, pitchDeg: 0, rng: &rng))
        let b = PlanarMotion.rigidPoints(flat.landmarks(yawDeg: 20, pitchDeg: -10, shift: (x: 30, y: 10), rng: &rng))
        let plane = try #require(PlanarMotion.change(from: a, to: b, unit: 100))
        #expect(plane.homographyResidual < 1e-6)
        #expect(plane.similarityResidual > 0.01)
        let c = PlanarMotion.rigidPoints(head.landmarks(yawDeg: 0, pitchDeg: 0, rng: &rng))
        let d = PlanarMotion.rigidPoints(head.landmarks(yawDeg: 20, pitchDeg: -10, shift: (x: 30, y: 10), rng: &rng))
        let real = try #require(PlanarMotion.change(from: c, to: d, unit: 100))
        #expect(real.homographyResidual > 0.5 * real.similarityResidual)
    }

    @Test func aSimilarityLeavesNoShapeChange() throws {
        // A picture slid, turned in its plane and scaled: the same shape.
        var rng = SeededGenerator(seed: 9)
        let a = PlanarMotion.rigidPoints(HeadModel().landmarks(yawDeg: 0, pitchDeg: 0, rng: &rng))
        let b = a.map { p in Point(x: 1.1 * (0.96 * p.x - 0.28 * p.y) + 12, y: 1.1 * (0.28 * p.x + 0.96 * p.y) - 7) }
        let change = try #require(PlanarMotion.change(from: a, to: b, unit: 100))
        #expect(change.similarityResidual < 1e-9)
    }

    @Test(arguments: [15.0, 20.0, 30.0])
    func aPictureTurnedByHandFails(_ turnDeg: Double) {
        let tally = Self.tally(Self.track(HeadModel(flat: true), turnDeg: turnDeg))
        print("plane \(turnDeg): moved \(tally.movedPairs) share \(tally.unexplainedShare) largest \(tally.largestShapeChange)")
        let (moved, passed) = (tally.movedPairs, tally.passed)
        #expect(moved >= PlanarMotionConfig().minMovedPairs)
        #expect(!passed)
    }

    @Test(arguments: [4.0, 8.0, 12.0, 20.0])
    func aRealHeadTurningPasses(_ turnDeg: Double) {
        let tally = Self.tally(Self.track(HeadModel(), turnDeg: turnDeg))
        print("head \(turnDeg): moved \(tally.movedPairs) share \(tally.unexplainedShare) largest \(tally.largestShapeChange)")
        let (moved, passed) = (tally.movedPairs, tally.passed)
        #expect(moved >= PlanarMotionConfig().minMovedPairs)
        #expect(passed)
    }

    /// A picture turned by under about 12 degrees changes shape less than the noise floor (its
    /// foreshortening grows with the square of the angle, a head's parallax with the angle): nothing to
    /// judge, and the eye-in-head check must catch it.
    @Test(arguments: [8.0, 12.0])
    func aPictureTurnedALittleIsNotJudged(_ turnDeg: Double) {
        let tally = Self.tally(Self.track(HeadModel(flat: true), turnDeg: turnDeg))
        let (moved, passed) = (tally.movedPairs, tally.passed)
        #expect(moved < PlanarMotionConfig().minMovedPairs)
        #expect(passed)
    }

    @Test func aStillFaceHasNothingToJudge() {
        let tally = Self.tally(Self.track(HeadModel(flat: true), turnDeg: 0))
        let (moved, passed) = (tally.movedPairs, tally.passed)
        #expect(moved < PlanarMotionConfig().minMovedPairs)
        #expect(passed)
    }

    @Test func losingTheFaceStartsThePairingAfresh() {
        var tally = PlanarMotionTally()
        let track = Self.track(HeadModel(flat: true), turnDeg: 20)
        // Every 10th frame without a face: no pair ever spans the lag.
        for (i, l) in track.enumerated() { tally.add(timeMs: Double(i) * 1000 / 30, landmarks: i % 10 == 0 ? nil : l) }
        let moved = tally.movedPairs
        #expect(moved == 0)
    }
}
