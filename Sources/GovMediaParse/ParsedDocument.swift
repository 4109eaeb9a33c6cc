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

    /// The officers' name for what was read.
    public var chineseName: String {
        switch self {
        case .rss: "RSS 2.0 订阅源"
        case .rdf: "RSS 1.0 订阅源"
        case .atom: "Atom 订阅源"
        case .jsonFeed: "JSON Feed"
        case .htmlList: "HTML 列表页"
        case .jsonList: "JSON 列表"
        case .xmlRecords: "XML 记录"
        }
    }
}

/// A parsed page or feed: its items, and every problem met on the way (recovered
/// broken markup, a wrong charset label, an ignored DTD), for the findings.
public struct ParsedDocument: Sendable, Equatable {
    public var kind: DocumentKind
    public var items: [ListedPost]
    public var charset: String
    public var problems: [ReadingProblem]
}

/// Why a body could not be read at all.
public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
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
