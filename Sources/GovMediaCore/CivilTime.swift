import Foundation

/// A calendar date with no time or zone (`2026-11-05`), computed with integer arithmetic:
/// faster than `Calendar` on hot paths and the same on every machine.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A real date, or nil (`2026-02-30` is nil).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads exactly `YYYY-MM-DD`.
    public init?(iso: String) {
        let parts = iso.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The date `days` days after 1970-01-01.
    public init(daysSinceEpoch days: Int) {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    /// Days since 1970-01-01 (negative before).
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// ISO weekday: Monday 1 … Sunday 7.
    public var isoWeekday: Int { ((daysSinceEpoch % 7 + 7 + 3) % 7) + 1 }

    public func adding(days: Int) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + days) }

    public var description: String { "\(zeroPadded(year, 4))-\(zeroPadded(month, 2))-\(zeroPadded(day, 2))" }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// China Standard Time (UTC+8, no daylight saving since 1991): the zone every officer's
/// date and every check time is read and shown in unless a page says otherwise.
public enum ChinaTime {
    public static let offsetSeconds = 8 * 3600
    public static let zone = TimeZone(secondsFromGMT: offsetSeconds)!

    /// The civil date and seconds-of-day of an instant at a zone offset.
    public static func civil(_ date: Date, offset: Int = offsetSeconds) -> (date: CivilDate, secondOfDay: Int) {
        let t = Int(date.timeIntervalSince1970.rounded(.down)) + offset
        let days = Int((Double(t) / 86_400).rounded(.down))
        return (CivilDate(daysSinceEpoch: days), t - days * 86_400)
    }

    /// The instant of a civil date and time at a zone offset.
    public static func instant(_ day: CivilDate, hour: Int = 0, minute: Int = 0, second: Int = 0,
                               offset: Int = offsetSeconds) -> Date {
        let t = day.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: TimeInterval(t))
    }

    /// `2026-11-05T10:20:00+08:00`: the form officers read and JSON carries.
    public static func iso8601(_ date: Date) -> String {
        let (day, sod) = civil(date)
        return "\(day)T\(zeroPadded(sod / 3600, 2)):\(zeroPadded(sod % 3600 / 60, 2)):\(zeroPadded(sod % 60, 2))+08:00"
    }

    /// `05 Nov 2026 10:20:00 +0800`: RFC 822 in China time, as feeds print dates.
    public static func rfc822(_ date: Date) -> String {
        let (day, sod) = civil(date)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(zeroPadded(day.day, 2)) \(months[day.month - 1]) \(zeroPadded(day.year, 4)) "
            + "\(zeroPadded(sod / 3600, 2)):\(zeroPadded(sod % 3600 / 60, 2)):\(zeroPadded(sod % 60, 2)) +0800"
    }

    /// `2026-11-05 10:20`: the short form for terminal tables.
    public static func short(_ date: Date) -> String {
        let (day, sod) = civil(date)
        return "\(day) \(zeroPadded(sod / 3600, 2)):\(zeroPadded(sod % 3600 / 60, 2))"
    }

    /// Today's date in China.
    public static func today(_ now: Date = Date()) -> CivilDate { civil(now).date }
}

extension CivilDate: ExpressibleByStringLiteral {
    /// A date written in the source (`"2024-01-01"`): a typo there is a programming error,
    /// caught on the first run. Dates from people and files go through `init?(iso:)`.
    public init(stringLiteral text: String) {
        guard let date = CivilDate(iso: text) else { preconditionFailure("not a YYYY-MM-DD date: \(text)") }
        self = date
    }
}

/// `n` in decimal, zero-padded to `width` digits, as `%0*d` prints it: dates are printed for
/// every row of a status table and every stored time, and Foundation's `String(format:)` cost
/// a seventh of `status` on ten thousand accounts.
@inline(__always)
func zeroPadded(_ n: Int, _ width: Int) -> String {
    guard n >= 0 else { return String(format: "%0*d", width, n) }
    let digits = String(n)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
