/// What the vision stage saw of one eye, beyond its landmarks: measures taken from the eye patch itself.
public struct EyeObservation: Hashable, Sendable {
    public var points: EyePoints
    /// Pupil centre in image pixels.
    public var pupil: Point
    /// How clearly the dark iris stands out from the skin, 0...1.
    public var pupilContrast: Double
    /// Visible height of the dark iris as a fraction of the eye's width (near 0 when the lid covers it).
    public var irisHeight: Double
    /// Mean grey level of the eye patch, 0...255.
    public var meanLevel: Double

    public init(points: EyePoints, pupil: Point, pupilContrast: Double, irisHeight: Double,
                meanLevel: Double) {
        self.points = points
        self.pupil = pupil
        self.pupilContrast = pupilContrast
        self.irisHeight = irisHeight
        self.meanLevel = meanLevel
    }

    /// Eye Aspect Ratio from the landmarks.
    public var aspectRatio: Double? { points.aspectRatio }

    /// Pupil position relative to the eye (`EyePoints.offset(of:)`): x from -1 (at the image-left corner) to
    /// 1 (at the image-right corner), y in eye widths below (+) or above (-) the corner line; the middle
    /// for a degenerate eye.
    public var pupilOffset: Point { points.offset(of: pupil) ?? Point(x: 0, y: 0) }
}

/// Head orientation in degrees. Yaw > 0: the face turns towards the image's right; pitch > 0: it tilts up;
/// roll > 0: it leans clockwise on screen.
public struct HeadPose: Hashable, Sendable, Codable {
    public var yaw: Double
    public var pitch: Double
    public var roll: Double

    public init(yaw: Double, pitch: Double, roll: Double) {
        self.yaw = yaw
        self.pitch = pitch
        self.roll = roll
    }
}

/// One face as the vision stage saw it in one frame.
public struct FaceObservation: Hashable, Sendable {
    public var box: Box
    public var landmarks: Landmarks
    public var leftEye: EyeObservation
    public var rightEye: EyeObservation
    public var headPose: HeadPose?

    public init(box: Box, landmarks: Landmarks, leftEye: EyeObservation, rightEye: EyeObservation,
                headPose: HeadPose?) {
        self.box = box
        self.landmarks = landmarks
        self.leftEye = leftEye
        self.rightEye = rightEye
        self.headPose = headPose
    }
}

/// Everything the vision stage hands to GazeCore for one frame. Time comes in here, never from a clock.
public struct FrameObservation: Hashable, Sendable {
    /// 0-based frame number in the stream.
    public var frame: Int
    /// Stream time in milliseconds (from the container or the driver's capture timestamp).
    public var timeMs: Double
    /// The frame's size in pixels.
    public var imageWidth: Int
    public var imageHeight: Int
    /// How many faces the last detection found (the tracked one included).
    public var faceCount: Int
    /// The face being followed (the largest), if any.
    public var face: FaceObservation?
    /// Mean grey level of the whole frame, 0...255, for exposure warnings.
    public var frameLevel: Double
    /// Time the vision stage spent on this frame, in milliseconds.
    public var visionMs: Double

    public init(frame: Int, timeMs: Double, imageWidth: Int, imageHeight: Int, faceCount: Int,
                face: FaceObservation?, frameLevel: Double, visionMs: Double) {
        self.frame = frame
        self.timeMs = timeMs
        self.imageWidth = imageWidth
        self.imageHeight = imageHeight
        self.faceCount = faceCount
        self.face = face
        self.frameLevel = frameLevel
        self.visionMs = visionMs
    }
}
