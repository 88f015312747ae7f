/// Every threshold and duration gazetop decides with, in one place, with units in the names.
/// The defaults are the product's; the README lists them, and tests pin the behaviour they give.
public struct GazeConfig: Sendable, Equatable {
    public var tracking = TrackingConfig()
    public var blink = BlinkConfig()
    public var gaze = GazeEstimateConfig()
    public var eyeContact = EyeContactConfig()
    public var dashboard = DashboardConfig()
    public var screen = ScreenConfig()
    public var challenge = ChallengeConfig()
    public var liveness = LivenessConfig()
    public var calibration = CalibrationConfig()
    public var matching = MatchConfig()

    public init() {}
}

/// When to run the (expensive) face detector and when to trust the face followed from the last frame.
public struct TrackingConfig: Sendable, Equatable {
    /// A detection at least this often, to re-anchor the landmarks to the detector's box (a face that is
    /// lost or jumps is detected afresh at once, whatever this says). Measured on the ZJU clips: every 30
    /// frames lets the followed box drift and costs blink precision (FBN F1 0.875 against 0.932 at 10).
    public var redetectEveryFrames = 10
    /// A followed face's periodic re-detection in line (and its search after an implausible fit) looks only
    /// near it: the same box a full scan would give it
    /// (so blink results on the ZJU clips are unchanged, F1 0.966 whatever this value), for a third of the
    /// work at 1280x720 (6 ms instead of 19 ms in a C++ harness on videos/video00.mp4). Once this many frames
    /// have passed since the last scan of the whole picture, the next re-detection scans it all instead,
    /// to notice other faces (a larger one is then followed) and count them: 60 frames is 2 s at 30 fps.
    public var fullScanEveryFrames = 60
    /// Frames by which a stream's first periodic re-detection and first whole-picture re-scan come early,
    /// counted from when its face is first found; the later ones keep their period. 0 for files and
    /// cameras. Streams that start together would otherwise all detect on the same frames: `serve` gives its
    /// n-th WebSocket connection n, so the re-detections of many clients started at once spread over the
    /// frames instead of holding both vision workers together (README, "Serving").
    public var detectionStagger = 0
    /// The near re-detection looks for the face's centre within this fraction of its size beyond the box
    /// tracked from the landmarks...
    public var nearSearchReachFraction = 0.3
    /// ...at sizes from 1/ratio to ratio times its size at its last detection. With 0.3 and 2, a harness
    /// searching near each face's box of the frame before got the full scan's box and score every time on
    /// the five shared videos and the 40 ZJU clips (6,987 searches); with 1.5, 2 of them differed.
    /// When it finds nothing, the whole picture is scanned at once.
    public var nearSearchSizeRatio = 2.0
    /// With N > 0, face detection runs on a queue of its own and its answer for frame N is taken at frame
    /// N + lag: the periodic re-detection of a followed face, and the search for a face while none is
    /// followed (the frames in between report no face). A followed face whose fit turns implausible is
    /// first looked for near its last place in line (`nearDetectionMargin`), a fraction of a full scan.
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
    /// A followed face whose fit stops looking plausible is looked for again near its last place first:
    /// its centre within this fraction of its size beyond the box tracked from the landmarks, at the sizes
    /// of `nearSearchSizeRatio` (a full scan only if it is not there). Wider than the periodic search's
    /// reach: a fit turns implausible when the face moved or turned quickly.
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
    /// The eye's geometry, uncalibrated (see `EyeModel`).
    public var eye = EyeModel()
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
    /// ...and the warning goes only once the face is this much wider again: a face at the limit moves by a
    /// few pixels from frame to frame, which would flip the warning several times a second.
    public var smallFaceClearFactor = 1.1
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
    /// A challenge's or calibration's result stays on the screen this long, or until a key (a kiosk goes
    /// on by itself; a person at a terminal can leave at once).
    public var resultSeconds = 3.0
    /// The camera preview is a copy at most this many pixels wide and tall, made only while it is shown.
    public var previewMaxWidthPixels = 128
    public var previewMaxHeightPixels = 96

    public init() {}
}

/// The screen the challenge grid fills, as gazetop assumes it when nothing better is known: where the cells
/// are in degrees of gaze. A calibration learns the person's mapping to these angles, so a screen that
/// differs from this model mostly matters to an uncalibrated or briefly calibrated session.
///
/// The default is a 24-inch 16:9 monitor seen from 60 cm, with the webcam centred on its top edge: a cell
/// then spans 15-17 degrees across and 12-14 degrees down (a cell spans about 10-16 degrees on a normal
/// screen).
public struct ScreenConfig: Sendable, Equatable {
    public var widthCm = 53.0
    public var heightCm = 30.0
    /// From the person's eyes to the screen.
    public var viewingDistanceCm = 60.0
    /// The camera sits centred above the screen, this far above the screen's centre (half the height plus
    /// the bezel).
    public var cameraAboveCentreCm = 16.0
    /// The grid: cells are numbered left to right, top row first (1-3 on top, 4-6 below).
    public var columns = 3
    public var rows = 2

    public init() {}
}

/// How the liveness challenge runs and is scored. Durations in seconds of stream time.
public struct ChallengeConfig: Sendable, Equatable {
    /// Cells in a sequence, each shown for `areaDurationSeconds`.
    public var areaCount = 3
    public var areaDurationSeconds = 3.0
    /// Frames of a cell count from this long after it lit up (the eyes need time to get there).
    public var reactionSeconds = 0.6
    /// A frame is on target when its gaze falls in the cell grown by this on every side: near an edge, the
    /// estimate's own error should not count against the person, while a look at the next cell (15 degrees
    /// on) still lands well outside.
    public var hitMarginDeg = 2.0
    /// A pass needs at least this mean accuracy over the cells...
    public var passThreshold = 0.8
    /// ...and at least this accuracy in every cell.
    public var minCellAccuracy = 0.5
    /// What decides whether the gaze followed the sequence (see `ChallengeScoring`).
    public var scoring = ChallengeScoring.position
    /// Movement scoring: the gaze change from one cell to the next is right when it points within this
    /// cosine of the cells' direction...
    public var directionMinCosine = 0.7
    /// ...and covers at least this fraction of their distance.
    public var directionMinFraction = 0.5
    /// Exponential smoothing of the challenge's gaze, milliseconds (0: none).
    public var gazeSmoothingMs = 100.0
    /// A blink must be seen during the session.
    public var requireBlink = true

    /// Get ready: one face, lit and close enough, held this long, ends the phase...
    public var readyHoldSeconds = 1.0
    /// ...once the last this-long of it, looking at the camera, holds `CalibrationConfig.minFramesPerTarget`
    /// open-eye frames: the neutral look calibration starts from.
    public var cameraLookSeconds = 0.6
    /// ...and is steady: at least `cameraLookSteadyShare` of those frames turn the eyes in the head within
    /// `cameraLookSteadyDeg` of the frames' median (`EyeModel.eyeInHead`); only those frames are kept. A look
    /// that scatters more is no zero to calibrate from: an iris misread as the eye reopens after a blink,
    /// or a glance away, reads 15-40 degrees off, and a window half made of such frames shifted the median
    /// itself (a saved or the generic calibration recentred on it then missed every cell). The phase goes on
    /// until the newest window is steady. A real look's frame-to-frame scatter is 2-4 degrees (the ZJU clips'
    /// iris spread, docs/GAZE.md), so 8 degrees is twice the noisiest clip's.
    public var cameraLookSteadyDeg = 8.0
    public var cameraLookSteadyShare = 0.75
    /// Without a ready face for this long the session is inconclusive.
    public var readyTimeoutSeconds = 15.0

    /// Without a saved calibration, the session calibrates itself on the camera look and these cells
    /// (opposite corners: both axes move), each shown this long; frames count after `shortCalibrationSettleSeconds`.
    public var shortCalibrationCells = [1, 6]
    public var shortCalibrationPointSeconds = 2.0
    public var shortCalibrationSettleSeconds = 0.7
    /// A kiosk's random calibration plan (`CalibrationPlan.random`) shows this many points, each this long:
    /// never the same rhythm twice, so nobody can move ahead of the dot.
    public var randomCalibrationPoints = 3
    public var randomCalibrationPointSeconds = 1.8...2.6
    /// A saved calibration is shifted so the camera look of this session maps to the camera: the person,
    /// or where they sit, may have changed since it was made.
    public var recentreSavedCalibration = true

    /// A session id is valid this long after it was issued.
    public var sessionTTLSeconds = 300.0

    public init() {}
}

/// What the challenge checks beside the gaze, each failing by name.
public struct LivenessConfig: Sendable, Equatable {
    /// Mean grey level of the frame (0-255) the get-ready phase accepts: darker is "more light", brighter
    /// is "less light behind you".
    public var minFrameLevel = 40.0
    public var maxFrameLevel = 235.0
    /// A face narrower than this (pixels) is too far away to see the eyes ("come closer").
    public var minFaceWidthPixels = 80.0
    /// After get ready, a face must be in at least this share of the frames.
    public var minFaceShare = 0.9
    /// A second face counts when the detector saw it for this long in total: one detection (it runs every
    /// `TrackingConfig.redetectEveryFrames`, about 0.33 s at 30 fps) can be a false find, two are not.
    public var severalFacesMaxMs = 500.0
    /// Natural motion: the landmarks of a live face move a little between frames even when the person sits
    /// still (see `ChallengeFrame.landmarkMotion`); the median over new frames must reach this.
    public var minMedianLandmarkMotion = 0.002
    /// Frame timing: at least this many frames a second on average...
    public var minFramesPerSecond = 10.0
    /// ...no gap between frames longer than this (milliseconds)...
    public var maxFrameGapMs = 500.0
    /// ...and at most this share of frames identical to the one before (a camera's sensor noise makes every
    /// frame differ; a replayed still does not).
    public var maxRepeatedFrameShare = 0.05
    /// A flat picture moved by hand: see `PlanarMotionConfig`.
    public var planar = PlanarMotionConfig()
    /// A blink made of still pictures: see `BlinkProfileConfig`.
    public var blinkProfile = BlinkProfileConfig()
    /// Eyes that do not turn in the head: see `EyeWorkConfig`.
    public var eyeWork = EyeWorkConfig()
    /// Lids that stay put while the irises move: see `EyelidConfig`.
    public var eyelid = EyelidConfig()

    public init() {}
}

/// The blink-profile check (`BlinkProfileTally`): at least one counted blink must dip and show frames with
/// the lids part-way.
public struct BlinkProfileConfig: Sendable, Equatable {
    /// A blink is counted when it ends: its frames are looked for this long before...
    public var windowBeforeMs = 700.0
    /// ...and this long after.
    public var windowAfterMs = 200.0
    /// The openness must dip by at least this fraction of its open level (a tilted picture does not dip).
    public var minDepth = 0.3
    /// Frames with the lids part-way a real blink shows at 30 fps (scaled with the frame rate, at least 1).
    public var minPartwayFramesAt30 = 2

    public init() {}
}

/// The eye-in-head check (`EyeWorkTally`). Head shares from the literature: Freedman & Sparks (1997,
/// J Neurophysiol 77:2328) found no head contribution to horizontal gaze shifts under 20 degrees with the
/// eyes centred, a linearly growing one for 25-90 degrees, and less head the more vertical the shift; for a
/// near task within 14 degrees the eyes did 56-79% of the shift. So for the 8-27 degree shifts of the grid
/// a person's eyes do at least about half; a picture's do nothing.
public struct EyeWorkConfig: Sendable, Equatable {
    /// Targets at least this far from the camera are judged (nearer, the pupil's noise is the turn's size).
    public var minTargetDeg = 10.0
    /// The eyes' median turn along each judged target's direction, through the generic gains, must cover
    /// this share of the target's angle: half the eyes' smallest share (about 0.5) read through a gain up
    /// to 1.4 times the generic one is 0.36; this leaves room for the pupil's noise.
    public var minEyeShare = 0.2

    public init() {}
}

/// The lid check (`EyelidTally`): the upper lid must follow the iris up and down.
///
/// Anatomy: the upper lid's elevator (levator palpebrae) is driven with the eye's elevator (superior
/// rectus), so the lid follows vertical gaze. The lid margin's height above the pupil (MRD1) barely changes
/// over 30-40 degrees of downgaze (about 1 mm), so the lid comes down about as far as the pupil does; the
/// palpebral aperture closes from about 9.7 mm looking ahead to 6.4 mm at 40 degrees down (Read et al. 2006,
/// Optom Vis Sci 83:715), and the fissure's height falls linearly with downgaze. In eye widths the iris
/// moves about 0.36 * sin(angle) (`EyeModel.pupilRadius`), so a lid that follows moves by a share near 1
/// of that; the lower lid moves much less. dlib's upper-lid points do follow, and by more: on the three
/// people of the shared `videos/video01.mp4` and `video02.mp4` looking down at a paper and ahead again
/// (stretches picked by eye, `scripts/lid-follow-study.py`), they came down by 0.26-0.36 eye widths while
/// MediaPipe's iris centre came down by only 0.07-0.15 in the usable stretches (1.9-3.9 times the iris;
/// a lowering lid hides the iris's top, which pulls any iris centre toward the visible slit), the lower
/// lid by 0.01-0.04.
public struct EyelidConfig: Sendable, Equatable {
    /// Judged only when the targets' root-mean-square vertical angle from the camera is at least this: with
    /// less, the lid's move is within the landmarks' noise.
    public var minVerticalRMSDeg = 5.0
    /// The lid's move over the iris's (least-squares slope over the targets) must reach this: a live lid
    /// follows with a share near 1 or more (1.9-3.9 measured; 0.75-1.2 assumed for the simulated honest
    /// people, see `HonestPersonModel`), a lid fixed in a picture with 0 plus noise.
    public var minLidShare = 0.4
    /// The irises' vertical move must reach this share of what the generic eye turning alone would make for
    /// the targets: the eyes do at least 70% of a vertical gaze shift (`EyeWorkConfig`), so this leaves room
    /// for a smaller eye; below it there is nothing for the lid to follow and the check fails.
    public var minIrisMoveShare = 0.25

    public init() {}
}

/// The planar-motion check (`PlanarMotionTally`): a face whose landmarks change shape the way only a flat
/// picture's do fails. Distances are in interocular distances, over the rigid landmarks.
public struct PlanarMotionConfig: Sendable, Equatable {
    /// Landmarks are averaged over this long before they are compared (5 frames at 30 fps).
    public var averageMs = 150.0
    /// Each frame is compared with the frame this long before it (a turn towards a cell takes about this).
    public var pairLagMs = 500.0
    /// A pair counts when its shape changed by at least this beyond a similarity (slide, in-plane turn,
    /// scale): above the landmark fit's own noise, so a still face has nothing to judge.
    public var minShapeChange = 0.02
    /// Fewer counted pairs than this: nothing to judge (passes).
    public var minMovedPairs = 10
    /// The share of the counted pairs' shape change a homography must leave unexplained.
    public var minUnexplainedShare = 0.5

    public init() {}
}

/// How `gazetop calibrate` runs and how a calibration is fitted and checked.
public struct CalibrationConfig: Sendable, Equatable {
    /// Blink step: wait for this many blinks, or this long.
    public var blinksWanted = 3
    public var blinkStepTimeoutSeconds = 6.0
    /// Each of the six cells is shown this long; frames count after the settle time.
    public var pointSeconds = 2.0
    public var settleSeconds = 0.8
    /// Pull of the fit towards the generic mapping (`GazeEstimateConfig`'s gains, the head counting fully),
    /// per frame, in units of each feature's typical spread below: 0 is plain least squares. It keeps the
    /// head-pose terms generic when the head hardly moved during calibration (their data cannot say).
    public var ridgeWeight = 0.01
    public var pupilOffsetXSpread = 0.15
    public var pupilOffsetYSpread = 0.05
    public var headYawSpreadDeg = 5.0
    public var headPitchSpreadDeg = 5.0
    /// Sanity checks of a fit, against fits of nothing (a face whose eyes did not follow) rather than to
    /// grade a person: at least this many frames per target; each target's mean look inside its cell
    /// (grown by `ChallengeConfig.hitMarginDeg`; the camera: within `cameraToleranceDeg`, most of the way
    /// to the middle of the top row); a root-mean-square error over the frames (but the worst tenth) under `maxResidualDeg`
    /// (the frame-to-frame scatter of the noisiest real ZJU clips is about 7 degrees per axis); eye gains
    /// within `maxGainFactor` of the generic ones.
    public var minFramesPerTarget = 8
    public var maxResidualDeg = 15.0
    /// The share of a fit's frames, the worst, left out of its root-mean-square error.
    public var residualTrimShare = 0.1
    public var cameraToleranceDeg = 10.0
    public var maxGainFactor = 4.0

    public init() {}
}

/// Face matching (`gazetop match`, enrolment, the challenge's identity check).
public struct MatchConfig: Sendable, Equatable {
    /// Two descriptors this close or closer are the same person: the one default for `match`, enrolment
    /// and the challenge. Measured with `gazetop evaluate --match` (the 40 ZJU clips of 10 people, one
    /// descriptor a clip: 60 same-person pairs, 720 different-person pairs; then the `faces-68` and `faces`
    /// photos, 49 faces, 834 pairs of different people):
    /// - ZJU at 0.34: true match rate 0.683 (41/60), false match rate 0 (0/720); same-person pairs
    ///   0.156-0.424 apart, different people 0.345-0.693; the best true match rate at a false match rate
    ///   <= 0.001 is 0.700 (just under 0.345), the equal error rate 0.019 (at 0.402); dlib's own cut, 0.6
    ///   (set on LFW's mostly Western faces), matches 92.5% of the different-person pairs there.
    /// - faces-68 and faces: no pair of different people within 0.34 (the closest 0.566 apart).
    /// So the aim (a true match rate >= 0.99 at a false match rate <= 0.001 on ZJU) is out of
    /// reach of dlib's descriptors here; 0.34 keeps every false match out with a small margin under the
    /// closest different-person pair, rather than fitting the cut to these ten people.
    public var threshold = 0.34
    /// A video gives its descriptor from this many of its best frames (the surest single-face detections),
    /// averaged...
    public var bestFrames = 5
    /// ...looked for among every this-many-th frame (a clip's neighbouring frames are nearly the same picture).
    public var videoFrameStep = 5
    /// A face narrower than this (pixels) gives too coarse a chip to be matched reliably.
    public var minFaceWidth = 60.0
    /// The detector's cut for a face to match: the tracker's (dlib's own 0 loses the ZJU clip filmed from
    /// below, 27_000007M_UNN, in every sampled frame).
    public var minDetectionScore = TrackingConfig().detectionMinScore
    /// The challenge's identity checks (`--enrolled`, `--match-photo`): descriptors of the followed face at
    /// a few moments (get ready's end, each calibration point once settled, each cell after the reaction
    /// time, and once more in the last this-many seconds), each about 20 ms, so a challenge of 3 cells and a
    /// short calibration takes 7 (5 with a saved calibration).
    public var lastSampleSeconds = 0.5
    /// `same_person` is judged on at least this many samples (fewer: failed, the face was hardly seen).
    public var minIdentitySamples = 2
    /// `same_person`: every two samples of one challenge at most this far apart. Single grey frames of one
    /// face vary more than a clip's mean does, and less than two people differ: 4 samples of each ZJU clip
    /// spread 0.080-0.317 (the most on clips filmed from below), person 1's clip swapped for person 2's
    /// between cells 0.494 (`scripts/identity-study.py`, `EnrollCommandTests`).
    public var samePersonMaxDistance = 0.34

    public init() {}
}
