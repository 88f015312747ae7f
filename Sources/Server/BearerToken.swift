import Hummingbird

/// The token `gazetop serve --token` (or `$GAZETOP_TOKEN`) requires of every request, RFC 6750's bearer
/// token: sent as `Authorization: Bearer TOKEN`, or as the query parameter `access_token` where a header
/// cannot be set (a browser's WebSocket, a link to `/docs`).
public struct BearerToken: Sendable {
    private let bytes: [UInt8]

    /// A token of RFC 6750's `b64token` characters (letters, digits, `-._~+/`, then `=` padding), so it
    /// goes unchanged in a header and in a URL; nil for anything else.
    public init?(_ token: String) {
        guard Self.isWellFormed(token) else { return nil }
        bytes = Array(token.utf8)
    }

    static func isWellFormed(_ token: String) -> Bool {
        let body = token.utf8.reversed().drop { $0 == UInt8(ascii: "=") }
        return !body.isEmpty && body.allSatisfy { c in
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || "-._~+/".utf8.contains(c)
        }
    }

    /// Whether `presented` is the token, in a time that depends on the token's length only, never on how
    /// much of it a guess got right: every byte is compared, the differences gathered without a branch.
    func admits(_ presented: some Collection<UInt8>) -> Bool {
        var difference = UInt8(truncatingIfNeeded: bytes.count ^ presented.count)
        var given = presented.makeIterator()
        for byte in bytes {
            // Past the end of a shorter guess, compare with 0 (the length already differs).
            difference |= byte ^ (given.next() ?? 0)
        }
        return difference == 0 && bytes.count == presented.count
    }

    /// The token a request shows: its `Authorization: Bearer` header (the scheme's name in any case), else
    /// its `access_token` query parameter; nil when it shows none.
    static func presented(in request: Request) -> Substring? {
        if let header = request.headers[.authorization] {
            let scheme = header.prefix { $0 != " " }
            guard scheme.lowercased() == "bearer" else { return nil }
            return header.dropFirst(scheme.count).drop { $0 == " " }
        }
        return request.uri.queryParameters["access_token"]
    }
}

/// Refuses every request without the token with 401 and `WWW-Authenticate: Bearer` (RFC 6750, section 3),
/// but for the open paths (the document's `open` endpoints: `/health`, which load balancers probe without
/// credentials).
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: BearerToken
    let openPaths: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if openPaths.contains(request.uri.path) { return try await next(request, context) }
        if let refusal = token.refusal(of: request) { throw refusal }
        return try await next(request, context)
    }
}

extension BearerToken {
    /// Why `request` is refused (a 401 naming what is missing or wrong, with `WWW-Authenticate`), or nil
    /// when it shows this token.
    func refusal(of request: Request) -> APIError? {
        guard let presented = BearerToken.presented(in: request) else {
            return APIError(.unauthorized, "this server requires a bearer token: send Authorization: Bearer TOKEN "
                + "(or ?access_token=TOKEN where a header cannot be set)",
                            headers: [.wwwAuthenticate: "Bearer realm=\"gazetop\""])
        }
        guard admits(presented.utf8) else {
            return APIError(.unauthorized, "the bearer token is wrong",
                            headers: [.wwwAuthenticate: "Bearer realm=\"gazetop\", error=\"invalid_token\""])
        }
        return nil
    }
}
