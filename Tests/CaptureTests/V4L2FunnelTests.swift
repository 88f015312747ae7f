import Capture
import CV4L2
import Glibc
import Testing

@Suite struct V4L2FunnelTests {
    @Test func retriesEINTRUntilTheCallGoesThrough() throws {
        let driver = ScriptedDriver()
        driver.fail(.queryCapabilities, with: [EINTR, EINTR])
        let funnel = V4L2Funnel(driver: driver, fd: 42, path: "/dev/video9")
        var caps = v4l2_capability()
        try funnel.call(.queryCapabilities, &caps)
        #expect(driver.ioctlCalls == 3)
    }

    @Test(arguments: [
        (ENODEV, CameraError.unplugged(path: "/dev/video9")),
        (EBUSY, CameraError.busy(path: "/dev/video9")),
        (EACCES, CameraError.permissionDenied(path: "/dev/video9")),
        (ENOTTY, CameraError.notACaptureDevice(path: "/dev/video9")),
        (EIO, CameraError.failed(path: "/dev/video9", call: "VIDIOC_S_FMT", errno: Errno(EIO))),
    ])
    func mapsErrnoToATypedErrorNamingTheCall(errno: Int32, expected: CameraError) {
        let driver = ScriptedDriver()
        driver.fail(.setFormat, with: [errno])
        let funnel = V4L2Funnel(driver: driver, fd: 42, path: "/dev/video9")
        var format = v4l2_format()
        #expect(throws: expected) { try funnel.call(.setFormat, &format) }
    }

    @Test func handsBackExpectedErrnosInsteadOfThrowing() throws {
        let driver = ScriptedDriver()
        driver.fail(.dequeueBuffer, with: [EAGAIN])
        let funnel = V4L2Funnel(driver: driver, fd: 42, path: "/dev/video9")
        var buffer = v4l2_buffer()
        #expect(try funnel.call(.dequeueBuffer, &buffer, expecting: [Errno(EAGAIN)]) == Errno(EAGAIN))
        #expect(try funnel.call(.dequeueBuffer, &buffer, expecting: [Errno(EAGAIN)]) == nil)
    }

    @Test func openFailuresSayWhatToDo() {
        #expect(throws: CameraError.permissionDenied(path: "/dev/video0")) {
            try V4L2Funnel.open("/dev/video0", driver: ScriptedDriver(openErrno: EACCES))
        }
        #expect(throws: CameraError.noCamera(path: "/dev/video0")) {
            try V4L2Funnel.open("/dev/video0", driver: ScriptedDriver(openErrno: ENOENT))
        }
        #expect(CameraError.permissionDenied(path: "/dev/video0").description.contains("'video' group"))
    }

    @Test func theRealDriverReportsAMissingNodeAsNoCamera() {
        #expect(throws: CameraError.noCamera(path: "/dev/video-gazetop-none")) {
            try V4L2Funnel.open("/dev/video-gazetop-none", driver: LibV4L2Driver())
        }
    }
}
