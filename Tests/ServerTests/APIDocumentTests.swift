import Foundation
import GazeCore
@testable import Server
import Testing
import Vision

/// The served OpenAPI document, and the real answers checked against it.
enum ServedDocument {
    /// `/openapi.json` of `server` (with `token` when it requires one), ready to check answers against.
    static func get(_ server: TestServer, token: String? = nil) throws -> SchemaCheck {
        let answer = try HTTP.request(port: server.port, "GET", "/openapi.json",
                                      headers: token.map { [("Authorization", "Bearer \($0)")] } ?? [])
        guard answer.status == 200 else { throw ClientError(description: "/openapi.json: \(answer.status) \(answer.text)") }
        return SchemaCheck(document: try JSON.parse(answer.body))
    }

    /// What is wrong with `answer` to `method path` by the document: an undocumented status, another content
    /// type, a body without the documented fields and types.
    static func problems(_ answer: HTTPAnswer, _ method: String, _ path: String, _ check: SchemaCheck) -> [String] {
        guard let documented = check.answer(method, path, status: answer.status) else {
            return ["\(method) \(path) answered \(answer.status), which the document does not list: \(answer.text.prefix(200))"]
        }
        let (type, schema) = documented
        let said = answer.headers["content-type"] ?? ""
        guard said.split(separator: ";").first.map(String.init) == type else {
            return ["\(method) \(path) \(answer.status): content type \(said), documented \(type)"]
        }
        guard type == "application/json" else { return [] }
        guard let body = try? JSON.parse(answer.body) else { return ["\(method) \(path) \(answer.status): the body is not JSON"] }
        return check.problems(body, schema).map { "\(method) \(path) \(answer.status): \($0)" }
    }
}

/// `/openapi.json` kept true: every route is documented and every documented operation answers; the real
/// answers, success and errors, WebSocket messages included, have the documented fields and types.
@Suite(.enabled(if: TestData.modelInstalled, "needs the landmark model (libdlib-data)"))
struct APIDocumentTests {
    /// The routes the server's routers hold (in-process: the router itself lists them) are exactly the
    /// operations of the document it serves.
    @Test func everyRouteIsDocumented() throws {
        let pool = try VisionPool(count: 1) { () throws(ModelError) in try FaceModel() }
        let server = try GazetopServer(settings: ServeSettings(version: "1.0.0", visionWorkers: 1,
                                                           eye: EyeSessionSettings(config: GazeConfig())), pool: pool)
        let routes = Set(server.routes().map { "\($0.method) " + ($0.path.hasPrefix("/") ? $0.path : "/" + $0.path) })
        let check = try ServedDocument.get(try SharedServer.get())
        let documented = Set(check.operations.map { "\($0.method) \($0.path)" })
        #expect(routes.subtracting(documented).isEmpty, "served but not documented: \(routes.subtracting(documented).sorted())")
        #expect(documented.subtracting(routes).isEmpty, "documented but not served: \(documented.subtracting(routes).sorted())")
        #expect(routes.count >= 6, "\(routes)")
    }

    /// Every documented operation answers (not 404 or 405), with a status the document lists for it and the
    /// documented body.
    @Test func everyDocumentedOperationAnswers() throws {
        let server = try SharedServer.get()
        let check = try ServedDocument.get(server)
        #expect(check.document["openapi"]?.string == "3.1.0")
        for (method, path) in check.operations {
            let answer = try HTTP.request(port: server.port, method, path,
                                          headers: method == "POST" ? [("Content-Type", "application/json")] : [])
            #expect(answer.status != 404 && answer.status != 405, "\(method) \(path): \(answer.status) \(answer.text.prefix(200))")
            let problems = ServedDocument.problems(answer, method, path, check)
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    /// Real answers of each endpoint, its success and its errors, against the document.
    @Test func answersHaveTheDocumentedShape() throws {
        let server = try SharedServer.get()
        let check = try ServedDocument.get(server)
        var seen: [String] = []
        func expectDocumented(_ answer: HTTPAnswer, _ method: String, _ path: String, status: Int,
                              sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(answer.status == status, "\(method) \(path): \(answer.text.prefix(300))", sourceLocation: sourceLocation)
            let problems = ServedDocument.problems(answer, method, path, check)
            #expect(problems.isEmpty, "\(problems)", sourceLocation: sourceLocation)
            seen.append("\(method) \(path) \(answer.status)")
        }
        let get = { (target: String) in try HTTP.request(port: server.port, "GET", target) }
        expectDocumented(try get("/health"), "GET", "/health", status: 200)
        expectDocumented(try get("/openapi.json"), "GET", "/openapi.json", status: 200)
        expectDocumented(try get("/docs"), "GET", "/docs", status: 200)
        expectDocumented(try get("/ws"), "GET", "/ws", status: 426)
        expectDocumented(try get("/"), "GET", "/", status: 200)
        expectDocumented(try HTTP.request(port: server.port, "HEAD", "/web/page.js"), "HEAD", "/web/page.js", status: 200)

        expectDocumented(try Liveness.initiate(server), "POST", "/initiate-liveness", status: 200)
        expectDocumented(try Liveness.initiate(server, body: "{\"area_duration\": 2.5}"), "POST", "/initiate-liveness", status: 200)
        expectDocumented(try Liveness.initiate(server, body: "{\"area_duration\": 99}"), "POST", "/initiate-liveness", status: 400)
        expectDocumented(try Liveness.initiate(server, body: "[1, 2]"), "POST", "/initiate-liveness", status: 400)
        expectDocumented(try Liveness.initiate(server, body: "{\"enrolled\": null}"), "POST", "/initiate-liveness", status: 400)
        // No one of that name: 422 where face matching is on, 503 where its models are missing.
        let nobody = try Liveness.initiate(server, body: "{\"enrolled\": \"nobody-\(UUID().uuidString.prefix(8))\"}")
        expectDocumented(nobody, "POST", "/initiate-liveness", status: nobody.status == 503 ? 503 : 422)
        expectDocumented(try Liveness.initiate(server, body: String(repeating: " ", count: LivenessAPI.maxInitiateBytes + 1)),
                         "POST", "/initiate-liveness", status: 413)

        // Face matching: a real match and a refusal where its models and photos are here, else the 503 that says so.
        let matching = MatchModelFiles.present
        expectDocumented(try MatchRequest.post(server, "{}"), "POST", "/match", status: matching ? 400 : 503)
        if matching && MatchAPITests.photosReady {
            let photo = try MatchRequest.dataURL(MatchAPITests.cruise)
            expectDocumented(try MatchRequest.post(server, image1: photo, image2: photo), "POST", "/match", status: 200)
            expectDocumented(try MatchRequest.post(server, image1: photo, image2: try MatchRequest.dataURL(MatchAPITests.group)),
                             "POST", "/match", status: 422)
        }

        let submit = "/submit-liveness"
        expectDocumented(try HTTP.request(port: server.port, "POST", submit, headers: [("Content-Type", "application/json")], body: Array("{}".utf8)),
                         "POST", submit, status: 415)
        expectDocumented(try Liveness.submit(server, FormBody(fields: [FormBody.Field(name: "session_id", bytes: Array("x".utf8))])),
                         "POST", submit, status: 400)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gazetop-api-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Liveness.noise(seconds: 2, path: folder + "/noise.webm")
        let video = try Liveness.bytes(folder + "/noise.webm")
        expectDocumented(try Liveness.submit(server, .submission(String(repeating: "0", count: 32), video: video)), "POST", submit, status: 404)
        let garbage = Array("this is no video at all".utf8)
        let first = try #require(try Liveness.session(server)["session_id"] as? String)
        expectDocumented(try Liveness.submit(server, .submission(first, video: garbage)), "POST", submit, status: 422)
        // A video that decodes (grey noise: no face) is scored, inconclusive or failed; the session is used.
        expectDocumented(try Liveness.submit(server, .submission(first, video: video)), "POST", submit, status: 200)
        expectDocumented(try Liveness.submit(server, .submission(first, video: video)), "POST", submit, status: 409)

        // An unknown route's error has APIError's shape too.
        let nowhere = try get("/nowhere")
        #expect(nowhere.status == 404)
        #expect(check.problems(try JSON.parse(nowhere.body), check.schema("APIError")).isEmpty)
        #expect(seen.count >= 20, "\(seen)")
    }

    /// The WebSocket's messages as the document's `x-websocket` names them: a frame's record, and the error
    /// object for a message that gives no frame.
    @Test(.enabled(if: TestData.ready, Comment(rawValue: TestData.skipMessage)))
    func webSocketMessagesHaveTheDocumentedShape() throws {
        let server = try SharedServer.get()
        let check = try ServedDocument.get(server)
        let messages = try #require(check.document["paths"]?["/ws"]?["get"]?["x-websocket"])
        let serverSchema = try #require(messages["server"])
        let socket = try WebSocketClient(port: server.port)
        for frame in try TestData.jpegFrames().prefix(3) {
            try socket.send(text: TestData.message(frame.jpeg))
            guard case .text(let text) = try socket.receive() else { Issue.record("no text answer"); return }
            let record = try JSON.parse(text)
            #expect(record["face"] == .bool(true))
            #expect(check.problems(record, check.schema("EyeRecord")).isEmpty, "\(check.problems(record, check.schema("EyeRecord")))")
            #expect(check.problems(record, serverSchema).isEmpty)
        }
        for bad in ["not json at all {", "{\"type\": \"frame\"}", "{\"type\": \"frame\", \"data\": \"aGVsbG8=\"}"] {
            try socket.send(text: bad)
            guard case .text(let text) = try socket.receive() else { Issue.record("no text answer"); return }
            let error = try JSON.parse(text)
            #expect(check.problems(error, check.schema("EyeError")).isEmpty, "\(text)")
            #expect(check.problems(error, serverSchema).isEmpty, "\(text)")
        }
        try socket.sendClose()
    }

    /// The checker finds what it must: a missing field, a wrong type, null where none is allowed, a value
    /// out of its enum or range (else the tests above could not fail).
    @Test func theCheckerRefusesWrongAnswers() throws {
        let check = try ServedDocument.get(try SharedServer.get())
        let error = check.schema("APIError")
        #expect(check.problems(try JSON.parse(#"{"success": false, "error": "x", "status": 400}"#), error).isEmpty)
        #expect(!check.problems(try JSON.parse(#"{"success": false, "status": 400}"#), error).isEmpty)
        #expect(!check.problems(try JSON.parse(#"{"success": false, "error": "x", "status": "400"}"#), error).isEmpty)
        #expect(!check.problems(try JSON.parse(#"{"success": 0, "error": "x", "status": 400}"#), error).isEmpty)
        #expect(!check.problems(try JSON.parse(#"{"success": true, "error": "x", "status": 400}"#), error).isEmpty)
        #expect(!check.problems(try JSON.parse(#"{"success": false, "error": null, "status": 400}"#), error).isEmpty)
        #expect(!check.problems(try JSON.parse(#"{"success": false, "error": "x", "status": 200}"#), error).isEmpty)
        #expect(!check.problems(try JSON.parse(#"{"status": "ok"}"#), check.schema("Health")).isEmpty)
        let step = check.schema("ScheduleStep")
        let good = #"{"step": "cell", "cell": null, "start": 0, "duration": 1.5, "instruction": "x"}"#
        #expect(check.problems(try JSON.parse(good), step).isEmpty)
        #expect(!check.problems(try JSON.parse(good.replacingOccurrences(of: "\"cell\",", with: "\"dance\",")), step).isEmpty)
        #expect(!check.problems(try JSON.parse(good.replacingOccurrences(of: "null", with: "7")), step).isEmpty)
        #expect(!check.problems(.object([:]), .object(["minLength": .number(1)])).isEmpty, "an unknown keyword is said")
    }

    /// `/docs` is the document as a page: every endpoint, every body and its fields, no script and nothing
    /// fetched from elsewhere.
    @Test func docsPageShowsTheDocument() throws {
        let server = try SharedServer.get()
        let check = try ServedDocument.get(server)
        let page = try HTTP.request(port: server.port, "GET", "/docs")
        #expect(page.status == 200)
        #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        let html = page.text
        for (method, path) in check.operations {
            #expect(html.contains("<span class=\"method\">\(method.lowercased())</span> <code>\(path)</code>"), "\(method) \(path)")
        }
        for (name, schema) in check.document["components"]?["schemas"]?.object ?? [:] {
            #expect(html.contains("id=\"schema-\(name)\""), "\(name)")
            for field in (schema["properties"]?.object ?? [:]).keys {
                #expect(html.contains("<code>\(field)</code>"), "\(name).\(field)")
            }
        }
        #expect(html.contains("<code>models.landmarks</code>"))
        #expect(html.contains("<code>calibration[].cell</code>"))
        for foreign in ["<script", "src=", "http://", "https://", "@import"] {
            #expect(!html.contains(foreign), "\(foreign)")
        }
    }
}
