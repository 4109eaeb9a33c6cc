import Foundation
import GovMediaCore

/// What kind of document a body turned out to be, detected from the document itself.
public enum DocumentKind: String, Sendable, Codable {
    case rss = "rss"        // RSS 0.9x / 2.0
    case rdf = "rss1"       // RSS 1.0 (RDF)
    case atom = "atom"      // Atom 1.0
    case htmlList = "html"  // an HTML list page read through the account's XPaths
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
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// How to read a body: as a feed, or as a list page with XPaths.
public enum ReadingProfile: Sendable, Equatable {
    case feed
    case htmlList(item: String, title: String, link: String, date: String)
}
