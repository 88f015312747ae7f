import Testing
@testable import GazeCore

/// The blink state machine, driven frame by frame with stream time as an input.
///
/// Frames come at 30 fps (`t = i * 1000 / 30` ms). Each sequence starts with a second of open eyes at
/// EAR 0.30 and iris height 0.40, so the person's open level is exactly those values; after that a
/// frame is written as its openness relative to that level (1 = as open as usual, nil = no eyes seen),
/// with both measures scaled alike unless a test says otherwise, so the relative openness the detector
/// sees is the number in the table whatever `irisWeight` is.
@Suite struct BlinkDetectorTests {
    static let frameMs = 1000.0 / 30
    static let openEar = 0.30
    static let openIris = 0.40
    /// One second of open eyes before every sequence.
    static let warmUp = 30

    static func openness(_ relative: Double) -> EyeOpenness {
        EyeOpenness(aspectRatio: openEar * relative, irisHeight: openIris * relative)
    }

    /// The steps of a run: `warmUp` open frames, then `relative` (nil: no eyes). Only the steps after the
    /// warm-up are returned, and the warm-up is checked to have been quiet.
    static func run(_ relative: [Double?], detector: inout BlinkDetector) -> [BlinkStep] {
        var steps: [BlinkStep] = []
        for i in 0..<(warmUp + relative.count) {
            let value: Double? = i < warmUp ? 1 : relative[i - warmUp]
            let step = detector.update(timeMs: Double(i) * frameMs, openness: value.map(openness))
            if i < warmUp {
                #expect(step == BlinkStep(state: .open, openness: 1), "warm-up frame \(i)")
            } else {
                steps.append(step)
            }
        }
        return steps
    }

    static func run(_ relative: [Double?], config: BlinkConfig = BlinkConfig()) -> (steps: [BlinkStep], detector: BlinkDetector) {
        var detector = BlinkDetector(config: config)
        let steps = run(relative, detector: &detector)
        return (steps, detector)
    }

    /// A step's shape without the openness value: (state, awaiting, verdict name).
    struct Shape: Equatable, CustomStringConvertible {
        var state: EyeState
        var awaiting: Bool
        var verdict: String?
        var description: String { "\(state)\(awaiting ? "?" : "")\(verdict.map { " -> \($0)" } ?? "")" }
    }

    static func shape(_ s: BlinkStep) -> Shape {
        let verdict: String? = switch s.verdict {
        case nil: nil
        case .blink: "blink"
        case .closed: "closed"
        case .unfinished: "unfinished"
        case .noise: "noise"
        }
        return Shape(state: s.state, awaiting: s.awaitingVerdict, verdict: verdict)
    }

    static let open = Shape(state: .open, awaiting: false, verdict: nil)
    static let awaiting = Shape(state: .blink, awaiting: true, verdict: nil)
    static func judged(_ state: EyeState, _ verdict: String) -> Shape { Shape(state: state, awaiting: false, verdict: verdict) }

    static func blinkDuration(_ steps: [BlinkStep]) -> [Double] {
        steps.compactMap { if case .blink(let ms) = $0.verdict { ms } else { nil } }
    }

    // MARK: - Blinks and noise

    @Test func cleanBlinkIsCountedOnceWhenTheEyeReopens() throws {
        let (steps, detector) = Self.run([1, 0.7, 0.3, 0.1, 0.4, 0.75, 1, 1])
        #expect(steps.map(Self.shape) == [
            Self.open, Self.awaiting, Self.awaiting, Self.awaiting, Self.awaiting, Self.awaiting,
            Self.judged(.open, "blink"), Self.open,
        ])
        // Five frames below the lines (0.75 is under reopenFraction, so still closing): 5 frame intervals.
        let durations = Self.blinkDuration(steps)
        #expect(durations.count == 1)
        #expect(abs(try #require(durations.first) - 5 * Self.frameMs) < 1e-6)
        #expect(detector.count == 1)
        #expect(abs(try #require(detector.lastDurationMs) - 5 * Self.frameMs) < 1e-6)
        #expect(!detector.isInClosure)
    }

    @Test("Relative openness is reported per frame", arguments: [1.0, 0.9, 0.7, 0.3, 0.0])
    func opennessIsRelativeToTheOpenLevel(relative: Double) throws {
        let (steps, _) = Self.run([relative])
        #expect(abs(try #require(steps[0].openness) - relative) < 1e-12)
    }

    @Test func oneFrameDipIsNoise() {
        let (steps, detector) = Self.run([1, 0.2, 1, 1])
        #expect(steps.map(Self.shape) == [Self.open, Self.awaiting, Self.judged(.open, "noise"), Self.open])
        #expect(detector.count == 0)
        #expect(detector.lastDurationMs == nil)
    }

    @Test("Closures shorter than minDurationMs are noise, longer ones blinks", arguments: [
        (frames: 1, blink: false), // 33 ms
        (frames: 2, blink: true),  // 67 ms
        (frames: 3, blink: true),
    ])
    func minimumDuration(frames: Int, blink: Bool) {
        let (steps, detector) = Self.run(Array(repeating: 0.3, count: frames) + [1])
        #expect(steps.last?.verdict.map { if case .blink = $0 { true } else { false } } == blink)
        #expect(detector.count == (blink ? 1 : 0))
    }

    @Test func blinkCountKeepsCounting() {
        let dip: [Double?] = [0.5, 0.2, 0.5, 1, 1, 1, 1, 1]
        let (steps, detector) = Self.run(dip + dip + dip)
        #expect(Self.blinkDuration(steps).count == 3)
        #expect(detector.count == 3)
    }

    // MARK: - Dropped frames and gaps

    @Test func droppedFrameInsideABlinkNeitherSplitsNorEndsIt() throws {
        let (steps, detector) = Self.run([1, 0.7, 0.2, nil, 0.2, 0.7, 1, 1])
        #expect(steps.map(Self.shape) == [
            Self.open, Self.awaiting, Self.awaiting, Self.awaiting, Self.awaiting, Self.awaiting,
            Self.judged(.open, "blink"), Self.open,
        ])
        #expect(steps[3].openness == nil)
        #expect(detector.count == 1)
    }

    /// The blink above spans five frame times (one of them unseen), so it lasted five frame intervals: the
    /// unseen frame must not make the frame interval look longer (it once counted its interval twice,
    /// giving 169.4 ms).
    @Test func droppedFrameDoesNotStretchTheBlink() throws {
        let (steps, _) = Self.run([1, 0.7, 0.2, nil, 0.2, 0.7, 1, 1])
        let duration = try #require(Self.blinkDuration(steps).first)
        #expect(abs(duration - 5 * Self.frameMs) < 1e-6, "duration \(duration) ms")
    }

    @Test func gapUpToMaxGapKeepsTheClosure() {
        // Two unseen frames: the second is 66.7 ms after the last seen one, within maxGapMs (70).
        let (steps, detector) = Self.run([0.7, 0.2, nil, nil, 0.2, 1])
        #expect(steps.map(Self.shape) == [
            Self.awaiting, Self.awaiting, Self.awaiting, Self.awaiting, Self.awaiting, Self.judged(.open, "blink"),
        ])
        #expect(detector.count == 1)
    }

    @Test func gapLongerThanMaxGapEndsTheClosureUnfinished() {
        // The third unseen frame is 100 ms after the last seen one: the eye was not seen to reopen.
        let (steps, detector) = Self.run([0.7, 0.2, nil, nil, nil, nil, 1, 1, 0.2, 0.2, 1])
        #expect(steps.map(Self.shape) == [
            Self.awaiting, Self.awaiting, Self.awaiting, Self.awaiting,
            Shape(state: .unknown, awaiting: false, verdict: "unfinished"),
            Shape(state: .unknown, awaiting: false, verdict: nil),
            Self.open, Self.open,
            // A later blink is judged normally.
            Self.awaiting, Self.awaiting, Self.judged(.open, "blink"),
        ])
        #expect(ClosureVerdict.unfinished.state == .closed)
        #expect(detector.count == 1)
    }

    @Test func noEyesOutsideAClosureIsUnknown() {
        let (steps, detector) = Self.run([nil, nil, 1])
        #expect(steps.map(Self.shape) == [
            Shape(state: .unknown, awaiting: false, verdict: nil), Shape(state: .unknown, awaiting: false, verdict: nil),
            Self.open,
        ])
        #expect(detector.count == 0)
    }

    // MARK: - Too long to be a blink

    /// `maxDurationMs` is set off the 30 fps grid (the default 500 ms is exactly 15 frames, a tie whose
    /// side depends on floating-point rounding): deep frame 15 (500 ms) is the first beyond 480 ms.
    @Test func longDeepClosureIsJudgedClosedEarly() {
        var config = BlinkConfig()
        config.maxDurationMs = 480
        let deep = Array<Double?>(repeating: 0.1, count: 25)
        let (steps, detector) = Self.run([0.7] + deep + [0.7, 1, 1], config: config)
        let expected: [Shape] = [Self.awaiting] // 0.7: closing, not deep
            + Array(repeating: Self.awaiting, count: 14)
            + [Self.judged(.closed, "closed")]
            + Array(repeating: Shape(state: .closed, awaiting: false, verdict: nil), count: 10 + 1)
            + [Self.open, Self.open] // the verdict was given: reopening judges nothing more
        #expect(steps.map(Self.shape) == expected)
        #expect(detector.count == 0)
        #expect(detector.lastDurationMs == nil)
    }

    /// With the product's defaults, a second of closed eyes is one `closed` verdict and no blink.
    @Test func oneSecondClosedWithDefaults() {
        let (steps, detector) = Self.run(Array(repeating: 0.1, count: 30) + [1, 1])
        let verdicts = steps.compactMap(\.verdict)
        #expect(verdicts == [.closed])
        let at = steps.firstIndex { $0.verdict != nil }!
        #expect((14...15).contains(at), "judged on closed frame \(at + 1)")
        #expect(steps[..<at].allSatisfy { Self.shape($0) == Self.awaiting })
        #expect(steps[(at + 1)..<30].allSatisfy { Self.shape($0) == Shape(state: .closed, awaiting: false, verdict: nil) })
        #expect(steps[30...].allSatisfy { Self.shape($0) == Self.open })
        #expect(detector.count == 0)
    }

    /// `maxMovementMs` off the grid for the same reason: frame 30 (1000 ms) is the first beyond 990 ms.
    @Test func longShallowDipIsNoise() {
        var config = BlinkConfig()
        config.maxMovementMs = 990
        // 0.7: under closeFraction, never under deepFraction.
        let (steps, detector) = Self.run(Array(repeating: 0.7, count: 40) + [1], config: config)
        let expected: [Shape] = Array(repeating: Self.awaiting, count: 29)
            + [Self.judged(.open, "noise")]
            + Array(repeating: Self.open, count: 10 + 1)
        #expect(steps.map(Self.shape) == expected)
        #expect(detector.count == 0)
    }

    @Test func deepTimeIsWhatMaxDurationLimitsNotTheWholeClosure() {
        // 20 shallow frames, 10 deep, 3 shallow: 1.1 s of movement but only 333 ms deeply closed. With the
        // movement limit out of the way, that is a blink: maxDurationMs limits the deep part alone.
        var config = BlinkConfig()
        config.maxMovementMs = 2000
        let relative: [Double?] = Array(repeating: 0.7, count: 20) + Array(repeating: 0.2, count: 10)
            + Array(repeating: 0.7, count: 3) + [1]
        let (steps, detector) = Self.run(relative, config: config)
        #expect(steps.compactMap(\.verdict).count == 1)
        #expect(Self.blinkDuration(steps).count == 1)
        #expect(detector.count == 1)
    }

    // MARK: - Hysteresis

    @Test("Between closeFraction and reopenFraction nothing changes", arguments: [0.81, 0.82, 0.84])
    func hysteresis(between: Double) {
        // Open, then the in-between value: no closure starts.
        let start = Self.run([between, between, between, 1])
        #expect(start.steps.map(Self.shape) == [Self.open, Self.open, Self.open, Self.open])
        #expect(start.detector.count == 0)

        // In a closure, the in-between value does not end it: one blink of six frames, not two.
        let (steps, detector) = Self.run([0.5, 0.5, between, between, 0.5, 0.5, 1])
        #expect(steps.map(Self.shape) == Array(repeating: Self.awaiting, count: 6) + [Self.judged(.open, "blink")])
        #expect(detector.count == 1)
        #expect(abs((Self.blinkDuration(steps).first ?? 0) - 6 * Self.frameMs) < 1e-6)
    }

    @Test("The lines themselves", arguments: [
        (value: 0.795, starts: true),
        (value: 0.805, starts: false),
    ])
    func closeLine(value: Double, starts: Bool) {
        var detector = BlinkDetector()
        _ = Self.run([value], detector: &detector)
        #expect(detector.isInClosure == starts)
    }

    @Test("Reopening takes reopenFraction", arguments: [
        (value: 0.84, ends: false),
        (value: 0.86, ends: true),
    ])
    func reopenLine(value: Double, ends: Bool) {
        var detector = BlinkDetector()
        _ = Self.run([0.3, 0.3, value], detector: &detector)
        #expect(detector.isInClosure == !ends)
        #expect(detector.count == (ends ? 1 : 0))
    }

    // MARK: - The open level follows the person

    /// The open EAR drifts from 0.30 to 0.22 over a minute (a person leaning back, narrowing their eyes),
    /// with a little frame-to-frame jitter, and a blink every 3 s: every blink is found, nothing else is.
    @Test(arguments: [0.0, 1.0])
    func openLevelFollowsADriftingEye(irisWeight: Double) throws {
        var config = BlinkConfig()
        config.irisWeight = irisWeight
        var detector = BlinkDetector(config: config)
        let frames = 60 * 30
        let dip = [0.6, 0.25, 0.15, 0.3, 0.7] // relative to the eye's current open level
        var blinksShown = 0
        var verdicts: [ClosureVerdict] = []
        var i = 0
        while i < frames {
            let level = 0.30 - 0.08 * Double(i) / Double(frames - 1)
            let jitter = [-0.004, 0.002, 0.0, 0.003, -0.002, 0.004, -0.001][i % 7]
            let blinking = i >= 60 && i % 90 == 0 && i + dip.count < frames
            let shape = blinking ? dip : [1.0]
            for r in shape {
                let ear = (r == 1 ? level + jitter : level * r)
                let step = detector.update(timeMs: Double(i) * Self.frameMs,
                                           openness: EyeOpenness(aspectRatio: ear, irisHeight: Self.openIris * r))
                if let v = step.verdict { verdicts.append(v) }
                i += 1
            }
            if blinking { blinksShown += 1 }
        }
        #expect(blinksShown == 19)
        #expect(verdicts.count == blinksShown, "\(verdicts)")
        #expect(verdicts.allSatisfy { if case .blink = $0 { true } else { false } })
        #expect(detector.count == blinksShown)
        // The level it judged the last blinks against is the eye's, not the one it started with.
        let finalLevel = try #require(detector.openAspectRatio)
        #expect(abs(finalLevel - 0.22) < 0.006, "open EAR \(finalLevel)")
    }

    /// The eye's open level drops at once to 0.73 of what it was (the person leans back, or narrows their
    /// eyes against the light) and stays there, blinking every 3 s. A level that follows the person must
    /// settle on the new open eye within its window (5 s) and find the blinks after that. (The drop starts a
    /// closure judged noise after maxMovementMs; the level must learn from it, or the closure never ends.)
    @Test func openLevelFollowsASuddenlyNarrowerEye() {
        var detector = BlinkDetector()
        let dip = [0.6, 0.25, 0.15, 0.3, 0.7]
        var verdicts: [(frame: Int, verdict: ClosureVerdict)] = []
        var i = 0
        var blinksAfterSettling = 0
        while i < 40 * 30 {
            let level = i < 300 ? 0.30 : 0.22
            let blinking = i >= 600 && i % 90 == 0
            for r in blinking ? dip : [1.0] {
                let step = detector.update(timeMs: Double(i) * Self.frameMs,
                                           openness: EyeOpenness(aspectRatio: level * r, irisHeight: level * r))
                if let v = step.verdict { verdicts.append((i, v)) }
                i += 1
            }
            if blinking { blinksAfterSettling += 1 }
        }
        let blinks = verdicts.filter { if case .blink = $0.verdict { true } else { false } }
        #expect(blinksAfterSettling == 7)
        #expect(blinks.count == blinksAfterSettling, "verdicts: \(verdicts.map { "\($0.frame): \($0.verdict)" })")
        #expect(abs((detector.openAspectRatio ?? 0) - 0.22) < 1e-12)
    }

    @Test func openLevelIsAHighPercentileOfOpenFrames() throws {
        var detector = BlinkDetector()
        // Ten frames: 0.20, 0.21, ... 0.29; the 70th percentile of ten sorted values is index round(6.3) = 6.
        for i in 0..<10 {
            _ = detector.update(timeMs: Double(i) * Self.frameMs,
                                openness: EyeOpenness(aspectRatio: 0.20 + 0.01 * Double(i), irisHeight: 0.4))
        }
        #expect(abs(try #require(detector.openAspectRatio) - 0.26) < 1e-12)
        #expect(abs(try #require(detector.closingAspectRatio) - 0.26 * 0.8) < 1e-12)
    }

    @Test func closingFramesDoNotLowerTheOpenLevel() throws {
        let (_, detector) = Self.run(Array(repeating: 0.1, count: 60))
        #expect(try #require(detector.openAspectRatio) == Self.openEar)
    }

    // MARK: - Iris weight

    @Test("irisWeight mixes the two measures", arguments: [
        (weight: 0.0, ear: 0.9, iris: 0.1, relative: 0.9),
        (weight: 1.0, ear: 0.9, iris: 0.1, relative: 0.5),
        (weight: 3.0, ear: 0.9, iris: 0.1, relative: 0.3),
        (weight: 1.0, ear: 0.5, iris: 1.0, relative: 0.75),
    ])
    func irisWeightMix(weight: Double, ear: Double, iris: Double, relative: Double) throws {
        var config = BlinkConfig()
        config.irisWeight = weight
        var detector = BlinkDetector(config: config)
        for i in 0..<Self.warmUp {
            _ = detector.update(timeMs: Double(i) * Self.frameMs, openness: Self.openness(1))
        }
        let step = detector.update(timeMs: Double(Self.warmUp) * Self.frameMs,
                                   openness: EyeOpenness(aspectRatio: Self.openEar * ear, irisHeight: Self.openIris * iris))
        #expect(abs(try #require(step.openness) - relative) < 1e-12)
    }

    /// The landmarks lag a real blink (EAR only dips to 0.9 of open) while the iris disappears: only the
    /// iris sees it.
    @Test("A blink only the iris sees", arguments: [(weight: 0.0, blinks: 0), (weight: 1.0, blinks: 1)])
    func blinkOnlyTheIrisSees(weight: Double, blinks: Int) {
        var config = BlinkConfig()
        config.irisWeight = weight
        var detector = BlinkDetector(config: config)
        let ears = Array(repeating: 1.0, count: 30) + [0.9, 0.9, 0.9, 0.9] + Array(repeating: 1.0, count: 5)
        let irises = Array(repeating: 1.0, count: 30) + [0.3, 0.0, 0.0, 0.3] + Array(repeating: 1.0, count: 5)
        for i in ears.indices {
            _ = detector.update(timeMs: Double(i) * Self.frameMs,
                                openness: EyeOpenness(aspectRatio: Self.openEar * ears[i], irisHeight: Self.openIris * irises[i]))
        }
        #expect(detector.count == blinks)
    }

    @Test func zeroIrisLevelFallsBackToEarAlone() throws {
        // A camera that never sees an iris (level 0) must not divide by zero: EAR decides.
        var detector = BlinkDetector()
        for i in 0..<30 {
            _ = detector.update(timeMs: Double(i) * Self.frameMs, openness: EyeOpenness(aspectRatio: 0.3, irisHeight: 0))
        }
        let step = detector.update(timeMs: 30 * Self.frameMs, openness: EyeOpenness(aspectRatio: 0.15, irisHeight: 0))
        #expect(abs(try #require(step.openness) - 0.5) < 1e-12)
    }

    // MARK: - End of stream

    @Test func finishJudgesAnUnfinishedClosure() {
        var detector = BlinkDetector()
        let steps = Self.run([1, 0.6, 0.2, 0.2], detector: &detector)
        #expect(steps.map(Self.shape) == [Self.open, Self.awaiting, Self.awaiting, Self.awaiting])
        #expect(detector.finish() == .unfinished)
        #expect(!detector.isInClosure)
        #expect(detector.count == 0)
        #expect(detector.finish() == nil)
    }

    @Test func finishWithoutAClosureHasNothingToSay() {
        var detector = BlinkDetector()
        _ = Self.run([1, 0.2, 0.2, 1], detector: &detector)
        #expect(detector.finish() == nil)
        #expect(detector.count == 1)
    }

    @Test func finishAfterAnEarlyVerdictAddsNone() {
        var detector = BlinkDetector()
        let steps = Self.run(Array(repeating: 0.1, count: 20), detector: &detector)
        #expect(steps.compactMap(\.verdict) == [.closed])
        #expect(detector.finish() == nil)
        #expect(!detector.isInClosure)
    }
}
