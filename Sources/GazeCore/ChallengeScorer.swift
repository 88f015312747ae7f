/// What decides whether the gaze followed the sequence.
public enum ChallengeScoring: String, Sendable, Equatable, CaseIterable {
    /// Where the gaze was: the share of each cell's frames whose gaze fell in that cell.
    case position
    /// Where the gaze went: each change from one cell to the next points the way the cells lie. It holds
    /// when the whole gaze estimate is offset, and for the same reason cannot tell the right cells from
    /// their neighbours: `gazetop evaluate --challenge` measures both.
    case direction
    /// Both must pass.
    case both
}

/// One cell of a sequence, scored.
public struct CellScore: Sendable, Equatable {
    public var cell: Int
    /// Frames after the reaction allowance with open eyes and a gaze estimate...
    public var frames: Int
    /// ...and those whose gaze fell in the cell.
    public var framesOnTarget: Int
    /// Mean gaze over those frames.
    public var meanGaze: GazeAngles?
    /// Whether the gaze moved from the previous cell the way the cells lie (nil for the first cell, or
    /// without a gaze in either).
    public var directionOK: Bool?

    public init(cell: Int, frames: Int = 0, framesOnTarget: Int = 0, meanGaze: GazeAngles? = nil, directionOK: Bool? = nil) {
        self.cell = cell
        self.frames = frames
        self.framesOnTarget = framesOnTarget
        self.meanGaze = meanGaze
        self.directionOK = directionOK
    }

    /// Share of the counted frames on target, 0 without any.
    public var accuracy: Double { frames > 0 ? Double(framesOnTarget) / Double(frames) : 0 }
}

/// Scores the gaze of the cells of a sequence, frame by frame.
public struct ChallengeScorer: Sendable {
    public let config: ChallengeConfig
    public let grid: ScreenGrid
    public private(set) var cells: [CellScore]
    private var sums: [(right: Double, up: Double)]

    public init(sequence: [Int], config: ChallengeConfig = ChallengeConfig(), grid: ScreenGrid = ScreenGrid()) {
        self.config = config
        self.grid = grid
        cells = sequence.map { CellScore(cell: $0) }
        sums = sequence.map { _ in (0, 0) }
    }

    /// Counts one frame's gaze for the cell at `index`, `sinceStartMs` after the cell lit up. Frames within
    /// the reaction allowance, or without a gaze, do not count.
    public mutating func add(index: Int, sinceStartMs: Double, gaze: GazeAngles?) {
        guard let gaze, sinceStartMs >= config.reactionSeconds * 1000 else { return }
        cells[index].frames += 1
        if grid.bounds(of: cells[index].cell).widened(by: config.hitMarginDeg).contains(gaze) { cells[index].framesOnTarget += 1 }
        sums[index].right += gaze.rightDeg
        sums[index].up += gaze.upDeg
        let n = Double(cells[index].frames)
        cells[index].meanGaze = GazeAngles(rightDeg: sums[index].right / n, upDeg: sums[index].up / n)
    }

    /// The scores, with each cell's direction judged against the one before.
    public var scores: [CellScore] {
        var out = cells
        for i in out.indices.dropFirst() {
            guard let from = out[i - 1].meanGaze, let to = out[i].meanGaze else { continue }
            out[i].directionOK = directionOK(from: from, to: to, cells: (out[i - 1].cell, out[i].cell))
        }
        return out
    }

    /// The mean of the cells' accuracies (each cell weighs the same however many frames it had).
    public var overallAccuracy: Double {
        cells.isEmpty ? 0 : cells.map(\.accuracy).reduce(0, +) / Double(cells.count)
    }

    /// The share of cell-to-cell moves in the right direction; nil with a single cell. A move without a
    /// gaze at either end counts as wrong.
    public var directionAccuracy: Double? {
        let moves = scores.dropFirst()
        guard !moves.isEmpty else { return nil }
        return Double(moves.filter { $0.directionOK == true }.count) / Double(moves.count)
    }

    /// The gaze checks the scoring mode asks for, each passed or not.
    public var results: [CheckResult] { Self.checks(scores, config: config) }

    /// The gaze checks of scored cells under `config` (its scoring mode and limits).
    public static func checks(_ cells: [CellScore], config: ChallengeConfig) -> [CheckResult] {
        var out: [CheckResult] = []
        if config.scoring != .direction {
            let overall = cells.isEmpty ? 0 : cells.map(\.accuracy).reduce(0, +) / Double(cells.count)
            let worst = cells.map(\.accuracy).min() ?? 0
            out.append(CheckResult(check: .gazeAccuracy, passed: overall >= config.passThreshold, value: overall,
                                   limit: config.passThreshold))
            out.append(CheckResult(check: .cellAccuracy, passed: worst >= config.minCellAccuracy, value: worst,
                                   limit: config.minCellAccuracy))
        }
        let moves = cells.dropFirst()
        if config.scoring != .position, !moves.isEmpty {
            let direction = Double(moves.filter { $0.directionOK == true }.count) / Double(moves.count)
            out.append(CheckResult(check: .gazeDirection, passed: direction >= 1, value: direction, limit: 1))
        }
        return out
    }

    func directionOK(from: GazeAngles, to: GazeAngles, cells: (Int, Int)) -> Bool {
        let a = grid.centre(of: cells.0), b = grid.centre(of: cells.1)
        let wantX = b.rightDeg - a.rightDeg, wantY = b.upDeg - a.upDeg
        let gotX = to.rightDeg - from.rightDeg, gotY = to.upDeg - from.upDeg
        let want = (wantX * wantX + wantY * wantY).squareRoot(), got = (gotX * gotX + gotY * gotY).squareRoot()
        guard want > 0, got > 0 else { return false }
        let cosine = (wantX * gotX + wantY * gotY) / (want * got)
        return cosine >= config.directionMinCosine && got >= config.directionMinFraction * want
    }
}
