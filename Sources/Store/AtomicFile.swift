import Foundation
import Glibc

/// Writes a file whole or not at all: a temporary file beside it, renamed over it. Creates the folder of
/// gazetop's own files (`createFolder`), not of a path the user named.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String, createFolder: Bool = true) throws(StateFileError) {
        let url = URL(fileURLWithPath: path)
        do {
            if createFolder {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            }
            try data.write(to: url, options: .atomic)
        } catch {
            throw StateFileError(.unwritable, "cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// Fails now, not after a run's work, if `write` could not put a file at `path`: a temporary file is
    /// made beside it and removed (the folder made first with `createFolder`).
    public static func requireWritable(_ path: String, createFolder: Bool) throws(StateFileError) {
        let url = URL(fileURLWithPath: path)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw StateFileError(.unwritable, "cannot write \(path): it is a folder")
        }
        if createFolder {
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw StateFileError(.unwritable, "cannot write \(path): \(error.localizedDescription)")
            }
        }
        let probe = url.deletingLastPathComponent().appendingPathComponent(".gazetop-probe-\(getpid())").path
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw StateFileError(.unwritable, "cannot write \(path): \(String(cString: strerror(errno)))") }
        close(fd)
        unlink(probe)
    }
}
