import ArgumentParser
import Capture
import Foundation
import GazeCore
import Monitor
import Vision

/// `gazetop match A B`: are two inputs the same person? Exit 0 same, 1 different, 2 anything else (an input
/// without one clear face, a missing model, bad usage), always with one line on stderr then.
struct Match: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Say whether two photos (or videos, or folders of photos of one person) show the same person.",
        discussion: """
            Each input is a photo (its one clear face), a video (the mean descriptor of its best frames) or a \
            folder of photos of one person (the mean of its photos, each with one clear face). Prints the \
            descriptor distance, the similarity (1 - distance) and the decision. Exit status: 0 the same \
            person, 1 different people, 2 an input without a single clear face (which one, and why) or any \
            other error.
            """
    )

    @Argument(help: ArgumentHelp("The first photo, video or folder of photos.", valueName: "a"))
    var first: String

    @Argument(help: ArgumentHelp("The second photo, video or folder of photos.", valueName: "b"))
    var second: String

    @Flag(name: .long, help: "Print the result as one JSON object (match, similarity_score, threshold, the faces used).")
    var json = false

    @OptionGroup var matchOptions: MatchOptions

    func run() throws {
        let reader: FaceReader
        do {
            reader = try matchOptions.reader()
        } catch {
            StandardError.write("gazetop: \(error.description)\n")
            throw ExitCode(2)
        }
        var samples: [FaceSample] = []
        for path in [first, second] {
            do {
                samples.append(try reader.read(path))
            } catch {
                StandardError.write("gazetop: \(error.description)\n")
                throw ExitCode(2)
            }
        }
        let result = FaceMatch(samples[0].descriptor, samples[1].descriptor, threshold: matchOptions.threshold)
        print(json ? MatchEncoding.json(result, samples) : MatchEncoding.line(result))
        // Checked here too: "different" leaves by an exit status, past the check main makes after a success.
        if let reason = StandardOutput.flushFailure() {
            StandardError.write("gazetop: cannot write standard output: \(reason)\n")
            throw ExitCode(2)
        }
        if !result.isSamePerson { throw ExitCode(1) }
    }
}
