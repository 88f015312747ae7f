// @preconcurrency: C's `stdout` is a global variable, which strict concurrency refuses to read; it is
// read here only once a command is done, on the main thread.
@preconcurrency import Glibc

/// What `print` wrote to standard output, checked once the command is done: a full disk or a closed pipe
/// must not pass for success.
public enum StandardOutput {
    /// Flushes C's `stdout`; the reason when it or an earlier write failed.
    public static func flushFailure() -> String? {
        if fflush(stdout) != 0 { return String(cString: strerror(errno)) }
        if ferror(stdout) != 0 { return String(cString: strerror(EIO)) }
        return nil
    }
}
