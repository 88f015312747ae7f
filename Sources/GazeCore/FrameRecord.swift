/// One frame's result, as `analyze` writes it and the live monitor publishes it.
///
/// The first fields keep the original eye-tracking server's names so its clients read ours. With no face,
/// every eye and gaze field is nil (written as null), never zeros that look like measurements.
public struct FrameRecord: Sendable, Equatable {
    /// Stream time in milliseconds.
    public var t: Double
    public var earLeft: Double?
    public var earRight: Double?
    /// True while the eyes are in a blink.
    public var blink: Bool
    public var eyeContact: Bool
    /// Share of the last `EyeContactConfig.windowMs` spent in eye contact, 0...1 (a fraction, as the
    /// original eye-tracking server sent it; the dashboard shows it as a percentage).
    public var eyeContactPct: Double
    /// [right, up], each -1...1; [0, 0] is looking at the camera.
    public var gazeVector: [Double]?
    /// Confidence in this frame's eye measures, 0...1 (0 with no face).
    public var conf: Double

    public var frame: Int
    public var face: Bool
    public var faces: Int
    public var blinkCount: Int
    /// open, blink, closed (longer than a blink) or unknown (no face).
    public var eyes: EyeState
    public var headPose: HeadPose?
    /// Pupil centres in image pixels.
    public var pupilLeft: Point?
    public var pupilRight: Point?
    /// Vision's time on this frame (detection, landmarks, eyes, head pose), milliseconds: the same in the
    /// live and the confirmed copy. The metrics after it take microseconds (see the pipeline's timing).
    public var ms: Double

    /// Raw measures for tuning (`--raw`): what the judgement above was made from.
    public var raw: RawMeasures?

    public init(t: Double, earLeft: Double?, earRight: Double?, blink: Bool, eyeContact: Bool,
                eyeContactPct: Double, gazeVector: [Double]?, conf: Double, frame: Int, face: Bool, faces: Int,
                blinkCount: Int, eyes: EyeState, headPose: HeadPose?, pupilLeft: Point?, pupilRight: Point?,
                ms: Double, raw: RawMeasures?) {
        self.t = t
        self.earLeft = earLeft
        self.earRight = earRight
        self.blink = blink
        self.eyeContact = eyeContact
        self.eyeContactPct = eyeContactPct
        self.gazeVector = gazeVector
        self.conf = conf
        self.frame = frame
        self.face = face
        self.faces = faces
        self.blinkCount = blinkCount
        self.eyes = eyes
        self.headPose = headPose
        self.pupilLeft = pupilLeft
        self.pupilRight = pupilRight
        self.ms = ms
        self.raw = raw
    }
}

/// The unjudged numbers behind a record, for a developer tuning gazetop to a camera, room or face.
public struct RawMeasures: Sendable, Equatable {
    /// Openness relative to the person's open eyes (1 = as open as usual), as the blink detector saw it.
    public var openness: Double
    /// The person's open-eye Eye Aspect Ratio, and the EAR under which a closure starts.
    public var openAspectRatio: Double?
    public var closingAspectRatio: Double?
    /// Mean visible iris height of the two eyes, in eye widths.
    public var irisHeight: Double
    public var contrastLeft: Double
    public var contrastRight: Double
    public var pupilOffsetLeft: Point
    public var pupilOffsetRight: Point
    public var gazeRightDeg: Double?
    public var gazeUpDeg: Double?
    public var faceWidth: Double
    public var frameLevel: Double

    public init(openness: Double, openAspectRatio: Double?, closingAspectRatio: Double?, irisHeight: Double,
                contrastLeft: Double, contrastRight: Double, pupilOffsetLeft: Point, pupilOffsetRight: Point,
                gazeRightDeg: Double?, gazeUpDeg: Double?, faceWidth: Double, frameLevel: Double) {
        self.openness = openness
        self.openAspectRatio = openAspectRatio
        self.closingAspectRatio = closingAspectRatio
        self.irisHeight = irisHeight
        self.contrastLeft = contrastLeft
        self.contrastRight = contrastRight
        self.pupilOffsetLeft = pupilOffsetLeft
        self.pupilOffsetRight = pupilOffsetRight
        self.gazeRightDeg = gazeRightDeg
        self.gazeUpDeg = gazeUpDeg
        self.faceWidth = faceWidth
        self.frameLevel = frameLevel
    }
}
