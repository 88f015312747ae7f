import ArgumentParser
import Glibc
import Monitor

/// A failure that ends a command: one line on stderr and a distinct exit status per kind of trouble, so
/// scripts can tell "no such file" from "bad model" without reading the text.
struct CommandFailure: Error, CustomStringConvertible {
    enum Kind: Int32 {
        case input = 3       // a file, folder or video that cannot be read
        case model = 4       // the landmark model is missing or corrupt
        case output = 5      // a result could not be written
        case camera = 6      // no camera, or the camera failed
        case data = 7        // evaluation data missing or malformed
    }

    let kind: Kind
    let description: String

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}

extension ParsableCommand {
    /// Runs `body`, turning a CommandFailure into its message and exit status.
    func failing(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let failure as CommandFailure {
            StandardError.write("gazetop: \(failure.description)\n")
            throw ExitCode(failure.kind.rawValue)
        }
    }
}
