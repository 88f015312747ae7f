import Foundation
import GazeCore

/// What an attacker with a photo editor does to the frames before showing them: moves the irises inside
/// the eye openings, paints the eyes shut, turns the head in 2.5D. Grey pictures, row by row; each edit
/// reads the landmarks and pupils the real pipeline found on the original frame.
enum PictureEdits {
    /// A grey picture and its size.
    struct Picture {
        var pixels: [UInt8]
        var width: Int
        var height: Int

        func value(_ x: Double, _ y: Double) -> Double {
            let ix = max(0, min(width - 2, Int(x.rounded(.down)))), iy = max(0, min(height - 2, Int(y.rounded(.down))))
            let dx = max(0, min(1, x - Double(ix))), dy = max(0, min(1, y - Double(iy)))
            let i = iy * width + ix
            let top = Double(pixels[i]) * (1 - dx) + Double(pixels[i + 1]) * dx
            let bottom = Double(pixels[i + width]) * (1 - dx) + Double(pixels[i + width + 1]) * dx
            return top * (1 - dy) + bottom * dy
        }
    }

    /// Whether `p` lies inside the polygon (even-odd rule).
    static func inside(_ p: Point, _ polygon: [Point]) -> Bool {
        var c = false
        var j = polygon.count - 1
        for i in polygon.indices {
            let a = polygon[i], b = polygon[j]
            if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x { c.toggle() }
            j = i
        }
        return c
    }

    /// The irises moved digitally inside their eye openings by the pupil offset `shift` (in the units of
    /// `EyeObservation.pupilOffset`: x in half eye widths along the corner line, y in eye widths across it):
    /// inside each opening, the disc of the iris is copied to its new place and its old place filled with
    /// the sclera's grey; the lids stay where they are.
    static func movingIrises(_ picture: Picture, face: FaceObservation, shift: Point) -> Picture {
        var out = picture
        for eye in [face.leftEye, face.rightEye] {
            let pts = eye.points.points
            let w = eye.points.width
            guard w > 4 else { continue }
            let u = Point(x: (pts[3].x - pts[0].x) / w, y: (pts[3].y - pts[0].y) / w), n = Point(x: -u.y, y: u.x)
            let d = u * (shift.x * w / 2) + n * (shift.y * w)
            let radius = 0.21 * w, centre = eye.pupil
            let xs = pts.map(\.x), ys = pts.map(\.y)
            let x0 = max(0, Int(xs.min()!) - 1), x1 = min(picture.width - 1, Int(xs.max()!) + 1)
            let y0 = max(0, Int(ys.min()!) - 1), y1 = min(picture.height - 1, Int(ys.max()!) + 1)
            // The sclera's grey: the bright part of the opening outside the iris.
            var outside: [UInt8] = []
            for y in y0...y1 {
                for x in x0...x1 {
                    let p = Point(x: Double(x), y: Double(y))
                    if inside(p, pts), p.distance(to: centre) > radius * 1.1 { outside.append(picture.pixels[y * picture.width + x]) }
                }
            }
            let sclera = outside.isEmpty ? 200 : Double(outside.sorted()[outside.count * 3 / 4])
            for y in y0...y1 {
                for x in x0...x1 {
                    let p = Point(x: Double(x), y: Double(y))
                    guard inside(p, pts) else { continue }
                    let q = p - d
                    let value: Double
                    if q.distance(to: centre) < radius {
                        value = picture.value(q.x, q.y)
                    } else if p.distance(to: centre) < radius {
                        value = sclera
                    } else {
                        continue
                    }
                    out.pixels[y * picture.width + x] = UInt8(max(0, min(255, value)))
                }
            }
        }
        return out
    }

    /// The eyes painted shut: each opening (a little grown) filled with the skin's grey from just below the
    /// eye, and a dark lid line drawn from corner to corner along the lower lid.
    static func paintedShut(_ picture: Picture, face: FaceObservation) -> Picture {
        var out = picture
        for eye in [face.leftEye, face.rightEye] {
            let pts = eye.points.points
            let w = eye.points.width
            guard w > 4 else { continue }
            let centre = eye.points.center
            let grown = pts.map { centre + ($0 - centre) * 1.35 }
            // Skin: a band half an eye width below the eye.
            var skin: [Double] = []
            for k in 0..<9 {
                let x = pts[0].x + Double(k) / 8 * (pts[3].x - pts[0].x), y = centre.y + 0.5 * w
                if x >= 0, y >= 0, x < Double(picture.width - 1), y < Double(picture.height - 1) { skin.append(picture.value(x, y)) }
            }
            let level = skin.isEmpty ? 150 : skin.sorted()[skin.count / 2]
            let xs = grown.map(\.x), ys = grown.map(\.y)
            let x0 = max(0, Int(xs.min()!) - 1), x1 = min(picture.width - 1, Int(xs.max()!) + 1)
            let y0 = max(0, Int(ys.min()!) - 1), y1 = min(picture.height - 1, Int(ys.max()!) + 1)
            guard x0 < x1, y0 < y1 else { continue }
            // The closed lids' line: the lower lid's points, from corner to corner.
            let line = [pts[0], pts[5], pts[4], pts[3]]
            for y in y0...y1 {
                for x in x0...x1 {
                    let p = Point(x: Double(x), y: Double(y))
                    guard inside(p, grown) else { continue }
                    var value = level
                    for (a, b) in zip(line, line.dropFirst()) {
                        let ab = b - a, len2 = max(ab.x * ab.x + ab.y * ab.y, 1e-9)
                        let s = max(0, min(1, ((p.x - a.x) * ab.x + (p.y - a.y) * ab.y) / len2))
                        let dist = p.distance(to: a + ab * s)
                        if dist < 0.06 * w + 0.7 { value = min(value, 0.35 * level) }
                    }
                    out.pixels[y * picture.width + x] = UInt8(max(0, min(255, value)))
                }
            }
        }
        return out
    }

    /// The head turned in 2.5D: the face's picture laid on a depth surface (an ellipsoid with a nose),
    /// turned by `yawDeg` about the vertical axis and `pitchDeg` about the horizontal one, seen from far away.
    /// The eyes turn with the head (their picture moves with the surface); what lies beyond the ellipsoid
    /// stays put.
    static func turnedHead(_ picture: Picture, face: FaceObservation, yawDeg: Double, pitchDeg: Double) -> Picture {
        let l = face.landmarks.points
        let width = l[0].distance(to: l[16])
        guard width > 8 else { return picture }
        let centre = Point(x: (l[0].x + l[16].x + l[27].x + l[8].x) / 4, y: (l[27].y + l[8].y) / 2)
        let a = 0.62 * width, b = 0.85 * width, depth = 0.45 * width
        let nose = l[30], noseHeight = 0.22 * width, noseSpread = 0.09 * width
        func z(_ p: Point) -> Double {
            let ex = (p.x - centre.x) / a, ey = (p.y - centre.y) / b
            let r = 1 - ex * ex - ey * ey
            guard r > 0 else { return 0 }
            let dn = p.distance(to: nose)
            return depth * r.squareRoot() + noseHeight * Foundation.exp(-dn * dn / (2 * noseSpread * noseSpread)) * min(1, r * 4)
        }
        let sy = sin(yawDeg * .pi / 180), sp = sin(pitchDeg * .pi / 180)
        var out = picture
        let x0 = max(0, Int(centre.x - a * 1.3)), x1 = min(picture.width - 1, Int(centre.x + a * 1.3))
        let y0 = max(0, Int(centre.y - b * 1.3)), y1 = min(picture.height - 1, Int(centre.y + b * 1.3))
        guard x0 < x1, y0 < y1 else { return picture }
        for y in y0...y1 {
            for x in x0...x1 {
                let target = Point(x: Double(x), y: Double(y))
                // The surface point that lands here: x' = x + z sin(yaw), y' = y - z sin(pitch), solved by
                // fixed-point steps (small turns: it converges in a few).
                var p = target
                for _ in 0..<5 {
                    let d = z(p)
                    p = Point(x: target.x - d * sy, y: target.y + d * sp)
                }
                if p.x < 0 || p.y < 0 || p.x >= Double(picture.width - 1) || p.y >= Double(picture.height - 1) { continue }
                out.pixels[y * picture.width + x] = UInt8(max(0, min(255, picture.value(p.x, p.y))))
            }
        }
        return out
    }
}
