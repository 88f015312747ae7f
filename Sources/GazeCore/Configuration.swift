/// Every threshold and duration gazetop decides with, in one place, with units in the names.
/// The defaults are the product's; the README lists them, and tests pin the behaviour they give.
public struct GazeConfig: Sendable, Equatable {
    public var tracking = TrackingConfig()
    public var blink = BlinkConfig()
    public var gaze = GazeEstimateConfig()
    public var eyeContact = EyeContactConfig()

    public init() {}
}

/// When to run the (expensive) face detector and when to trust the face followed from the last frame.
public struct TrackingConfig: Sendable, Equatable {
    /// A detection at least this often, to re-anchor the landmarks to the detector's box (a face that is
    /// lost or jumps is detected afresh at once, whatever this says). Measured on the ZJU clips: every 30
    /// frames lets the followed box drift and costs blink precision (FBN F1 0.875 against 0.932 at 10).
    public var redetectEveryFrames = 10
    /// A followed face's periodic re-detection looks only near it: the same box a full scan would give it
    /// (so blink results on the ZJU clips are unchanged, F1 0.966 whatever this value), for a third of the
    /// work at 1280x720 (6 ms instead of 19 ms in a C++ harness on videos/video00.mp4). Once this many frames
    /// have passed since the last scan of the whole picture, the next re-detection scans it all instead,
    /// to notice other faces (a larger one is then followed) and count them: 60 frames is 2 s at 30 fps.
    public var fullScanEveryFrames = 60
    /// The near re-detection looks for the face's centre within this fraction of its size beyond the box
    /// tracked from the landmarks...
    public var nearSearchReachFraction = 0.3
    /// ...at sizes from 1/ratio to ratio times its size at its last detection. With 0.3 and 2, a harness
    /// searching near each face's box of the frame before got the full scan's box and score every time on
    /// the five shared videos and the 40 ZJU clips (6,987 searches); with 1.5, 2 of them differed.
    /// When it finds nothing, the whole picture is scanned at once.
    public var nearSearchSizeRatio = 2.0
    /// With N > 0, while a face is followed, those re-detections run on a queue of their own and their
    /// answer is taken N frames later; 0 runs them in line (the frame waits for the scan). Measured: 3
    /// removes live capture's detection stalls (0 frames dropped at 30 fps instead of 7 in 10 s) at a cost
    /// in blink F1 on the ZJU clips (0.959 against 0.966) and in file throughput (the detection thread
    /// competes with decoding and vision for 2 cores), so files keep 0 for now.
    public var detectionLagFrames = 0
    /// Detection runs on a copy whose longer side is at most this (HOG finds faces from about 80 px).
    public var detectionMaxSidePixels = 640
    /// Faces scoring at least this with dlib's HOG detector count (dlib's own cut is 0). Below 0 finds
    /// faces seen from below or in poor light; on the no-face frames of the test data nothing scores
    /// above -0.7.
    public var detectionMinScore = -0.4
    /// A tracked face whose size changes by more than this fraction in one frame is detected afresh.
    public var maxTrackedSizeChange = 0.2
    /// A tracked face whose centre moves more than this fraction of its size in one frame is detected afresh.
    public var maxTrackedMove = 0.35

    public init() {}
}

/// What counts as a blink. Durations in milliseconds of stream time; fractions are of the person's own
/// open-eye level (see `BlinkDetector`).
public struct BlinkConfig: Sendable, Equatable {
    /// The lids must move for at least this long (shorter dips are measurement noise).
    public var minDurationMs = 50.0
    /// Deeply closed for longer than this is "eyes closed", not a blink.
    public var maxDurationMs = 500.0
    /// A closure whose whole lid movement takes longer than this is not a blink either (a long, shallow
    /// dip is a narrowed or downcast eye).
    public var maxMovementMs = 1000.0
    /// A gap in observations (a dropped frame) up to this long does not split or end a closure.
    public var maxGapMs = 70.0
    /// A closure starts below this fraction of the open-eye level...
    public var closeFraction = 0.8
    /// ...and ends above this one.
    public var reopenFraction = 0.85
    /// Below this fraction the eye counts as deeply closed (the part `maxDurationMs` limits).
    public var deepFraction = 0.65
    /// Weight of the eye patch's iris height beside the landmarks' Eye Aspect Ratio (0: EAR alone).
    public var irisWeight = 1.0
    /// The open-eye level is this percentile of a measure over the trailing window.
    public var baselinePercentile = 0.7
    public var baselineWindowMs = 5000.0

    public init() {}
}

/// How pupil position and head pose become a gaze direction.
public struct GazeEstimateConfig: Sendable, Equatable {
    /// Degrees of eye rotation per unit of pupil offset (1 = pupil at the eye corner).
    public var eyeYawDegPerOffset = 45.0
    /// Degrees of eye pitch per eye width of vertical pupil offset.
    public var eyePitchDegPerOffset = 120.0
    /// The gaze angle that maps to 1 (the edge) in `gazeVector`.
    public var fullScaleDeg = 40.0
    /// Exponential smoothing time constant for gaze, in milliseconds (0: none).
    public var smoothingMs = 60.0

    public init() {}
}

/// When the person counts as looking at the camera.
public struct EyeContactConfig: Sendable, Equatable {
    /// Gaze within this many degrees of the camera direction starts eye contact...
    public var enterConeDeg = 10.0
    /// ...and it ends only beyond this many (hysteresis against flicker).
    public var leaveConeDeg = 13.0
    /// Rolling window of `eyeContactPct`.
    public var windowMs = 30_000.0

    public init() {}
}
