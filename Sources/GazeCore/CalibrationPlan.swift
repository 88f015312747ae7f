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

    /// Two cells in different columns and different rows (so both axes move), in random order, each shown
    /// for a random time in `ChallengeConfig.randomCalibrationPointSeconds`.
    public static func random(grid: ScreenGrid, config c: ChallengeConfig, using rng: inout some RandomNumberGenerator) -> CalibrationPlan {
        let pairs = grid.cells.flatMap { a in
            grid.cells.filter { b in grid.column(of: a) != grid.column(of: b) && grid.row(of: a) != grid.row(of: b) }.map { [a, $0] }
        }
        let cells = pairs.randomElement(using: &rng) ?? c.shortCalibrationCells
        return CalibrationPlan(cells: cells, pointSeconds: cells.map { _ in Double.random(in: c.randomCalibrationPointSeconds, using: &rng) })
    }
}
