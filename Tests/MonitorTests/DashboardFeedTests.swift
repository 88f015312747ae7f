import Capture
import GazeCore
import Monitor
import Testing

/// The vision side of the dashboard, driven by hand on one thread (as the vision queue would).
@Suite struct DashboardFeedTests {
    static func frame(_ i: Int, level: UInt8 = 100) -> Frame {
        Frame(gray: [UInt8](repeating: level, count: 64 * 48), width: 64, height: 48, timeMs: Double(i) * 100, sequence: i)
    }

    static func record(_ i: Int, contact: Bool = true, blinks: Int = 0) -> FrameRecord {
        FrameRecord(t: Double(i) * 100, earLeft: 0.3, earRight: 0.3, blink: false, eyeContact: contact, eyeContactPct: 0,
                    gazeVector: [0, 0], conf: 0.9, frame: i, face: true, faces: 1, blinkCount: blinks, eyes: .open,
                    headPose: nil, pupilLeft: nil, pupilRight: nil, ms: 2, raw: nil)
    }

    static func step(_ feed: DashboardFeed, _ i: Int, contact: Bool = true, blinks: Int = 0, confirm: Bool = true) {
        let r = record(i, contact: contact, blinks: blinks)
        let f = frame(i)
        let observation = FrameObservation(frame: i, timeMs: f.timeMs, imageWidth: f.width, imageHeight: f.height,
                                           faceCount: 1, face: nil, frameLevel: f.meanLevel, visionMs: 2)
        let result = FrameResult(frame: f, observation: observation, live: r, confirmed: confirm ? [r] : [],
                                 timing: FrameResult.Timing(visionMs: 2, metricsMs: 0))
        feed.take(LiveFrame(result: result, latencyMs: 3))
    }

    @Test func publishesWhatTheFramesSay() {
        let feed = DashboardFeed(config: GazeConfig(), device: "/dev/video7")
        #expect(feed.latest().stream == .starting && feed.latest().source.device == "/dev/video7")
        for i in 0..<10 { Self.step(feed, i, blinks: i / 5) }
        let s = feed.latest()
        #expect(s.stream == .live && s.live?.frame == 9)
        #expect(s.blinks.count == 1 && s.gaze == .contact)
        #expect(s.source.frameLevel == 100 && s.source.latencyMs == 3)
        #expect(s.preview == nil, "no picture is copied while the preview is off")
    }

    /// Requests from the UI wait for the vision queue: they apply with the next frame, or when scheduled.
    @Test func requestsApplyOnTheVisionSide() {
        let feed = DashboardFeed(config: GazeConfig(), device: "cam")
        var scheduled: [@Sendable () -> Void] = []
        feed.scheduleOnVisionQueue = { scheduled.append($0) }
        for i in 0..<5 { Self.step(feed, i) }
        feed.request(.pause)
        #expect(!feed.latest().paused, "not applied before the vision queue runs it")
        #expect(scheduled.count == 1)
        scheduled.forEach { $0() }
        #expect(feed.latest().paused)
        for i in 5..<10 { Self.step(feed, i, contact: false) }
        #expect(feed.latest().live?.frame == 4, "paused: the screen's data stays")
        feed.request(.resume)
        Self.step(feed, 10)
        #expect(!feed.latest().paused && feed.latest().live?.frame == 10, "applied with the next frame")
        #expect(feed.report.stats.frames == 6, "the paused frames are left out of the statistics")
    }

    @Test func thePreviewShowsTheLastFrameAtOnce() {
        let feed = DashboardFeed(config: GazeConfig(), device: "cam")
        for i in 0..<3 { Self.step(feed, i) }
        feed.request(.preview(true))
        feed.applyRequests()
        let p = feed.latest().preview
        #expect(p != nil && p!.width == 64 && p!.height == 48 && p!.pixels.allSatisfy { $0 == 100 })
        feed.request(.preview(false))
        feed.applyRequests()
        #expect(feed.latest().preview == nil)
    }

    @Test func theConeStepsAndStaysWithinItsLimits() {
        let config = GazeConfig()
        let feed = DashboardFeed(config: config, device: "cam")
        feed.request(.stricter(steps: 2))
        feed.applyRequests()
        #expect(feed.latest().coneDeg == config.eyeContact.enterConeDeg - 2 * config.dashboard.coneStepDeg)
        feed.request(.stricter(steps: -100))
        feed.applyRequests()
        #expect(feed.latest().coneDeg == config.dashboard.maxConeDeg)
    }

    @Test func theStreamsEndAndEventsShowWhateverVisionPublishes() {
        let feed = DashboardFeed(config: GazeConfig(), device: "cam")
        Self.step(feed, 0)
        feed.streamEnded()
        Self.step(feed, 1)
        #expect(feed.latest().stream == .ended)
    }

    @Test func aCameraEventSetsTheStreamsStateAndTheStatusLine() {
        let feed = DashboardFeed(config: GazeConfig(), device: "cam")
        Self.step(feed, 0)
        feed.take(LiveEvent.cameraLost(path: "/dev/video0"))
        Self.step(feed, 1)
        #expect(feed.latest().stream == .waiting)
        #expect(feed.latest().message == "/dev/video0 went away; waiting for it to come back (Ctrl-C to stop)")
        feed.take(LiveEvent.cameraBack(path: "/dev/video0"))
        #expect(feed.latest().stream != .waiting, "streaming again")
        #expect(feed.latest().message == "/dev/video0 is back; streaming again")
    }
}
