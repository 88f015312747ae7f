import GazeCore

/// A liveness session: what `POST /initiate-liveness` drew for it, and until when it may be submitted.
public struct LivenessSession: Sendable, Equatable {
    /// 32 hex digits from the system's secure random source.
    public var id: String
    public var sequence: [Int]
    /// The short calibration's cells and timing the page shows.
    public var plan: CalibrationPlan
    public var areaDurationSeconds: Double
    /// Wall-clock seconds since 1970.
    public var issuedAt: Double
    public var expiresAt: Double
    /// The enrolled person the challenge's face must be (`enrolled` at initiate), as read then; nil: no
    /// identity checks.
    public var enrolled: EnrolledIdentity?

    public init(id: String, sequence: [Int], plan: CalibrationPlan, areaDurationSeconds: Double, issuedAt: Double,
                expiresAt: Double, enrolled: EnrolledIdentity? = nil) {
        self.id = id
        self.sequence = sequence
        self.plan = plan
        self.areaDurationSeconds = areaDurationSeconds
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.enrolled = enrolled
    }
}

/// Whom a session's face must be: the name it was initiated with and that person's requirement, read from
/// the enrolment store at initiate (a later re-enrolment does not change a session already drawn).
public struct EnrolledIdentity: Sendable, Equatable {
    public var name: String
    public var requirement: IdentityRequirement

    public init(name: String, requirement: IdentityRequirement) {
        self.name = name
        self.requirement = requirement
    }
}

/// Why a session cannot be submitted.
public enum SessionRefusal: Error, Sendable, Equatable {
    /// Never issued here (or forgotten long after it expired).
    case unknown
    case expired
    /// Already submitted once.
    case used
    /// The store holds as many open sessions as it may (`POST /initiate-liveness` only).
    case full
    /// The store cannot be reached now (a database down or too slow to answer); the server goes on, and
    /// the store is tried again with the next request.
    case unavailable
    /// The store holds this session in a form it cannot read (a row edited by hand): the server's fault,
    /// not the client's, and not a database that will come back.
    case unreadable(String)
}

/// Where liveness sessions live between `initiate` and `submit`. Each is submitted at most once: of any
/// number of concurrent `redeem`s of one id, exactly one gets the session. `MemorySessionStore` (the
/// default) keeps them in one server's memory; `PostgresSessionStore` (`serve --store postgres://...`) in a
/// database several servers share.
///
/// `now` is the caller's clock, seconds since 1970. A store shared by several machines may keep to one
/// clock of its own instead (`PostgresSessionStore` uses the database's), so that machines whose clocks
/// differ agree on when a session expires.
public protocol LivenessSessionStore: Sendable {
    /// Keeps a new session until it expires.
    func add(_ session: LivenessSession, now: Double) async throws(SessionRefusal)
    /// The session, if it could be submitted now; nothing changes.
    func check(_ id: String, now: Double) async throws(SessionRefusal) -> LivenessSession
    /// Takes the session for scoring: from now on it is used.
    func redeem(_ id: String, now: Double) async throws(SessionRefusal) -> LivenessSession
}

/// Sessions in this process's memory: an actor, so a redeem is one step no other can interleave with.
///
/// The default, because one server is the common case and it then needs nothing else: no database to run,
/// no network on the way of each request, and a session is at most a few minutes of value that a restart
/// may lose (the client initiates another). SQLite would survive a restart of one server but could not be
/// shared by a fleet either; a fleet shares PostgreSQL.
/// Expired and used sessions are remembered until `forgetAfterSeconds` past their expiry (so a late
/// submission hears "expired" or "used" rather than "unknown"), then dropped; at most `maxSessions` are
/// kept.
public actor MemorySessionStore: LivenessSessionStore {
    private struct Entry {
        var session: LivenessSession
        var used: Bool
    }

    private var entries: [String: Entry] = [:]
    public let maxSessions: Int
    public let forgetAfterSeconds: Double

    public init(maxSessions: Int = 100_000, forgetAfterSeconds: Double = 3600) {
        self.maxSessions = maxSessions
        self.forgetAfterSeconds = forgetAfterSeconds
    }

    public func add(_ session: LivenessSession, now: Double) throws(SessionRefusal) {
        if entries.count >= maxSessions { forget(now: now) }
        guard entries.count < maxSessions else { throw .full }
        entries[session.id] = Entry(session: session, used: false)
    }

    public func check(_ id: String, now: Double) throws(SessionRefusal) -> LivenessSession {
        guard let entry = entries[id] else { throw .unknown }
        if entry.used { throw .used }
        if now >= entry.session.expiresAt { throw .expired }
        return entry.session
    }

    public func redeem(_ id: String, now: Double) throws(SessionRefusal) -> LivenessSession {
        let session = try check(id, now: now)
        entries[id]?.used = true
        return session
    }

    /// Open sessions and those still remembered.
    public var count: Int { entries.count }

    /// Drops what is past remembering; if that frees nothing, what is used or expired.
    private func forget(now: Double) {
        entries = entries.filter { now < $0.value.session.expiresAt + forgetAfterSeconds }
        if entries.count >= maxSessions {
            entries = entries.filter { !$0.value.used && now < $0.value.session.expiresAt }
        }
    }
}
