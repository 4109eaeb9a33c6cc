import Foundation
import GovMediaCore

/// JSON Feed 1.0 and 1.1 (https://jsonfeed.org), as feed bridges serve it: RSSHub with
/// `?format=json` (1.1) and wewe-rss `/feeds/<id>.json` (1.0, from the npm `feed` package).
///
/// Items become the same ``ListedPost`` values RSS and Atom items do, so the rules and the
/// store cannot tell a post read from JSON from one read from XML:
/// - link: `url`, else `external_url`, else `id` when it is an http(s) URL; relative links
///   resolve against `home_page_url` (the site the items belong to, where RSSHub's relative
///   links point), else the final URL, as RSS links do;
/// - date: `date_published`, else `date_modified`, through ``TextDate`` like every other
///   date; an item without one stays undated, never the fetch time;
/// - summary: `content_text`, else `content_html`, else `summary`, markup stripped as RSS
///   descriptions are;
/// - an item without a title (Kuaishou via RSSHub has only `content_html` and `id`) takes the
///   first line of its text, noted once for the feed.
///
/// Bridges answer failures with JSON too (RSSHub: `{"error":{"message":"Cookies expired…"}}`);
/// that is refused as a ``ParseError`` carrying the bridge's own words, never read as an
/// empty feed, or an expired cookie would look like an account that stopped posting.
enum JSONFeedReader {
    /// The JSON parse error for deeply nested input: Foundation refuses more than this many
    /// levels with an error (checked on 100,000 levels: no crash), so no pre-scan is needed.
    static let foundationDepthLimit = 512

    /// How many skipped-item notes are written one by one; the rest are counted in one note,
    /// so a feed of a thousand broken items gives a readable list rather than a thousand lines.
    static let maxItemNotes = 10

    /// Whether the body is to be read as JSON rather than XML.
    ///
    /// A body starting with `{` cannot be XML, so it always goes here (and is refused here,
    /// with a JSON error, when it is no JSON Feed). A JSON Content-Type sends the body here
    /// too, unless the body starts with `<`: a server that mislabels its RSS is still read.
    static func claims(_ utf8: [UInt8], contentType: String?) -> Bool {
        guard let first = utf8.first(where: { !isJSONWhitespace($0) }) else { return false }
        if first == UInt8(ascii: "{") { return true }
        return isJSONMediaType(contentType) && first != UInt8(ascii: "<")
    }

    /// `application/feed+json` or `application/json`, whatever the parameters.
    static func isJSONMediaType(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let type = contentType.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        let media = type.trimmingWhitespace().lowercased()
        return media == "application/feed+json" || media == "application/json"
    }

    static func read(_ utf8: [UInt8], contentType: String?, context: ReadContext) throws(ParseError) -> ParsedDocument {
        let root = try object(utf8)
        var problems: [ReadingProblem] = []
        let version = root["version"] as? String
        let declaresJSONFeed = version?.contains("jsonfeed.org") == true

        guard let rawItems = root["items"] as? [Any] else {
            if let message = bridgeErrorMessage(root) {
                throw ParseError("数据源返回错误：\(message)", bridgeMessage: message)
            }
            if declaresJSONFeed {
                throw ParseError(root["items"] == nil
                    ? "JSON Feed 缺少 items（条目列表），无法读取条目"
                    : "JSON Feed 的 items 不是数组，无法读取条目")
            }
            throw ParseError("不是 RSS/Atom/JSON Feed 订阅源：内容是 JSON，但没有 JSON Feed 的 version 和 items")
        }
        if !declaresJSONFeed {
            // Only the Content-Type vouches for a feed without a version; a body that merely
            // starts with `{` has to say what it is.
            guard isJSONMediaType(contentType) else {
                throw ParseError("不是 RSS/Atom/JSON Feed 订阅源：内容是 JSON，但 version 不是 JSON Feed（jsonfeed.org）")
            }
            problems.append(.jsonFeedUnversioned)
        }

        let base = siteBase(root["home_page_url"], context: context)
        var items: [ListedPost] = []
        var skipped: [ReadingProblem] = []
        var untitled = 0
        for (index, raw) in rawItems.enumerated() {
            if items.count == DocumentReader.maxItems {
                problems.append(.tooManyItems(limit: DocumentReader.maxItems))
                break
            }
            switch item(raw, base: base, context: context) {
            case .post(let post, let titleFromText):
                items.append(post)
                if titleFromText { untitled += 1 }
            case .skipped(let why):
                skipped.append(.jsonFeedItemSkipped(index: index, reason: why))
            }
        }
        problems += skipped.prefix(maxItemNotes)
        if skipped.count > maxItemNotes {
            problems.append(.moreItemsSkipped(count: skipped.count - maxItemNotes))
        }
        if untitled > 0 {
            problems.append(.titlesFromText(count: untitled, maxLength: Markup.maxDerivedTitle))
        }
        return ParsedDocument(kind: .jsonFeed, items: items, charset: "UTF-8", problems: problems)
    }

    // MARK: - The document

    /// The top-level object, or the parse error an officer can act on.
    private static func object(_ utf8: [UInt8]) throws(ParseError) -> [String: Any] {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(utf8))
        } catch {
            throw malformed(error as NSError)
        }
        guard let root = parsed as? [String: Any] else {
            throw ParseError("不是 JSON Feed：JSON 顶层是数组，不是对象")
        }
        return root
    }

    /// Foundation's parse error in Chinese, with the byte it names. Foundation gives the
    /// position only inside its English description (`… around character 16.`, a 0-based
    /// index into the UTF-8 bytes), so it is read from there; the message says byte N counting
    /// from 1, and leaves the position out when Foundation gave none.
    /// `start` is where the parsed bytes begin in the body (after a JSONP or JS wrapper).
    static func malformed(_ error: NSError, start: Int = 0) -> ParseError {
        let detail = error.userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
        let reason: String
        if detail.contains("Too many nested") {
            reason = "嵌套超过 \(foundationDepthLimit) 层"
        } else if detail.contains("end of file") || detail.contains("Unexpected end") {
            reason = "内容在中途结束（可能被截断）"
        } else if detail.contains("UTF-8") || detail.contains("UTF8") {
            reason = "含无效的 UTF-8 字节"
        } else if detail.contains("did not start with array or object") {
            reason = "顶层不是对象"
        } else {
            reason = "无法解析"
        }
        guard let offset = characterIndex(in: detail) else {
            return ParseError("JSON 格式错误：\(reason)")
        }
        return ParseError("JSON 格式错误（第 \(start + offset + 1) 字节附近）：\(reason)")
    }

    /// The number after `character ` in Foundation's description, if any.
    static func characterIndex(in detail: String) -> Int? {
        guard let range = detail.range(of: "character ") else { return nil }
        let digits = detail[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
        return Int(digits)
    }

    /// The message of a bridge's error body: RSSHub's `{"error":{"message":…}}` (or a bare
    /// `{"error":"…"}`), we-mp-rss's `{"detail":{"message":…}}`, and Nest's (wewe-rss)
    /// `{"statusCode":400,"message":…}`. Looked at only when the body has no `items`.
    private static func bridgeErrorMessage(_ root: [String: Any]) -> String? {
        let candidates: [Any?] = [
            (root["error"] as? [String: Any])?["message"], root["error"],
            (root["detail"] as? [String: Any])?["message"], root["detail"], root["message"],
        ]
        for case let text as String in candidates.compactMap({ $0 }) {
            let trimmed = text.trimmingWhitespace()
            if !trimmed.isEmpty { return trimmed }
        }
        return nil
    }

    /// What relative item links resolve against: `home_page_url` when it is an http(s) URL
    /// (itself resolved against the final URL), else the final URL.
    private static func siteBase(_ homePage: Any?, context: ReadContext) -> String {
        guard let text = homePage as? String,
              let resolved = LinkResolver.resolve(text, base: context.baseURL),
              isHTTPURL(resolved) else { return context.baseURL }
        return resolved
    }

    static func isHTTPURL(_ text: String) -> Bool {
        let lower = text.prefix(8).lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    // MARK: - Items

    private enum ItemReading {
        case post(ListedPost, titleFromText: Bool)
        case skipped(ReadingProblem.SkippedItem)
    }

    /// The string members an item is read from. A member of another type makes the whole
    /// item suspect (a generator bug or a different format), so it is skipped and noted
    /// rather than half read; `null` counts as absent.
    private static let stringKeys = ["title", "url", "external_url", "content_text", "content_html", "summary",
                                     "date_published", "date_modified"]

    private static func item(_ raw: Any, base: String, context: ReadContext) -> ItemReading {
        guard let fields = raw as? [String: Any] else { return .skipped(.notAnObject) }
        var text: [String: String] = [:]
        var wrong: [String] = []
        for key in stringKeys {
            switch fields[key] {
            case nil, is NSNull: break
            case let value as String: text[key] = value
            default: wrong.append(key)
            }
        }
        // The spec asks readers to coerce a numeric id to a string; feeds built from database
        // rows do publish them.
        var id: String?
        switch fields["id"] {
        case nil, is NSNull: break
        case let value as String: id = value.trimmingWhitespace()
        case let value as NSNumber where !isBoolean(value): id = value.stringValue
        default: wrong.append("id")
        }
        guard wrong.isEmpty else {
            return .skipped(.notStrings(wrong))
        }
        if id?.isEmpty == true { id = nil }

        let link = [text["url"], text["external_url"]].lazy.compactMap { $0 }
            .compactMap { LinkResolver.resolve($0, base: base) }.first
            ?? id.flatMap { isHTTPURL($0) ? LinkResolver.resolve($0, base: base) : nil }

        let summary = text["content_text"].flatMap(plainTextSummary)
            ?? text["content_html"].flatMap(Markup.plainText)
            ?? text["summary"].flatMap(Markup.plainText)

        var title = text["title"]?.trimmingWhitespace() ?? ""
        var titleFromText = false
        if title.isEmpty {
            let derived = text["content_text"].flatMap(Markup.titleLine(fromText:))
                ?? text["content_html"].flatMap(Markup.titleLine(fromHTML:))
                ?? text["summary"].flatMap(Markup.titleLine(fromHTML:))
            if let derived {
                title = derived
                titleFromText = true
            }
        }
        guard !title.isEmpty || link != nil || id != nil else { return .skipped(.empty) }

        let published = text["date_published"]?.trimmingWhitespace()
        let modified = text["date_modified"]?.trimmingWhitespace()
        let dateText = [published, modified].lazy.compactMap { $0 }.first { !$0.isEmpty }
        let post = ListedPost(title: title, link: link, guid: id, dateText: dateText,
                              publishedAt: context.date(dateText), summary: summary)
        return .post(post, titleFromText: titleFromText)
    }

    /// `content_text` as a summary: already plain, so only trimmed and capped like stripped HTML.
    private static func plainTextSummary(_ text: String) -> String? {
        let capped = String(String.UnicodeScalarView(text.unicodeScalars.prefix(Markup.maxSummary))).trimmingWhitespace()
        return capped.isEmpty ? nil : capped
    }

    /// JSON `true`/`false` arrive as NSNumber too; an id of `true` is no id.
    private static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
