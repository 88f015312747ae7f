import Testing
@testable import Server

/// `--allow-fetch`'s address rule on exact lists: every private, local or special address refused with
/// what it is, public unicast ones taken.
struct FetchAddressPolicyTests {
    @Test(arguments: [
        ("127.0.0.1", "loopback"), ("127.255.255.254", "loopback"),
        ("10.0.0.1", "private"), ("10.255.255.255", "private"),
        ("172.16.0.1", "private"), ("172.31.255.255", "private"),
        ("192.168.0.1", "private"), ("192.168.255.255", "private"),
        ("169.254.169.254", "link-local"), ("100.64.0.1", "carrier-grade NAT"), ("100.127.255.255", "carrier-grade NAT"),
        ("0.0.0.0", "unspecified"), ("0.1.2.3", "unspecified"),
        ("224.0.0.1", "multicast"), ("239.255.255.255", "multicast"),
        ("255.255.255.255", "broadcast"), ("240.0.0.1", "reserved"),
        ("192.0.2.1", "documentation"), ("198.51.100.7", "documentation"), ("203.0.113.9", "documentation"),
        ("198.18.0.1", "benchmarking"), ("192.0.0.8", "IETF"),
        ("::", "unspecified"), ("::1", "loopback"),
        ("fc00::1", "unique local"), ("fd12:3456:789a::1", "unique local"),
        ("fe80::1", "link-local"), ("febf::1", "link-local"), ("fec0::1", "site-local"),
        ("ff02::1", "multicast"), ("ff05::2", "multicast"),
        ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.1.2.3", "private"), ("::ffff:169.254.169.254", "link-local"),
        ("64:ff9b::192.168.1.1", "private"), ("2002:7f00:1::", "loopback"), ("2002:c0a8:101::1", "private"),
        ("::127.0.0.1", "not a global unicast"), ("100::1", "not a global unicast"),
        ("2001:db8::1", "documentation"), ("2001::1", "IETF"), ("3fff::1", "documentation"),
    ])
    func refuses(address: String, says: String) throws {
        let ip = try #require(IPAddress(address))
        let refusal = try #require(FetchAddressPolicy.refusal(ip), "\(address) must be refused")
        #expect(refusal.contains(says), "\(refusal)")
    }

    @Test(arguments: ["8.8.8.8", "1.1.1.1", "93.184.215.14", "172.15.255.255", "172.32.0.1", "100.63.255.255",
                      "100.128.0.1", "169.253.0.1", "192.169.0.1", "11.0.0.1", "223.255.255.254",
                      "2606:4700:4700::1111", "2a00:1450:4001:81b::200e", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8",
                      "2002:0808:0808::1"])
    func takes(address: String) throws {
        let ip = try #require(IPAddress(address))
        #expect(FetchAddressPolicy.refusal(ip) == nil)
    }

    @Test func hostNamesAreNoAddresses() {
        #expect(IPAddress("localhost") == nil)
        #expect(IPAddress("example.com") == nil)
        #expect(IPAddress("[::1]") == nil)
    }

    /// A name is resolved and every address it gives is judged: localhost is refused however it resolves.
    @Test func resolvedNamesAreChecked() async throws {
        await #expect(throws: FetchProblem.self) { try await PictureFetcher.checkedAddress("localhost", port: 80) }
        do {
            _ = try await PictureFetcher.checkedAddress("localhost", port: 80)
        } catch {
            #expect(error.refused && error.description.contains("loopback"), "\(error)")
        }
    }

    @Test(arguments: [
        ("ftp://example.com/a.jpg", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("http://user:pw@example.com/a.jpg", "user name"),
        ("http:///a.jpg", "no host"),
    ])
    func targetsRefused(url: String, says: String) {
        let error = #expect(throws: FetchProblem.self) { try PictureFetcher.Target(url) }
        #expect(error?.description.contains(says) == true && error?.refused == true, "\(String(describing: error))")
    }

    @Test func targetParts() throws {
        let t = try PictureFetcher.Target("https://Example.com:8443/p/a%20b.jpg?x=1")
        #expect(t == PictureFetcher.Target(secure: true, host: "Example.com", port: 8443, path: "/p/a%20b.jpg?x=1"))
        let v6 = try PictureFetcher.Target("http://[2606:4700::1]/")
        #expect(v6.host == "2606:4700::1" && v6.port == 80 && v6.path == "/")
    }
}
