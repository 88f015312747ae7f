import Glibc

/// An open V4L2 node and the one funnel every request to it goes through (after v4l-utils' `xioctl`):
/// `EINTR` is retried, `ENODEV` means the camera left, and every other errno becomes a typed error naming
/// the call. Errnos that can only mean a bug in gazetop (`EBADF`, `EFAULT`) stop the program on the spot.
public struct V4L2Funnel: Sendable {
    public let driver: any V4L2Driver
    public let fd: Int32
    public let path: String

    public init(driver: any V4L2Driver, fd: Int32, path: String) {
        self.driver = driver
        self.fd = fd
        self.path = path
    }

    /// Sends `request` with `argument` in and out.
    public func call<T>(_ request: V4L2Request, _ argument: inout T) throws(CameraError) {
        _ = try call(request, &argument, expecting: [])
    }

    /// Like `call`, but hands back instead of throwing the errnos listed in `expected` (`EINVAL` at the end
    /// of an enumeration, `EAGAIN` from a non-blocking `DQBUF`); nil on success.
    public func call<T>(_ request: V4L2Request, _ argument: inout T, expecting expected: Set<Errno>) throws(CameraError)
        -> Errno? {
        while true {
            var failure: Errno?
            withUnsafeMutablePointer(to: &argument) { pointer in
                do throws(Errno) {
                    try driver.ioctl(fd, request, UnsafeMutableRawPointer(pointer))
                } catch {
                    failure = error
                }
            }
            guard let failure else { return nil }
            if failure.rawValue == EINTR { continue }
            if expected.contains(failure) { return failure }
            throw driver.explain(failure, path: path) ?? V4L2Funnel.error(failure, call: request.name, path: path)
        }
    }

    /// What an errno from `call` means for people. Shared by open, mmap and poll, which fail the same ways.
    public static func error(_ failure: Errno, call: String, path: String) -> CameraError {
        switch failure.rawValue {
        case EBADF, EFAULT:
            fatalError("\(call) on \(path): \(failure) can only be a bug in gazetop")
        case ENODEV, ENXIO:
            return .unplugged(path: path)
        case ENOENT:
            return .noCamera(path: path)
        case EACCES, EPERM:
            return .permissionDenied(path: path)
        case EBUSY:
            return .busy(path: path)
        case ENOTTY:
            return .notACaptureDevice(path: path)
        default:
            return .failed(path: path, call: call, errno: failure)
        }
    }

    /// Opens `path` non-blocking (frames are waited for with `poll`, so Ctrl-C and timeouts stay responsive).
    public static func open(_ path: String, driver: any V4L2Driver) throws(CameraError) -> V4L2Funnel {
        while true {
            do throws(Errno) {
                let fd = try driver.open(path, flags: O_RDWR | O_NONBLOCK | O_CLOEXEC)
                return V4L2Funnel(driver: driver, fd: fd, path: path)
            } catch where error.rawValue == EINTR {
                continue
            } catch {
                throw V4L2Funnel.error(error, call: "open", path: path)
            }
        }
    }

    /// Closes the descriptor; a failure to close is not worth stopping for, but EINTR must not leak it.
    public func close() {
        do throws(Errno) {
            try driver.close(fd)
        } catch {
            // POSIX leaves the descriptor state unspecified after EINTR; Linux always releases it.
        }
    }

    enum Readiness { case frame, error, timeout }

    /// Waits for a frame. `.error` (POLLERR without POLLIN) means the queue is broken or the device is
    /// gone; the next DQBUF tells which.
    func waitReadable(timeoutMs: Int32) throws(CameraError) -> Readiness {
        while true {
            do throws(Errno) {
                let events = try driver.poll(fd, events: Int16(POLLIN), timeoutMs: timeoutMs)
                if events & Int16(POLLIN) != 0 { return .frame }
                return events & Int16(POLLERR | POLLHUP) != 0 ? .error : .timeout
            } catch where error.rawValue == EINTR {
                continue
            } catch {
                throw V4L2Funnel.error(error, call: "poll", path: path)
            }
        }
    }
}
