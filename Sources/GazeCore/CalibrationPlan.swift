/// The short calibration's targets and how long each is shown. A kiosk draws both at random per session,
/// like the sequence, so an attacker cannot move ahead of the dots; recordings and tests use the fixed one.
public struct CalibrationPlan: Sendable, Equatable {
    public var cells: [Int]
    public var pointSeconds: [Double]

    public init(cells: [Int], pointSeconds: [Double]) {
        precondition(cells.count == pointSeconds.count, "one duration per calibration cell")
        self.cells = cells
        self.pointSeconds = pointSeconds
    }

    /// `ChallengeConfig.shortCalibrationCells`, each for `shortCalibrationPointSeconds`.
    public static func fixed(_ c: ChallengeConfig) -> CalibrationPlan {
        CalibrationPlan(cells: c.shortCalibrationCells, pointSeconds: c.shortCalibrationCells.map { _ in c.shortCalibrationPointSeconds })
    }

    /// `ChallengeConfig.randomCalibrationPoints` cells that between them reach the grid's outer columns and
    /// both its outer rows (so the fit sees the whole width and height: a pair of cells one column apart
    /// leaves the horizontal gain to a third of the screen), in random order, each shown for a random time
    /// in `ChallengeConfig.randomCalibrationPointSeconds`.
    public static func random(grid: ScreenGrid, config c: ChallengeConfig, using rng: inout some RandomNumberGenerator) -> CalibrationPlan {
        let columns = Set(grid.cells.map(grid.column(of:))), rows = Set(grid.cells.map(grid.row(of:)))
        let outer: Set<Int> = [columns.min()!, columns.max()!], ends: Set<Int> = [rows.min()!, rows.max()!]
        func spans(_ cells: [Int]) -> Bool {
            outer.isSubset(of: Set(cells.map(grid.column(of:)))) && ends.isSubset(of: Set(cells.map(grid.row(of:))))
        }
        // Every ordered choice of distinct cells, grown one cell at a time (a 2x3 grid has at most 120).
        var plans: [[Int]] = [[]]
        for _ in 0..<max(2, c.randomCalibrationPoints) {
            plans = plans.flatMap { p in grid.cells.filter { !p.contains($0) }.map { p + [$0] } }
        }
        let cells = plans.filter(spans).randomElement(using: &rng) ?? c.shortCalibrationCells
        return CalibrationPlan(cells: cells, pointSeconds: cells.map { _ in Double.random(in: c.randomCalibrationPointSeconds, using: &rng) })
    }
}
