import Testing
@testable import GazeCore

/// The confirmed-record stream: what `analyze` writes and scripts read.
///
/// Observations are built by hand at 30 fps: a face whose two eyes are 30 px wide with an EAR of
/// `0.30 * openness`, iris height `0.40 * openness`, pupils where the eye model puts an eye looking into the camera and a frontal head, so an
/// open-eyed frame looks straight at the camera.
@Suite struct EyeMetricsTests {
    static let frameMs = 1000.0 / 30

    static func eye(x: Double, openness: Double) -> EyeObservation {
        let half = 4.5 * openness // EAR = half / 15 for a 30 px eye
        let points = EyePoints([
            Point(x: x, y: 100), Point(x: x + 10, y: 100 - half), Point(x: x + 20, y: 100 - half),
            Point(x: x + 30, y: 100), Point(x: x + 20, y: 100 + half), Point(x: x + 10, y: 100 + half),
        ])
        // Where the eye model puts the iris of an eye looking into the camera.
        let eye = EyeModel()
        let pupil = Point(x: points.center.x + eye.centreX * 15, y: points.center.y + eye.centreY * 30)
        return EyeObservation(points: points, pupil: pupil, pupilContrast: 0.4, irisHeight: 0.4 * openness,
                              meanLevel: 120)
    }

    static func face(openness: Double) -> FaceObservation {
        let landmarks = Landmarks(points: (0..<68).map { Point(x: Double(100 + $0), y: Double(100 + $0 % 7)) })
        return FaceObservation(box: Box(x: 90, y: 60, width: 120, height: 140), landmarks: landmarks,
                               leftEye: eye(x: 160, openness: openness), rightEye: eye(x: 110, openness: openness),
                               headPose: HeadPose(yaw: 0, pitch: 0, roll: 0))
    }

    /// Frame `i`; `openness` nil means no face in the frame.
    static func frame(_ i: Int, _ openness: Double?) -> FrameObservation {
        FrameObservation(frame: i, timeMs: Double(i) * frameMs, imageWidth: 320, imageHeight: 240,
                         faceCount: openness == nil ? 0 : 1, face: openness.map { face(openness: $0) },
                         frameLevel: 110, visionMs: 2)
    }

    /// Runs a sequence, returning the live records and, for each frame fed, the records confirmed by it.
    static func run(_ sequence: [Double?], metrics: inout EyeMetrics) -> (live: [FrameRecord], confirmed: [[FrameRecord]]) {
        var live: [FrameRecord] = [], confirmed: [[FrameRecord]] = []
        for (i, openness) in sequence.enumerated() {
            live.append(metrics.update(frame(i, openness)))
            confirmed.append(metrics.takeConfirmed())
        }
        return (live, confirmed)
    }

    static let openSecond = Array<Double?>(repeating: 1, count: 30)

    @Test func framesOfAClosureAreHeldBackUntilTheEyeReopens() {
        var metrics = EyeMetrics()
        // Frames 30-33 close the eye, frame 34 reopens it.
        let (live, confirmed) = Self.run(Self.openSecond + [0.6, 0.2, 0.2, 0.6, 1, 1], metrics: &metrics)

        // Open frames come out at once, one each.
        for i in 0..<30 { #expect(confirmed[i].map(\.frame) == [i]) }
        // The closure's frames are held back...
        for i in 30...33 { #expect(confirmed[i].isEmpty, "frame \(i) came out before its verdict") }
        // ...and come out, blink and all, with the frame that reopens the eye.
        #expect(confirmed[34].map(\.frame) == [30, 31, 32, 33, 34])
        #expect(confirmed[34].map(\.blink) == [true, true, true, true, false])
        #expect(confirmed[34].map(\.eyes) == [.blink, .blink, .blink, .blink, .open])
        #expect(confirmed[34].map(\.blinkCount) == [1, 1, 1, 1, 1])
        #expect(confirmed[35].map(\.frame) == [35])
        #expect(confirmed[35].first?.blinkCount == 1)
        #expect(confirmed[..<30].joined().allSatisfy { $0.blinkCount == 0 && !$0.blink && $0.eyes == .open })

        // The live record says blink provisionally, and counts the blink only once it is judged.
        #expect(live[30...33].allSatisfy { $0.blink && $0.eyes == .blink && $0.blinkCount == 0 })
        #expect(live[34].blinkCount == 1 && !live[34].blink)
        #expect(metrics.blinks.count == 1)
    }

    @Test func aOneFrameDipComesOutOpen() {
        var metrics = EyeMetrics()
        let (_, confirmed) = Self.run(Self.openSecond + [0.2, 1], metrics: &metrics)
        #expect(confirmed[30].isEmpty)
        #expect(confirmed[31].map(\.frame) == [30, 31])
        #expect(confirmed[31].map(\.eyes) == [.open, .open])
        #expect(confirmed[31].map(\.blink) == [false, false])
        #expect(confirmed[31].map(\.blinkCount) == [0, 0])
    }

    @Test func openEyesLookingAtTheCameraAreEyeContact() throws {
        var metrics = EyeMetrics()
        let (live, _) = Self.run(Self.openSecond, metrics: &metrics)
        let last = try #require(live.last)
        #expect(last.eyeContact)
        #expect(last.eyeContactPct == 1)
        #expect(try #require(last.gazeVector).allSatisfy { abs($0) < 1e-12 })
        #expect(last.face && last.faces == 1)
        #expect(last.earLeft == 0.3 && last.earRight == 0.3)
        #expect(last.headPose == HeadPose(yaw: 0, pitch: 0, roll: 0))
        // 30 px eyes, open, pupil contrast 0.4: every factor of the confidence is 1.
        #expect(last.conf == 1)
    }

    @Test func noFaceFramesHaveNoMeasures() {
        var metrics = EyeMetrics()
        let (live, confirmed) = Self.run(Self.openSecond + [nil, nil, nil], metrics: &metrics)
        for i in 30...32 {
            #expect(confirmed[i].count == 1)
            for r in [live[i]] + confirmed[i] {
                #expect(r.frame == i)
                #expect(!r.face && r.faces == 0)
                #expect(r.earLeft == nil && r.earRight == nil)
                #expect(r.gazeVector == nil)
                #expect(r.headPose == nil)
                #expect(r.pupilLeft == nil && r.pupilRight == nil)
                #expect(r.conf == 0)
                #expect(r.eyes == .unknown)
                #expect(!r.blink && !r.eyeContact)
            }
        }
    }

    @Test func finishReturnsTheHeldRecordsOfAnUnfinishedClosure() {
        var metrics = EyeMetrics()
        let (_, confirmed) = Self.run(Self.openSecond + [0.6, 0.2, 0.2], metrics: &metrics)
        #expect(confirmed[30...].allSatisfy { $0.isEmpty })
        let rest = metrics.finish()
        #expect(rest.map(\.frame) == [30, 31, 32])
        // Not seen to reopen: closed, not a blink.
        #expect(rest.map(\.eyes) == [.closed, .closed, .closed])
        #expect(rest.allSatisfy { !$0.blink && $0.blinkCount == 0 })
        #expect(metrics.finish().isEmpty)
    }

    @Test func finishWithNothingHeldReturnsWhatWasNotTaken() {
        var metrics = EyeMetrics()
        for i in 0..<5 { _ = metrics.update(Self.frame(i, 1)) }
        #expect(metrics.finish().map(\.frame) == [0, 1, 2, 3, 4])
        #expect(metrics.finish().isEmpty)
    }

    @Test func framesAfterAClosedVerdictAreNotHeld() {
        var metrics = EyeMetrics()
        let (_, confirmed) = Self.run(Self.openSecond + Array(repeating: 0.1, count: 30) + [1], metrics: &metrics)
        let release = confirmed.firstIndex { !$0.isEmpty && $0.first!.frame >= 30 }!
        // Judged closed after a little over maxDurationMs of deep closure, all held frames at once.
        #expect((44...45).contains(release))
        #expect(confirmed[release].map(\.frame) == Array(30...release))
        #expect(confirmed[release].allSatisfy { $0.eyes == .closed && !$0.blink })
        for i in (release + 1)...60 {
            #expect(confirmed[i].map(\.frame) == [i])
            #expect(confirmed[i].first?.eyes == (i < 60 ? .closed : .open))
        }
        #expect(metrics.blinks.count == 0)
    }

    /// A long mixed stream: every frame comes out exactly once, in order, whatever the verdicts.
    @Test func recordsComeOutInOrderNoneLostNoneDuplicated() {
        var metrics = EyeMetrics()
        var sequence: [Double?] = Self.openSecond
        let pieces: [[Double?]] = [
            [0.6, 0.2, 0.6], [1, 1, 1], [0.2], [1, 1], [nil, nil], [1, 1], [0.5, nil, 0.3, 1],
            Array(repeating: 0.1, count: 25), [1, 1, 1], Array(repeating: 0.7, count: 35), [1, 1],
            [0.3, 0.2, nil, nil, nil, nil], [1, 1, 1], [0.4, 0.3],
        ]
        for p in pieces { sequence += p }
        let (_, confirmed) = Self.run(sequence, metrics: &metrics)
        let all = confirmed.joined().map(\.frame) + metrics.finish().map(\.frame)
        #expect(all == Array(sequence.indices))
    }

    @Test func resetStartsAfresh() {
        var metrics = EyeMetrics()
        _ = Self.run(Self.openSecond + [0.2, 0.2, 1] + [0.2, 0.2], metrics: &metrics)
        #expect(metrics.blinks.count == 1)
        metrics.reset()
        #expect(metrics.blinks.count == 0)
        #expect(metrics.takeConfirmed().isEmpty)
        #expect(metrics.finish().isEmpty)
        let record = metrics.update(Self.frame(0, 1))
        #expect(record.blinkCount == 0)
        #expect(record.eyeContactPct == 1)
    }

    @Test func rawMeasuresOnlyWhenAsked() throws {
        var metrics = EyeMetrics()
        #expect(metrics.update(Self.frame(0, 1)).raw == nil)
        let raw = try #require(metrics.update(Self.frame(1, 1), includeRaw: true).raw)
        #expect(raw.openness == 1)
        #expect(raw.openAspectRatio == 0.3)
        #expect(raw.irisHeight == 0.4)
        #expect(metrics.update(Self.frame(2, nil), includeRaw: true).raw == nil)
    }
}
