import Foundation
import GazeCore
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

/// The liveness sessions in a PostgreSQL table, for several `gazetop serve` behind one proxy: a session
/// initiated on one is submitted on another, and of concurrent submissions of one session, on any servers,
/// exactly one gets it (`redeem` is one `UPDATE ... RETURNING` that only an unused, unexpired row matches;
/// PostgreSQL makes a second such update wait for the first and then find the row used).
///
/// Time is the database's: `now()` stamps a session's issue and expiry and decides whether it has
/// expired, so servers whose clocks differ still agree on every session. The `now` the protocol passes (the
/// server's own clock) is not used here.
///
/// Nothing waits on the database without bound: an operation that gets no answer within
/// `Options.timeoutSeconds` (the database down, the network gone) is refused as `.unavailable` (503), and
/// the connection pool keeps trying to reconnect behind it, so the server recovers by itself.
public final class PostgresSessionStore: LivenessSessionStore {
    public struct Options: Sendable {
        /// The longest an operation may wait for the database before it is refused.
        public var timeoutSeconds = 5.0
        /// Used and expired sessions are kept this long past their expiry (a late submission hears
        /// "expired" or "used", not "unknown"), then deleted.
        public var forgetAfterSeconds = 3600.0
        /// How often one server deletes what is past remembering (on an `add`).
        public var cleanupEverySeconds = 60.0
        /// Open sessions kept at once, over the whole fleet; past this, initiating is refused (503). The
        /// count and the insert are one statement but not serialised, so concurrent initiates may pass it
        /// by a few.
        public var maxSessions = 100_000
        /// Connections each server keeps to the database at most: 8 lets a fleet of 10 servers stay under
        /// PostgreSQL's default `max_connections` of 100.
        public var maxConnections = 8

        public init() {}
    }

    let client: PostgresClient
    public let options: Options
    /// When this server last deleted old sessions (its monotonic clock: only the interval matters).
    private let lastCleanup = Mutex<ContinuousClock.Instant?>(nil)

    private init(client: PostgresClient, options: Options) {
        self.client = client
        self.options = options
    }

    /// Connects to `address` once to check it and create the table if it is missing, then runs `body`
    /// with a store on a pool of connections, closed when `body` returns.
    /// - Throws: `SessionStoreFailure` when the database cannot be reached, refuses the login, or the
    ///   table cannot be made; whatever `body` throws.
    public static func with<T: Sendable>(_ address: PostgresAddress, options: Options = Options(),
                                         _ body: @Sendable (PostgresSessionStore) async throws -> T) async throws -> T {
        // Bounded as a whole too: a port that accepts and then says nothing (no PostgreSQL there) would
        // otherwise hold the start for ever.
        let startSeconds = max(options.timeoutSeconds, 10)
        do {
            try await Deadline.run(seconds: startSeconds * 2) { try await prepare(address, timeoutSeconds: startSeconds) }
        } catch is Deadline.Passed {
            throw SessionStoreFailure(address: address, reason: "no answer within \(Int(startSeconds * 2)) s")
        }
        var configuration = PostgresClient.Configuration(host: address.host, port: address.port, username: address.user,
                                                         password: address.password, database: address.database,
                                                         tls: address.tls == .require ? .require(.makeClientConfiguration()) : .disable)
        configuration.options.maximumConnections = options.maxConnections
        configuration.options.connectTimeout = .seconds(options.timeoutSeconds)
        // The client logs nothing (its default): the server's voice is the access log, and the password
        // must never reach a log.
        let store = PostgresSessionStore(client: PostgresClient(configuration: configuration), options: options)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.client.run() }
            defer { group.cancelAll() } // cancelling run() closes the pool
            return try await body(store)
        }
    }

    /// One connection of its own, so a database that cannot be reached or refuses the login is said at
    /// once and precisely (the pool would keep retrying quietly), then the table.
    private static func prepare(_ address: PostgresAddress, timeoutSeconds: Double) async throws {
        var configuration = PostgresConnection.Configuration(host: address.host, port: address.port, username: address.user,
                                                             password: address.password, database: address.database, tls: .disable)
        if address.tls == .require {
            do {
                configuration.tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            } catch {
                throw SessionStoreFailure(address: address, reason: "cannot set up TLS: \(error)")
            }
        }
        configuration.options.connectTimeout = .milliseconds(Int64(timeoutSeconds * 1000))
        let quiet = Logger(label: "gazetop.store", factory: { _ in SwiftLogNoOpLogHandler() })
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: quiet)
        } catch {
            throw SessionStoreFailure(address: address, reason: SessionStoreFailure.reason(error))
        }
        do {
            try await SessionTable.create(on: connection, logger: quiet)
            try? await connection.close()
        } catch {
            try? await connection.close()
            throw SessionStoreFailure(address: address, reason: "cannot create the sessions table: " + SessionStoreFailure.reason(error))
        }
    }

    // MARK: LivenessSessionStore

    public func add(_ session: LivenessSession, now: Double) async throws(SessionRefusal) {
        let ttl = session.expiresAt - session.issuedAt
        let max = options.maxSessions
        let inserted = try await bounded { [client] in
            let rows = try await client.query(SessionTable.insert(session, ttlSeconds: ttl, maxOpen: max))
            for try await _ in rows { return true }
            return false
        }
        guard inserted else { throw .full }
        if cleanupIsDue() {
            let forget = options.forgetAfterSeconds
            try? await bounded { [client] in
                for try await _ in try await client.query(SessionTable.deleteForgotten(afterSeconds: forget)) {}
            }
        }
    }

    public func check(_ id: String, now: Double) async throws(SessionRefusal) -> LivenessSession {
        let found = try await bounded { [client] () -> SessionTable.Found? in
            for try await row in try await client.query(SessionTable.select(id)) { return try SessionTable.found(row) }
            return nil
        }
        guard let found else { throw .unknown }
        if found.used { throw .used }
        if found.expired { throw .expired }
        return found.session
    }

    public func redeem(_ id: String, now: Double) async throws(SessionRefusal) -> LivenessSession {
        let taken = try await bounded { [client] () -> LivenessSession? in
            for try await row in try await client.query(SessionTable.redeem(id)) { return try SessionTable.session(row) }
            return nil
        }
        if let taken { return taken }
        // Not taken: say why (used, expired or never issued). Another redeem may have won meanwhile;
        // either way this one did not get it.
        _ = try await check(id, now: now)
        throw .used
    }

    // MARK: Helpers

    /// Whether this server should delete old sessions now; claims the turn if so.
    private func cleanupIsDue() -> Bool {
        let now = ContinuousClock.now
        return lastCleanup.withLock { last in
            if let last, last.duration(to: now) < .seconds(options.cleanupEverySeconds) { return false }
            last = now
            return true
        }
    }

    /// `operation`'s result; `.unreadable` if it read a row that is no session, else `.unavailable` if it
    /// fails or takes longer than `timeoutSeconds`.
    private func bounded<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws(SessionRefusal) -> T {
        do {
            return try await Deadline.run(seconds: options.timeoutSeconds, operation)
        } catch let malformed as SessionTable.MalformedRow {
            throw .unreadable(malformed.description)
        } catch {
            throw .unavailable
        }
    }
}

/// The sessions table: its schema and every statement on it, in one place.
enum SessionTable {
    static let name = "gazetop_liveness_sessions"

    /// Made once, by whichever server starts first: an advisory lock keeps two servers starting together
    /// from racing on `CREATE TABLE IF NOT EXISTS` (which is not safe against itself).
    static let schema = [
        "SELECT pg_advisory_xact_lock(hashtext('\(name)'))",
        """
        CREATE TABLE IF NOT EXISTS \(name) (
            id text PRIMARY KEY,
            sequence bigint[] NOT NULL,
            calibration_cells bigint[] NOT NULL,
            calibration_seconds double precision[] NOT NULL,
            area_duration_seconds double precision NOT NULL,
            issued_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL,
            redeemed_at timestamptz
        )
        """,
        "CREATE INDEX IF NOT EXISTS \(name)_expires_at ON \(name) (expires_at)",
        // The enrolled person a session must show (`enrolled` at initiate): the name and the descriptor read
        // then, kept with the session so any server of the fleet scores it against the same face. Added
        // apart from CREATE TABLE so a table made by an older gazetop gains them.
        "ALTER TABLE \(name) ADD COLUMN IF NOT EXISTS enrolled_name text",
        "ALTER TABLE \(name) ADD COLUMN IF NOT EXISTS enrolled_descriptor real[]",
    ]

    static func create(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.withTransaction(logger: logger) { connection in
            for statement in schema { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
        }
    }

    /// The columns a session is read back from, in `session(_:)`'s order.
    static let columns = "id, sequence, calibration_cells, calibration_seconds, area_duration_seconds, "
        + "extract(epoch FROM issued_at)::float8, extract(epoch FROM expires_at)::float8, enrolled_name, enrolled_descriptor"

    /// Inserts the session, issued now by the database's clock, unless `maxOpen` sessions are open; returns
    /// its id if it was inserted.
    static func insert(_ s: LivenessSession, ttlSeconds: Double, maxOpen: Int) -> PostgresQuery {
        """
        INSERT INTO \(unescaped: name) (id, sequence, calibration_cells, calibration_seconds, area_duration_seconds, issued_at, expires_at,
                                        enrolled_name, enrolled_descriptor)
        SELECT \(s.id), \(s.sequence), \(s.plan.cells), \(s.plan.pointSeconds), \(s.areaDurationSeconds), now(),
               now() + make_interval(secs => \(ttlSeconds)), \(s.enrolled?.name), \(s.enrolled?.requirement.enrolled?.values)
        WHERE (SELECT count(*) FROM \(unescaped: name) WHERE redeemed_at IS NULL AND expires_at > now()) < \(maxOpen)
        RETURNING id
        """
    }

    /// The one step that uses a session: only an unused, unexpired row is updated and returned.
    static func redeem(_ id: String) -> PostgresQuery {
        """
        UPDATE \(unescaped: name) SET redeemed_at = now()
        WHERE id = \(id) AND redeemed_at IS NULL AND expires_at > now()
        RETURNING \(unescaped: columns)
        """
    }

    static func select(_ id: String) -> PostgresQuery {
        "SELECT \(unescaped: columns), redeemed_at IS NOT NULL, expires_at <= now() FROM \(unescaped: name) WHERE id = \(id)"
    }

    static func deleteForgotten(afterSeconds: Double) -> PostgresQuery {
        "DELETE FROM \(unescaped: name) WHERE expires_at < now() - make_interval(secs => \(afterSeconds))"
    }

    struct Found {
        var session: LivenessSession
        var used: Bool
        var expired: Bool
    }

    static func session(_ row: PostgresRow) throws -> LivenessSession {
        let (id, sequence, cells, seconds, area, issued, expires, enrolledName, enrolledDescriptor) =
            try row.decode((String, [Int], [Int], [Double], Double, Double, Double, String?, [Float]?).self)
        return LivenessSession(id: id, sequence: sequence, plan: CalibrationPlan(cells: cells, pointSeconds: seconds),
                               areaDurationSeconds: area, issuedAt: issued, expiresAt: expires,
                               enrolled: try enrolled(enrolledName, enrolledDescriptor))
    }

    static func found(_ row: PostgresRow) throws -> Found {
        let (id, sequence, cells, seconds, area, issued, expires, enrolledName, enrolledDescriptor, used, expired) =
            try row.decode((String, [Int], [Int], [Double], Double, Double, Double, String?, [Float]?, Bool, Bool).self)
        let session = LivenessSession(id: id, sequence: sequence, plan: CalibrationPlan(cells: cells, pointSeconds: seconds),
                                      areaDurationSeconds: area, issuedAt: issued, expiresAt: expires,
                                      enrolled: try enrolled(enrolledName, enrolledDescriptor))
        return Found(session: session, used: used, expired: expired)
    }

    /// The enrolled person as the row keeps them; a descriptor that is no descriptor (hand-edited, say) is an
    /// error, not a session that checks no face.
    private static func enrolled(_ name: String?, _ values: [Float]?) throws -> EnrolledIdentity? {
        guard let name else { return nil }
        guard let values else { return EnrolledIdentity(name: name, requirement: IdentityRequirement(enrolled: nil)) }
        guard let descriptor = FaceDescriptor(values) else { throw MalformedRow(name: name) }
        return EnrolledIdentity(name: name, requirement: IdentityRequirement(enrolled: descriptor))
    }

    struct MalformedRow: Error, CustomStringConvertible {
        var name: String
        var description: String { "the enrolled descriptor of \(name) in \(SessionTable.name) is not 128 finite numbers" }
    }
}

/// Why `serve --store` could not start: the database named (without its password) and what went wrong.
public struct SessionStoreFailure: Error, Sendable, CustomStringConvertible {
    public let address: PostgresAddress
    public let reason: String

    public var description: String { "cannot use the session store \(address): \(reason)" }

    /// A socket's error as the system says it ("Connection refused"), not as NIO's nested values print.
    static func said(_ error: any Error) -> String {
        switch error {
        case let failed as NIOConnectionError:
            if let last = failed.connectionErrors.last { return "cannot connect to \(failed.host):\(failed.port): " + said(last.error) }
            if let dns = failed.dnsAError ?? failed.dnsAAAAError { return "cannot find \(failed.host): " + said(dns) }
            return "cannot connect to \(failed.host):\(failed.port)"
        case let io as IOError:
            return String(cString: strerror(io.errnoCode))
        default:
            return "\(error)"
        }
    }

    /// What PostgreSQL or the network said. `PSQLError`'s own description is a fixed sentence (it hides
    /// the query and its values); the server's message and the socket's error are what a person needs.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return said(underlying) }
        switch error.code {
        case .sslUnsupported: return "the server does not offer TLS (sslmode=require)"
        case .authMechanismRequiresPassword: return "the server asks for a password and the URL gives none"
        case .unsupportedAuthMechanism: return "the server asks for a login method gazetop does not speak"
        case .serverClosedConnection: return "the server closed the connection"
        default: return "\(error.code)"
        }
    }
}

/// Runs an operation in a task of its own and stops waiting for it after a time: a query stuck on a dead
/// connection must not hold the request (a task group would wait for its child to notice cancellation).
/// The operation is cancelled then, which takes a request for a connection out of the pool's queue.
enum Deadline {
    struct Passed: Error {}

    /// Who answers the waiting caller: the operation or the clock, whichever comes first, once.
    private final class Race<T: Sendable>: Sendable {
        let waiting: Mutex<CheckedContinuation<T, any Error>?>
        let clock = Mutex<Task<Void, Never>?>(nil)

        init(_ continuation: CheckedContinuation<T, any Error>) { waiting = Mutex(continuation) }

        func answer(_ result: Result<T, any Error>) -> Bool {
            guard let continuation = waiting.withLock({ $0.take() }) else { return false }
            continuation.resume(with: result)
            return true
        }
    }

    static func run<T: Sendable>(seconds: Double, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let race = Race(continuation)
            let work = Task {
                let result: Result<T, any Error>
                do { result = .success(try await operation()) } catch { result = .failure(error) }
                race.clock.withLock { $0?.cancel() }
                _ = race.answer(result)
            }
            let clock = Task {
                try? await Task.sleep(for: .seconds(seconds))
                guard !Task.isCancelled, race.answer(.failure(Passed())) else { return }
                work.cancel()
            }
            race.clock.withLock { $0 = clock }
        }
    }
}
