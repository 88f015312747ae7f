import Capture
import Foundation
import GazeCore
import Glibc
import Monitor
import Synchronization
import Testing
import Vision

/// A stand-in for vision with a known cost per frame, for testing the queueing on its own.
final class SleepingProcessor: FrameProcessing {
    let sleepMs: Int
    init(sleepMs: Int) { self.sleepMs = sleepMs }

    func finish() -> [FrameRecord] { [] }

    func process(_ frame: Frame) -> FrameResult {
        if sleepMs > 0 { usleep(UInt32(sleepMs * 1000)) }
        let record = FrameRecord(t: frame.timeMs, earLeft: nil, earRight: nil, blink: false, eyeContact: false,
                           eyeContactPct: 0, gazeVector: nil, conf: 0, frame: frame.sequence, face: false, faces: 0,
                           blinkCount: 0, eyes: .unknown, headPose: nil, pupilLeft: nil, pupilRight: nil,
                           ms: Double(sleepMs), raw: nil)
        let observation = FrameObservation(frame: frame.sequence, timeMs: frame.timeMs, imageWidth: frame.width,
                                           imageHeight: frame.height, faceCount: 0, face: nil, frameLevel: 0,
                                           visionMs: Double(sleepMs))
        return FrameResult(frame: frame, observation: observation, live: record, confirmed: [record],
                           timing: FrameResult.Timing(visionMs: Double(sleepMs), metricsMs: 0))
    }
}

@Suite(.serialized, .enabled(if: TestData.available, Comment(rawValue: TestData.skipMessage)))
struct LiveSessionTests {
    func session(_ sim: String, sleepMs: Int = 0, configure: (inout LiveOptions) -> Void = { _ in })
        throws -> (LiveSession, SimulatedV4L2Device) {
        let (device, camera) = try simulated(sim)
        var options = LiveOptions()
        options.request = CaptureRequest(width: 320, height: 240, fps: 30)
        configure(&options)
        return (LiveSession(camera: camera, options: options) { SleepingProcessor(sleepMs: sleepMs) }, device)
    }

    func expectReleased(_ device: SimulatedV4L2Device, sourceLocation: SourceLocation = #_sourceLocation) {
        let c = device.counters
        #expect(c.openDescriptors == 0 && c.mappedBuffers == 0 && c.allocatedBuffers == 0,
                "camera not fully released: \(c)", sourceLocation: sourceLocation)
    }

    var clipFrames: Int { (try? VideoFileSource(path: TestData.zjuClip).expectedFrameCount) ?? -1 }

    @Test func slowVisionDropsStaleFramesInsteadOfQueueingThem() throws {
        // 120 frames a second against 25 ms of vision: most frames cannot be processed.
        let (live, device) = try session("formats=GREY&fps=120&loop", sleepMs: 25) { $0.durationSeconds = 1.5 }
        let report = try live.run(onRecord: { _ in }, shouldStop: { false })
        #expect(report.ending == .timeUp)
        #expect(report.framesCaptured > 120, "the camera kept its rate: \(report.framesCaptured)")
        #expect(report.framesProcessed + report.framesDropped == report.framesCaptured)
        #expect(report.framesDropped > report.framesCaptured / 2)
        // Capture keeps up with the driver (a loaded machine may make it miss a few).
        #expect(report.driverDrops < report.framesCaptured / 10, "capture fell behind the driver: \(report.driverDrops)")
        // Only the newest frame waits, so a frame waits about one frame of vision, never for a queue: queued,
        // the 1.5 s run's frames would wait up to a second. The bound leaves room for a loaded machine.
        #expect(report.handOver.p99Ms < 25 + 150, "waited \(report.handOver.p99Ms) ms")
        expectReleased(device)
    }

    @Test func losslessModeProcessesEveryFrameOfAConsumerPacedCamera() throws {
        let (live, device) = try session("formats=YUYV&pace=demand", sleepMs: 1) { $0.lossless = true }
        var frames: [Int] = []
        let report = try live.run(onRecord: { frames.append($0.frame) }, shouldStop: { false })
        #expect(report.ending == .ended)
        #expect(frames == Array(0..<clipFrames))
        #expect(report.framesDropped == 0 && report.framesProcessed == clipFrames)
        expectReleased(device)
    }

    @Test func aStalledCameraTimesOut() throws {
        let (live, device) = try session("formats=GREY&stall-after=3") { $0.frameTimeoutSeconds = 0.3 }
        let report = try live.run(onRecord: { _ in }, shouldStop: { false })
        #expect(report.ending == .failed(.timeout(path: live.camera.path, seconds: 0.3)))
        #expect(report.framesProcessed == 3)
        expectReleased(device)
    }

    @Test func anUnpluggedCameraEndsTheSessionWithWhatItHad() throws {
        let (live, device) = try session("formats=GREY&pace=demand&unplug-after=10") { $0.lossless = true }
        let report = try live.run(onRecord: { _ in }, shouldStop: { false })
        #expect(report.ending == .failed(.unplugged(path: live.camera.path)))
        #expect(report.framesProcessed == 10)
        expectReleased(device)
    }

    @Test func reconnectsWhenTheCameraComesBack() throws {
        let (live, device) = try session("formats=GREY&pace=demand&unplug-after=10&replug-after-ms=300") {
            $0.lossless = true
            $0.reconnect = true
            $0.reconnectIntervalMs = 100
        }
        var events: [LiveEvent] = []
        var frames: [Int] = []
        let report = try live.run(onRecord: { frames.append($0.frame) }, onEvent: { events.append($0) },
                                  shouldStop: { false })
        #expect(report.ending == .ended)
        #expect(report.reconnects == 1)
        #expect(events == [.cameraLost(path: live.camera.path), .cameraBack(path: live.camera.path)])
        #expect(frames == Array(0..<clipFrames), "no frame lost or repeated across the reconnect")
        expectReleased(device)
    }

    /// A session waiting for an unplugged camera sleeps until its next try, and `stop()` wakes it: with a
    /// try once a minute and a camera that never comes back, it still ends as soon as it is stopped.
    @Test func stopEndsAWaitForAnUnpluggedCameraAtOnce() throws {
        let (live, device) = try session("formats=GREY&pace=demand&unplug-after=5") {
            $0.lossless = true
            $0.reconnect = true
            $0.reconnectIntervalMs = 60_000
        }
        let started = MonotonicClock.nowMs()
        let report = try live.run(onRecord: { _ in }, onEvent: { event in
            // On the capture thread, as the camera goes: stopped from elsewhere, as Ctrl-C would.
            if case .cameraLost = event { Thread.detachNewThread { live.stop() } }
        }, shouldStop: { false })
        #expect(report.ending == .stopped)
        #expect(report.reconnects == 0)
        // Far under the minute between tries, however loaded the machine.
        #expect(MonotonicClock.nowMs() - started < 30_000)
        expectReleased(device)
    }

    @Test func stoppingMidStreamReleasesTheCamera() throws {
        let (live, device) = try session("formats=YUYV&loop")
        let processed = Mutex(0)
        let report = try live.run(onRecord: { _ in processed.withLock { $0 += 1 } },
                                  shouldStop: { processed.withLock { $0 } >= 5 })
        #expect(report.ending == .stopped)
        #expect(report.framesProcessed >= 5)
        expectReleased(device)
    }

    @Test(arguments: [
        ("fail=busy", CameraError.busy(path: "")),
        ("fail=permission", CameraError.permissionDenied(path: "")),
        ("formats=MJPG,H264&fail=missing", CameraError.noCamera(path: "")),
        ("formats=H264", CameraError.unsupportedFormat(path: "", offered: ["H264"])),
    ])
    func setupFailuresAreThrownWithNothingHeld(option: String, expected: CameraError) throws {
        let (live, device) = try session(option)
        do {
            _ = try live.run(onRecord: { _ in }, shouldStop: { false })
            Issue.record("expected \(expected)")
        } catch {
            switch (error, expected) {
            case (.busy, .busy), (.permissionDenied, .permissionDenied), (.noCamera, .noCamera),
                 (.unsupportedFormat, .unsupportedFormat): break
            default: Issue.record("got \(error), expected \(expected)")
            }
        }
        expectReleased(device)
    }

    /// In line (files' default) and with background detection (live's default, `--detection-lag`): the
    /// same frames give the same records either way they arrive.
    @Test(arguments: [("GREY", 0), ("YUYV", 0), ("YUYV", GazeConfig().tracking.liveDetectionLagFrames)])
    func aSimulatedCameraGivesTheSameBlinksAsAnalyzingTheFile(format: String, lag: Int) throws {
        try #require(SharedModel.isInstalled, Comment(rawValue: SharedModel.missingMessage))
        try SharedModel.use { model in
            var config = GazeConfig()
            config.tracking.detectionLagFrames = lag
            let file = FileAnalyzer(pipeline: FramePipeline(model: model, config: config))
            var fileRecords: [FrameRecord] = []
            let fileStats = try file.run(VideoFileSource(path: TestData.zjuClip), onRecord: { fileRecords.append($0) })

            let (device, camera) = try simulated("formats=\(format)&pace=demand")
            var options = LiveOptions()
            options.request = CaptureRequest(width: 320, height: 240, fps: 30)
            options.lossless = true
            // The session's vision queue uses the model while this test holds it, waiting for `run`.
            let handOver = ModelHandOver(model)
            let liveConfig = config
            let live = LiveSession(camera: camera, options: options) { FramePipeline(model: handOver.take(), config: liveConfig) }
            var liveRecords: [FrameRecord] = []
            let report = try live.run(onRecord: { liveRecords.append($0) }, shouldStop: { false })

            #expect(report.framesDropped == 0 && report.driverDrops == 0, "every frame must reach vision")
            #expect(fileStats.blinkCount > 0, "the clip has blinks, so the comparison means something")
            #expect(report.stats.blinkCount == fileStats.blinkCount)
            #expect(liveRecords.map(\.blink) == fileRecords.map(\.blink))
            #expect(liveRecords.map(\.frame) == fileRecords.map(\.frame))
            expectReleased(device)
        }
    }
}
