/// The per-frame judgement: from what vision saw to a `FrameRecord`. One per stream; feed frames in order.
public struct EyeMetrics: Sendable {
    public let config: GazeConfig
    public private(set) var blinks: BlinkDetector
    private var gaze: GazeEstimator
    private var contact: EyeContactJudge
    private var contactShare: RollingRatio

    public init(config: GazeConfig = GazeConfig()) {
        self.config = config
        blinks = BlinkDetector(config: config.blink)
        gaze = GazeEstimator(config: config.gaze)
        contact = EyeContactJudge(config: config.eyeContact)
        contactShare = RollingRatio(windowMs: config.eyeContact.windowMs)
    }

    /// Starts the statistics afresh (the `r` key): blink count, eye-contact share, baselines.
    public mutating func reset() {
        self = EyeMetrics(config: config)
    }

    /// The openness signal of one face: the mean Eye Aspect Ratio of the two eyes.
    public static func openness(of face: FaceObservation) -> Double? {
        guard let l = face.leftEye.aspectRatio, let r = face.rightEye.aspectRatio else { return nil }
        return (l + r) / 2
    }

    public mutating func update(_ o: FrameObservation, includeRaw: Bool = false) -> FrameRecord {
        let face = o.face
        let openness = face.flatMap(EyeMetrics.openness(of:))
        let eyes = blinks.update(timeMs: o.timeMs, openness: openness)
        let features = face.flatMap(GazeFeatures.init(face:))
        let angles = gaze.update(timeMs: o.timeMs, features: features)
        let inContact = contact.update(gaze: angles, eyesOpen: eyes == .open)
        let share = contactShare.add(timeMs: o.timeMs, on: inContact)

        var raw: RawMeasures?
        if includeRaw, let face, let openness {
            raw = RawMeasures(openness: openness, openLevel: blinks.openLevel, closeThreshold: blinks.closeThreshold,
                              irisLeft: face.leftEye.irisHeight, irisRight: face.rightEye.irisHeight,
                              contrastLeft: face.leftEye.pupilContrast, contrastRight: face.rightEye.pupilContrast,
                              pupilOffsetLeft: face.leftEye.pupilOffset, pupilOffsetRight: face.rightEye.pupilOffset,
                              gazeRightDeg: angles?.rightDeg, gazeUpDeg: angles?.upDeg, faceWidth: face.box.width,
                              frameLevel: o.frameLevel)
        }
        return FrameRecord(
            t: o.timeMs, earLeft: face?.leftEye.aspectRatio, earRight: face?.rightEye.aspectRatio,
            blink: eyes == .blink, eyeContact: inContact, eyeContactPct: share * 100,
            gazeVector: angles.map(gaze.vector), conf: face.map { confidence($0, eyes: eyes) } ?? 0,
            frame: o.frame, face: face != nil, faces: o.faceCount, blinkCount: blinks.count, eyes: eyes,
            headPose: face?.headPose, pupilLeft: face?.leftEye.pupil, pupilRight: face?.rightEye.pupil,
            ms: o.visionMs, raw: raw)
    }

    /// How far to trust this frame's eye measures: a face big enough to see the eyes, eyes open, and a
    /// pupil that stands out. Each factor is 0...1; the product is the confidence.
    private func confidence(_ face: FaceObservation, eyes: EyeState) -> Double {
        let eyeWidth = (face.leftEye.points.width + face.rightEye.points.width) / 2
        let size = min(1, max(0, (eyeWidth - 8) / 16)) // 8 px wide eyes are hopeless, 24 px are plenty
        let open = eyes == .open ? 1.0 : 0.3
        let contrast = min(1, (face.leftEye.pupilContrast + face.rightEye.pupilContrast) / 2 / 0.4)
        return (size * open * (0.5 + 0.5 * contrast) * 1000).rounded() / 1000
    }
}
