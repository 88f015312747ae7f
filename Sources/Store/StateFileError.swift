/// Why a file that outlives a run could not be read or written: one line for people, and a kind for the
/// caller to map to its own answer (an exit status, an HTTP status).
public struct StateFileError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: Sendable {
        /// Missing or not readable.
        case unreadable
        /// Read, but not what gazetop writes there.
        case malformed
        /// Its folder, its lock or the file itself could not be written.
        case unwritable
        /// The file is fine, but its rules refuse the request (a used or expired challenge session).
        case refused
    }

    public let kind: Kind
    public let description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
