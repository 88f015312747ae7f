/// What a kiosk remembers between challenges: the session ids it issued (each usable once, until it
/// expires) and recent failures (for a lockout). Pure rules on wall-clock seconds passed in; the
/// `Store` keeps it in a small state file (`LedgerStore`).
public struct ChallengeLedger: Codable, Sendable, Equatable {
    public struct Session: Codable, Sendable, Equatable {
        public var issuedAt: Double
        public var expiresAt: Double
        public var used: Bool
    }

    public private(set) var sessions: [String: Session] = [:]
    /// Failed challenges in a row (a pass starts again from 0).
    public private(set) var consecutiveFailures = 0
    /// Challenges are refused until this time, after too many failures.
    public private(set) var lockedUntil: Double?

    public init() {}

    /// Why a session id cannot be used.
    public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        case unknown(String)
        case used(String)
        case expired(String)

        public var description: String {
            switch self {
            case .unknown(let id): "session \(id) was never issued here"
            case .used(let id): "session \(id) was already used"
            case .expired(let id): "session \(id) has expired"
            }
        }
    }

    /// Records a new session id, valid for `ttlSeconds`, and forgets sessions that expired (they can no
    /// longer be used anyway, so the ledger stays small).
    public mutating func issue(_ id: String, now: Double, ttlSeconds: Double) {
        sessions = sessions.filter { $0.value.expiresAt > now }
        sessions[id] = Session(issuedAt: now, expiresAt: now + ttlSeconds, used: false)
    }

    /// Uses a session id: once, before it expires. Returns when it expires.
    public mutating func redeem(_ id: String, now: Double) throws(Refusal) -> Double {
        guard let s = sessions[id] else { throw .unknown(id) }
        if s.used { throw .used(id) }
        if now >= s.expiresAt { throw .expired(id) }
        sessions[id]?.used = true
        return s.expiresAt
    }

    /// Seconds of lockout left at `now`, nil when challenges may run.
    public func lockoutRemaining(now: Double) -> Double? {
        guard let until = lockedUntil, now < until else { return nil }
        return until - now
    }

    /// Counts a finished challenge: a fail adds to the failures in a row, and `maxFailures` of them lock
    /// challenges out for `lockoutSeconds` (and start the count again); a pass clears the count;
    /// inconclusive sessions (no face, stopped) leave it as it is.
    public mutating func record(_ result: ChallengeResult, now: Double, maxFailures: Int, lockoutSeconds: Double) {
        switch result {
        case .pass:
            consecutiveFailures = 0
        case .fail:
            consecutiveFailures += 1
            if maxFailures > 0, consecutiveFailures >= maxFailures {
                lockedUntil = now + lockoutSeconds
                consecutiveFailures = 0
            }
        case .inconclusive:
            break
        }
    }
}
