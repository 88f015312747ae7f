import Glibc
import Synchronization

/// What makes a simulated camera busy for a second program, as a real camera is: the program whose
/// descriptor holds the buffer queue (VIDIOC_REQBUFS) holds an exclusive `flock` on a lock file named after
/// the video's real path, in `$XDG_RUNTIME_DIR` (else `/tmp/gazetop-UID`); another program asking for
/// buffers on the same video gets EBUSY until the queue is released or the program ends (the kernel drops
/// a dead program's lock). Within one program, simulated cameras on the same video are independent (tests
/// run many side by side), so the lock is held once per program, counted. Lock files are left in place:
/// removing one while another program opens it would let two programs hold "the" lock.
enum SimulatedCameraLock {
    private struct Held {
        var fd: Int32
        var holders: Int
    }

    private static let held = Mutex<[String: Held]>([:])

    /// Takes the lock for `video`; EBUSY when another program holds it. Failing to make the lock file (no
    /// writable runtime folder) does not stop the camera: the lock is then not taken.
    static func acquire(_ video: String) throws(Errno) -> String {
        let key = lockPath(video)
        try held.withLock { (locks) throws(Errno) in
            if locks[key] != nil {
                locks[key]!.holders += 1
                return
            }
            let fd = Glibc.open(key, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let failure = errno
                Glibc.close(fd)
                if failure == EWOULDBLOCK { throw Errno(EBUSY) }
                return
            }
            locks[key] = Held(fd: fd, holders: 1)
        }
        return key
    }

    /// Gives back what `acquire` took (its answer); the file is unlocked when the program's last holder goes.
    static func release(_ key: String) {
        held.withLock { locks in
            guard var entry = locks[key] else { return }
            entry.holders -= 1
            if entry.holders > 0 {
                locks[key] = entry
            } else {
                Glibc.close(entry.fd) // closing the descriptor releases the flock
                locks[key] = nil
            }
        }
    }

    /// The lock file for `video`: its real path hashed (FNV-1a, 64 bits), so any spelling of the path is
    /// the same camera.
    static func lockPath(_ video: String) -> String {
        var resolved = video
        if let real = realpath(video, nil) {
            resolved = String(cString: real)
            free(real)
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in resolved.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let name = "gazetop-sim-" + String(hash, radix: 16) + ".lock"
        return runtimeFolder() + "/" + name
    }

    /// `$XDG_RUNTIME_DIR` (the user's own, per the XDG base directory specification), else a folder of the
    /// user's own under /tmp.
    private static func runtimeFolder() -> String {
        if let value = getenv("XDG_RUNTIME_DIR"), value.pointee != 0 { return String(cString: value) }
        let folder = "/tmp/gazetop-\(getuid())"
        mkdir(folder, 0o700)
        return folder
    }
}
