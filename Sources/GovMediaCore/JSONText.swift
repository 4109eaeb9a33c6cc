import Foundation

/// JSON text written by hand where speed matters (ten thousand status rows), with
/// string escaping per RFC 8259.
public enum JSONText {
    /// `text` as a JSON string literal: `"` and `\` escaped, C0 controls as `\n`, `\t`… or
    /// `\u00XX`, and the C1 and bidirectional controls `TerminalSafety` names as `\uXXXX`, so
    /// a terminal never acts on them. `status --json` quotes half a million strings: text
    /// with nothing to escape is copied whole.
    public static func quote(_ text: String) -> String {
        // Lead bytes of every scalar that may need escaping: C0, `"`, `\`, DEL, C1 (C2 xx),
        // U+061C (D8 xx) and U+200E… (E2 xx); others (CJK text) cannot.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xC2 || $0 == 0xD8 || $0 == 0xE2 }) {
            return "\"" + text + "\""
        }
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

    /// A string, or `null`.
    public static func value(_ text: String?) -> String { text.map(quote) ?? "null" }

    /// A number, or `null`.
    public static func value(_ number: Int?) -> String { number.map(String.init) ?? "null" }
}
