import Testing
@testable import GazeCore

/// Totals over a stream of records. Records come at 10 fps (100 ms apart) so durations are exact.
@Suite struct SessionStatsTests {
    /// One record per character: `C` face with eye contact, `A` face looking away, `-` no face.
    static func records(_ pattern: String, blinkCounts: [Int]? = nil, stepMs: Double = 100) -> [FrameRecord] {
        pattern.enumerated().map { i, c in
            FrameRecord(t: Double(i) * stepMs, earLeft: nil, earRight: nil, blink: false, eyeContact: c == "C",
                        eyeContactPct: 0, gazeVector: nil, conf: 0, frame: i, face: c != "-", faces: c != "-" ? 1 : 0,
                        blinkCount: blinkCounts?[i] ?? 0, eyes: c == "-" ? .unknown : .open, headPose: nil,
                        pupilLeft: nil, pupilRight: nil, ms: 1, raw: nil)
        }
    }

    static func stats(_ records: [FrameRecord]) -> SessionStats {
        var s = SessionStats()
        records.forEach { s.add($0) }
        return s
    }

    @Test func emptyStream() {
        let s = SessionStats()
        #expect(s.frames == 0)
        #expect(s.durationMs == 0)
        #expect(s.faceShare == 0)
        #expect(s.eyeContactShare == 0)
        #expect(s.blinksPerMinute == nil)
        #expect(s.longestLookAwayMs == 0)
    }

    @Test("Duration counts the last frame as one interval", arguments: [
        (frames: 1, durationMs: 0.0),
        (frames: 2, durationMs: 200.0),
        (frames: 5, durationMs: 500.0),
        (frames: 300, durationMs: 30_000.0),
    ])
    func duration(frames: Int, durationMs: Double) {
        let s = Self.stats(Self.records(String(repeating: "C", count: frames)))
        #expect(s.durationMs == durationMs)
        #expect(s.frames == frames)
    }

    @Test func durationStartsAtTheFirstRecord() {
        var r = Self.records("CCCC")
        for i in r.indices { r[i].t += 5000 }
        #expect(Self.stats(r).durationMs == 400)
    }

    @Test("Face and eye-contact shares are shares of frames", arguments: [
        (pattern: "CCCC", face: 1.0, contact: 1.0),
        (pattern: "CA--", face: 0.5, contact: 0.25),
        (pattern: "----", face: 0.0, contact: 0.0),
        (pattern: "AAA-", face: 0.75, contact: 0.0),
    ])
    func shares(pattern: String, face: Double, contact: Double) {
        let s = Self.stats(Self.records(pattern))
        #expect(s.faceShare == face)
        #expect(s.eyeContactShare == contact)
    }

    @Test func timeWithFaceAndContactWeighsEachFrameByItsInterval() {
        // Records at 0, 100, 1000 (a stall), 1100: the contact frame at 100 covers 900 ms.
        var r = Self.records("ACA-")
        r[2].t = 1000
        r[3].t = 1100
        let s = Self.stats(r)
        #expect(s.contactMs == 900)
        #expect(s.faceMs == 1100)
        #expect(s.contactFrames == 1)
        #expect(s.faceFrames == 3)
    }

    @Test func blinkCountIsTheLastRecords() {
        let s = Self.stats(Self.records("CCCC", blinkCounts: [0, 1, 1, 2]))
        #expect(s.blinkCount == 2)
    }

    @Test("Blinks per minute need 5 s with a face in view", arguments: [
        // 49 frames at 100 ms: 4.9 s.
        (pattern: String(repeating: "C", count: 49), blinks: 3, perMinute: nil as Double?),
        // 50 frames: exactly 5 s.
        (pattern: String(repeating: "C", count: 50), blinks: 3, perMinute: 36.0),
        // 60 frames: 6 s, 3 blinks: 30 a minute.
        (pattern: String(repeating: "C", count: 60), blinks: 3, perMinute: 30.0),
        // 8 s of stream but a face in half of it: 4 s, too little.
        (pattern: String(repeating: "C-", count: 40), blinks: 3, perMinute: nil),
        // 12 s, a face in half: 6 s seen, 3 blinks: 30 a minute.
        (pattern: String(repeating: "A-", count: 60), blinks: 3, perMinute: 30.0),
    ])
    func blinksPerMinute(pattern: String, blinks: Int, perMinute: Double?) {
        let counts = (0..<pattern.count).map { $0 == pattern.count - 1 ? blinks : 0 }
        let s = Self.stats(Self.records(pattern, blinkCounts: counts))
        if let perMinute {
            #expect(abs((s.blinksPerMinute ?? -1) - perMinute) < 1e-9, "\(String(describing: s.blinksPerMinute))")
        } else {
            #expect(s.blinksPerMinute == nil)
        }
    }

    @Test func lookAwayIsBrokenByContactAndByLosingTheFace() {
        // Stretches of 2, 5 (ended by contact) and 4 (ended by the face leaving), then 3 at the end.
        let long = Self.stats(Self.records("CAACAAAAAC" + "AAAA-" + "CAAA"))
        let short = Self.stats(Self.records("CAACAAC" + "AAAA-" + "CAAA"))
        #expect(long.longestLookAwayMs == 500)
        #expect(short.longestLookAwayMs == 400) // ended by the face leaving: until that frame
        #expect(Self.stats(Self.records("CCCCC")).longestLookAwayMs == 0)
        // No face is not looking away.
        #expect(Self.stats(Self.records("C----C")).longestLookAwayMs == 0)
    }

    /// Like the other totals, a look-away weighs each of its frames by the interval it covers: it lasts
    /// from its first frame until the frame that ends it, so five frames at 10 fps are 500 ms and a single
    /// frame is 100 ms, not 0. At the end of the stream it lasts until the newest frame.
    @Test("A look-away covers the intervals of its frames", arguments: [
        (pattern: "CAAAAAC", ms: 500.0),
        (pattern: "CAC", ms: 100.0),
        (pattern: "AC", ms: 100.0),
        (pattern: "CAAA", ms: 200.0),
        (pattern: "A", ms: 0.0),
    ])
    func lookAwayCoversTheIntervalsOfItsFrames(pattern: String, ms: Double) {
        #expect(Self.stats(Self.records(pattern)).longestLookAwayMs == ms)
    }
}
