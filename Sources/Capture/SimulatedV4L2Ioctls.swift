import CV4L2
import Glibc

/// The simulated device's answers to each request, following the V4L2 uAPI documentation: what each call
/// reads and fills, and which errno it gives when.
extension SimulatedV4L2State {
    static let captureType = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
    static let mmapMemory = V4L2_MEMORY_MMAP.rawValue

    mutating func ioctl(_ fd: Int32, _ request: V4L2Request, _ arg: UnsafeMutableRawPointer, nowUs: Int64)
        throws(Errno) {
        guard nonBlocking[fd] != nil else { throw Errno(EBADF) }
        // An unregistered device answers every request with ENODEV.
        if unplugged || deadFds.contains(fd) { throw Errno(ENODEV) }
        switch request {
        case .queryCapabilities: queryCapabilities(arg.assumingMemoryBound(to: v4l2_capability.self))
        case .enumerateFormats: try enumerateFormats(arg.assumingMemoryBound(to: v4l2_fmtdesc.self))
        case .enumerateFrameSizes: try enumerateFrameSizes(arg.assumingMemoryBound(to: v4l2_frmsizeenum.self))
        case .enumerateFrameIntervals:
            try enumerateFrameIntervals(arg.assumingMemoryBound(to: v4l2_frmivalenum.self))
        case .getFormat: try getFormat(arg.assumingMemoryBound(to: v4l2_format.self))
        case .setFormat: try setFormat(arg.assumingMemoryBound(to: v4l2_format.self))
        case .getParameters, .setParameters: try parameters(arg.assumingMemoryBound(to: v4l2_streamparm.self))
        case .requestBuffers: try requestBuffers(fd, arg.assumingMemoryBound(to: v4l2_requestbuffers.self))
        case .queryBuffer: try queryBuffer(arg.assumingMemoryBound(to: v4l2_buffer.self))
        case .queueBuffer: try queueBuffer(fd, arg.assumingMemoryBound(to: v4l2_buffer.self))
        case .dequeueBuffer: try dequeueBuffer(fd, arg.assumingMemoryBound(to: v4l2_buffer.self), nowUs: nowUs)
        case .streamOn: try streamOn(fd, arg.assumingMemoryBound(to: Int32.self).pointee, nowUs: nowUs)
        case .streamOff: try streamOff(fd, arg.assumingMemoryBound(to: Int32.self).pointee)
        default: throw Errno(ENOTTY)
        }
    }

    private func queryCapabilities(_ caps: UnsafeMutablePointer<v4l2_capability>) {
        caps.pointee = v4l2_capability()
        setCText(&caps.pointee.driver, "gazetop-sim")
        setCText(&caps.pointee.card, "Simulated camera: " + (config.video.split(separator: "/").last.map(String.init) ?? ""))
        setCText(&caps.pointee.bus_info, "platform:gazetop-sim")
        caps.pointee.version = 0x0006_0100
        let node = UInt32(V4L2_CAP_VIDEO_CAPTURE) | UInt32(V4L2_CAP_STREAMING)
        caps.pointee.device_caps = node
        caps.pointee.capabilities = node | UInt32(V4L2_CAP_DEVICE_CAPS)
    }

    private func enumerateFormats(_ desc: UnsafeMutablePointer<v4l2_fmtdesc>) throws(Errno) {
        guard desc.pointee.type == Self.captureType, Int(desc.pointee.index) < offered.count else { throw Errno(EINVAL) }
        let format = offered[Int(desc.pointee.index)]
        desc.pointee.pixelformat = format.fourcc.rawValue
        desc.pointee.flags = format.fourcc.isJPEG || format.fourcc == .h264 ? UInt32(V4L2_FMT_FLAG_COMPRESSED) : 0
        setCText(&desc.pointee.description, format.name)
    }

    private func sizes(of fourcc: UInt32) throws(Errno) -> [OfferedSize] {
        guard let format = offered.first(where: { $0.fourcc.rawValue == fourcc }) else { throw Errno(EINVAL) }
        return format.sizes
    }

    private func enumerateFrameSizes(_ size: UnsafeMutablePointer<v4l2_frmsizeenum>) throws(Errno) {
        let sizes = try sizes(of: size.pointee.pixel_format)
        guard Int(size.pointee.index) < sizes.count else { throw Errno(EINVAL) }
        let chosen = sizes[Int(size.pointee.index)]
        size.pointee.type = V4L2_FRMSIZE_TYPE_DISCRETE.rawValue
        size.pointee.discrete = v4l2_frmsize_discrete(width: UInt32(chosen.width), height: UInt32(chosen.height))
    }

    private func enumerateFrameIntervals(_ interval: UnsafeMutablePointer<v4l2_frmivalenum>) throws(Errno) {
        let sizes = try sizes(of: interval.pointee.pixel_format)
        guard sizes.contains(where: { $0.width == Int(interval.pointee.width) && $0.height == Int(interval.pointee.height) }),
              interval.pointee.index == 0 else { throw Errno(EINVAL) }
        interval.pointee.type = V4L2_FRMIVAL_TYPE_DISCRETE.rawValue
        interval.pointee.discrete = timePerFrame
    }

    /// The frame interval as a fraction of seconds.
    var timePerFrame: v4l2_fract {
        rate == rate.rounded() ? v4l2_fract(numerator: 1, denominator: UInt32(rate))
            : v4l2_fract(numerator: 1000, denominator: UInt32((rate * 1000).rounded()))
    }

    private func fill(_ format: UnsafeMutablePointer<v4l2_format>) {
        format.pointee.fmt.pix.width = UInt32(width)
        format.pointee.fmt.pix.height = UInt32(height)
        format.pointee.fmt.pix.pixelformat = fourcc.rawValue
        format.pointee.fmt.pix.field = V4L2_FIELD_NONE.rawValue
        format.pointee.fmt.pix.bytesperline = UInt32(fourcc.isJPEG ? 0 : width * (fourcc == .grey ? 1 : 2))
        format.pointee.fmt.pix.sizeimage = UInt32(imageSize)
        format.pointee.fmt.pix.colorspace = fourcc.isJPEG ? V4L2_COLORSPACE_JPEG.rawValue : V4L2_COLORSPACE_SRGB.rawValue
    }

    /// Bytes one buffer needs: a JPEG of these pixels never comes near two bytes a pixel.
    var imageSize: Int { width * height * (fourcc == .grey ? 1 : 2) }

    private func getFormat(_ format: UnsafeMutablePointer<v4l2_format>) throws(Errno) {
        guard format.pointee.type == Self.captureType else { throw Errno(EINVAL) }
        fill(format)
    }

    /// Drivers do not refuse a pixel format they lack: they pick one of theirs, and the closest size they
    /// have. Changing format while buffers exist is EBUSY.
    private mutating func setFormat(_ format: UnsafeMutablePointer<v4l2_format>) throws(Errno) {
        guard format.pointee.type == Self.captureType else { throw Errno(EINVAL) }
        guard !streaming, buffers.isEmpty else { throw Errno(EBUSY) }
        let wanted = format.pointee.fmt.pix
        let chosen = offered.first(where: { $0.fourcc.rawValue == wanted.pixelformat }) ?? offered[0]
        let size = chosen.sizes.min(by: {
            abs($0.width - Int(wanted.width)) + abs($0.height - Int(wanted.height))
                < abs($1.width - Int(wanted.width)) + abs($1.height - Int(wanted.height))
        })!
        fourcc = chosen.fourcc
        width = size.width
        height = size.height
        if store.map({ $0.fourcc != fourcc || $0.width != width || $0.height != height }) ?? false { store = nil }
        fill(format)
    }

    /// One rate is offered, so S_PARM settles on it whatever was asked, as the documentation allows.
    private func parameters(_ parm: UnsafeMutablePointer<v4l2_streamparm>) throws(Errno) {
        guard parm.pointee.type == Self.captureType else { throw Errno(EINVAL) }
        parm.pointee.parm.capture = v4l2_captureparm()
        parm.pointee.parm.capture.capability = UInt32(V4L2_CAP_TIMEPERFRAME)
        parm.pointee.parm.capture.timeperframe = timePerFrame
    }

    private mutating func requestBuffers(_ fd: Int32, _ request: UnsafeMutablePointer<v4l2_requestbuffers>)
        throws(Errno) {
        guard request.pointee.type == Self.captureType, request.pointee.memory == Self.mmapMemory else {
            throw Errno(EINVAL)
        }
        if let owner, owner != fd { throw Errno(EBUSY) }
        // Freeing buffers that are streaming or still mapped is refused (older kernels' rule, and the
        // strict order capture must follow anyway: STREAMOFF, munmap, then REQBUFS 0).
        guard !streaming, buffers.allSatisfy({ $0.mapped == 0 }) else { throw Errno(EBUSY) }
        // Another program streaming the same video holds it, as another program holds a real camera.
        if request.pointee.count > 0 && lockKey == nil { lockKey = try SimulatedCameraLock.acquire(config.video) }
        releaseQueue(keepingLock: request.pointee.count > 0)
        guard request.pointee.count > 0 else { return }
        let count = min(max(Int(request.pointee.count), 2), 16)
        for _ in 0..<count {
            buffers.append(Buffer(storage: .allocate(byteCount: imageSize, alignment: 4096), length: imageSize))
        }
        request.pointee.count = UInt32(count)
        request.pointee.capabilities = UInt32(V4L2_BUF_CAP_SUPPORTS_MMAP)
        owner = fd
    }

    private func describe(_ index: Int, into buffer: UnsafeMutablePointer<v4l2_buffer>) {
        let b = buffers[index]
        buffer.pointee.index = UInt32(index)
        buffer.pointee.length = UInt32(b.length)
        buffer.pointee.m.offset = UInt32(offset(of: index))
        buffer.pointee.bytesused = UInt32(b.bytesUsed)
        buffer.pointee.field = V4L2_FIELD_NONE.rawValue
        var flags = UInt32(V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC) | UInt32(V4L2_BUF_FLAG_TSTAMP_SRC_SOE)
        if b.mapped > 0 { flags |= UInt32(V4L2_BUF_FLAG_MAPPED) }
        if b.state == .queued { flags |= UInt32(V4L2_BUF_FLAG_QUEUED) }
        if b.state == .done { flags |= UInt32(V4L2_BUF_FLAG_DONE) }
        if b.last { flags |= UInt32(V4L2_BUF_FLAG_LAST) }
        if b.error { flags |= UInt32(V4L2_BUF_FLAG_ERROR) }
        buffer.pointee.flags = flags
        buffer.pointee.sequence = b.sequence
        buffer.pointee.timestamp = timeval(tv_sec: Int(b.timestampUs / 1_000_000), tv_usec: Int(b.timestampUs % 1_000_000))
    }

    private func checkBuffer(_ buffer: UnsafeMutablePointer<v4l2_buffer>) throws(Errno) -> Int {
        guard buffer.pointee.type == Self.captureType, buffer.pointee.memory == Self.mmapMemory,
              Int(buffer.pointee.index) < buffers.count else { throw Errno(EINVAL) }
        return Int(buffer.pointee.index)
    }

    private func queryBuffer(_ buffer: UnsafeMutablePointer<v4l2_buffer>) throws(Errno) {
        describe(try checkBuffer(buffer), into: buffer)
    }

    private mutating func queueBuffer(_ fd: Int32, _ buffer: UnsafeMutablePointer<v4l2_buffer>) throws(Errno) {
        if let owner, owner != fd { throw Errno(EBUSY) }
        let index = try checkBuffer(buffer)
        guard buffers[index].state == .dequeued else { throw Errno(EINVAL) }
        buffers[index].state = .queued
        buffers[index].last = false
        queued.append(index)
        describe(index, into: buffer)
    }

    private mutating func dequeueBuffer(_ fd: Int32, _ buffer: UnsafeMutablePointer<v4l2_buffer>, nowUs: Int64)
        throws(Errno) {
        if let owner, owner != fd { throw Errno(EBUSY) }
        guard buffer.pointee.type == Self.captureType, buffer.pointee.memory == Self.mmapMemory, streaming else {
            throw Errno(EINVAL)
        }
        advance(nowUs: nowUs)
        if unplugged { throw Errno(ENODEV) }
        if done.isEmpty && exhausted, let failure = store?.failure {
            // The frames before an unreadable picture were served; at it, the camera fails naming it.
            sourceFailure = failure
            throw Errno(EIO)
        }
        guard !done.isEmpty else { throw Errno(exhausted ? EPIPE : EAGAIN) }
        let index = done.removeFirst()
        buffers[index].state = .dequeued
        describe(index, into: buffer)
    }

    private mutating func streamOn(_ fd: Int32, _ type: Int32, nowUs: Int64) throws(Errno) {
        guard UInt32(type) == Self.captureType, !buffers.isEmpty else { throw Errno(EINVAL) }
        if let owner, owner != fd { throw Errno(EBUSY) }
        if streaming { return }
        if store == nil {
            do {
                store = try SimulatedFrameStream(video: config.video, fourcc: fourcc, width: width, height: height,
                                                 loops: config.loops, firstIndex: nextFrame)
            } catch {
                sourceFailure = error
                throw Errno(EIO)
            }
        }
        // The frame streaming starts with (encoded ahead while the stream was off, or just now): waited for,
        // so that the stream's clock starts when it can be served.
        let first = store!.waitForFrame(nextFrame, timeoutMs: 5000)
        streaming = true
        streamStartUs = MonotonicClock.nowUs() // after any decoding: the first frame is due now
        startFrame = nextFrame
        startOffsetUs = first.map { offsetUs(nextFrame, $0) } ?? 0
    }

    /// Stops the stream; every buffer, queued or done, returns to the application (dequeued).
    private mutating func streamOff(_ fd: Int32, _ type: Int32) throws(Errno) {
        guard UInt32(type) == Self.captureType else { throw Errno(EINVAL) }
        if let owner, owner != fd { throw Errno(EBUSY) }
        streaming = false
        queued = []
        done = []
        for i in buffers.indices { buffers[i].state = .dequeued }
    }
}

/// Writes `text` into a fixed-size C char array, truncated and NUL-terminated.
func setCText<T>(_ field: inout T, _ text: String) {
    withUnsafeMutableBytes(of: &field) { raw in
        let bytes = Array(text.utf8.prefix(raw.count - 1))
        raw.copyBytes(from: bytes)
        for i in bytes.count..<raw.count { raw[i] = 0 }
    }
}
