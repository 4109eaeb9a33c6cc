import Foundation
import GovMediaCore

/// How numbers, dates and changes are written in the report: one place, so the HTML, the
/// CSV and the mail say the same thing the same way.
enum ReportFormat {
    /// `92.3%`, or `—` when there is nothing to divide.
    static func percent(_ value: Double?) -> String {
        guard let value else { return "—" }
        return String(format: "%.1f%%", value * 100)
    }

    /// The change in pass rate from last week, in percentage points.
    static func change(_ rate: Double?, from previous: Double?) -> String {
        guard let rate else { return "—" }
        guard let previous else { return "上周无监测数据" }
        let points = ((rate - previous) * 1000).rounded() / 10
        if points == 0 { return "与上周持平" }
        return String(format: points > 0 ? "较上周上升 %.1f 个百分点" : "较上周下降 %.1f 个百分点", abs(points))
    }

    /// `2026-02-02 至 2026-02-08`.
    static func range(_ week: ISOWeek) -> String { "\(week.monday) 至 \(week.sunday)" }

    /// The first 12 hex digits of a sha256: enough to find the evidence, short enough to read.
    static func shortHash(_ sha: String) -> String { String(sha.prefix(12)) }

    /// Only http(s) links become links: a feed's `javascript:` URL stays text.
    static func safeLink(_ url: String?) -> String? {
        guard let url, let scheme = url.split(separator: ":", maxSplits: 1).first?.lowercased(),
              scheme == "http" || scheme == "https" else { return nil }
        return url
    }

    /// A label cut to `limit` characters for a chart.
    static func clip(_ text: String, _ limit: Int) -> String {
        text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }

    static func verdictClass(_ v: Verdict) -> String {
        switch v {
        case .pass: "pass"
        case .fail: "fail"
        case .unverifiable: "unverifiable"
        case .notJudged: "notjudged"
        }
    }

    /// The report's title: `净月高新区政务新媒体合规周报`.
    static func title(district: String?) -> String { (district ?? "") + "政务新媒体合规周报" }

    /// A coordinate or length with one decimal, written the same on every machine.
    static func number(_ value: Double) -> String { String(format: "%.1f", value) }
}
