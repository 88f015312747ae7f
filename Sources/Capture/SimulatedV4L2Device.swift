import CV4L2
import Glibc
import Synchronization

/// A V4L2 capture device in software, answering the ioctls the way the kernel documentation describes
/// them, on the real `struct v4l2_*` values: QUERYCAP, ENUM_FMT, ENUM_FRAMESIZES, ENUM_FRAMEINTERVALS,
/// G/S_FMT, G/S_PARM, REQBUFS, QUERYBUF, QBUF, DQBUF (EAGAIN when empty on a non-blocking descriptor, EPIPE
/// after the last buffer), STREAMON and STREAMOFF, plus open, mmap, munmap, poll and close. It serves the
/// frames of a real video in the negotiated format at the video's own rate, and fails on request (see
/// `SimulatedCameraConfig`). Its "mmap" hands out memory it allocates itself, and it counts descriptors
/// and mappings so tests can check that capture gives everything back.
///
/// Frames are produced lazily, when the client polls or dequeues: frame i is due at STREAMON time plus its
/// time in the video; a due frame goes into the oldest queued buffer, stamped with its due time (as a real
/// driver stamps the moment of capture), or is dropped when no buffer is queued.
public final class SimulatedV4L2Device: V4L2Driver {
    public let config: SimulatedCameraConfig
    /// What it offers, as VIDIOC_ENUM_FMT and friends list it.
    public let offered: [OfferedFormat]
    /// Frames per second it serves.
    public let rate: Double
    private let state: Mutex<SimulatedV4L2State>

    /// Reads the video's size and rate (decoding starts at VIDIOC_STREAMON, once the format is known). A
    /// single image is a still picture held in front of the camera: it is served again and again, as if
    /// `loop` were given.
    public init(config: SimulatedCameraConfig) throws(CaptureError) {
        var config = config
        if FileSystem.isStill(config.video) { config.loops = true }
        let probe = try SimulatedFrames.probe(config.video)
        // Containers state rates like 30.00003 (a timebase artefact); a camera would report 1/30.
        let nominal = probe.fps.map { abs($0 - $0.rounded()) < 0.01 ? $0.rounded() : $0 }
        let rate = config.fps ?? nominal ?? 30
        var sizes = config.sizes
        if sizes.isEmpty {
            for size in [(probe.width & ~1, probe.height), (640, 480), (320, 240)]
                where !sizes.contains(where: { $0 == size }) {
                sizes.append(size)
            }
        }
        self.config = config
        self.rate = rate
        self.offered = config.formats.map { fourcc in
            OfferedFormat(fourcc: fourcc, name: SimulatedV4L2Device.formatName(fourcc),
                          sizes: sizes.map { OfferedSize(width: $0.width, height: $0.height, rates: [rate]) })
        }
        state = Mutex(SimulatedV4L2State(config: config, offered: offered, rate: rate))
    }

    /// Opens a device from a `sim:` value.
    public convenience init(spec: String) throws(CameraError) {
        let config: SimulatedCameraConfig
        do { config = try SimulatedCameraConfig(parsing: spec) } catch {
            throw .failed(path: spec, call: "open", errno: Errno(EINVAL))
        }
        do { try self.init(config: config) } catch {
            throw .noCamera(path: spec)
        }
    }

    deinit {
        state.withLock { $0.freeEverything() }
    }

    static func formatName(_ fourcc: FourCC) -> String {
        switch fourcc {
        case .grey: "8-bit Greyscale"
        case .yuyv: "YUYV 4:2:2"
        case .mjpeg: "Motion-JPEG"
        case .jpeg: "JFIF JPEG"
        default: "\(fourcc)"
        }
    }

    // MARK: What tests look at

    /// What the device holds right now, and what it did so far.
    public struct Counters: Equatable, Sendable {
        public var openDescriptors: Int
        /// Live mmap mappings (munmap not yet called).
        public var mappedBuffers: Int
        /// Buffers whose memory is still allocated, queue and orphans together.
        public var allocatedBuffers: Int
        public var isStreaming: Bool
        /// Frames put into a buffer, and frames skipped because no buffer was queued.
        public var framesServed: Int
        public var framesDropped: Int
        /// CPU time (of whichever thread polled) spent copying frames into buffers.
        public var workUs: Int64
        /// Size of the encoded frames held now, and how long the first was in coming (or, after `prepare`,
        /// all of them).
        public var preparedBytes: Int
        public var preparationMs: Double
    }

    public var counters: Counters { state.withLock { $0.counters } }

    /// Builds the frames for a format now, so a benchmark can time the streaming alone.
    public func prepare(fourcc: FourCC, width: Int, height: Int) throws(CaptureError) {
        let frames = try SimulatedFrames(video: config.video, fourcc: fourcc, width: width, height: height, loops: config.loops)
        state.withLock { $0.store = frames }
    }

    // MARK: V4L2Driver

    public func open(_ path: String, flags: Int32) throws(Errno) -> Int32 {
        try state.withLock { (s) throws(Errno) in try s.open(flags: flags, nowUs: MonotonicClock.nowUs()) }
    }

    public func close(_ fd: Int32) throws(Errno) {
        try state.withLock { (s) throws(Errno) in try s.close(fd) }
    }

    public func ioctl(_ fd: Int32, _ request: V4L2Request, _ argument: UnsafeMutableRawPointer) throws(Errno) {
        // The argument crosses into the locked state as an address: region checking cannot see that the
        // caller's struct outlives the call, and it does (the call is synchronous).
        let address = UInt(bitPattern: argument)
        while true {
            do throws(Errno) {
                return try state.withLock { (s) throws(Errno) in
                    try s.ioctl(fd, request, UnsafeMutableRawPointer(bitPattern: address)!, nowUs: MonotonicClock.nowUs())
                }
            } catch where error.rawValue == EAGAIN && request == .dequeueBuffer && !isNonBlocking(fd) {
                // A blocking DQBUF waits for a frame, as the kernel's does.
                _ = try poll(fd, events: Int16(POLLIN), timeoutMs: 100)
            }
        }
    }

    public func explain(_ failure: Errno, path: String) -> CameraError? {
        guard failure.rawValue == EIO, let source = state.withLock({ $0.sourceFailure }) else { return nil }
        return .unreadableSource(path: path, reason: source.description)
    }

    private func isNonBlocking(_ fd: Int32) -> Bool { state.withLock { $0.nonBlocking[fd] ?? true } }

    public func mmap(_ fd: Int32, length: Int, offset: Int) throws(Errno) -> UnsafeMutableRawPointer {
        let address = try state.withLock { (s) throws(Errno) -> UInt in try s.map(fd, length: length, offset: offset) }
        return UnsafeMutableRawPointer(bitPattern: address)!
    }

    public func munmap(_ address: UnsafeMutableRawPointer, length: Int) throws(Errno) {
        let bits = UInt(bitPattern: address)
        try state.withLock { (s) throws(Errno) in try s.unmap(bits) }
    }

    public func poll(_ fd: Int32, events: Int16, timeoutMs: Int32) throws(Errno) -> Int16 {
        let deadline: Int64? = timeoutMs < 0 ? nil : MonotonicClock.nowUs() + Int64(timeoutMs) * 1000
        while true {
            let now = MonotonicClock.nowUs()
            let (revents, wakeUs) = try state.withLock { (s) throws(Errno) in try s.poll(fd, nowUs: now) }
            if revents != 0 { return revents }
            if let deadline, now >= deadline { return 0 }
            // Sleep until the next frame is due or the wait ends, whichever is first; with neither, check
            // back now and then (another thread may queue a buffer).
            let until = [deadline, wakeUs].compactMap { $0 }.min() ?? now + 100_000
            Self.sleep(untilUs: until)
        }
    }

    private static func sleep(untilUs: Int64) {
        var ts = timespec(tv_sec: Int(untilUs / 1_000_000), tv_nsec: Int(untilUs % 1_000_000) * 1000)
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == EINTR {}
    }
}
