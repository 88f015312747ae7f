import ArgumentParser
import Glibc

struct Monitor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Watch the camera live (the default command)."
    )

    func run() throws {
        try failing {
            // Live capture is not built yet; say what is missing and what works today.
            throw CommandFailure(.camera, "no camera support yet in this build; analyse a recording instead: gazetop analyze VIDEO")
        }
    }
}
