import ArgumentParser
import Glibc

/// How `challenge` and `calibrate` show themselves: the full-screen grid on a terminal, else the line
/// display (`--headless`, or when stdin or stdout is not a terminal).
struct TaskScreenOptions: ParsableArguments {
    @Flag(name: .long, help: "Show one status line on stderr instead of the full-screen grid (also when stdin or stdout is not a terminal).")
    var headless = false

    @Flag(name: .long, help: "Draw the grid with ASCII characters only (for terminals without UTF-8).")
    var ascii = false

    @Flag(name: .customLong("no-color"), help: "Draw the grid without colour (also when NO_COLOR is set).")
    var noColor = false

    var fullScreen: Bool { !headless && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }
    var color: Bool { !noColor && !TerminalCheck.noColorRequested }
}
