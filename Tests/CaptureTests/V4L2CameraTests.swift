import Capture
import Glibc
import Testing

/// The camera's lifecycle against the simulated device: negotiation, frames, and every way it can fail,
/// each ending in its error with nothing left mapped or open.
@Suite(.enabled(if: TestData.available, Comment(rawValue: TestData.skipMessage)))
struct V4L2CameraTests {
    func expectReleased(_ device: SimulatedV4L2Device, sourceLocation: SourceLocation = #_sourceLocation) {
        let c = device.counters
        #expect(c.openDescriptors == 0, "descriptor left open", sourceLocation: sourceLocation)
        #expect(c.mappedBuffers == 0, "buffer left mapped", sourceLocation: sourceLocation)
        #expect(c.allocatedBuffers == 0, "buffers not freed", sourceLocation: sourceLocation)
    }

    /// The video's own grey frames, as `analyze` sees them.
    func fileFrames(_ count: Int) throws -> [Frame] {
        let source = try VideoFileSource(path: TestData.zjuClip)
        return try (0..<count).compactMap { _ in try source.nextFrame() }
    }

    func frames(_ camera: V4L2Camera, _ count: Int) throws -> [Frame] {
        var frames: [Frame] = []
        while frames.count < count {
            switch try camera.read(waitMs: 1000) {
            case .frame(let f): frames.append(f)
            case .waiting: continue
            case .ended: return frames
            }
        }
        return frames
    }

    @Test(arguments: ["GREY", "YUYV"])
    func uncompressedFormatsDeliverTheVideosLumaExactly(format: String) throws {
        let (device, camera) = try simulated("formats=\(format)&pace=demand")
        try camera.open()
        let chosen = try camera.configure(CaptureRequest(width: 320, height: 240, fps: 30))
        #expect(chosen.same(as: CaptureFormat(fourcc: FourCC(format)!, width: 320, height: 240, fps: 30)))
        try camera.start()
        let got = try frames(camera, 10)
        let want = try fileFrames(10)
        #expect(got.map(\.gray) == want.map(\.gray))
        #expect(got.map(\.sequence) == Array(0..<10))
        #expect(zip(got, want).allSatisfy { abs($0.timeMs - $1.timeMs) < 0.01 }, "stream time is the video's")
        camera.close()
        expectReleased(device)
    }

    @Test func mjpegIsDecodedAtReducedScaleWhenThatCoversTheRequest() throws {
        let (device, camera) = try simulated("formats=MJPG&sizes=640x480&pace=demand")
        try camera.open()
        let chosen = try camera.configure(CaptureRequest(width: 320, height: 240, fps: 30))
        #expect(chosen.same(as: CaptureFormat(fourcc: .mjpeg, width: 640, height: 480, fps: 30, reduction: 2)))
        try camera.start()
        let got = try frames(camera, 3)
        let want = try fileFrames(3)
        #expect(got.map(\.width) == [320, 320, 320] && got.map(\.height) == [240, 240, 240])
        for (g, w) in zip(got, want) {
            let meanError = zip(g.gray, w.gray).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) } / g.gray.count
            #expect(meanError < 6, "JPEG round trip through a 2x scale should stay close to the original")
        }
        camera.close()
        expectReleased(device)
    }

    @Test func theStreamEndsAfterTheLastFrameOfTheVideo() throws {
        let (device, camera) = try simulated("formats=GREY&pace=demand")
        try camera.open()
        try camera.configure(CaptureRequest(width: 320, height: 240))
        try camera.start()
        let all = try frames(camera, 100_000)
        #expect(all.count == (try VideoFileSource(path: TestData.zjuClip)).expectedFrameCount)
        #expect(camera.ended)
        camera.close()
        expectReleased(device)
    }

    @Test(arguments: [
        ("fail=busy", CameraError.busy(path: "")),
        ("fail=permission", CameraError.permissionDenied(path: "")),
        ("fail=missing", CameraError.noCamera(path: "")),
    ])
    func openFailuresNameTheirCause(option: String, expected: CameraError) throws {
        let (device, camera) = try simulated(option)
        let wanted = expected.at(camera.path)
        #expect(throws: wanted) { try camera.open() }
        expectReleased(device)
    }

    @Test func aCameraWithNoReadableFormatIsRefusedWithWhatItOffers() throws {
        let (device, camera) = try simulated("formats=H264")
        try camera.open()
        #expect(throws: CameraError.unsupportedFormat(path: camera.path, offered: ["H264"])) {
            try camera.configure(CaptureRequest())
        }
        camera.close()
        expectReleased(device)
    }

    @Test func unplugMidStreamIsAnErrorAndEverythingIsGivenBack() throws {
        let (device, camera) = try simulated("formats=GREY&pace=demand&unplug-after=5")
        try camera.open()
        try camera.configure(CaptureRequest(width: 320, height: 240))
        try camera.start()
        #expect(throws: CameraError.unplugged(path: camera.path)) { _ = try frames(camera, 10) }
        #expect(device.counters.mappedBuffers == 4, "still mapped until the camera lets go, as with a kernel")
        camera.close()
        expectReleased(device)
    }

    @Test func stoppingMidStreamLeavesNoMappedBufferAndNoOpenDescriptor() throws {
        let (device, camera) = try simulated("formats=YUYV")
        try camera.open()
        try camera.configure(CaptureRequest(width: 320, height: 240))
        try camera.start()
        _ = try frames(camera, 2)
        #expect(device.counters.isStreaming && device.counters.mappedBuffers == 4)
        camera.stop()
        #expect(device.counters.mappedBuffers == 0 && device.counters.allocatedBuffers == 0)
        #expect(device.counters.openDescriptors == 1, "stop keeps the device open; close releases it")
        camera.close()
        expectReleased(device)
    }

    @Test func aCameraLeftForTheDeinitIsReleasedToo() throws {
        let device = try SimulatedV4L2Device(spec: "sim:" + TestData.zjuClip)
        do {
            let camera = V4L2Camera(path: "sim", driver: device)
            try camera.open()
            try camera.configure(CaptureRequest())
            try camera.start()
        }
        expectReleased(device)
    }
}

extension CaptureFormat {
    /// Equal but for the rate's last digits: the clip's container says 30.018 fps.
    func same(as other: CaptureFormat) -> Bool {
        var rounded = self
        rounded.fps = fps.rounded()
        return rounded == other
    }
}

extension CameraError {
    /// The same error for another path (the tests build the expectation before they know the path).
    func at(_ path: String) -> CameraError {
        switch self {
        case .busy: .busy(path: path)
        case .permissionDenied: .permissionDenied(path: path)
        case .noCamera: .noCamera(path: path)
        default: self
        }
    }
}
