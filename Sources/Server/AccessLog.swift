import Glibc
import Hummingbird
import Synchronization

/// One line per request (and per WebSocket connection, at its upgrade) in the Common Log Format that web
/// servers share (`host ident user [date] "request" status bytes`), so the usual log tools read it.
public final class AccessLog: Sendable {
    private let descriptor: Int32
    /// Lines that could not be written (a full disk, a closed pipe): counted, and reported by `/health`.
    let failedWrites = Atomic(0)

    /// - Parameter descriptor: where the lines go; standard error unless told otherwise.
    public init(descriptor: Int32 = STDERR_FILENO) {
        self.descriptor = descriptor
    }

    /// Writes one line, whole (a short write is continued); a failure is counted.
    func write(_ line: String) {
        var bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                failedWrites.add(1, ordering: .relaxed)
                return
            }
            offset += n
        }
    }

    /// The line for one request: the client's address, the time now, the request line, status and size.
    static func line(client: String, method: String, target: String, status: Int, bytes: Int?, at time: time_t = time(nil)) -> String {
        "\(client) - - [\(timestamp(time))] \"\(method) \(escaped(redacted(target))) HTTP/1.1\" \(status) \(bytes.map(String.init) ?? "-")"
    }

    /// The target with the value of an `access_token` query parameter (the bearer token, RFC 6750) replaced
    /// by `REDACTED`: a log is read by more people than the token is meant for.
    static func redacted(_ target: String) -> String {
        guard let question = target.firstIndex(of: "?") else { return target }
        let query = target[target.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).map { pair in
            pair.hasPrefix("access_token=") ? "access_token=REDACTED" : String(pair)
        }
        return String(target[...question]) + query.joined(separator: "&")
    }

    /// `10/Oct/2000:13:55:36 +0000`, in UTC.
    static func timestamp(_ time: time_t) -> String {
        var t = time
        var parts = tm()
        gmtime_r(&t, &parts)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(parts.tm_mday))/\(months[Int(parts.tm_mon)])/\(1900 + parts.tm_year):"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) +0000"
    }

    /// A request target as one token: quotes, backslashes and control characters escaped, so a crafted
    /// path cannot forge a log line.
    static func escaped(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\\x" + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Writes each request's line once its answer is known (errors included: this runs outside `APIErrors`,
/// which turns them into responses). A WebSocket upgrade is logged by the socket itself, with status 101.
struct AccessLogMiddleware<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let log: AccessLog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        log.write(AccessLog.line(client: context.remoteAddress?.ipAddress ?? "-", method: request.method.rawValue,
                                 target: request.uri.description, status: response.status.code,
                                 bytes: response.body.contentLength))
        return response
    }
}
