import GazeCore
import Store

/// Everything `gazetop serve` is told, with the defaults. Sizes in bytes, times in seconds.
public struct ServeSettings: Sendable {
    /// Where to listen: loopback unless told otherwise.
    public var host = "127.0.0.1"
    /// 0 asks the system for a free port (tests); the one bound is announced on stderr.
    public var port = 8000
    /// What `/health` reports as the version.
    public var version: String
    /// Vision workers (each with a landmark model of its own); the cores of the machine by default.
    public var visionWorkers: Int
    /// WebSocket connections served at once; one more is refused (HTTP 503, or closed with 1013).
    public var maxConnections = 64
    /// The largest picture taken, encoded (a WebSocket frame carries it as base64: 4/3 of this).
    public var maxImageBytes = 10 * 1024 * 1024
    /// The eye-tracking pipeline and the picture limits.
    public var eye: EyeSessionSettings
    /// The liveness API's sessions and uploads.
    public var liveness = LivenessSettings()
    /// `POST /match`'s limits and whether it fetches URLs.
    public var match = MatchSettings()
    /// The bearer token every endpoint but the open ones (`/health`) requires (`--token`, `$GAZETOP_TOKEN`);
    /// nil: none is asked for.
    public var token: BearerToken?
    /// Origins whose pages may call the API from a browser (`--allow-origin`), `*` for any; none: CORS off,
    /// no CORS header is ever sent.
    public var allowedOrigins: [String] = []

    public init(version: String, visionWorkers: Int, eye: EyeSessionSettings) {
        self.version = version
        self.visionWorkers = visionWorkers
        self.eye = eye
    }

    /// Whether `--allow-origin` can take `origin`: `scheme://host[:port]` as a browser sends it, or `*`.
    public static func isWellFormedOrigin(_ origin: String) -> Bool { CrossOriginPolicy.isWellFormed(origin) }

    /// The longest WebSocket message taken: a picture of `maxImageBytes` as base64 in the protocol's JSON.
    var maxMessageBytes: Int { maxImageBytes / 3 * 4 + 4 + 4096 }
}

/// The liveness API's limits. Seconds and bytes.
public struct LivenessSettings: Sendable {
    /// A session may be submitted this long after it was issued (`--session-ttl`).
    public var sessionTTLSeconds = ChallengeConfig().sessionTTLSeconds
    /// The largest upload taken, the whole multipart body (`--max-video-mb`).
    public var maxUploadBytes = 50 * 1024 * 1024
    /// The longest recording taken, in stream time.
    public var maxVideoSeconds = 60.0
    /// `area_duration` a client may ask for.
    public var areaDurationRange = 1.0...10.0
    /// Sessions kept at once; past this, initiating one is refused (503) until some expire.
    public var maxSessions = 100_000

    public init() {}
}

/// `POST /match`'s limits. Bytes and seconds.
public struct MatchSettings: Sendable {
    /// The largest picture taken, decoded from base64 or fetched (the 10 MB per image).
    public var maxImageBytes = 10 * 1024 * 1024
    /// Pictures larger than this on either side are scaled down before faces are looked for in them.
    public var maxImageSide = 1024
    /// A picture whose header claims more pixels than this is refused undecoded.
    public var maxImagePixels = 40_000_000
    /// The decision's threshold when a request gives none.
    public var threshold = MatchConfig().threshold
    /// Whether an image may be a URL the server fetches (`serve --allow-fetch`); never a private address.
    public var allowFetch = false
    /// The longest a fetch may take, connection included.
    public var fetchTimeoutSeconds: Int64 = 10
    /// Where the enrolled people are (`gazetop enroll` writes it), read at each `initiate-liveness` that
    /// names one.
    public var enrolmentFile = StatePaths.enrolmentFile

    public init() {}
}
