import Testing
@testable import GazeCore

/// The challenge's identity checks: which moments want a descriptor, and the two decisions on them.
@Suite struct IdentityChecksTests {
    /// A descriptor `x` away from `IdentityChecksTests.a` along the first number.
    static func d(_ x: Float) -> FaceDescriptor { FaceMatchingTests.descriptor([x]) }
    static let a = d(0)

    static func tally(_ xs: [Float], enrolled: FaceDescriptor? = a) -> IdentityTally {
        var t = IdentityTally(requirement: IdentityRequirement(enrolled: enrolled))
        for (i, x) in xs.enumerated() { t.add(IdentitySample(moment: i, timeMs: Double(i), descriptor: d(x))) }
        return t
    }

    @Test func samePersonIsTheLargestSpreadAgainstItsLimit() {
        let limit = MatchConfig().samePersonMaxDistance
        let close = Self.tally([0, 0.1, 0.33])
        #expect(abs(close.largestSpread - 0.33) < 1e-6)
        #expect(close.results[0] == CheckResult(check: .samePerson, passed: true, value: close.largestSpread, limit: limit))
        let swapped = Self.tally([0, 0.05, 0.5, 0.45])
        #expect(abs(swapped.largestSpread - 0.5) < 1e-7)
        #expect(!swapped.results[0].passed)
    }

    @Test func oneSampleCannotShowOneFaceThroughout() {
        let one = Self.tally([0])
        #expect(one.results[0] == CheckResult(check: .samePerson, passed: false, value: IdentityTally.unmeasuredDistance,
                                              limit: MatchConfig().samePersonMaxDistance))
        // The enrolled person is judged on the one sample.
        #expect(one.results[1] == CheckResult(check: .enrolledPerson, passed: true, value: 0, limit: MatchConfig().threshold))
    }

    @Test func theEnrolledPersonIsTheSamplesMeanWithinTheThreshold() {
        let t = MatchConfig().threshold
        let near = Self.tally([0.3, 0.38])
        #expect(abs(near.enrolledDistance! - 0.34) < 1e-6)
        #expect(near.results[1].passed == (near.enrolledDistance! <= t))
        let far = Self.tally([0.4, 0.42])
        #expect(far.results[1] == CheckResult(check: .enrolledPerson, passed: false, value: far.enrolledDistance!, limit: t))
        let none = Self.tally([])
        #expect(none.results[1] == CheckResult(check: .enrolledPerson, passed: false, value: IdentityTally.unmeasuredDistance,
                                               limit: t))
        // Without an enrolled person only same_person is judged.
        #expect(Self.tally([0, 0.1], enrolled: nil).results.map(\.check) == [.samePerson])
    }

    @Test func aMomentIsSampledOnce() {
        var t = Self.tally([0])
        t.add(IdentitySample(moment: 0, timeMs: 5, descriptor: Self.d(0.9)))
        #expect(t.samples.count == 1)
        #expect(t.hasSample(at: 0) && !t.hasSample(at: 1))
    }

    /// Runs the scripted person through a session with an identity check; each descriptor the session asks
    /// for is `face(t)`. Returns the run and the stream times descriptors were asked for.
    static func run(face: (Double) -> FaceDescriptor?, enrolled: FaceDescriptor? = a, calibration: GazeCalibration? = .generic(),
                    person: ChallengeSessionTests.Person = .init()) -> (ChallengeOutcome?, [Double]) {
        var session = ChallengeSession(sequence: [3, 1, 5], calibration: calibration, identity: IdentityRequirement(enrolled: enrolled))
        var asked: [Double] = []
        var target: GazeTarget = .camera, previous: GazeTarget = .camera, changedMs = -1e9
        var i = 0
        while !session.isFinished, i < 1000 {
            let t = Double(i) * 50
            let looking = t - changedMs >= person.reactionMs ? target : previous
            var f = ScriptedPerson.frame(at: t, looking: person.aim(looking), blinks: person.blinks(t), index: i)
            person.change(&f, t)
            let view = session.update(f)
            if session.wantsFaceDescriptor {
                asked.append(t)
                if let d = face(t) { session.addFaceDescriptor(d) }
            }
            if let next = view.target, next != target {
                previous = target
                target = next
                changedMs = t
            }
            i += 1
        }
        return (session.outcome, asked)
    }

    @Test func descriptorsAreAskedForAtAFewMoments() throws {
        // Ready at 1 s; cells of 3 s from there, each after the 0.6 s reaction; once more in the last 0.5 s.
        let (outcome, asked) = Self.run(face: { _ in Self.a })
        #expect(asked == [1000, 1600, 4600, 7600, 9500])
        let o = try #require(outcome)
        #expect(o.result == .pass, "\(o.failedChecks)")
        #expect(o.checks.suffix(2).map(\.check) == [.samePerson, .enrolledPerson])
    }

    @Test func theShortCalibrationsPointsAreMomentsToo() throws {
        let (outcome, asked) = Self.run(face: { _ in Self.a }, calibration: nil)
        // Ready at 1 s, two calibration points of 2 s settled after 0.7 s, then the three cells.
        #expect(asked == [1000, 1700, 3700, 5600, 8600, 11600, 13500])
        #expect(outcome?.failedChecks.contains(.samePerson) == false)
    }

    @Test func aSwapBetweenCellsFailsSamePersonAlone() throws {
        let b = Self.d(0.5)
        let (outcome, _) = Self.run(face: { $0 < 5000 ? Self.a : b })
        let o = try #require(outcome)
        #expect(o.result == .fail)
        // The mean of 2 x A and 3 x B is 0.3 from A: the enrolled check alone would have let it through.
        #expect(o.failedChecks == [.samePerson])
        #expect(o.advice == "please try again")
    }

    @Test func someoneElseFailsTheEnrolledPerson() throws {
        let (outcome, _) = Self.run(face: { _ in Self.d(0.5) })
        let o = try #require(outcome)
        #expect(o.failedChecks == [.enrolledPerson])
        #expect(o.advice == "face the camera in good light and try again")
    }

    @Test func aMomentWithoutAFaceIsSampledWhenTheFaceComesBack() throws {
        var person = ChallengeSessionTests.Person()
        // The face is away from 4.5 s to 5 s: the second cell's moment (4.6 s) waits for it.
        person.change = { f, t in
            if t >= 4500 && t < 5000 { f.face = false; f.faces = 0; f.features = nil; f.eyesOpen = false }
        }
        let (_, asked) = Self.run(face: { _ in Self.a }, person: person)
        #expect(asked == [1000, 1600, 5000, 7600, 9500])
    }

    @Test func withoutAnIdentityNoDescriptorIsWanted() {
        var session = ChallengeSession(sequence: [3, 1, 5], calibration: .generic())
        for i in 0..<250 {
            session.update(ScriptedPerson.frame(at: Double(i) * 50, looking: GazeAngles(rightDeg: 0, upDeg: 0), index: i))
            #expect(!session.wantsFaceDescriptor)
        }
    }
}
