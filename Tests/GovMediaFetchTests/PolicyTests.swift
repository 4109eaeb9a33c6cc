import Foundation
@testable import GovMediaFetch
import GovMediaCore
import Testing

/// The pure rules behind the fetcher: which addresses are internal, how Retry-After reads.
@Suite("Policies")
struct PolicyTests {
    private func ipv4(_ text: String) -> UInt32 {
        text.split(separator: ".").reduce(0) { $0 << 8 | UInt32($1)! }
    }

    private func ipv6(_ text: String) -> [UInt8] {
        var address = in6_addr()
        #expect(inet_pton(AF_INET6, text, &address) == 1)
        return withUnsafeBytes(of: address) { Array($0) }
    }

    @Test(arguments: ["0.1.2.3", "10.1.2.3", "100.64.0.1", "127.0.0.1", "169.254.169.254", "172.16.0.1",
                      "172.31.255.255", "192.168.1.1", "224.0.0.1", "255.255.255.255"])
    func internalIPv4IsRefused(_ address: String) {
        #expect(AddressPolicy.isInternal(ipv4: ipv4(address)))
    }

    @Test(arguments: ["8.8.8.8", "114.114.114.114", "172.32.0.1", "100.128.0.1", "202.108.22.5"])
    func publicIPv4IsAllowed(_ address: String) {
        #expect(!AddressPolicy.isInternal(ipv4: ipv4(address)))
    }

    @Test(arguments: ["::1", "::", "fe80::1", "fd12:3456::1", "fc00::1", "::ffff:127.0.0.1",
                      "::ffff:192.168.0.1", "64:ff9b::a00:1", "2002:c0a8:101::1", "ff02::1"])
    func internalIPv6IsRefused(_ address: String) {
        #expect(AddressPolicy.isInternal(ipv6: ipv6(address)))
    }

    @Test(arguments: ["2400:3200::1", "2001:4860:4860::8888", "::ffff:8.8.8.8"])
    func publicIPv6IsAllowed(_ address: String) {
        #expect(!AddressPolicy.isInternal(ipv6: ipv6(address)))
    }

    @Test func retryAfterReadsSecondsAndHTTPDates() {
        let now = Date(timeIntervalSince1970: 1_743_494_400) // Tue, 01 Apr 2025 08:00:00 GMT
        #expect(RetryPolicy.parseRetryAfter("120", now: now) == 120)
        #expect(RetryPolicy.parseRetryAfter("Tue, 01 Apr 2025 08:00:30 GMT", now: now) == 30)
        #expect(RetryPolicy.parseRetryAfter("Mon, 31 Mar 2025 08:00:00 GMT", now: now) == 0)
        // RFC 9110 §5.6.7: the obsolete RFC 850 and asctime forms must be read too (asctime has no zone: GMT).
        #expect(RetryPolicy.parseRetryAfter("Tuesday, 01-Apr-25 08:01:00 GMT", now: now) == 60)
        #expect(RetryPolicy.parseRetryAfter("Tue Apr  1 08:00:45 2025", now: now) == 45)
        #expect(RetryPolicy.parseRetryAfter("soon", now: now) == nil)
        #expect(RetryPolicy.parseRetryAfter("120 seconds", now: now) == nil)
        #expect(RetryPolicy.parseRetryAfter(nil, now: now) == nil)
    }

    @Test func backoffGrowsButStaysUnderTheCap() {
        let policy = RetryPolicy(maxAttempts: 6, baseDelay: 0.5, maxDelay: 8)
        for attempt in 1...6 {
            let expected = min(8, 0.5 * pow(2, Double(attempt - 1)))
            let wait = policy.backoff(afterAttempt: attempt)
            #expect(wait >= expected / 2 && wait <= expected)
        }
    }

    @Test func urlsAreRedactedForLogs() {
        #expect(WebAddress.forLog("https://user:pw@example.gov.cn/feed?token=abc#x") == "https://example.gov.cn/feed")
        #expect(WebAddress.withoutUserInfo("https://user:pw@example.gov.cn/feed?q=1") == "https://example.gov.cn/feed?q=1")
        #expect(WebAddress(checking: "https://Example.GOV.cn:8443/a?b")?.authority == "example.gov.cn:8443")
    }
}
