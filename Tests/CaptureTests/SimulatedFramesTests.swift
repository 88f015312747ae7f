import Capture
import Glibc
import Testing

/// The simulated camera serving pictures: a still photo held up to the camera, or a folder of frames.
@Suite struct SimulatedFramesTests {
    /// A folder of `values.count` grey PGM pictures, each one flat grey level, named in order.
    static func pictures(_ values: [UInt8], width: Int = 64, height: Int = 48) -> String {
        let folder = TestFolder.make()
        for (i, v) in values.enumerated() {
            writePGM(folder + "/frame_\(i + 10).pgm", width: width, height: height) { _, _ in v }
        }
        return folder
    }

    static func writePGM(_ path: String, width: Int, height: Int, pixel: (Int, Int) -> UInt8) {
        let f = fopen(path, "wb")!
        fputs("P5\n\(width) \(height)\n255\n", f)
        var bytes: [UInt8] = []
        for y in 0..<height { for x in 0..<width { bytes.append(pixel(x, y)) } }
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
    }

    /// Streams `spec` through the V4L2 camera and returns up to `count` frames (fewer if it ends).
    static func frames(_ spec: String, count: Int, width: Int = 64, height: Int = 48) throws -> [Frame] {
        let camera = V4L2Camera(path: spec, driver: try SimulatedV4L2Device(spec: spec))
        try camera.open()
        try camera.configure(CaptureRequest(width: width, height: height, fps: 30))
        try camera.start()
        defer { camera.close() }
        var out: [Frame] = []
        while out.count < count {
            switch try camera.read(waitMs: 1000) {
            case .frame(let f): out.append(f)
            case .waiting: continue
            case .ended: return out
            }
        }
        return out
    }

    static func level(_ f: Frame) -> UInt8 { f.gray[f.gray.count / 2] }

    @Test func aFolderIsServedInNameOrderAt30FramesASecond() throws {
        let folder = Self.pictures([10, 20, 30])
        let frames = try Self.frames("sim:\(folder)?formats=GREY&pace=demand", count: 10)
        #expect(frames.map(Self.level) == [10, 20, 30], "then the stream ends")
        #expect(frames.map { ($0.timeMs * 10).rounded() / 10 } == [0, 33.3, 66.7])
        #expect(frames.allSatisfy { $0.width == 64 && $0.height == 48 })
    }

    @Test func loopServesTheFolderAgain() throws {
        let folder = Self.pictures([10, 20, 30])
        let frames = try Self.frames("sim:\(folder)?formats=GREY&pace=demand&loop", count: 7)
        #expect(frames.map(Self.level) == [10, 20, 30, 10, 20, 30, 10])
        #expect(zip(frames, frames.dropFirst()).allSatisfy { abs($1.timeMs - $0.timeMs - 1000.0 / 30) < 0.01 })
    }

    @Test func aStillPictureRepeatsAtTheRequestedRateWithoutLoop() throws {
        let folder = TestFolder.make()
        let photo = folder + "/photo.pgm"
        Self.writePGM(photo, width: 64, height: 48) { x, y in UInt8((x * 3 + y * 5) % 256) }
        let frames = try Self.frames("sim:\(photo)?formats=YUYV&fps=15&pace=demand", count: 40)
        #expect(frames.count == 40, "a still picture does not end")
        #expect(frames.allSatisfy { $0.gray == frames[0].gray }, "every frame the same picture")
        #expect(frames[0].gray[5 + 7 * 64] == UInt8((5 * 3 + 7 * 5) % 256), "YUYV carries the picture's grey as luma")
        #expect(zip(frames, frames.dropFirst()).allSatisfy { abs($1.timeMs - $0.timeMs - 1000.0 / 15) < 0.01 })
    }

    @Test func picturesAreScaledToTheNegotiatedSize() throws {
        let folder = Self.pictures([200], width: 64, height: 48)
        for format in ["GREY", "YUYV", "MJPG"] {
            let frames = try Self.frames("sim:\(folder)?formats=\(format)&sizes=32x24&pace=demand", count: 1, width: 32, height: 24)
            let frame = try #require(frames.first, "\(format)")
            #expect(frame.width == 32 && frame.height == 24, "\(format)")
            // A flat picture stays flat (JPEG may move a level by one or two).
            #expect(frame.gray.allSatisfy { abs(Int($0) - 200) <= 2 }, "\(format)")
        }
    }

    @Test func probeSaysTheFirstPicturesSizeAndRate() throws {
        let folder = Self.pictures([1, 2], width: 80, height: 60)
        let probe = try SimulatedFrames.probe(folder)
        #expect(probe.width == 80 && probe.height == 60 && probe.fps == 30)
        #expect(throws: CaptureError.fileNotFound(path: folder + "/none.png")) { try SimulatedFrames.probe(folder + "/none.png") }
    }

    @Test(.enabled(if: access(TestData.root + "/faces-68/einstein.jpg", R_OK) == 0, "needs ../shared/data/faces-68"))
    func aPhotoOfTheSharedDataStreamsAsAVideo() throws {
        let frames = try Self.frames("sim:\(TestData.root)/faces-68/einstein.jpg?pace=demand", count: 5, width: 640, height: 480)
        #expect(frames.count == 5)
        #expect(frames.allSatisfy { $0.width == 640 && $0.height == 480 && $0.gray == frames[0].gray })
    }

    /// A long video is encoded ahead by a bounded amount, not whole before the first frame: video00 at
    /// 1280x720 in YUYV was 761 MB and seconds of blank screen before it streamed.
    @Test(.enabled(if: TestData.available, Comment(rawValue: TestData.skipMessage)))
    func aLongVideoIsEncodedAheadByABoundedAmount() throws {
        let spec = "sim:" + TestData.root + "/videos/video00.mp4?formats=YUYV"
        let device = try SimulatedV4L2Device(spec: spec)
        let camera = V4L2Camera(path: spec, driver: device)
        try camera.open()
        try camera.configure(CaptureRequest(width: 1280, height: 720, fps: 30))
        try camera.start()
        defer { camera.close() }
        var frames = 0
        while frames < 3 {
            if case .frame = try camera.read(waitMs: 1000) { frames += 1 }
        }
        let bound = SimulatedFrameStream.aheadFrames * 1280 * 720 * 2
        #expect(device.counters.preparedBytes > 0 && device.counters.preparedBytes <= bound,
                "\(device.counters.preparedBytes) bytes held, bound \(bound)")
    }

    /// Every frame once, in order, the last one flagged; looping, the next pass follows in time.
    @Test(.enabled(if: TestData.available, Comment(rawValue: TestData.skipMessage)))
    func theStreamGivesEveryFrameThenLoops() throws {
        let count = try #require(try VideoFileSource(path: TestData.zjuClip).expectedFrameCount)
        let whole = try SimulatedFrames(video: TestData.zjuClip, fourcc: .grey, width: 320, height: 240, loops: true)
        for loops in [false, true] {
            let stream = try SimulatedFrameStream(video: TestData.zjuClip, fourcc: .grey, width: 320, height: 240, loops: loops)
            var i = 0
            while i < count + 3 && !stream.ends(before: i) {
                guard let f = stream.frame(i) else {
                    usleep(1000)
                    continue
                }
                let expected = try #require(whole.frame(i))
                #expect(f.bytes == expected.bytes && f.offsetUs == expected.offsetUs, "frame \(i)")
                #expect(f.last == (!loops && i == count - 1), "frame \(i)")
                #expect(stream.heldBytes <= SimulatedFrameStream.aheadFrames * 320 * 240)
                i += 1
                stream.release(before: i)
            }
            #expect(i == (loops ? count + 3 : count))
        }
    }
}
