import Foundation
import GovMediaCore

/// When the next scan is due. Pure, so the schedule is tested without waiting.
public enum ScanSchedule {
    /// The next scan time after `last` (the previous scan's start; nil when none has run:
    /// an interval schedule then scans at once).
    public static func next(_ schedule: DaemonConfig.Schedule, after last: Date?, now: Date) -> Date {
        switch schedule {
        case .interval(let seconds):
            guard let last else { return now }
            return max(now, last.addingTimeInterval(TimeInterval(seconds)))
        case .daily(let times):
            let from = last.map { max($0, now) } ?? now
            let (today, second) = ChinaTime.civil(from)
            for dayOffset in 0...1 {
                for t in times {
                    let candidate = ChinaTime.instant(today.adding(days: dayOffset), hour: t.hour, minute: t.minute)
                    if dayOffset == 1 || t.hour * 3600 + t.minute * 60 > second { return candidate }
                }
            }
            return from.addingTimeInterval(86_400)
        }
    }

    /// The moment this week's report falls due: the configured weekday and time of the ISO
    /// week containing `now` (China time).
    public static func reportDue(_ time: DaemonConfig.ReportTime, weekOf now: Date) -> Date {
        let today = ChinaTime.civil(now).date
        let monday = today.adding(days: 1 - today.isoWeekday)
        return ChinaTime.instant(monday.adding(days: time.weekday - 1), hour: time.hour, minute: time.minute)
    }
}
