/// Every threshold and duration gazetop decides with, in one place, with units in the names.
/// The defaults are the product's; the README lists them, and tests pin the behaviour they give.
public struct GazeConfig: Sendable, Equatable {
    public var tracking = TrackingConfig()
    public var blink = BlinkConfig()
    public var gaze = GazeEstimateConfig()
    public var eyeContact = EyeContactConfig()
    public var dashboard = DashboardConfig()

    public init() {}
}

/// When to run the (expensive) face detector and when to trust the face followed from the last frame.
public struct TrackingConfig: Sendable, Equatable {
    /// A full detection at least this often, to see new faces, keep the face count true, and re-anchor the
    /// landmarks (a face that is lost or jumps is detected afresh at once, whatever this says). Measured on
    /// the ZJU clips: every 30 frames lets the followed box drift and costs blink precision (FBN F1 0.875
    /// against 0.932 at 10).
    public var redetectEveryFrames = 10
    /// With N > 0, face detection runs on a queue of its own and its answer for frame N is taken at frame
    /// N + lag: the periodic re-detection of a followed face, and the search for a face while none is
    /// followed (the frames in between report no face). A followed face that is lost is first looked for
    /// around its last place in line (`nearDetectionMargin`), which costs a fraction of a full scan.
    /// 0 runs every detection in line: the frame waits for the scan. Files use this value (all cores are
    /// busy decoding and fitting anyway, so a detection thread only competes); live capture uses
    /// `liveDetectionLagFrames`.
    public var detectionLagFrames = 0
    /// The lag for a live camera, where a frame waiting for a full scan (25-70 ms at 640x480) holds up the
    /// screen and makes capture drop frames. Measured with `gazetop evaluate --detection-lag N` on the ZJU
    /// clips: lags 1 and 2 give the same blink F1 as in line (0.966), 3 and 4 lose about 0.02 (the face is
    /// re-anchored later). 2 frames leave a scan 67 ms at 30 fps.
    public var liveDetectionLagFrames = 2
    /// Detection runs on a copy whose longer side is at most this (HOG finds faces from about 80 px).
    public var detectionMaxSidePixels = 640
    /// Faces scoring at least this with dlib's HOG detector count (dlib's own cut is 0). Below 0 finds
    /// faces seen from below or in poor light; on the no-face frames of the test data nothing scores
    /// above -0.7.
    public var detectionMinScore = -0.4
    /// A followed face whose fit stops looking plausible is looked for again around its last box first,
    /// grown by this fraction of its size on each side (a full scan only if it is not there).
    public var nearDetectionMargin = 0.5
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

/// What the live dashboard shows and when it warns. The warnings are advice for people (light, framing),
/// not judgements that records depend on.
public struct DashboardConfig: Sendable, Equatable {
    /// The eye-contact timeline covers this much stream time, one slot per second.
    public var timelineSeconds = 60
    /// Samples of each eye's EAR kept for its history line (at 30 fps, 4 s).
    public var earHistoryFrames = 120
    /// A picture whose mean grey level (0-255) is under this is too dark for the eyes to be measured well...
    public var tooDarkLevel = 45.0
    /// ...and over this too bright (washed out).
    public var tooBrightLevel = 215.0
    /// A face narrower than this (pixels) leaves eyes too few pixels wide for pupils and lids (the eye
    /// measures' confidence falls to 0 at 8 px wide eyes, a sixth of the face).
    public var smallFaceWidthPixels = 90.0
    /// A resting adult blinks roughly 10-20 times a minute; rates outside these far limits are pointed out.
    public var typicalBlinksPerMinute = 10.0...20.0
    public var lowBlinksPerMinute = 5.0
    public var highBlinksPerMinute = 35.0
    /// `+` and `-` narrow and widen the eye-contact cone by this much, within these limits.
    public var coneStepDeg = 1.0
    public var minConeDeg = 3.0
    public var maxConeDeg = 30.0
    /// How often the screen is redrawn from the newest snapshot.
    public var refreshHz = 20.0
    /// A message in the status line stays this long.
    public var messageSeconds = 4.0
    /// The camera preview is a copy at most this many pixels wide and tall, made only while it is shown.
    public var previewMaxWidthPixels = 128
    public var previewMaxHeightPixels = 96

    public init() {}
}
