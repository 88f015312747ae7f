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
        case camera = 6      // no camera, or the camera failed in a way not listed below
        case data = 7        // evaluation data missing or malformed
        case cameraPermission = 8    // the camera exists but this user may not open it (join 'video')
        case cameraBusy = 9          // another program holds the camera
        case cameraFormat = 10       // the camera offers no format gazetop reads
        case cameraUnplugged = 11    // the camera went away mid-run
        case cameraTimeout = 12      // no frame within the timeout
        case terminal = 13           // the terminal cannot show the dashboard (no UTF-8 without --ascii, curses failed)
        case inputCutShort = 14      // an input read in part: a video that ended before its stream did (cut short or damaged), or a folder's pictures that could not be read (passed over); the records of the rest were written
        case server = 15             // `serve` could not listen (the port taken, an address not this machine's)
        case store = 16              // `serve --store`: the session store cannot be reached, refuses the login, or its table cannot be made
        case interrupted = 130       // stopped by SIGINT (Ctrl-C) before it was done: 128 + 2, as shells report it
        case terminated = 143        // stopped by SIGTERM: 128 + 15
    }

    let kind: Kind
    let description: String

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    /// A run stopped by `signal` before it was done: nothing was written.
    init(interruptedBy signal: Int32) {
        self.init(signal == SIGTERM ? .terminated : .interrupted, "interrupted; nothing written")
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
