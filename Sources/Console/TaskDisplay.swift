import Capture
import GazeCore
import Glibc
import Monitor

/// The line display of a challenge or calibration on stderr: on a terminal, one status line updated in
/// place ("2/3: look at cell 3 (top right) 2.1 s"); otherwise one line each time the step or what to fix
/// changes, for logs and kiosk scripts. The full-screen grid is the dashboard's.
// @unchecked Sendable: `show` runs on the vision queue while a session streams, `end` after it has
// drained that queue; the fields are never touched from two threads at once.
public final class TaskDisplay: @unchecked Sendable {
    public let terminal: Bool
    private var shown = ""
    private var step = ""
    private var stepWithoutProblem = ""
    private var lastLineMs = -1e9

    /// Whether the terminal line carries the raw values too (calibration).
    public let raw: Bool

    public init(terminal: Bool = isatty(STDERR_FILENO) == 1, raw: Bool = false) {
        self.terminal = terminal
        self.raw = raw
    }

    public func show(_ view: GazeTaskView) {
        if view.phase == .finished { return end(view.instruction) }
        if terminal {
            var line = view.statusLine
            if raw, let values = view.rawValues { line += " | " + values }
            guard line != shown else { return }
            shown = line
            StandardError.write("\r\u{1B}[K" + line)
        } else {
            // A line per step; within a step, what to fix at most every 2 s (it can change every frame).
            var key = view
            key.secondsLeft = nil
            key.features = nil
            key.gaze = nil
            let line = key.statusLine
            key.problem = nil
            let now = MonotonicClock.nowMs()
            let newStep = key.statusLine != stepWithoutProblem
            guard line != step, newStep || now - lastLineMs >= 2000 else { return }
            step = line
            stepWithoutProblem = key.statusLine
            lastLineMs = now
            StandardError.write(line + "\n")
        }
    }

    /// The final line (pass, fail, try again), once.
    public func end(_ headline: String) {
        guard step != "\u{0}end" else { return }
        step = "\u{0}end"
        StandardError.write((terminal ? "\r\u{1B}[K" : "") + headline + "\n")
    }
}
