import Testing
@testable import GazeCore

@Suite struct LivenessChecksTests {
    /// 3 s of a live face at 20 frames a second, then the change a case makes.
    static func frames(_ change: (inout ChallengeFrame, Int) -> Void = { _, _ in }) -> [ChallengeFrame] {
        (0..<60).map { i in
            var f = ScriptedPerson.frame(at: Double(i) * 50, looking: GazeAngles(rightDeg: 0, upDeg: -10), blinks: i >= 30 ? 1 : 0,
                                         index: i)
            f.landmarkMotion = 0.004 + Double(i % 3) * 0.001
            change(&f, i)
            return f
        }
    }

    static func failed(_ frames: [ChallengeFrame], requireBlink: Bool = true) -> [ChallengeCheck] {
        var checks = LivenessChecks()
        for f in frames { checks.add(f) }
        return checks.results(requireBlink: requireBlink).filter { !$0.passed }.map(\.check)
    }

    @Test func aLiveFacePassesEveryCheck() {
        var checks = LivenessChecks()
        for f in Self.frames() { checks.add(f) }
        #expect(checks.results(requireBlink: true).allSatisfy { $0.passed })
        #expect(checks.results(requireBlink: true).map(\.check)
                == [.facePresent, .singleFace, .naturalMotion, .planarMotion, .frameTiming, .repeatedFrames, .blink, .blinkProfile])
        #expect(checks.blinks == 1)
        #expect(abs(checks.framesPerSecond - 20) < 1e-9)
        #expect(abs(checks.medianMotion - 0.005) < 1e-12)
    }

    enum Case: String, CaseIterable, CustomTestStringConvertible {
        case faceLost, faceLostBriefly, secondFace, oneFalseFind, noLandmarkMotion, noBlink, slow, gap, timeGoesBack
        case repeats, fewRepeats, still

        var testDescription: String { rawValue }

        func apply(_ f: inout ChallengeFrame, _ i: Int) {
            switch self {
            case .faceLost: if i < 7 { f.face = false; f.features = nil }          // 53 of 60: 88% < 90%
            case .faceLostBriefly: if i < 6 { f.face = false; f.features = nil }   // 54 of 60: exactly 90%
            case .secondFace: if (20..<31).contains(i) { f.faces = 2 }             // 550 ms: more than one detection
            case .oneFalseFind: if (20..<29).contains(i) { f.faces = 2 }           // 450 ms: one detection may be wrong
            case .noLandmarkMotion: f.landmarkMotion = 0
            case .noBlink: f.blinkCount = 0
            case .slow: f.timeMs = Double(i) * 150                                  // 6.7 frames a second
            case .gap: if i >= 30 { f.timeMs += 550 }                               // a 600 ms hole
            case .timeGoesBack: if i == 40 { f.timeMs -= 100 }
            case .repeats: if [10, 20, 30, 40].contains(i) { f.digest = UInt64(i) } // 4 of 59 repeat: 6.8% > 5%
            case .fewRepeats: if [10, 20].contains(i) { f.digest = UInt64(i) }      // 2 of 59: 3.4%
            case .still: f.digest = 9; f.landmarkMotion = i == 0 ? nil : 0          // a still picture
            }
        }

        var expected: [ChallengeCheck] {
            switch self {
            case .faceLost: [.facePresent]
            case .secondFace: [.singleFace]
            case .noLandmarkMotion: [.naturalMotion]
            case .noBlink: [.blink]
            case .slow, .gap, .timeGoesBack: [.frameTiming]
            case .repeats: [.repeatedFrames]
            case .still: [.naturalMotion, .repeatedFrames]
            case .faceLostBriefly, .oneFalseFind, .fewRepeats: []
            }
        }
    }

    @Test("Each check fails on its own", arguments: Case.allCases)
    func fails(_ c: Case) {
        #expect(Self.failed(Self.frames(c.apply)) == c.expected)
    }

    @Test func repeatedFramesDoNotCountAsMotion() {
        // Half the frames repeat with motion 0 (what identical frames give): the median of the new frames
        // is what counts.
        var checks = LivenessChecks()
        for f in Self.frames({ f, i in if i % 2 == 1 { f.digest = UInt64(i); f.landmarkMotion = 0 } }) { checks.add(f) }
        #expect(checks.medianMotion >= 0.004)
    }

    @Test func blinksCountFromTheFirstFrameOfGetReady() {
        var checks = LivenessChecks()
        checks.noteBlinks(ScriptedPerson.frame(at: 0, looking: nil, blinks: 4, index: 0))
        checks.noteBlinks(ScriptedPerson.frame(at: 50, looking: nil, blinks: 5, index: 1))
        checks.add(ScriptedPerson.frame(at: 100, looking: GazeAngles(rightDeg: 0, upDeg: 0), blinks: 5, index: 2))
        #expect(checks.blinks == 1)
        #expect(checks.frames == 1, "get-ready frames are not measured")
    }

    @Test func blinkIsNotCheckedWhenNotRequired() {
        let frames = Self.frames { f, _ in f.blinkCount = 0 }
        #expect(Self.failed(frames, requireBlink: false).isEmpty)
    }
}
