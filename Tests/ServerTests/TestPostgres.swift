import Foundation
import Glibc
import Logging
import PostgresNIO
import Server
import Testing

/// The PostgreSQL server `make test` starts for the tests (`scripts/with-postgres.sh`), named by
/// `$GAZETOP_TEST_POSTGRES_URL`, and the administration the tests do on it: scratch databases of their own,
/// and cutting a database off (and back) as a lost store would be.
enum TestPostgres {
    static let url = ProcessInfo.processInfo.environment["GAZETOP_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static var available: Bool { url != nil }
    static let skipMessage = Comment(rawValue: "needs a PostgreSQL server: make test starts one (scripts/with-postgres.sh, "
        + "Debian's postgresql package); run the suite through scripts/with-postgres.sh")

    /// The test server's URL, for `database` rather than its own.
    static func url(database: String) throws -> String {
        guard let url, var parts = URLComponents(string: url) else { throw ClientError(description: "no GAZETOP_TEST_POSTGRES_URL") }
        parts.path = "/" + database
        return parts.string!
    }

    /// The password in the URL: the tests check it never reaches a log.
    static var password: String { url.flatMap { URLComponents(string: $0)?.password } ?? "" }

    /// Runs statements, one at a time, as the test server's user on its own database (or on `database`).
    static func admin(_ statements: [String], database: String? = nil) async throws {
        guard let url, let parts = URLComponents(string: url), let host = parts.host, let user = parts.user else {
            throw ClientError(description: "no GAZETOP_TEST_POSTGRES_URL")
        }
        let configuration = PostgresConnection.Configuration(host: host, port: parts.port ?? 5432, username: user, password: parts.password,
                                                             database: database ?? String(parts.path.dropFirst()), tls: .disable)
        let quiet = Logger(label: "tests", factory: { _ in SwiftLogNoOpLogHandler() })
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: quiet)
        do {
            for statement in statements { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: quiet) }
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// A database of the test's own, so what it does (cut it off, drop its rows) touches no other test. A
    /// test that fails before it drops its database leaves it to the throwaway cluster.
    struct Scratch {
        let name = "gazetop_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
        var url: String { get throws { try TestPostgres.url(database: name) } }
        var address: PostgresAddress { get throws { try PostgresAddress(url: try url) } }

        static func make() async throws -> Scratch {
            let scratch = Scratch()
            try await admin(["CREATE DATABASE \(scratch.name)"])
            return scratch
        }

        /// The database refuses new connections and its open ones are ended, as when a database server goes
        /// away.
        func cutOff() async throws {
            try await admin(["ALTER DATABASE \(name) ALLOW_CONNECTIONS false",
                             "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)'"])
        }

        func reconnect() async throws {
            try await admin(["ALTER DATABASE \(name) ALLOW_CONNECTIONS true"])
        }

        /// Statements on this database itself, as someone editing its rows by hand.
        func run(_ statements: [String]) async throws {
            try await admin(statements, database: name)
        }

        func drop() async {
            try? await admin(["DROP DATABASE IF EXISTS \(name) WITH (FORCE)"])
        }
    }

    /// A loopback port nothing listens on (bound, then let go).
    static func unusedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
