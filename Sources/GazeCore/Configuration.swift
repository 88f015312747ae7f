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
    /// A full detection at least this often, to see new faces and keep the face count true.
    public var redetectEveryFrames = 10
    /// Detection runs on a copy whose longer side is at most this (HOG finds faces from about 80 px).
    public var detectionMaxSidePixels = 640
    /// A tracked face whose size changes by more than this fraction in one frame is detected afresh.
    public var maxTrackedSizeChange = 0.2
    /// A tracked face whose centre moves more than this fraction of its size in one frame is detected afresh.
    public var maxTrackedMove = 0.35

    public init() {}
}

/// What counts as a blink. Durations in milliseconds of stream time.
public struct BlinkConfig: Sendable, Equatable {
    /// Closures shorter than this are measurement noise, not blinks.
    public var minDurationMs = 50.0
    /// Closures longer than this are "eyes closed", not blinks.
    public var maxDurationMs = 500.0
    /// A gap in observations (a dropped frame) up to this long does not split or end a blink.
    public var maxGapMs = 70.0
    /// The eye is closing when openness falls below this fraction of the person's open-eye level...
    public var closeFraction = 0.75
    /// ...and open again when it rises above this fraction.
    public var reopenFraction = 0.85
    /// The open-eye level is this percentile of openness over the trailing window.
    public var baselinePercentile = 0.8
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
