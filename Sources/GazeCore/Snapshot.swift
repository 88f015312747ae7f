/// Everything the live dashboard draws, as plain values: the only thing the UI ever sees. The vision side
/// collects it (`SnapshotCollector`), the UI draws it (`render(snapshot) -> cells`), and nothing else
/// crosses between the two.
public struct Snapshot: Sendable, Equatable {
    /// Where the frames come from and how they flow.
    public var source = SourceStatus()
    public var stream = StreamState.starting
    /// The newest frame's record as known now (a closing eye is provisionally `blink`).
    public var live: FrameRecord?
    /// What the person is doing, in one word (the big banner).
    public var gaze = GazeState.starting
    public var contact = ContactSummary()
    public var blinks = BlinkSummary()
    public var eyes = EyeHistory()
    /// The eye-contact cone in force (degrees), and the gaze angle that maps to the edge of the gaze box.
    public var coneDeg = EyeContactConfig().enterConeDeg
    public var fullScaleDeg = GazeEstimateConfig().fullScaleDeg
    /// Stream time counted into the session's statistics (pauses left out), milliseconds.
    public var sessionMs = 0.0
    /// Share of the session's frames with a face in view; nil before the first.
    public var faceShare: Double?
    public var warnings: [PictureWarning] = []
    /// A small copy of the newest frame, present while the preview is on.
    public var preview: Preview?
    /// Set by the UI: the screen is frozen (statistics stop too).
    public var paused = false
    public var showHelp = false
    public var showPreview = false
    /// One line for the status bar (a key's answer, a camera event).
    public var message: String?

    public init() {}
}

/// The header's facts about the camera and the pipeline.
public struct SourceStatus: Sendable, Equatable {
    public var device = ""
    /// The negotiated format, e.g. "YUYV 640x480 @ 30 fps".
    public var format = ""
    public var captureFps = 0.0
    public var visionFps = 0.0
    /// Capture to record, milliseconds, for the newest frame.
    public var latencyMs: Double?
    /// Frames vision had no time for, and frames the driver skipped.
    public var dropped = 0
    public var driverDrops = 0
    /// Mean grey level of the newest frame, 0...255.
    public var frameLevel: Double?

    public init() {}
}

public enum StreamState: Sendable, Equatable {
    /// No frame processed yet.
    case starting
    case live
    /// The camera went away and gazetop waits for it (`--reconnect`).
    case waiting
    /// The stream ended (a simulated camera at the end of its video); the screen stays until quit.
    case ended
}

/// Which way the person looks when not at the camera, from their own point of view.
public struct GazeDirection: Sendable, Equatable {
    public enum Horizontal: Sendable, Equatable { case left, right }
    public enum Vertical: Sendable, Equatable { case up, down }
    public var horizontal: Horizontal?
    public var vertical: Vertical?

    public init(horizontal: Horizontal?, vertical: Vertical?) {
        self.horizontal = horizontal
        self.vertical = vertical
    }

    /// The direction of a gaze given in degrees (right and up > 0): each axis that holds at least half of
    /// the angle away from the camera is named, so "up" alone, or "up and to your left".
    public init(rightDeg: Double, upDeg: Double) {
        let off = (rightDeg * rightDeg + upDeg * upDeg).squareRoot()
        horizontal = abs(rightDeg) >= off / 2 && off > 0 ? (rightDeg > 0 ? .right : .left) : nil
        vertical = abs(upDeg) >= off / 2 && off > 0 ? (upDeg > 0 ? .up : .down) : nil
    }

    /// Words for people: "to your left", "down", "up and to your right".
    public var words: String {
        let h = horizontal.map { $0 == .left ? "to your left" : "to your right" }
        let v = vertical.map { $0 == .up ? "up" : "down" }
        switch (v, h) {
        case let (v?, h?): return "\(v) and \(h)"
        case let (v?, nil): return v
        case let (nil, h?): return h
        default: return "away"
        }
    }
}

/// The one-word state of the big banner.
public enum GazeState: Sendable, Equatable {
    case starting
    case contact
    case away(GazeDirection)
    case eyesClosed
    case noFace
    /// More than one face in view; the largest is followed, and `following` is its state.
    case manyFaces(count: Int, following: FollowedState)

    /// The followed face's state when there are several (no nesting of `manyFaces`).
    public enum FollowedState: Sendable, Equatable {
        case contact
        case away(GazeDirection)
        case eyesClosed
    }

    /// The state a live record shows. During a blink the state before it holds (`previous`), so the
    /// banner does not flash "eyes closed" at every blink; a longer closure reads as eyes closed.
    /// `fullScaleDeg` turns `gazeVector` back into degrees.
    public init(_ r: FrameRecord, previous: GazeState, fullScaleDeg: Double) {
        guard r.face else {
            self = .noFace
            return
        }
        let own: FollowedState
        switch r.eyes {
        case .closed:
            own = .eyesClosed
        case .blink, .unknown: // unknown with a face: eyes not measured this frame; keep the last word
            switch previous {
            case .contact: own = .contact
            case .away(let d): own = .away(d)
            case .manyFaces(_, let f): own = f
            default: own = .eyesClosed
            }
        case .open:
            if r.eyeContact {
                own = .contact
            } else if let v = r.gazeVector, v.count == 2 {
                own = .away(GazeDirection(rightDeg: v[0] * fullScaleDeg, upDeg: v[1] * fullScaleDeg))
            } else {
                own = .away(GazeDirection(horizontal: nil, vertical: nil))
            }
        }
        if r.faces > 1 {
            self = .manyFaces(count: r.faces, following: own)
            return
        }
        switch own {
        case .contact: self = .contact
        case .away(let d): self = .away(d)
        case .eyesClosed: self = .eyesClosed
        }
    }
}

/// Eye contact over time.
public struct ContactSummary: Sendable, Equatable {
    /// Share (0...1) of the last `windowSeconds` in eye contact; nil before the first frame.
    public var windowShare: Double?
    public var windowSeconds = EyeContactConfig().windowMs / 1000
    /// Share of the session's frames in eye contact (the figure `analyze --summary` gives).
    public var sessionShare: Double?
    public var longestLookAwayMs = 0.0
    /// The last seconds, oldest first, one slot per second of stream time; the newest may be partial.
    public var timeline: [TimelineSecond] = []
    /// How many seconds the timeline covers when full.
    public var timelineSeconds = DashboardConfig().timelineSeconds

    public init() {}
}

/// One second of the eye-contact timeline: how many frames fell in each state.
public struct TimelineSecond: Sendable, Equatable {
    public var contactFrames = 0
    public var awayFrames = 0
    public var noFaceFrames = 0

    public init(contactFrames: Int = 0, awayFrames: Int = 0, noFaceFrames: Int = 0) {
        self.contactFrames = contactFrames
        self.awayFrames = awayFrames
        self.noFaceFrames = noFaceFrames
    }

    public enum Kind: Sendable, Equatable { case empty, contact, away, noFace }

    /// The state that held for most of the second (ties go to the less flattering one).
    public var dominant: Kind {
        if contactFrames + awayFrames + noFaceFrames == 0 { return .empty }
        if noFaceFrames >= max(contactFrames, awayFrames) { return .noFace }
        return awayFrames >= contactFrames ? .away : .contact
    }
}

public struct BlinkSummary: Sendable, Equatable {
    /// Blinks in the session (confirmed: the count `analyze` gives for the same frames).
    public var count = 0
    /// Per minute of time with a face in view; nil until there is enough of it (see `SessionStats`).
    public var perMinute: Double?
    public var rate = BlinkRate.unknown
    /// How long the last blink lasted, milliseconds.
    public var lastDurationMs: Double?
    /// The eye is closing right now (provisionally a blink).
    public var blinkingNow = false
    public var typicalPerMinute = DashboardConfig().typicalBlinksPerMinute

    public init() {}
}

/// A blink rate against what is usual for a resting adult.
public enum BlinkRate: Sendable, Equatable {
    case unknown
    case farBelow
    case usual
    case farAbove

    public init(perMinute: Double?, config: DashboardConfig) {
        guard let r = perMinute else {
            self = .unknown
            return
        }
        self = r < config.lowBlinksPerMinute ? .farBelow : r > config.highBlinksPerMinute ? .farAbove : .usual
    }
}

/// Each eye's Eye Aspect Ratio lately, oldest first (nil where there was no face), and the blink
/// threshold to draw on it.
public struct EyeHistory: Sendable, Equatable {
    public var left: [Double?] = []
    public var right: [Double?] = []
    /// The EAR under which a closure starts, and the person's open-eye EAR (nil until learnt).
    public var closingEar: Double?
    public var openEar: Double?

    public init() {}
}

/// Advice about the picture, with what to do about it.
public enum PictureWarning: Sendable, Equatable {
    case tooDark(level: Double)
    case tooBright(level: Double)
    case faceTooSmall(widthPixels: Double)

    public var advice: String {
        switch self {
        case .tooDark: "picture too dark: light your face from the front"
        case .tooBright: "picture too bright: less light, or turn away from the window"
        case .faceTooSmall: "face too small: move closer to the camera"
        }
    }
}

/// A small grey copy of the frame, with where the eye landmarks and pupils fell.
public struct Preview: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// Row-major grey levels, `width * height`.
    public var pixels: [UInt8]
    public var marks: [PreviewMark]

    public init(width: Int, height: Int, pixels: [UInt8], marks: [PreviewMark]) {
        self.width = width
        self.height = height
        self.pixels = pixels
        self.marks = marks
    }
}

public struct PreviewMark: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case landmark, pupil }
    /// In preview pixels.
    public var x: Int
    public var y: Int
    public var kind: Kind

    public init(x: Int, y: Int, kind: Kind) {
        self.x = x
        self.y = y
        self.kind = kind
    }
}
