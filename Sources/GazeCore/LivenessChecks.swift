/// Every named check a challenge result can fail, with the name result files use.
public enum ChallengeCheck: String, Sendable, Equatable, CaseIterable, Codable {
    case virtualCamera = "virtual_camera"
    case facePresent = "face_present"
    case singleFace = "single_face"
    case naturalMotion = "natural_motion"
    case planarMotion = "planar_motion"
    case blink = "blink"
    case blinkProfile = "blink_profile"
    case eyeInHead = "eye_in_head"
    case lidFollowsGaze = "lid_follows_gaze"
    case frameTiming = "frame_timing"
    case repeatedFrames = "repeated_frames"
    case calibration = "calibration"
    case gazeAccuracy = "gaze_accuracy"
    case cellAccuracy = "cell_accuracy"
    case gazeDirection = "gaze_direction"
    case enrolledPerson = "enrolled_person"
    case samePerson = "same_person"

    /// What the person is told when this is the reason of a fail: something they can act on, and nothing
    /// that teaches an attacker which check caught them.
    public var advice: String {
        switch self {
        case .facePresent: "keep your face in view"
        case .singleFace: ReadyProblem.severalFaces.advice
        case .blink, .blinkProfile: "blink naturally while you follow the cells"
        case .calibration, .eyeInHead, .lidFollowsGaze, .gazeAccuracy, .cellAccuracy, .gazeDirection: "follow the highlighted cell with your eyes"
        // Neither says that faces were compared: an honest person the match missed (dim light, a turned
        // head) can act on the first; a swap of people learns nothing from the second.
        case .enrolledPerson: "face the camera in good light and try again"
        case .virtualCamera, .samePerson, .naturalMotion, .planarMotion, .frameTiming, .repeatedFrames: "please try again"
        }
    }
}

/// One check's outcome: the measured value beside its limit.
public struct CheckResult: Sendable, Equatable {
    public var check: ChallengeCheck
    public var passed: Bool
    public var value: Double
    public var limit: Double

    public init(check: ChallengeCheck, passed: Bool, value: Double, limit: Double) {
        self.check = check
        self.passed = passed
        self.value = value
        self.limit = limit
    }
}

/// The liveness checks over the frames of a session after get ready (the blink check from its very
/// first frame): face present, one face, natural motion, not a flat picture's motion, a blink, sane frame
/// timing, no replayed frames.
public struct LivenessChecks: Sendable {
    public let config: LivenessConfig
    public private(set) var frames = 0
    public private(set) var faceFrames = 0
    public private(set) var severalFacesMs = 0.0
    public private(set) var repeatedFrames = 0
    public private(set) var firstMs: Double?
    public private(set) var lastMs: Double?
    public private(set) var longestGapMs = 0.0
    public private(set) var timeWentBack = false
    /// Landmark motion of frames that differ from the one before.
    private var motions: [Double] = []
    /// The face's shape over time, against a flat picture.
    public private(set) var planar: PlanarMotionTally
    /// The counted blinks' profiles, against a blink of still pictures.
    public private(set) var blinkProfile: BlinkProfileTally
    private var lastProfileDigest: UInt64?
    private var lastDigest: UInt64?
    private var firstBlinkCount: Int?
    private var lastBlinkCount = 0

    public init(config: LivenessConfig = LivenessConfig()) {
        self.config = config
        planar = PlanarMotionTally(config: config.planar)
        blinkProfile = BlinkProfileTally(config: config.blinkProfile)
    }

    /// Notes a frame of the get-ready phase: it counts for blinks only (blinks count from the session's
    /// first frame).
    public mutating func noteBlinks(_ f: ChallengeFrame) {
        if firstBlinkCount == nil { firstBlinkCount = f.blinkCount }
        lastBlinkCount = max(lastBlinkCount, f.blinkCount)
        if f.digest != lastProfileDigest { blinkProfile.add(timeMs: f.timeMs, landmarks: f.landmarks, blinkCount: f.blinkCount) }
        lastProfileDigest = f.digest
    }

    /// Adds a frame of the measured part of the session.
    public mutating func add(_ f: ChallengeFrame) {
        noteBlinks(f)
        if let last = lastMs {
            let dt = f.timeMs - last
            if dt <= 0 { timeWentBack = true }
            longestGapMs = max(longestGapMs, dt)
            if f.faces > 1 { severalFacesMs += max(0, dt) }
        }
        frames += 1
        if f.face { faceFrames += 1 }
        if f.digest == lastDigest {
            repeatedFrames += 1
        } else {
            if let motion = f.landmarkMotion { motions.append(motion) }
            planar.add(timeMs: f.timeMs, landmarks: f.landmarks)
        }
        lastDigest = f.digest
        if firstMs == nil { firstMs = f.timeMs }
        lastMs = f.timeMs
    }

    public var blinks: Int { lastBlinkCount - (firstBlinkCount ?? lastBlinkCount) }
    public var faceShare: Double { frames > 0 ? Double(faceFrames) / Double(frames) : 0 }
    public var repeatedShare: Double { frames > 1 ? Double(repeatedFrames) / Double(frames - 1) : 0 }
    public var framesPerSecond: Double {
        guard let first = firstMs, let last = lastMs, last > first, frames > 1 else { return 0 }
        return Double(frames - 1) / ((last - first) / 1000)
    }

    public var medianMotion: Double {
        median(motions)
    }

    /// Every check's outcome, in a fixed order.
    public func results(requireBlink: Bool) -> [CheckResult] {
        let c = config
        let timingOK = framesPerSecond >= c.minFramesPerSecond && longestGapMs <= c.maxFrameGapMs && !timeWentBack
        var out = [
            CheckResult(check: .facePresent, passed: faceShare >= c.minFaceShare, value: faceShare, limit: c.minFaceShare),
            CheckResult(check: .singleFace, passed: severalFacesMs < c.severalFacesMaxMs, value: severalFacesMs,
                        limit: c.severalFacesMaxMs),
            CheckResult(check: .naturalMotion, passed: medianMotion >= c.minMedianLandmarkMotion, value: medianMotion,
                        limit: c.minMedianLandmarkMotion),
            CheckResult(check: .planarMotion, passed: planar.passed, value: planar.unexplainedShare,
                        limit: c.planar.minUnexplainedShare),
            CheckResult(check: .frameTiming, passed: timingOK, value: framesPerSecond, limit: c.minFramesPerSecond),
            CheckResult(check: .repeatedFrames, passed: repeatedShare <= c.maxRepeatedFrameShare, value: repeatedShare,
                        limit: c.maxRepeatedFrameShare),
        ]
        if requireBlink {
            out.append(CheckResult(check: .blink, passed: blinks >= 1, value: Double(blinks), limit: 1))
            let needed = blinkProfile.partwayNeeded(framesPerSecond: framesPerSecond)
            // Judged only when a blink was counted (else `blink` fails on its own) with landmarks around it.
            let real = blinkProfile.realBlinks(framesPerSecond: framesPerSecond)
            out.append(CheckResult(check: .blinkProfile, passed: real >= 1 || blinks == 0 || blinkProfile.judged == 0,
                                   value: Double(blinkProfile.bestPartway), limit: Double(needed)))
        }
        return out
    }
}
