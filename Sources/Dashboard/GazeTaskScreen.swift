import GazeCore

/// The full-screen drawing of a challenge or a calibration: a pure function from a `GazeTaskView` to a grid
/// of cells. It draws what the view says and decides nothing (the words, the target, the result are the
/// view's).
///
///     row 0        header: the step ("2/3", "CALIBRATING 1/6") and the instruction; the countdown
///     row 1        the camera, above the screen: a mark at the top centre, lit when it is the target
///     grid         the 2x3 cells filling the rest; the lit cell filled, a big countdown at its centre
///                  (the eyes go where the countdown is); while calibrating, a dot at the cell's centre;
///                  in get ready and the blinks, a band across the middle says what to do or to fix;
///                  finished: a band with PASS, FAIL or TRY AGAIN and the one reason
///     row h-2      while calibrating, the raw values; a problem outside get ready
///     row h-1      the keys
public enum GazeTaskScreen {
    /// Below this the screen says how big the terminal must be instead of drawing.
    public static let minimumWidth = 40
    public static let minimumHeight = 16

    /// Rows above and below the cells.
    static let headerRows = 2
    static let footerRows = 2
    /// The band of get ready and of the result, at most this many rows high.
    static let bandRows = 7

    public static func render(_ view: GazeTaskView, width: Int, height: Int, options: RenderOptions = RenderOptions(),
                              screen: ScreenGrid = ScreenGrid()) -> CellGrid {
        var grid = CellGrid(width: width, height: height)
        guard width >= minimumWidth && height >= minimumHeight else {
            DashboardView.tooSmall(&grid, minimumWidth: minimumWidth, minimumHeight: minimumHeight)
            return grid
        }
        let g = options.glyphs
        header(&grid, view)
        camera(&grid, view, g)
        let area = (y: headerRows, height: height - headerRows - footerRows)
        if view.phase == .finished {
            result(&grid, view, y: area.y, height: area.height)
        } else {
            cells(&grid, view, screen, y: area.y, height: area.height, g)
            switch view.phase {
            case .getReady, .blinks: readyBand(&grid, view, y: area.y, height: area.height, g)
            default: break
            }
        }
        messageLine(&grid, view, y: height - 2, g)
        footer(&grid, view, y: height - 1)
        return grid
    }

    // MARK: Header and camera

    /// The step in a few characters: "GET READY", "BLINK 1/3", "CALIBRATING 2/6", "2/3".
    static func step(_ phase: GazeTaskView.Phase) -> String {
        switch phase {
        case .getReady: "GET READY"
        case .blinks(let seen, let wanted): "BLINK \(min(seen, wanted))/\(wanted)"
        case .calibrating(let point, let count): "CALIBRATING \(point)/\(count)"
        case .sequence(let index, let count): "\(index)/\(count)"
        case .finished: "DONE"
        }
    }

    static func header(_ grid: inout CellGrid, _ view: GazeTaskView) {
        grid.fill(x: 0, y: 0, width: grid.width, height: 1, " ", .title)
        let right = view.secondsLeft.map { Format.fixed(max(0, $0), 1) + " s " } ?? ""
        let x = grid.put(" " + step(view.phase) + "  ", x: 0, y: 0, .title)
        let room = grid.width - x - Format.columns(right) - 1
        if view.phase != .finished {
            grid.put(Format.clip(view.instruction, room, ellipsis: ""), x: x, y: 0, .title)
        }
        grid.put(right, x: grid.width - Format.columns(right), y: 0, .title)
    }

    /// The camera sits above the screen: its mark is at the top centre, filled when the person must look at it.
    static func camera(_ grid: inout CellGrid, _ view: GazeTaskView, _ g: Glyphs) {
        guard view.phase != .finished else { return }
        let lit = view.target == .camera
        let mark = lit ? " \(g.pointUp) look at the camera \(g.pointUp) " : "\(g.pointUp) camera"
        grid.put(mark, x: (grid.width - Format.columns(mark)) / 2, y: 1, lit ? .target : .dim)
    }

    // MARK: The cells

    /// Where a cell is drawn on a terminal of `width` x `height`: its box (frame included).
    public static func box(of cell: Int, screen: ScreenGrid = ScreenGrid(), width: Int, height: Int)
        -> (x: Int, y: Int, width: Int, height: Int) {
        box(of: cell, screen, width: width, y: headerRows, height: height - headerRows - footerRows)
    }

    /// Where a cell is drawn: its box, from `y` down over `height` rows, the whole width.
    static func box(of cell: Int, _ screen: ScreenGrid, width: Int, y: Int, height: Int)
        -> (x: Int, y: Int, width: Int, height: Int) {
        let columns = screen.config.columns, rows = screen.config.rows
        let c = screen.column(of: cell), r = screen.row(of: cell)
        let x0 = c * width / columns, x1 = (c + 1) * width / columns
        let y0 = y + r * height / rows, y1 = y + (r + 1) * height / rows
        return (x0, y0, x1 - x0, y1 - y0)
    }

    static func cells(_ grid: inout CellGrid, _ view: GazeTaskView, _ screen: ScreenGrid, y: Int, height: Int, _ g: Glyphs) {
        var litCell: Int?
        if case .cell(let n)? = view.target, screen.cells.contains(n) { litCell = n }
        for cell in screen.cells {
            let b = box(of: cell, screen, width: grid.width, y: y, height: height)
            let lit = cell == litCell
            let filled = lit && !view.marksCentre
            if filled { grid.fill(x: b.x, y: b.y, width: b.width, height: b.height, " ", .target) }
            let role: Role = filled ? .target : lit ? .accent : .dim
            frame(&grid, b, role, g)
            grid.put("\(cell)", x: b.x + 2, y: b.y + 1, role)
            guard lit else { continue }
            let cx = b.x + b.width / 2, cy = b.y + b.height / 2
            if view.marksCentre {
                // A calibration dot: the fit takes the cell's centre as where the eyes were.
                grid[cx, cy] = Cell(g.dot, .role(.accent))
                if let s = view.secondsLeft {
                    let text = Format.fixed(max(0, s), 1) + " s"
                    grid.put(text, x: cx - Format.columns(text) / 2, y: cy + 2, .dim)
                }
            } else if let s = view.secondsLeft {
                countdown(&grid, seconds: s, centreX: cx, centreY: cy, room: (b.width - 2, b.height - 2), g)
            }
        }
    }

    static func frame(_ grid: inout CellGrid, _ b: (x: Int, y: Int, width: Int, height: Int), _ role: Role, _ g: Glyphs) {
        guard b.width >= 2 && b.height >= 2 else { return }
        for i in 1..<(b.width - 1) {
            grid[b.x + i, b.y] = Cell(g.horizontal, .role(role))
            grid[b.x + i, b.y + b.height - 1] = Cell(g.horizontal, .role(role))
        }
        for j in 1..<(b.height - 1) {
            grid[b.x, b.y + j] = Cell(g.vertical, .role(role))
            grid[b.x + b.width - 1, b.y + j] = Cell(g.vertical, .role(role))
        }
        grid[b.x, b.y] = Cell(g.topLeft, .role(role))
        grid[b.x + b.width - 1, b.y] = Cell(g.topRight, .role(role))
        grid[b.x, b.y + b.height - 1] = Cell(g.bottomLeft, .role(role))
        grid[b.x + b.width - 1, b.y + b.height - 1] = Cell(g.bottomRight, .role(role))
    }

    /// Whole seconds left, rounded up (3, 2, 1), in big digits centred on (centreX, centreY); in plain
    /// digits where the cell is too small for them.
    static func countdown(_ grid: inout CellGrid, seconds: Double, centreX: Int, centreY: Int, room: (Int, Int), _ g: Glyphs) {
        let digits = Array(String(Int(max(0, seconds).rounded(.up))))
        let bigWidth = digits.count * (BigDigits.width + 1) - 1
        guard bigWidth <= room.0 && BigDigits.height <= room.1 else {
            grid.put(String(digits), x: centreX - digits.count / 2, y: centreY, .target)
            return
        }
        let left = centreX - bigWidth / 2, top = centreY - BigDigits.height / 2
        for (i, digit) in digits.enumerated() {
            let rows = BigDigits.rows(digit)
            for (dy, row) in rows.enumerated() {
                for (dx, on) in row.enumerated() where on == "#" {
                    grid[left + i * (BigDigits.width + 1) + dx, top + dy] = Cell(g.barFull, .role(.target))
                }
            }
        }
    }

    /// Get ready and the blinks: a band across the middle of the grid with what to fix (warning) or
    /// what to do.
    static func readyBand(_ grid: inout CellGrid, _ view: GazeTaskView, y: Int, height: Int, _ g: Glyphs) {
        let rows = min(3, height)
        let top = y + (height - rows) / 2
        let role: Role = view.problem == nil ? .idleBanner : .warnBanner
        let text = view.problem.map { g.warning + $0.advice } ?? view.instruction
        grid.fill(x: 0, y: top, width: grid.width, height: rows, " ", role)
        let shown = Format.clip(text, grid.width - 2, ellipsis: g.ellipsis)
        grid.put(shown, x: (grid.width - Format.columns(shown)) / 2, y: top + rows / 2, role)
    }

    // MARK: The result

    /// The result's word and the one reason, from the view's instruction ("FAIL - keep your face in view").
    static func resultWords(_ view: GazeTaskView) -> (word: String, reason: String) {
        guard let split = view.instruction.firstRange(of: " - ") else { return (view.instruction, "") }
        return (String(view.instruction[..<split.lowerBound]), String(view.instruction[split.upperBound...]))
    }

    static func result(_ grid: inout CellGrid, _ view: GazeTaskView, y: Int, height: Int) {
        let role: Role = switch view.result {
        case .pass?: .okBanner
        case .fail?: .alertBanner
        case .inconclusive?: .warnBanner
        case nil: .idleBanner
        }
        let (word, reason) = resultWords(view)
        let rows = min(bandRows, height)
        let top = y + (height - rows) / 2
        grid.fill(x: 0, y: top, width: grid.width, height: rows, " ", role)
        let spaced = word.map { String($0) }.joined(separator: " ")
        let big = Format.columns(spaced) + 4 <= grid.width ? spaced : word
        let wordRow = top + rows / 2 - (reason.isEmpty ? 0 : 1)
        grid.put(big, x: max(0, (grid.width - Format.columns(big)) / 2), y: wordRow, role)
        if !reason.isEmpty {
            let shown = Format.clip(reason, grid.width - 2, ellipsis: "")
            grid.put(shown, x: (grid.width - Format.columns(shown)) / 2, y: wordRow + 2, role)
        }
    }

    // MARK: Message and keys

    static func messageLine(_ grid: inout CellGrid, _ view: GazeTaskView, y: Int, _ g: Glyphs) {
        switch view.phase {
        case .finished:
            return
        case .getReady, .blinks:
            break
        case .calibrating, .sequence:
            if let problem = view.problem {
                grid.put(Format.clip(g.warning + problem.advice, grid.width, ellipsis: g.ellipsis), x: 0, y: y, .warn)
                return
            }
        }
        if view.marksCentre, let raw = view.rawValues {
            grid.put(Format.clip(raw, grid.width, ellipsis: g.ellipsis), x: 0, y: y, .dim)
        }
    }

    static func footer(_ grid: inout CellGrid, _ view: GazeTaskView, y: Int) {
        let keys: [(String, String)] = view.phase == .finished ? [("any key", "closes")] : [("q Esc", "stop")]
        var x = 0
        for (key, action) in keys {
            x = grid.put(key, x: x, y: y, .key)
            x = grid.put(" " + action + "  ", x: x, y: y, .dim)
        }
    }
}

/// Digits three columns wide and five rows high, for the countdown.
enum BigDigits {
    static let width = 3
    static let height = 5

    static func rows(_ digit: Character) -> [String] {
        switch digit {
        case "0": ["###", "#.#", "#.#", "#.#", "###"]
        case "1": [".#.", "##.", ".#.", ".#.", "###"]
        case "2": ["###", "..#", "###", "#..", "###"]
        case "3": ["###", "..#", "###", "..#", "###"]
        case "4": ["#.#", "#.#", "###", "..#", "..#"]
        case "5": ["###", "#..", "###", "..#", "###"]
        case "6": ["###", "#..", "###", "#.#", "###"]
        case "7": ["###", "..#", "..#", "..#", "..#"]
        case "8": ["###", "#.#", "###", "#.#", "###"]
        case "9": ["###", "#.#", "###", "..#", "###"]
        default: Array(repeating: "...", count: height)
        }
    }
}
