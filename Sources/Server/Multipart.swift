import Foundation

/// A `multipart/form-data` body (RFC 7578) split into its parts, as browsers send a form with a file.
/// Parts are ranges of the body, so a large file is not copied to be found.
struct Multipart {
    struct Part {
        /// The `name` of its Content-Disposition.
        var name: String
        /// The `filename`, for a file.
        var filename: String?
        var contentType: String?
        /// Where its content lies in the body.
        var range: Range<Int>
    }

    /// Why a body is not one; said to the client.
    struct Problem: Error, Equatable {
        var description: String
    }

    var parts: [Part]

    /// The boundary a `Content-Type` names, if it is `multipart/form-data` with one.
    static func boundary(contentType: String) -> String? {
        let fields = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard fields.first?.lowercased() == "multipart/form-data" else { return nil }
        for field in fields.dropFirst() {
            guard let equals = field.firstIndex(of: "="),
                  field[..<equals].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var value = field[field.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            // RFC 2046: 1 to 70 characters.
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    /// Splits `body` at `boundary`.
    init(_ body: UnsafeRawBufferPointer, boundary: String) throws(Problem) {
        let delimiter = Array(("--" + boundary).utf8)
        let separator = Array(("\r\n--" + boundary).utf8)
        func find(_ needle: [UInt8], from: Int) -> Int? {
            guard let base = body.baseAddress, let first = needle.first else { return nil }
            let last = body.count - needle.count
            var i = max(0, from)
            while i <= last {
                guard let hit = memchr(base + i, Int32(first), last - i + 1) else { return nil }
                let at = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + at, needle, needle.count) == 0 { return at }
                i = at + 1
            }
            return nil
        }
        func byte(_ i: Int) -> UInt8? { i < body.count ? body[i] : nil }

        guard var at = find(delimiter, from: 0) else { throw Problem(description: "the multipart body has no boundary \"\(boundary)\"") }
        at += delimiter.count
        var parts: [Part] = []
        while true {
            if byte(at) == UInt8(ascii: "-"), byte(at + 1) == UInt8(ascii: "-") { break } // the closing delimiter
            // Transport padding, then the line break that ends the delimiter.
            while byte(at) == UInt8(ascii: " ") || byte(at) == UInt8(ascii: "\t") { at += 1 }
            guard byte(at) == 13, byte(at + 1) == 10 else { throw Problem(description: "the multipart body is malformed") }
            at += 2
            guard let headEnd = find([13, 10, 13, 10], from: at - 2) else {
                throw Problem(description: "a part of the multipart body has no end to its headers")
            }
            let head = String(decoding: UnsafeRawBufferPointer(rebasing: body[at..<max(at, headEnd)]), as: UTF8.self)
            let contentStart = headEnd + 4
            guard let contentEnd = find(separator, from: contentStart) else {
                throw Problem(description: "the multipart body ends before its closing boundary (cut short?)")
            }
            var part = Part(name: "", filename: nil, contentType: nil, range: contentStart..<contentEnd)
            for line in head.components(separatedBy: "\r\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let field = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if field == "content-type" { part.contentType = value }
                if field == "content-disposition" {
                    part.name = Self.parameter("name", in: value) ?? ""
                    part.filename = Self.parameter("filename", in: value)
                }
            }
            parts.append(part)
            at = contentEnd + separator.count
        }
        self.parts = parts
    }

    /// A parameter of a header value (`form-data; name="video"; filename="a.webm"`), unquoted.
    static func parameter(_ name: String, in value: String) -> String? {
        for field in value.split(separator: ";").dropFirst() {
            let field = field.trimmingCharacters(in: .whitespaces)
            guard let equals = field.firstIndex(of: "="), field[..<equals].lowercased() == name else { continue }
            var v = String(field[field.index(after: equals)...])
            if v.count >= 2, v.hasPrefix("\""), v.hasSuffix("\"") { v = String(v.dropFirst().dropLast()) }
            return v.replacingOccurrences(of: "\\\"", with: "\"")
        }
        return nil
    }

    /// The first part named `name`.
    func part(_ name: String) -> Part? { parts.first { $0.name == name } }
}
