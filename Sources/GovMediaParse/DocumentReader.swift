import CLibXML2
import Foundation
import GovMediaCore

/// Reads a fetched body into posts: decodes the charset, hands libxml2 UTF-8 with the
/// network and entity expansion off, and reads a feed (RSS, Atom or JSON Feed), a list page,
/// a CMS's JSON / JSONP / JS list, or a CMS's XML records, as the ``ReadingProfile`` says
/// (``ListProbe`` finds the profile for a page it has not seen).
public enum DocumentReader {
    /// Items past this are ignored (and noted): a page listing more is not a list page.
    public static let maxItems = 1000

    /// Reads `body` as the profile says.
    /// - Parameters:
    ///   - contentType: the HTTP Content-Type header, for its charset, and, with the `.feed`
    ///     profile, to take a body as JSON Feed (`application/feed+json`, `application/json`).
    ///   - baseURL: the final URL after redirects; links resolve against it.
    ///   - fetchedAt: the fetch time, for relative dates (`3小时前`) and year-less dates.
    public static func read(
        _ body: [UInt8], contentType: String?, baseURL: String, profile: ReadingProfile, fetchedAt: Date
    ) throws(ParseError) -> ParsedDocument {
        let prepared = try prepare(body, contentType: contentType)
        let context = ReadContext(baseURL: baseURL, fetchedAt: fetchedAt)
        return try read(prepared, contentType: contentType, profile: profile, context: context)
    }

    /// A body decoded to UTF-8 with its NULs removed, ready for any reader.
    struct Prepared {
        var bytes: [UInt8]
        var charset: String
        var problems: [ReadingProblem]
    }

    static func prepare(_ body: [UInt8], contentType: String?) throws(ParseError) -> Prepared {
        guard !body.isEmpty else { throw ParseError("内容为空（0 字节）") }
        let decoded = TextDecoding.decode(body, contentType: contentType)
        var problems = decoded.notes
        var bytes = decoded.utf8
        // libxml2 takes a NUL for the end of the input: every item after one was silently lost.
        let nuls = removeNULs(&bytes)
        if nuls > 0 { problems.append(.nulBytesRemoved(count: nuls)) }
        // A body of only a BOM or NULs has nothing left to parse (and libxml2 needs a buffer).
        guard !bytes.isEmpty else { throw ParseError("内容为空（只有字节顺序标记或 NUL 字节）") }
        return Prepared(bytes: bytes, charset: decoded.charset, problems: problems)
    }

    static func read(_ prepared: Prepared, contentType: String?, profile: ReadingProfile,
                     context: ReadContext) throws(ParseError) -> ParsedDocument {
        var bytes = prepared.bytes
        var problems = prepared.problems
        let decoded = prepared
        switch profile {
        case .feed:
            // JSON Feed before any XML handling: a `{` body or a JSON Content-Type (see
            // ``JSONFeedReader/claims(_:contentType:)``). A DOCTYPE pass would only waste time.
            if JSONFeedReader.claims(bytes, contentType: contentType) {
                var doc = try JSONFeedReader.read(bytes, contentType: contentType, context: context)
                doc.charset = decoded.charset
                doc.problems = problems + doc.problems
                return doc
            }
            if XMLSafety.blankDoctypes(&bytes) {
                problems.append(.doctypeIgnored)
            }
            var doc = try FeedReader.read(bytes, context: context)
            doc.charset = decoded.charset
            doc.problems = problems + doc.problems
            return doc
        case let .htmlList(item, title, link, date):
            let xpaths = ListXPaths(item: item, title: title, link: link, date: date)
            var doc = try HTMLListReader.read(bytes, xpaths: xpaths, context: context)
            doc.charset = decoded.charset
            doc.problems = problems + doc.problems
            return doc
        case let .jsonList(p):
            var doc = try JSONListReader.read(bytes, profile: p, context: context)
            doc.charset = decoded.charset
            doc.problems = problems + doc.problems
            return doc
        case let .xmlRecords(p):
            var doc = try XMLRecordsReader.read(bytes, profile: p, context: context)
            doc.charset = decoded.charset
            doc.problems = problems + doc.problems
            return doc
        }
    }
}

extension DocumentReader {
    /// Removes every NUL byte (never part of a UTF-8 character other than U+0000, which XML
    /// and HTML forbid anyway); returns how many there were. A page without any, the usual
    /// case, costs one `memchr`.
    static func removeNULs(_ bytes: inout [UInt8]) -> Int {
        let hasNUL = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress.map { memchr($0, 0, buf.count) != nil } ?? false
        }
        guard hasNUL else { return 0 }
        let before = bytes.count
        bytes.removeAll { $0 == 0 }
        return before - bytes.count
    }
}

/// What every reader needs besides the bytes.
struct ReadContext {
    let baseURL: String
    let fetchedAt: Date

    func date(_ text: String?) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        return TextDate.read(text, now: fetchedAt) ?? Self.compactDate(text)
    }

    /// `20261128` (also `[20261128]`): a date written as eight digits, as CMS lists and JSON
    /// APIs print it and the date reader does not read (eight digits in running text are as
    /// often a number). Only a value that is nothing else, and a real day in 1990–2100.
    static func compactDate(_ text: String) -> Date? {
        let digits = text.trimmingWhitespace().trimmingCharacters(in: CharacterSet(charactersIn: "[]()【】（）"))
        guard digits.utf8.count == 8, digits.utf8.allSatisfy({ $0 &- 0x30 < 10 }), let n = Int(digits) else { return nil }
        let year = n / 10_000
        guard (1990...2100).contains(year), let day = CivilDate(year: year, month: n / 100 % 100, day: n % 100) else { return nil }
        return ChinaTime.instant(day, hour: 0)
    }
}

/// libxml2 parse options shared by the readers: recover from broken markup, never touch
/// the network, keep entities unexpanded, and keep libxml2's own printing quiet (its
/// messages are collected instead).
enum ParseOptions {
    static let xml = Int32(XML_PARSE_RECOVER.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue
        | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_COMPACT.rawValue
        | XML_PARSE_IGNORE_ENC.rawValue)
    static let html = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
        | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_COMPACT.rawValue | HTML_PARSE_NOIMPLIED.rawValue)
}
