import Foundation

/// A run of calendar days that proves a pattern finding: a gap between two posts, or days
/// an account was out of compliance. Stored with the finding (`Finding.spans`), so
/// `explain` and the report can show the dates long after the posts have left the feed.
public struct DateSpan: Sendable, Equatable, Hashable, Codable {
    /// What the span is.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// From one post day to the next post day (`from`, `to` are the two post days).
        case gap
        /// From the last post day to the check day, with no post since.
        case openGap = "open-gap"
        /// Days on which there was no post in the preceding `limit` days (both ends included).
        case noncompliant
    }

    public var kind: Kind
    public var from: CivilDate
    public var to: CivilDate

    public init(kind: Kind, from: CivilDate, to: CivilDate) {
        self.kind = kind
        self.from = from
        self.to = to
    }

    /// For gaps, the days between the two bounding days (posts on the 1st and the 15th: 14);
    /// for non-compliant runs, how many days the run holds (both ends counted).
    public var days: Int {
        let between = to.daysSinceEpoch - from.daysSinceEpoch
        return kind == .noncompliant ? between + 1 : between
    }

    /// `2026-01-03 → 2026-01-17（14 天）`, the way findings quote a span.
    public var chineseText: String {
        switch kind {
        case .gap: "\(from) → \(to)（\(days) 天）"
        case .openGap: "\(from) → 监测日 \(to)（\(days) 天，其间无更新）"
        case .noncompliant: from == to ? "\(from)（1 天）" : "\(from) 至 \(to)（\(days) 天）"
        }
    }

    // Stored as `{"kind":…,"from":"YYYY-MM-DD","to":…,"days":…}`: `days` is written for
    // whoever reads the JSON by hand (`status --json`); it is recomputed, never trusted, on
    // reading.
    enum CodingKeys: String, CodingKey { case kind, from, to, days }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(Kind.self, forKey: .kind)
        let date = { (key: CodingKeys) throws -> CivilDate in
            let text = try c.decode(String.self, forKey: key)
            guard let day = CivilDate(iso: text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "不是 YYYY-MM-DD 日期：\(text)")
            }
            return day
        }
        from = try date(.from)
        to = try date(.to)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(from.description, forKey: .from)
        try c.encode(to.description, forKey: .to)
        try c.encode(days, forKey: .days)
    }
}

extension DateSpan {
    /// Spans as the JSON array `Codable` writes with sorted keys (`days` included): the one
    /// form they take in `status --json`, the report and the `finding.spans` column, written
    /// by hand because findings are written by the hundred thousand.
    public static func json(_ spans: [DateSpan]) -> String {
        "[" + spans.map { "{\"days\":\($0.days),\"from\":\"\($0.from)\",\"kind\":\"\($0.kind.rawValue)\",\"to\":\"\($0.to)\"}" }
            .joined(separator: ",") + "]"
    }
}

/// An account's update timeline over a period ending on the check day, in China calendar
/// days: which days had posts, the gaps between them, and the days out of compliance with
/// the two-week rule. Pure: built from publication times the store already holds.
///
/// A day is out of compliance when `limitDays` or more days have passed since the last
/// post day (posts on the 1st and the 15th leave no day out; on the 1st and the 16th, the
/// 15th is out). Days before the first known post, or before the account was filed, are
/// unknown rather than counted: the monitor cannot know what a feed no longer lists.
public struct UpdateTimeline: Sendable, Equatable {
    /// The period's first day.
    public let start: CivilDate
    /// The check day, the period's last day.
    public let end: CivilDate
    /// The update limit in days (the national rule's two weeks: 14).
    public let limitDays: Int
    /// Days in the period with at least one dated post, oldest first.
    public let postDays: [CivilDate]
    /// The last post day before the period, which bounds the period's first gap.
    public let lastBefore: CivilDate?
    /// Days before this one are not judged (the account's filing day), when known.
    public let notBefore: CivilDate?

    /// - Parameters:
    ///   - posts: publication times of the account's dated posts (any order; those after
    ///     `checkAt` are ignored, several on one day count once).
    ///   - periodDays: the period's length in days, the check day included.
    ///   - notBefore: the account's filing day; earlier days are not judged.
    public init(posts: [Date], checkAt: Date, periodDays: Int, limitDays: Int = 14, notBefore: CivilDate? = nil) {
        let end = ChinaTime.civil(checkAt).date
        let start = end.adding(days: -(max(periodDays, 1) - 1))
        let days = Set(posts.filter { $0 <= checkAt }.map { ChinaTime.civil($0).date }).sorted()
        self.start = start
        self.end = end
        self.limitDays = max(limitDays, 1)
        self.notBefore = notBefore
        postDays = days.filter { $0 >= start }
        lastBefore = days.last { $0 < start }
    }

    /// The period's length in days.
    public var periodDays: Int { end.daysSinceEpoch - start.daysSinceEpoch + 1 }

    /// Every gap that ends in the period, oldest first: between consecutive post days (the
    /// first may start before the period), then from the last post day to the check day
    /// when nothing was posted on the check day itself.
    public var gaps: [DateSpan] {
        var result: [DateSpan] = []
        var previous = lastBefore
        for day in postDays {
            if let previous { result.append(DateSpan(kind: .gap, from: previous, to: day)) }
            previous = day
        }
        if let previous, previous < end { result.append(DateSpan(kind: .openGap, from: previous, to: end)) }
        return result
    }

    /// The longest gap (the earliest of equals); nil when no post is known at all.
    public var longestGap: DateSpan? {
        gaps.reduce(nil) { best, gap in (best.map { gap.days > $0.days } ?? true) ? gap : best }
    }

    /// The runs of days in the period out of compliance, oldest first.
    public var noncompliantSpans: [DateSpan] {
        var spans: [DateSpan] = []
        var last = lastBefore
        var posts = postDays[...]
        var runStart: CivilDate?
        var day = start
        while day <= end {
            if let next = posts.first, next == day { last = day; posts = posts.dropFirst() }
            let out = judged(day) && last.map { day.daysSinceEpoch - $0.daysSinceEpoch >= limitDays } == true
            if out, runStart == nil { runStart = day }
            if !out, let from = runStart {
                spans.append(DateSpan(kind: .noncompliant, from: from, to: day.adding(days: -1)))
                runStart = nil
            }
            day = day.adding(days: 1)
        }
        if let from = runStart { spans.append(DateSpan(kind: .noncompliant, from: from, to: end)) }
        return spans
    }

    /// How many days of the period were out of compliance.
    public var noncompliantDays: Int { noncompliantSpans.reduce(0) { $0 + $1.days } }

    /// The period's first day that can be judged: the first day with a known post on or
    /// before it, and not before the filing day. Nil when no day of the period can be.
    public var firstJudgedDay: CivilDate? {
        guard let known = lastBefore.map({ _ in start }) ?? postDays.first else { return nil }
        let first = max(known, notBefore ?? known)
        return first <= end ? first : nil
    }

    /// Gaps ending within the last `days` days (the check day included) whose length is at
    /// least `minDays` and at most `maxDays`: posts that arrive only just before the limit.
    public func gaps(endingWithinLast days: Int, minDays: Int, maxDays: Int) -> [DateSpan] {
        guard minDays <= maxDays, days > 0 else { return [] }
        let windowStart = end.adding(days: -(days - 1))
        return gaps.filter { $0.kind == .gap && $0.to >= windowStart && (minDays...maxDays).contains($0.days) }
    }

    private func judged(_ day: CivilDate) -> Bool {
        guard let first = firstJudgedDay else { return false }
        return day >= first
    }
}
