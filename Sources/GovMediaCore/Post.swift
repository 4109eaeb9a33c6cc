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
    /// The title without whitespace, with full-width ASCII folded to half-width and letters
    /// lower-cased. Linear in the title's length: a pasted-in megabyte title must cost
    /// milliseconds, so the result is built in one UTF-8 buffer and made a String once
    /// (appending to a growing String scalar by scalar was quadratic).
    public static func normalized(_ title: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(title.utf8.count)
        for s in title.unicodeScalars {
            var v = s.value
            if v < 0x80 {
                // ASCII, the bulk of markup-heavy titles: no property lookups.
                if v == 0x20 || (0x09...0x0D).contains(v) { continue }
                if (0x41...0x5A).contains(v) { v += 0x20 }
                out.append(UInt8(v))
                continue
            }
            if s.properties.isWhitespace { continue }
            // Full-width ASCII forms (Ａ, １, （) to their half-width twins.
            if (0xFF01...0xFF5E).contains(v) {
                v -= 0xFEE0
                var c = UInt8(v)
                if (0x41...0x5A).contains(c) { c += 0x20 }
                out.append(c)
                continue
            }
            if s.properties.changesWhenLowercased {
                out.append(contentsOf: s.properties.lowercaseMapping.utf8)
            } else {
                append(s, to: &out)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `s` as UTF-8 bytes onto `out`, without a String per scalar.
    @inline(__always)
    private static func append(_ s: Unicode.Scalar, to out: inout [UInt8]) {
        let v = s.value
        switch v {
        case 0..<0x80:
            out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | v >> 6))
            out.append(UInt8(0x80 | v & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | v >> 12))
            out.append(UInt8(0x80 | v >> 6 & 0x3F))
            out.append(UInt8(0x80 | v & 0x3F))
        default:
            out.append(UInt8(0xF0 | v >> 18))
            out.append(UInt8(0x80 | v >> 12 & 0x3F))
            out.append(UInt8(0x80 | v >> 6 & 0x3F))
            out.append(UInt8(0x80 | v & 0x3F))
        }
    }
}

/// How post text is shown and stored for reading: a title or summary pasted in by mistake
/// (a whole article, a megabyte of markup) would swamp a table, a report or a terminal, so
/// it is cut at a cap with a note saying so. The parser keeps the full text, and the fetch's
/// evidence keeps the bytes, so nothing is lost for an officer who needs it.
public enum PostText {
    /// Titles longer than this many characters are shown truncated.
    public static let titleCap = 500
    /// Summaries longer than this many characters are shown truncated.
    public static let summaryCap = 2000
    /// Appended to a truncated title.
    public static let titleTruncationNote = "…（标题过长，已截断，全文见证据）"
    /// Appended to a truncated summary.
    public static let summaryTruncationNote = "…（摘要过长，已截断，全文见证据）"

    /// `title` as shown and stored for reading: whole up to ``titleCap`` characters, else the
    /// first ``titleCap`` with ``titleTruncationNote``.
    public static func cappedTitle(_ title: String) -> String {
        capped(title, at: titleCap, note: titleTruncationNote)
    }

    /// `summary` as shown and stored for reading, cut at ``summaryCap`` characters.
    public static func cappedSummary(_ summary: String) -> String {
        capped(summary, at: summaryCap, note: summaryTruncationNote)
    }

    /// `text` cut after `cap` characters (grapheme clusters, so no character is split) with
    /// `note` appended; unchanged when it is no longer. Costs O(cap), not O(text).
    public static func capped(_ text: String, at cap: Int, note: String) -> String {
        // A character is at least one byte and one scalar: counting those is far cheaper
        // than walking grapheme clusters, and settles almost every text (stored per post).
        if text.utf8.count <= cap || text.unicodeScalars.count <= cap { return text }
        guard let end = text.index(text.startIndex, offsetBy: max(cap, 0), limitedBy: text.endIndex),
              end != text.endIndex else { return text }
        return String(text[..<end]) + note
    }

    /// Whether `title` is longer than ``titleCap`` and would be shown truncated.
    public static func isTitleTooLong(_ title: String) -> Bool {
        title.index(title.startIndex, offsetBy: titleCap, limitedBy: title.endIndex).map { $0 != title.endIndex } ?? false
    }
}

extension ListedPost {
    /// The title as shown and stored for reading (see ``PostText``); ``title`` stays whole.
    public var cappedTitle: String { PostText.cappedTitle(title) }
    /// The summary as shown and stored for reading (see ``PostText``).
    public var cappedSummary: String? { summary.map(PostText.cappedSummary) }
}

extension StoredPost {
    /// The title as shown for reading (see ``PostText``).
    public var cappedTitle: String { PostText.cappedTitle(title) }
    /// The summary as shown for reading (see ``PostText``).
    public var cappedSummary: String? { summary.map(PostText.cappedSummary) }
}
