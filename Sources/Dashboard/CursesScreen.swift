import CNcursesw
import Glibc

/// Why curses could not start.
public struct ScreenError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// The dashboard on a real terminal, through ncursesw: the alternate screen, no echo, keys one by one,
/// colours as the terminal offers them. `close()` (or deinit) always gives the terminal back as it was;
/// a crash restores it too (see `cnc_install_crash_restore`). Use from one thread (the main thread).
public final class CursesScreen: Screen {
    public private(set) var options: RenderOptions
    /// What the terminal offers in colour (before `--no-color` and the like are applied, `options.colors`).
    public let terminalColors: ColorSupport
    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private let output: UnsafeMutablePointer<FILE>
    private let input: UnsafeMutablePointer<FILE>
    private var open = true
    private var run: [wchar_t] = []

    /// Starts curses on the terminal of standard input and output.
    /// - Parameters:
    ///   - ascii: draw with ASCII only.
    ///   - color: use colours when the terminal has them.
    public convenience init(ascii: Bool, color: Bool) throws(ScreenError) {
        cnc_remember_terminal(STDIN_FILENO)
        try self.init(term: nil, output: fdopen(dup(STDOUT_FILENO), "w"), input: fdopen(dup(STDIN_FILENO), "r"),
                      ascii: ascii, color: color)
        cnc_install_crash_restore()
    }

    /// A screen for benchmarks: terminal type `term` (e.g. xterm-256color), `width` x `height`, writing to
    /// `outputPath` (e.g. /dev/null), reading no keys.
    public convenience init(benchmarkTerm term: String, width: Int, height: Int, outputPath: String) throws(ScreenError) {
        guard let out = fopen(outputPath, "w"), let input = fopen("/dev/null", "r") else {
            throw ScreenError(description: "cannot open \(outputPath) for the benchmark terminal")
        }
        try self.init(term: term, output: out, input: input, ascii: false, color: true)
        // Input is /dev/null, always "readable": without this, curses would take it for typeahead and cut
        // its updates short.
        typeahead(-1)
        resizeterm(Int32(height), Int32(width))
    }

    private init(term: String?, output: UnsafeMutablePointer<FILE>?, input: UnsafeMutablePointer<FILE>?,
                 ascii: Bool, color: Bool) throws(ScreenError) {
        guard let output, let input else { throw ScreenError(description: "cannot open the terminal") }
        let started: OpaquePointer? = term.map { newterm($0, output, input) } ?? newterm(nil, output, input)
        guard let started else {
            fclose(output)
            fclose(input)
            let name = term ?? (getenv("TERM").map { String(cString: $0) } ?? "unset")
            throw ScreenError(description: "cannot start the terminal screen (TERM=\(name)); try --json for records instead")
        }
        screen = started
        self.output = output
        self.input = input
        window = cnc_stdscr()
        cbreak()
        noecho()
        keypad(window, true)
        leaveok(window, true)
        curs_set(0)
        set_escdelay(25)
        var support = ColorSupport.none
        if has_colors() {
            start_color()
            use_default_colors()
            let n = cnc_colors()
            support = n >= 0x100_0000 ? .direct : n >= 256 ? .palette256 : n >= 8 ? .basic : .none
        }
        terminalColors = support
        let used = color ? support : .none
        let greys = Theme.installPairs(used)
        // Without enough pairs for grey picture cells, draw the preview with shade characters.
        let drawn: ColorSupport = used.hasGreys && !greys ? .basic : used
        options = RenderOptions(glyphs: ascii ? .ascii : .unicode, colors: drawn)
    }

    deinit { close() }

    /// Why the terminal of standard output cannot show a full screen (its type unknown, or one that cannot
    /// move the cursor, as TERM=dumb), or nil when it can: asked before anything starts, so the answer is
    /// one line instead of a screen of garbage.
    public static func whyTerminalCannotDraw() -> String? {
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        switch cnc_terminal_can_draw(STDOUT_FILENO) {
        case 1: return nil
        case 0: return "the terminal (TERM=\(term)) cannot move the cursor, which the full screen needs"
        default: return term.isEmpty ? "TERM is not set, so the terminal cannot be drawn on"
            : "the terminal type TERM=\(term) is unknown to terminfo"
        }
    }

    /// Leaves curses: the normal screen back, the cursor shown, the terminal's settings restored.
    public func close() {
        guard open else { return }
        open = false
        endwin()
        cnc_forget_terminal()
        delscreen(screen)
        fclose(output)
        fclose(input)
    }

    public var size: (width: Int, height: Int) {
        var rows: Int32 = 0, columns: Int32 = 0
        cnc_size(window, &rows, &columns)
        return (Int(columns), Int(rows))
    }

    public func show(_ grid: CellGrid) { show(grid, repaintAll: false) }

    /// Draws `grid`; with `repaintAll`, curses sends every cell again rather than only the changes.
    public func show(_ grid: CellGrid, repaintAll: Bool) {
        let (width, height) = size
        let columns = min(width, grid.width)
        run.reserveCapacity(columns)
        for y in 0..<min(height, grid.height) {
            var x = 0
            while x < columns {
                let style = grid[x, y].style
                run.removeAll(keepingCapacity: true)
                var end = x
                while end < columns && grid[end, y].style == style {
                    run.append(wchar_t(bitPattern: grid[end, y].char.value))
                    end += 1
                }
                let (attributes, pair) = Theme.curses(style, options.colors)
                cnc_put_run(window, Int32(y), Int32(x), run, Int32(run.count), attributes, pair)
                x = end
            }
        }
        if repaintAll { clearok(window, true) }
        wnoutrefresh(window)
        doupdate()
    }

    public func readKey(timeoutMs: Int) -> Key? {
        wtimeout(window, Int32(timeoutMs))
        var code: wint_t = 0
        let result = wget_wch(window, &code)
        if result == ERR { return nil }
        if result == KEY_CODE_YES {
            let k = Int32(code)
            if k == cnc_key_resize() { return .resize }
            for n in 1...12 where k == cnc_key_f(Int32(n)) { return .function(n) }
            return .other
        }
        if code == 27 { return .escape }
        guard let scalar = Unicode.Scalar(UInt32(code)) else { return .other }
        return .character(Character(scalar))
    }
}

/// The terminal's locale, as curses needs it for wide characters.
public enum TerminalLocale {
    /// Sets the locale from the environment (LANG, LC_ALL, LC_CTYPE) and says whether it is UTF-8.
    public static func adoptEnvironment() -> Bool {
        cnc_set_locale_from_environment()
        guard let codeset = cnc_codeset() else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }
}

/// The signals a full-screen program depends on.
public enum TerminalSignals {
    /// Unblocks resize, interrupt, terminate, hang-up, stop and continue on the calling thread (see
    /// `cnc_unblock_terminal_signals`). Call on the main thread before starting other threads.
    public static func unblock() { cnc_unblock_terminal_signals() }
}
