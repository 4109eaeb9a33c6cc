import Foundation
import GovMediaCore

/// What the 三审 ledger says about one published post.
struct ReviewVerdict {
    /// Rule ids violated, with the detail for the message.
    var problems: [(rule: String, detail: String)] = []
    var isComplete: Bool { problems.isEmpty }
}

/// Matches ledger records to posts and checks each post's sign-off: all three stages,
/// three different people, 初审 ≤ 复审 ≤ 终审 ≤ publication, and 终审 approving.
struct ReviewCheck {
    /// How far a record's signing date may be from the post's date for a title match.
    static let titleMatchDays = 30.0

    private let byURL: [String: [ReviewRecord]]
    private let byTitle: [String: [ReviewRecord]]

    init(_ records: [ReviewRecord]) {
        var url: [String: [ReviewRecord]] = [:]
        var title: [String: [ReviewRecord]] = [:]
        for r in records {
            if let u = r.postURL.map(Self.normalizedURL), !u.isEmpty { url[u, default: []].append(r) }
            title[PostTitle.normalized(r.postTitle), default: []].append(r)
        }
        byURL = url
        byTitle = title
    }

    /// The records for a post: by URL, else by normalised title with a signing date near
    /// the post's.
    func records(for post: StoredPost) -> [ReviewRecord] {
        if let url = post.url.map(Self.normalizedURL), let found = byURL[url], !found.isEmpty { return found }
        guard let published = post.publishedAt else { return [] }
        return (byTitle[PostTitle.normalized(post.title)] ?? []).filter { r in
            guard let signed = r.signedInstant else { return false }
            return abs(signed.timeIntervalSince(published)) <= Self.titleMatchDays * 86_400
        }
    }

    func check(_ post: StoredPost) -> ReviewVerdict {
        let found = records(for: post)
        var verdict = ReviewVerdict()
        guard !found.isEmpty else {
            verdict.problems.append(("review.missing", "没有三审记录"))
            return verdict
        }
        // A stage signed more than once (returned, then signed again) counts by its latest signature.
        var latest: [ReviewStage: ReviewRecord] = [:]
        for r in found {
            if let held = latest[r.stage], (held.signedInstant ?? .distantPast) > (r.signedInstant ?? .distantPast) { continue }
            latest[r.stage] = r
        }
        let missing = ReviewStage.allCases.filter { latest[$0] == nil }
        if !missing.isEmpty {
            verdict.problems.append(("review.incomplete", "缺少" + missing.map(\.rawValue).joined(separator: "、")))
        }
        let signed = ReviewStage.allCases.compactMap { latest[$0] }
        for (i, a) in signed.enumerated() {
            for b in signed[(i + 1)...] where a.reviewer == b.reviewer {
                verdict.problems.append(("review.same-reviewer", "\(a.stage.rawValue)与\(b.stage.rawValue)均由 \(a.reviewer) 签署"))
            }
        }
        if let published = post.publishedAt {
            // A page that prints only the date says nothing about the hour: a stage signed on
            // the same day may well have come first, so only a later day counts against it.
            let dateOnly = Self.isDateOnly(post)
            for r in signed where Self.signedAfter(r.signedInstant ?? .distantFuture, published, dateOnly: dateOnly) {
                verdict.problems.append(("review.after-publication",
                                         "\(r.stage.rawValue)（\(r.reviewer)）签于 \(r.signedAt)，晚于发布时间 \(ChinaTime.iso8601(published))"))
            }
        }
        for (a, b) in zip(signed, signed.dropFirst()) {
            if let ta = a.signedInstant, let tb = b.signedInstant, ta > tb {
                verdict.problems.append(("review.out-of-order", "\(b.stage.rawValue)（\(b.signedAt)）早于\(a.stage.rawValue)（\(a.signedAt)）"))
            }
        }
        if let final = latest[.final], final.opinion == .returned {
            verdict.problems.append(("review.returned", "终审意见为退回（\(final.reviewer)，\(final.signedAt)），仍然发布"))
        }
        return verdict
    }

    static func isDateOnly(_ post: StoredPost) -> Bool {
        guard let published = post.publishedAt, ChinaTime.civil(published).secondOfDay == 0 else { return false }
        let text = post.dateText ?? ""
        return !text.contains(":") && !text.contains("：") && !text.contains("时") && !text.contains("点")
    }

    static func signedAfter(_ signed: Date, _ published: Date, dateOnly: Bool) -> Bool {
        dateOnly ? ChinaTime.civil(signed).date > ChinaTime.civil(published).date : signed > published
    }

    /// Scheme, fragment, case of the host and a trailing slash do not make two links different.
    static func normalizedURL(_ url: String) -> String {
        var s = url.trimmingCharacters(in: .whitespaces)
        if let hash = s.firstIndex(of: "#") { s = String(s[..<hash]) }
        for scheme in ["https://", "http://"] where s.lowercased().hasPrefix(scheme) {
            s = String(s.dropFirst(scheme.count))
        }
        if let slash = s.firstIndex(of: "/") {
            s = s[..<slash].lowercased() + s[slash...]
        } else {
            s = s.lowercased()
        }
        while s.hasSuffix("/") { s.removeLast() }
        // A ledger copied from a browser holds `%E6%A0%8F` where the stored link may hold 栏.
        return s.removingPercentEncoding ?? s
    }
}
