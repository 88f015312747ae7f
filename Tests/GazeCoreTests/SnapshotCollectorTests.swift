import Testing
@testable import GazeCore

/// What the dashboard shows, from scripted records at 10 fps (100 ms apart) so times are exact.
@Suite struct SnapshotCollectorTests {
    /// One record per character: `C` eye contact, `A` looking away, `-` no face, `B` a blink frame (eyes in
    /// a blink, counted when the blink's last frame is followed by an open one).
    static func records(_ pattern: String, from first: Int = 0, blinksBefore: Int = 0) -> [FrameRecord] {
        var blinks = blinksBefore
        let chars = Array(pattern)
        return chars.enumerated().map { i, c in
            if c == "B" && (i + 1 == chars.count || chars[i + 1] != "B") { blinks += 1 }
            let n = first + i
            return FrameRecord(t: Double(n) * 100, earLeft: c == "-" ? nil : 0.3, earRight: c == "-" ? nil : 0.29,
                               blink: c == "B", eyeContact: c == "C", eyeContactPct: 0,
                               gazeVector: c == "-" ? nil : c == "C" ? [0, 0] : [-0.6, 0], conf: c == "-" ? 0 : 0.9,
                               frame: n, face: c != "-", faces: c == "-" ? 0 : 1, blinkCount: blinks,
                               eyes: c == "-" ? .unknown : c == "B" ? .blink : .open, headPose: nil, pupilLeft: nil,
                               pupilRight: nil, ms: 1, raw: nil)
        }
    }

    static func feed(_ c: inout SnapshotCollector, _ records: [FrameRecord], live: Bool = true, confirmed: Bool = true) {
        for r in records {
            if live { c.addLive(r, frameLevel: 120) }
            if confirmed { c.addConfirmed(r) }
        }
    }

    static func snapshot(_ c: SnapshotCollector) -> Snapshot {
        var s = Snapshot()
        c.fill(&s)
        return s
    }

    @Test func beforeAnyFrameItIsStarting() {
        let s = Self.snapshot(SnapshotCollector())
        #expect(s.stream == .starting && s.gaze == .starting && s.live == nil)
        #expect(s.contact.windowShare == nil && s.contact.sessionShare == nil && s.faceShare == nil)
    }

    /// The counts come from confirmed records only: live records alone (a closure still being judged)
    /// change what is shown now, never the blink count.
    @Test func blinkCountsComeFromConfirmedRecords() {
        var c = SnapshotCollector()
        let r = Self.records("CCBBBCCBBCC")
        Self.feed(&c, r, confirmed: false)
        #expect(Self.snapshot(c).blinks.count == 0)
        Self.feed(&c, r, live: false)
        let s = Self.snapshot(c)
        #expect(s.blinks.count == 2)
        #expect(s.blinks.lastDurationMs == 200, "two blink frames, 100 ms apart, until the next open frame")
    }

    @Test func sessionFiguresAreTheSessionStatsOfTheConfirmedRecords() {
        var c = SnapshotCollector()
        let r = Self.records("CCCCAAAA--CC")
        Self.feed(&c, r)
        var stats = SessionStats()
        r.forEach { stats.add($0) }
        let s = Self.snapshot(c)
        #expect(s.contact.sessionShare == stats.eyeContactShare)
        #expect(s.contact.longestLookAwayMs == stats.longestLookAwayMs)
        #expect(s.sessionMs == stats.durationMs && s.faceShare == stats.faceShare)
        #expect(c.report.stats == stats)
    }

    @Test func theBannerFollowsTheNewestLiveRecord() {
        var c = SnapshotCollector()
        Self.feed(&c, Self.records("CCC"))
        #expect(Self.snapshot(c).gaze == .contact)
        Self.feed(&c, Self.records("B", from: 3))
        #expect(Self.snapshot(c).gaze == .contact, "a blink keeps the state before it")
        Self.feed(&c, Self.records("A", from: 4))
        #expect(Self.snapshot(c).gaze == .away(GazeDirection(horizontal: .left, vertical: nil)))
        Self.feed(&c, Self.records("-", from: 5))
        #expect(Self.snapshot(c).gaze == .noFace)
    }

    /// A pause freezes what is shown and leaves its stream time out of the statistics, also for records
    /// held back from before it that come out during it.
    @Test func pausingLeavesThePausedTimeOut() {
        var c = SnapshotCollector()
        let before = Self.records("CCCCC")           // t 0...400
        Self.feed(&c, Array(before.prefix(3)))
        Self.feed(&c, Array(before.suffix(2)), confirmed: false) // held back (a closure under judgement)
        c.pause()
        let during = Self.records("AAAAAAAAAA", from: 5) // t 500...1400, while paused
        Self.feed(&c, Array(before.suffix(2)), live: false) // released during the pause: from before it, they count
        Self.feed(&c, during)
        let frozen = Self.snapshot(c)
        #expect(frozen.live?.frame == 4, "the screen stays on the last frame before the pause")
        #expect(frozen.contact.sessionShare == 1 && frozen.sessionMs == 500)
        c.resume()
        Self.feed(&c, Self.records("CCCCC", from: 15)) // t 1500...1900
        let s = Self.snapshot(c)
        #expect(c.report.stats.frames == 10, "5 before and 5 after; the 10 paused frames are left out")
        #expect(s.contact.sessionShare == 1)
        #expect(s.sessionMs == 1000, "10 frames of 100 ms: the pause's second is not counted")
        #expect(s.contact.longestLookAwayMs == 0)
    }

    @Test func blinksDuringAPauseAreNotCounted() {
        var c = SnapshotCollector()
        Self.feed(&c, Self.records("CCBBC"))
        c.pause()
        Self.feed(&c, Self.records("CBBCC", from: 5, blinksBefore: 1))
        c.resume()
        Self.feed(&c, Self.records("CBBCC", from: 10, blinksBefore: 2))
        #expect(Self.snapshot(c).blinks.count == 2)
    }

    @Test func resetStartsTheStatisticsAfresh() {
        var c = SnapshotCollector()
        Self.feed(&c, Self.records("CCBBCAAAA"))
        c.reset()
        var s = Self.snapshot(c)
        #expect(s.blinks.count == 0 && s.blinks.lastDurationMs == nil)
        #expect(s.contact.sessionShare == nil && s.contact.timeline.isEmpty && s.contact.longestLookAwayMs == 0)
        #expect(s.live?.frame == 8, "the live view carries on")
        Self.feed(&c, Self.records("CCBBC", from: 9, blinksBefore: 1))
        s = Self.snapshot(c)
        #expect(s.blinks.count == 1, "blinks after the reset only")
        #expect(s.contact.sessionShare == 0.6 && c.report.stats.frames == 5)
        #expect(s.contact.windowShare.map { abs($0 - 0.6) < 1e-9 } == true)
    }

    /// A record held back from before a reset and released after it belongs to the old statistics.
    @Test func recordsFromBeforeAResetDoNotCount() {
        var c = SnapshotCollector()
        let r = Self.records("CCBB")
        Self.feed(&c, Array(r.prefix(2)))
        Self.feed(&c, Array(r.suffix(2)), confirmed: false)
        c.reset()
        Self.feed(&c, Array(r.suffix(2)), live: false)
        #expect(c.report.stats.frames == 0 && Self.snapshot(c).blinks.count == 0)
    }

    @Test func theTimelineHasOneSlotPerSecondForTheLastMinute() {
        var c = SnapshotCollector()
        // 10 frames a second: 3 s of contact, 2 s away, 1 s without a face.
        Self.feed(&c, Self.records(String(repeating: "C", count: 30) + String(repeating: "A", count: 20) + String(repeating: "-", count: 10)))
        let timeline = Self.snapshot(c).contact.timeline
        #expect(timeline.map(\.dominant) == [.contact, .contact, .contact, .away, .away, .noFace])
        #expect(timeline.allSatisfy { $0.contactFrames + $0.awayFrames + $0.noFaceFrames == 10 })

        Self.feed(&c, Self.records(String(repeating: "C", count: 700), from: 60))
        #expect(Self.snapshot(c).contact.timeline.count == c.config.dashboard.timelineSeconds)
    }

    @Test func secondsWithoutFramesStayEmptyInTheTimeline() {
        var c = SnapshotCollector()
        Self.feed(&c, Self.records("CCCCCCCCCC"))          // second 0
        Self.feed(&c, Self.records("CCCCCCCCCC", from: 30)) // second 3: seconds 1 and 2 had no frame
        #expect(Self.snapshot(c).contact.timeline.map(\.dominant) == [.contact, .empty, .empty, .contact])
    }

    @Test func earHistoryKeepsTheNewestSamplesOldestFirst() {
        var config = GazeConfig()
        config.dashboard.earHistoryFrames = 4
        var c = SnapshotCollector(config: config)
        var r = Self.records("CCCCCC")
        for i in r.indices { r[i].earLeft = Double(i) / 10 }
        Self.feed(&c, r)
        #expect(Self.snapshot(c).eyes.left == [0.2, 0.3, 0.4, 0.5])
    }

    @Test(arguments: [
        (level: 20.0, width: 160.0, expected: [PictureWarning.tooDark(level: 20)]),
        (level: 240.0, width: 160.0, expected: [.tooBright(level: 240)]),
        (level: 120.0, width: 50.0, expected: [.faceTooSmall(widthPixels: 50)]),
        (level: 120.0, width: 160.0, expected: []),
    ])
    func pictureWarnings(level: Double, width: Double, expected: [PictureWarning]) {
        var c = SnapshotCollector()
        var r = Self.records("C")[0]
        r.raw = RawMeasures(openness: 1, openAspectRatio: 0.3, closingAspectRatio: 0.24, irisHeight: 0.3, contrastLeft: 0.5,
                            contrastRight: 0.5, pupilOffsetLeft: Point(x: 0, y: 0), pupilOffsetRight: Point(x: 0, y: 0),
                            gazeRightDeg: 0, gazeUpDeg: 0, faceWidth: width, frameLevel: level)
        c.addLive(r, frameLevel: level)
        #expect(Self.snapshot(c).warnings == expected)
    }

    /// A face at the limit, its width wobbling by a few pixels: the warning comes once and stays until the
    /// face is clearly wider (90 px to come, 99 to go at defaults), instead of flipping with each frame.
    @Test func theSmallFaceWarningDoesNotFlicker() {
        var c = SnapshotCollector()
        var r = Self.records("C")[0]
        let widths: [Double] = [92, 88, 91, 89, 93, 95, 98, 100, 97, 91]
        let shown = widths.map { w -> Bool in
            r.raw = RawMeasures(openness: 1, openAspectRatio: 0.3, closingAspectRatio: 0.24, irisHeight: 0.3, contrastLeft: 0.5,
                                contrastRight: 0.5, pupilOffsetLeft: Point(x: 0, y: 0), pupilOffsetRight: Point(x: 0, y: 0),
                                gazeRightDeg: 0, gazeUpDeg: 0, faceWidth: w, frameLevel: 120)
            c.addLive(r, frameLevel: 120)
            return Self.snapshot(c).warnings.contains { if case .faceTooSmall = $0 { true } else { false } }
        }
        #expect(shown == [false, true, true, true, true, true, true, false, false, false])
    }

    @Test func theConeStaysWithinItsLimits() {
        var c = SnapshotCollector()
        let d = c.config.dashboard
        #expect(c.setCone(1) == d.minConeDeg)
        #expect(c.setCone(90) == d.maxConeDeg)
        #expect(c.setCone(12) == 12 && Self.snapshot(c).coneDeg == 12)
    }
}
