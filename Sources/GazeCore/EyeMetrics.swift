/// The per-frame judgement: from what vision saw to a `FrameRecord`. One per stream; feed frames in order.
///
/// Every frame gets a record at once (`update`), the newest word for a live display. Whether a closure
/// of the eyes was a blink is known only when it ends, so the frames of a closure are held back and come
/// out of `takeConfirmed()` once judged, with their final `blink` and `eyes`; other frames come out at
/// once. Files and scripts read the confirmed stream: it lags the live one only during a closure (at most
/// `BlinkConfig.maxMovementMs`).
public struct EyeMetrics: Sendable {
    public private(set) var config: GazeConfig
    public private(set) var blinks: BlinkDetector
    private var gaze: GazeEstimator
    private var contact: EyeContactJudge
    private var contactShare: RollingRatio
    /// Records of the closure being judged.
    private var pending: [FrameRecord] = []
    /// Records whose every field is final, in stream order.
    private var confirmed: [FrameRecord] = []

    /// The person's gaze mapping, if calibrated (see `GazeEstimator`).
    public private(set) var calibration: GazeCalibration?

    public init(config: GazeConfig = GazeConfig(), calibration: GazeCalibration? = nil) {
        self.config = config
        self.calibration = calibration
        blinks = BlinkDetector(config: config.blink)
        gaze = GazeEstimator(config: config.gaze, calibration: calibration)
        contact = EyeContactJudge(config: config.eyeContact)
        contactShare = RollingRatio(windowMs: config.eyeContact.windowMs)
    }

    /// Starts afresh (a new stream, or the user's reset): blink count, eye-contact share, baselines.
    /// Records not yet taken are dropped.
    public mutating func reset() {
        self = EyeMetrics(config: config, calibration: calibration)
    }

    /// Changes the eye-contact cone from the next frame on (the dashboard's `+` and `-`), keeping the
    /// ratio of the leaving cone to the entering one. Blinks, baselines and shares carry on.
    public mutating func setEyeContactCone(enterDeg: Double) {
        var c = config.eyeContact
        c.leaveConeDeg = enterDeg * c.leaveConeDeg / c.enterConeDeg
        c.enterConeDeg = enterDeg
        config.eyeContact = c
        contact = EyeContactJudge(config: c)
    }

    /// Uses `calibration` for the gaze from the next frame on (a calibration made while the monitor runs).
    /// Blinks, shares and eye contact carry on; the gaze's smoothing starts afresh.
    public mutating func setCalibration(_ calibration: GazeCalibration?) {
        self.calibration = calibration
        gaze = GazeEstimator(config: config.gaze, calibration: calibration)
    }

    /// Judges one frame and returns its record as known now.
    public mutating func update(_ o: FrameObservation, includeRaw: Bool = false) -> FrameRecord {
        let face = o.face
        let openness = face.flatMap(EyeOpenness.init(face:))
        let step = blinks.update(timeMs: o.timeMs, openness: openness)
        let features = face.flatMap(GazeFeatures.init(face:))
        let angles = gaze.update(timeMs: o.timeMs, features: features)
        let inContact = contact.update(gaze: angles, eyesOpen: step.state == .open)
        let share = contactShare.add(timeMs: o.timeMs, on: inContact)

        var raw: RawMeasures?
        if includeRaw, let face, let openness {
            raw = RawMeasures(
                openness: step.openness ?? 1, openAspectRatio: blinks.openAspectRatio,
                closingAspectRatio: blinks.closingAspectRatio, irisHeight: openness.irisHeight,
                contrastLeft: face.leftEye.pupilContrast, contrastRight: face.rightEye.pupilContrast,
                pupilOffsetLeft: face.leftEye.pupilOffset, pupilOffsetRight: face.rightEye.pupilOffset,
                gazeRightDeg: angles?.rightDeg, gazeUpDeg: angles?.upDeg, faceWidth: face.box.width,
                frameLevel: o.frameLevel)
        }
        let record = FrameRecord(
            t: o.timeMs, earLeft: face?.leftEye.aspectRatio, earRight: face?.rightEye.aspectRatio,
            blink: step.state == .blink, eyeContact: inContact, eyeContactPct: share,
            gazeVector: angles.map(gaze.vector), conf: face.map { confidence($0, eyes: step.state) } ?? 0,
            frame: o.frame, face: face != nil, faces: o.faceCount, blinkCount: blinks.count, eyes: step.state,
            headPose: face?.headPose, pupilLeft: face?.leftEye.pupil, pupilRight: face?.rightEye.pupil,
            ms: o.visionMs, raw: raw)

        if let verdict = step.verdict { settlePending(verdict) }
        if step.awaitingVerdict { pending.append(record) } else { confirmed.append(record) }
        return record
    }

    /// Records whose judgement is final, in stream order, since the last call.
    public mutating func takeConfirmed() -> [FrameRecord] {
        defer { confirmed.removeAll(keepingCapacity: true) }
        return confirmed
    }

    /// Ends the stream: judges a closure still under way and returns every record not yet taken.
    public mutating func finish() -> [FrameRecord] {
        if let verdict = blinks.finish() { settlePending(verdict) }
        confirmed += pending
        pending.removeAll()
        return takeConfirmed()
    }

    /// Gives the held-back frames of a closure their final state and releases them.
    private mutating func settlePending(_ verdict: ClosureVerdict) {
        for var r in pending {
            r.eyes = verdict.state
            r.blink = verdict.state == .blink
            r.blinkCount = blinks.count
            confirmed.append(r)
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// How far to trust this frame's eye measures: a face big enough to see the eyes, eyes open, and a
    /// pupil that stands out. Each factor is 0...1; the product is the confidence.
    private func confidence(_ face: FaceObservation, eyes: EyeState) -> Double {
        let eyeWidth = (face.leftEye.points.width + face.rightEye.points.width) / 2
        let size = min(1, max(0, (eyeWidth - 8) / 16)) // 8 px wide eyes are hopeless, 24 px are plenty
        let open = eyes == .open ? 1.0 : 0.3
        let contrast = min(1, (face.leftEye.pupilContrast + face.rightEye.pupilContrast) / 2 / 0.4)
        return size * open * (0.5 + 0.5 * contrast)
    }
}
