import Dispatch
import Foundation
import Glibc
@testable import Server
import Testing

/// A server that requires a token and allows two origins (CORS), shared by the token's and CORS's tests.
enum TokenServer {
    static let token = (0..<4).map { _ in String(format: "%08x", UInt32.random(in: 0...UInt32.max)) }.joined()
    static let origins = ["https://a.example", "http://b.example:8080"]

    private static let started = OnceStarted.server(["--workers", "1", "--token", token] + origins.flatMap { ["--allow-origin", $0] })
    static func get() throws -> TestServer { try started.get() }

    static var bearer: (String, String) { ("Authorization", "Bearer \(token)") }
}

/// The bearer token's comparison and the token's syntax, exactly.
@Suite struct BearerTokenTests {
    @Test(arguments: [
        ("abcdefghijklmnop", true), ("abcdefghijklmnoq", false), ("abcdefghijklmno", false), ("abcdefghijklmnopq", false),
        ("", false), ("Abcdefghijklmnop", false), ("abcdefghijklmnop\u{0}", false),
    ])
    func admitsOnlyTheToken(presented: String, admitted: Bool) throws {
        let token = try #require(BearerToken("abcdefghijklmnop"))
        #expect(token.admits(presented.utf8) == admitted)
    }

    /// A length differing by 256 is still a difference (the length's low byte alone would not say so).
    @Test func aLengthOff256IsRefused() throws {
        let token = try #require(BearerToken("a"))
        #expect(!token.admits(("a" + String(repeating: "\u{0}", count: 256)).utf8))
    }

    @Test(arguments: [("abc-._~+/=", true), ("abc==", true), ("a b", false), ("", false), ("==", false), ("a=b", false), ("é", false)])
    func tokenCharacters(token: String, wellFormed: Bool) {
        #expect(BearerToken.isWellFormed(token) == wellFormed)
    }

    /// The access log names no token: `access_token`'s value is replaced, the rest of the target kept.
    @Test(arguments: [
        ("/ws?access_token=s3cret", "/ws?access_token=REDACTED"),
        ("/docs?a=1&access_token=s3cret&b=2", "/docs?a=1&access_token=REDACTED&b=2"),
        ("/health", "/health"), ("/x?my_access_token=1", "/x?my_access_token=1"),
    ])
    func accessLogRedactsTheToken(target: String, logged: String) {
        #expect(AccessLog.redacted(target) == logged)
    }
}

/// `gazetop serve --token`: every endpoint but /health refuses a request without it (401, `WWW-Authenticate:
/// Bearer`, a JSON error), takes it as a header or as `access_token`, the WebSocket included.
@Suite(.enabled(if: TestData.modelInstalled, "needs the landmark model (libdlib-data)"))
struct BearerTokenServerTests {
    /// Without the token, each documented operation but the open ones (/health, the web page and its files,
    /// which hold no secret) is refused with the documented 401; with it, the document is served.
    @Test func everyEndpointButHealthRequiresTheToken() throws {
        let server = try TokenServer.get()
        let check = try ServedDocument.get(server, token: TokenServer.token)
        #expect(check.document["components"]?["securitySchemes"]?["bearer"]?["scheme"]?.string == "bearer")
        #expect(check.document["paths"]?["/health"]?["get"]?["security"] == .array([]))
        var refused = 0
        var open: [String] = []
        for (method, path) in check.operations {
            let answer = try HTTP.request(port: server.port, method, path)
            if check.document["paths"]?[path]?[method.lowercased()]?["security"] == .array([]) {
                #expect(answer.status == 200, "\(method) \(path): \(answer.status)")
                open.append(path)
                continue
            }
            #expect(answer.status == 401, "\(method) \(path): \(answer.status)")
            #expect(answer.headers["www-authenticate"] == "Bearer realm=\"gazetop\"", "\(method) \(path)")
            #expect((try JSON.parse(answer.body))["error"]?.string?.contains("bearer token") == true)
            let problems = ServedDocument.problems(answer, method, path, check)
            #expect(problems.isEmpty, "\(problems)")
            refused += 1
        }
        #expect(refused >= 5)
        #expect(Set(open) == Set(["/health"] + WebPage.files.keys), "\(open)")
        // An unknown route is refused too: nothing about the routes is told without the token.
        #expect(try HTTP.request(port: server.port, "GET", "/nowhere").status == 401)
    }

    /// A wrong token (one character off, a prefix, longer, another scheme) is refused with `invalid_token`;
    /// the right one in the header (the scheme in any case) or in `access_token` is taken.
    @Test func theTokenAsHeaderOrQuery() throws {
        let server = try TokenServer.get()
        let token = TokenServer.token
        let wrong = [String(token.dropLast()) + (token.last == "0" ? "1" : "0"), String(token.dropLast()), token + "0"]
        for guess in wrong {
            let answer = try HTTP.request(port: server.port, "GET", "/openapi.json", headers: [("Authorization", "Bearer \(guess)")])
            #expect(answer.status == 401)
            #expect(answer.headers["www-authenticate"] == "Bearer realm=\"gazetop\", error=\"invalid_token\"")
            #expect(try HTTP.request(port: server.port, "GET", "/docs?access_token=\(guess)").status == 401)
        }
        #expect(try HTTP.request(port: server.port, "GET", "/docs", headers: [("Authorization", "Basic \(token)")]).status == 401)
        #expect(try HTTP.request(port: server.port, "GET", "/docs", headers: [TokenServer.bearer]).status == 200)
        #expect(try HTTP.request(port: server.port, "GET", "/docs", headers: [("Authorization", "bearer \(token)")]).status == 200)
        #expect(try HTTP.request(port: server.port, "GET", "/docs?access_token=\(token)").status == 200)
        let initiated = try HTTP.request(port: server.port, "POST", "/initiate-liveness?access_token=\(token)")
        #expect(initiated.status == 200)
        // The token never reaches the log; its place in a target is marked.
        #expect(!server.log.contains(token))
        #expect(server.log.contains("/docs?access_token=REDACTED"))
    }

    /// A WebSocket without the token, or with a wrong one, is taken and closed at once with 1008 (policy
    /// violation) and the reason, which a browser's page can read (a refused handshake tells it nothing);
    /// with `access_token` (what a browser can send) or the header, it serves frames.
    @Test func theWebSocketRequiresTheToken() throws {
        let server = try TokenServer.get()
        let bare = try WebSocketClient(port: server.port)
        guard case .close(let code, let reason) = try bare.receive() else { Issue.record("no close"); return }
        #expect(code == 1008)
        #expect(reason.contains("requires a bearer token"), "\(reason)")
        let wrong = try WebSocketClient(port: server.port, path: "/ws?access_token=wrong\(TokenServer.token)")
        #expect(try wrong.receive() == .close(code: 1008, reason: "the bearer token is wrong"))

        for client in [try WebSocketClient(port: server.port, path: "/ws?access_token=\(TokenServer.token)"),
                       try WebSocketClient(port: server.port, headers: [TokenServer.bearer])] {
            try client.send(text: "{\"type\": \"frame\", \"data\": \"aGVsbG8=\"}")
            #expect(try client.receiveJSON()["error"] is String)
            try client.sendClose()
        }
        #expect(!server.log.contains(TokenServer.token))
    }

    /// `$GAZETOP_TOKEN` stands for `--token` (and keeps the token out of the process list).
    @Test func theTokenFromTheEnvironment() throws {
        let token = "env-token-" + UUID().uuidString.lowercased()
        let server = try TestServer(["--workers", "1"], environment: ["GAZETOP_TOKEN": token])
        #expect(try HTTP.request(port: server.port, "GET", "/openapi.json").status == 401)
        #expect(try HTTP.request(port: server.port, "GET", "/openapi.json", headers: [("Authorization", "Bearer \(token)")]).status == 200)
        #expect(try HTTP.request(port: server.port, "GET", "/health").status == 200)
        #expect(server.terminate() == 0)
    }

    /// A token that could not be sent as one (a space), or one too short to resist guessing, and an origin
    /// that is none, are refused before anything starts: one line, exit 64.
    @Test(arguments: [
        (["--token", "short"], [String: String](), "--token must be at least 16"),
        (["--token", "with a space in it, long enough"], [:], "--token must be letters"),
        ([], ["GAZETOP_TOKEN": "short"], "$GAZETOP_TOKEN must be at least 16"),
        (["--allow-origin", "https://a.example/"], [:], "--allow-origin takes an origin"),
        (["--allow-origin", "a.example"], [:], "--allow-origin takes an origin"),
    ])
    func badOptionsAreRefused(arguments: [String], environment: [String: String], says: String) throws {
        let (status, said) = try TestServer.runToEnd(["serve", "--port", "0", "--workers", "1"] + arguments, environment: environment)
        #expect(status == 64, "\(said)")
        #expect(said.contains(says), "\(said)")
    }
}
