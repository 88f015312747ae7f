import Capture
import CV4L2
import Glibc
import Testing

/// The simulated device answers as the V4L2 documentation says a driver does.
@Suite(.enabled(if: TestData.available, Comment(rawValue: TestData.skipMessage)))
struct SimulatedV4L2DeviceTests {
    let device: SimulatedV4L2Device
    let fd: Int32

    init() throws {
        device = try SimulatedV4L2Device(spec: "sim:" + TestData.zjuClip + "?formats=GREY,YUYV&fps=1")
        fd = try device.open("sim", flags: O_RDWR | O_NONBLOCK)
    }

    func call<T>(_ request: V4L2Request, _ value: inout T) throws(Errno) {
        try withUnsafeMutablePointer(to: &value) { (p) throws(Errno) in try device.ioctl(fd, request, p) }
    }

    func errno<T>(_ request: V4L2Request, _ value: inout T) -> Int32? {
        do throws(Errno) { try call(request, &value); return nil } catch { return error.rawValue }
    }

    @Test func describesItselfAsAVirtualCaptureDevice() throws {
        var caps = v4l2_capability()
        try call(.queryCapabilities, &caps)
        #expect(caps.device_caps & UInt32(V4L2_CAP_VIDEO_CAPTURE) != 0)
        #expect(caps.device_caps & UInt32(V4L2_CAP_STREAMING) != 0)
        let funnelInfo = DeviceList.scan(["sim:" + TestData.zjuClip])
        guard case .device(let info)? = funnelInfo.first else { Issue.record("sim not listed"); return }
        #expect(info.driver == "gazetop-sim")
        #expect(info.isVirtual)
    }

    @Test func enumeratesFormatsSizesAndIntervalsThenSaysEINVAL() throws {
        var names: [String] = []
        var desc = v4l2_fmtdesc()
        desc.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        while errno(.enumerateFormats, &desc) == nil {
            names.append(FourCC(rawValue: desc.pixelformat).description)
            desc.index += 1
        }
        #expect(names == ["GREY", "YUYV"])
        #expect(errno(.enumerateFormats, &desc) == EINVAL)

        var size = v4l2_frmsizeenum()
        size.pixel_format = FourCC.grey.rawValue
        try call(.enumerateFrameSizes, &size)
        #expect(size.type == V4L2_FRMSIZE_TYPE_DISCRETE.rawValue)
        #expect((size.discrete.width, size.discrete.height) == (320, 240))
        size.pixel_format = FourCC.mjpeg.rawValue // not offered
        #expect(errno(.enumerateFrameSizes, &size) == EINVAL)

        var interval = v4l2_frmivalenum()
        interval.pixel_format = FourCC.grey.rawValue
        interval.width = 320
        interval.height = 240
        try call(.enumerateFrameIntervals, &interval)
        #expect((interval.discrete.numerator, interval.discrete.denominator) == (1, 1))
        interval.index = 1
        #expect(errno(.enumerateFrameIntervals, &interval) == EINVAL)
    }

    @Test func setFormatPicksItsOwnFormatAndClosestSizeRatherThanRefusing() throws {
        var format = v4l2_format()
        format.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        format.fmt.pix.pixelformat = FourCC.h264.rawValue
        format.fmt.pix.width = 600
        format.fmt.pix.height = 450
        try call(.setFormat, &format)
        #expect(FourCC(rawValue: format.fmt.pix.pixelformat) == .grey)
        #expect((format.fmt.pix.width, format.fmt.pix.height) == (640, 480))
        #expect(format.fmt.pix.sizeimage == 640 * 480)
    }

    @Test func streamsThroughTheBufferQueue() throws {
        var request = v4l2_requestbuffers()
        request.count = 3
        request.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        request.memory = V4L2_MEMORY_MMAP.rawValue
        try call(.requestBuffers, &request)
        #expect(request.count == 3)

        var mapped: [UnsafeMutableRawPointer] = []
        for i in 0..<request.count {
            var buffer = v4l2_buffer()
            buffer.index = i
            buffer.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
            buffer.memory = V4L2_MEMORY_MMAP.rawValue
            try call(.queryBuffer, &buffer)
            mapped.append(try device.mmap(fd, length: Int(buffer.length), offset: Int(buffer.m.offset)))
            try call(.queueBuffer, &buffer)
            #expect(errno(.queueBuffer, &buffer) == EINVAL, "a buffer cannot be queued twice")
        }
        #expect(device.counters.mappedBuffers == 3)

        var buffer = v4l2_buffer()
        buffer.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        buffer.memory = V4L2_MEMORY_MMAP.rawValue
        #expect(errno(.dequeueBuffer, &buffer) == EINVAL, "DQBUF before STREAMON")
        var type = Int32(V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue)
        try call(.streamOn, &type)
        // At 1 fps the first frame is due at once and the next a second later.
        #expect(try device.poll(fd, events: Int16(POLLIN), timeoutMs: 50) & Int16(POLLIN) != 0)
        try call(.dequeueBuffer, &buffer)
        #expect(buffer.bytesused == 320 * 240)
        #expect(buffer.sequence == 0)
        #expect(buffer.flags & UInt32(V4L2_BUF_FLAG_TIMESTAMP_MASK) == UInt32(V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC))
        let ageMs = MonotonicClock.nowMs() - (Double(buffer.timestamp.tv_sec) * 1000 + Double(buffer.timestamp.tv_usec) / 1000)
        #expect(ageMs >= 0 && ageMs < 1000, "stamped on the monotonic clock at capture")
        #expect(errno(.dequeueBuffer, &buffer) == EAGAIN, "nothing else is due yet")
        #expect(try device.poll(fd, events: Int16(POLLIN), timeoutMs: 20) == 0)

        var release = v4l2_requestbuffers()
        release.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        release.memory = V4L2_MEMORY_MMAP.rawValue
        #expect(errno(.requestBuffers, &release) == EBUSY, "buffers cannot be freed while streaming")
        try call(.streamOff, &type)
        #expect(errno(.requestBuffers, &release) == EBUSY, "nor while mapped")
        for (p, _) in zip(mapped, 0...) { try device.munmap(p, length: 320 * 240) }
        try call(.requestBuffers, &release)
        try device.close(fd)
        let c = device.counters
        #expect(c.openDescriptors == 0 && c.mappedBuffers == 0 && c.allocatedBuffers == 0 && !c.isStreaming)
        #expect(c.framesServed == 1 && c.framesDropped == 0)
    }

    @Test func onlyTheDescriptorThatOwnsTheQueueMayUseIt() throws {
        var request = v4l2_requestbuffers()
        request.count = 2
        request.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        request.memory = V4L2_MEMORY_MMAP.rawValue
        try call(.requestBuffers, &request)
        let other = try device.open("sim", flags: O_RDWR | O_NONBLOCK)
        let denied: Int32? = withUnsafeMutablePointer(to: &request) { p in
            do throws(Errno) { try device.ioctl(other, .requestBuffers, p); return nil } catch { return error.rawValue }
        }
        #expect(denied == EBUSY)
        try device.close(other)
        try device.close(fd)
        #expect(device.counters.allocatedBuffers == 0)
    }
}
