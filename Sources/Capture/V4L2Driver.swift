import CV4L2
import Glibc

/// An `errno` value, as a type: the only way the driver boundary reports failure.
public struct Errno: RawRepresentable, Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    /// The C library's words for it ("Device or resource busy").
    public var description: String { String(cString: strerror(rawValue)) }

    /// The calling thread's `errno`, read at once after a failed call.
    public static var current: Errno { Errno(errno) }
}

/// The few kernel entry points V4L2 capture uses, so the same capture code runs against the real driver
/// (through libv4l2) and against `SimulatedV4L2Device`. Each call reports failure by throwing the errno the
/// kernel would set; none retries `EINTR` (that is the funnel's job, in one place).
public protocol V4L2Driver: AnyObject, Sendable {
    /// Opens a device node. The corresponding C call is `open`.
    func open(_ path: String, flags: Int32) throws(Errno) -> Int32
    /// Closes a descriptor. The corresponding C call is `close`.
    func close(_ fd: Int32) throws(Errno)
    /// One V4L2 request on `argument`, a `struct v4l2_*` the request reads and fills.
    /// The corresponding C call is `ioctl`.
    func ioctl(_ fd: Int32, _ request: V4L2Request, _ argument: UnsafeMutableRawPointer) throws(Errno)
    /// Maps the driver buffer whose `QUERYBUF` offset is `offset`, shared and read-write.
    /// The corresponding C call is `mmap`.
    func mmap(_ fd: Int32, length: Int, offset: Int) throws(Errno) -> UnsafeMutableRawPointer
    /// The corresponding C call is `munmap`.
    func munmap(_ address: UnsafeMutableRawPointer, length: Int) throws(Errno)
    /// Waits up to `timeoutMs` for `events` on `fd`; returns the events that happened (empty on timeout).
    /// The corresponding C call is `poll`.
    func poll(_ fd: Int32, events: Int16, timeoutMs: Int32) throws(Errno) -> Int16
    /// What `failure`, just thrown by a call on the device at `path`, means when the errno alone would not
    /// say: a simulated camera's picture that cannot be read is EIO to the caller, and this names the
    /// picture. nil (the default, and the kernel's): the errno says it all.
    func explain(_ failure: Errno, path: String) -> CameraError?
}

extension V4L2Driver {
    public func explain(_ failure: Errno, path: String) -> CameraError? { nil }
}

/// A V4L2 ioctl request code with the name people know it by, so every error can say which call failed.
public struct V4L2Request: Equatable, Sendable, CustomStringConvertible {
    public let code: UInt
    public let name: String
    public var description: String { name }

    public static func == (a: V4L2Request, b: V4L2Request) -> Bool { a.code == b.code }

    public static let queryCapabilities = V4L2Request(code: cv4l2_VIDIOC_QUERYCAP, name: "VIDIOC_QUERYCAP")
    public static let enumerateFormats = V4L2Request(code: cv4l2_VIDIOC_ENUM_FMT, name: "VIDIOC_ENUM_FMT")
    public static let enumerateFrameSizes = V4L2Request(code: cv4l2_VIDIOC_ENUM_FRAMESIZES,
                                                        name: "VIDIOC_ENUM_FRAMESIZES")
    public static let enumerateFrameIntervals = V4L2Request(code: cv4l2_VIDIOC_ENUM_FRAMEINTERVALS,
                                                            name: "VIDIOC_ENUM_FRAMEINTERVALS")
    public static let getFormat = V4L2Request(code: cv4l2_VIDIOC_G_FMT, name: "VIDIOC_G_FMT")
    public static let setFormat = V4L2Request(code: cv4l2_VIDIOC_S_FMT, name: "VIDIOC_S_FMT")
    public static let getParameters = V4L2Request(code: cv4l2_VIDIOC_G_PARM, name: "VIDIOC_G_PARM")
    public static let setParameters = V4L2Request(code: cv4l2_VIDIOC_S_PARM, name: "VIDIOC_S_PARM")
    public static let requestBuffers = V4L2Request(code: cv4l2_VIDIOC_REQBUFS, name: "VIDIOC_REQBUFS")
    public static let queryBuffer = V4L2Request(code: cv4l2_VIDIOC_QUERYBUF, name: "VIDIOC_QUERYBUF")
    public static let queueBuffer = V4L2Request(code: cv4l2_VIDIOC_QBUF, name: "VIDIOC_QBUF")
    public static let dequeueBuffer = V4L2Request(code: cv4l2_VIDIOC_DQBUF, name: "VIDIOC_DQBUF")
    public static let streamOn = V4L2Request(code: cv4l2_VIDIOC_STREAMON, name: "VIDIOC_STREAMON")
    public static let streamOff = V4L2Request(code: cv4l2_VIDIOC_STREAMOFF, name: "VIDIOC_STREAMOFF")
}

/// The real thing: the kernel's V4L2 driver through libv4l2.
public final class LibV4L2Driver: V4L2Driver {
    public init() {}

    public func open(_ path: String, flags: Int32) throws(Errno) -> Int32 {
        let fd = cv4l2_open(path, flags)
        guard fd >= 0 else { throw .current }
        return fd
    }

    public func close(_ fd: Int32) throws(Errno) {
        guard cv4l2_close(fd) == 0 else { throw .current }
    }

    public func ioctl(_ fd: Int32, _ request: V4L2Request, _ argument: UnsafeMutableRawPointer) throws(Errno) {
        guard cv4l2_ioctl(fd, request.code, argument) == 0 else { throw .current }
    }

    public func mmap(_ fd: Int32, length: Int, offset: Int) throws(Errno) -> UnsafeMutableRawPointer {
        guard let address = cv4l2_mmap(fd, length, offset) else { throw .current }
        return address
    }

    public func munmap(_ address: UnsafeMutableRawPointer, length: Int) throws(Errno) {
        guard cv4l2_munmap(address, length) == 0 else { throw .current }
    }

    public func poll(_ fd: Int32, events: Int16, timeoutMs: Int32) throws(Errno) -> Int16 {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        let n = Glibc.poll(&entry, 1, timeoutMs)
        guard n >= 0 else { throw .current }
        return n == 0 ? 0 : entry.revents
    }
}
