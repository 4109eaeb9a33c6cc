import Foundation

/// One post as a page or feed lists it, before it is stored.
public struct ListedPost: Sendable, Equatable {
    public var title: String
    /// The absolute link, resolved against the final URL.
    public var link: String?
    /// The feed's own identifier (RSS guid, Atom id), when it gives one.
    public var guid: String?
    /// The date text as printed, kept so an officer can see what was read.
    public var dateText: String?
    /// The publication time, or nil when no date could be read (never the fetch time).
    public var publishedAt: Date?
    /// Description or summary text, markup removed, for the word lists.
    public var summary: String?

    public init(title: String, link: String? = nil, guid: String? = nil, dateText: String? = nil,
                publishedAt: Date? = nil, summary: String? = nil) {
        self.title = title
        self.link = link
        self.guid = guid
        self.dateText = dateText
        self.publishedAt = publishedAt
        self.summary = summary
    }

    /// The identity a post is stored under, once per account: the guid, else the link,
    /// else the normalised title plus the date.
    public var key: String {
        if let guid, !guid.isEmpty { return "guid:" + guid }
        if let link, !link.isEmpty { return "link:" + link }
        let day = publishedAt.map { ChinaTime.civil($0).date.description } ?? "undated"
        return "title:" + PostTitle.normalized(title) + "|" + day
    }
}

/// A post as stored: what was listed, when it was first seen, and the fetch it came from.
public struct StoredPost: Sendable, Equatable {
    public var id: Int64
    public var accountID: String
    public var title: String
    public var url: String?
    public var guid: String?
    public var dateText: String?
    public var publishedAt: Date?
    public var summary: String?
    public var firstSeenAt: Date
    /// The fetch whose evidence listed it first.
    public var fetchID: Int64

    public init(id: Int64, accountID: String, title: String, url: String?, guid: String?, dateText: String?,
                publishedAt: Date?, summary: String?, firstSeenAt: Date, fetchID: Int64) {
        self.id = id
        self.accountID = accountID
        self.title = title
        self.url = url
        self.guid = guid
        self.dateText = dateText
        self.publishedAt = publishedAt
        self.summary = summary
        self.firstSeenAt = firstSeenAt
        self.fetchID = fetchID
    }
}

/// Title normalisation shared by post identity and 三审 matching: case, width and
/// whitespace differences do not make two titles different.
public enum PostTitle {
    public static func normalized(_ title: String) -> String {
        var out = String.UnicodeScalarView()
        for s in title.unicodeScalars {
            if s.properties.isWhitespace { continue }
            var v = s.value
            // Full-width ASCII forms (Ａ, １, （) to their half-width twins.
            if (0xFF01...0xFF5E).contains(v) { v -= 0xFEE0 }
            guard let scalar = Unicode.Scalar(v) else { continue }
            out.append(contentsOf: String(scalar).lowercased().unicodeScalars)
        }
        return String(out)
    }
}
