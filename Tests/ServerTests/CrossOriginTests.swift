import Foundation
@testable import Server
import Testing

/// CORS: off (no CORS header at all) unless `--allow-origin` is given; then preflights answered, before the
/// token is asked for, and `Access-Control-Allow-Origin` only for the allowed origins.
@Suite(.enabled(if: TestData.modelInstalled, "needs the landmark model (libdlib-data)"))
struct CrossOriginTests {
    static func corsHeaders(_ answer: HTTPAnswer) -> [String: String] {
        answer.headers.filter { $0.key.hasPrefix("access-control-") }
    }

    static func preflight(_ port: Int, _ path: String, origin: String) throws -> HTTPAnswer {
        try HTTP.request(port: port, "OPTIONS", path, headers: [
            ("Origin", origin), ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "authorization, content-type"),
        ])
    }

    /// Without `--allow-origin`, no answer carries a CORS header, a preflight included (it finds no route).
    @Test func offUnlessAsked() throws {
        let server = try SharedServer.get()
        let origin = "https://a.example"
        for target in ["/health", "/openapi.json", "/docs", "/nowhere"] {
            let answer = try HTTP.request(port: server.port, "GET", target, headers: [("Origin", origin)])
            #expect(Self.corsHeaders(answer).isEmpty, "\(target): \(answer.headers)")
        }
        let preflight = try Self.preflight(server.port, "/initiate-liveness", origin: origin)
        #expect(preflight.status == 404)
        #expect(Self.corsHeaders(preflight).isEmpty)
    }

    /// With two origins allowed: each one's preflight is answered 204 without a token, with the methods and
    /// headers the API takes; another origin's is refused (403, no CORS header). Answers to an allowed
    /// origin, a 401 included, name it and expose `WWW-Authenticate`; answers to another name none.
    @Test func onlyTheAllowedOrigins() throws {
        let server = try TokenServer.get()
        for origin in TokenServer.origins {
            let preflight = try Self.preflight(server.port, "/submit-liveness", origin: origin)
            #expect(preflight.status == 204)
            #expect(preflight.headers["access-control-allow-origin"] == origin)
            #expect(preflight.headers["access-control-allow-methods"] == "GET, POST")
            #expect(preflight.headers["access-control-allow-headers"] == "Authorization, Content-Type")
            #expect(preflight.headers["vary"] == "Origin")

            let health = try HTTP.request(port: server.port, "GET", "/health", headers: [("Origin", origin)])
            #expect(health.status == 200)
            #expect(health.headers["access-control-allow-origin"] == origin)
            #expect(health.headers["vary"] == "Origin")

            let refused = try HTTP.request(port: server.port, "POST", "/initiate-liveness", headers: [("Origin", origin)])
            #expect(refused.status == 401)
            #expect(refused.headers["access-control-allow-origin"] == origin)
            #expect(refused.headers["access-control-expose-headers"] == "WWW-Authenticate")

            let served = try HTTP.request(port: server.port, "POST", "/initiate-liveness", headers: [("Origin", origin), TokenServer.bearer])
            #expect(served.status == 200)
            #expect(served.headers["access-control-allow-origin"] == origin)
        }
        for other in ["https://evil.example", "https://a.example:444", "http://a.example", "null"] {
            let preflight = try Self.preflight(server.port, "/submit-liveness", origin: other)
            #expect(preflight.status == 403, "\(other)")
            #expect(Self.corsHeaders(preflight).isEmpty, "\(other)")
            #expect((preflight.json?["error"] as? String)?.contains("not allowed") == true)
            let health = try HTTP.request(port: server.port, "GET", "/health", headers: [("Origin", other)])
            #expect(health.status == 200)
            #expect(Self.corsHeaders(health).isEmpty, "\(other): \(health.headers)")
        }
        // A request without Origin (not from a browser's page elsewhere) gets no CORS header.
        #expect(Self.corsHeaders(try HTTP.request(port: server.port, "GET", "/health")).isEmpty)
    }

    /// `--allow-origin '*'`: any origin, answered `*` (the API takes no cookies, so `*` is enough).
    @Test func anyOrigin() throws {
        let server = try TestServer(["--workers", "1", "--allow-origin", "*"])
        let preflight = try Self.preflight(server.port, "/initiate-liveness", origin: "https://anyone.example")
        #expect(preflight.status == 204)
        #expect(preflight.headers["access-control-allow-origin"] == "*")
        let answer = try HTTP.request(port: server.port, "GET", "/health", headers: [("Origin", "https://anyone.example")])
        #expect(answer.headers["access-control-allow-origin"] == "*")
        #expect(answer.headers["vary"] == nil)
        #expect(server.terminate() == 0)
    }

    @Test(arguments: [("https://a.example", true), ("http://localhost:8000", true), ("*", true), ("https://a.example/", false),
                      ("a.example", false), ("https://", false), ("https://a.example?x", false), ("://a", false)])
    func originSyntax(origin: String, wellFormed: Bool) {
        #expect(CrossOriginPolicy.isWellFormed(origin) == wellFormed)
    }
}
