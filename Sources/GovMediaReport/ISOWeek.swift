import Foundation
import GovMediaCore

/// An ISO 8601 week (`2026-W05`: Monday to Sunday, week 1 holds the year's first
/// Thursday), read in China Standard Time: the unit the weekly report is made for.
public struct ISOWeek: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The ISO week-numbering year (may differ from the calendar year around New Year).
    public let year: Int
    /// 1…52 or 53.
    public let week: Int

    /// A week that exists, or nil (`2025-W53` is nil: 2025 has 52 weeks).
    public init?(year: Int, week: Int) {
        guard (1...9998).contains(year), week >= 1, week <= ISOWeek.weeks(in: year) else { return nil }
        self.year = year
        self.week = week
    }

    /// Reads exactly `YYYY-Www` (`2026-W05`).
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 3, parts[1].first == "W",
              let y = Int(parts[0]), let w = Int(parts[1].dropFirst()) else { return nil }
        self.init(year: y, week: w)
    }

    /// The week a calendar date falls in.
    public init(containing day: CivilDate) {
        // The ISO year is the year of the week's Thursday.
        let thursday = day.adding(days: 4 - day.isoWeekday)
        year = thursday.year
        week = (thursday.daysSinceEpoch - CivilDate(year: thursday.year, month: 1, day: 1)!.daysSinceEpoch) / 7 + 1
    }

    /// The week an instant falls in, in China.
    public init(containing instant: Date) {
        self.init(containing: ChinaTime.civil(instant).date)
    }

    /// The last complete week before `now` (China time): the report's default.
    public static func lastComplete(before now: Date = Date()) -> ISOWeek {
        ISOWeek(containing: ChinaTime.civil(now).date.adding(days: -7))
    }

    /// The week's Monday.
    public var monday: CivilDate {
        let jan4 = CivilDate(year: year, month: 1, day: 4)!
        return jan4.adding(days: 1 - jan4.isoWeekday + (week - 1) * 7)
    }

    /// The week's Sunday.
    public var sunday: CivilDate { monday.adding(days: 6) }

    /// Monday 00:00 China time: the first instant of the week.
    public var start: Date { ChinaTime.instant(monday) }

    /// The next Monday 00:00 China time: the first instant after the week.
    public var end: Date { ChinaTime.instant(monday.adding(days: 7)) }

    /// The week `n` weeks later (negative: earlier).
    public func adding(weeks n: Int) -> ISOWeek { ISOWeek(containing: monday.adding(days: 7 * n)) }

    /// `2026-W05`.
    public var description: String { String(format: "%04d-W%02d", year, week) }

    /// `2026年第5周`.
    public var chineseName: String { "\(year)年第\(week)周" }

    public static func < (a: ISOWeek, b: ISOWeek) -> Bool { (a.year, a.week) < (b.year, b.week) }

    /// 53 when 28 December (always in the year's last week) falls in week 53.
    static func weeks(in year: Int) -> Int {
        ISOWeek(containing: CivilDate(year: year, month: 12, day: 28)!).week
    }
}
