import Capture
import Foundation
import GazeCore
import Hummingbird
import Monitor
import NIOCore
import Store
import Vision

/// The liveness API, the original's names and shapes: `POST /initiate-liveness` draws a session (a random
/// sequence of cells and a random short calibration, as `gazetop challenge` draws them) and tells the page
/// what to show when; `POST /submit-liveness` takes the recording of it and scores it by the rules of
/// `gazetop challenge --input` (`ChallengeRecording`), on one of the vision workers.
struct LivenessAPI: Sendable {
    let settings: LivenessSettings
    let store: any LivenessSessionStore
    let pool: VisionPool
    /// Who is enrolled (`gazetop enroll`'s store), read at each initiate that names someone.
    let enrolments: EnrolmentStore
    let log: AccessLog

    /// The largest `initiate` body read: a JSON object with one number.
    static let maxInitiateBytes = 64 * 1024

    func add(to router: Router<ServeContext>) {
        router.post("/initiate-liveness") { request, _ in try await self.initiate(request) }
        router.post("/submit-liveness") { request, _ in try await self.submit(request) }
    }

    // MARK: initiate

    func initiate(_ request: Request) async throws -> Response {
        let body = try await Self.collect(request, upTo: Self.maxInitiateBytes, what: "the request body")
        var config = GazeConfig()
        let fields = try Self.initiateFields(body, allowed: settings.areaDurationRange)
        if let duration = fields.areaDuration { config.challenge.areaDurationSeconds = duration }
        let enrolled = try fields.enrolled.map { (name) throws(APIError) in try identity(of: name) }
        var rng = SystemRandomNumberGenerator()
        let grid = ScreenGrid(config: config.screen)
        let sequence = ChallengeSequence.random(count: config.challenge.areaCount, grid: grid, using: &rng)
        var plan = CalibrationPlan.random(grid: grid, config: config.challenge, using: &rng)
        // Whole milliseconds, so the schedule the page is sent is the one the recording is scored by.
        plan.pointSeconds = plan.pointSeconds.map { ($0 * 1000).rounded() / 1000 }
        let now = Date().timeIntervalSince1970
        let session = LivenessSession(id: Self.newSessionId(using: &rng), sequence: sequence, plan: plan,
                                      areaDurationSeconds: config.challenge.areaDurationSeconds, issuedAt: now,
                                      expiresAt: now + settings.sessionTTLSeconds, enrolled: enrolled)
        try await Self.refusing(session.id) { () throws(SessionRefusal) in try await store.add(session, now: now) }
        return JSONResponse.make(Self.initiateJSON(session, schedule: ChallengeSchedule(sequence: sequence, plan: plan, config: config),
                                                   ttlSeconds: settings.sessionTTLSeconds))
    }

    /// The person enrolled as `name`, as `challenge --enrolled NAME` reads them (`EnrolledPerson.requirement`).
    func identity(of name: String) throws(APIError) -> EnrolledIdentity {
        guard pool.matching == .loaded else { throw MatchAPI.modelsMissing }
        if let problem = EnrolmentStore.check(name: name) { throw APIError(.badRequest, "enrolled: \(problem)") }
        do throws(StateFileError) {
            return EnrolledIdentity(name: name, requirement: try enrolments.person(name).requirement())
        } catch {
            guard error.kind == .refused else {
                // The store's trouble is the server's, and its path no client's business: logged, not said.
                log.write("gazetop serve: the enrolment store: \(error)")
                throw APIError(.internalServerError, "the server's enrolment store cannot be read")
            }
            throw APIError(.unprocessableContent, "no one is enrolled as '\(name.prefix(64))' (gazetop enroll NAME PHOTO... on the server)")
        }
    }

    /// What an `initiate` body may say: `area_duration` and `enrolled`, each optional (an empty body is
    /// the defaults).
    struct InitiateFields: Decodable {
        var areaDuration: Double?
        var enrolled: String?
        enum CodingKeys: String, CodingKey {
            case areaDuration = "area_duration"
            case enrolled
        }

        init(areaDuration: Double? = nil, enrolled: String? = nil) {
            self.areaDuration = areaDuration
            self.enrolled = enrolled
        }

        // Absent keeps the default; present, a field must hold a value (`null` is refused, as the
        // document says: schemathesis found it taken for absent).
        init(from decoder: any Decoder) throws {
            let fields = try decoder.container(keyedBy: CodingKeys.self)
            if fields.contains(.areaDuration) { areaDuration = try fields.decode(Double.self, forKey: .areaDuration) }
            if fields.contains(.enrolled) { enrolled = try fields.decode(String.self, forKey: .enrolled) }
        }
    }

    /// The refusal of a field of the wrong type, or of `null`.
    private static func fieldError(_ field: String, range: String) -> APIError {
        field == "enrolled" ? APIError(.badRequest, "enrolled must be the name of an enrolled person (a string)")
            : APIError(.badRequest, "area_duration must be a number of seconds from \(range)")
    }

    static func initiateFields(_ body: ByteBuffer, allowed: ClosedRange<Double>) throws(APIError) -> InitiateFields {
        guard body.readableBytes > 0 else { return InitiateFields() }
        let range = "\(RecordEncoding.num(allowed.lowerBound, 1)) to \(RecordEncoding.num(allowed.upperBound, 1))"
        let fields: InitiateFields
        do {
            fields = try JSONDecoder().decode(InitiateFields.self, from: Data(body.readableBytesView))
        } catch DecodingError.typeMismatch(_, let context) where !context.codingPath.isEmpty {
            throw fieldError(context.codingPath[0].stringValue, range: range)
        } catch DecodingError.valueNotFound(_, let context) where !context.codingPath.isEmpty {
            throw fieldError(context.codingPath[0].stringValue, range: range)
        } catch {
            throw APIError(.badRequest, "the body is not a JSON object; send {\"area_duration\": 3.0} or nothing")
        }
        if let duration = fields.areaDuration, !allowed.contains(duration) {
            throw APIError(.badRequest, "area_duration must be a number of seconds from \(range)")
        }
        return fields
    }

    static func initiateJSON(_ s: LivenessSession, schedule: ChallengeSchedule, ttlSeconds: Double) -> String {
        func num(_ v: Double) -> String { RecordEncoding.num(v, 3) }
        let cells = s.sequence.map(String.init).joined(separator: ", ")
        let instructions = "Look at the camera and blink, then at the dot in each calibration cell, then at each "
            + "highlighted cell in turn (\(cells)) for \(num(s.areaDurationSeconds)) s each; record from the "
            + "first step to \(num(schedule.totalSeconds)) s and a little after."
        var out = "{\"success\":true,\"session_id\":\(JSONString.quoted(s.id))"
        out += ",\"sequence\":[\(s.sequence.map(String.init).joined(separator: ","))]"
        out += ",\"area_duration\":\(num(s.areaDurationSeconds)),\"total_duration\":\(num(schedule.totalSeconds))"
        out += ",\"instructions\":\(JSONString.quoted(instructions))"
        out += ",\"calibration\":[" + zip(s.plan.cells, s.plan.pointSeconds).map { "{\"cell\":\($0),\"duration\":\(num($1))}" }
            .joined(separator: ",") + "]"
        out += ",\"schedule\":[" + schedule.steps.map { step in
            "{\"step\":\"\(step.kind.rawValue)\",\"cell\":\(step.cell.map(String.init) ?? "null"),\"start\":\(num(step.startSeconds))"
                + ",\"duration\":\(num(step.durationSeconds)),\"instruction\":\(JSONString.quoted(step.instruction))}"
        }.joined(separator: ",") + "]"
        out += ",\"enrolled\":\(s.enrolled.map { JSONString.quoted($0.name) } ?? "null")"
        out += ",\"expires_in\":\(num(ttlSeconds))}"
        return out
    }

    /// 32 hex digits.
    static func newSessionId(using rng: inout some RandomNumberGenerator) -> String {
        (0..<2).map { _ in
            let hex = String(rng.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    // MARK: submit

    func submit(_ request: Request) async throws -> Response {
        let started = Date()
        guard let type = request.headers[.contentType], let boundary = Multipart.boundary(contentType: type) else {
            throw APIError(.unsupportedMediaType, "submit-liveness takes multipart/form-data (with a boundary): the fields session_id and video")
        }
        let body = try await Self.collect(request, upTo: settings.maxUploadBytes, what: "the upload")
        let (sessionId, video): (String, Range<Int>) = try body.withUnsafeReadableBytes { bytes throws(APIError) in
            let form: Multipart
            do throws(Multipart.Problem) { form = try Multipart(bytes, boundary: boundary) } catch { throw APIError(.badRequest, error.description) }
            guard let idPart = form.part("session_id") else { throw APIError(.badRequest, "the form has no session_id field") }
            let id = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[idPart.range]), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard !id.isEmpty else { throw APIError(.badRequest, "session_id is empty") }
            guard let videoPart = form.part("video") else { throw APIError(.badRequest, "the form has no video field") }
            guard !videoPart.range.isEmpty else { throw APIError(.badRequest, "the video is empty") }
            return (id, videoPart.range)
        }
        try await Self.refusing(sessionId) { () throws(SessionRefusal) in
            _ = try await store.check(sessionId, now: Date().timeIntervalSince1970)
        }

        let upload = try TemporaryUpload(body, range: video)
        defer { upload.remove() }
        let worker = pool.assign()
        defer { pool.release(worker) }
        let maxSeconds = settings.maxVideoSeconds
        // A look at the file before the session is used up: a video that does not decode costs no session.
        try await Self.onWorker(worker) { Self.probe(upload.path, maxSeconds: maxSeconds) }.get()
        let session = try await Self.refusing(sessionId) { () throws(SessionRefusal) in
            try await store.redeem(sessionId, now: Date().timeIntervalSince1970)
        }
        var config = GazeConfig()
        config.challenge.areaDurationSeconds = session.areaDurationSeconds
        // With someone enrolled, scored as `challenge --input FILE --enrolled NAME` is: the identity
        // required, the followed face described at the challenge's moments by this worker's encoder.
        var describer: FollowedFaceDescriber?
        if session.enrolled != nil {
            guard let faces = worker.faces else { throw MatchAPI.modelsMissing }
            describer = FollowedFaceDescriber(encoder: faces.encoder, config: config.matching)
        }
        let recording = ChallengeRecording(sequence: session.sequence, plan: session.plan, calibration: nil, config: config,
                                           identity: session.enrolled?.requirement)
        let outcome = try await RecordingJob.run(recording, describer: describer, path: upload.path, maxSeconds: maxSeconds, on: worker)
        return JSONResponse.make(Self.submitJSON(outcome, sessionId: sessionId, enrolled: session.enrolled?.name,
                                                 descriptors: describer?.count ?? 0,
                                                 processingSeconds: Date().timeIntervalSince(started)))
    }

    /// The answer: the original API's fields, then gazetop's (the checks as `challenge --result` writes
    /// them, and whose face was required).
    static func submitJSON(_ o: ChallengeOutcome, sessionId: String, enrolled: String? = nil, descriptors: Int = 0,
                           processingSeconds: Double) -> String {
        var out = "{\"success\":true,\"session_id\":\(JSONString.quoted(sessionId)),\"result\":\"\(o.result.rawValue)\""
        out += ",\"reason\":\(o.advice.map(JSONString.quoted) ?? "null")"
        out += ",\"sequence\":[\(o.sequence.map(String.init).joined(separator: ","))]"
        out += ",\"overall_accuracy\":\(RecordEncoding.num(o.overallAccuracy, 3))"
        out += ",\"sequence_results\":" + ChallengeResultEncoding.sequenceResults(o.cells)
        out += ",\"failed_checks\":" + ChallengeResultEncoding.failedChecks(o)
        out += ",\"checks\":" + ChallengeResultEncoding.checks(o)
        out += ",\"identity\":" + (enrolled.map { "{\"enrolled\":\(JSONString.quoted($0)),\"descriptors\":\(descriptors)}" } ?? "null")
        out += ",\"stopped\":\(o.stop.map { JSONString.quoted($0.name) } ?? "null")"
        out += ",\"processing_time\":\(RecordEncoding.num(processingSeconds, 3))}"
        return out
    }

    /// Opens the video and decodes its first frame; a header that gives its length refuses one over
    /// `maxSeconds` at once.
    static func probe(_ path: String, maxSeconds: Double) -> Result<Void, APIError> {
        do throws(CaptureError) {
            let video = try VideoFileSource(path: path)
            if let fps = video.nominalFps, let frames = video.expectedFrameCount, Double(frames) / fps > maxSeconds + 1 {
                return .failure(tooLong(maxSeconds))
            }
            guard try video.nextFrame() != nil else {
                return .failure(APIError(.unprocessableContent, "the video has no frames"))
            }
            return .success(())
        } catch {
            return .failure(undecodable(error, path: path))
        }
    }

    static func tooLong(_ maxSeconds: Double) -> APIError {
        APIError(.contentTooLarge, "the video is longer than \(RecordEncoding.num(maxSeconds, 1)) s")
    }

    /// A video FFmpeg cannot read, said without the server's folders.
    static func undecodable(_ error: CaptureError, path: String) -> APIError {
        let said = error.description.replacingOccurrences(of: path, with: "the upload")
        return APIError(.unprocessableContent, "the video cannot be decoded (WebM or MP4 expected): \(said)")
    }

    // MARK: Helpers

    /// The request's body, refused (413) past `limit` bytes: at once when its Content-Length says so.
    static func collect(_ request: Request, upTo limit: Int, what: String) async throws -> ByteBuffer {
        let tooLarge = APIError(.contentTooLarge, "\(what) is larger than \(limit / (1024 * 1024) > 0 ? "\(limit / (1024 * 1024)) MB" : "\(limit / 1024) KB")")
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { throw tooLarge }
        var buffer = ByteBuffer()
        for try await var chunk in request.body {
            guard buffer.readableBytes + chunk.readableBytes <= limit else { throw tooLarge }
            buffer.writeBuffer(&chunk)
        }
        return buffer
    }

    /// Runs `body` on the worker's queue and waits for it.
    static func onWorker<T: Sendable>(_ worker: VisionWorker, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in worker.queue.async { continuation.resume(returning: body()) } }
    }

    /// A session's refusal as the client's error.
    static func refusing<T>(_ id: String, _ body: () async throws(SessionRefusal) -> T) async throws(APIError) -> T {
        do {
            return try await body()
        } catch {
            switch error {
            case .unknown: throw APIError(.notFound, "no such liveness session: \(id.prefix(64))")
            case .expired: throw APIError(.gone, "the liveness session has expired; initiate a new one")
            case .used: throw APIError(.conflict, "the liveness session was already submitted; initiate a new one")
            case .full: throw APIError(.serviceUnavailable, "too many open liveness sessions; try again later")
            case .unavailable: throw APIError(.serviceUnavailable, "the liveness session store cannot be reached now; try again later")
            case .unreadable(let why): throw APIError(.internalServerError, "the liveness session store cannot read this session: \(why)")
            }
        }
    }
}

/// A recording scored on a vision worker in turns of one frame, as the worker's WebSocket connections are
/// served: their frames wait for at most one frame of it, never for the whole recording.
// @unchecked Sendable: the source, the run and the continuation are touched only on the worker's queue,
// one turn at a time.
final class RecordingJob: @unchecked Sendable {
    private let worker: VisionWorker
    private let source: TimeLimitedSource
    private let run: GazeTaskRunner.FileRun<ChallengeSession>
    private let path: String
    private let maxSeconds: Double
    private let done: CheckedContinuation<Result<ChallengeOutcome, APIError>, Never>

    private init(worker: VisionWorker, source: TimeLimitedSource, run: GazeTaskRunner.FileRun<ChallengeSession>, path: String,
                 maxSeconds: Double, done: CheckedContinuation<Result<ChallengeOutcome, APIError>, Never>) {
        self.worker = worker
        self.source = source
        self.run = run
        self.path = path
        self.maxSeconds = maxSeconds
        self.done = done
    }

    /// Scores the recording at `path` on `worker`'s queue and waits for the outcome.
    static func run(_ recording: ChallengeRecording, describer: FollowedFaceDescriber? = nil, path: String, maxSeconds: Double,
                    on worker: VisionWorker) async throws(APIError) -> ChallengeOutcome {
        try await withCheckedContinuation { (done: CheckedContinuation<Result<ChallengeOutcome, APIError>, Never>) in
            worker.queue.async {
                do throws(CaptureError) {
                    let source = TimeLimitedSource(try VideoFileSource(path: path), maxSeconds: maxSeconds)
                    let job = RecordingJob(worker: worker, source: source, run: recording.scoring(source, model: worker.model, describer: describer),
                                           path: path, maxSeconds: maxSeconds, done: done)
                    job.turn()
                } catch {
                    done.resume(returning: .failure(LivenessAPI.undecodable(error, path: path)))
                }
            }
        }.get()
    }

    /// One frame, then the queue's other work, then the next turn.
    private func turn() {
        dispatchPrecondition(condition: .onQueue(worker.queue))
        do throws(CaptureError) {
            guard let finished = try run.step(frames: 1) else {
                worker.queue.async { self.turn() }
                return
            }
            done.resume(returning: source.tooLong ? .failure(LivenessAPI.tooLong(maxSeconds)) : .success(finished.outcome!))
        } catch {
            done.resume(returning: .failure(LivenessAPI.undecodable(error, path: path)))
        }
    }
}

/// The uploaded video in a file of its own in the temporary folder (FFmpeg reads files), readable only
/// by this user; `remove()` deletes it, whatever happened.
struct TemporaryUpload: Sendable {
    let path: String

    init(_ body: ByteBuffer, range: Range<Int>) throws(APIError) {
        let folder = FileManager.default.temporaryDirectory.path
        path = folder + "/gazetop-upload-\(UUID().uuidString).video"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw APIError(.serviceUnavailable, "cannot store the upload now; try again later") }
        defer { close(fd) }
        let written = body.withUnsafeReadableBytes { bytes -> Bool in
            var at = range.lowerBound
            while at < range.upperBound {
                let n = write(fd, bytes.baseAddress! + at, range.upperBound - at)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                at += n
            }
            return true
        }
        guard written else {
            unlink(path)
            throw APIError(.serviceUnavailable, "cannot store the upload now (the disk may be full); try again later")
        }
    }

    func remove() { unlink(path) }
}

/// A source that ends once its frames run past `maxSeconds` from the first, and says so.
final class TimeLimitedSource: FrameSource {
    private let inner: FrameSource
    private let maxMs: Double
    private var firstMs: Double?
    private(set) var tooLong = false

    init(_ inner: FrameSource, maxSeconds: Double) {
        self.inner = inner
        maxMs = maxSeconds * 1000
    }

    var name: String { inner.name }
    var nominalFps: Double? { inner.nominalFps }
    var expectedFrameCount: Int? { inner.expectedFrameCount }
    var endedEarly: Bool { inner.endedEarly }
    var skipped: [String] { inner.skipped }

    func nextFrame() throws(CaptureError) -> Frame? {
        guard let frame = try inner.nextFrame() else { return nil }
        let first = firstMs ?? frame.timeMs
        firstMs = first
        if frame.timeMs - first > maxMs {
            tooLong = true
            return nil
        }
        return frame
    }
}
