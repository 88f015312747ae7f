import GazeCore
import Server
import Testing

/// The in-memory session store: single use under concurrency, expiry, and its bound.
@Suite struct MemorySessionStoreTests {
    static func session(_ id: String, expiresAt: Double = 100) -> LivenessSession {
        LivenessSession(id: id, sequence: [1, 5, 3], plan: CalibrationPlan(cells: [1, 6], pointSeconds: [2, 2]),
                        areaDurationSeconds: 3, issuedAt: 0, expiresAt: expiresAt)
    }

    /// Of many redeems of one session at once, exactly one gets it; the others hear it was used.
    @Test func concurrentRedeemsTakeItOnce() async throws {
        let store = MemorySessionStore()
        try await store.add(Self.session("a"), now: 0)
        let outcomes = await withTaskGroup(of: Result<LivenessSession, SessionRefusal>.self) { group in
            for _ in 0..<64 {
                group.addTask {
                    do throws(SessionRefusal) { return .success(try await store.redeem("a", now: 1)) } catch { return .failure(error) }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { if case .success = $0 { true } else { false } }.count == 1)
        #expect(outcomes.filter { $0 == Result<LivenessSession, SessionRefusal>.failure(.used) }.count == 63)
    }

    @Test func unknownExpiredUsed() async throws {
        let store = MemorySessionStore()
        try await store.add(Self.session("a", expiresAt: 10), now: 0)
        await #expect(throws: SessionRefusal.unknown) { try await store.check("b", now: 1) }
        #expect(try await store.check("a", now: 9.9).id == "a")
        await #expect(throws: SessionRefusal.expired) { try await store.redeem("a", now: 10) }
        try await store.add(Self.session("c", expiresAt: 10), now: 0)
        _ = try await store.redeem("c", now: 1)
        await #expect(throws: SessionRefusal.used) { try await store.check("c", now: 2) }
    }

    /// Full: what is past remembering goes first, then what is used or expired; open sessions are never
    /// dropped, so a store full of them refuses new ones.
    @Test func boundedAndForgetting() async throws {
        let store = MemorySessionStore(maxSessions: 2, forgetAfterSeconds: 5)
        try await store.add(Self.session("a", expiresAt: 10), now: 0)
        try await store.add(Self.session("b", expiresAt: 100), now: 0)
        await #expect(throws: SessionRefusal.full) { try await store.add(Self.session("c"), now: 5) }
        try await store.add(Self.session("c"), now: 12) // "a" has expired: dropped when room is needed
        await #expect(throws: SessionRefusal.unknown) { try await store.check("a", now: 12) }
        _ = try await store.redeem("b", now: 13)
        try await store.add(Self.session("d"), now: 14) // "b" is used: the same
        await #expect(throws: SessionRefusal.unknown) { try await store.check("b", now: 14) }
        #expect(try await store.check("c", now: 14).id == "c")
        #expect(await store.count == 2)
    }
}
