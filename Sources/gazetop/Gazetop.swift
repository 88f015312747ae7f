import ArgumentParser

@main
struct Gazetop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gazetop",
        abstract: "Watch a person's eyes through a webcam: blinks, gaze and eye contact, live in the terminal.",
        discussion: """
            Without a subcommand, gazetop runs the live monitor on the first camera.
            Analyse a recording instead with: gazetop analyze VIDEO
            """,
        subcommands: [Monitor.self, Analyze.self, Evaluate.self, Bench.self, Devices.self],
        defaultSubcommand: Monitor.self
    )
}
