import Foundation

/// JSON text written by hand where speed matters (ten thousand status rows), with
/// string escaping per RFC 8259.
public enum JSONText {
    /// `text` as a JSON string literal.
    public static func quote(_ text: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count + 2)
        out.append(0x22)
        for b in text.utf8 {
            switch b {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            default: out.append(b)
            }
        }
        out.append(0x22)
        // C1 and bidirectional controls pass the byte loop above as multi-byte UTF-8; they
        // are escaped like the encoder's output is, so a terminal never acts on them.
        return String(decoding: TerminalSafety.json(Data(out)), as: UTF8.self)
    }

    /// A string, or `null`.
    public static func value(_ text: String?) -> String { text.map(quote) ?? "null" }

    /// A number, or `null`.
    public static func value(_ number: Int?) -> String { number.map(String.init) ?? "null" }
}
