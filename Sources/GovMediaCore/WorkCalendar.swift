import Foundation

/// The official working-day calendar: national holidays (放假) and the make-up working days
/// (调休上班) the State Council announces each year, from `rules/calendar.yaml`.
///
/// A day in a year the calendar does not cover is counted by weekends only, and whatever is
/// computed from it is marked estimated (按周末估算) — never a silent guess.
public struct WorkCalendar: Sendable, Equatable {
    /// Years the file covers (announced by the State Council).
    public var years: Set<Int>
    /// Holidays, by day.
    public var holidays: Set<CivilDate>
    /// Weekend days that are working days (调休).
    public var workdays: Set<CivilDate>

    public init(years: Set<Int> = [], holidays: Set<CivilDate> = [], workdays: Set<CivilDate> = []) {
        self.years = years
        self.holidays = holidays
        self.workdays = workdays
    }

    /// Whether `day` is a working day: a make-up day always is, a holiday never, otherwise
    /// Monday to Friday.
    public func isWorkingDay(_ day: CivilDate) -> Bool {
        if workdays.contains(day) { return true }
        if holidays.contains(day) { return false }
        return day.isoWeekday <= 5
    }

    /// Whether `day`'s year is in the file.
    public func covers(_ day: CivilDate) -> Bool { years.contains(day.year) }

    /// The `n`th working day after `start` (`start` itself not counted), and whether any day
    /// counted lay in a year the calendar does not cover (then the result is an estimate).
    public func addingWorkingDays(_ n: Int, to start: CivilDate) -> (day: CivilDate, estimated: Bool) {
        var day = start
        var left = max(0, n)
        var estimated = false
        while left > 0 {
            day = day.adding(days: 1)
            if !covers(day) { estimated = true }
            if isWorkingDay(day) { left -= 1 }
        }
        return (day, estimated)
    }

    /// Working days after `from` up to and including `to` (0 when `to` is not later).
    public func workingDays(after from: CivilDate, through to: CivilDate) -> Int {
        guard to > from else { return 0 }
        var count = 0
        var day = from.adding(days: 1)
        while day <= to {
            if isWorkingDay(day) { count += 1 }
            day = day.adding(days: 1)
        }
        return count
    }

    /// The years between two days (inclusive) the calendar lacks, for warnings.
    public func missingYears(from: CivilDate, to: CivilDate) -> [Int] {
        guard from.year <= to.year else { return [] }
        return (from.year...to.year).filter { !years.contains($0) }
    }

    /// The words shown beside a deadline counted (partly) by weekends only.
    public static let estimatedNote = "按周末估算"
}
