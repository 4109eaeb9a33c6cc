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

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

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
        return String(format: "%@T%02d:%02d:%02d+08:00", day.description, sod / 3600, sod % 3600 / 60, sod % 60)
    }

    /// `05 Nov 2026 10:20:00 +0800`: RFC 822 in China time, as feeds print dates.
    public static func rfc822(_ date: Date) -> String {
        let (day, sod) = civil(date)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return String(format: "%02d %@ %04d %02d:%02d:%02d +0800", day.day, months[day.month - 1], day.year, sod / 3600, sod % 3600 / 60, sod % 60)
    }

    /// `2026-11-05 10:20`: the short form for terminal tables.
    public static func short(_ date: Date) -> String {
        let (day, sod) = civil(date)
        return String(format: "%@ %02d:%02d", day.description, sod / 3600, sod % 3600 / 60)
    }

    /// Reads an RFC 3339 time (`2026-11-05T10:20:00+08:00`, `…Z`, fractional seconds
    /// allowed) or a bare date taken as China midnight.
    public static func parseISO(_ text: String) -> Date? {
        ISOTimestamp.parse(text)
    }

    /// Today's date in China.
    public static func today(_ now: Date = Date()) -> CivilDate { civil(now).date }
}

/// A strict RFC 3339 reader shared by the CLI's `--at` and the feed parser.
enum ISOTimestamp {
    static func parse(_ text: String) -> Date? {
        let s = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        guard s.count >= 10, let day = date(s) else { return nil }
        if s.count == 10 { return ChinaTime.instant(day) }
        guard s[10] == UInt8(ascii: "T") || s[10] == UInt8(ascii: " "), s.count >= 16,
              let h = num(s, 11, 2), s[13] == UInt8(ascii: ":"), let mi = num(s, 14, 2) else { return nil }
        var i = 16
        var sec = 0
        var frac = 0.0
        if i < s.count, s[i] == UInt8(ascii: ":") {
            guard let v = num(s, i + 1, 2) else { return nil }
            sec = v
            i += 3
            if i < s.count, s[i] == UInt8(ascii: ".") || s[i] == UInt8(ascii: ",") {
                var j = i + 1
                var scale = 0.1
                while j < s.count, (48...57).contains(s[j]) { frac += Double(s[j] - 48) * scale; scale /= 10; j += 1 }
                i = j
            }
        }
        guard h < 24, mi < 60, sec < 61 else { return nil }
        var offset = ChinaTime.offsetSeconds
        if i < s.count {
            if s[i] == UInt8(ascii: "Z") || s[i] == UInt8(ascii: "z") {
                offset = 0
                i += 1
            } else if s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
                let sign = s[i] == UInt8(ascii: "+") ? 1 : -1
                guard let oh = num(s, i + 1, 2) else { return nil }
                var j = i + 3
                if j < s.count, s[j] == UInt8(ascii: ":") { j += 1 }
                guard let om = num(s, j, 2) else { return nil }
                offset = sign * (oh * 3600 + om * 60)
                i = j + 2
            }
            guard i == s.count else { return nil }
        }
        return ChinaTime.instant(day, hour: h, minute: mi, second: sec, offset: offset).addingTimeInterval(frac)
    }

    private static func date(_ s: [UInt8]) -> CivilDate? {
        guard let y = num(s, 0, 4), s[4] == UInt8(ascii: "-"), let m = num(s, 5, 2),
              s[7] == UInt8(ascii: "-"), let d = num(s, 8, 2) else { return nil }
        return CivilDate(year: y, month: m, day: d)
    }

    private static func num(_ s: [UInt8], _ at: Int, _ len: Int) -> Int? {
        guard at + len <= s.count else { return nil }
        var v = 0
        for k in at..<(at + len) {
            guard (48...57).contains(s[k]) else { return nil }
            v = v * 10 + Int(s[k] - 48)
        }
        return v
    }
}
