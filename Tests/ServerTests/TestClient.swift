import Foundation
import Glibc

/// A test's failure to talk to the server, with what it was doing.
struct ClientError: Error, CustomStringConvertible {
    var description: String
}

/// A blocking TCP connection to the server on loopback. Written by hand (not a client library) so tests can
/// send exactly the bytes they mean, malformed ones included. Reads give up after `timeoutSeconds`, which
/// is generous: a loaded 2-core machine is slow, and only a hung server should trip it.
final class TestSocket {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int, timeoutSeconds: Int = 120) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError(description: "socket: \(String(cString: strerror(errno)))") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            close(fd)
            throw ClientError(description: "connect to port \(port): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw ClientError(description: "send: \(String(cString: strerror(errno)))") }
            offset += n
        }
    }

    /// Reads more into the buffer; false at the end of the stream.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw ClientError(description: "recv: \(String(cString: strerror(errno)))") }
            if n == 0 { return false }
            buffer += chunk[..<n]
            return true
        }
    }

    func read(count: Int) throws -> [UInt8] {
        while buffer.count < count {
            guard try fill() else { throw ClientError(description: "the server closed the connection") }
        }
        let out = Array(buffer[..<count])
        buffer.removeFirst(count)
        return out
    }

    /// Up to and including the blank line that ends an HTTP head.
    func readHead() throws -> String {
        let end: [UInt8] = [13, 10, 13, 10]
        while true {
            if let range = buffer.firstRange(of: end) {
                let head = String(decoding: buffer[..<range.lowerBound], as: UTF8.self)
                buffer.removeFirst(range.upperBound)
                return head
            }
            guard try fill() else { throw ClientError(description: "the server closed the connection mid-head") }
        }
    }

    /// Everything until the server closes.
    func readToEnd() throws -> [UInt8] {
        while try fill() {}
        defer { buffer = [] }
        return buffer
    }
}

/// An HTTP/1.1 answer.
struct HTTPAnswer {
    var status: Int
    var headers: [String: String] // names lower-cased
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
    /// The body as a JSON object (nil if it is none).
    var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] }
}

enum HTTP {
    /// One request on a connection of its own (`Connection: close`), the answer read to the end.
    static func request(port: Int, _ method: String, _ target: String, headers: [(String, String)] = [],
                        body: [UInt8] = []) throws -> HTTPAnswer {
        let socket = try TestSocket(port: port)
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        try socket.send(Array((head + "\r\n").utf8) + body)
        return try parse(socket, bodiless: method == "HEAD")
    }

    /// - Parameter bodiless: the answer to a HEAD, whose Content-Length is the GET's, with no body after it.
    static func parse(_ socket: TestSocket, bodiless: Bool = false) throws -> HTTPAnswer {
        let head = try socket.readHead()
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw ClientError(description: "bad status line in \(head)") }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body: [UInt8]
        if bodiless {
            body = []
        } else if let length = headers["content-length"].flatMap(Int.init) {
            body = try socket.read(count: length)
        } else if headers["transfer-encoding"]?.lowercased() == "chunked" {
            body = []
            while true {
                var line: [UInt8] = []
                while !line.hasSuffix([13, 10]) { line += try socket.read(count: 1) }
                let size = Int(String(decoding: line.dropLast(2), as: UTF8.self).split(separator: ";")[0], radix: 16) ?? 0
                if size == 0 { _ = try socket.read(count: 2); break }
                body += try socket.read(count: size)
                _ = try socket.read(count: 2)
            }
        } else {
            body = try socket.readToEnd()
        }
        return HTTPAnswer(status: status, headers: headers, body: body)
    }
}

private extension Array where Element == UInt8 {
    func hasSuffix(_ suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}

/// A WebSocket client (RFC 6455) over `TestSocket`: the upgrade, masked frames out, frames in.
final class WebSocketClient {
    enum Message: Equatable {
        case text(String)
        case binary([UInt8])
        case close(code: Int?, reason: String)
    }

    let socket: TestSocket

    /// Connects and upgrades; throws with the server's answer when it does not switch protocols.
    init(port: Int, path: String = "/ws", headers: [(String, String)] = []) throws {
        socket = try TestSocket(port: port)
        var key = [UInt8](repeating: 0, count: 16)
        for i in key.indices { key[i] = UInt8.random(in: 0...255) }
        var head = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(Data(key).base64EncodedString())\r\nSec-WebSocket-Version: 13\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try socket.send(Array((head + "\r\n").utf8))
        let answer = try socket.readHead()
        guard answer.hasPrefix("HTTP/1.1 101") else { throw ClientError(description: "no upgrade: \(answer)") }
    }

    func send(text: String) throws { try send(opcode: 1, Array(text.utf8)) }
    func send(binary: [UInt8]) throws { try send(opcode: 2, binary) }

    /// A close frame with `code`; the server answers with its own.
    func sendClose(code: UInt16 = 1000) throws { try send(opcode: 8, [UInt8(code >> 8), UInt8(code & 0xFF)]) }

    /// One frame, masked as a client must.
    func send(opcode: UInt8, _ payload: [UInt8], final: Bool = true) throws {
        var frame: [UInt8] = [(final ? 0x80 : 0) | opcode]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            frame.append(0x80 | 127)
            for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8((UInt64(payload.count) >> UInt64(shift)) & 0xFF)) }
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try socket.send(frame)
    }

    /// The next data or close message (pings answered, pongs passed over).
    func receive() throws -> Message {
        while true {
            let head = try socket.read(count: 2)
            let opcode = head[0] & 0x0F
            var length = Int(head[1] & 0x7F)
            if length == 126 {
                let b = try socket.read(count: 2)
                length = Int(b[0]) << 8 | Int(b[1])
            } else if length == 127 {
                length = try socket.read(count: 8).reduce(0) { $0 << 8 | Int($1) }
            }
            let payload = try socket.read(count: length)
            switch opcode {
            case 1: return .text(String(decoding: payload, as: UTF8.self))
            case 2: return .binary(payload)
            case 8:
                let code = payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : nil
                return .close(code: code, reason: String(decoding: payload.dropFirst(2), as: UTF8.self))
            case 9: try send(opcode: 10, payload)
            default: continue
            }
        }
    }

    /// The next message as a JSON object; throws if it is anything else.
    func receiveJSON() throws -> [String: Any] {
        let message = try receive()
        guard case .text(let text) = message,
              let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw ClientError(description: "expected a JSON text message, got \(message)")
        }
        return object
    }
}
