import CV4L2
import Glibc

/// A V4L2 capture device, mirroring the V4L2 lifecycle one call to one step (after v4l-utils'
/// capture-example.c): `open` (open, VIDIOC_QUERYCAP), `configure` (negotiate, VIDIOC_S_FMT, VIDIOC_S_PARM),
/// `start` (VIDIOC_REQBUFS, VIDIOC_QUERYBUF and mmap per buffer, VIDIOC_QBUF all, VIDIOC_STREAMON), `read`
/// (poll, VIDIOC_DQBUF, copy out, VIDIOC_QBUF again), `stop` (VIDIOC_STREAMOFF, munmap, VIDIOC_REQBUFS 0)
/// and `close`. Deinit undoes whatever is still done, so no path leaves a buffer mapped or a descriptor open.
///
/// Not thread-safe: one capture thread owns it.
public final class V4L2Camera {
    public let path: String
    public let driver: any V4L2Driver
    /// How many buffers to ask the driver for: enough that the driver always has one to fill while we copy
    /// out another.
    public var bufferCount = 4

    /// Identity and formats, known after `open`.
    public private(set) var info: DeviceInfo?
    /// The format in use, as the driver settled it, known after `configure`.
    public private(set) var format: CaptureFormat?
    /// Frames the driver itself skipped (gaps in its sequence numbers: no buffer was free to fill).
    public private(set) var driverDrops = 0
    /// Buffers the driver flagged as corrupt and that were handed back unread.
    public private(set) var corruptFrames = 0
    /// The driver said the stream has ended (a simulated camera at the end of its video).
    public private(set) var ended = false

    private var funnel: V4L2Funnel?
    private var mappings: [(address: UnsafeMutableRawPointer, length: Int)] = []
    private var requestedBuffers = false
    private var streaming = false
    private var bytesPerLine = 0

    // Stream time and sequence survive a reconnect, so records stay in order across it.
    private var originUs: Int64?
    private var firstDriverSequence: UInt32?
    private var lastDriverSequence: UInt32 = 0
    private var sequenceBase = 0
    private var nextSequence = 0

    public init(path: String, driver: any V4L2Driver = LibV4L2Driver()) {
        self.path = path
        self.driver = driver
    }

    deinit { close() }

    public var isOpen: Bool { funnel != nil }

    /// Opens the node and asks who it is. Refuses nodes that do not capture video.
    /// The corresponding C calls are `open` and `VIDIOC_QUERYCAP`.
    public func open() throws(CameraError) {
        precondition(funnel == nil, "open called twice")
        let funnel = try V4L2Funnel.open(path, driver: driver)
        do throws(CameraError) {
            let info = try funnel.describe()
            guard info.isCapture else { throw CameraError.notACaptureDevice(path: path) }
            self.info = info
            self.funnel = funnel
        } catch {
            funnel.close()
            throw error
        }
    }

    /// Chooses the closest format the camera offers, and sets it and the frame rate.
    /// The corresponding C calls are `VIDIOC_S_FMT` and `VIDIOC_S_PARM`.
    @discardableResult
    public func configure(_ request: CaptureRequest) throws(CameraError) -> CaptureFormat {
        guard let funnel, let info else { preconditionFailure("configure before open") }
        guard var chosen = FormatNegotiation.choose(from: info.formats, for: request) else {
            throw .unsupportedFormat(path: path, offered: info.formats.map(\.fourcc.description))
        }
        var fmt = v4l2_format()
        fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        fmt.fmt.pix.width = UInt32(chosen.width)
        fmt.fmt.pix.height = UInt32(chosen.height)
        fmt.fmt.pix.pixelformat = chosen.fourcc.rawValue
        fmt.fmt.pix.field = V4L2_FIELD_NONE.rawValue
        try funnel.call(.setFormat, &fmt)
        // The driver has the last word on size; a different pixel format means it cannot give ours.
        guard fmt.fmt.pix.pixelformat == chosen.fourcc.rawValue else {
            throw .unsupportedFormat(path: path, offered: info.formats.map(\.fourcc.description))
        }
        chosen.width = Int(fmt.fmt.pix.width)
        chosen.height = Int(fmt.fmt.pix.height)
        if chosen.fourcc.isJPEG {
            chosen.reduction = FormatNegotiation.jpegReduction(
                OfferedSize(width: chosen.width, height: chosen.height, rates: []), request)
        }
        bytesPerLine = Int(fmt.fmt.pix.bytesperline)
        if let fps = try setRate(chosen.fps, funnel) { chosen.fps = fps }
        format = chosen
        return chosen
    }

    /// Asks for `fps`; returns the rate the driver settled on, or nil when it has no rate control.
    private func setRate(_ fps: Double, _ funnel: V4L2Funnel) throws(CameraError) -> Double? {
        var parm = v4l2_streamparm()
        parm.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        let unsupported: Set<Errno> = [Errno(EINVAL), Errno(ENOTTY)]
        if try funnel.call(.getParameters, &parm, expecting: unsupported) != nil { return nil }
        guard parm.parm.capture.capability & UInt32(V4L2_CAP_TIMEPERFRAME) != 0 else { return nil }
        let isWhole = fps == fps.rounded()
        parm.parm.capture.timeperframe = v4l2_fract(numerator: isWhole ? 1 : 1000,
                                                    denominator: UInt32((isWhole ? fps : fps * 1000).rounded()))
        if try funnel.call(.setParameters, &parm, expecting: unsupported) != nil { return nil }
        let t = parm.parm.capture.timeperframe
        return t.numerator > 0 && t.denominator > 0 ? Double(t.denominator) / Double(t.numerator) : nil
    }

    /// Sets up memory-mapped buffers, queues them all and starts streaming. On failure, whatever was set up
    /// is released before the error is thrown.
    /// The corresponding C calls are `VIDIOC_REQBUFS`, `VIDIOC_QUERYBUF`, `mmap`, `VIDIOC_QBUF`, `VIDIOC_STREAMON`.
    public func start() throws(CameraError) {
        guard let funnel, format != nil else { preconditionFailure("start before configure") }
        precondition(!streaming && mappings.isEmpty, "start called twice")
        do throws(CameraError) {
            var request = v4l2_requestbuffers()
            request.count = UInt32(bufferCount)
            request.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
            request.memory = V4L2_MEMORY_MMAP.rawValue
            try funnel.call(.requestBuffers, &request)
            requestedBuffers = true
            guard request.count >= 2 else {
                throw CameraError.failed(path: path, call: "VIDIOC_REQBUFS", errno: Errno(ENOMEM))
            }
            for index in 0..<request.count {
                var buffer = emptyBuffer(index: index)
                try funnel.call(.queryBuffer, &buffer)
                mappings.append((try map(buffer, funnel), Int(buffer.length)))
            }
            for index in 0..<request.count {
                var buffer = emptyBuffer(index: index)
                try funnel.call(.queueBuffer, &buffer)
            }
            var type = Int32(V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue)
            try funnel.call(.streamOn, &type)
            streaming = true
            firstDriverSequence = nil
            ended = false
        } catch {
            stop()
            throw error
        }
    }

    private func map(_ buffer: v4l2_buffer, _ funnel: V4L2Funnel) throws(CameraError) -> UnsafeMutableRawPointer {
        do throws(Errno) {
            return try driver.mmap(funnel.fd, length: Int(buffer.length), offset: Int(buffer.m.offset))
        } catch {
            throw V4L2Funnel.error(error, call: "mmap", path: path)
        }
    }

    private func emptyBuffer(index: UInt32 = 0) -> v4l2_buffer {
        var buffer = v4l2_buffer()
        buffer.index = index
        buffer.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        buffer.memory = V4L2_MEMORY_MMAP.rawValue
        return buffer
    }

    /// What one wait for a frame gave.
    public enum Read {
        case frame(Frame)
        /// Nothing within the wait; ask again.
        case waiting
        /// The stream has ended (only a simulated camera's does).
        case ended
    }

    /// Waits up to `waitMs` for the next frame, copies its pixels out and hands the buffer straight back
    /// to the driver. The corresponding C calls are `poll`, `VIDIOC_DQBUF` and `VIDIOC_QBUF`.
    public func read(waitMs: Int) throws(CameraError) -> Read {
        guard let funnel, let format, streaming else { preconditionFailure("read before start") }
        if ended { return .ended }
        let readiness = try funnel.waitReadable(timeoutMs: Int32(clamping: waitMs))
        if readiness == .timeout { return .waiting }
        var buffer = emptyBuffer()
        if let errno = try funnel.call(.dequeueBuffer, &buffer, expecting: [Errno(EAGAIN), Errno(EPIPE)]) {
            if errno.rawValue == EPIPE {
                ended = true
                return .ended
            }
            if readiness == .error {
                throw .failed(path: path, call: "poll", errno: Errno(EIO))
            }
            return .waiting
        }
        let index = Int(buffer.index)
        precondition(index < mappings.count, "VIDIOC_DQBUF returned buffer \(index) of \(mappings.count)")
        let isLast = buffer.flags & UInt32(V4L2_BUF_FLAG_LAST) != 0
        var frame: Frame?
        var badFrame: String?
        if buffer.flags & UInt32(V4L2_BUF_FLAG_ERROR) != 0 || buffer.bytesused == 0 {
            corruptFrames += 1
        } else {
            let bytes = UnsafeRawBufferPointer(start: mappings[index].address,
                                               count: min(Int(buffer.bytesused), mappings[index].length))
            do throws(LumaExtraction.Failure) {
                let luma = try LumaExtraction.gray(from: bytes, format: format, bytesPerLine: bytesPerLine)
                frame = makeFrame(luma, buffer)
            } catch {
                badFrame = error.reason
            }
        }
        if isLast {
            ended = true
        } else {
            try funnel.call(.queueBuffer, &buffer)
        }
        if let badFrame {
            // A camera's MJPEG stream does have the odd broken frame: skip it rather than stop. An
            // uncompressed frame that does not fit its own format is a driver we cannot read.
            guard format.fourcc.isJPEG else { throw .badFrame(path: path, reason: badFrame) }
            corruptFrames += 1
        }
        if let frame { return .frame(frame) }
        return isLast ? .ended : .waiting
    }

    private func makeFrame(_ luma: (pixels: [UInt8], width: Int, height: Int), _ buffer: v4l2_buffer) -> Frame {
        let monotonic = buffer.flags & UInt32(V4L2_BUF_FLAG_TIMESTAMP_MASK)
            == UInt32(V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC)
        let stampUs = monotonic
            ? Int64(buffer.timestamp.tv_sec) * 1_000_000 + Int64(buffer.timestamp.tv_usec)
            : MonotonicClock.nowUs()
        let origin = originUs ?? stampUs
        originUs = origin
        if let first = firstDriverSequence {
            let step = Int(buffer.sequence &- lastDriverSequence)
            if step > 1 { driverDrops += step - 1 }
            nextSequence = sequenceBase + Int(buffer.sequence &- first)
        } else {
            firstDriverSequence = buffer.sequence
            sequenceBase = nextSequence
        }
        lastDriverSequence = buffer.sequence
        defer { nextSequence += 1 }
        return Frame(gray: luma.pixels, width: luma.width, height: luma.height,
                     timeMs: Double(stampUs - origin) / 1000, sequence: nextSequence,
                     captureMs: Double(stampUs) / 1000)
    }

    /// Stops streaming and releases every buffer. Safe to call at any point, and after the camera left:
    /// the calls that fail then (ENODEV) have nothing left to undo.
    /// The corresponding C calls are `VIDIOC_STREAMOFF`, `munmap` and `VIDIOC_REQBUFS` with a count of 0.
    public func stop() {
        guard let funnel else { return }
        if streaming {
            var type = Int32(V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue)
            _ = try? funnel.call(.streamOff, &type)
            streaming = false
        }
        for mapping in mappings {
            do throws(Errno) { try driver.munmap(mapping.address, length: mapping.length) } catch {}
        }
        mappings = []
        if requestedBuffers {
            var request = v4l2_requestbuffers()
            request.count = 0
            request.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
            request.memory = V4L2_MEMORY_MMAP.rawValue
            _ = try? funnel.call(.requestBuffers, &request)
            requestedBuffers = false
        }
    }

    /// Stops and closes the descriptor. The camera can be opened again (a reconnect).
    public func close() {
        stop()
        funnel?.close()
        funnel = nil
    }
}
