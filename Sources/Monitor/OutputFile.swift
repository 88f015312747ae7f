import Glibc

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
public final class OutputFile {
    public let path: String?
    private let temporaryPath: String?
    private let stream: UnsafeMutablePointer<FILE>
    private var committed = false

    public init(path: String?) throws(OutputError) {
        self.path = path
        guard let path, path != "-" else {
            stream = fdopen(dup(STDOUT_FILENO), "w")
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
        if let temporaryPath, !committed {
            fclose(stream)
            unlink(temporaryPath)
        } else if path != nil && temporaryPath == nil && !committed {
            fclose(stream)
        }
    }

    public func write(line: String) {
        fputs(line, stream)
        fputc(0x0A, stream)
    }

    /// Flushes and, for a file, moves it into place.
    public func commit() throws(OutputError) {
        guard let path, let temporaryPath else {
            fflush(stream)
            if path != nil && !committed { // written in place: nothing to move
                committed = true
                fclose(stream)
            }
            return
        }
        committed = true
        let failed = fflush(stream) != 0 || ferror(stream) != 0
        fclose(stream)
        if failed || rename(temporaryPath, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw OutputError(description: "cannot write \(path): \(reason)")
        }
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
