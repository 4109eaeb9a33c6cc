#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Which resolved addresses the fetcher refuses to connect to.
///
/// The check runs on the address curl is about to connect to (after DNS, on every hop), so a
/// public name that resolves to 10.0.0.5, or a redirect to http://169.254.169.254/, cannot
/// make the monitor reach into the network it runs in.
enum AddressPolicy {
    /// Whether an IPv4 address (host byte order) is internal: this-network 0/8, 10/8,
    /// CGNAT 100.64/10, loopback 127/8, link-local 169.254/16, 172.16/12, 192.0.0/24,
    /// 192.168/16, benchmarking 198.18/15, multicast and reserved 224/3.
    static func isInternal(ipv4 a: UInt32) -> Bool {
        func inNet(_ net: UInt32, _ bits: UInt32) -> Bool {
            let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
            return a & mask == net & mask
        }
        return inNet(0x0000_0000, 8) || inNet(0x0A00_0000, 8) || inNet(0x6440_0000, 10)
            || inNet(0x7F00_0000, 8) || inNet(0xA9FE_0000, 16) || inNet(0xAC10_0000, 12)
            || inNet(0xC000_0000, 24) || inNet(0xC0A8_0000, 16) || inNet(0xC612_0000, 15)
            || inNet(0xE000_0000, 3)
    }

    /// Whether an IPv6 address is internal: ::, ::1, fe80::/10, fc00::/7, multicast ff00::/8,
    /// and the IPv4 forms that embed an internal IPv4 address (mapped ::ffff:0:0/96,
    /// compatible ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16).
    static func isInternal(ipv6 b: [UInt8]) -> Bool {
        precondition(b.count == 16)
        func v4(at i: Int) -> UInt32 {
            UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
        }
        if b[0] == 0xFE && b[1] & 0xC0 == 0x80 { return true }          // link-local
        if b[0] & 0xFE == 0xFC { return true }                          // unique-local
        if b[0] == 0xFF { return true }                                 // multicast
        if b[0..<10].allSatisfy({ $0 == 0 }) {
            if b[10] == 0xFF && b[11] == 0xFF { return isInternal(ipv4: v4(at: 12)) }   // mapped
            if b[10] == 0 && b[11] == 0 { return true }                 // ::, ::1, compatible
        }
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4..<12].allSatisfy({ $0 == 0 }) {
            return isInternal(ipv4: v4(at: 12))                         // NAT64
        }
        if b[0] == 0x20 && b[1] == 0x02 { return isInternal(ipv4: v4(at: 2)) }          // 6to4
        return false
    }

    /// Reads a socket address and says whether it is internal. Families other than IPv4 and
    /// IPv6 (unix sockets) are always refused: an http URL has no business there.
    static func isInternal(_ address: UnsafePointer<sockaddr>) -> Bool {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            let sin = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in.self)
            return isInternal(ipv4: UInt32(bigEndian: sin.sin_addr.s_addr))
        case AF_INET6:
            let sin6 = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in6.self)
            let bytes = withUnsafeBytes(of: sin6.sin6_addr) { Array($0) }
            return isInternal(ipv6: bytes)
        default:
            return true
        }
    }

    /// The address as text, for the log line that records a refusal.
    static func describe(_ address: UnsafePointer<sockaddr>) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            var sin = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in.self)
            _ = inet_ntop(AF_INET, &sin.sin_addr, &buffer, socklen_t(buffer.count))
        case AF_INET6:
            var sin6 = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in6.self)
            _ = inet_ntop(AF_INET6, &sin6.sin6_addr, &buffer, socklen_t(buffer.count))
        default:
            return "family \(address.pointee.sa_family)"
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
