import Capture
import Store

/// Why a run wired here could not go on: each case is a kind of trouble the executable answers with its
/// own exit status and one line.
public enum RunFailure: Error, Sendable, CustomStringConvertible {
    /// The camera refused or failed (its own status per kind: busy, permission, unplugged...).
    case camera(CameraError)
    /// A file or recording that cannot be read.
    case input(String)
    /// A result that could not be written.
    case output(String)
    /// The terminal cannot show the screen.
    case terminal(String)
    case stateFile(StateFileError)

    public var description: String {
        switch self {
        case .camera(let error): error.description
        case .input(let line), .output(let line), .terminal(let line): line
        case .stateFile(let error): error.description
        }
    }
}
