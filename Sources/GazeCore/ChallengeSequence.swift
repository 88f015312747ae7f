/// The cells a challenge shows, in order.
public enum ChallengeSequence {
    /// Why a sequence given by hand (`--sequence`) is refused; one line for people.
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// A random sequence of `count` cells of `grid`, no cell twice in a row. Callers pass the system's
    /// secure generator (`SystemRandomNumberGenerator` reads getrandom(2)); tests pass a seeded one.
    public static func random(count: Int, grid: ScreenGrid = ScreenGrid(),
                              using rng: inout some RandomNumberGenerator) -> [Int] {
        var cells: [Int] = []
        for _ in 0..<count {
            // Draw from the cells other than the last one, each equally likely.
            let choices = grid.cells.filter { $0 != cells.last }
            cells.append(choices[Int.random(in: 0..<choices.count, using: &rng)])
        }
        return cells
    }

    /// Reads "3,1,5": cell numbers of `grid`, at least one, none twice in a row.
    public static func parse(_ text: String, grid: ScreenGrid = ScreenGrid()) throws(Problem) -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
        var cells: [Int] = []
        for part in parts {
            guard let n = Int(part), grid.cells.contains(n) else {
                throw Problem(description: "--sequence wants cell numbers \(grid.cells.lowerBound)-\(grid.cells.upperBound) "
                    + "separated by commas, like 3,1,5; \"\(part)\" is not one")
            }
            if cells.last == n { throw Problem(description: "--sequence shows cell \(n) twice in a row") }
            cells.append(n)
        }
        return cells
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
