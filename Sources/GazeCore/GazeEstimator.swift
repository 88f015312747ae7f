#if canImport(Glibc)
import Glibc // exp() only: libm, no clock or I/O
#endif

/// A gaze direction as the person sees the screen: degrees to their right of the camera (x) and above it
/// (y). The camera is at (0, 0).
public struct GazeAngles: Hashable, Sendable {
    public var rightDeg: Double
    public var upDeg: Double

    public init(rightDeg: Double, upDeg: Double) {
        self.rightDeg = rightDeg
        self.upDeg = upDeg
    }

    /// Angle away from the camera direction.
    public var offAxisDeg: Double { (rightDeg * rightDeg + upDeg * upDeg).squareRoot() }
}

/// The gaze features of one frame, before any mapping: what calibration fits against.
public struct GazeFeatures: Hashable, Sendable {
    /// Mean pupil offset of the two eyes (see `EyeObservation.pupilOffset`), in the image's frame.
    public var pupilOffset: Point
    public var headPose: HeadPose

    public init(pupilOffset: Point, headPose: HeadPose) {
        self.pupilOffset = pupilOffset
        self.headPose = headPose
    }

    public init?(face: FaceObservation) {
        guard let pose = face.headPose else { return nil }
        self.init(pupilOffset: Self.binocular(face.leftEye.pupilOffset, face.rightEye.pupilOffset), headPose: pose)
    }

    /// The per-term median of features (robust to a stray frame); nil without any.
    public static func median(_ all: [GazeFeatures]) -> GazeFeatures? {
        guard !all.isEmpty else { return nil }
        return GazeFeatures(pupilOffset: Point(x: GazeCore.median(all.map(\.pupilOffset.x)), y: GazeCore.median(all.map(\.pupilOffset.y))),
                            headPose: HeadPose(yaw: GazeCore.median(all.map(\.headPose.yaw)), pitch: GazeCore.median(all.map(\.headPose.pitch)),
                                               roll: GazeCore.median(all.map(\.headPose.roll))))
    }

    /// Two eyes whose irises sit this far apart across (in half widths: about 16 degrees of eye turn) do
    /// not look at one point: the eyes turn together, and converging on a screen half a metre away turns
    /// each by 3-4 degrees. One of them was misread (a spectacle frame's rim or a corner's shadow).
    static let maxEyeDisagreementX = 0.2

    /// The two eyes' pupil offsets as one: their mean, or where they disagree, the eye whose iris sits
    /// nearer its opening's middle (a misread iris lands on a dark edge, where no iris looking at a
    /// screen goes).
    static func binocular(_ l: Point, _ r: Point) -> Point {
        guard abs(l.x - r.x) > maxEyeDisagreementX else { return Point.midpoint(l, r) }
        return abs(l.x) <= abs(r.x) ? l : r
    }
}

/// Gaze from the eyes' geometry, smoothed over time.
///
/// Uncalibrated, the eye model (`EyeModel`: the iris centre against the eyeball centre's projection);
/// with a calibration (`gazetop calibrate`), the person's own mapping from the same features.
public struct GazeEstimator: Sendable {
    public let config: GazeEstimateConfig
    /// The person's mapping, if calibrated.
    public let calibration: GazeCalibration?
    private var smoothed: GazeAngles?
    private var lastTimeMs: Double?

    public init(config: GazeEstimateConfig = GazeEstimateConfig(), calibration: GazeCalibration? = nil) {
        self.config = config
        self.calibration = calibration
    }

    public mutating func reset() {
        smoothed = nil
        lastTimeMs = nil
    }

    /// The raw (unsmoothed) angles for one frame's features.
    public func angles(for f: GazeFeatures) -> GazeAngles {
        if let calibration { return calibration.angles(for: f) }
        return config.eye.gaze(pupilOffset: f.pupilOffset, headYawDeg: f.headPose.yaw)
    }

    /// Feeds one frame; nil features (no face) end the smoothing run.
    public mutating func update(timeMs: Double, features: GazeFeatures?) -> GazeAngles? {
        guard let features else {
            reset()
            return nil
        }
        let raw = angles(for: features)
        defer { lastTimeMs = timeMs }
        guard let previous = smoothed, let last = lastTimeMs, config.smoothingMs > 0 else {
            smoothed = raw
            return raw
        }
        let dt = max(0, timeMs - last)
        let keep = exp(-dt / config.smoothingMs)
        let next = GazeAngles(rightDeg: keep * previous.rightDeg + (1 - keep) * raw.rightDeg,
                              upDeg: keep * previous.upDeg + (1 - keep) * raw.upDeg)
        smoothed = next
        return next
    }

    /// `gazeVector` of the record: the angles scaled so `fullScaleDeg` is 1, each clamped to -1...1.
    public func vector(_ a: GazeAngles) -> [Double] {
        [max(-1, min(1, a.rightDeg / config.fullScaleDeg)), max(-1, min(1, a.upDeg / config.fullScaleDeg))]
    }
}

/// Looking at the camera or not, with hysteresis so the answer does not flicker at the cone's edge.
public struct EyeContactJudge: Sendable {
    public let config: EyeContactConfig
    public private(set) var inContact = false

    public init(config: EyeContactConfig = EyeContactConfig()) {
        self.config = config
    }

    public mutating func reset() { inContact = false }

    /// Eye contact needs a gaze (a face) and open eyes; then the cone decides, wider to stay than to enter.
    public mutating func update(gaze: GazeAngles?, eyesOpen: Bool) -> Bool {
        guard let gaze, eyesOpen else {
            inContact = false
            return false
        }
        let cone = inContact ? config.leaveConeDeg : config.enterConeDeg
        inContact = gaze.offAxisDeg <= cone
        return inContact
    }
}
