import Foundation
import Glibc
import Testing

/// A server for face matching: its own enrolment store (an empty state folder the tests enrol into with
/// `gazetop enroll`, as a user would) and `--allow-fetch`, so the address rule is what refuses a URL.
enum MatchServer {
    static let state = OnceStarted.folder("gazetop-match")

    private static let started = OnceStarted.server(["--workers", "1", "--allow-fetch"], environment: ["XDG_STATE_HOME": state],
                                                    folders: [state])
    static func get() throws -> TestServer { try started.get() }

    /// `gazetop enroll NAME INPUT` into the server's store; its status.
    static func enrol(_ name: String, _ input: String) throws -> Int32 {
        try TestServer.runToEnd(["enroll", name, input], environment: ["XDG_STATE_HOME": state]).status
    }
}

enum MatchRequest {
    static func dataURL(_ path: String) throws -> String {
        let type = path.hasSuffix(".png") ? "image/png" : "image/jpeg"
        return "data:\(type);base64," + (try Data(contentsOf: URL(fileURLWithPath: path))).base64EncodedString()
    }

    static func post(_ server: TestServer, _ body: String) throws -> HTTPAnswer {
        try HTTP.request(port: server.port, "POST", "/match", headers: [("Content-Type", "application/json")], body: Array(body.utf8))
    }

    static func post(_ server: TestServer, image1: String, image2: String, extra: String = "") throws -> HTTPAnswer {
        try post(server, "{\"image1\":\"\(image1)\",\"image2\":\"\(image2)\"\(extra)}")
    }
}

/// Face matching over HTTP: `POST /match` on real photos, its refusals, and `enrolled` on the liveness API.
@Suite(.enabled(if: TestData.modelInstalled && MatchModelFiles.present, "needs the landmark model and the face-matching models (make face-models)"))
struct MatchAPITests {
    static let cruise = TestData.path("faces/Tom_Cruise_avp_2014_4.jpg")
    static let other = TestData.path("faces-68/300vw_001_000006.jpg")
    static let group = TestData.path("faces/2008_001009.jpg")
    static let photosReady = access(cruise, R_OK) == 0 && access(other, R_OK) == 0 && access(group, R_OK) == 0

    func check(_ answer: HTTPAnswer, _ status: Int, _ says: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(answer.status == status, "\(answer.text)", sourceLocation: sourceLocation)
        #expect(answer.json?["success"] as? Bool == false, "\(answer.text)", sourceLocation: sourceLocation)
        #expect((answer.json?["error"] as? String)?.contains(says) == true, "\(answer.text)", sourceLocation: sourceLocation)
    }

    /// The same photo twice is a match (distance 0), with `gazetop match --json`'s fields and the face found.
    @Test(.enabled(if: photosReady, "needs ../shared/data/faces and faces-68")) func samePhotoMatches() throws {
        let server = try MatchServer.get()
        let photo = try MatchRequest.dataURL(Self.cruise)
        let answer = try MatchRequest.post(server, image1: photo, image2: photo)
        #expect(answer.status == 200, "\(answer.text)")
        let json = try #require(answer.json)
        #expect(json["success"] as? Bool == true)
        #expect(json["match"] as? Bool == true)
        #expect(json["similarity_score"] as? Double == 1)
        #expect(json["distance"] as? Double == 0)
        #expect(json["threshold"] as? Double == 0.34)
        let inputs = try #require(json["inputs"] as? [[String: Any]])
        #expect(inputs.map { $0["path"] as? String } == ["image1", "image2"])
        let face = try #require((inputs[0]["faces"] as? [[String: Any]])?.first)
        #expect((face["box"] as? [Double])?.count == 4 && (face["quality"] as? Double ?? 0) > 0, "\(answer.text)")
    }

    /// Two different people do not match; a threshold in the request is the one used. A bare base64 string
    /// and a PNG are taken too.
    @Test(.enabled(if: photosReady, "needs ../shared/data/faces and faces-68")) func differentPeopleDoNotMatch() throws {
        let server = try MatchServer.get()
        let bare = try Data(contentsOf: URL(fileURLWithPath: Self.other)).base64EncodedString()
        let answer = try MatchRequest.post(server, image1: try MatchRequest.dataURL(Self.cruise), image2: bare)
        #expect(answer.status == 200, "\(answer.text)")
        let json = try #require(answer.json)
        #expect(json["match"] as? Bool == false, "\(answer.text)")
        let distance = try #require(json["distance"] as? Double)
        #expect(distance > 0.34)
        // The same pair under a threshold above their distance: a match, by the request's word.
        let loose = try MatchRequest.post(server, image1: try MatchRequest.dataURL(Self.cruise), image2: bare,
                                          extra: ",\"threshold\":\(min(1.99, distance + 0.01))")
        #expect(loose.json?["match"] as? Bool == true, "\(loose.text)")
    }

    /// An input without one clear face: 422 naming which input and why.
    @Test(.enabled(if: photosReady, "needs ../shared/data/faces, faces-68 and noface")) func inputsWithoutOneClearFaceAreNamed() throws {
        let server = try MatchServer.get()
        let face = try MatchRequest.dataURL(Self.cruise)
        check(try MatchRequest.post(server, image1: face, image2: try MatchRequest.dataURL(Self.group)), 422, "image2:")
        check(try MatchRequest.post(server, image1: face, image2: try MatchRequest.dataURL(Self.group)), 422, "faces, so which one")
        let noFace = TestData.path("noface/frame_000100.jpg")
        check(try MatchRequest.post(server, image1: try MatchRequest.dataURL(noFace), image2: face), 422, "image1: no face found")
    }

    /// Bad bodies: each a 4xx JSON error naming the problem, and the server goes on serving.
    @Test func badRequestsAreNamed() throws {
        let server = try MatchServer.get()
        let tiny = "data:image/png;base64,iVBORw0KGgo=" // a PNG signature and nothing else
        check(try MatchRequest.post(server, "not json"), 400, "not a JSON object")
        check(try MatchRequest.post(server, "{\"image2\":\"abc\"}"), 400, "no image1")
        check(try MatchRequest.post(server, "{\"image1\":\"abc\"}"), 400, "no image2")
        check(try MatchRequest.post(server, "{\"image1\":3,\"image2\":\"abc\"}"), 400, "image1 must be a string")
        check(try MatchRequest.post(server, image1: "%%%%", image2: "abc"), 400, "image1 is not base64")
        check(try MatchRequest.post(server, image1: "data:image/jpeg,abc", image2: "abc"), 400, "not base64")
        check(try MatchRequest.post(server, image1: tiny, image2: tiny, extra: ",\"threshold\":5"), 400, "threshold")
        check(try MatchRequest.post(server, image1: Data("hello, not a picture".utf8).base64EncodedString(), image2: tiny),
              422, "image1: not a JPEG or PNG")
        // Over 10 MB once decoded: refused before any decoding.
        let big = Data(repeating: 0xFF, count: 10 * 1024 * 1024 + 3).base64EncodedString()
        check(try MatchRequest.post(server, image1: tiny, image2: big), 413, "image2 is larger than 10 MB")
        #expect(try HTTP.request(port: server.port, "GET", "/health").status == 200)
    }

    /// `--allow-fetch` never reaches this machine: a loopback URL (the server's own port) is refused by
    /// the address rule, as is a name that resolves to loopback; other schemes are refused too.
    @Test func loopbackURLsAreRefused() throws {
        let server = try MatchServer.get()
        let face = "data:image/png;base64,iVBORw0KGgo="
        let marker = "fetch-marker-\(UUID().uuidString)"
        check(try MatchRequest.post(server, image1: "http://127.0.0.1:\(server.port)/\(marker)", image2: face), 400, "loopback")
        check(try MatchRequest.post(server, image1: face, image2: "http://localhost:\(server.port)/health"), 400, "image2: localhost resolves to")
        check(try MatchRequest.post(server, image1: "http://[::1]:\(server.port)/", image2: face), 400, "loopback")
        check(try MatchRequest.post(server, image1: "http://169.254.169.254/latest/meta-data/", image2: face), 400, "link-local")
        check(try MatchRequest.post(server, image1: "ftp://example.com/a.jpg", image2: face), 400, "only http and https")
        // Nothing was fetched from the server itself: a GET of the marked path would be in its log.
        #expect(server.log.contains("POST /match") && !server.log.contains(marker))
    }

    /// Without `--allow-fetch` a URL is refused, saying how to allow it; `/health` says matching works.
    @Test func urlsNeedAllowFetch() throws {
        let server = try SharedServer.get()
        let answer = try MatchRequest.post(server, image1: "https://example.com/a.jpg", image2: "abc")
        check(answer, 400, "--allow-fetch")
        let health = try #require(try HTTP.request(port: server.port, "GET", "/health").json)
        #expect(health["face_matching"] as? Bool == true)
        #expect((health["models"] as? [String: Any])?["face_recognition"] as? String == "dlib_face_recognition_resnet_model_v1.dat")
    }

    /// An unknown enrolled name is refused at initiate, before any session is drawn.
    @Test func unknownEnrolledNameIsRefused() throws {
        let server = try MatchServer.get()
        let answer = try Liveness.initiate(server, body: "{\"area_duration\": 3, \"enrolled\": \"nobody-\(UUID().uuidString.prefix(8))\"}")
        check(answer, 422, "no one is enrolled as 'nobody-")
        check(try Liveness.initiate(server, body: "{\"enrolled\": 7}"), 400, "enrolled must be")
    }

    /// A ZJU recording of one person, submitted to a session that requires someone else (enrolled from a
    /// photo of another person): `enrolled_person` fails. Required to be the clip's own person (enrolled
    /// from the clip itself), that check passes, and `same_person` holds either way.
    @Test(.enabled(if: TestData.available && photosReady, Comment(rawValue: TestData.skipMessage)))
    func enrolledPersonIsChecked() throws {
        let server = try MatchServer.get()
        #expect(try MatchServer.enrol("someone-else", Self.cruise) == 0)
        #expect(try MatchServer.enrol("the-clips-person", TestData.blinkClip) == 0)
        for (name, passes) in [("someone-else", false), ("the-clips-person", true)] {
            let session = try Liveness.session(server, body: "{\"area_duration\": 3, \"enrolled\": \"\(name)\"}")
            #expect(session["enrolled"] as? String == name)
            let id = try #require(session["session_id"] as? String)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("gazetop-test-\(UUID().uuidString).webm").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try Liveness.webm(TestData.blinkClip, seconds: (session["total_duration"] as? Double ?? 20) + 1, path: path)
            let answer = try Liveness.submit(server, .submission(id, video: try Liveness.bytes(path)))
            #expect(answer.status == 200, "\(answer.text)")
            let json = try #require(answer.json)
            let checks = try #require(json["checks"] as? [[String: Any]], "\(answer.text)")
            let enrolled = try #require(checks.first { $0["name"] as? String == "enrolled_person" }, "\(answer.text)")
            #expect(enrolled["passed"] as? Bool == passes, "\(name): \(answer.text)")
            #expect((json["failed_checks"] as? [String])?.contains("enrolled_person") == !passes, "\(answer.text)")
            #expect(checks.first { $0["name"] as? String == "same_person" }?["passed"] as? Bool == true, "\(answer.text)")
            #expect((json["identity"] as? [String: Any])?["enrolled"] as? String == name)
            #expect(json["result"] as? String == "fail", "the clip's person never looks at the cells: \(answer.text)")
        }
    }
}

/// Face matching's models missing: the server still serves, `/health` says so, `/match` and `enrolled`
/// answer 503 naming what fetches them.
@Suite(.enabled(if: TestData.modelInstalled, "needs the landmark model (libdlib-data)"))
struct MatchModelsMissingTests {
    @Test func matchIsOffAndSaysWhy() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("gazetop-nomodels-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let server = try TestServer(["--workers", "1", "--match-models", empty])
        let health = try #require(try HTTP.request(port: server.port, "GET", "/health").json)
        #expect(health["face_matching"] as? Bool == false)
        #expect((health["models"] as? [String: Any])?["face_recognition"] is NSNull)
        let answer = try MatchRequest.post(server, image1: "abc", image2: "abc")
        #expect(answer.status == 503, "\(answer.text)")
        #expect((answer.json?["error"] as? String)?.contains("make face-models") == true, "\(answer.text)")
        let initiate = try Liveness.initiate(server, body: "{\"enrolled\": \"al\"}")
        #expect(initiate.status == 503 && initiate.text.contains("make face-models"), "\(initiate.text)")
        #expect(try Liveness.session(server)["session_id"] is String)
        #expect(server.log.contains("face matching is off"))
    }
}

/// Where the face-matching models are for the tests: the checkout's `models/`, which `make face-models` fills.
enum MatchModelFiles {
    static let folder: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("models").path
    }()
    static var present: Bool {
        access(folder + "/dlib_face_recognition_resnet_model_v1.dat", R_OK) == 0
            && access(folder + "/shape_predictor_5_face_landmarks.dat", R_OK) == 0
    }
}
