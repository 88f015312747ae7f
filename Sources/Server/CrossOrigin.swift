import Hummingbird

/// Which browser pages may call the API from another origin (`--allow-origin`, repeatable; `*` any). With
/// none given the middleware is not installed at all: no CORS header is ever sent, and a browser keeps
/// every other origin's page from reading an answer.
struct CrossOriginPolicy: Sendable {
    let origins: Set<String>

    /// The methods and request headers a preflight may ask for: what the endpoints take.
    static let methods = "GET, POST"
    static let headers = "Authorization, Content-Type"
    /// Seconds a browser may remember a preflight's answer.
    static let maxAgeSeconds = 600

    /// An origin as a browser sends it: `scheme://host` with an optional port, nothing after (no path, no
    /// trailing slash), or `*`.
    static func isWellFormed(_ origin: String) -> Bool {
        if origin == "*" { return true }
        guard let schemeEnd = origin.range(of: "://") else { return false }
        let scheme = origin[..<schemeEnd.lowerBound]
        let authority = origin[schemeEnd.upperBound...]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) }
            && !authority.isEmpty && !authority.contains { "/?#@ ".contains($0) }
    }

    /// `Access-Control-Allow-Origin` for a request from `origin`: `*` when any is allowed, the origin itself
    /// when it is listed, nil when it is not (then no CORS header is sent).
    func allowed(_ origin: String) -> String? {
        if origins.contains("*") { return "*" }
        return origins.contains(origin) ? origin : nil
    }
}

/// CORS for the allowed origins: a preflight (`OPTIONS` with `Access-Control-Request-Method`) is answered
/// here, before the token is asked for (a browser never sends credentials with one); every other answer to
/// an allowed origin, errors included, says `Access-Control-Allow-Origin` and lets the page read
/// `WWW-Authenticate`.
///
/// Hummingbird's `CORSMiddleware` does not do: its list of origins (`.oneOf`) is variadic, fixed when the
/// code is written, not taken from the command line; and it answers a preflight from any origin with 204.
struct CrossOriginMiddleware<Context: RequestContext>: RouterMiddleware {
    let policy: CrossOriginPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin] else { return try await next(request, context) }
        let allowed = policy.allowed(origin)
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            guard let allowed else {
                return APIError(.forbidden, "cross-origin requests from \(origin.prefix(200)) are not allowed here (--allow-origin)").response
            }
            var headers: HTTPFields = [
                .accessControlAllowOrigin: allowed,
                .accessControlAllowMethods: CrossOriginPolicy.methods,
                .accessControlAllowHeaders: CrossOriginPolicy.headers,
                .accessControlMaxAge: String(CrossOriginPolicy.maxAgeSeconds),
            ]
            if allowed != "*" { headers[.vary] = "Origin" }
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        if let allowed {
            response.headers[.accessControlAllowOrigin] = allowed
            response.headers[.accessControlExposeHeaders] = "WWW-Authenticate"
        }
        // The answer depends on the origin unless every origin gets the same: caches must keep them apart.
        if !policy.origins.contains("*") { response.headers[values: .vary].append("Origin") }
        return response
    }
}
