/// What a page that records a challenge must show, and when: get ready, the short calibration's dots, then
/// each cell, with their offsets from the start of the recording. The liveness API hands it to the page
/// with the session, and scores the recording as `ChallengeSession` would a camera's frames.
///
/// Get ready is shown for `readyHoldSeconds`, the shortest it can last: the session ends it once one face
/// has been in view that long, so a person in view from the first frame sees the steps when the session
/// expects them. A face found later shifts the session's steps later than the page's by as much.
public struct ChallengeSchedule: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case getReady = "get_ready"
        case calibration
        case cell
    }

    public struct Step: Sendable, Equatable {
        public var kind: Kind
        /// The cell shown (the dot's cell while calibrating); nil for get ready.
        public var cell: Int?
        /// Seconds from the start of the recording.
        public var startSeconds: Double
        public var durationSeconds: Double
        /// What the person is told, as the terminal's screen says it.
        public var instruction: String
    }

    public var steps: [Step]

    /// The schedule of a session with `sequence` and the short calibration `plan` (nil: none, a saved
    /// calibration is used), under `config`'s timings.
    public init(sequence: [Int], plan: CalibrationPlan?, config: GazeConfig = GazeConfig()) {
        let grid = ScreenGrid(config: config.screen)
        var steps = [Step(kind: .getReady, cell: nil, startSeconds: 0, durationSeconds: config.challenge.readyHoldSeconds,
                          instruction: "look at the camera and blink")]
        var at = config.challenge.readyHoldSeconds
        for (cell, seconds) in zip(plan?.cells ?? [], plan?.pointSeconds ?? []) {
            steps.append(Step(kind: .calibration, cell: cell, startSeconds: at, durationSeconds: seconds,
                              instruction: GazeTaskView.lookAt(.cell(cell), grid: grid, dot: true)))
            at += seconds
        }
        for cell in sequence {
            steps.append(Step(kind: .cell, cell: cell, startSeconds: at, durationSeconds: config.challenge.areaDurationSeconds,
                              instruction: GazeTaskView.lookAt(.cell(cell), grid: grid)))
            at += config.challenge.areaDurationSeconds
        }
        self.steps = steps
    }

    /// Seconds from the start of the recording to the end of the last cell.
    public var totalSeconds: Double { steps.last.map { $0.startSeconds + $0.durationSeconds } ?? 0 }
}
