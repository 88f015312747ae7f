import CVision
import Foundation
import Testing

/// CVision's head pose (`cvs_estimate_head_pose`) on landmarks projected from known poses of its generic
/// face: from scratch (OpenCV's solvePnP) and from a last frame's pose (cvs::refine_pose, the same
/// least-squares fit run to its minimum).
struct HeadPoseSolverTests {
    /// The generic face of cvision.cpp, by the landmark index it stands for (camera axes, facing the camera).
    static let face: [(index: Int, x: Double, y: Double, z: Double)] = [
        (30, 0, 0, 0), (8, 0, 330, 65), (36, -225, -170, 135), (45, 225, -170, 135), (48, -150, 150, 125), (54, 150, 150, 125),
    ]
    static let width = 640, height = 480

    /// Rodrigues: the rotation matrix (rows) of rotation vector `r`.
    static func rotation(_ r: [Double]) -> [[Double]] {
        let theta = (r[0] * r[0] + r[1] * r[1] + r[2] * r[2]).squareRoot()
        guard theta > 0 else { return [[1, 0, 0], [0, 1, 0], [0, 0, 1]] }
        let k = r.map { $0 / theta }, c = cos(theta), s = sin(theta)
        return (0..<3).map { i in
            (0..<3).map { j in
                let cross: [[Double]] = [[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]]
                return (i == j ? c : 0) + (1 - c) * k[i] * k[j] + s * cross[i][j]
            }
        }
    }

    /// 68 landmarks (the six the solver reads placed, the rest zero) of the face at pose (r, t), each of
    /// the six moved by `noise` pixels.
    static func landmarks(r: [Double], t: [Double], noise: [(Double, Double)] = []) -> [Float] {
        let m = rotation(r)
        let f = Double(width), cx = Double(width) / 2, cy = Double(height) / 2
        var xy = [Float](repeating: 0, count: 136)
        for (n, p) in face.enumerated() {
            let x = (0..<3).map { m[$0][0] * p.x + m[$0][1] * p.y + m[$0][2] * p.z + t[$0] }
            let shift = n < noise.count ? noise[n] : (0, 0)
            xy[2 * p.index] = Float(f * x[0] / x[2] + cx + shift.0)
            xy[2 * p.index + 1] = Float(f * x[1] / x[2] + cy + shift.1)
        }
        return xy
    }

    /// Yaw, pitch and roll as cvision.cpp reads them from a rotation.
    static func angles(r: [Double]) -> [Double] {
        let m = rotation(r), deg = 180 / Double.pi
        let facing = [-m[0][2], -m[1][2], -m[2][2]]
        return [atan2(facing[0], -facing[2]) * deg, atan2(-facing[1], (facing[0] * facing[0] + facing[2] * facing[2]).squareRoot()) * deg,
                atan2(m[1][0], m[0][0]) * deg]
    }

    static func solve(_ xy: [Float], from state: cvs_pose_state) throws -> (angles: [Double], state: cvs_pose_state) {
        var state = state, pose = cvs_head_pose(), error = cvs_error()
        let status = xy.withUnsafeBufferPointer { cvs_estimate_head_pose($0.baseAddress, Int32(width), Int32(height), &state, &pose, &error) }
        try #require(status == CVS_OK)
        return ([Double(pose.yaw_deg), Double(pose.pitch_deg), Double(pose.roll_deg)], state)
    }

    static func start(r: [Double], t: [Double]) -> cvs_pose_state {
        cvs_pose_state(rotation: (r[0], r[1], r[2]), translation: (t[0], t[1], t[2]), valid: 1, refined: 0)
    }

    static let poses: [(r: [Double], t: [Double])] = [
        ([0.05, -0.1, 0.02], [30, -40, 2000]),    // nearly facing the camera
        ([-0.2, 0.45, 0.1], [-150, 60, 1800]),     // turned about 26 degrees, tilted
        ([0.3, -0.25, -0.15], [200, 120, 2600]),   // looking down and aside, farther
    ]

    @Test(arguments: 0..<3)
    func exactLandmarksGiveThePoseBackFromScratchAndFromTheLastFrame(_ n: Int) throws {
        let (r, t) = Self.poses[n]
        let truth = Self.angles(r: r)
        let xy = Self.landmarks(r: r, t: t)
        let cold = try Self.solve(xy, from: cvs_pose_state())
        // A last frame's pose some degrees and centimetres off.
        let warm = try Self.solve(xy, from: Self.start(r: r.map { $0 + 0.06 }, t: [t[0] + 40, t[1] - 30, t[2] * 1.1]))
        for k in 0..<3 {
            #expect(abs(cold.angles[k] - truth[k]) < 0.01, "from scratch \(cold.angles) against \(truth)")
            #expect(abs(warm.angles[k] - truth[k]) < 0.001, "from the last frame \(warm.angles) against \(truth)")
        }
        #expect(warm.state.valid == 1)
        // The warm answer is the refinement's, not OpenCV's from scratch standing in for it.
        #expect(cold.state.refined == 0 && warm.state.refined == 1)
    }

    /// With landmark noise the least-squares pose is one point: refining from different last frames ends
    /// at the same pose (a solver stopped short along the valley between pitch and height would not).
    @Test(arguments: 0..<3)
    func noisyLandmarksGiveOnePoseWhereverTheLastFrameWas(_ n: Int) throws {
        let (r, t) = Self.poses[n]
        let xy = Self.landmarks(r: r, t: t, noise: [(1.5, -1), (-2, 1.5), (1, 1), (-1, 2), (2, -1.5), (0.5, -2)])
        let solved = try [[0.0, 0.0, 0.0], [0.08, -0.05, 0.04], [-0.06, 0.07, -0.05]].map { dr in
            try Self.solve(xy, from: Self.start(r: zip(r, dr).map(+), t: [t[0] - 50, t[1] + 40, t[2] * 0.9]))
        }
        #expect(solved.allSatisfy { $0.state.refined == 1 }, "each from its start, none from scratch")
        let answers = solved.map(\.angles)
        for other in answers.dropFirst() {
            for k in 0..<3 { #expect(abs(other[k] - answers[0][k]) < 0.001, "\(answers)") }
        }
        // And near the truth: six points a pixel or two off move the pose by a few degrees at most.
        let truth = Self.angles(r: r)
        for k in 0..<3 { #expect(abs(answers[0][k] - truth[k]) < 5, "\(answers[0]) against \(truth)") }
    }

    /// A start with the face behind the camera is no start: solved from scratch instead, still right.
    @Test func aStartBehindTheCameraIsSolvedFromScratch() throws {
        let (r, t) = Self.poses[1]
        let answer = try Self.solve(Self.landmarks(r: r, t: t), from: Self.start(r: r, t: [t[0], t[1], -t[2]]))
        #expect(answer.state.refined == 0 && answer.state.valid == 1)
        let truth = Self.angles(r: r)
        for k in 0..<3 { #expect(abs(answer.angles[k] - truth[k]) < 0.01, "\(answer.angles) against \(truth)") }
    }
}
