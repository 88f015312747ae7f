import Console
import Store

extension CommandFailure {
    /// A run's failure as the command's one line and exit status.
    init(_ failure: RunFailure) {
        switch failure {
        case .camera(let error): self.init(error)
        case .input(let line): self.init(.input, line)
        case .output(let line): self.init(.output, line)
        case .terminal(let line): self.init(.terminal, line)
        case .stateFile(let error): self.init(error)
        }
    }
}

/// Runs a run wired in Console, its failure as the command's.
func running<T>(_ body: () throws(RunFailure) -> T) throws(CommandFailure) -> T {
    do { return try body() } catch { throw CommandFailure(error) }
}

extension CommandFailure {
    /// A state file that could not be read (exit 3) or written (exit 5), as its one line.
    init(_ error: StateFileError) {
        let kind: Kind = switch error.kind {
        case .unreadable, .malformed, .refused: .input
        case .unwritable: .output
        }
        self.init(kind, error.description)
    }
}

/// Runs a call on a state file, its failure as the command's.
func stateFile<T>(_ body: () throws(StateFileError) -> T) throws(CommandFailure) -> T {
    do { return try body() } catch { throw CommandFailure(error) }
}
