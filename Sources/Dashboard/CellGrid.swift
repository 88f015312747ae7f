/// One character cell of the screen: a character one column wide and how it is drawn.
public struct Cell: Equatable, Sendable {
    public var char: Unicode.Scalar
    public var style: Style

    public init(_ char: Unicode.Scalar, _ style: Style = .role(.plain)) {
        self.char = char
        self.style = style
    }

    public static let blank = Cell(" ")
}

/// How a cell is drawn: a semantic role (mapped to colours and attributes in `Theme`), or two grey
/// levels for a half-block picture cell (`▀`: the upper half in `top`, the lower in `bottom`).
public enum Style: Equatable, Hashable, Sendable {
    case role(Role)
    /// Grey levels 0...`Style.greyLevels - 1`.
    case grey(top: UInt8, bottom: UInt8)

    public static let greyLevels = 16
}

/// What a piece of the screen means; `Theme` decides what that looks like on a given terminal. Views name
/// roles, never colours.
public enum Role: Int, CaseIterable, Hashable, Sendable {
    case plain
    /// Labels and secondary facts.
    case dim
    /// The header bar.
    case title
    /// Section names.
    case heading
    /// Good, worth noting, and bad news, as text.
    case ok, warn, alert
    /// The big state banner, filled: eye contact, looking away, no face or several faces, idle.
    case okBanner, warnBanner, alertBanner, idleBanner
    /// Key names in the footer and the help.
    case key
    /// The gaze point, and the picture's eye landmarks and pupils.
    case accent, landmark, pupil
    /// The challenge's lit cell, filled: where the person must look now.
    case target

    /// One letter per role, for golden files and test failures.
    public var letter: Character {
        switch self {
        case .plain: "."
        case .dim: "d"
        case .title: "T"
        case .heading: "h"
        case .ok: "o"
        case .warn: "w"
        case .alert: "a"
        case .okBanner: "O"
        case .warnBanner: "W"
        case .alertBanner: "A"
        case .idleBanner: "I"
        case .key: "k"
        case .accent: "c"
        case .landmark: "l"
        case .pupil: "p"
        case .target: "L"
        }
    }
}

/// A screen's worth of cells, row-major. Drawing writes into a grid; a `Screen` shows it.
public struct CellGrid: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { if x >= 0 && x < width && y >= 0 && y < height { cells[y * width + x] = newValue } }
    }

    /// Writes `text` from (x, y) on one row, clipped at `maxWidth` columns and at the grid's edge.
    /// Returns the column after the last one written. Every character must be one column wide.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, _ role: Role = .plain, maxWidth: Int = .max) -> Int {
        guard y >= 0 && y < height else { return x }
        let limit = maxWidth >= width ? width : min(width, x + max(0, maxWidth))
        var column = x
        for scalar in text.unicodeScalars {
            if column >= limit { break }
            if column >= 0 { cells[y * width + column] = Cell(scalar, .role(role)) }
            column += 1
        }
        return column
    }

    /// Fills a rectangle with one character.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ char: Unicode.Scalar = " ", _ role: Role = .plain) {
        let x0 = max(0, x), x1 = min(width, x + w), y0 = max(0, y), y1 = min(height, y + h)
        guard x0 < x1 && y0 < y1 else { return }
        for row in y0..<y1 {
            for column in x0..<x1 { cells[row * width + column] = Cell(char, .role(role)) }
        }
    }

    /// Sets the role of a rectangle's cells, keeping their characters.
    public mutating func paint(x: Int, y: Int, width w: Int, height h: Int, _ role: Role) {
        let x0 = max(0, x), x1 = min(width, x + w), y0 = max(0, y), y1 = min(height, y + h)
        guard x0 < x1 && y0 < y1 else { return }
        for row in y0..<y1 {
            for column in x0..<x1 { cells[row * width + column].style = .role(role) }
        }
    }

    /// The characters of one row.
    public func text(row y: Int) -> String {
        var s = String.UnicodeScalarView()
        for x in 0..<width { s.append(cells[y * width + x].char) }
        return String(s)
    }

    /// Every row's characters, joined by newlines (trailing spaces kept).
    public var text: String { (0..<height).map { text(row: $0) }.joined(separator: "\n") }
}
