import Foundation
import GazeCore
import Glibc

/// The challenge's ledger (`ChallengeLedger`: session ids, failures in a row, lockout) in its state file,
/// read and written under an exclusive lock so that two challenges on one kiosk (two processes, or two
/// clients of one server) take turns.
public struct LedgerStore: Sendable {
    public let path: String

    public init(path: String = StatePaths.ledgerFile) {
        self.path = path
    }

    /// Loads the ledger (empty when there is none yet), lets `change` update it, and saves it whole.
    public func update<T>(_ change: (inout ChallengeLedger) throws(StateFileError) -> T) throws(StateFileError) -> T {
        try StateFileLock.withLock(on: path) { () throws(StateFileError) -> T in try locked(change) }
    }

    private func locked<T>(_ change: (inout ChallengeLedger) throws(StateFileError) -> T) throws(StateFileError) -> T {
        var ledger = ChallengeLedger()
        if let data = FileManager.default.contents(atPath: path) {
            guard let stored = try? JSONDecoder().decode(ChallengeLedger.self, from: data) else {
                throw StateFileError(.malformed, "challenge state \(path) is malformed; remove it to start afresh")
            }
            ledger = stored
        }
        let result = try change(&ledger)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(ledger) else { throw StateFileError(.unwritable, "cannot encode the challenge state") }
        try AtomicFile.write(data, to: path)
        return result
    }

    /// Issues `id`, valid for `ttlSeconds` from `now`.
    public func issue(_ id: String, now: Double, ttlSeconds: Double) throws(StateFileError) {
        try update { $0.issue(id, now: now, ttlSeconds: ttlSeconds) }
    }

    /// Issues a new session id (`newSessionId`), valid for `ttlSeconds` from `now`, and returns it.
    public func issueNew(now: Double, ttlSeconds: Double) throws(StateFileError) -> String {
        let id = Self.newSessionId()
        try issue(id, now: now, ttlSeconds: ttlSeconds)
        return id
    }

    /// Lets a challenge start at `now`: refused while failures in a row have locked challenges out (when
    /// `failureLimit` counts them), and with a `session` id only once, before it expires. Returns when
    /// the challenge expires: the session's end, else `ttlSeconds` from now.
    public func admit(session: String?, now: Double, ttlSeconds: Double, failureLimit: Int?) throws(StateFileError) -> Double {
        if let failureLimit, let left = try lockoutRemaining(now: now) {
            throw StateFileError(.refused, "challenges are locked for another \(Int(left.rounded(.up))) s after \(failureLimit) failures in a row")
        }
        guard let session else { return now + ttlSeconds }
        return try redeem(session, now: now)
    }

    /// 128 bits from the system's secure random source, as 32 hex digits.
    public static func newSessionId() -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let v = UInt32.random(in: .min ... .max, using: &rng)
            let hex = String(v, radix: 16)
            return String(repeating: "0", count: 8 - hex.count) + hex
        }.joined()
    }

    /// Uses the session `id` (once, before it expires); returns when it expires. A used, expired or unknown
    /// id is `.refused`, with the ledger's reason.
    public func redeem(_ id: String, now: Double) throws(StateFileError) -> Double {
        try update { (ledger) throws(StateFileError) -> Double in
            do throws(ChallengeLedger.Refusal) { return try ledger.redeem(id, now: now) } catch {
                throw StateFileError(.refused, error.description)
            }
        }
    }

    /// Seconds of lockout left at `now`, nil when challenges may run.
    public func lockoutRemaining(now: Double) throws(StateFileError) -> Double? {
        try update { $0.lockoutRemaining(now: now) }
    }

    /// Counts a finished challenge towards the lockout (`ChallengeLedger.record`).
    public func record(_ result: ChallengeResult, now: Double, maxFailures: Int, lockoutSeconds: Double) throws(StateFileError) {
        try update { $0.record(result, now: now, maxFailures: maxFailures, lockoutSeconds: lockoutSeconds) }
    }
}
