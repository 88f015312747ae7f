/// Whether a face's landmarks move as one flat picture does.
///
/// A photo or a screen moved by hand is a plane: whatever way it is turned or slid, one homography maps
/// its landmarks in one frame onto those in another, to within the landmark fit's noise. A real head is
/// not flat: when it turns, the nose tip moves against the face's outline and the eye corners (parallax),
/// which no homography explains. So, between two frames whose landmarks changed shape (more than a
/// similarity, i.e. a slide, a turn in the picture's plane and a change of size, accounts for), the share of
/// that change a homography leaves unexplained is small for a picture and large for a head.
public enum PlanarMotion {
    /// The landmarks that move with the skull: the face's outline (0-16), the nose (27-35) and the eye
    /// corners (36, 39, 42, 45). Brows, lids and mouth move on their own (expressions, blinks, speech).
    public static let rigidIndices: [Int] = Array(0...16) + Array(27...35) + [36, 39, 42, 45]

    /// The rigid landmarks of a face, in pixels.
    public static func rigidPoints(_ landmarks: Landmarks) -> [Point] { rigidIndices.map { landmarks.points[$0] } }

    /// How two frames' rigid landmarks differ, in units of the face's interocular distance.
    public struct Change: Sendable, Equatable {
        /// Root-mean-square distance left after the best similarity (slide, in-plane turn, scale).
        public var similarityResidual: Double
        /// Root-mean-square distance left after the best homography.
        public var homographyResidual: Double
    }

    /// The change from `a` to `b` (same points, same order), over `unit` pixels. Nil for too few points or a
    /// degenerate fit.
    public static func change(from a: [Point], to b: [Point], unit: Double) -> Change? {
        guard a.count == b.count, a.count >= 8, unit > 0 else { return nil }
        guard let s = similarityResidual(a, b), let h = homographyResidual(a, b) else { return nil }
        return Change(similarityResidual: s / unit, homographyResidual: h / unit)
    }

    /// RMS residual of the least-squares similarity from a to b (closed form, centred coordinates).
    static func similarityResidual(_ a: [Point], _ b: [Point]) -> Double? {
        let n = Double(a.count)
        let ca = a.reduce(Point(x: 0, y: 0), +) * (1 / n), cb = b.reduce(Point(x: 0, y: 0), +) * (1 / n)
        var sxx = 0.0, sp = 0.0, sq = 0.0
        for (p, q) in zip(a, b) {
            let u = p - ca, v = q - cb
            sxx += u.x * u.x + u.y * u.y
            sp += u.x * v.x + u.y * v.y
            sq += u.x * v.y - u.y * v.x
        }
        guard sxx > 1e-9 else { return nil }
        let c = sp / sxx, s = sq / sxx
        var sum = 0.0
        for (p, q) in zip(a, b) {
            let u = p - ca
            let mapped = Point(x: c * u.x - s * u.y, y: s * u.x + c * u.y) + cb
            let d = mapped - q
            sum += d.x * d.x + d.y * d.y
        }
        return (sum / n).squareRoot()
    }

    /// RMS transfer residual of the homography from a to b, fitted by the normalised direct linear
    /// transform (Hartley) with h33 = 1 (the motions here are near the identity, never at infinity).
    static func homographyResidual(_ a: [Point], _ b: [Point]) -> Double? {
        guard let na = Normaliser(a), let nb = Normaliser(b) else { return nil }
        let pa = a.map(na.apply), pb = b.map(nb.apply)
        // Two equations a point, eight unknowns: the normal equations, solved directly.
        var m = [[Double]](repeating: [Double](repeating: 0, count: 9), count: 8)
        for (p, q) in zip(pa, pb) {
            let rows: [[Double]] = [[p.x, p.y, 1, 0, 0, 0, -p.x * q.x, -p.y * q.x, q.x],
                                    [0, 0, 0, p.x, p.y, 1, -p.x * q.y, -p.y * q.y, q.y]]
            for r in rows {
                for i in 0..<8 {
                    for j in 0..<8 { m[i][j] += r[i] * r[j] }
                    m[i][8] += r[i] * r[8]
                }
            }
        }
        guard let h = solve(m) else { return nil }
        var sum = 0.0
        for (p, q) in zip(pa, pb) {
            let w = h[6] * p.x + h[7] * p.y + 1
            guard abs(w) > 1e-9 else { return nil }
            let x = (h[0] * p.x + h[1] * p.y + h[2]) / w, y = (h[3] * p.x + h[4] * p.y + h[5]) / w
            // Back to b's pixels: the normaliser only scales and shifts.
            let dx = (x - q.x) / nb.scale, dy = (y - q.y) / nb.scale
            sum += dx * dx + dy * dy
        }
        return (sum / Double(a.count)).squareRoot()
    }

    /// Shifts points to their centroid and scales them to a mean distance of sqrt(2) from it.
    struct Normaliser {
        let centre: Point
        let scale: Double
        init?(_ points: [Point]) {
            let n = Double(points.count)
            let c = points.reduce(Point(x: 0, y: 0), +) * (1 / n)
            centre = c
            let mean = points.reduce(0.0) { $0 + $1.distance(to: c) } / n
            guard mean > 1e-9 else { return nil }
            scale = 2.0.squareRoot() / mean
        }
        func apply(_ p: Point) -> Point { (p - centre) * scale }
    }

    /// Gaussian elimination with partial pivoting of an n x (n+1) augmented system; nil when singular.
    static func solve(_ augmented: [[Double]]) -> [Double]? {
        var m = augmented
        let n = m.count
        for col in 0..<n {
            var pivot = col
            for r in col..<n where abs(m[r][col]) > abs(m[pivot][col]) { pivot = r }
            guard abs(m[pivot][col]) > 1e-12 else { return nil }
            m.swapAt(col, pivot)
            for r in 0..<n where r != col {
                let k = m[r][col] / m[col][col]
                guard k != 0 else { continue }
                for c in col...n { m[r][c] -= k * m[col][c] }
            }
        }
        return (0..<n).map { m[$0][n] / m[$0][$0] }
    }
}

/// The planar-motion check's tally over a session. Landmarks are averaged over `averageMs` (the fit's
/// frame-to-frame jitter shrinks, a hand's or a head's turn does not), and each frame's average is paired
/// with the average about `pairLagMs` before it. Pairs whose shape changed by at least `minShapeChange` (of
/// the interocular distance, beyond a similarity) count; over them, the share of the change a homography
/// leaves unexplained (root of the summed squares) must reach `minUnexplainedShare`. Fewer than
/// `minMovedPairs` such pairs leave nothing to judge: the face did not turn enough for a flat picture to
/// show (a still picture or a still head, a picture slid or turned a little), and the check passes (the
/// eye-in-head and gaze checks decide then).
public struct PlanarMotionTally: Sendable {
    public let config: PlanarMotionConfig
    private var frames: [(timeMs: Double, points: [Point], unit: Double)] = []
    /// Averages of recent frames, newest last, back to the lag.
    private var averages: [(timeMs: Double, points: [Point])] = []
    public private(set) var movedPairs = 0
    public private(set) var pairs = 0
    /// The largest shape change of any pair (beyond a similarity), for measuring the noise of still faces.
    public private(set) var largestShapeChange = 0.0
    private var similaritySquares = 0.0
    private var homographySquares = 0.0

    public init(config: PlanarMotionConfig = PlanarMotionConfig()) {
        self.config = config
    }

    /// Adds a frame's face (nil: no face, which starts the pairing afresh).
    public mutating func add(timeMs: Double, landmarks: Landmarks?) {
        guard let landmarks else {
            frames.removeAll()
            averages.removeAll()
            return
        }
        frames.append((timeMs, PlanarMotion.rigidPoints(landmarks), landmarks.interocularDistance))
        frames.removeAll { $0.timeMs <= timeMs - config.averageMs }
        let n = Double(frames.count)
        let mean = (0..<PlanarMotion.rigidIndices.count).map { i in
            frames.reduce(Point(x: 0, y: 0)) { $0 + $1.points[i] } * (1 / n)
        }
        let unit = frames.reduce(0.0) { $0 + $1.unit } / n
        averages.append((timeMs, mean))
        // Keep averages back to the lag; pair with the newest one at least that old.
        while averages.count > 2, averages[1].timeMs <= timeMs - config.pairLagMs { averages.removeFirst() }
        guard let earlier = averages.first, timeMs - earlier.timeMs >= config.pairLagMs,
              let change = PlanarMotion.change(from: earlier.points, to: mean, unit: unit)
        else { return }
        pairs += 1
        largestShapeChange = max(largestShapeChange, change.similarityResidual)
        guard change.similarityResidual >= config.minShapeChange else { return }
        movedPairs += 1
        similaritySquares += change.similarityResidual * change.similarityResidual
        homographySquares += change.homographyResidual * change.homographyResidual
    }

    /// The share of the moved pairs' shape change that no homography explains (1 with no moved pair).
    public var unexplainedShare: Double {
        similaritySquares > 0 ? (homographySquares / similaritySquares).squareRoot() : 1
    }

    /// Judged only with enough moved pairs.
    public var passed: Bool { movedPairs < config.minMovedPairs || unexplainedShare >= config.minUnexplainedShare }
}
