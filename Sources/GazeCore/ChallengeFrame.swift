/// What a challenge or a calibration needs to know of one frame: the record's judgement plus a few facts
/// about the picture itself (for the liveness checks). Built by the monitor from each frame as it is
/// processed; built by hand in tests.
public struct ChallengeFrame: Sendable, Equatable {
    /// Stream time in milliseconds.
    public var timeMs: Double
    /// A face is being followed.
    public var face: Bool
    /// How many faces the last detection found.
    public var faces: Int
    /// The gaze features, when a face's eyes and pose were measured.
    public var features: GazeFeatures?
    /// The eyes are open (not in a blink, not closed): only then does the pupil say where they look.
    public var eyesOpen: Bool
    /// Blinks so far in the stream (as the record counts them).
    public var blinkCount: Int
    /// Mean grey level of the frame, 0-255.
    public var frameLevel: Double
    /// Width of the followed face in pixels.
    public var faceWidthPixels: Double?
    /// A digest of the frame's pixels: equal digests mean identical frames.
    public var digest: UInt64
    /// How far the face's landmarks moved since the previous frame, leaving out the face's move as a
    /// whole: the mean distance of each landmark from where the previous frame's landmarks, shifted by
    /// the change of their centroid, put it, over the distance between the outer eye corners. Nil without a
    /// face in both frames.
    public var landmarkMotion: Double?
    /// The followed face's 68 landmarks, for the checks that look at the face's shape over time (planar
    /// motion, the blink's profile). Nil without a face.
    public var landmarks: Landmarks?

    public init(timeMs: Double, face: Bool, faces: Int, features: GazeFeatures?, eyesOpen: Bool, blinkCount: Int,
                frameLevel: Double, faceWidthPixels: Double?, digest: UInt64, landmarkMotion: Double?,
                landmarks: Landmarks? = nil) {
        self.timeMs = timeMs
        self.face = face
        self.faces = faces
        self.features = features
        self.eyesOpen = eyesOpen
        self.blinkCount = blinkCount
        self.frameLevel = frameLevel
        self.faceWidthPixels = faceWidthPixels
        self.digest = digest
        self.landmarkMotion = landmarkMotion
        self.landmarks = landmarks
    }

    /// The mean landmark motion between two faces, as `landmarkMotion` defines it.
    public static func landmarkMotion(from previous: Landmarks, to current: Landmarks) -> Double {
        let n = Double(Landmarks.count)
        var pc = Point(x: 0, y: 0), cc = Point(x: 0, y: 0)
        for (p, c) in zip(previous.points, current.points) {
            pc = pc + p * (1 / n)
            cc = cc + c * (1 / n)
        }
        let shift = cc - pc
        var sum = 0.0
        for (p, c) in zip(previous.points, current.points) { sum += c.distance(to: p + shift) }
        return sum / n / max(current.interocularDistance, 1e-6)
    }
}
