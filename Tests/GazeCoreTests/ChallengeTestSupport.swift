import GazeCore

/// A deterministic generator for tests (SplitMix64), so a "random" sequence is the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A person in front of the camera, scripted frame by frame: where they look (a gaze direction in the
/// grid's degrees) becomes gaze features through the generic mapping with the head still, so a generic
/// calibration reads the gaze back exactly.
struct ScriptedPerson {
    var grid = ScreenGrid()
    /// Stream time between frames.
    var frameMs = 50.0

    /// Features for looking in direction `g` with the head straight: pupil offsets from the generic mapping.
    static func features(looking g: GazeAngles, config: GazeEstimateConfig = GazeEstimateConfig()) -> GazeFeatures {
        GazeFeatures(pupilOffset: Point(x: config.eye.centreX - g.rightDeg / config.eye.degreesPerOffsetX,
                                        y: config.eye.centreY - g.upDeg / config.eye.degreesPerOffsetY),
                     headPose: HeadPose(yaw: 0, pitch: 0, roll: 0))
    }

    /// One frame of a single, lit, open-eyed face looking at `g`, with a fresh digest and some motion.
    static func frame(at timeMs: Double, looking g: GazeAngles?, blinks: Int = 0, index: Int) -> ChallengeFrame {
        ChallengeFrame(timeMs: timeMs, face: g != nil, faces: g != nil ? 1 : 0, features: g.map { features(looking: $0) },
                       eyesOpen: g != nil, blinkCount: blinks, frameLevel: 120, faceWidthPixels: g != nil ? 150 : nil,
                       digest: UInt64(index + 1), landmarkMotion: g != nil ? 0.01 : nil)
    }
}
