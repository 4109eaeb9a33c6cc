import Foundation

/// The one reader of dates written as text: a post's publication date as pages and feeds
/// print it (`read`), and a date asked for on its own — a 三审 ledger's signing time,
/// `--at`, a time the store kept — which must be the whole text (`readExact`).
///
/// One forward scan over at most ``scanLimit`` Unicode scalars, integer arithmetic only (no
/// `DateFormatter`, `Calendar` or regular expressions): it runs once per feed entry and list
/// item, so it has to cost well under a microsecond.
///
/// Decisions worth knowing:
/// - The **first date-like run** decides. If it has the shape of a date but names an impossible
///   one (`2026-02-30`, `13月5日`, `2026-11-05 25:00`) the answer is nil: a later number in the
///   same text is more likely noise than the real date, and a wrong date is worse than none.
/// - A date without a time means **00:00 in the default zone**, as `readExact` reads one.
///   `昨天`, `前天` and `今天` without a time mean the start of that day too: the exact time is
///   unknown, the start is the conservative (older) reading, and a post from 昨天 is still
///   within any staleness window of a day or more either way.
/// - `CST` is read as **China Standard Time (+08:00)**, not US Central (−06:00): the feeds this
///   monitor reads are Chinese, and Java's `Date.toString()` — behind many government CMSs —
///   prints `CST` for Asia/Shanghai. `CDT` stays US Central Daylight (−05:00).
/// - Military single-letter zones other than `Z` are read as UTC, as RFC 2822 §4.3 advises
///   (RFC 822 got their signs backwards, so they carry no trustworthy offset). An unknown
///   alphabetic zone falls back to the default zone.
/// - A zone must be a **whole token**: a named zone (`GMT`, `UTC`, `CST`, …) is a word of its
///   own, and a single letter counts only as `Z` written straight after the time (`10:20Z`) or
///   as the last token of the text (`10:20:00 A`). List items run the date into the title
///   (`2026-11-05 10:20 A级景区…`), and that `A` is no zone.
/// - Month names are **whole words**: `Dec`, `Dec.`, `Sept`, `December`, never the start of a
///   longer word (`Decision 12, 2026` names no month).
/// - The weekday is skipped, never checked: feeds get it wrong more often than the date.
/// - Compact 8-digit dates (`20200731`) are not read: in list pages they are mostly URL
///   fragments (`t20200731_123.html`) that differ from the date shown.
/// - Year-less `MM-DD` / `MM/DD` need two digits each and must not touch other numbers or
///   separators, so ranges (`1-2`), decimals (`3.14`) and path pieces (`/07/31/`) are not taken
///   for dates. The year is the latest one that puts the date on or before today (by day, in
///   the default zone), so a post stamped a little later today is not pushed back a year.
/// - Chinese-numeral dates (`二〇二六年十一月五日`) are not read.
public enum TextDate {
    /// How many scalars are looked at: dates sit near the start of a date field or line, and a
    /// bound keeps pathological inputs (10 KB of junk) as cheap as typical ones.
    static let scanLimit = 200

    /// The instant `text` names, or nil when no date can be read. `now` is the fetch time (for
    /// relative forms and year-less dates); zone defaults to China Standard Time.
    public static func read(_ text: String, now: Date, defaultOffset: Int = ChinaTime.offsetSeconds) -> Date? {
        scan(text, now: now, defaultOffset: defaultOffset) { $0.run() }
    }

    /// The instant when the whole of `text` (blanks around it aside) is one year-first date
    /// with an optional time and zone — `2026-11-05T10:20:00+08:00`, `2026/11/5 9:05`,
    /// `2026年11月5日 10:20`, `2026-11-05` (China midnight) — else nil. What people and
    /// programs write where a date is asked for: a 三审 ledger's signing time, `--at`, a
    /// stored time; never a relative or year-less date, and nothing before or after it.
    public static func readExact(_ text: String, defaultOffset: Int = ChinaTime.offsetSeconds) -> Date? {
        // `now` is never consulted: the exact form has no relative or year-less dates.
        scan(text, now: Date(timeIntervalSince1970: 0), defaultOffset: defaultOffset, exact: true) { $0.exact() }
    }

    private static func scan(_ text: String, now: Date, defaultOffset: Int, exact: Bool = false,
                             _ body: (DateScanner) -> Date?) -> Date? {
        // A stack buffer of folded scalars: no heap allocation per call.
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: scanLimit) { buffer -> Date? in
            var count = 0
            var complete = true
            // Scalars decoded straight from the (valid) UTF-8 bytes; the scalar view's
            // iterator cost more than the scan itself.
            var text = text
            text.makeContiguousUTF8()
            let done: Void? = text.utf8.withContiguousStorageIfAvailable { p in
                var i = 0
                let n = p.count
                while i < n {
                    if count == scanLimit {
                        complete = false
                        break
                    }
                    let b = UInt32(p[i])
                    var v: UInt32
                    if b < 0x80 {
                        v = b
                        i += 1
                    } else if b < 0xE0 {
                        v = (b & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F)
                        i += 2
                    } else if b < 0xF0 {
                        v = (b & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F)
                        i += 3
                    } else {
                        v = (b & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12 | UInt32(p[i + 2] & 0x3F) << 6
                            | UInt32(p[i + 3] & 0x3F)
                        i += 4
                    }
                    buffer[count] = fold(v)
                    count += 1
                }
            }
            if done == nil {
                for scalar in text.unicodeScalars {
                    if count == scanLimit {
                        complete = false
                        break
                    }
                    buffer[count] = fold(scalar.value)
                    count += 1
                }
            }
            let scanner = DateScanner(s: UnsafeBufferPointer(rebasing: buffer[0..<count]),
                                      now: now, offset: defaultOffset, complete: complete, wholeText: exact)
            return body(scanner)
        }
    }

    /// Full-width ASCII (`２０２６－１１－０５　１０：２０`) becomes ASCII and every kind of blank
    /// becomes a plain space, so the grammar below is written once.
    @inline(__always)
    private static func fold(_ v: UInt32) -> UInt32 {
        switch v {
        case 0xFF01...0xFF5E: v - 0xFEE0
        case 0x09, 0x0A, 0x0D, 0xA0, 0x3000, 0x2002...0x200B: 0x20
        default: v
        }
    }
}

// MARK: - The scanner

/// Scalars the grammar names (simplified Chinese, as mainland pages print them).
private enum Glyph {
    static let year: UInt32 = 0x5E74        // 年
    static let month: UInt32 = 0x6708       // 月
    static let day: UInt32 = 0x65E5         // 日
    static let hao: UInt32 = 0x53F7         // 号 (colloquial day)
    static let hourShi: UInt32 = 0x65F6     // 时
    static let hourDian: UInt32 = 0x70B9    // 点
    static let minute: UInt32 = 0x5206      // 分
    static let zhong: UInt32 = 0x949F       // 钟
    static let second: UInt32 = 0x79D2      // 秒
    static let small: UInt32 = 0x5C0F       // 小
    static let ge: UInt32 = 0x4E2A          // 个
    static let tian: UInt32 = 0x5929        // 天
    static let week: UInt32 = 0x5468        // 周
    static let xing: UInt32 = 0x661F        // 星
    static let qi: UInt32 = 0x671F          // 期
    static let before: UInt32 = 0x524D     // 前
    static let gang: UInt32 = 0x521A        // 刚
    static let cai: UInt32 = 0x624D         // 才
    static let jin: UInt32 = 0x4ECA         // 今
    static let zuo: UInt32 = 0x6628         // 昨
    static let shang: UInt32 = 0x4E0A       // 上
    static let xia: UInt32 = 0x4E0B         // 下
    static let wu: UInt32 = 0x5348          // 午
    static let wan: UInt32 = 0x665A         // 晚
    static let space: UInt32 = 0x20
}

/// Full English month names, lower-case, as scalars: a name longer than three letters must
/// be one of these whole.
private enum PublishedMonthNames {
    static let full: [[UInt32]] = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ].map { $0.unicodeScalars.map(\.value) }
}

/// What one attempt at a position found.
private enum Attempt {
    /// Not a date here; keep scanning.
    case none
    /// Shaped like a date but not a real one: the whole read fails.
    case impossible
    case date(Date)
}

/// What was found where a time may follow a date.
private enum TimeRead {
    case absent
    /// Printed but impossible (`25:00`, `13 PM`).
    case invalid
    /// The time and the index just after it (and its zone).
    case time(TimeOfDay, Int)
}

/// A time of day read after a date.
private struct TimeOfDay {
    var hour = 0, minute = 0, second = 0
    var fraction = 0.0
    /// The zone offset printed after the time, if any.
    var offset: Int?
}

private struct DateScanner {
    let s: UnsafeBufferPointer<UInt32>
    let now: Date
    let offset: Int
    /// Whether `s` holds the whole text (not cut at the scan limit): only then is its end
    /// the text's end, where a lone zone letter may stand.
    let complete: Bool
    /// Reading a whole-text date: a lone letter after the time is a typo, not a military zone
    /// (only `Z` means UTC), since a signing time 8 hours off would pass unnoticed.
    let wholeText: Bool

    @inline(__always) func at(_ i: Int) -> UInt32 { i < s.count ? s[i] : 0 }
    @inline(__always) func isDigit(_ c: UInt32) -> Bool { c &- 0x30 < 10 }
    @inline(__always) func isLetter(_ c: UInt32) -> Bool { (c | 0x20) &- 0x61 < 26 }
    @inline(__always) func isAlnum(_ c: UInt32) -> Bool { isDigit(c) || isLetter(c) || c == 0x5F }

    /// End of the run of digits starting at `i`.
    @inline(__always) func digitEnd(_ i: Int) -> Int {
        var j = i
        while j < s.count, isDigit(s[j]) { j += 1 }
        return j
    }

    /// The value of digits `i..<j`; callers keep runs short (≤ 9 digits), so no overflow.
    @inline(__always) func value(_ i: Int, _ j: Int) -> Int {
        var v = 0
        for k in i..<j { v = v * 10 + Int(s[k] &- 0x30) }
        return v
    }

    /// A run of 1...`maxLength` digits at `i`, or nil (a longer run is not this field).
    @inline(__always) func number(_ i: Int, maxLength: Int) -> (value: Int, end: Int)? {
        let j = digitEnd(i)
        guard j > i, j - i <= maxLength else { return nil }
        return (value(i, j), j)
    }

    @inline(__always) func skipSpaces(_ i: Int) -> Int {
        var j = i
        while j < s.count, s[j] == Glyph.space { j += 1 }
        return j
    }

    func run() -> Date? {
        var i = 0
        let n = s.count
        while i < n {
            let c = s[i]
            if isDigit(c) {
                let end = digitEnd(i)
                switch numeric(i, end) {
                case .date(let d): return d
                case .impossible: return nil
                case .none: break
                }
                i = end
                continue
            }
            if isLetter(c) {
                var end = i + 1
                while end < n, isLetter(s[end]) { end += 1 }
                switch monthFirst(i, end) {
                case .date(let d): return d
                case .impossible: return nil
                case .none: break
                }
                i = end
                continue
            }
            switch c {
            case Glyph.gang where at(i + 1) == Glyph.gang || at(i + 1) == Glyph.cai:
                return now
            case Glyph.jin where at(i + 1) == Glyph.tian:
                return relativeDay(0, i + 2)
            case Glyph.zuo where at(i + 1) == Glyph.tian:
                return relativeDay(-1, i + 2)
            case Glyph.before where at(i + 1) == Glyph.tian:
                return relativeDay(-2, i + 2)
            default:
                i += 1
            }
        }
        return nil
    }

    // MARK: Forms starting with digits

    /// Tries every form that starts with the digit run `i..<end`.
    func numeric(_ i: Int, _ end: Int) -> Attempt {
        let length = end - i
        if length == 4 { return yearFirst(i, end) }
        guard length <= 9 else { return .none }
        let ago = relativeAgo(i, end)
        if case .none = ago {} else { return ago }
        guard length <= 2 else { return .none }
        let lead = value(i, end)
        let next = at(end)
        if next == Glyph.space || next == 0x2D /* - */ {
            let rfc = dayMonthYear(lead, end)
            if case .none = rfc {} else { return rfc }
        }
        // Year-less forms must not continue a path, a range or a decimal.
        let before = i > 0 ? s[i - 1] : Glyph.space
        if isAlnum(before) || before == 0x2D || before == 0x2F || before == 0x2E || before == 0x3A {
            return .none
        }
        var j = skipSpaces(end)
        if at(j) == Glyph.month {
            j = skipSpaces(j + 1)
            guard let (day, dayEnd) = number(j, maxLength: 2) else { return .none }
            j = skipSpaces(dayEnd)
            if at(j) == Glyph.day || at(j) == Glyph.hao { j += 1 }
            return yearless(month: lead, day: day, after: j)
        }
        if length == 2, next == 0x2D || next == 0x2F /* / */ {
            guard let (day, dayEnd) = number(end + 1, maxLength: 2), dayEnd - end == 3 else { return .none }
            // `07/31/2020` is month-day-year, and `12-05-3` is no date at all.
            let after = at(dayEnd)
            if (after == 0x2D || after == 0x2F || after == 0x2E) && isDigit(at(dayEnd + 1)) { return .none }
            guard (1...12).contains(lead), day >= 1, day <= CivilDate.daysIn(month: lead, year: 2000) else {
                return .none
            }
            return yearless(month: lead, day: day, after: dayEnd)
        }
        return .none
    }

    /// The whole text as one year-first date, with an optional time and zone.
    func exact() -> Date? {
        guard complete else { return nil }
        let i = skipSpaces(0)
        let end = digitEnd(i)
        guard end - i == 4, case .date(let date, let j) = yearFirstDate(i, end) else { return nil }
        switch timeOfDay(j, allowT: true) {
        case .absent:
            return skipSpaces(j) == s.count ? instant(date, TimeOfDay()) : nil
        case .invalid:
            return nil
        case .time(let t, let k):
            return skipSpaces(k) == s.count ? instant(date, t) : nil
        }
    }

    /// `2026-11-05`, `2026/11/5`, `2026.11.05`, `2026年11月5日`, each with an optional time.
    func yearFirst(_ i: Int, _ end: Int) -> Attempt {
        switch yearFirstDate(i, end) {
        case .none: return .none
        case .impossible: return .impossible
        case .date(let date, let j): return finish(date, after: j, allowT: true)
        }
    }

    /// What `yearFirstDate` found.
    enum DayRead {
        case none, impossible
        /// The date and the index just after it.
        case date(CivilDate, Int)
    }

    /// The date of `yearFirst`, without its time.
    func yearFirstDate(_ i: Int, _ end: Int) -> DayRead {
        let year = value(i, end)
        let sep = at(end)
        var month: Int, day: Int, j: Int
        if sep == 0x2D || sep == 0x2F || sep == 0x2E {
            guard let m = number(end + 1, maxLength: 2), at(m.end) == sep,
                  let d = number(m.end + 1, maxLength: 2) else { return .none }
            (month, day, j) = (m.value, d.value, d.end)
        } else {
            j = skipSpaces(end)
            guard at(j) == Glyph.year else { return .none }
            j = skipSpaces(j + 1)
            guard let m = number(j, maxLength: 2) else { return .none }
            j = skipSpaces(m.end)
            guard at(j) == Glyph.month else { return .none }
            j = skipSpaces(j + 1)
            // `2026年11月` alone is a month, not a publication date.
            guard let d = number(j, maxLength: 2) else { return .none }
            (month, day, j) = (m.value, d.value, d.end)
            let k = skipSpaces(j)
            if at(k) == Glyph.day || at(k) == Glyph.hao { j = k + 1 }
        }
        // Four digits outside this range are codes and phone prefixes, not years.
        guard (1900...2199).contains(year) else { return .none }
        guard let date = CivilDate(year: year, month: month, day: day) else { return .impossible }
        return .date(date, j)
    }

    /// RFC 822 / 1123 and RFC 850: `05 Nov 2026 10:20:00 +0800`, `5-Nov-26`.
    func dayMonthYear(_ day: Int, _ end: Int) -> Attempt {
        var j = end
        while at(j) == Glyph.space || at(j) == 0x2D { j += 1 }
        guard let (month, monthEnd) = monthName(j) else { return .none }
        j = monthEnd
        while at(j) == Glyph.space || at(j) == 0x2D || at(j) == 0x2C /* , */ { j += 1 }
        let yearEnd = digitEnd(j)
        guard yearEnd - j == 2 || yearEnd - j == 4 else { return .none }
        let year = fullYear(value(j, yearEnd), digits: yearEnd - j)
        guard (1900...2199).contains(year) else { return .none }
        guard let date = CivilDate(year: year, month: month, day: day) else { return .impossible }
        return finish(date, after: yearEnd, allowT: false)
    }

    /// RFC 2822 §4.3: two-digit years 00–49 are 20xx, 50–99 are 19xx.
    func fullYear(_ y: Int, digits: Int) -> Int {
        guard digits == 2 else { return y }
        return y < 50 ? 2000 + y : 1900 + y
    }

    /// `N秒前`, `N分钟前`, `N小时前`, `N天前`, `N周前`, `N个月前`.
    func relativeAgo(_ i: Int, _ end: Int) -> Attempt {
        var j = skipSpaces(end)
        var unit = 0
        switch at(j) {
        case Glyph.second: unit = 1; j += 1
        case Glyph.minute: unit = 60; j += at(j + 1) == Glyph.zhong ? 2 : 1
        case Glyph.small where at(j + 1) == Glyph.hourShi: unit = 3600; j += 2
        case Glyph.ge where at(j + 1) == Glyph.small && at(j + 2) == Glyph.hourShi: unit = 3600; j += 3
        case Glyph.tian: unit = 86_400; j += 1
        case Glyph.week: unit = 7 * 86_400; j += 1
        case Glyph.xing where at(j + 1) == Glyph.qi: unit = 7 * 86_400; j += 2
        case Glyph.ge where at(j + 1) == Glyph.xing && at(j + 2) == Glyph.qi: unit = 7 * 86_400; j += 3
        case Glyph.ge where at(j + 1) == Glyph.month: unit = -1; j += 2
        default: return .none
        }
        j = skipSpaces(j)
        guard at(j) == Glyph.before else { return .none }
        let n = value(i, end)
        if unit > 0 { return .date(now.addingTimeInterval(-Double(n * unit))) }
        // Months are calendar months: same day-of-month and time, clamped to the month's end.
        let (today, secondOfDay) = ChinaTime.civil(now, offset: offset)
        let total = today.year * 12 + (today.month - 1) - n
        let (y, m) = (total / 12, total % 12 + 1)
        guard y >= 1, let date = CivilDate(year: y, month: m, day: min(today.day, CivilDate.daysIn(month: m, year: y))) else {
            return .none
        }
        let whole = Double(Int(now.timeIntervalSince1970.rounded(.down)))
        return .date(ChinaTime.instant(date, second: secondOfDay, offset: offset)
            .addingTimeInterval(now.timeIntervalSince1970 - whole))
    }

    // MARK: Forms starting with letters

    /// `Nov 05 2026 10:20`, `Nov 5, 2026`, and Java's `Nov 05 10:20:00 CST 2026` (after the
    /// weekday, which the scan has already stepped over).
    func monthFirst(_ i: Int, _ end: Int) -> Attempt {
        guard let (month, monthEnd) = monthName(i) else { return .none }
        var j = skipSpaces(monthEnd)
        guard j > monthEnd, let (day, dayEnd) = number(j, maxLength: 2) else { return .none }
        j = dayEnd
        if at(j) == 0x2C { j += 1 }
        j = skipSpaces(j)
        let yearEnd = digitEnd(j)
        if yearEnd - j == 4, at(yearEnd) != 0x3A /* : */ {
            let year = value(j, yearEnd)
            guard (1900...2199).contains(year) else { return .none }
            guard let date = CivilDate(year: year, month: month, day: day) else { return .impossible }
            return finish(date, after: yearEnd, allowT: false)
        }
        // Java's order: the time and zone come before the year.
        let t: TimeOfDay, timeEnd: Int
        switch timeOfDay(dayEnd, allowT: false) {
        case .absent: return .none
        case .invalid: return .impossible
        case .time(let read, let readEnd): (t, timeEnd) = (read, readEnd)
        }
        let y = skipSpaces(timeEnd)
        let yEnd = digitEnd(y)
        guard y > timeEnd, yEnd - y == 4 else { return .none }
        let year = value(y, yEnd)
        guard (1900...2199).contains(year) else { return .none }
        guard let date = CivilDate(year: year, month: month, day: day) else { return .impossible }
        return .date(instant(date, t))
    }

    /// An English month name at `i`, as a whole word: a three-letter abbreviation (`Sept`
    /// too) with an optional `.`, or the full name, in any case. Returns the month and the
    /// index after the word (and its dot). `Decision` or `Marching` is no month.
    func monthName(_ i: Int) -> (Int, Int)? {
        var end = i
        while end < s.count, isLetter(s[end]) { end += 1 }
        let length = end - i
        guard length >= 3, length <= 9, i == 0 || !isLetter(s[i - 1]) else { return nil }
        let key = (s[i] | 0x20) << 16 | (s[i + 1] | 0x20) << 8 | (s[i + 2] | 0x20)
        let month: Int
        switch key {
        case 0x6A616E: month = 1   // jan
        case 0x666562: month = 2   // feb
        case 0x6D6172: month = 3   // mar
        case 0x617072: month = 4   // apr
        case 0x6D6179: month = 5   // may
        case 0x6A756E: month = 6   // jun
        case 0x6A756C: month = 7   // jul
        case 0x617567: month = 8   // aug
        case 0x736570: month = 9   // sep
        case 0x6F6374: month = 10  // oct
        case 0x6E6F76: month = 11  // nov
        case 0x646563: month = 12  // dec
        default: return nil
        }
        if length > 3 {
            // Longer than the abbreviation: only the full name, or `Sept`.
            let full = PublishedMonthNames.full[month - 1]
            let isSept = month == 9 && length == 4 && (s[i + 3] | 0x20) == 0x74
            guard isSept || (length == full.count && zip(full, s[i..<end]).allSatisfy({ $0 == ($1 | 0x20) })) else {
                return nil
            }
        }
        if at(end) == 0x2E /* . */, length < 5 { end += 1 }
        return (month, end)
    }

    // MARK: Year-less and relative days

    /// `11-05`, `11月5日`: the latest such date on or before today in the default zone.
    func yearless(month: Int, day: Int, after j: Int) -> Attempt {
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: 2000) else {
            return .impossible
        }
        let today = ChinaTime.civil(now, offset: offset).date
        // Eight years always reach a 29 February.
        for year in stride(from: today.year, through: today.year - 8, by: -1) {
            if let date = CivilDate(year: year, month: month, day: day), date <= today {
                return finish(date, after: j, allowT: false)
            }
        }
        return .impossible
    }

    /// `今天`, `昨天`, `前天`, with an optional time; without one, the start of that day.
    func relativeDay(_ delta: Int, _ j: Int) -> Date? {
        let today = ChinaTime.civil(now, offset: offset).date
        switch finish(today.adding(days: delta), after: j, allowT: false) {
        case .date(let d): return d
        case .impossible, .none: return nil
        }
    }

    // MARK: Time and zone

    /// The date at `after`'s optional time and zone.
    func finish(_ date: CivilDate, after j: Int, allowT: Bool) -> Attempt {
        switch timeOfDay(j, allowT: allowT) {
        case .absent: return .date(instant(date, TimeOfDay()))
        case .invalid: return .impossible
        case .time(let t, _): return .date(instant(date, t))
        }
    }

    func instant(_ date: CivilDate, _ t: TimeOfDay) -> Date {
        let base = ChinaTime.instant(date, hour: t.hour, minute: t.minute, second: t.second,
                                     offset: t.offset ?? offset)
        return t.fraction == 0 ? base : base.addingTimeInterval(t.fraction)
    }

    /// A time at `i`, after blanks (or a `T` when `allowT`), with its zone if one follows.
    func timeOfDay(_ i: Int, allowT: Bool) -> TimeRead {
        var j = i
        if allowT, at(j) == 0x54 || at(j) == 0x74, isDigit(at(j + 1)) { j += 1 } else { j = skipSpaces(j) }
        // 上午 / 下午 / 晚上 before the time.
        var meridiem = 0
        if at(j + 1) == Glyph.wu, at(j) == Glyph.shang || at(j) == Glyph.xia {
            meridiem = at(j) == Glyph.shang ? 1 : 2
            j = skipSpaces(j + 2)
        } else if at(j) == Glyph.wan, at(j + 1) == Glyph.shang {
            meridiem = 2
            j = skipSpaces(j + 2)
        }
        guard let (hour, hourEnd) = number(j, maxLength: 2) else { return .absent }
        var t = TimeOfDay()
        t.hour = hour
        j = hourEnd
        let mark = at(j)
        if mark == 0x3A {
            let minuteEnd = digitEnd(j + 1)
            guard minuteEnd - j == 3 else { return .absent }
            t.minute = value(j + 1, minuteEnd)
            j = minuteEnd
            if at(j) == 0x3A {
                let secondEnd = digitEnd(j + 1)
                if secondEnd - j == 3 {
                    t.second = value(j + 1, secondEnd)
                    j = secondEnd
                    if at(j) == 0x2E || at(j) == 0x2C, isDigit(at(j + 1)) {
                        var scale = 0.1
                        j += 1
                        while j < s.count, isDigit(s[j]) {
                            t.fraction += Double(s[j] &- 0x30) * scale
                            scale /= 10
                            j += 1
                        }
                    }
                }
            }
        } else if mark == Glyph.hourShi || mark == Glyph.hourDian {
            j += 1
            if let (minute, minuteEnd) = number(j, maxLength: 2), at(minuteEnd) == Glyph.minute {
                t.minute = minute
                j = minuteEnd + 1
                if let (second, secondEnd) = number(j, maxLength: 2), at(secondEnd) == Glyph.second {
                    t.second = second
                    j = secondEnd + 1
                }
            } else if mark == Glyph.hourDian, at(j) == 0x534A /* 半 */ {
                t.minute = 30
                j += 1
            }
        } else {
            return .absent
        }
        // AM / PM after the time.
        let k = skipSpaces(j)
        if isLetter(at(k)), (at(k + 1) | 0x20) == 0x6D, !isLetter(at(k + 2)) {
            switch at(k) | 0x20 {
            case 0x61: meridiem = 1; j = k + 2
            case 0x70: meridiem = 2; j = k + 2
            default: break
            }
        }
        if meridiem != 0 {
            guard (1...12).contains(t.hour) else { return .invalid }
            t.hour = t.hour % 12 + (meridiem == 2 ? 12 : 0)
        }
        guard t.hour < 24, t.minute < 60, t.second <= 60 else { return .invalid }
        if let (zone, zoneEnd) = zoneOffset(j) {
            t.offset = zone
            j = zoneEnd
        }
        return .time(t, j)
    }

    /// A zone after a time: `Z`, `+08:00`, `+0800`, `+08`, `GMT`, `UTC+8`, `EST`, … A named
    /// zone must be a word of its own; a single letter only `Z` right after the time, or the
    /// last token of the text (see the type's notes).
    func zoneOffset(_ i: Int) -> (Int, Int)? {
        let j = skipSpaces(i)
        let c = at(j)
        if c == 0x2B || c == 0x2D { return numericOffset(j) }
        guard isLetter(c) else { return nil }
        var end = j + 1
        while end < s.count, isLetter(s[end]) { end += 1 }
        if end - j == 1 {
            if wholeText, (c | 0x20) != 0x7A { return nil }
            let attachedZ = j == i && (c | 0x20) == 0x7A
            let lastToken = complete && skipSpaces(end) == s.count
            guard attachedZ || lastToken else { return nil }
        }
        var key: UInt32 = 0
        guard end - j <= 4 else { return nil }
        for k in j..<end { key = key << 8 | (s[k] & ~0x20) }
        switch key {
        case 0x5554, 0x555443, 0x474D54:  // UT, UTC, GMT
            if let (extra, extraEnd) = numericOffset(end) { return (extra, extraEnd) }
            return (0, end)
        case 0x455354: return (-5 * 3600, end)  // EST
        case 0x454454: return (-4 * 3600, end)  // EDT
        case 0x435354: return (8 * 3600, end)   // CST: China, see the type's notes
        case 0x434454: return (-5 * 3600, end)  // CDT
        case 0x4D5354: return (-7 * 3600, end)  // MST
        case 0x4D4454: return (-6 * 3600, end)  // MDT
        case 0x505354: return (-8 * 3600, end)  // PST
        case 0x504454: return (-7 * 3600, end)  // PDT
        default:
            // Military letters (J is unused): UTC per RFC 2822 §4.3; `Z` is UTC anyway.
            if end - j == 1, key != 0x4A { return (0, end) }
            return nil
        }
    }

    /// `+hh:mm`, `+hhmm`, `+hh` or `+h` at `j` (a sign there); nil unless it is a real offset.
    func numericOffset(_ j: Int) -> (Int, Int)? {
        let c = at(j)
        guard c == 0x2B || c == 0x2D else { return nil }
        let sign = c == 0x2B ? 1 : -1
        let end = digitEnd(j + 1)
        var hours = 0, minutes = 0, last = end
        switch end - j - 1 {
        case 1, 2:
            hours = value(j + 1, end)
            if at(end) == 0x3A {
                let mEnd = digitEnd(end + 1)
                guard mEnd - end == 3 else { return nil }
                minutes = value(end + 1, mEnd)
                last = mEnd
            }
        case 4:
            hours = value(j + 1, j + 3)
            minutes = value(j + 3, end)
        default:
            return nil
        }
        guard hours <= 14, minutes < 60 else { return nil }
        return (sign * (hours * 3600 + minutes * 60), last)
    }
}
