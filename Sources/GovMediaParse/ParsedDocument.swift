import Foundation
import GovMediaCore

/// What kind of document a body turned out to be, detected from the document itself.
public enum DocumentKind: String, Sendable, Codable {
    case rss = "rss"        // RSS 0.9x / 2.0
    case rdf = "rss1"       // RSS 1.0 (RDF)
    case atom = "atom"      // Atom 1.0
    case jsonFeed = "json"  // JSON Feed 1.0 / 1.1 (RSSHub `?format=json`, wewe-rss `.json`)
    case htmlList = "html"  // an HTML list page read through the account's XPaths
    case jsonList = "json-list"      // a CMS's JSON / JSONP / JS list read through ``JSONListProfile``
    case xmlRecords = "xml-records"  // a CMS's XML records read through ``XMLRecordsProfile``
}

/// A parsed page or feed: its items, and every problem met on the way (recovered
/// broken markup, a wrong charset label, an ignored DTD), for the findings.
public struct ParsedDocument: Sendable, Equatable {
    public var kind: DocumentKind
    public var items: [ListedPost]
    public var charset: String
    public var problems: [String]
}

/// Why a body could not be read at all.
public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// The error text a feed bridge sent instead of a feed (RSSHub's
    /// `{"error":{"message":…}}`), verbatim, so a scan can classify the failure (an expired
    /// cookie, a banned route) without picking it back out of the Chinese `message`.
    public var bridgeMessage: String?
    public init(_ message: String, bridgeMessage: String? = nil) {
        self.message = message
        self.bridgeMessage = bridgeMessage
    }
    public var description: String { message }
}

/// How to read a body: as a feed, as an HTML list page with XPaths, as a CMS's JSON (or
/// JSONP / JS) list, or as a CMS's XML records. ``ListProbe`` writes one for a page it has
/// never seen.
public enum ReadingProfile: Sendable, Equatable, Hashable, Codable {
    /// RSS 0.9x/2.0, RSS 1.0, Atom or JSON Feed, told apart by the document.
    case feed
    /// An HTML list page: `item` picks each post; `title`, `link` and `date` are evaluated
    /// relative to it (string values).
    case htmlList(item: String, title: String, link: String, date: String)
    /// A JSON body, JSONP (`cb({...})`) or a JS assignment (`var data = {...};`,
    /// `export default \`<ul>…</ul>\``): see ``JSONListProfile``.
    case jsonList(JSONListProfile)
    /// An XML document of repeated records (Hanweb `dataproxy.jsp`): see ``XMLRecordsProfile``.
    case xmlRecords(XMLRecordsProfile)
}

/// The problem notes the readers write themselves, each worded in one place so the wording
/// stays the same wherever it is raised (and can become a typed value later without a hunt).
/// They are for officers, so they are in Chinese and say what was done about the problem.
enum ParseNote {
    /// NUL bytes were removed before parsing: libxml2 stops reading at a NUL, which silently
    /// dropped every item after it.
    /// Bare `&` (not starting an entity) were read as the character: libxml2's recovery drops
    /// the `&` and the word after it ("党建&业务" would be stored as "党建").
    static func bareAmpersands(_ count: Int) -> String {
        "内容含 \(count) 个未转义的 &（应写作 &amp;），已按字面读取（否则 & 及其后的文字会丢失）"
    }

    static func nulBytesRemoved(_ count: Int) -> String {
        "内容含 \(count) 个 NUL（0x00）字节，已删除后再解析（否则其后的条目会全部丢失）"
    }

    /// Tags nested deeper than the reader's limit were dropped (their text kept) so the rest
    /// of the document could be read; `line` is where the first one was.
    static func nestingFlattened(_ count: Int, line: Int, limit: Int) -> String {
        "嵌套过深：第 \(line) 行起有 \(count) 个标签超过 \(limit) 层，已忽略这些标签（文字保留）后继续读取，该处条目的标题、日期或摘要可能不完整"
    }

    /// libxml2 stopped at its depth limit and the document could not be flattened: items
    /// after that point are missing.
    static let nestingHalted = "嵌套过深：文档嵌套超过 libxml2 的层数上限，解析在该处停止，该条目的内容和其后的条目可能缺失"

    /// A feed listed more items than ``DocumentReader/maxItems``; the rest were not read.
    static func tooManyItems(_ limit: Int) -> String {
        "条目超过 \(limit) 个，只读取前 \(limit) 个"
    }

    /// The body has more item tags than the tree gave items: broken markup swallowed some.
    static func itemsMissing(tags: Int, read: Int, element: String) -> String {
        "原文中有 \(tags) 个 <\(element)> 标签，只读出 \(read) 个条目：XML 损坏处的条目可能缺失"
    }

    /// An ISO-8859-1 / windows-1252 header over bytes that are not Latin text.
    static func weakHeaderIgnored(label: String, readAs charset: String) -> String {
        "HTTP 头声明 \(label)（常见的服务器默认值），但内容是 \(charset) 编码，已忽略该声明，按 \(charset) 读取"
    }
}