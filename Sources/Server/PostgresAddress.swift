import Foundation

/// Where `serve --store` keeps the liveness sessions: a PostgreSQL server named by a URL,
/// `postgres://USER:PASSWORD@HOST:PORT/DATABASE` (`postgresql://` too; the port defaults to 5432, the
/// database to the user's name). `?sslmode=require` asks for TLS with the server's certificate checked
/// against the system's trusted roots (libpq's `verify-full`); `sslmode=disable`, the default, speaks in
/// the clear, for a database on the same private network.
///
/// The password is kept only to log in: `description`, the form every message uses, leaves it out.
public struct PostgresAddress: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable {
        case disable
        case require
    }

    public var host: String
    public var port: Int
    public var user: String
    /// Never printed: see `description`.
    var password: String?
    public var database: String
    public var tls: TLSMode

    /// Why a `--store` URL was not taken. The message never repeats the URL, which may hold a password.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    public init(url: String) throws(Problem) {
        let example = "postgres://USER:PASSWORD@HOST:5432/DATABASE"
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(),
              scheme == "postgres" || scheme == "postgresql" else {
            throw Problem(description: "--store must be a PostgreSQL URL: \(example)")
        }
        guard let host = parts.host, !host.isEmpty else { throw Problem(description: "--store names no host: \(example)") }
        guard let user = parts.user, !user.isEmpty else { throw Problem(description: "--store names no user: \(example)") }
        let port = parts.port ?? 5432
        guard (1...65535).contains(port) else { throw Problem(description: "--store's port must be 1 to 65535") }
        var database = parts.path
        if database.hasPrefix("/") { database.removeFirst() }
        guard !database.contains("/") else { throw Problem(description: "--store's path must be one database name: \(example)") }
        var tls = TLSMode.disable
        for item in parts.queryItems ?? [] {
            guard item.name == "sslmode", let value = item.value, let mode = TLSMode(rawValue: value) else {
                throw Problem(description: "--store takes one parameter, sslmode=disable or sslmode=require")
            }
            tls = mode
        }
        self.host = host
        self.port = port
        self.user = user
        password = parts.password
        self.database = database.isEmpty ? user : database
        self.tls = tls
    }

    /// The URL without its password, as messages show it.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)@\(shownHost):\(port)/\(database)" + (tls == .require ? "?sslmode=require" : "")
    }
}
