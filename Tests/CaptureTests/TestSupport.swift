import Capture
import Glibc
import Synchronization
import Testing

/// Where the shared recordings live: `<repo>/../shared/data`, found from this file's path.
enum TestData {
    static let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3) // Tests/CaptureTests/TestSupport.swift
        return parts.joined(separator: "/") + "/../shared/data"
    }()

    /// A ZJU eyeblink clip: 320x240, 30 fps, about 5 s, one frontal face.
    static let zjuClip = root + "/zju-eyeblink/2_000001M_FNN.mp4"
    static let available = access(zjuClip, R_OK) == 0
    static let skipMessage = "needs ../shared/data (the ZJU eyeblink clips); not found beside the repository"
}

/// A driver whose answers a test scripts: each ioctl request fails with the errnos queued for it, in order,
/// then succeeds.
final class ScriptedDriver: V4L2Driver {
    private let script = Mutex<[UInt: [Int32]]>([:])
    private let calls = Mutex(0)
    let openErrno: Int32?

    init(openErrno: Int32? = nil) { self.openErrno = openErrno }

    func fail(_ request: V4L2Request, with errnos: [Int32]) { script.withLock { $0[request.code] = errnos } }
    var ioctlCalls: Int { calls.withLock { $0 } }

    func open(_ path: String, flags: Int32) throws(Errno) -> Int32 {
        if let openErrno { throw Errno(openErrno) }
        return 42
    }

    func close(_ fd: Int32) throws(Errno) {}

    func ioctl(_ fd: Int32, _ request: V4L2Request, _ argument: UnsafeMutableRawPointer) throws(Errno) {
        calls.withLock { $0 += 1 }
        let next = script.withLock { s -> Int32? in
            guard var queue = s[request.code], !queue.isEmpty else { return nil }
            let e = queue.removeFirst()
            s[request.code] = queue
            return e
        }
        if let next { throw Errno(next) }
    }

    func mmap(_ fd: Int32, length: Int, offset: Int) throws(Errno) -> UnsafeMutableRawPointer { throw Errno(ENOMEM) }
    func munmap(_ address: UnsafeMutableRawPointer, length: Int) throws(Errno) {}
    func poll(_ fd: Int32, events: Int16, timeoutMs: Int32) throws(Errno) -> Int16 { 0 }
}

/// A simulated camera on the test clip, with extra `sim:` options.
func simulated(_ options: String = "") throws -> (SimulatedV4L2Device, V4L2Camera) {
    let spec = "sim:" + TestData.zjuClip + (options.isEmpty ? "" : "?" + options)
    let device = try SimulatedV4L2Device(spec: spec)
    return (device, V4L2Camera(path: spec, driver: device))
}
