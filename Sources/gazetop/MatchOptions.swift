import ArgumentParser
import GazeCore
import Vision

/// Options every command that matches faces shares: where the models are, and the decision's threshold.
struct MatchOptions: ParsableArguments {
    @Option(name: .customLong("match-models"), help: ArgumentHelp(
        "Folder holding \(FaceEncoder.networkFile) and \(FaceEncoder.alignmentFile).",
        discussion: "Default: $GAZETOP_MATCH_MODELS, then models/, then models/ in the gazetop checkout. "
            + "\(FaceEncoder.fetchCommand) fetches them.",
        valueName: "dir"))
    var matchModels: String?

    @Option(name: .long, help: ArgumentHelp(
        "Descriptor distance at or under which two faces are the same person.",
        valueName: "distance"))
    var threshold: Double = MatchConfig().threshold

    func validate() throws {
        guard threshold > 0 && threshold < 2 else { throw ValidationError("--threshold must be between 0 and 2") }
    }

    var config: MatchConfig {
        var c = MatchConfig()
        c.threshold = threshold
        return c
    }

    func reader() throws(CommandFailure) -> FaceReader {
        do {
            return try FaceReader(encoder: FaceEncoder(folder: matchModels), config: config)
        } catch {
            throw CommandFailure(.model, "\(error)")
        }
    }
}
