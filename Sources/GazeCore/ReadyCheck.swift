/// What keeps a session from starting, each with advice the person can act on.
public enum ReadyProblem: String, Sendable, Equatable, CaseIterable {
    case noFace = "no_face"
    case severalFaces = "several_faces"
    case tooDark = "too_dark"
    case tooBright = "too_bright"
    case tooFar = "too_far"
    case eyesNotSeen = "eyes_not_seen"

    /// One line for the person.
    public var advice: String {
        switch self {
        case .noFace: "move into view of the camera"
        case .severalFaces: "only one person in front of the camera, please"
        case .tooDark: "more light on your face, please"
        case .tooBright: "too bright: turn away from the light behind you"
        case .tooFar: "come closer to the camera"
        case .eyesNotSeen: "face the camera with your eyes open"
        }
    }

    /// The problem of one frame, nil when it is fit to start on. Closed eyes are no problem: the person is
    /// asked to blink.
    public static func of(_ f: ChallengeFrame, _ c: LivenessConfig) -> ReadyProblem? {
        if f.faces > 1 { return .severalFaces }
        if f.frameLevel < c.minFrameLevel { return .tooDark }
        if f.frameLevel > c.maxFrameLevel { return .tooBright }
        guard f.face else { return .noFace }
        if let width = f.faceWidthPixels, width < c.minFaceWidthPixels { return .tooFar }
        if f.eyesOpen && f.features == nil { return .eyesNotSeen }
        return nil
    }
}

/// The get-ready phase shared by the challenge and calibration: waits until one face, lit and close
/// enough, has been fit to start on for `readyHoldSeconds` without a break and the last `cameraLookSeconds`
/// of it (the person was asked to look at the camera) hold enough open-eye frames of a steady look to
/// calibrate from (`ChallengeConfig.cameraLookSteadyDeg`).
struct ReadyPhase: Sendable {
    let challenge: ChallengeConfig
    let liveness: LivenessConfig
    /// Open-eye frames of the camera look needed to end the phase.
    let minCameraLookFrames: Int
    /// Reads the eyes' turn in the head, for the steadiness of the look.
    let eye: EyeModel
    private(set) var startMs: Double?
    private(set) var readySinceMs: Double?
    /// The problem of the newest frame (nil when it was fine).
    private(set) var problem: ReadyProblem? = .noFace
    typealias Look = (timeMs: Double, features: GazeFeatures, landmarks: Landmarks?)
    /// Open-eye features (and landmarks, for the lid check) of the current good run, the newest last,
    /// trimmed to the camera-look window; once ready, only the window's steady frames.
    private(set) var cameraLook: [Look] = []

    init(challenge: ChallengeConfig, liveness: LivenessConfig, minCameraLookFrames: Int, eye: EyeModel) {
        self.challenge = challenge
        self.liveness = liveness
        self.minCameraLookFrames = minCameraLookFrames
        self.eye = eye
    }

    enum Step: Equatable {
        case waiting
        case ready
        case timedOut(ReadyProblem)
    }

    mutating func update(_ f: ChallengeFrame) -> Step {
        let start = startMs ?? f.timeMs
        startMs = start
        problem = ReadyProblem.of(f, liveness)
        if problem != nil {
            readySinceMs = nil
            cameraLook.removeAll()
        } else {
            if readySinceMs == nil { readySinceMs = f.timeMs }
            if f.eyesOpen, let features = f.features { cameraLook.append((f.timeMs, features, f.landmarks)) }
            let windowMs = challenge.cameraLookSeconds * 1000
            while let first = cameraLook.first, first.timeMs < f.timeMs - windowMs { cameraLook.removeFirst() }
            // Held long enough, and enough of a look at the camera (blinks may have hidden the eyes) to
            // calibrate from.
            if let since = readySinceMs, f.timeMs - since >= challenge.readyHoldSeconds * 1000,
               cameraLook.count >= minCameraLookFrames, let steady = steadyFrames(of: cameraLook) {
                cameraLook = steady
                return .ready
            }
        }
        if f.timeMs - start >= challenge.readyTimeoutSeconds * 1000 { return .timedOut(problem ?? .noFace) }
        return .waiting
    }

    /// The frames of `look` within `cameraLookSteadyDeg` of their median eye-in-head direction, when they
    /// are at least `cameraLookSteadyShare` of it and `minCameraLookFrames`; nil when the look scatters.
    func steadyFrames(of look: [Look]) -> [Look]? {
        let turns = look.map { eye.eyeInHead(pupilOffset: $0.features.pupilOffset) }
        let centre = GazeAngles(rightDeg: median(turns.map(\.rightDeg)), upDeg: median(turns.map(\.upDeg)))
        let steady = zip(look, turns).filter { _, turn in
            GazeAngles(rightDeg: turn.rightDeg - centre.rightDeg, upDeg: turn.upDeg - centre.upDeg).offAxisDeg
                <= challenge.cameraLookSteadyDeg
        }.map(\.0)
        guard steady.count >= minCameraLookFrames,
              Double(steady.count) >= challenge.cameraLookSteadyShare * Double(look.count) else { return nil }
        return steady
    }

    /// Seconds left before the phase gives up.
    func secondsLeft(at timeMs: Double) -> Double {
        max(0, challenge.readyTimeoutSeconds - (timeMs - (startMs ?? timeMs)) / 1000)
    }
}
