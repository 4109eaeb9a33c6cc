import Foundation
import GovMediaCore

/// Warnings about rectification the office must see: deadlines counted by weekends only
/// because the calendar lacks a year. Shown by `status`, logged by the daemon, printed in
/// the weekly report until the year is added to `rules/calendar.yaml`.
public enum RectificationWarnings {
    public static func current(_ store: Store) throws(StoreError) -> [String] {
        let estimated = try store.rectifications(RectificationFilter(states: [.open])).filter(\.deadlineEstimated)
        guard !estimated.isEmpty else { return [] }
        let years = Set(estimated.map(\.deadline.year)).sorted().map(String.init).joined(separator: "、")
        return ["\(estimated.count) 个整改事项的时限按周末估算：规则目录的 calendar.yaml 没有 \(years) 年的节假日安排，请在国务院办公厅发布通知后补充"]
    }
}
