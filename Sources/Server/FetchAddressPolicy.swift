import Glibc

/// An IP address as bytes: 4 for IPv4, 16 for IPv6, in network order.
struct IPAddress: Equatable, Sendable, CustomStringConvertible {
    let bytes: [UInt8]

    init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// An address written out ("192.168.1.2", "::ffff:10.0.0.1"); nil for anything else (no host names).
    init?(_ text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        bytes = withUnsafeBytes(of: &v6) { Array($0) }
    }

    var isV4: Bool { bytes.count == 4 }

    var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        _ = bytes.withUnsafeBytes { inet_ntop(isV4 ? AF_INET : AF_INET6, $0.baseAddress, &text, socklen_t(text.count)) }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether the first `bits` bits equal those of `prefix` (bytes of the same family).
    func isIn(_ prefix: [UInt8], _ bits: Int) -> Bool {
        for i in 0..<(bits / 8) where bytes[i] != prefix[i] { return false }
        let rest = bits % 8
        guard rest > 0 else { return true }
        let mask = UInt8(0xFF) << (8 - rest)
        return bytes[bits / 8] & mask == prefix[bits / 8] & mask
    }
}

/// Which addresses `POST /match` may fetch a picture from (`serve --allow-fetch`): public unicast ones
/// only, so a client cannot make the server reach into its own machine or network (SSRF). The decision
/// for one address, pure, so it is tested on exact lists; `PictureFetcher` asks it for every address a
/// host resolves to and connects only to an address it passed.
enum FetchAddressPolicy {
    /// Why `address` may not be fetched from, or nil when it may.
    static func refusal(_ address: IPAddress) -> String? {
        address.isV4 ? refusalV4(address) : refusalV6(address)
    }

    /// IPv4's special-purpose blocks (RFC 6890 and the IANA registry), each with what it is.
    private static let v4Blocks: [(prefix: [UInt8], bits: Int, what: String)] = [
        ([0, 0, 0, 0], 8, "an unspecified (\"this network\") address"),
        ([10, 0, 0, 0], 8, "a private address (RFC 1918)"),
        ([100, 64, 0, 0], 10, "a shared (carrier-grade NAT) address"),
        ([127, 0, 0, 0], 8, "a loopback address"),
        ([169, 254, 0, 0], 16, "a link-local address"),
        ([172, 16, 0, 0], 12, "a private address (RFC 1918)"),
        ([192, 0, 0, 0], 24, "an IETF protocol address"),
        ([192, 0, 2, 0], 24, "a documentation address"),
        ([192, 88, 99, 0], 24, "a 6to4 relay address"),
        ([192, 168, 0, 0], 16, "a private address (RFC 1918)"),
        ([198, 18, 0, 0], 15, "a benchmarking address"),
        ([198, 51, 100, 0], 24, "a documentation address"),
        ([203, 0, 113, 0], 24, "a documentation address"),
        ([224, 0, 0, 0], 4, "a multicast address"),
        ([240, 0, 0, 0], 4, "a reserved or broadcast address"),
    ]

    private static func refusalV4(_ a: IPAddress) -> String? {
        v4Blocks.first { a.isIn($0.prefix, $0.bits) }.map { "\(a) is \($0.what)" }
    }

    private static func v6(_ groups: [UInt16]) -> [UInt8] {
        var out = groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        out += [UInt8](repeating: 0, count: 16 - out.count)
        return out
    }

    /// IPv6 blocks refused inside global unicast (2000::/3), the only block taken at all.
    private static let v6Blocks: [(prefix: [UInt8], bits: Int, what: String)] = [
        (v6([0x2001, 0x0db8]), 32, "a documentation address"),
        (v6([0x3fff]), 20, "a documentation address"),
        (v6([0x2001]), 23, "an IETF protocol address (Teredo and others)"),
    ]

    private static func refusalV6(_ a: IPAddress) -> String? {
        let b = a.bytes
        // Addresses that carry an IPv4 one are judged by it: IPv4-mapped (::ffff:0:0/96), NAT64's well-known
        // prefix (64:ff9b::/96) and 6to4 (2002::/16, the IPv4 address in bytes 2-5).
        if a.isIn(v6([0, 0, 0, 0, 0, 0xffff]), 96) || a.isIn(v6([0x64, 0xff9b]), 96) {
            return embedded(IPAddress(bytes: Array(b[12..<16]))!, in: a)
        }
        if a.isIn(v6([0x2002]), 16) { return embedded(IPAddress(bytes: Array(b[2..<6]))!, in: a) }
        if b.allSatisfy({ $0 == 0 }) { return "\(a) is the unspecified address" }
        if a.isIn(v6([0, 0, 0, 0, 0, 0, 0, 1]), 128) { return "\(a) is a loopback address" }
        if a.isIn(v6([0xfc00]), 7) { return "\(a) is a unique local address (ULA)" }
        if a.isIn(v6([0xfe80]), 10) { return "\(a) is a link-local address" }
        if a.isIn(v6([0xfec0]), 10) { return "\(a) is a site-local address" }
        if a.isIn(v6([0xff00]), 8) { return "\(a) is a multicast address" }
        guard a.isIn(v6([0x2000]), 3) else { return "\(a) is not a global unicast address" }
        return v6Blocks.first { a.isIn($0.prefix, $0.bits) }.map { "\(a) is \($0.what)" }
    }

    private static func embedded(_ v4: IPAddress, in a: IPAddress) -> String? {
        refusalV4(v4).map { "\(a) carries \($0)" }
    }
}
