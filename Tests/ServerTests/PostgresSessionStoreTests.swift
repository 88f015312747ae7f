import Foundation
import GazeCore
import Server
import Testing

/// The PostgreSQL session store against a real PostgreSQL server: issue, look up and redeem, single use
/// under concurrent redeems from two stores (two servers' pools), expiry by the database's clock, clean-up,
/// the bound, and a database lost and back. Each test works in a scratch database of its own.
@Suite(.enabled(if: TestPostgres.available, TestPostgres.skipMessage))
struct PostgresSessionStoreTests {
    static func session(_ ttlSeconds: Double = 300) -> LivenessSession {
        LivenessSession(id: UUID().uuidString, sequence: [1, 5, 3], plan: CalibrationPlan(cells: [1, 6, 3], pointSeconds: [2.125, 1.9, 2.5]),
                        areaDurationSeconds: 2.5, issuedAt: 0, expiresAt: ttlSeconds)
    }

    /// A session that must show "ada", enrolled with a made-up descriptor.
    static func sessionOfAda() throws -> LivenessSession {
        let descriptor = try #require(FaceDescriptor((0..<FaceDescriptor.length).map { Float($0) / 1000 - 0.05 }))
        var session = Self.session()
        session.enrolled = EnrolledIdentity(name: "ada", requirement: IdentityRequirement(enrolled: descriptor))
        return session
    }

    /// Runs `body` with a store on a scratch database, dropped afterwards.
    static func withScratchStore(_ options: PostgresSessionStore.Options = .init(),
                                 _ body: @Sendable (PostgresSessionStore, TestPostgres.Scratch) async throws -> Void) async throws {
        let scratch = try await TestPostgres.Scratch.make()
        do {
            try await PostgresSessionStore.with(try scratch.address, options: options) { try await body($0, scratch) }
        } catch {
            await scratch.drop()
            throw error
        }
        await scratch.drop()
    }

    /// What is issued comes back whole; a redeem uses it up; an id never issued is unknown.
    @Test func issueLookUpRedeem() async throws {
        try await Self.withScratchStore { store, _ in
            let session = Self.session()
            try await store.add(session, now: 0)
            let found = try await store.check(session.id, now: 0)
            #expect(found.sequence == session.sequence && found.plan == session.plan && found.areaDurationSeconds == 2.5)
            // Stamped by the database's clock: issued now, expiring the TTL later.
            #expect(abs(found.issuedAt - Date().timeIntervalSince1970) < 60, "\(found.issuedAt)")
            #expect(abs(found.expiresAt - found.issuedAt - 300) < 0.001)
            #expect(try await store.redeem(session.id, now: 0) == found)
            await #expect(throws: SessionRefusal.used) { try await store.check(session.id, now: 0) }
            await #expect(throws: SessionRefusal.used) { try await store.redeem(session.id, now: 0) }
            await #expect(throws: SessionRefusal.unknown) { try await store.redeem("0123456789abcdef0123456789abcdef", now: 0) }
        }
    }

    /// A session that must show an enrolled person keeps the name and the descriptor read at initiate, so
    /// another server of the fleet scores it against the same face; one that names no one comes back without.
    @Test func theEnrolledPersonTravelsWithTheSession() async throws {
        let enrolled = try Self.sessionOfAda(), anyone = Self.session()
        try await Self.withScratchStore { store, scratch in
            try await store.add(enrolled, now: 0)
            try await store.add(anyone, now: 0)
            // Read back by another store on the database: another server of the fleet.
            try await PostgresSessionStore.with(try scratch.address) { other in
                let read = await [Self.enrolled(enrolled.id, checkedOn: other), Self.enrolled(enrolled.id, redeemedOn: other),
                                  Self.enrolled(anyone.id, redeemedOn: other)]
                #expect(read == [.success(enrolled.enrolled), .success(enrolled.enrolled), .success(nil)])
            }
        }
    }

    /// A row whose descriptor is no descriptor (edited by hand) is the server's fault (500), not a database
    /// that cannot be reached (503) nor a session checked against no face.
    @Test func aSessionWhoseDescriptorWasSpoiledIsUnreadable() async throws {
        let enrolled = try Self.sessionOfAda()
        try await Self.withScratchStore { store, scratch in
            try await store.add(enrolled, now: 0)
            try await scratch.run(["UPDATE gazetop_liveness_sessions SET enrolled_descriptor = '{1,2,3}' WHERE id = '\(enrolled.id)'"])
            let read = await [Self.enrolled(enrolled.id, checkedOn: store), Self.enrolled(enrolled.id, redeemedOn: store)]
            for outcome in read {
                guard case .failure(.unreadable(let why)) = outcome else {
                    Issue.record("read as \(outcome)")
                    continue
                }
                #expect(why.contains("ada") && why.contains("128"), "\(why)")
            }
        }
    }

    // Apart from the test's nested closures: written inline there, Swift 6.3.1's optimiser crashed (signal 11
    // while splitting the coroutine).
    static func enrolled(_ id: String, checkedOn store: PostgresSessionStore) async -> Result<EnrolledIdentity?, SessionRefusal> {
        do throws(SessionRefusal) { return .success(try await store.check(id, now: 0).enrolled) } catch { return .failure(error) }
    }

    static func enrolled(_ id: String, redeemedOn store: PostgresSessionStore) async -> Result<EnrolledIdentity?, SessionRefusal> {
        do throws(SessionRefusal) { return .success(try await store.redeem(id, now: 0).enrolled) } catch { return .failure(error) }
    }

    /// Two stores on one database (two servers' pools), 24 redeems of one session at once between them:
    /// exactly one gets it, the others hear it was used.
    @Test func concurrentRedeemsOnTwoStoresTakeItOnce() async throws {
        try await Self.withScratchStore { first, scratch in
            try await PostgresSessionStore.with(try scratch.address) { second in
                let session = Self.session()
                try await first.add(session, now: 0)
                let outcomes = await withTaskGroup(of: Result<LivenessSession, SessionRefusal>.self) { group in
                    for i in 0..<24 {
                        let store = i % 2 == 0 ? first : second
                        group.addTask {
                            do throws(SessionRefusal) { return .success(try await store.redeem(session.id, now: 0)) } catch { return .failure(error) }
                        }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                #expect(outcomes.filter { if case .success = $0 { true } else { false } }.count == 1, "\(outcomes)")
                #expect(outcomes.filter { $0 == .failure(.used) }.count == 23, "\(outcomes)")
            }
        }
    }

    /// Expiry is the database's clock: the caller's `now` (here far in the future, then far in the past)
    /// changes nothing; a second after issue, by the database's clock, the session has expired.
    @Test func expiresByTheDatabaseClock() async throws {
        try await Self.withScratchStore { store, _ in
            let session = Self.session(1)
            try await store.add(session, now: 0)
            #expect(try await store.check(session.id, now: 1e12).id == session.id)
            try await Task.sleep(for: .milliseconds(1300))
            await #expect(throws: SessionRefusal.expired) { try await store.check(session.id, now: 0) }
            await #expect(throws: SessionRefusal.expired) { try await store.redeem(session.id, now: 0) }
        }
    }

    /// Sessions past remembering are deleted (on an `add`, at most every `cleanupEverySeconds`); open ones
    /// stay.
    @Test func expiredRowsAreCleanedUp() async throws {
        var options = PostgresSessionStore.Options()
        options.forgetAfterSeconds = 0.5
        options.cleanupEverySeconds = 0
        try await Self.withScratchStore(options) { store, _ in
            let old = Self.session(0.5), open = Self.session()
            try await store.add(old, now: 0)
            try await store.add(open, now: 0)
            try await Task.sleep(for: .milliseconds(1200))
            await #expect(throws: SessionRefusal.expired) { try await store.check(old.id, now: 0) }
            try await store.add(Self.session(), now: 0)
            await #expect(throws: SessionRefusal.unknown) { try await store.check(old.id, now: 0) }
            #expect(try await store.check(open.id, now: 0).id == open.id)
        }
    }

    /// At `maxSessions` open sessions, initiating is refused; a used session no longer counts.
    @Test func boundedByOpenSessions() async throws {
        var options = PostgresSessionStore.Options()
        options.maxSessions = 2
        try await Self.withScratchStore(options) { store, _ in
            let a = Self.session(), b = Self.session()
            try await store.add(a, now: 0)
            try await store.add(b, now: 0)
            await #expect(throws: SessionRefusal.full) { try await store.add(Self.session(), now: 0) }
            _ = try await store.redeem(a.id, now: 0)
            try await store.add(Self.session(), now: 0)
        }
    }

    /// The database cut off while the store runs: each operation is refused as unavailable within its
    /// timeout (not hung), and once the database is back the store serves again, its sessions intact.
    @Test func lostDatabaseIsUnavailableThenBack() async throws {
        var options = PostgresSessionStore.Options()
        options.timeoutSeconds = 2
        try await Self.withScratchStore(options) { store, scratch in
            let kept = Self.session()
            try await store.add(kept, now: 0)
            try await scratch.cutOff()
            await #expect(throws: SessionRefusal.unavailable) { try await store.add(Self.session(), now: 0) }
            await #expect(throws: SessionRefusal.unavailable) { try await store.redeem(kept.id, now: 0) }
            try await scratch.reconnect()
            // The pool reconnects after a back-off of its own: look again, a bounded number of times.
            var back = false
            for _ in 0..<60 where !back {
                do throws(SessionRefusal) {
                    _ = try await store.check(kept.id, now: 0)
                    back = true
                } catch {
                    #expect(error == .unavailable)
                    try await Task.sleep(for: .milliseconds(500))
                }
            }
            #expect(back)
            #expect(try await store.redeem(kept.id, now: 0).id == kept.id)
        }
    }
}

/// `--store` URLs: what is taken, and that no message repeats the password.
@Suite struct PostgresAddressTests {
    @Test func parsesAURL() throws {
        let address = try PostgresAddress(url: "postgres://gaze%40top:s3cr%2Ft@db.example:6543/sessions?sslmode=require")
        #expect(address.host == "db.example" && address.port == 6543 && address.user == "gaze@top" && address.database == "sessions")
        #expect(address.tls == .require)
        #expect(address.description == "postgres://gaze@top@db.example:6543/sessions?sslmode=require")
        let plain = try PostgresAddress(url: "postgresql://gazetop@127.0.0.1")
        #expect(plain.port == 5432 && plain.database == "gazetop" && plain.tls == .disable)
    }

    @Test(arguments: [
        "http://gazetop:hunter2@host/db",
        "postgres://:hunter2@host/db",
        "postgres://gazetop:hunter2@/db",
        "postgres://gazetop:hunter2@host/db/more",
        "postgres://gazetop:hunter2@host/db?sslmode=allow",
        "postgres://gazetop:hunter2@host/db?password=x",
        "hunter2",
    ])
    func refusesWithoutThePassword(url: String) {
        #expect {
            _ = try PostgresAddress(url: url)
        } throws: { error in
            "\(error)".hasPrefix("--store") && !"\(error)".contains("hunter2")
        }
    }
}
