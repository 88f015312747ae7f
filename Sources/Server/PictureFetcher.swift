import Dispatch
import Foundation
import Glibc
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Why a URL gave no picture; said to the client.
struct FetchProblem: Error, Equatable, CustomStringConvertible {
    var description: String
    /// A URL refused by rule (not http(s), a private address), not one that failed to answer.
    var refused = false
}

/// Fetches a picture named by URL for `POST /match` (`serve --allow-fetch` only), never from a private
/// address: the host is resolved once, every address it resolves to must pass `FetchAddressPolicy`, and
/// the connection goes to an address that passed (no second lookup, so a name that resolves to a public
/// address for the check and to a private one for the connection, DNS rebinding, gets nowhere). http and
/// https only; no redirect is followed (its target was never checked); the answer is capped in size and
/// the whole fetch in time.
///
/// A small GET on SwiftNIO rather than an HTTP client library: the point is control of the one connection
/// (which address, which name for TLS), which a client with its own resolver and pool hides.
final class PictureFetcher: Sendable {
    let maxBytes: Int
    let timeoutSeconds: Int64
    private let group: any EventLoopGroup
    private let tls: NIOSSLContext

    init(maxBytes: Int, timeoutSeconds: Int64 = 10, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.maxBytes = maxBytes
        self.timeoutSeconds = timeoutSeconds
        self.group = group
        // The system's trust roots, the host name checked against the certificate.
        tls = try NIOSSLContext(configuration: .makeClientConfiguration())
    }

    /// Whether `text` is meant as a URL rather than base64 (which has no colon).
    static func looksLikeURL(_ text: String) -> Bool {
        !text.hasPrefix("data:") && text.prefix(16).contains("://")
    }

    /// What a URL names: scheme, host, port and the request target.
    struct Target: Equatable {
        var secure: Bool
        var host: String
        var port: Int
        var path: String

        init(secure: Bool, host: String, port: Int, path: String) {
            self.secure = secure
            self.host = host
            self.port = port
            self.path = path
        }

        /// http and https URLs with a host and no user name; anything else is refused, named.
        init(_ text: String) throws(FetchProblem) {
            guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased() else {
                throw FetchProblem(description: "not a URL", refused: true)
            }
            guard scheme == "http" || scheme == "https" else {
                throw FetchProblem(description: "only http and https URLs are fetched, not \(scheme)", refused: true)
            }
            guard url.user == nil, url.password == nil else { throw FetchProblem(description: "a URL with a user name is not fetched", refused: true) }
            guard var host = url.host, !host.isEmpty else { throw FetchProblem(description: "the URL has no host", refused: true) }
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            secure = scheme == "https"
            self.host = host
            port = url.port ?? (secure ? 443 : 80)
            guard (1...65535).contains(port) else { throw FetchProblem(description: "the URL's port is out of range", refused: true) }
            let path = url.percentEncodedPath.isEmpty ? "/" : url.percentEncodedPath
            self.path = path + (url.percentEncodedQuery.map { "?" + $0 } ?? "")
        }
    }

    /// The picture's bytes, or why there are none.
    func fetch(_ text: String) async throws(FetchProblem) -> [UInt8] {
        let target = try Target(text)
        let address = try await Self.checkedAddress(target.host, port: target.port)
        do {
            return try await get(target, at: address)
        } catch let problem as FetchProblem {
            throw problem
        } catch let error as NIOSSLError {
            throw FetchProblem(description: "TLS with \(target.host) failed (\(error))")
        } catch {
            throw FetchProblem(description: "cannot fetch from \(target.host): \(error)")
        }
    }

    /// Resolves `host` (on a thread of its own: getaddrinfo blocks) and checks every address it gives;
    /// the first is the one connected to.
    static func checkedAddress(_ host: String, port: Int) async throws(FetchProblem) -> SocketAddress {
        let resolved = await withCheckedContinuation { (done: CheckedContinuation<Result<[IPAddress], FetchProblem>, Never>) in
            DispatchQueue.global().async { done.resume(returning: resolve(host)) }
        }
        let addresses = try resolved.get()
        for address in addresses {
            if let refusal = FetchAddressPolicy.refusal(address) {
                let said = IPAddress(host) == nil ? "\(host) resolves to a refused address: \(refusal)" : refusal
                throw FetchProblem(description: "\(said); only public addresses are fetched", refused: true)
            }
        }
        do {
            return try SocketAddress(ipAddress: addresses[0].description, port: port)
        } catch {
            throw FetchProblem(description: "cannot use the address of \(host)")
        }
    }

    /// Every address `host` resolves to (an address written out resolves to itself).
    static func resolve(_ host: String) -> Result<[IPAddress], FetchProblem> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0 else {
            return .failure(FetchProblem(description: "cannot resolve \(host) (\(String(cString: gai_strerror(status))))"))
        }
        defer { freeaddrinfo(list) }
        var out: [IPAddress] = []
        var node = list
        while let entry = node?.pointee {
            if entry.ai_family == AF_INET, let sa = entry.ai_addr {
                var v4 = sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                out.append(IPAddress(bytes: withUnsafeBytes(of: &v4) { Array($0) })!)
            } else if entry.ai_family == AF_INET6, let sa = entry.ai_addr {
                var v6 = sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                out.append(IPAddress(bytes: withUnsafeBytes(of: &v6) { Array($0) })!)
            }
            node = entry.ai_next
        }
        guard !out.isEmpty else { return .failure(FetchProblem(description: "\(host) resolves to no address")) }
        return .success(out)
    }

    /// One GET to `address`, naming the URL's host (Host header, TLS server name and certificate check).
    private func get(_ target: Target, at address: SocketAddress) async throws -> [UInt8] {
        let loop = group.next()
        let done = loop.makePromise(of: [UInt8].self)
        let tls = self.tls, maxBytes = self.maxBytes, timeout = TimeAmount.seconds(timeoutSeconds)
        let isLiteral = IPAddress(target.host) != nil
        let hostHeader = (target.host.contains(":") ? "[\(target.host)]" : target.host)
            + (target.port == (target.secure ? 443 : 80) ? "" : ":\(target.port)")
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if target.secure {
                            // An address written in the URL has no name to send or to check the certificate by.
                            let handler = try NIOSSLClientHandler(context: tls, serverHostname: isLiteral ? nil : target.host)
                            try channel.pipeline.syncOperations.addHandler(handler)
                        }
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(
                            PictureDownload(host: hostHeader, path: target.path, maxBytes: maxBytes, timeout: timeout, done: done))
                    }
                }
                .connect(to: address).get()
        } catch {
            done.fail(error)
            throw FetchProblem(description: "cannot connect to \(target.host): \(error)")
        }
        defer { channel.close(promise: nil) }
        return try await done.futureResult.get()
    }
}

/// The GET and its answer on one connection: the request sent once connected, the body collected up to
/// `maxBytes`, anything but a 200 refused (a redirect named as such), the whole bounded by `timeout`.
private final class PictureDownload: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let host: String
    private let path: String
    private let maxBytes: Int
    private let timeout: TimeAmount
    private let done: EventLoopPromise<[UInt8]>
    private var body: [UInt8] = []
    private var finished = false
    private var timer: Scheduled<Void>?

    init(host: String, path: String, maxBytes: Int, timeout: TimeAmount, done: EventLoopPromise<[UInt8]>) {
        self.host = host
        self.path = path
        self.maxBytes = maxBytes
        self.timeout = timeout
        self.done = done
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: timeout) {
            let (handler, context) = loopBound.value
            handler.finish(context, .failure(FetchProblem(description: "the picture did not arrive within \(handler.timeout.nanoseconds / 1_000_000_000) s")))
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
        head.headers.add(name: "Host", value: host)
        head.headers.add(name: "User-Agent", value: "gazetop")
        head.headers.add(name: "Accept", value: "image/jpeg, image/png")
        head.headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !finished else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            if (300..<400).contains(Int(head.status.code)) {
                let to = head.headers["Location"].first.map { " to \($0.prefix(200))" } ?? ""
                return finish(context, .failure(FetchProblem(description: "the URL redirects\(to) (HTTP \(head.status.code)); redirects are not followed")))
            }
            guard head.status == .ok else {
                return finish(context, .failure(FetchProblem(description: "the URL answered HTTP \(head.status.code)")))
            }
            if let length = head.headers["Content-Length"].first.flatMap(Int.init), length > maxBytes {
                return finish(context, .failure(tooLarge))
            }
        case .body(let chunk):
            guard body.count + chunk.readableBytes <= maxBytes else { return finish(context, .failure(tooLarge)) }
            body += chunk.readableBytesView
        case .end:
            finish(context, .success(body))
        }
    }

    private var tooLarge: FetchProblem {
        FetchProblem(description: "the picture is larger than \(maxBytes / (1024 * 1024)) MB")
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(context, .failure(FetchProblem(description: "the connection closed before the picture ended")))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(context, .failure(error))
    }

    private func finish(_ context: ChannelHandlerContext, _ result: Result<[UInt8], any Error>) {
        guard !finished else { return }
        finished = true
        timer?.cancel()
        done.completeWith(result)
        context.close(promise: nil)
    }
}
