import Foundation
import GazeCore
import Store
import Testing

/// The challenge's ledger in its state file.
@Suite struct LedgerStoreTests {
    @Test func theLedgerPersistsBetweenRuns() throws {
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("state/challenge.json").path
        try LedgerStore(path: path).issue("s1", now: 100, ttlSeconds: 60)
        // Another store on the same file, as the next run would open it.
        let store = LedgerStore(path: path)
        #expect(try store.redeem("s1", now: 110) == 160)
        #expect(throws: StateFileError(.refused, "session s1 was already used")) { try store.redeem("s1", now: 120) }
        #expect(throws: StateFileError(.refused, "session s2 was never issued here")) { try store.redeem("s2", now: 120) }
    }

    @Test func failuresInARowLockOutAcrossRuns() throws {
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("challenge.json").path
        for now in [10.0, 20.0] {
            try LedgerStore(path: path).record(.fail, now: now, maxFailures: 2, lockoutSeconds: 300)
        }
        #expect(try LedgerStore(path: path).lockoutRemaining(now: 30) == 290)
        #expect(try LedgerStore(path: path).lockoutRemaining(now: 320) == nil)
    }

    @Test func aMalformedLedgerIsOneLineAndLeftAsItIs() throws {
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("challenge.json").path
        try "[1, 2".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: StateFileError(.malformed, "challenge state \(path) is malformed; remove it to start afresh")) {
            try LedgerStore(path: path).issue("s1", now: 1, ttlSeconds: 60)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "[1, 2")
    }
}
