import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the charset of a body was decided.
public enum CharsetSource: String, Sendable, Equatable {
    /// The HTTP `Content-Type` header's `charset`.
    case header
    /// A UTF-8 or UTF-16 byte-order mark.
    case bom
    /// `<?xml … encoding="…"?>`.
    case xmlDeclaration
    /// `<meta charset>` or `<meta http-equiv="Content-Type" content="…charset=…">` in `<head>`.
    case meta
    /// The bytes themselves: no usable label, or a label the bytes contradict (see the notes).
    case sniffed
    /// No usable label and nothing to decide: the body is plain ASCII, read as UTF-8.
    case `default`
}

/// A body decoded to UTF-8, with how the charset was decided.
public struct DecodedText: Sendable, Equatable {
    /// The text as UTF-8, without a byte-order mark. Undecodable bytes are U+FFFD.
    public var utf8: [UInt8]
    /// The charset the body was read in: `UTF-8`, `GB18030`, `Big5`, `UTF-16LE`, `UTF-16BE`,
    /// `windows-1252`, or another label iconv knows, upper-cased.
    public var charset: String
    /// How that charset was decided.
    public var source: CharsetSource
    /// What an officer should know about the decision (mislabels, replacements).
    public var notes: [ReadingProblem]

    /// A decoded body.
    public init(utf8: [UInt8], charset: String, source: CharsetSource, notes: [ReadingProblem] = []) {
        self.utf8 = utf8
        self.charset = charset
        self.source = source
        self.notes = notes
    }
}

/// Turns an HTTP body into UTF-8 for libxml2, which is then told the input is UTF-8 whatever
/// the page's own declaration says.
///
/// Order: the HTTP header, then a BOM, then the XML declaration, then `<meta>` in `<head>`
/// (first 64 KiB). Two deliberate departures from a plain "first label wins":
/// - a BOM beats a header that disagrees with it: the BOM is in the bytes, the header is
///   server configuration, and honouring a wrong header over a UTF-16 BOM garbles everything;
/// - an ISO-8859-1 / US-ASCII / windows-1252 header is weak: it is the default many servers
///   (Tomcat, Apache) send for every page, so a declaration inside the page beats it, and
///   with no declaration in the page the bytes do: GB18030 without an undecodable byte and
///   with Chinese text is read as GB18030, valid UTF-8 as UTF-8, each with a note.
/// Then the bytes are checked against the label: declared UTF-8 that is not UTF-8 is read as
/// GB18030 (unless only a handful of bytes are bad among many more CJK characters: a
/// corrupt byte in a UTF-8 feed, kept UTF-8 with U+FFFD), and a legacy label over bytes that are strictly valid multibyte UTF-8 — and look
/// like Chinese in UTF-8 (``UTF8Scan/looksLikeChineseUTF8``) — is read as UTF-8. Chinese
/// government sites get their labels wrong often enough that both happen.
public enum TextDecoding {
    /// How far into the body `<meta>` is looked for.
    static let metaScanLimit = 64 * 1024

    /// The body as UTF-8 and how its charset was decided. Never fails and never drops the body:
    /// undecodable bytes become U+FFFD.
    public static func decode(_ body: [UInt8], contentType: String?) -> DecodedText {
        body.withUnsafeBufferPointer { decode(buffer: $0, original: body, contentType: contentType) }
    }

    private static func decode(buffer all: UnsafeBufferPointer<UInt8>, original: [UInt8],
                               contentType: String?) -> DecodedText {
        var notes: [ReadingProblem] = []
        let headerLabel = contentType.flatMap { charsetParameter(Array($0.utf8)[...]) }
        var chosen: (charset: Charset, source: CharsetSource, label: String)?
        // Set when the charset is the weak header's only because the page declares nothing.
        var weakOnly = false

        let bom = byteOrderMark(all)
        if let bom {
            if let headerLabel, let declared = Charset(label: headerLabel), declared != bom.charset {
                notes.append(.byteOrderMarkOverridesHeader(header: headerLabel, bom: bom.charset.name))
            }
            chosen = (bom.charset, .bom, bom.charset.name)
        } else {
            var weakHeader: (charset: Charset, label: String)?
            if let headerLabel {
                if let charset = Charset(label: headerLabel) {
                    if charset == .windows1252 { weakHeader = (charset, headerLabel) } else {
                        chosen = (charset, .header, headerLabel)
                    }
                } else {
                    notes.append(.unknownCharset(label: headerLabel, place: .header))
                }
            }
            if chosen == nil {
                /// Takes an in-page label if it is usable, noting why not otherwise.
                func consider(_ label: String?, _ source: CharsetSource, _ place: ReadingProblem.CharsetPlace) {
                    guard chosen == nil, let label else { return }
                    guard let charset = Charset(label: label) else {
                        notes.append(.unknownCharset(label: label, place: place))
                        return
                    }
                    // The label was readable as ASCII, so the bytes cannot be UTF-16.
                    guard !charset.isUTF16 else {
                        notes.append(.asciiLabelSaysUTF16(label: label, place: place))
                        return
                    }
                    chosen = (charset, source, label)
                }
                consider(xmlEncoding(all), .xmlDeclaration, .xmlDeclaration)
                // The meta scan runs only when the XML declaration gave nothing usable.
                if chosen == nil { consider(metaCharset(all), .meta, .meta) }
                if let weak = weakHeader {
                    if let inPage = chosen, inPage.charset != weak.charset {
                        notes.append(.defaultHeaderDeferredToPage(header: weak.label, page: inPage.label))
                    } else {
                        weakOnly = chosen == nil
                        chosen = (weak.charset, .header, weak.label)
                    }
                }
            }
        }

        let bomLength = bom?.length ?? 0
        let text = UnsafeBufferPointer(rebasing: all[bomLength...])
        // UTF-16 by BOM needs no UTF-8 verdict; every other path does.
        // Under a legacy label (GBK, Big5, …) only "strictly UTF-8 or not" is asked of the
        // bytes, so the scan stops at the first byte that is not UTF-8: a GBK page's title.
        let legacyLabel = bom == nil && chosen.map { $0.charset != .utf8 && !$0.charset.isUTF16 } == true
        let scan = bom?.charset.isUTF16 == true ? UTF8Scan() : UTF8Scan(text, stopAtInvalid: legacyLabel)

        // Check the label against the bytes, or sniff when there is none.
        var charset: Charset
        var source: CharsetSource
        if let chosen {
            (charset, source) = (chosen.charset, chosen.source)
            if chosen.charset == .utf8 {
                if !scan.isMostlyUTF8 {
                    (charset, source) = (.gb18030, .sniffed)
                    notes.append(.labelledUTF8NotUTF8(label: chosen.label))
                }
            } else if chosen.charset.isUTF16 {
                // Markup in UTF-16 is full of NULs; a header saying UTF-16 over bytes without
                // any is a server misconfiguration.
                if chosen.source == .header && !hasNUL(text, within: 512) {
                    (charset, source) = sniff(scan)
                    notes.append(.headerUTF16NotUTF16(label: chosen.label, readAs: charset.name))
                }
            } else if scan.isStrictUTF8 && scan.multibyte > 0 && scan.looksLikeChineseUTF8 {
                (charset, source) = (.utf8, .sniffed)
                notes.append(.legacyLabelButUTF8(label: chosen.label))
            } else if weakOnly && !scan.isASCII {
                // Tomcat's ISO-8859-1 default over a GBK page with no label of its own: the
                // label says nothing about the page, so the bytes decide.
                if looksLikeGB18030(text) {
                    (charset, source) = (.gb18030, .sniffed)
                    notes.append(.defaultHeaderIgnored(label: chosen.label, readAs: Charset.gb18030.name))
                } else if scan.isStrictUTF8 {
                    (charset, source) = (.utf8, .sniffed)
                    notes.append(.defaultHeaderIgnored(label: chosen.label, readAs: Charset.utf8.name))
                }
            }
        } else if let utf16 = utf16WithoutBOM(text) {
            (charset, source) = (utf16, .sniffed)
            notes.append(.unlabelledUTF16(charset: utf16.name))
        } else {
            (charset, source) = sniff(scan)
            // Unlabelled UTF-8 is what XML assumes anyway and not worth a note on every fetch;
            // the GB18030 reading is a guess an officer should be able to see.
            if charset == .gb18030 {
                notes.append(.unlabelledReadAsGB18030)
            }
        }

        // Decode.
        let output: [UInt8]
        var replaced = 0
        if charset == .utf8 || (scan.isASCII && charset.isASCIICompatible && !(bom?.charset.isUTF16 ?? false)) {
            if scan.isStrictUTF8 {
                // The fast path: nothing to convert, and without a BOM not even a copy.
                output = bomLength == 0 ? original : Array(text)
            } else {
                output = Array(String(decoding: text, as: UTF8.self).utf8)
                replaced = scan.invalid + (scan.truncatedTail ? 1 : 0)
            }
        } else if let converted = Iconv.convert(text, from: charset) {
            (output, replaced) = converted
        } else {
            (output, replaced) = asciiOnly(text)
            notes.append(.noConverter(charset: charset.name))
        }
        if replaced > 0 {
            notes.append(.undecodableBytes(count: replaced, charset: charset.name))
        }
        return DecodedText(utf8: output, charset: charset.name, source: source, notes: notes)
    }

    /// No usable label: UTF-8 when the bytes are (nearly all) UTF-8 and look like it, else
    /// GB18030, the likeliest legacy charset of a Chinese government page. The price: an
    /// unlabelled page of Cyrillic or Greek in UTF-8 is misread; such pages are not monitored.
    private static func sniff(_ scan: UTF8Scan) -> (Charset, CharsetSource) {
        if scan.isASCII { return (.utf8, .default) }
        return (scan.isMostlyUTF8 && scan.looksLikeChineseUTF8 ? .utf8 : .gb18030, .sniffed)
    }

    /// Whether `text` is GB18030 without a single undecodable byte, and its non-ASCII
    /// characters are mostly Chinese (CJK ideographs, punctuation, full-width forms): what a
    /// GBK page is, and what Latin-1 text almost never happens to be (an accented letter
    /// before a blank or at the end is no GB18030 pair, and the pairs it does make fall all
    /// over the code space).
    static func looksLikeGB18030(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let (utf8, replaced) = Iconv.convert(text, from: .gb18030), replaced == 0 else { return false }
        var nonASCII = 0, chinese = 0
        for scalar in String(decoding: utf8, as: UTF8.self).unicodeScalars where scalar.value >= 0x80 {
            nonASCII += 1
            switch scalar.value {
            case 0x3000...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xFF00...0xFFEF: chinese += 1
            default: break
            }
        }
        return chinese > 0 && chinese * 10 >= nonASCII * 8
    }

    /// Non-ASCII bytes as U+FFFD, one per run: the last resort when iconv cannot convert.
    private static func asciiOnly(_ text: UnsafeBufferPointer<UInt8>) -> ([UInt8], Int) {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var replaced = 0
        var inRun = false
        for b in text {
            if b < 0x80 {
                out.append(b)
                inRun = false
            } else if !inRun {
                out.append(contentsOf: replacementCharacter)
                replaced += 1
                inRun = true
            }
        }
        return (out, replaced)
    }

    static let replacementCharacter: [UInt8] = [0xEF, 0xBF, 0xBD]
}

// MARK: - Charsets

extension TextDecoding {
    /// The charsets decoding distinguishes; everything else iconv knows is `.other`.
    enum Charset: Equatable, Sendable {
        case utf8, gb18030, big5, utf16LE, utf16BE, windows1252
        /// A label iconv accepts, upper-cased.
        case other(String)

        /// A label as pages print it (case, blanks and quotes already stripped or not), or nil
        /// when neither the table nor iconv knows it.
        init?(label raw: String) {
            let label = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            switch label {
            case "utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8":
                self = .utf8
            // GB2312 and GBK are subsets of GB18030; pages labelled with them use GBK characters.
            case "gb2312", "gbk", "x-gbk", "cp936", "gb_2312-80", "gb_2312", "euc-cn", "x-euc-cn", "gb18030",
                 "csgb2312", "chinese", "iso-ir-58", "windows-936", "ms936", "csiso58gb231280":
                self = .gb18030
            case "big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5":
                self = .big5
            case "utf-16le", "utf-16", "unicode", "ucs-2", "csunicode", "iso-10646-ucs-2", "unicodefeff":
                self = .utf16LE
            case "utf-16be", "unicodefffe":
                self = .utf16BE
            // As browsers do: Latin-1 and ASCII labels mean windows-1252.
            case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "us-ascii", "ascii", "windows-1252",
                 "cp1252", "x-cp1252", "cp819", "ibm819", "iso-ir-100", "csisolatin1", "ansi_x3.4-1968":
                self = .windows1252
            default:
                // Only plain names reach iconv_open, and only names it can open count.
                guard !label.isEmpty, label.count <= 40,
                      label.utf8.allSatisfy({ $0 < 0x80 && (isAlnum($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E || $0 == 0x3A) }),
                      Iconv.canOpen(label.uppercased()) else { return nil }
                self = .other(label.uppercased())
            }
        }

        /// The name reported in `DecodedText.charset`.
        var name: String {
            switch self {
            case .utf8: "UTF-8"
            case .gb18030: "GB18030"
            case .big5: "Big5"
            case .utf16LE: "UTF-16LE"
            case .utf16BE: "UTF-16BE"
            case .windows1252: "windows-1252"
            case .other(let label): label
            }
        }

        /// The name iconv opens. Big5 goes through Big5-HKSCS, its superset, so the extra
        /// characters Hong Kong and Taiwan pages use are not lost.
        var iconvName: String {
            switch self {
            case .big5: "BIG5-HKSCS"
            case .windows1252: "WINDOWS-1252"
            default: name
            }
        }

        var isUTF16: Bool { self == .utf16LE || self == .utf16BE }

        /// Whether pure ASCII bytes decode to themselves, so no conversion is needed.
        var isASCIICompatible: Bool {
            switch self {
            case .utf8, .gb18030, .big5, .windows1252: true
            default: false
            }
        }
    }
}

extension TextDecoding {
    @inline(__always) fileprivate static func isAlnum(_ b: UInt8) -> Bool {
        (b &- 0x30) < 10 || ((b | 0x20) &- 0x61) < 26
    }

    @inline(__always) fileprivate static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C
    }
}

// MARK: - UTF-8 validation

extension TextDecoding {
    /// One pass over the bytes: are they UTF-8, and how much of them is.
    struct UTF8Scan {
        /// Well-formed multibyte sequences.
        var multibyte = 0
        /// Of those, three- and four-byte ones: CJK, the bulk of a Chinese page in UTF-8.
        var long = 0
        /// Two-byte ones above Latin-1 (U+0100–U+07FF: Greek, Cyrillic, Hebrew, Arabic …): rare
        /// on a Chinese page in UTF-8, but what most GBK characters look like when they happen to
        /// be well-formed UTF-8 (`通知` in GBK is `CD A8 D6 AA`, valid UTF-8 for `֪ͨ`).
        var oddTwoByte = 0
        /// Bytes that start no well-formed sequence (overlongs, surrogates and stray bytes count).
        var invalid = 0
        /// The body ends inside a sequence: a cut-off download, not a wrong charset.
        var truncatedTail = false

        var isASCII: Bool { multibyte == 0 && invalid == 0 && !truncatedTail }
        /// Well-formed to the last byte.
        var isStrictUTF8: Bool { invalid == 0 && !truncatedTail }
        /// UTF-8 with at most a stray bad byte per twenty characters, or a handful of bad bytes
        /// among at least twice as many CJK-length sequences: a UTF-8 page with a pasted-in
        /// fragment, or a short feed with one corrupt byte (`好的标题` and a stray 0xFF), stays
        /// UTF-8. GBK text does not pass either test: nearly every GBK character is invalid as
        /// UTF-8, and the few that happen to be well-formed three-byte sequences are far fewer.
        var isMostlyUTF8: Bool {
            invalid == 0 || invalid * 20 <= multibyte || (invalid <= 8 && invalid * 2 <= long)
        }
        /// Whether the multibyte sequences look like a Chinese page's UTF-8 rather than GBK that
        /// happens to be well-formed: CJK-length sequences at least as many as odd two-byte ones.
        var looksLikeChineseUTF8: Bool { oddTwoByte <= long }

        /// The verdict for an empty body.
        init() {}

        /// The verdict on `p`. With `stopAtInvalid` the scan ends at the first invalid byte
        /// (`invalid` is then 1 and the other counts partial): enough for ``isStrictUTF8`` and
        /// ``isASCII``, not for ``isMostlyUTF8``.
        init(_ p: UnsafeBufferPointer<UInt8>, stopAtInvalid: Bool = false) {
            guard let base = p.baseAddress else { return }
            let n = p.count
            var i = 0
            while i < n {
                // Eight ASCII bytes at a time: most markup is ASCII.
                if i + 8 <= n, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    continue
                }
                let b = base[i]
                if b < 0x80 {
                    i += 1
                    continue
                }
                // Three-byte characters (CJK, full-width punctuation) in a run: lead E1–EC or
                // EE–EF and two continuation bytes, checked in one four-byte load. E0 and ED,
                // whose second byte has a narrower range, and a character at the very end go
                // the general way below.
                if b & 0xF0 == 0xE0, b != 0xE0, b != 0xED {
                    var three = 0
                    while i + 4 <= n {
                        let v = UInt32(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt32.self))
                        let lead = v & 0xFF
                        guard v & 0x00C0_C0F0 == 0x0080_80E0, lead != 0xE0, lead != 0xED else { break }
                        three += 1
                        i += 3
                    }
                    multibyte += three
                    long += three
                    if three > 0 { continue }
                }
                var need = 0
                var low: UInt8 = 0x80, high: UInt8 = 0xBF
                switch b {
                case 0xC2...0xDF: need = 1
                case 0xE0: need = 2; low = 0xA0
                case 0xE1...0xEC, 0xEE, 0xEF: need = 2
                case 0xED: need = 2; high = 0x9F
                case 0xF0: need = 3; low = 0x90
                case 0xF1...0xF3: need = 3
                case 0xF4: need = 3; high = 0x8F
                default:
                    invalid += 1
                    if stopAtInvalid { return }
                    i += 1
                    continue
                }
                var k = 1
                var ok = true
                while k <= need {
                    guard i + k < n else { break }
                    let c = base[i + k]
                    if k == 1 ? (c < low || c > high) : (c & 0xC0 != 0x80) {
                        ok = false
                        break
                    }
                    k += 1
                }
                if ok && k <= need {
                    truncatedTail = true
                    return
                }
                if ok {
                    multibyte += 1
                    if need > 1 { long += 1 } else if b >= 0xC4 { oddTwoByte += 1 }
                    i += need + 1
                } else {
                    invalid += 1
                    if stopAtInvalid { return }
                    i += 1
                }
            }
        }
    }
}

// MARK: - Labels in the bytes

extension TextDecoding {
    /// The `charset` parameter of a `Content-Type` value: `text/html; charset="gbk"` → `gbk`.
    static func charsetParameter(_ s: ArraySlice<UInt8>) -> String? {
        let key: [UInt8] = Array("charset".utf8)
        var i = s.startIndex
        while i + key.count <= s.endIndex {
            var match = true
            for (k, c) in key.enumerated() where s[i + k] | 0x20 != c {
                match = false
                break
            }
            if !match {
                i += 1
                continue
            }
            var j = i + key.count
            while j < s.endIndex, isSpace(s[j]) { j += 1 }
            guard j < s.endIndex, s[j] == UInt8(ascii: "=") else {
                i += 1
                continue
            }
            j += 1
            while j < s.endIndex, isSpace(s[j]) { j += 1 }
            if j < s.endIndex, s[j] == UInt8(ascii: "\"") || s[j] == UInt8(ascii: "'") { j += 1 }
            var end = j
            while end < s.endIndex, end - j < 40,
                  isAlnum(s[end]) || s[end] == 0x2D || s[end] == 0x5F || s[end] == 0x2E || s[end] == 0x3A {
                end += 1
            }
            return end > j ? String(decoding: s[j..<end], as: UTF8.self) : nil
        }
        return nil
    }

    /// A UTF-8 or UTF-16 byte-order mark: the charset and how many bytes to drop.
    static func byteOrderMark(_ p: UnsafeBufferPointer<UInt8>) -> (charset: Charset, length: Int)? {
        if p.count >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF { return (.utf8, 3) }
        if p.count >= 2, p[0] == 0xFF, p[1] == 0xFE { return (.utf16LE, 2) }
        if p.count >= 2, p[0] == 0xFE, p[1] == 0xFF { return (.utf16BE, 2) }
        return nil
    }

    /// UTF-16 markup without a BOM shows as `<` next to a NUL (XML 1.0, appendix F).
    static func utf16WithoutBOM(_ p: UnsafeBufferPointer<UInt8>) -> Charset? {
        guard p.count >= 4 else { return nil }
        if p[0] != 0, p[1] == 0, p[2] != 0, p[3] == 0 { return .utf16LE }
        if p[0] == 0, p[1] != 0, p[2] == 0, p[3] != 0 { return .utf16BE }
        return nil
    }

    static func hasNUL(_ p: UnsafeBufferPointer<UInt8>, within limit: Int) -> Bool {
        p.prefix(limit).contains(0)
    }

    /// `encoding` of an XML declaration at the start of the body (after blanks).
    static func xmlEncoding(_ p: UnsafeBufferPointer<UInt8>) -> String? {
        var i = 0
        while i < p.count, i < 64, isSpace(p[i]) { i += 1 }
        guard matches(p, i, "<?xml", caseInsensitive: false) else { return nil }
        let limit = min(p.count, i + 512)
        var j = i + 5
        while j + 1 < limit, !(p[j] == UInt8(ascii: "?") && p[j + 1] == UInt8(ascii: ">")) {
            if matches(p, j, "encoding", caseInsensitive: false) {
                var k = j + 8
                while k < limit, isSpace(p[k]) { k += 1 }
                guard k < limit, p[k] == UInt8(ascii: "=") else { return nil }
                k += 1
                while k < limit, isSpace(p[k]) { k += 1 }
                guard k < limit, p[k] == UInt8(ascii: "\"") || p[k] == UInt8(ascii: "'") else { return nil }
                let quote = p[k]
                var end = k + 1
                while end < limit, p[end] != quote { end += 1 }
                guard end < limit, end > k + 1 else { return nil }
                return String(decoding: UnsafeBufferPointer(rebasing: p[(k + 1)..<end]), as: UTF8.self)
            }
            j += 1
        }
        return nil
    }

    /// The charset a `<meta>` in `<head>` declares, looked for in the first 64 KiB (comments
    /// skipped, so a commented-out meta does not count).
    static func metaCharset(_ p: UnsafeBufferPointer<UInt8>) -> String? {
        let n = min(p.count, metaScanLimit)
        var i = 0
        while i < n {
            guard p[i] == UInt8(ascii: "<") else {
                i += 1
                continue
            }
            if matches(p, i + 1, "!--", caseInsensitive: false, limit: n) {
                var j = i + 4
                while j + 2 < n, !(p[j] == 0x2D && p[j + 1] == 0x2D && p[j + 2] == UInt8(ascii: ">")) { j += 1 }
                i = j + 3
                continue
            }
            if matches(p, i + 1, "meta", caseInsensitive: true, limit: n), i + 5 < n,
               isSpace(p[i + 5]) || p[i + 5] == UInt8(ascii: "/") {
                let (label, end) = metaTag(p, from: i + 5, limit: n)
                if let label { return label }
                i = end
                continue
            }
            // The head is over: a meta in the body is quoted content, not the page's.
            if matches(p, i + 1, "/head", caseInsensitive: true, limit: n)
                || matches(p, i + 1, "body", caseInsensitive: true, limit: n) {
                return nil
            }
            i += 1
        }
        return nil
    }

    /// Reads one `<meta …>`'s attributes (any order, quoted or not): its charset, if it
    /// declares one, and where the tag ends.
    private static func metaTag(_ p: UnsafeBufferPointer<UInt8>, from start: Int, limit n: Int) -> (String?, Int) {
        var j = start
        var charset: String?
        var content: String?
        var isContentType = false
        while j < n {
            while j < n, isSpace(p[j]) || p[j] == UInt8(ascii: "/") { j += 1 }
            guard j < n, p[j] != UInt8(ascii: ">") else { break }
            let nameStart = j
            while j < n, !isSpace(p[j]), p[j] != UInt8(ascii: "="), p[j] != UInt8(ascii: ">") { j += 1 }
            let name = String(decoding: UnsafeBufferPointer(rebasing: p[nameStart..<j]), as: UTF8.self).lowercased()
            while j < n, isSpace(p[j]) { j += 1 }
            var value = ""
            if j < n, p[j] == UInt8(ascii: "=") {
                j += 1
                while j < n, isSpace(p[j]) { j += 1 }
                var valueStart = j
                if j < n, p[j] == UInt8(ascii: "\"") || p[j] == UInt8(ascii: "'") {
                    let quote = p[j]
                    valueStart = j + 1
                    j += 1
                    while j < n, p[j] != quote { j += 1 }
                    value = String(decoding: UnsafeBufferPointer(rebasing: p[valueStart..<j]), as: UTF8.self)
                    if j < n { j += 1 }
                } else {
                    while j < n, !isSpace(p[j]), p[j] != UInt8(ascii: ">") { j += 1 }
                    value = String(decoding: UnsafeBufferPointer(rebasing: p[valueStart..<j]), as: UTF8.self)
                }
            }
            switch name {
            case "charset": charset = value.trimmingCharacters(in: .whitespaces)
            case "http-equiv": isContentType = value.trimmingCharacters(in: .whitespaces).lowercased() == "content-type"
            case "content": content = value
            default: break
            }
        }
        if let charset, !charset.isEmpty { return (charset, j) }
        if isContentType, let content, let label = charsetParameter(Array(content.utf8)[...]) { return (label, j) }
        return (nil, j)
    }

    private static func matches(_ p: UnsafeBufferPointer<UInt8>, _ at: Int, _ word: StaticString,
                                caseInsensitive: Bool, limit: Int? = nil) -> Bool {
        let end = limit ?? p.count
        let count = word.utf8CodeUnitCount
        guard at >= 0, at + count <= end else { return false }
        let w = word.utf8Start
        for k in 0..<count {
            var b = p[at + k]
            // `word` is lower-case; fold only letters so no other byte can match by accident.
            if caseInsensitive, b &- 0x41 < 26 { b |= 0x20 }
            if b != w[k] { return false }
        }
        return true
    }
}

// MARK: - iconv

extension TextDecoding {
    /// Conversions through the C library's iconv. A handle keeps shift state and is not safe
    /// to share between threads, so every call opens its own: the C library caches the module
    /// lookup, so opening costs microseconds against a page's milliseconds of parsing.
    enum Iconv {
        /// Whether iconv can read `name` (to UTF-8).
        static func canOpen(_ name: String) -> Bool {
            guard let cd = iconv_open("UTF-8", name), cd != iconv_t(bitPattern: -1) else { return false }
            iconv_close(cd)
            return true
        }

        /// `input` in `charset` as UTF-8, with how many places became U+FFFD; nil when iconv
        /// cannot open the conversion at all.
        static func convert(_ input: UnsafeBufferPointer<UInt8>, from charset: Charset) -> ([UInt8], Int)? {
            guard let cd = iconv_open("UTF-8", charset.iconvName), cd != iconv_t(bitPattern: -1) else { return nil }
            defer { iconv_close(cd) }
            guard let base = input.baseAddress, !input.isEmpty else { return ([], 0) }

            // Two-byte GBK characters become three UTF-8 bytes; grow on the rare E2BIG.
            var out = [UInt8](repeating: 0, count: input.count + input.count / 2 + 64)
            var written = 0
            var replaced = 0
            // iconv's prototype wants mutable pointers; it never writes through the input one.
            var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: base)
                .assumingMemoryBound(to: CChar.self)
            var inLeft = input.count
            // After an illegal sequence, skip one code unit: one byte, or two for UTF-16 so the
            // rest stays aligned.
            let unit = charset.isUTF16 ? 2 : 1

            func appendReplacement() {
                if out.count - written < 3 { out.append(contentsOf: repeatElement(0, count: out.count)) }
                out[written] = 0xEF
                out[written + 1] = 0xBF
                out[written + 2] = 0xBD
                written += 3
                replaced += 1
            }

            while true {
                var outLeft = out.count - written
                var failure: Int32 = 0
                let result = out.withUnsafeMutableBufferPointer { buffer -> Int in
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(buffer.baseAddress! + written)
                        .assumingMemoryBound(to: CChar.self)
                    var r = iconv(cd, &inPointer, &inLeft, &outPointer, &outLeft)
                    if r != -1 {
                        // Flush any shift state (stateful charsets only; a no-op otherwise).
                        r = iconv(cd, nil, nil, &outPointer, &outLeft)
                    }
                    failure = errno
                    return r
                }
                written = out.count - outLeft
                if result != -1 { break }
                switch failure {
                case E2BIG:
                    out.append(contentsOf: repeatElement(0, count: out.count))
                case EILSEQ:
                    appendReplacement()
                    let skip = min(unit, inLeft)
                    inPointer = inPointer.map { $0 + skip }
                    inLeft -= skip
                default:
                    // EINVAL: the input ends inside a character (a cut-off body).
                    appendReplacement()
                    inLeft = 0
                }
                if inLeft == 0 { break }
            }
            out.removeSubrange(written..<out.count)
            return (out, replaced)
        }
    }
}
