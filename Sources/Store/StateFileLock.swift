import Foundation
import Glibc

/// An exclusive lock beside a state file (`PATH.lock`), held while a read-change-write of the file runs, so
/// that two gazetop processes on one machine take turns instead of losing each other's change.
enum StateFileLock {
    /// Makes the file's folder, takes the lock, runs `body`, and lets the lock go.
    static func withLock<T>(on path: String, _ body: () throws(StateFileError) -> T) throws(StateFileError) -> T {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw StateFileError(.unwritable, "cannot create \(folder): \(error.localizedDescription)")
        }
        let lock = open(path + ".lock", O_CREAT | O_RDWR, 0o600)
        guard lock >= 0 else { throw StateFileError(.unwritable, "cannot lock \(path).lock: \(String(cString: strerror(errno)))") }
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 && errno == EINTR {}
        return try body()
    }
}
