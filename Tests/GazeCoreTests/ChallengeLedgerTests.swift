import Testing
@testable import GazeCore

@Suite struct ChallengeLedgerTests {
    @Test func aSessionIsUsableOnceBeforeItExpires() throws {
        var ledger = ChallengeLedger()
        ledger.issue("a", now: 1000, ttlSeconds: 300)
        ledger.issue("b", now: 1000, ttlSeconds: 300)
        #expect(try ledger.redeem("a", now: 1299.9) == 1300)
        #expect(throws: ChallengeLedger.Refusal.used("a")) { try ledger.redeem("a", now: 1100) }
        #expect(throws: ChallengeLedger.Refusal.expired("b")) { try ledger.redeem("b", now: 1300) }
        #expect(throws: ChallengeLedger.Refusal.unknown("c")) { try ledger.redeem("c", now: 1000) }
    }

    @Test func issuingForgetsExpiredSessions() {
        var ledger = ChallengeLedger()
        ledger.issue("old", now: 0, ttlSeconds: 10)
        ledger.issue("new", now: 5, ttlSeconds: 10)
        ledger.issue("newer", now: 11, ttlSeconds: 10)
        #expect(Set(ledger.sessions.keys) == ["new", "newer"])
    }

    @Test func failuresInARowLockOut() {
        var ledger = ChallengeLedger()
        let steps: [(ChallengeResult, Double, Double?)] = [
            (.fail, 0, nil),
            (.inconclusive, 1, nil), // neither counts nor clears
            (.pass, 2, nil),         // clears
            (.fail, 3, nil),
            (.fail, 4, nil),
            (.fail, 5, 60),          // the third in a row: locked for 60 s from now
        ]
        for (result, now, locked) in steps {
            ledger.record(result, now: now, maxFailures: 3, lockoutSeconds: 60)
            #expect(ledger.lockoutRemaining(now: now) == locked, "after \(result) at \(now)")
        }
        #expect(ledger.lockoutRemaining(now: 64.5) == 0.5)
        #expect(ledger.lockoutRemaining(now: 65) == nil)
        #expect(ledger.consecutiveFailures == 0, "the count starts again after a lockout")
    }

    @Test func noLimitNeverLocks() {
        var ledger = ChallengeLedger()
        for i in 0..<10 { ledger.record(.fail, now: Double(i), maxFailures: 0, lockoutSeconds: 60) }
        #expect(ledger.lockoutRemaining(now: 10) == nil)
        #expect(ledger.consecutiveFailures == 10)
    }
}
