import Foundation
import GovMediaCore

/// Header values for RFC 5322 messages: nothing from data may break a header line, and
/// non-ASCII text goes out as RFC 2047 encoded words or RFC 2231 parameters.
public enum HeaderEncoding {
    /// The value with CR, LF and every other control character replaced by a space: no
    /// caller can end a header early or start a new one, whatever the value holds.
    public static func sanitise(_ value: String) -> String {
        String(String.UnicodeScalarView(value.unicodeScalars.map {
            ($0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) || $0 == "\u{2028}" || $0 == "\u{2029}") ? " " : $0
        }))
    }

    /// A header line `Name: value`, folded with CRLF SP so no line exceeds 76 characters.
    /// ASCII-only values are written as is (folded at spaces); others as `=?UTF-8?B?…?=`
    /// words of whole characters, each at most 36 bytes of text (a 60-character word).
    public static func header(_ name: String, _ value: String) -> String {
        let clean = sanitise(value)
        if clean.allSatisfy({ $0.isASCII }) { return foldASCII(name, clean) }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in clean {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 36, !chunk.isEmpty {
                words.append(encodedWord(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(encodedWord(chunk)) }
        // Whitespace between adjacent encoded words is dropped by decoders (RFC 2047 §6.2),
        // so folding between them adds nothing to the text.
        return "\(name): " + words.joined(separator: "\r\n ")
    }

    static func encodedWord(_ bytes: [UInt8]) -> String { "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?=" }

    private static func foldASCII(_ name: String, _ value: String) -> String {
        var lines: [String] = []
        var line = "\(name):"
        for word in value.split(separator: " ", omittingEmptySubsequences: false) {
            if line.count + 1 + word.count > 76, line.contains(where: { $0 != " " }), line != "\(name):" {
                lines.append(line)
                line = ""
            }
            line += " " + word
        }
        lines.append(line)
        return lines.joined(separator: "\r\n")
    }

    /// An RFC 2231 parameter (`; filename*0*=UTF-8''%E6%94%BF…`), split into numbered
    /// continuations so no line exceeds 76 characters. ASCII-safe names stay quoted plain.
    public static func parameter(_ name: String, _ value: String) -> String {
        let clean = sanitise(value)
        let plainSafe = clean.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        if plainSafe, clean.count <= 60 { return ";\r\n \(name)=\"\(clean)\"" }
        var pieces: [String] = []
        var piece = ""
        for character in clean {
            let encoded = String(character).utf8.map { byte -> String in
                let c = Character(UnicodeScalar(byte))
                return byte < 0x80 && (c.isLetter || c.isNumber || "-_.".contains(c)) ? String(c) : String(format: "%%%02X", byte)
            }.joined()
            if piece.count + encoded.count > 48, !piece.isEmpty {
                pieces.append(piece)
                piece = ""
            }
            piece += encoded
        }
        if !piece.isEmpty || pieces.isEmpty { pieces.append(piece) }
        return pieces.enumerated().map { i, p in
            ";\r\n \(name)*\(i)*=" + (i == 0 ? "UTF-8''" : "") + p
        }.joined()
    }

    /// `Mon, 09 Feb 2026 00:00:00 +0800`: the RFC 5322 date at China's offset.
    public static func date(_ instant: Date) -> String {
        let day = ChinaTime.civil(instant).date
        let weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][day.isoWeekday - 1]
        return "\(weekday), " + ChinaTime.rfc822(instant)
    }

    /// Base64 in 76-character lines ending CRLF, as MIME bodies carry it.
    public static func base64Lines(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
    }
}
