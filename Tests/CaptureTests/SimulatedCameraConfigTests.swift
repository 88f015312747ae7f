import Capture
import Testing

@Suite struct SimulatedCameraConfigTests {
    @Test func readsEveryOption() throws {
        let c = try SimulatedCameraConfig(parsing:
            "sim:/data/clip.mp4?formats=mjpg,GREY&sizes=640x480,320x240&fps=120&pace=demand&fail=busy"
            + "&unplug-after=5&replug-after-ms=300&stall-after=7&loop")
        #expect(c.video == "/data/clip.mp4")
        #expect(c.formats == [.mjpeg, .grey])
        #expect(c.sizes.map { [$0.width, $0.height] } == [[640, 480], [320, 240]])
        #expect(c.fps == 120 && c.pacing == .demand && c.openFailure == .busy)
        #expect(c.unplugAfterFrames == 5 && c.replugAfterMs == 300 && c.stallAfterFrames == 7 && c.loops)
    }

    @Test func aPlainVideoGetsAWebcamsDefaults() throws {
        let c = try SimulatedCameraConfig(parsing: "sim:clip.mp4")
        #expect(c == SimulatedCameraConfig(video: "clip.mp4"))
        #expect(c.formats == [.yuyv, .mjpeg] && c.pacing == .realtime && !c.loops)
    }

    @Test(arguments: [
        ("sim:", "sim: needs a video file, as in sim:clip.mp4"),
        ("sim:a.mp4?fps=fast", "sim: fps wants a rate above 0, not fast"),
        ("sim:a.mp4?sizes=641x480", "sim: size 641x480 is not WIDTHxHEIGHT with an even width"),
        ("sim:a.mp4?fail=sometimes", "sim: fail is busy, permission or missing, not sometimes"),
        ("sim:a.mp4?unplug-after=-1", "sim: unplug-after wants a whole number, not -1"),
        ("sim:a.mp4?colour=red", "sim: unknown option colour (formats, sizes, fps, pace, fail, unplug-after, "
            + "replug-after-ms, stall-after, loop)"),
    ])
    func refusesWhatItCannotRead(spec: String, message: String) {
        #expect(throws: SimulatedCameraConfig.ParseError(description: message)) { try SimulatedCameraConfig(parsing: spec) }
    }
}
