import Foundation
import GazeCore

/// A generic head as 68 landmarks in 3D (millimetres; x to the image's right, y down, z away from the
/// camera, the nose tip at z = 0), and a pinhole camera to film it with: real parallax for tests of the
/// face-shape checks, or, flattened, a photo of the same face.
struct HeadModel {
    var points: [(x: Double, y: Double, z: Double)]

    /// The generic head; `flat` puts every landmark on one plane (a picture of the face).
    init(flat: Bool = false) {
        var p: [(Double, Double, Double)] = []
        for i in 0...16 { // the outline, ear to ear under the chin
            let a = Double.pi * (1 + Double(i) / 16)
            p.append((70 * cos(a), 10 - 110 * sin(a), 95 + 40 * sin(a)))
        }
        for side in [-1.0, 1.0] { // brows, image left then right
            for k in 0..<5 {
                let x = side < 0 ? -60 + 11.25 * Double(k) : 15 + 11.25 * Double(k)
                p.append((x, -25 - 5 * sin(Double.pi * Double(k) / 4), 35 + abs(x) * 0.2))
            }
        }
        p += [(0, -5, 30), (0, 12, 20), (0, 28, 10), (0, 45, 0)] // nose bridge to tip
        p += [(-18, 55, 18), (-9, 57, 14), (0, 58, 12), (9, 57, 14), (18, 55, 18)]
        p += [(-48, 0, 38), (-38, -5, 34), (-25, -5, 33), (-15, 0, 32), (-25, 5, 33), (-38, 5, 34)]
        p += [(15, 0, 32), (25, -5, 33), (38, -5, 34), (48, 0, 38), (38, 5, 34), (25, 5, 33)]
        for k in 0..<12 {
            let a = Double.pi * Double(k) / 6
            p.append((-27 * cos(a), 85 - 9 * sin(a), 22 + 8 * abs(cos(a))))
        }
        for k in 0..<8 {
            let a = Double.pi * Double(k) / 4
            p.append((-20 * cos(a), 85 - 3 * sin(a), 24))
        }
        points = p.map { flat ? (x: $0.0, y: $0.1, z: 60) : (x: $0.0, y: $0.1, z: $0.2) }
    }

    /// The landmarks seen by a 640x480 camera (focal length 700 px) with the head 600 mm away, turned by
    /// yaw (to the image's right) and pitch (up) about a pivot behind the face, shifted by `shift` mm, each
    /// point jittered by up to `noise` pixels.
    func landmarks(yawDeg: Double, pitchDeg: Double, shift: (x: Double, y: Double) = (0, 0), noise: Double = 0,
                   rng: inout SeededGenerator) -> Landmarks {
        let yaw = yawDeg * .pi / 180, pitch = pitchDeg * .pi / 180
        let pivot = (x: 0.0, y: 40.0, z: 90.0)
        return Landmarks(points: points.map { q in
            var x = q.x - pivot.x, y = q.y - pivot.y, z = q.z - pivot.z
            (x, z) = (x * cos(yaw) - z * sin(yaw), x * sin(yaw) + z * cos(yaw))
            (y, z) = (y * cos(pitch) + z * sin(pitch), -y * sin(pitch) + z * cos(pitch))
            x += pivot.x + shift.x
            y += pivot.y + shift.y
            z += pivot.z + 600
            func jitter() -> Double { noise * (Double(rng.next() % 2001) / 1000 - 1) }
            return Point(x: 320 + 700 * x / z + jitter(), y: 240 + 700 * y / z + jitter())
        })
    }
}

/// Minimum-jerk motion from 0 to 1 as `t` goes from 0 to 1 (clamped).
func minimumJerk(_ t: Double) -> Double {
    let s = max(0, min(1, t))
    return s * s * s * (10 - 15 * s + 6 * s * s)
}
