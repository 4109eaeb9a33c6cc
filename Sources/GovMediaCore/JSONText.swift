import Foundation

/// JSON text written by hand where speed matters (ten thousand status rows), with
/// string escaping per RFC 8259.
public enum JSONText {
    /// `text` as a JSON string literal: `"` and `\` escaped, C0 controls as `\n`, `\t`… or
    /// `\u00XX`, and the C1 and bidirectional controls `TerminalSafety` names as `\uXXXX`, so
    /// a terminal never acts on them. `status --json` quotes half a million strings: text
    /// with nothing to escape is copied whole.
    public static func quote(_ text: String) -> String {
        if !needsEscaping(text) { return "\"" + text + "\"" }
        var out = String.UnicodeScalarView()
        out.reserveCapacity(text.utf8.count + 2)
        out.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\"); out.append("\"")
            case "\\": out.append("\\"); out.append("\\")
            case "\n": out.append("\\"); out.append("n")
            case "\r": out.append("\\"); out.append("r")
            case "\t": out.append("\\"); out.append("t")
            default:
                if scalar.value < 0x20 || TerminalSafety.isUnsafe(scalar.value) {
                    out.append(contentsOf: "\\u".unicodeScalars)
                    for shift in stride(from: 12, through: 0, by: -4) {
                        out.append(hexDigits[Int((scalar.value >> UInt32(shift)) & 0xF)])
                    }
                } else {
                    out.append(scalar)
                }
            }
        }
        out.append("\"")
        return String(out)
    }

    private static let hexDigits = Array("0123456789abcdef".unicodeScalars)

    /// Whether any byte sequence of `text` is one `quote` escapes: C0, `"`, `\`, DEL, C1
    /// (C2 80–9F), U+061C (D8 9C), U+200E/F (E2 80 8E–8F), U+202A–E (E2 80 AA–AE) and
    /// U+2066–9 (E2 81 A6–A9). Checked on the bytes: “ ” — and … (E2 80 9C, 9D, 94, A6) are
    /// common in Chinese text and need nothing.
    private static func needsEscaping(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                switch b {
                case 0..<0x20, 0x22, 0x5C, 0x7F: return true
                case 0xC2: if i + 1 < bytes.count, (0x80...0x9F).contains(bytes[i + 1]) { return true }
                case 0xD8: if i + 1 < bytes.count, bytes[i + 1] == 0x9C { return true }
                case 0xE2:
                    if i + 2 < bytes.count {
                        let (b1, b2) = (bytes[i + 1], bytes[i + 2])
                        if b1 == 0x80, b2 == 0x8E || b2 == 0x8F || (0xAA...0xAE).contains(b2) { return true }
                        if b1 == 0x81, (0xA6...0xA9).contains(b2) { return true }
                    }
                default: break
                }
                i += 1
            }
            return false
        }
    }

    /// A string, or `null`.
    public static func value(_ text: String?) -> String { text.map(quote) ?? "null" }

    /// A number, or `null`.
    public static func value(_ number: Int?) -> String { number.map(String.init) ?? "null" }
}
