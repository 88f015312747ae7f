import Dashboard
import Glibc

/// The environment's say on the terminal.
enum TerminalCheck {
    /// A full screen needs a terminal that can move the cursor (not TERM=dumb), and as it draws wide
    /// characters, a UTF-8 locale unless `--ascii`. Both are said before anything starts (exit 13).
    static func requireScreen(ascii: Bool) throws(CommandFailure) {
        if let why = CursesScreen.whyTerminalCannotDraw() {
            throw CommandFailure(.terminal, why + "; use a terminal such as xterm, or --json for records")
        }
        try requireUTF8(unlessASCII: ascii)
    }

    /// The dashboard draws wide characters, so the locale must be UTF-8 unless `--ascii`.
    private static func requireUTF8(unlessASCII ascii: Bool) throws(CommandFailure) {
        let utf8 = TerminalLocale.adoptEnvironment()
        if !utf8 && !ascii {
            let lang = getenv("LC_ALL").flatMap { String(validatingCString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
                ?? getenv("LANG").flatMap { String(validatingCString: $0) } ?? "unset"
            throw CommandFailure(.terminal, "the terminal's locale is not UTF-8 (LANG/LC_ALL: \(lang)); "
                + "set a UTF-8 locale (e.g. LANG=C.UTF-8) or use --ascii")
        }
    }

    /// NO_COLOR (https://no-color.org): present and not empty means no colour.
    static var noColorRequested: Bool {
        guard let value = getenv("NO_COLOR") else { return false }
        return value.pointee != 0
    }
}
