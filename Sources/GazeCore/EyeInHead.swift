/// The eyes' turn in the head, apart from the head's own turn: what a picture moved as a whole cannot
/// change. Read through `offset(_:)` only, so the gaze model (issue 11) can replace what it reads.
public enum EyeInHead {
    /// The eye-in-head offset of a frame's features. Today the pupils' mean offset in their eye openings
    /// (`EyeObservation.pupilOffset`); the gaze model will replace this reading.
    public static func offset(_ f: GazeFeatures) -> Point { f.pupilOffset }

    /// The eyes' turn from `neutral` to `offset` in degrees, through the generic eye model
    /// (`EyeModel.eyeInHead`: the image's right is the person's left, as in `GazeEstimator`).
    public static func turn(from neutral: Point, to offset: Point, eye: EyeModel) -> GazeAngles {
        let from = eye.eyeInHead(pupilOffset: neutral), to = eye.eyeInHead(pupilOffset: offset)
        return GazeAngles(rightDeg: to.rightDeg - from.rightDeg, upDeg: to.upDeg - from.upDeg)
    }
}

/// "The eyes must do the work": for each target the person was asked to look at (the short calibration's
/// points and the sequence's cells), the median eye-in-head turn from the camera look, projected on the
/// target's direction, must cover at least `EyeWorkConfig.minEyeShare` of the target's angle. A live person
/// turns the eyes for most of a 10-25 degree gaze shift (the head's share is a minority); a photo or a screen
/// turned and slid keeps its eyes fixed in the head.
public struct EyeWorkTally: Sendable {
    public let config: EyeWorkConfig
    public let eye: EyeModel
    /// The camera look's eye-in-head offset (the neutral), once known.
    public private(set) var neutral: Point?
    private var targets: [(direction: GazeAngles, offsets: [Point])] = []

    public init(config: EyeWorkConfig = EyeWorkConfig(), eye: EyeModel = EyeModel()) {
        self.config = config
        self.eye = eye
    }

    /// Sets the neutral from the camera look's features (their per-axis median).
    public mutating func setNeutral(_ look: [GazeFeatures]) {
        let offsets = look.map(EyeInHead.offset)
        guard !offsets.isEmpty else { return }
        neutral = Point(x: median(offsets.map(\.x)), y: median(offsets.map(\.y)))
    }

    /// Starts a new target at `direction` (degrees from the camera, as `ScreenGrid.direction(of:)` gives).
    public mutating func begin(direction: GazeAngles) { targets.append((direction, [])) }

    /// Adds a frame's features to the current target (a frame the target's gaze counts on: settled, eyes open).
    public mutating func add(_ f: GazeFeatures) {
        guard !targets.isEmpty else { return }
        targets[targets.count - 1].offsets.append(EyeInHead.offset(f))
    }

    /// For each judged target (at least `minTargetDeg` from the camera, with frames): the share of its angle
    /// the eyes' median turn covers along its direction.
    public var shares: [Double] {
        guard let neutral else { return [] }
        return targets.compactMap { t in
            let size = t.direction.offAxisDeg
            guard size >= config.minTargetDeg, !t.offsets.isEmpty else { return nil }
            let median = Point(x: median(t.offsets.map(\.x)), y: median(t.offsets.map(\.y)))
            let turn = EyeInHead.turn(from: neutral, to: median, eye: eye)
            return (turn.rightDeg * t.direction.rightDeg + turn.upDeg * t.direction.upDeg) / (size * size)
        }
    }

    /// The smallest share (1 with nothing judged).
    public var smallestShare: Double { shares.min() ?? 1 }

    public var passed: Bool { smallestShare >= config.minEyeShare }
}
