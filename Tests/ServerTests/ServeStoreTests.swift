import Foundation
import Glibc
import Testing

/// `gazetop serve --store postgres://...` as processes, as a fleet runs it: two servers on one database, a
/// session initiated on one and submitted on the other, concurrent submissions on both scored once; a
/// database that cannot be reached at start (one line, exit 16), one lost later (503 JSON, the server goes
/// on, and is back with the database). The password never reaches what a server writes.
@Suite(.enabled(if: TestPostgres.available && TestData.modelInstalled, TestPostgres.skipMessage))
struct ServeStoreTests {
    /// A server whose sessions live in `url`, given the way a password stays out of the process list.
    static func server(_ url: String) throws -> TestServer {
        try TestServer(["--workers", "1"], environment: ["GAZETOP_STORE": url])
    }

    /// Two servers, one database: a session initiated on the first is known to the second (a video that
    /// does not decode there gets 422, which costs no session, where an unknown one would get 404); the
    /// second announces where its sessions are, without the password.
    @Test func aSessionCrossesServers() async throws {
        let scratch = try await TestPostgres.Scratch.make()
        let first = try Self.server(try scratch.url)
        let second = try Self.server(try scratch.url)
        let id = try #require(try Liveness.session(first)["session_id"] as? String)
        let answer = try Liveness.submit(second, .submission(id, video: Array("not a video".utf8)))
        #expect(answer.status == 422, "\(answer.text)")
        let unknown = try Liveness.submit(second, .submission("0123456789abcdef0123456789abcdef", video: Array("x".utf8)))
        #expect(unknown.status == 404, "\(unknown.text)")
        #expect(second.log.contains("sessions in postgres://gazetop@127.0.0.1:"), "\(second.log)")
        for server in [first, second] {
            #expect(!server.log.contains(TestPostgres.password))
            #expect(server.terminate() == 0)
        }
        await scratch.drop()
    }

    /// A real recording submitted at the same moment to both servers: exactly one scores it, the other
    /// hears it was used; then the first server refuses it too.
    @Test(.enabled(if: TestData.available, Comment(rawValue: TestData.skipMessage)))
    func concurrentSubmissionsOnTwoServersScoreOnce() async throws {
        let scratch = try await TestPostgres.Scratch.make()
        let servers = [try Self.server(try scratch.url), try Self.server(try scratch.url)]
        let id = try #require(try Liveness.session(servers[0])["session_id"] as? String)
        let clip = try Liveness.bytes(TestData.blinkClip)
        let answers = Liveness.submitAtOnce(servers, .submission(id, video: clip, type: "video/mp4")).compactMap { $0 }
        let sorted = answers.sorted { $0.status < $1.status }
        #expect(sorted.map(\.status) == [200, 409], "\(sorted.map(\.text))")
        if let scored = sorted.first?.json { #expect(scored["session_id"] as? String == id && scored["result"] is String) }
        #expect(try Liveness.submit(servers[0], .submission(id, video: clip, type: "video/mp4")).status == 409)
        for server in servers { _ = server.terminate() }
        await scratch.drop()
    }

    /// A store that cannot be used at start: one line naming it without its password, exit 16, whether
    /// nothing listens there, the password is wrong, or (through --store) the database does not exist.
    @Test func unusableStoreAtStart() throws {
        let url = try #require(TestPostgres.url)
        let wrongPassword = url.replacingOccurrences(of: ":\(TestPostgres.password)@", with: ":not-\(TestPostgres.password)@")
        let cases: [([String], [String: String], String)] = [
            ([], ["GAZETOP_STORE": "postgres://gazetop:\(TestPostgres.password)@127.0.0.1:\(TestPostgres.unusedPort())/postgres"], "onnection refused"),
            ([], ["GAZETOP_STORE": wrongPassword], "password authentication failed"),
            (["--store", try TestPostgres.url(database: "no_such_database")], [:], "does not exist"),
        ]
        for (arguments, environment, says) in cases {
            let (status, said) = try TestServer.runToEnd(["serve", "--port", "0", "--workers", "1"] + arguments, environment: environment)
            #expect(status == 16, "\(said)")
            #expect(said.split(separator: "\n").count == 1, "\(said)")
            #expect(said.hasPrefix("gazetop: cannot use the session store postgres://gazetop@127.0.0.1:"), "\(said)")
            #expect(said.contains(says), "\(said)")
            #expect(!said.contains(TestPostgres.password), "\(said)")
        }
        // A URL that is no PostgreSQL URL: usage (64), without repeating it.
        let (status, said) = try TestServer.runToEnd(["serve", "--store", "mysql://gazetop:\(TestPostgres.password)@127.0.0.1/x"], environment: [:])
        #expect(status == 64, "\(said)")
        #expect(said.contains("--store must be a PostgreSQL URL") && !said.contains(TestPostgres.password), "\(said)")
    }

    /// The database cut off while the server runs: the liveness endpoints answer 503 in JSON within the
    /// store's timeout, /health still answers, and once the database is back sessions are issued again.
    @Test func lostStoreAnswers503UntilBack() async throws {
        let scratch = try await TestPostgres.Scratch.make()
        let server = try Self.server(try scratch.url)
        let id = try #require(try Liveness.session(server)["session_id"] as? String)
        try await scratch.cutOff()
        for answer in [try Liveness.initiate(server), try Liveness.submit(server, .submission(id, video: Array("x".utf8)))] {
            #expect(answer.status == 503, "\(answer.text)")
            #expect(answer.headers["content-type"] == "application/json")
            #expect(answer.json?["success"] as? Bool == false)
            #expect((answer.json?["error"] as? String)?.contains("session store cannot be reached") == true, "\(answer.text)")
        }
        #expect(try HTTP.request(port: server.port, "GET", "/health").status == 200)
        try await scratch.reconnect()
        var status = 0
        for _ in 0..<60 where status != 200 {
            status = try Liveness.initiate(server).status
            if status != 200 { try await Task.sleep(for: .milliseconds(500)) }
        }
        #expect(status == 200)
        #expect(try Liveness.submit(server, .submission(id, video: Array("not a video".utf8))).status == 422)
        #expect(!server.log.contains(TestPostgres.password))
        #expect(server.terminate() == 0)
        await scratch.drop()
    }
}
