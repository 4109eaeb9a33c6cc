import Crypto
import Foundation

/// The hash chain behind every append-only ledger (register events, review records):
/// each record's hash covers its own fields and the previous record's hash, so an edit
/// made behind the CLI's back breaks the chain from that record on.
public enum AuditHash {
    /// The hash that starts a chain.
    public static let genesis = String(repeating: "0", count: 64)

    /// sha256 over the previous hash and the fields, each length-prefixed so that no two
    /// different field lists can produce the same input.
    public static func link(previous: String, fields: [String]) -> String {
        var hasher = SHA256()
        for part in [previous] + fields {
            let bytes = Array(part.utf8)
            hasher.update(data: Array("\(bytes.count):".utf8))
            hasher.update(data: bytes)
        }
        return hex(hasher.finalize())
    }

    /// sha256 of bytes as 64 lowercase hex digits.
    public static func sha256(_ data: some DataProtocol) -> String { hex(SHA256.hash(data: data)) }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in digest {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
