import Foundation
import Testing
@testable import GazeCore

/// `lid_follows_gaze` on hand-built eyes: the generic head's landmarks with the upper lids moved by a share
/// of the iris's vertical move, and the iris where the generic eye puts it.
@Suite struct EyelidTallyTests {
    /// The generic head with both upper lids moved down (+) by `lidDrop` eye widths, each landmark
    /// jittered by up to `noise` pixels.
    static func face(lidDrop: Double, noise: Double = 0, rng: inout SeededGenerator) -> Landmarks {
        var l = HeadModel().landmarks(yawDeg: 0, pitchDeg: 0, noise: noise, rng: &rng)
        for eye in [36, 42] {
            let w = l.points[eye].distance(to: l.points[eye + 3])
            for i in [eye + 1, eye + 2] { l.points[i].y += lidDrop * w }
        }
        return l
    }

    /// A tally of the challenge's targets: the camera look, then each target for 20 frames, the eyes turned
    /// by `eyeShare` of the target's angle and the lids following by `lidFollow` of the iris's move.
    static func tally(_ targets: [GazeAngles], eyeShare: Double = 1, lidFollow: Double, noise: Double = 0) -> EyelidTally {
        var rng = SeededGenerator(seed: 12)
        let eye = EyeModel()
        let ahead = BlinkProfileTests.features(eyeTurn: GazeAngles(rightDeg: 0, upDeg: 0))
        var t = EyelidTally()
        t.setNeutral((0..<10).map { _ in (ahead, face(lidDrop: 0, noise: noise, rng: &rng)) })
        for d in targets {
            t.begin(direction: d)
            let turn = GazeAngles(rightDeg: eyeShare * d.rightDeg, upDeg: eyeShare * d.upDeg)
            let features = BlinkProfileTests.features(eyeTurn: turn)
            let irisDrop = features.pupilOffset.y - eye.centreY
            for _ in 0..<20 { t.add(features, landmarks: face(lidDrop: lidFollow * irisDrop, noise: noise, rng: &rng)) }
        }
        return t
    }

    static let targets = BlinkProfileTests.cells + [GazeAngles(rightDeg: -17, upDeg: -9), GazeAngles(rightDeg: 17, upDeg: -22)]

    @Test func theUpperLidIsMeasuredAcrossTheCornerLine() throws {
        var rng = SeededGenerator(seed: 1)
        let ahead = try #require(Self.face(lidDrop: 0, rng: &rng).upperLidOffset)
        let lowered = try #require(Self.face(lidDrop: 0.05, rng: &rng).upperLidOffset)
        #expect(ahead < 0, "the upper lid sits above the corner line")
        #expect(abs(lowered - ahead - 0.05) < 1e-9)
    }

    @Test func lidsThatFollowTheIrisPass() {
        let t = Self.tally(Self.targets, lidFollow: 1)
        #expect(t.judged)
        #expect(abs((t.lidShare ?? 0) - 1) < 1e-6)
        #expect(t.irisMoveShare > 0.99 && t.passed)
    }

    @Test func lazyLidsAndAHeadThatDoesPartOfTheWorkStillPass() {
        // The head makes 30% of the vertical shift, the lids follow by 0.75: the model's weakest honest person.
        let t = Self.tally(Self.targets, eyeShare: 0.7, lidFollow: 0.75, noise: 0.5)
        #expect(t.passed, "lid share \(t.lidShare ?? .nan), iris \(t.irisMoveShare)")
    }

    @Test func irisesMovedInsideStillLidsFail() {
        // An iris warp: the irises move as a person's would, the lids stay where the recording had them.
        let t = Self.tally(Self.targets, lidFollow: 0, noise: 0.5)
        #expect(t.judged && abs(t.lidShare ?? 1) < 0.2)
        #expect(!t.passed)
    }

    @Test func eyesThatDoNotMoveFail() {
        let t = Self.tally(Self.targets, eyeShare: 0, lidFollow: 1)
        #expect(t.irisMoveShare < 1e-9 && t.lidShare == nil)
        #expect(!t.passed)
    }

    @Test func targetsNearTheCameraRowAreNotJudged() {
        let level = [GazeAngles(rightDeg: -17, upDeg: -2), GazeAngles(rightDeg: 17, upDeg: 3)]
        let t = Self.tally(level, lidFollow: 0)
        #expect(!t.judged && t.passed)
    }

    @Test func withoutLandmarksNothingIsJudged() {
        var t = EyelidTally()
        t.setNeutral([(BlinkProfileTests.features(eyeTurn: GazeAngles(rightDeg: 0, upDeg: 0)), nil)])
        #expect(t.neutral == nil && !t.judged && t.passed)
    }

    // MARK: In a session

    /// A scripted person whose frames carry landmarks with the upper lids moved by `lidFollow` of the
    /// iris's move from the camera look.
    static func session(lidFollow: Double) throws -> ChallengeOutcome {
        var person = ChallengeSessionTests.Person()
        person.change = { f, _ in
            var rng = SeededGenerator(seed: UInt64(f.timeMs))
            let drop = (f.features?.pupilOffset.y ?? EyeModel().centreY) - EyeModel().centreY
            f.landmarks = face(lidDrop: lidFollow * drop, noise: 0.3, rng: &rng)
        }
        // No blink asked for: a blink's profile is another check's business (these lids never close).
        let session = ChallengeSessionTests.session([3, 1, 5]) { $0.challenge.requireBlink = false }
        let run = ChallengeSessionTests.run(session, person)
        return try #require(run.outcome)
    }

    @Test func aSessionWhoseLidsFollowPassesAndNamesTheCheck() throws {
        let outcome = try Self.session(lidFollow: 1)
        #expect(outcome.result == .pass, "\(outcome.failedChecks)")
        let lid = try #require(outcome.checks.first { $0.check == .lidFollowsGaze })
        #expect(lid.passed && abs(lid.value - 1) < 0.1 && lid.limit == EyelidConfig().minLidShare)
    }

    @Test func aSessionWhoseLidsStayFailsOnThem() throws {
        let outcome = try Self.session(lidFollow: 0)
        #expect(outcome.result == .fail)
        #expect(outcome.failedChecks == [.lidFollowsGaze])
        #expect(outcome.advice == "follow the highlighted cell with your eyes")
    }
}
