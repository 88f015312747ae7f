import ArgumentParser
import Glibc
import Monitor

@main
struct Gazetop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gazetop",
        abstract: "Watch a person's eyes through a webcam: blinks, gaze and eye contact, live in the terminal.",
        discussion: """
            Without a subcommand, gazetop runs the live monitor on the first camera. \
            Analyse a recording instead with: gazetop analyze VIDEO
            """,
        // `gazetop --version`: one place for the number; raise it with a release.
        version: Gazetop.version,
        subcommands: [Monitor.self, Analyze.self, Evaluate.self, Bench.self, Devices.self, Challenge.self, Calibrate.self,
                      Match.self, Enroll.self, Serve.self],
        defaultSubcommand: Monitor.self
    )

    static let version = "0.1.0"

    /// ArgumentParser's own entry, except that a usage error is one line, as every error is (ArgumentParser
    /// adds the usage and a pointer to --help: three lines), and a word that is no command is named with the
    /// command meant. `challenge` and `match` answer a usage error as they answer any error: exit status 2
    /// (a kiosk script reads 0 pass or same, 1 fail or different, 2 anything else); the others 64.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let oneStatusForAll = ["challenge", "match"].contains(arguments.first)
        // Past a file-size limit (`ulimit -f`) a write fails with EFBIG, which is checked and reported,
        // instead of the signal killing the process mid-line.
        signal(SIGXFSZ, SIG_IGN)
        do {
            if let word = arguments.first, let unknown = CommandNames.unknown(word, among: commandNames) {
                throw ValidationError(unknown)
            }
            var command = try parseAsRoot(arguments)
            try command.run()
            if let reason = StandardOutput.flushFailure() {
                StandardError.write("gazetop: cannot write standard output: \(reason)\n")
                exit(withError: ExitCode(["challenge", "match"].contains(arguments.first) ? 2 : CommandFailure.Kind.output.rawValue))
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                let line = message(for: error).split(separator: "\n").first.map(String.init) ?? "bad usage"
                let command = arguments.first.flatMap { commandNames.contains($0) ? $0 : nil }
                StandardError.write("gazetop: \(line) (see gazetop \(command.map { $0 + " " } ?? "")--help)\n")
                exit(withError: oneStatusForAll ? ExitCode(2) : code)
            }
            exit(withError: error)
        }
    }

    /// The words that name a command (and `help`).
    static var commandNames: [String] { configuration.subcommands.map { $0._commandName } + ["help"] }
}

/// A first word that is no command: the monitor (the default command) takes no words, only options, so
/// `gazetop analyse clip.mp4` is a misspelt command, not the monitor's "2 unexpected arguments".
enum CommandNames {
    /// The one line for `word`, or nil when it is a command or an option.
    static func unknown(_ word: String, among names: [String]) -> String? {
        guard !word.hasPrefix("-"), !names.contains(word) else { return nil }
        let nearest = names.map { (name: $0, distance: editDistance(word.lowercased(), $0)) }.min { $0.distance < $1.distance }
        if let nearest, nearest.distance <= 2 {
            return "unknown command '\(word)'; did you mean '\(nearest.name)'?"
        }
        return "unknown command '\(word)'; the commands are " + names.filter { $0 != "help" }.joined(separator: ", ")
    }

    /// Levenshtein distance: the fewest one-character insertions, deletions and substitutions from a to b.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
