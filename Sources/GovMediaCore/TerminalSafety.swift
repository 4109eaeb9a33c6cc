import Foundation

/// What the CLI prints passes through here: titles, names and messages come from pages,
/// feeds and files anyone can write, and a terminal acts on control characters (C0 such as
/// ESC, C1 such as U+009B, the 8-bit CSI) and shows bidirectional overrides (U+202E) as a
/// reordered line. They are shown as visible `<U+XXXX>` in text, and as `\uXXXX` escapes in
/// JSON (the same string to a JSON reader, inert in a terminal).
public enum TerminalSafety {
    /// True for the scalars a terminal must not receive raw.
    public static func isUnsafe(_ v: UInt32) -> Bool {
        switch v {
        case 0x0A, 0x09: false  // line breaks and tabs are layout
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// `text` with every unsafe scalar shown as `<U+XXXX>`.
    public static func text(_ text: String) -> String {
        replacingUnsafe(in: text, format: "<U+%04X>")
    }

    /// Encoded JSON with every unsafe scalar left raw by the encoder written as `\uXXXX`
    /// (C1 and bidirectional controls; the encoder already escapes C0).
    public static func json(_ data: Data) -> Data {
        let text = String(decoding: data, as: UTF8.self)
        let safe = replacingUnsafe(in: text, format: "\\u%04x")
        return safe == text ? data : Data(safe.utf8)
    }

    /// `text` with each unsafe scalar written out through `format` (one `%04X`-style field).
    private static func replacingUnsafe(in text: String, format: String) -> String {
        guard text.unicodeScalars.contains(where: { isUnsafe($0.value) }) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if isUnsafe(s.value) {
                out.append(contentsOf: String(format: format, s.value).unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }
}
