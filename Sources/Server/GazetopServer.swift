import Capture
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import Monitor
import NIOCore
import Store
import Synchronization
import Vision

/// The request context of every route: Hummingbird's, with the WebSocket upgrade and the client's address
/// (for the access log).
struct ServeContext: RequestContext, WebSocketRequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<ServeContext>
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        remoteAddress = source.channel.remoteAddress
    }
}

/// `gazetop serve`: the eye-tracking WebSocket (`/ws`), the liveness API (`LivenessAPI`) and `/health` on
/// Hummingbird 2.
///
/// Hummingbird rather than Vapor: it is SwiftNIO with little on top (no ORM, no templating), its WebSocket
/// module is the same project's, and the whole server is a router of plain async closures, which keeps the
/// one place where frames cross to the vision workers easy to see.
public final class GazetopServer: Sendable {
    public let settings: ServeSettings
    let pool: VisionPool
    let log: AccessLog
    /// WebSocket connections open now.
    let connections = Atomic(0)
    /// WebSocket connections ever opened: the n-th gets `detectionStagger` n, so clients that connect
    /// together do not all run their costly face detections on the same frames.
    let sessionsOpened = Atomic(0)
    /// The liveness sessions issued and not yet forgotten.
    let sessions: any LivenessSessionStore
    /// `/match`'s fetches of URLs; nil without `--allow-fetch`.
    let fetcher: PictureFetcher?
    /// The API's description (`/openapi.json`) and the page drawn from it (`/docs`), made once.
    public let document: APIDocument
    let docsPage: String

    /// - Parameter sessions: where liveness sessions live; nil: in this process's memory.
    /// - Throws: when `--allow-fetch` is asked for and TLS cannot be set up (the system's trust roots).
    public init(settings: ServeSettings, pool: VisionPool, log: AccessLog = AccessLog(),
                sessions: (any LivenessSessionStore)? = nil) throws {
        self.settings = settings
        self.pool = pool
        self.log = log
        self.sessions = sessions ?? MemorySessionStore(maxSessions: settings.liveness.maxSessions)
        if settings.match.allowFetch {
            fetcher = try PictureFetcher(maxBytes: settings.match.maxImageBytes, timeoutSeconds: settings.match.fetchTimeoutSeconds)
        } else {
            fetcher = nil
        }
        let document = APIDocument(settings: settings)
        self.document = document
        docsPage = APIDocsPage.html(document.json)
    }

    /// Serves until SIGTERM or SIGINT, then drains: no new connections, open ones closed (WebSockets with
    /// "going away"), requests in flight answered. `onListening` gets the bound port once it listens.
    public func run(onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        var quiet = Logger(label: "gazetop.serve")
        // The access log is the server's voice (stderr); swift-log's default handler writes to stdout, and a
        // failure to listen is reported once, by the command, as one line.
        quiet.logLevel = .critical
        let webSockets = webSocketRouter().buildResponder()
        let configuration = HTTP1WebSocketUpgradeChannel.Configuration(
            ws: .init(maxFrameSize: settings.maxMessageBytes, autoPing: .enabled(timePeriod: .seconds(30))))
        let app = Application(
            router: httpRouter(),
            // `http1WebSocketUpgrade(webSocketRouter:configuration:)`'s channel, guarded against a first
            // request that does not parse (see `GuardedUpgradeChannel`).
            server: HTTPServerBuilder { responder in
                GuardedUpgradeChannel(inner: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSockets,
                                                                          configuration: configuration))
            },
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "gazetop"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: quiet
        )
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    /// The plain HTTP routes. Each is described in `APIEndpoints.swift` (a test holds the two together).
    ///
    /// The middleware, outermost first: the access log sees every answer; CORS answers a preflight before
    /// anything asks for a token (browsers send none with it) and marks every answer, errors included,
    /// since `APIErrors` inside it has made them responses; the token is asked for last.
    func httpRouter() -> Router<ServeContext> {
        let router = Router(context: ServeContext.self)
        router.add(middleware: AccessLogMiddleware(log: log))
        if !settings.allowedOrigins.isEmpty {
            router.add(middleware: CrossOriginMiddleware(policy: CrossOriginPolicy(origins: Set(settings.allowedOrigins))))
        }
        router.add(middleware: APIErrorsMiddleware(log: log))
        if let token = settings.token {
            router.add(middleware: BearerTokenMiddleware(token: token, openPaths: document.openPaths))
        }
        router.get("/health") { _, _ in JSONResponse.make(self.healthJSON()) }
        router.get("/openapi.json") { _, _ in JSONResponse.make(self.document.text) }
        router.get("/docs") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: self.docsPage)))
        }
        WebPage.add(to: router)
        LivenessAPI(settings: settings.liveness, store: sessions, pool: pool,
                    enrolments: EnrolmentStore(path: settings.match.enrolmentFile), log: log).add(to: router)
        MatchAPI(settings: settings.match, pool: pool, fetcher: fetcher).add(to: router)
        // A plain GET of the socket's path (no upgrade, or one refused): say why in JSON.
        router.get("/ws") { request, _ -> Response in
            if self.connections.load(ordering: .relaxed) >= self.settings.maxConnections {
                throw APIError(.serviceUnavailable, "too many WebSocket connections (\(self.settings.maxConnections)); try again later")
            }
            throw APIError(.upgradeRequired, "/ws is a WebSocket: connect with a WebSocket client")
        }
        return router
    }

    /// The WebSocket routes (a request that is no upgrade falls through to `httpRouter`).
    func webSocketRouter() -> Router<ServeContext> {
        let router = Router(context: ServeContext.self)
        // Every upgrade is taken: one past the cap is closed at once with 1013 (try again later) by
        // `serveEyes`, one without the bearer token with 1008 (policy violation), each with the reason, which
        // a WebSocket client (a browser's page too) can read, where a refused upgrade would be a bare 400.
        router.ws("/ws", onUpgrade: { inbound, outbound, context in
            let request = context.request
            self.log.write(AccessLog.line(client: context.requestContext.remoteAddress?.ipAddress ?? "-",
                                          method: request.method.rawValue, target: request.uri.description,
                                          status: 101, bytes: nil))
            if let refusal = self.settings.token?.refusal(of: request) {
                try await outbound.close(.policyViolation, reason: String(refusal.message.prefix(120)))
                return
            }
            try await self.serveEyes(inbound: inbound, outbound: outbound)
        })
        return router
    }

    /// Every route the server has, both routers' (the WebSocket's GET /ws among them): what the API
    /// document must describe.
    public func routes() -> [(method: String, path: String)] {
        (httpRouter().routes + webSocketRouter().routes).map { ($0.method.rawValue, $0.path.description) }
    }

    /// One eye-tracking connection: messages in, each frame's answer out, in order, until either side
    /// closes. Answers are written by a task of their own, so a slow reader never stalls the reading of
    /// newer frames (which replace older ones waiting); at most a few answers wait for a slow reader.
    func serveEyes(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        guard connections.add(1, ordering: .relaxed).newValue <= settings.maxConnections else {
            connections.subtract(1, ordering: .relaxed)
            try await outbound.close(.unknown(1013), reason: "too many connections; try again later")
            return
        }
        defer { connections.subtract(1, ordering: .relaxed) }
        let worker = pool.assign()
        defer { pool.release(worker) }
        let (answers, sink) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(8))
        var eye = settings.eye
        eye.config.tracking.detectionStagger = sessionsOpened.add(1, ordering: .relaxed).oldValue
        let session = EyeSession(worker: worker, settings: eye) { sink.yield($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await answer in answers { try await outbound.write(.text(answer)) }
            }
            // However reading ends (the client closed, a message too large), nothing more is processed and
            // the writer stops: the group would otherwise wait for it forever.
            defer {
                session.close()
                sink.finish()
                group.cancelAll()
            }
            for try await message in inbound.messages(maxSize: settings.maxMessageBytes) {
                switch message {
                case .text(let text): session.submit(text)
                case .binary: sink.yield(EyeReply.error("send frames as text: {\"type\": \"frame\", \"data\": \"data:image/jpeg;base64,...\"}"))
                }
            }
        }
    }

    /// `/health`: status, version, the models loaded (face matching's two, or null for each when they are
    /// missing, and `face_matching` saying whether `/match` works), the vision workers and the connections
    /// open.
    func healthJSON() -> String {
        let matching = pool.matching == .loaded
        func file(_ name: String) -> String { matching ? JSONString.quoted(name) : "null" }
        var out = "{\"status\":\"ok\",\"version\":\(JSONString.quoted(settings.version))"
        out += ",\"models\":{\"landmarks\":\(JSONString.quoted(pool.modelFile))"
        out += ",\"face_recognition\":\(file(FaceEncoder.networkFile)),\"face_alignment\":\(file(FaceEncoder.alignmentFile))}"
        out += ",\"face_matching\":\(matching),\"fetch\":\(fetcher != nil)"
        out += ",\"visionWorkers\":\(pool.workers.count),\"connections\":\(connections.load(ordering: .relaxed))"
        out += ",\"maxConnections\":\(settings.maxConnections),\"logWriteFailures\":\(log.failedWrites.load(ordering: .relaxed))}"
        return out
    }
}
