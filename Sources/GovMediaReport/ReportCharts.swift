import Foundation
import GovMediaCore

/// The geometry of the report's two inline SVG charts, computed here so the template only
/// places shapes (and every label still goes through the template's escaping).
enum ReportCharts {
    /// Pass rate over the last twelve weeks: one bar per week, the report's week darker.
    static func trend(_ points: [WeeklyReport.TrendPoint], current: ISOWeek) -> [String: Any] {
        let width = 680.0, left = 48.0, right = 668.0, top = 24.0, bottom = 196.0
        let slot = (right - left) / Double(max(points.count, 1))
        let barWidth = min(32.0, slot * 0.6)
        let plot = bottom - top
        var bars: [[String: Any]] = []
        for (i, p) in points.enumerated() {
            let center = left + slot * (Double(i) + 0.5)
            var bar: [String: Any] = [
                "labelX": ReportFormat.number(center), "weekLabel": "第\(p.week.week)周",
                "yearLabel": i == 0 || p.week.week == 1 ? String(p.week.year) : "",
                "current": p.week == current,
            ]
            if let rate = p.rate {
                let h = plot * rate
                bar["hasData"] = true
                bar["x"] = ReportFormat.number(center - barWidth / 2)
                bar["y"] = ReportFormat.number(bottom - h)
                bar["width"] = ReportFormat.number(barWidth)
                bar["height"] = ReportFormat.number(h)
                bar["valueY"] = ReportFormat.number(bottom - h - 6)
                bar["value"] = String(format: "%.0f%%", rate * 100)
                bar["title"] = "\(p.week.chineseName)：合格 \(p.passing)/\(p.monitored)，达标率 \(ReportFormat.percent(rate))"
            } else {
                bar["hasData"] = false
                bar["valueY"] = ReportFormat.number(bottom - 6)
                bar["title"] = "\(p.week.chineseName)：无监测数据"
            }
            bars.append(bar)
        }
        let grid = [0.0, 0.25, 0.5, 0.75, 1.0].map { f -> [String: Any] in
            ["y": ReportFormat.number(bottom - plot * f), "labelY": ReportFormat.number(bottom - plot * f + 4), "label": String(format: "%.0f%%", f * 100)]
        }
        return ["width": ReportFormat.number(width), "height": "240", "left": ReportFormat.number(left), "right": ReportFormat.number(right),
                "axisY": ReportFormat.number(bottom), "weekLabelY": "214", "yearLabelY": "230", "bars": bars, "grid": grid]
    }

    /// Owner units with the most accounts not passing, longest bar first; the rest summed.
    static func failuresByOwner(_ owners: [WeeklyReport.OwnerFailures], limit: Int = 15) -> [String: Any] {
        var shown = Array(owners.prefix(limit)).map { ($0.owner, $0.failing, $0.accounts) }
        if owners.count > limit {
            let rest = owners.dropFirst(limit)
            shown.append(("其他 \(rest.count) 个单位", rest.reduce(0) { $0 + $1.failing }, rest.reduce(0) { $0 + $1.accounts }))
        }
        let rowHeight = 26.0, labelRight = 196.0, barLeft = 204.0, barMax = 400.0, top = 8.0
        let maxCount = Double(shown.map(\.1).max() ?? 1)
        let rows = shown.enumerated().map { i, row -> [String: Any] in
            let y = top + Double(i) * rowHeight
            let w = max(2, barMax * Double(row.1) / maxCount)
            return ["label": ReportFormat.clip(row.0, 14), "fullLabel": row.0, "labelX": ReportFormat.number(labelRight),
                    "textY": ReportFormat.number(y + 17), "x": ReportFormat.number(barLeft), "y": ReportFormat.number(y + 4),
                    "width": ReportFormat.number(w), "height": ReportFormat.number(rowHeight - 8),
                    "valueX": ReportFormat.number(barLeft + w + 6), "value": "\(row.1)/\(row.2)"]
        }
        return ["width": "680", "height": ReportFormat.number(top * 2 + Double(rows.count) * rowHeight), "rows": rows]
    }
}
