import ArgumentParser
import Dispatch
import Foundation
import Glibc
import Monitor
import Server
import Vision
import Synchronization

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the eye-tracking WebSocket, the liveness API and the health check over HTTP.",
        discussion: """
            Listens on --host and --port (loopback unless told otherwise). ws://HOST:PORT/ws speaks the \
            original eye-tracking server's protocol: send {"type": "frame", "data": "data:image/jpeg;base64,..."} \
            (or the bare base64) and each frame gets its record back, t in epoch milliseconds and \
            eyeContactPct a fraction 0..1, as the original sent them, then gazetop's other record fields. \
            Each connection is a session of its own (tracker, blinks, rolling window), processed in arrival \
            order by a small pool of vision workers; a frame that arrives while the previous one still \
            waits replaces it (counted in "dropped"). A message that gives no frame gets {"error": ...} and \
            the connection stays open. GET /health reports status, version and the model loaded.

            POST /initiate-liveness ({"area_duration": 3.0}, optional) draws a liveness session: a random \
            sequence of cells and short calibration, with the schedule a page shows. POST \
            /submit-liveness (multipart/form-data: session_id, video: WebM or MP4) scores its recording by \
            the rules of gazetop challenge --input. A session is submitted once, within --session-ttl \
            seconds; uploads above --max-video-mb or longer than 60 s are refused. With {"enrolled": NAME} \
            (someone gazetop enroll enrolled on this machine), the recording must also show that person, \
            the same face throughout (the checks enrolled_person and same_person), as with challenge --enrolled.

            POST /match ({"image1": "data:image/jpeg;base64,...", "image2": "...", "threshold": 0.34}) says \
            whether two photos show the same person, with the fields of gazetop match --json. With \
            --allow-fetch an image may also be an http(s) URL, fetched only from public addresses. Without \
            the face-matching models (make face-models) the rest is served and /match answers 503.

            GET /openapi.json is the OpenAPI 3.1 document of every endpoint, GET /docs the same as a page to read.

            --token (or $GAZETOP_TOKEN, which keeps it out of the process list) requires the token on every \
            endpoint but /health (load balancers probe it without credentials) and the web page's files (they \
            hold no secret; open the page as /?access_token=TOKEN and it sends the token): Authorization: Bearer TOKEN, \
            or ?access_token=TOKEN where a header cannot be set (a browser's WebSocket, a link to /docs); \
            without it, 401 with WWW-Authenticate: Bearer. CORS is off (no CORS header at all) unless \
            --allow-origin names the origins whose pages may call the API (repeat it; * for any).

            Sessions live in this server's memory unless --store (or $GAZETOP_STORE) names a PostgreSQL \
            database, postgres://USER:PASSWORD@HOST:5432/DATABASE: then several servers sharing it serve \
            one fleet (a session initiated on one may be submitted on another, once). The table is \
            created if missing; a database that cannot be reached at start is an error (exit 16), one \
            lost later makes the liveness endpoints answer 503 until it is back.

            One line per request or connection goes to stderr in the Common Log Format. SIGTERM or Ctrl-C \
            stops it cleanly: no new connections, open ones closed, then exit 0.
            """
    )

    @Option(name: .long, help: ArgumentHelp("Address to listen on.", valueName: "address"))
    var host = "127.0.0.1"

    @Option(name: .long, help: ArgumentHelp("Port to listen on (0: any free port, announced on stderr).", valueName: "port"))
    var port = 8000

    @Option(name: .long, help: ArgumentHelp("Vision workers, each with a model of its own (default: the cores).", valueName: "count"))
    var workers: Int?

    @Option(name: .customLong("max-connections"), help: ArgumentHelp("WebSocket connections served at once.", valueName: "count"))
    var maxConnections = 64

    @Option(name: .customLong("session-ttl"), help: ArgumentHelp("Seconds a liveness session may be submitted after it was initiated.",
                                                                  valueName: "seconds"))
    var sessionTTL = LivenessSettings().sessionTTLSeconds

    @Option(name: .customLong("max-video-mb"), help: ArgumentHelp("The largest liveness upload taken, in MB.", valueName: "MB"))
    var maxVideoMB = LivenessSettings().maxUploadBytes / (1024 * 1024)

    @Option(name: .customLong("match-models"), help: ArgumentHelp(
        "Folder holding the face-matching models (as for match); without them /match is off.", valueName: "dir"))
    var matchModels: String?

    @Flag(name: .customLong("allow-fetch"), help: "Let /match fetch images named by http(s) URL (public addresses only).")
    var allowFetch = false

    @Option(name: .long, help: ArgumentHelp("Require this bearer token on every endpoint but /health and the web page (default: $GAZETOP_TOKEN; none).",
                                            valueName: "token"))
    var token: String?

    @Option(name: .customLong("allow-origin"), help: ArgumentHelp("Let pages of this origin call the API from a browser (CORS; repeatable; * for any).",
                                                                   valueName: "origin"))
    var allowOrigins: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "Keep liveness sessions in PostgreSQL, shared by a fleet (default: $GAZETOP_STORE, else this server's memory).",
        valueName: "postgres://USER:PASSWORD@HOST:PORT/DB"))
    var store: String?

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var tuning: TuningOptions

    /// At most this many vision workers: each holds a model in memory and a core busy.
    static let maxWorkers = 64
    /// A shorter token is too easy to guess.
    static let minTokenLength = 16

    /// The token asked for: `--token`, else `$GAZETOP_TOKEN`; nil when neither is given.
    var tokenText: String? { token ?? getenv("GAZETOP_TOKEN").map { String(cString: $0) } }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        if let workers, !(1...Self.maxWorkers).contains(workers) {
            throw ValidationError("--workers must be 1 to \(Self.maxWorkers)")
        }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
        guard sessionTTL > 0 && sessionTTL <= 86400 else { throw ValidationError("--session-ttl must be above 0 and at most 86400") }
        guard (1...1024).contains(maxVideoMB) else { throw ValidationError("--max-video-mb must be 1 to 1024") }
        if let text = tokenText {
            let named = token == nil ? "$GAZETOP_TOKEN" : "--token"
            guard BearerToken(text) != nil else {
                throw ValidationError("\(named) must be letters, digits and -._~+/ (RFC 6750's token characters)")
            }
            guard text.count >= Self.minTokenLength else {
                throw ValidationError("\(named) must be at least \(Self.minTokenLength) characters (openssl rand -hex 32 makes one)")
            }
        }
        for origin in allowOrigins where !ServeSettings.isWellFormedOrigin(origin) {
            throw ValidationError("--allow-origin takes an origin, scheme://host[:port] (no path), or *; not \(origin)")
        }
        do { _ = try storeAddress() } catch { throw ValidationError(error.description) }
    }

    /// `--store`, else `$GAZETOP_STORE` (where a password stays out of the process list), else none: the
    /// sessions in memory.
    func storeAddress() throws(PostgresAddress.Problem) -> PostgresAddress? {
        let environment = ProcessInfo.processInfo.environment["GAZETOP_STORE"].flatMap { $0.isEmpty ? nil : $0 }
        return try (store ?? environment).map { url throws(PostgresAddress.Problem) in try PostgresAddress(url: url) }
    }

    func run() throws {
        try failing {
            let count = workers ?? max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
            let matchModels = self.matchModels
            let pool = try VisionPool(count: count, load: { () throws(CommandFailure) in try modelOptions.load() },
                                      loadFaces: { () throws(ModelError) in try FaceReader(encoder: FaceEncoder(folder: matchModels)) })
            if case .missing(let reason) = pool.matching {
                StandardError.write("gazetop serve: face matching is off (/match answers 503): \(reason)\n")
            }
            // Frames are analysed as `analyze` analyses files (detection in line), so the same frames give
            // the same records.
            var settings = ServeSettings(version: Gazetop.version, visionWorkers: count,
                                         eye: EyeSessionSettings(config: tuning.config(live: false)))
            settings.host = host
            settings.port = port
            settings.maxConnections = maxConnections
            settings.liveness.sessionTTLSeconds = sessionTTL
            settings.liveness.maxUploadBytes = maxVideoMB * 1024 * 1024
            settings.match.allowFetch = allowFetch
            settings.token = tokenText.flatMap(BearerToken.init)
            settings.allowedOrigins = allowOrigins
            let host = self.host
            let announce: @Sendable (Int, String) -> Void = { port, sessions in
                StandardError.write("gazetop serve: listening on http://\(host):\(port) (\(count) vision workers; sessions \(sessions))\n")
            }
            let address = try storeAddress()
            let configured = settings
            let server = { @Sendable (sessions: (any LivenessSessionStore)?) throws(CommandFailure) -> GazetopServer in
                do { return try GazetopServer(settings: configured, pool: pool, sessions: sessions) } catch {
                    throw CommandFailure(.server, "cannot set up TLS for --allow-fetch: \(error)")
                }
            }
            try Self.block {
                guard let address else {
                    try await server(nil).run { announce($0, "in memory") }
                    return
                }
                var options = PostgresSessionStore.Options()
                options.maxSessions = configured.liveness.maxSessions
                try await PostgresSessionStore.with(address, options: options) { sessions in
                    try await server(sessions).run { announce($0, "in \(address)") }
                }
            }
        }
    }

    /// Runs `body` to its end on Swift's concurrency threads while this (the main) thread waits: the
    /// commands are synchronous, the server is not.
    static func block(_ body: @escaping @Sendable () async throws -> Void) throws {
        let outcome = Mutex<(any Error)?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do { try await body() } catch { outcome.withLock { $0 = error } }
            done.signal()
        }
        done.wait()
        switch outcome.withLock({ $0 }) {
        case nil: return
        case let failure as CommandFailure: throw failure
        case let failure as SessionStoreFailure: throw CommandFailure(.store, failure.description)
        case let error?: throw CommandFailure(.server, "cannot serve: \(error)")
        }
    }
}
