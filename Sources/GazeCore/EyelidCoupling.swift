#if canImport(Glibc)
import Glibc // sin: libm only
#endif

extension EyePoints {
    /// How low the upper lid sits: the mean signed distance of its two points (1 and 2) from the line
    /// between the corners, in eye widths, below (+) or above (-) it, as `EyeObservation.pupilOffset` measures
    /// the pupil. Nil for a degenerate eye.
    public var upperLidOffset: Double? {
        guard let one = offset(of: points[1]), let two = offset(of: points[2]) else { return nil }
        return (one.y + two.y) / 2
    }
}

extension Landmarks {
    /// The two eyes' mean `EyePoints.upperLidOffset`; nil if either eye is degenerate.
    public var upperLidOffset: Double? {
        guard let l = leftEye.upperLidOffset, let r = rightEye.upperLidOffset else { return nil }
        return (l + r) / 2
    }
}

/// "The lids go with the eyes": when a person looks down, the upper lid comes down with the eye (and rises
/// when they look up), about as far as the iris moves, because the lid's elevator is coupled to the eye's
/// elevator (see `EyelidConfig` for the numbers). An attacker who moves the irises of a recording inside
/// its eye openings (an iris warp), or turns a picture, leaves the lids where they were.
///
/// For each target the person was asked to look at (the short calibration's points and the sequence's
/// cells), the median vertical iris offset (`EyeInHead.offset`) and the median upper-lid offset
/// (`Landmarks.upperLidOffset`), both against the camera look, give one pair; the lid's share of the iris
/// move is the least-squares slope through the origin, sum(lid * iris) / sum(iris^2), over the targets.
/// Judged only when the targets ask for enough vertical gaze.
public struct EyelidTally: Sendable {
    public let config: EyelidConfig
    public let eye: EyeModel
    /// The camera look's vertical iris and upper-lid offsets (the neutral), once known.
    public private(set) var neutral: (iris: Double, lid: Double)?
    private var targets: [(upDeg: Double, iris: [Double], lid: [Double])] = []

    public init(config: EyelidConfig = EyelidConfig(), eye: EyeModel = EyeModel()) {
        self.config = config
        self.eye = eye
    }

    /// Sets the neutral from the camera look's open-eye frames (their medians).
    public mutating func setNeutral(_ look: [(features: GazeFeatures, landmarks: Landmarks?)]) {
        let pairs = look.compactMap { l in l.landmarks?.upperLidOffset.map { (EyeInHead.offset(l.features).y, $0) } }
        guard !pairs.isEmpty else { return }
        neutral = (median(pairs.map(\.0)), median(pairs.map(\.1)))
    }

    /// Starts a new target at `direction` (degrees from the camera, as `ScreenGrid.direction(of:)` gives).
    public mutating func begin(direction: GazeAngles) { targets.append((direction.upDeg, [], [])) }

    /// Adds an open-eye frame to the current target (a frame the target's gaze counts on).
    public mutating func add(_ features: GazeFeatures, landmarks: Landmarks?) {
        guard !targets.isEmpty, let lid = landmarks?.upperLidOffset else { return }
        targets[targets.count - 1].iris.append(EyeInHead.offset(features).y)
        targets[targets.count - 1].lid.append(lid)
    }

    /// Per target with frames: its vertical angle, and the median iris and lid moves from the camera look.
    private var moves: [(upDeg: Double, iris: Double, lid: Double)] {
        guard let neutral else { return [] }
        return targets.compactMap { t in
            t.iris.isEmpty ? nil : (t.upDeg, median(t.iris) - neutral.iris, median(t.lid) - neutral.lid)
        }
    }

    /// The targets' root-mean-square vertical angle: how much looking up and down the session asked for.
    public var verticalRMSDeg: Double {
        let m = moves
        guard !m.isEmpty else { return 0 }
        return (m.map { $0.upDeg * $0.upDeg }.reduce(0, +) / Double(m.count)).squareRoot()
    }

    /// Judged when the targets ask for at least `minVerticalRMSDeg` of vertical gaze.
    public var judged: Bool { neutral != nil && verticalRMSDeg >= config.minVerticalRMSDeg }

    /// The irises' root-mean-square vertical move over what the generic eye would make for the targets'
    /// vertical angles (1: they moved as a generic eye turning alone would; a person whose head does part
    /// of the work moves them less).
    public var irisMoveShare: Double {
        let m = moves
        let expected = m.map { eye.pupilRadius * sin($0.upDeg * .pi / 180) }
        let e2 = expected.map { $0 * $0 }.reduce(0, +)
        guard e2 > 0 else { return 0 }
        return (m.map { $0.iris * $0.iris }.reduce(0, +) / e2).squareRoot()
    }

    /// The upper lid's move as a share of the iris's (the slope through the origin); nil when the irises
    /// did not move at all.
    public var lidShare: Double? {
        let m = moves
        let ii = m.map { $0.iris * $0.iris }.reduce(0, +)
        guard ii > 0 else { return nil }
        return m.map { $0.iris * $0.lid }.reduce(0, +) / ii
    }

    /// Passes when not judged; else the irises must have moved (`minIrisMoveShare`) and the lids with them
    /// (`minLidShare`).
    public var passed: Bool {
        guard judged else { return true }
        return irisMoveShare >= config.minIrisMoveShare && (lidShare ?? 0) >= config.minLidShare
    }
}
