import Glibc
import Synchronization

/// Why an output could not be written; one line for people.
public struct OutputError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// A text output written whole or not at all: lines go to a temporary file beside the target, which is
/// renamed over it only by `commit()`. Dropped without a commit (an error, Ctrl-C), the temporary file is
/// removed and the target is left as it was. `path == nil` writes to standard output instead.
///
/// A target that exists and is not a regular file (`/dev/null`, a FIFO, a terminal) is written in place:
/// renaming over it would replace the device itself (for root, `-o /dev/null` would leave a plain file
/// there).
///
/// Every write is checked: the first that fails (a full disk, a closed pipe, a file-size limit) stops the
/// writing, `hasFailed` says so at once (a long run can stop early), and `commit()` throws it.
// @unchecked Sendable: one thread writes and then commits; other threads read only `hasFailed`, an Atomic.
public final class OutputFile: @unchecked Sendable {
    public let path: String?
    private let temporaryPath: String?
    private let stream: UnsafeMutablePointer<FILE>
    private var committed = false
    private var closed = false
    private let failed = Atomic(false)
    private var failure: OutputError?

    public init(path: String?) throws(OutputError) {
        self.path = path
        guard let path, path != "-" else {
            guard let out = fdopen(dup(STDOUT_FILENO), "w") else {
                throw OutputError(description: "cannot write standard output: \(String(cString: strerror(errno)))")
            }
            stream = out
            temporaryPath = nil
            return
        }
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG {
            guard let file = fopen(path, "w") else {
                throw OutputError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            stream = file
            temporaryPath = nil
            return
        }
        let temp = path + ".tmp-\(getpid())"
        guard let file = fopen(temp, "w") else {
            throw OutputError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        stream = file
        temporaryPath = temp
    }

    deinit {
        if !closed { fclose(stream) }
        if let temporaryPath, !committed { unlink(temporaryPath) }
    }

    /// What the output is called in a message.
    private var name: String { path.flatMap { $0 == "-" ? nil : $0 } ?? "standard output" }

    /// Whether a write has failed (readable from any thread).
    public var hasFailed: Bool { failed.load(ordering: .relaxed) }

    public func write(line: String) {
        guard failure == nil else { return }
        if fputs(line, stream) < 0 || fputc(0x0A, stream) < 0 { fail(errno) }
    }

    private func fail(_ code: Int32) {
        guard failure == nil else { return }
        failure = OutputError(description: "cannot write \(name): \(String(cString: strerror(code)))")
        failed.store(true, ordering: .relaxed)
    }

    /// Flushes and closes the output and, for a file, moves it into place; throws the first write that
    /// failed, or a failure to flush or close (the temporary file is then removed).
    public func commit() throws(OutputError) {
        guard !committed else { return }
        committed = true
        if failure == nil && fflush(stream) != 0 { fail(errno) }
        if failure == nil && ferror(stream) != 0 { fail(EIO) }
        closed = true
        if fclose(stream) != 0 { fail(errno) }
        if let temporaryPath {
            if failure == nil, let path, rename(temporaryPath, path) != 0 { fail(errno) }
            if failure != nil { unlink(temporaryPath) }
        }
        if let failure { throw failure }
    }
}

/// Text to standard error, written straight to the descriptor (no shared C `stderr` state).
public enum StandardError {
    public static func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(STDERR_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }
}
