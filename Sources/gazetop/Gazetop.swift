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
        subcommands: [Monitor.self, Analyze.self, Evaluate.self, Bench.self, Devices.self, Challenge.self, Calibrate.self,
                      Match.self],
        defaultSubcommand: Monitor.self
    )

    /// ArgumentParser's own entry, except that `challenge` and `match` answer a usage error as they answer
    /// any error: one line and exit status 2 (a kiosk script reads 0 pass or same, 1 fail or different, 2
    /// anything else).
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        // Past a file-size limit (`ulimit -f`) a write fails with EFBIG, which is checked and reported,
        // instead of the signal killing the process mid-line.
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            if let reason = StandardOutput.flushFailure() {
                StandardError.write("gazetop: cannot write standard output: \(reason)\n")
                exit(withError: ExitCode(["challenge", "match"].contains(arguments.first) ? 2 : CommandFailure.Kind.output.rawValue))
            }
        } catch {
            let code = exitCode(for: error)
            if ["challenge", "match"].contains(arguments.first), code == .validationFailure {
                let line = message(for: error).split(separator: "\n").first.map(String.init) ?? "bad usage"
                StandardError.write("gazetop: \(line)\n")
                exit(withError: ExitCode(2))
            }
            exit(withError: error)
        }
    }
}
