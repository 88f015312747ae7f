/// A person's mapping from gaze features to gaze direction: each angle is an affine function of the mean
/// pupil offset (x, y) and the head's yaw and pitch,
///
///     rightDeg = right[0] + right[1]*pupilX + right[2]*pupilY + right[3]*yaw + right[4]*pitch
///     upDeg    = up[0]    + up[1]*pupilX    + up[2]*pupilY    + up[3]*yaw    + up[4]*pitch
///
/// The generic mapping (`GazeEstimator`'s, no calibration) is one such function; calibration fits the
/// coefficients to where the person actually looked.
public struct GazeCalibration: Codable, Equatable, Sendable {
    public static let termCount = 5
    public var right: [Double]
    public var up: [Double]

    public init(right: [Double], up: [Double]) {
        precondition(right.count == Self.termCount && up.count == Self.termCount, "5 coefficients per angle")
        self.right = right
        self.up = up
    }

    /// The generic mapping: the eye model (`EyeModel`) made affine about the camera direction (its
    /// asin and cos taken as linear there: within 1.5 degrees of `GazeEstimator`'s uncalibrated angles
    /// inside 20 degrees of eye and head turn). The prior that a calibration fit starts from.
    public static func generic(_ c: GazeEstimateConfig = GazeEstimateConfig()) -> GazeCalibration {
        let eye = c.eye
        let gx = eye.degreesPerOffsetX, gy = eye.degreesPerOffsetY
        // rightDeg = -gx * (x - centreX + 2 depth sin(yaw)), upDeg = -gy * (y - centreY)
        let yawTerm = -gx * 2 * eye.depth * .pi / 180
        return GazeCalibration(right: [gx * eye.centreX, -gx, 0, yawTerm, 0], up: [gy * eye.centreY, 0, -gy, 0, 0])
    }

    /// The terms each coefficient multiplies: 1, pupil x, pupil y, yaw, pitch.
    public static func terms(_ f: GazeFeatures) -> [Double] {
        [1, f.pupilOffset.x, f.pupilOffset.y, f.headPose.yaw, f.headPose.pitch]
    }

    public func angles(for f: GazeFeatures) -> GazeAngles { angles(terms: Self.terms(f)) }

    /// The angles for terms as `terms(_:)` lists them.
    func angles(terms t: [Double]) -> GazeAngles {
        var r = 0.0, u = 0.0
        for i in 0..<Self.termCount {
            r += right[i] * t[i]
            u += up[i] * t[i]
        }
        return GazeAngles(rightDeg: r, upDeg: u)
    }

    /// The same mapping shifted so that `features` map to `target` (a new look at a known point).
    public func recentred(_ features: GazeFeatures, at target: GazeAngles) -> GazeCalibration {
        let now = angles(for: features)
        var c = self
        c.right[0] += target.rightDeg - now.rightDeg
        c.up[0] += target.upDeg - now.upDeg
        return c
    }
}

/// Why a calibration could not be fitted, in words for the person and a name for results.
public enum CalibrationProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// Too few usable frames while a target was shown (face lost, eyes closed).
    case tooFewFrames(GazeTarget, frames: Int)
    /// A target's estimated gaze did not land on it: the eyes did not follow the targets.
    case targetsNotSeparated(GazeTarget)
    /// The frames scatter too much around the fit.
    case tooNoisy(rmsDeg: Double)
    /// The fitted eye gains are far from any human eye's.
    case implausibleGain(factor: Double)

    public var description: String {
        switch self {
        case .tooFewFrames: "the face or eyes were not seen while a target was shown"
        case .targetsNotSeparated: "the eyes did not follow the targets"
        case .tooNoisy(let rms): "the gaze was too unsteady (\(Int(rms.rounded())) degrees)"
        case .implausibleGain: "the eyes did not follow the targets"
        }
    }

    /// A short name for result files.
    public var name: String {
        switch self {
        case .tooFewFrames: "too_few_frames"
        case .targetsNotSeparated: "targets_not_separated"
        case .tooNoisy: "too_noisy"
        case .implausibleGain: "implausible_gain"
        }
    }
}

/// Least-squares fit of a `GazeCalibration` to frames whose target is known, with sanity checks.
///
/// The fit runs on each target's median features (per term), weighted by its frame count: fitting the
/// noisy frames themselves would shrink the gains (noise in the features, "regression dilution": about 1
/// degree of error at the bottom row with the ZJU clips' noise, in `gazetop evaluate --challenge`'s honest
/// tracks), while a centre keeps a linear mapping exact; the median rather than the mean, because a few
/// frames caught mid-blink or by a bad iris fit are tens of degrees off (honest BPCER with the short
/// calibration, 400 simulated people: 0.018 with means, 0.010 with medians). Each angle is fitted on its own: minimise the
/// squared error plus a pull towards the prior (the generic mapping) of `ridgeWeight` per frame for each
/// coefficient, measured in the feature's typical spread, so a term the data hardly varies (the head, when
/// it stays still) keeps its generic coefficient instead of fitting noise. Coefficients not marked free
/// stay at the prior.
public struct CalibrationFit: Sendable {
    public struct Sample: Sendable, Equatable {
        public var target: GazeTarget
        public var features: GazeFeatures

        public init(target: GazeTarget, features: GazeFeatures) {
            self.target = target
            self.features = features
        }
    }

    /// Which coefficients a fit may change, per angle (order as in `GazeCalibration`).
    public struct FreeTerms: Sendable, Equatable {
        public var right: [Bool]
        public var up: [Bool]

        public init(right: [Bool], up: [Bool]) {
            self.right = right
            self.up = up
        }

        /// Every coefficient (the full calibration).
        public static let all = FreeTerms(right: [true, true, true, true, true], up: [true, true, true, true, true])
        /// Offset and the eye's own gain per angle, the head counting as in the prior: what three targets
        /// on a diagonal can tell (the short calibration of a challenge).
        public static let offsetAndEyeGain = FreeTerms(right: [true, true, false, false, false],
                                                       up: [true, false, true, false, false])
    }

    public struct Result: Sendable, Equatable {
        public var calibration: GazeCalibration
        /// Root-mean-square distance between each frame's estimate and its target, degrees, over the frames
        /// but the worst `CalibrationConfig.residualTrimShare`.
        public var rmsErrorDeg: Double
        public var frames: Int

        public init(calibration: GazeCalibration, rmsErrorDeg: Double, frames: Int) {
            self.calibration = calibration
            self.rmsErrorDeg = rmsErrorDeg
            self.frames = frames
        }
    }

    public let config: CalibrationConfig
    public let grid: ScreenGrid
    public let prior: GazeCalibration
    /// How far beyond its cell a target's look may land (`ChallengeConfig.hitMarginDeg`).
    public let hitMarginDeg: Double

    public init(config: CalibrationConfig = CalibrationConfig(), grid: ScreenGrid = ScreenGrid(),
                prior: GazeCalibration = .generic(), hitMarginDeg: Double = ChallengeConfig().hitMarginDeg) {
        self.config = config
        self.grid = grid
        self.prior = prior
        self.hitMarginDeg = hitMarginDeg
    }

    /// Fits and checks. `targets` lists every target that was shown, so a target with no frames at all is
    /// reported rather than silently left out.
    public func fit(_ samples: [Sample], targets: [GazeTarget], free: FreeTerms = .all) -> Swift.Result<Result, CalibrationProblem> {
        for target in targets {
            let n = samples.count { $0.target == target }
            if n < config.minFramesPerTarget { return .failure(.tooFewFrames(target, frames: n)) }
        }
        var rows: [[Double]] = [], goals: [GazeAngles] = [], weights: [Double] = []
        for target in targets {
            let mine = samples.filter { $0.target == target }.map { GazeCalibration.terms($0.features) }
            rows.append((0..<GazeCalibration.termCount).map { i in median(mine.map { $0[i] }) })
            goals.append(grid.direction(of: target))
            weights.append(Double(mine.count))
        }
        let spreads = [0, config.pupilOffsetXSpread, config.pupilOffsetYSpread, config.headYawSpreadDeg, config.headPitchSpreadDeg]
        let pulls = spreads.map { config.ridgeWeight * Double(samples.count) * $0 * $0 }
        guard let right = Self.solve(rows, goals.map(\.rightDeg), weights: weights, prior: prior.right, pulls: pulls, free: free.right),
              let up = Self.solve(rows, goals.map(\.upDeg), weights: weights, prior: prior.up, pulls: pulls, free: free.up) else {
            return .failure(.targetsNotSeparated(targets.first ?? .camera))
        }
        let calibration = GazeCalibration(right: right, up: up)
        return check(calibration, samples, targets: targets, centres: rows)
    }

    /// The sanity checks: each target's mean look on its target, a small error over the frames,
    /// plausible eye gains. `centres` are the targets' mean terms, in the order of `targets`.
    func check(_ c: GazeCalibration, _ samples: [Sample], targets: [GazeTarget], centres: [[Double]]) -> Swift.Result<Result, CalibrationProblem> {
        var squares: [Double] = []
        for (target, centre) in zip(targets, centres) {
            let goal = grid.direction(of: target)
            for s in samples where s.target == target {
                let a = c.angles(for: s.features)
                let dr = a.rightDeg - goal.rightDeg, du = a.upDeg - goal.upDeg
                squares.append(dr * dr + du * du)
            }
            let look = c.angles(terms: centre)
            let onTarget: Bool = switch target {
            case .camera: GazeAngles(rightDeg: look.rightDeg - goal.rightDeg, upDeg: look.upDeg - goal.upDeg).offAxisDeg
                <= config.cameraToleranceDeg
            case .cell(let n): grid.bounds(of: n).widened(by: hitMarginDeg).contains(look)
            }
            if !onTarget { return .failure(.targetsNotSeparated(target)) }
        }
        // Over the frames but the worst tenth: a frame caught mid-blink or by a bad iris fit is off by tens of
        // degrees, and a few of them must not outweigh the scatter of the rest.
        let kept = squares.sorted().prefix(max(1, Int((Double(squares.count) * (1 - config.residualTrimShare)).rounded())))
        let rms = (kept.reduce(0, +) / Double(max(kept.count, 1))).squareRoot()
        if rms > config.maxResidualDeg { return .failure(.tooNoisy(rmsDeg: rms)) }
        // Each eye gain against the generic one: same sign, within the factor.
        for (fitted, generic) in [(c.right[1], prior.right[1]), (c.up[2], prior.up[2])] where generic != 0 {
            let factor = fitted / generic
            if factor <= 0 || factor > config.maxGainFactor || factor < 1 / config.maxGainFactor {
                return .failure(.implausibleGain(factor: factor))
            }
        }
        return .success(Result(calibration: c, rmsErrorDeg: rms, frames: samples.count))
    }

    /// Weighted ridge least squares for one angle: (XᵀWX + P) w = XᵀWy + P p over the free coefficients,
    /// the others fixed at the prior. Nil when the system is singular (nothing varies that the fit could
    /// use).
    static func solve(_ rows: [[Double]], _ y: [Double], weights: [Double], prior: [Double], pulls: [Double],
                      free: [Bool]) -> [Double]? {
        let index = free.indices.filter { free[$0] }
        let fixed = free.indices.filter { !free[$0] }
        let n = index.count
        var a = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        var b = [Double](repeating: 0, count: n)
        for ((row, target), weight) in zip(zip(rows, y), weights) {
            // What the fixed terms explain is taken off the target first.
            var rest = target
            for j in fixed { rest -= prior[j] * row[j] }
            for (p, i) in index.enumerated() {
                b[p] += weight * row[i] * rest
                for (q, k) in index.enumerated() { a[p][q] += weight * row[i] * row[k] }
            }
        }
        for (p, i) in index.enumerated() {
            a[p][p] += pulls[i]
            b[p] += pulls[i] * prior[i]
        }
        guard let solution = LinearSystem.solve(a, b) else { return nil }
        var w = prior
        for (p, i) in index.enumerated() { w[i] = solution[p] }
        return w
    }
}

/// Small dense linear systems, by Gaussian elimination with partial pivoting.
enum LinearSystem {
    /// Solves a x = b; nil when `a` is singular (a pivot below 1e-12 of the matrix's scale).
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        var m = a, v = b
        let n = v.count
        let scale = max(m.flatMap { $0 }.map(abs).max() ?? 0, 1e-300)
        for col in 0..<n {
            guard let pivot = (col..<n).max(by: { abs(m[$0][col]) < abs(m[$1][col]) }),
                  abs(m[pivot][col]) > 1e-12 * scale else { return nil }
            m.swapAt(col, pivot)
            v.swapAt(col, pivot)
            for r in (col + 1)..<n {
                let f = m[r][col] / m[col][col]
                if f == 0 { continue }
                for c in col..<n { m[r][c] -= f * m[col][c] }
                v[r] -= f * v[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = v[r]
            for c in (r + 1)..<n { s -= m[r][c] * x[c] }
            x[r] = s / m[r][r]
        }
        return x
    }
}
