/// How a challenge ends.
public enum ChallengeResult: String, Sendable, Equatable, Codable {
    case pass
    case fail
    /// Nothing could be judged: no face came, the stream ended or was stopped, the session expired.
    case inconclusive
}

/// What a screen shows of a running challenge or calibration at one moment: everything a renderer needs,
/// and nothing it has to work out. Drawn as a full-screen grid by the dashboard, or as one status line
/// (`statusLine`) by the headless display.
public struct GazeTaskView: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        /// Waiting for one face, lit and close enough; the person looks at the camera.
        case getReady
        /// Calibration: blink a few times.
        case blinks(seen: Int, wanted: Int)
        /// Calibration (or a challenge's own short calibration): look at the target; point is 1-based.
        case calibrating(point: Int, of: Int)
        /// The challenge's sequence: index is 1-based.
        case sequence(index: Int, of: Int)
        case finished
    }

    public var phase: Phase
    /// Where the person should look now: the camera (a mark above the grid) or the cell to light up.
    /// While calibrating (`marksCentre`), a cell target is a small dot at the cell's centre: the fit
    /// takes the centre as where the eyes were. In the sequence, draw the countdown at the lit cell's
    /// centre: it draws the eyes there (`gazetop evaluate --challenge` assumes they settle within a tenth
    /// of the cell of it).
    public var target: GazeTarget?
    /// Seconds left in this step (the countdown); in get ready, before it gives up.
    public var secondsLeft: Double?
    /// One line for the person: what to do now.
    public var instruction: String
    /// What keeps get ready from going on, if anything.
    public var problem: ReadyProblem?
    /// The raw gaze features of the newest frame (a calibration screen shows them as it goes).
    public var features: GazeFeatures?
    /// The newest gaze estimate: calibrated once a calibration is known, else the generic one.
    public var gaze: GazeAngles?
    /// Set when finished: the challenge's result (a calibration: pass when it was fitted and saved).
    public var result: ChallengeResult?

    public init(phase: Phase, target: GazeTarget? = nil, secondsLeft: Double? = nil, instruction: String,
                problem: ReadyProblem? = nil, features: GazeFeatures? = nil, gaze: GazeAngles? = nil,
                result: ChallengeResult? = nil) {
        self.phase = phase
        self.target = target
        self.secondsLeft = secondsLeft
        self.instruction = instruction
        self.problem = problem
        self.features = features
        self.gaze = gaze
        self.result = result
    }

    /// The view as one line of text, for a terminal status line or a log: instruction, what to fix, the
    /// countdown.
    public var statusLine: String {
        var text: String
        switch phase {
        case .getReady: text = "get ready: " + instruction
        case .blinks(let seen, let wanted): text = instruction + " (\(seen)/\(wanted))"
        case .calibrating(let point, let count): text = "calibrating \(point)/\(count): " + instruction
        case .sequence(let index, let count): text = "\(index)/\(count): " + instruction
        case .finished: return instruction
        }
        if let problem { text += " - " + problem.advice }
        if let secondsLeft { text += " " + Self.seconds(secondsLeft) + " s" }
        return text
    }

    /// Whether the target is a mark to look at exactly (the camera, a calibration dot) rather than a cell to
    /// look into.
    public var marksCentre: Bool {
        switch phase {
        case .calibrating, .getReady, .blinks: true
        case .sequence, .finished: false
        }
    }

    /// The raw values as a calibration screen shows them: "pupil -0.052 +0.081, head yaw 3.1 pitch -2.0,
    /// gaze 12.1 -8.0 deg" (the gaze as estimated now); nil without features.
    public var rawValues: String? {
        guard let f = features else { return nil }
        func signed(_ v: Double, _ places: Int) -> String {
            var scale = 1.0
            for _ in 0..<places { scale *= 10 }
            let n = Int((abs(v) * scale).rounded())
            let whole = "\(n / Int(scale))", part = String(n % Int(scale))
            let fraction = places > 0 ? "." + String(repeating: "0", count: places - part.count) + part : ""
            return (v < 0 && n > 0 ? "-" : "+") + whole + fraction
        }
        var text = "pupil \(signed(f.pupilOffset.x, 3)) \(signed(f.pupilOffset.y, 3)), "
            + "head yaw \(signed(f.headPose.yaw, 1)) pitch \(signed(f.headPose.pitch, 1))"
        if let gaze { text += ", gaze \(signed(gaze.rightDeg, 1)) \(signed(gaze.upDeg, 1)) deg" }
        return text
    }

    /// Words for a target: "the camera", "cell 3 (top right)".
    public static func describe(_ target: GazeTarget, grid: ScreenGrid) -> String {
        switch target {
        case .camera: "the camera"
        case .cell(let n): "cell \(n) (\(grid.name(of: n)))"
        }
    }

    /// The instruction for a target: "look at cell 3 (top right)"; for a calibration dot, "look at the dot
    /// in cell 1 (top left)".
    public static func lookAt(_ target: GazeTarget, grid: ScreenGrid, dot: Bool = false) -> String {
        if dot, case .cell = target { return "look at the dot in " + describe(target, grid: grid) }
        return "look at " + describe(target, grid: grid)
    }

    /// Seconds with one decimal, without Foundation.
    static func seconds(_ value: Double) -> String {
        let tenths = Int((max(0, value) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

/// A challenge or a calibration, as whatever runs it sees them: fed frames until finished, ended early
/// when the stream stops first.
public protocol GazeTask: Sendable {
    /// Takes the next frame; returns what the screen should show now.
    mutating func update(_ f: ChallengeFrame) -> GazeTaskView
    var isFinished: Bool { get }
    /// The latest view.
    var view: GazeTaskView { get }
    /// Ends early (inconclusive) unless already finished.
    mutating func stop(_ reason: ChallengeStop)
    /// Whether the task wants a descriptor of the followed face in the frame it has just taken (a
    /// challenge with an identity check, at a few moments); the runner computes it then and hands it to
    /// `addFaceDescriptor`.
    var wantsFaceDescriptor: Bool { get }
    mutating func addFaceDescriptor(_ descriptor: FaceDescriptor)
}

extension GazeTask {
    public var wantsFaceDescriptor: Bool { false }
    public mutating func addFaceDescriptor(_ descriptor: FaceDescriptor) {}

    /// Takes the next frame, then the followed face's descriptor from `describe` if the task wants one from
    /// this frame (`describe` runs only then: a descriptor costs a network pass). What every runner calls.
    public mutating func take(_ f: ChallengeFrame, describe: () -> FaceDescriptor?) -> GazeTaskView {
        let view = update(f)
        if wantsFaceDescriptor, let descriptor = describe() { addFaceDescriptor(descriptor) }
        return view
    }
}

extension ChallengeSession: GazeTask {
    public mutating func stop(_ reason: ChallengeStop) { end(reason) }
}

extension CalibrationSession: GazeTask {
    public mutating func stop(_ reason: ChallengeStop) { end(reason) }
}
