import Foundation
import GovMediaCore

/// An account's update timeline drawn for officers: a fixed-size SVG strip (post days as
/// ticks, gaps longer than the limit shaded, the days out of compliance darker) for the
/// weekly report and `explain --svg`, and the same in text for `explain`.
///
/// The SVG is built here rather than in the report template so that `explain` and the
/// report draw the same picture; every text in it goes through `xml(_:)`, and it uses
/// attributes only (no `<style>`), so it stands alone as a file and inside a page.
public enum TimelineStrip {
    /// The picture's size in pixels: fixed, so reports line up and print the same.
    public static let width = 680
    public static let height = 112

    static let left = 20.0, right = 660.0, stripTop = 32.0, stripHeight = 32.0

    static let postColor = "#1f4e79", gapColor = "#ffcdd2", outColor = "#e53935", unknownColor = "#cbd2d9"

    /// A standalone SVG document (also valid inside HTML) for `timeline`.
    /// - Parameter title: the account's name, shown above the strip.
    public static func svg(_ timeline: UpdateTimeline, title: String) -> String {
        let days = Double(timeline.periodDays)
        let dayWidth = (right - left) / days
        func x(_ day: CivilDate) -> Double {
            left + Double(day.daysSinceEpoch - timeline.start.daysSinceEpoch) * dayWidth
        }
        let font = "font-family=\"'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif\""
        let summary = summaryText(timeline)
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"\(width)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(xml("更新时间线：" + title + "。" + summary))\">"
        s += "<title>\(xml("\(title) 更新时间线（\(timeline.start) 至 \(timeline.end)）"))</title>"
        s += "<g \(font) font-size=\"11\" fill=\"#334e68\">"
        s += "<text x=\"\(n(left))\" y=\"18\" font-size=\"13\" fill=\"#1f2933\">\(xml(ReportFormat.clip(title, 24) + "　近 \(timeline.periodDays) 天更新时间线"))</text>"
        s += "<text x=\"\(n(right))\" y=\"18\" text-anchor=\"end\">\(xml(summary))</text>"
        s += rect(left, stripTop, right - left, stripHeight, fill: "#f5f7fa", extra: " stroke=\"#d9e2ec\"")

        // Days that cannot be judged: before the first known post, or before filing.
        let firstJudged = timeline.firstJudgedDay ?? timeline.end.adding(days: 1)
        if firstJudged > timeline.start {
            let w = Double(firstJudged.daysSinceEpoch - timeline.start.daysSinceEpoch) * dayWidth
            s += "<g><title>\(xml("\(timeline.start) 至 \(firstJudged.adding(days: -1))：无已知帖子或尚未备案，无法判断"))</title>"
                + rect(left, stripTop, min(w, right - left), stripHeight, fill: unknownColor) + "</g>"
        }
        for gap in timeline.gaps where gap.days > timeline.limitDays {
            // From the earlier post's tick (or the period's start) to the later post's tick,
            // or to the end of the check day for a gap still open.
            let x0 = gap.from < timeline.start ? left : x(gap.from) + dayWidth / 2
            let x1 = x(gap.to) + (gap.kind == .openGap ? dayWidth : dayWidth / 2)
            let what = gap.kind == .openGap ? "最后一次更新 \(gap.from)，至监测日 \(gap.to) 已 \(gap.days) 天" : "间隔 \(gap.days) 天：\(gap.from) → \(gap.to)"
            s += "<g><title>\(xml(what))</title>" + rect(x0, stripTop + 1, max(x1 - x0, 1), stripHeight - 2, fill: gapColor) + "</g>"
        }
        for span in timeline.noncompliantSpans {
            s += "<g><title>\(xml("不符合“\(timeline.limitDays) 天内有更新”：" + span.chineseText))</title>"
                + rect(x(span.from), stripTop + stripHeight - 10, Double(span.days) * dayWidth, 9, fill: outColor) + "</g>"
        }
        for day in timeline.postDays {
            let cx = n(x(day) + dayWidth / 2)
            s += "<line class=\"post\" x1=\"\(cx)\" x2=\"\(cx)\" y1=\"\(n(stripTop - 4))\" y2=\"\(n(stripTop + stripHeight + 4))\" "
                + "stroke=\"\(postColor)\" stroke-width=\"2\"><title>\(xml("发布：\(day)"))</title></line>"
        }

        // Month marks under the strip, then the two ends' dates.
        let labelY = stripTop + stripHeight + 16
        var day = timeline.start.adding(days: 1)
        while day <= timeline.end {
            if day.day == 1, x(day) - left > 56, right - x(day) > 70 {
                s += "<line x1=\"\(n(x(day)))\" x2=\"\(n(x(day)))\" y1=\"\(n(stripTop + stripHeight))\" y2=\"\(n(stripTop + stripHeight + 5))\" stroke=\"#9aa5b1\"/>"
                s += "<text x=\"\(n(x(day)))\" y=\"\(n(labelY))\" text-anchor=\"middle\">\(day.month)月</text>"
            }
            day = day.adding(days: 1)
        }
        s += "<text x=\"\(n(left))\" y=\"\(n(labelY))\">\(timeline.start)</text>"
        s += "<text x=\"\(n(right))\" y=\"\(n(labelY))\" text-anchor=\"end\">监测日 \(timeline.end)</text>"

        // Legend.
        let legendY = Double(height) - 12
        s += "<line x1=\"\(n(left + 4))\" x2=\"\(n(left + 4))\" y1=\"\(n(legendY - 10))\" y2=\"\(n(legendY + 2))\" stroke=\"\(postColor)\" stroke-width=\"2\"/>"
        s += "<text x=\"\(n(left + 12))\" y=\"\(n(legendY))\">发布日</text>"
        s += rect(left + 64, legendY - 10, 16, 12, fill: gapColor)
        s += "<text x=\"\(n(left + 86))\" y=\"\(n(legendY))\">\(xml("间隔超过 \(timeline.limitDays) 天"))</text>"
        s += rect(left + 194, legendY - 6, 16, 8, fill: outColor)
        s += "<text x=\"\(n(left + 216))\" y=\"\(n(legendY))\">\(xml("不符合“\(timeline.limitDays) 天内有更新”的日子"))</text>"
        s += rect(left + 384, legendY - 10, 16, 12, fill: unknownColor)
        s += "<text x=\"\(n(left + 406))\" y=\"\(n(legendY))\">无已知帖子（无法判断）</text>"
        return s + "</g></svg>"
    }

    /// `有更新 12 天 · 最长间隔 25 天 · 不合规 11 天`.
    public static func summaryText(_ t: UpdateTimeline) -> String {
        var parts = ["有更新 \(t.postDays.count) 天"]
        if let gap = t.longestGap { parts.append("最长间隔 \(gap.days) 天") }
        parts.append(t.firstJudgedDay == nil ? "无已知帖子" : "不合规 \(t.noncompliantDays) 天")
        return parts.joined(separator: " · ")
    }

    /// The timeline in text, for `explain`: one character a day, thirty days a row, then
    /// the post days, the gaps a week or longer, and the days out of compliance.
    public static func text(_ t: UpdateTimeline) -> String {
        var out = "更新时间线（近 \(t.periodDays) 天：\(t.start) 至 \(t.end)，按北京时间自然日）\n"
        out += "  图例：| 有更新　. 正常　x 不符合“\(t.limitDays) 天内有更新”　- 无已知帖子（无法判断）\n"
        let outDays = Set(t.noncompliantSpans.flatMap { span in (0..<span.days).map { span.from.adding(days: $0) } })
        let posts = Set(t.postDays)
        let firstJudged = t.firstJudgedDay
        var day = t.start
        while day <= t.end {
            var row = "  \(day) "
            for _ in 0..<30 where day <= t.end {
                row += posts.contains(day) ? "|" : outDays.contains(day) ? "x" : (firstJudged.map { day >= $0 } ?? false) ? "." : "-"
                day = day.adding(days: 1)
            }
            out += row + "\n"
        }
        out += "  \(summaryText(t))\n"
        if t.postDays.isEmpty {
            out += "  统计期内没有有日期的帖子" + (t.lastBefore.map { "（此前最后一次更新 \($0)）" } ?? "") + "\n"
        } else {
            out += "  有更新的日子：" + t.postDays.map(\.description).joined(separator: "、") + "\n"
        }
        let long = t.gaps.filter { $0.days >= 7 }
        if !long.isEmpty {
            out += "  7 天及以上的间隔：" + long.map(\.chineseText).joined(separator: "、") + "\n"
        } else if !t.gaps.isEmpty {
            out += "  相邻两次更新的间隔都不足 7 天\n"
        }
        let spans = t.noncompliantSpans
        if !spans.isEmpty {
            out += "  不符合“\(t.limitDays) 天内有更新”的日子（\(t.noncompliantDays) 天）：" + spans.map(\.chineseText).joined(separator: "、") + "\n"
        }
        return out
    }

    private static func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, extra: String = "") -> String {
        "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(h))\" fill=\"\(fill)\"\(extra)/>"
    }

    private static func n(_ value: Double) -> String { ReportFormat.number(value) }

    /// Text for XML content and attributes: the five special characters escaped, and the
    /// characters XML 1.0 cannot hold at all (most control characters) dropped, since an
    /// account name comes from the register and a page's title may carry anything.
    static func xml(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                guard v >= 0x20, v != 0xFFFE, v != 0xFFFF else { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
