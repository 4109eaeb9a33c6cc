import Foundation
import GovMediaCore
import Testing

/// Seconds since 1970 of a civil time at a zone offset (China by default).
private func china(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0,
                offset: Int = 8 * 3600) -> Double {
    ChinaTime.instant(CivilDate(year: y, month: mo, day: d)!, hour: h, minute: mi, second: s, offset: offset)
        .timeIntervalSince1970
}

/// The fetch time most tests use: 2026-11-05 12:00:00 in China.
private let fetchTime = Date(timeIntervalSince1970: china(2026, 11, 5, 12))
/// Just after new year, for year-less dates: 2026-01-03 10:00:00 in China.
private let justAfterNewYear = Date(timeIntervalSince1970: china(2026, 1, 3, 10))

private func seconds(_ text: String, _ now: Date = fetchTime) -> Double? {
    TextDate.read(text, now: now)?.timeIntervalSince1970
}

@Suite("TextDate")
struct PublishedDateTests {
    @Test("helper anchors: 2026-11-05 10:20 China is 1793845200")
    func anchor() {
        #expect(seconds("2026-11-05 10:20") == 1_793_845_200)
        #expect(seconds("Tue, 14 Apr 2026 00:00:00 +0000") == 1_776_124_800)
    }

    @Test("RFC 822 / 1123 dates with numeric and named zones", arguments: [
        ("Tue, 05 Nov 2026 10:20:00 +0800", china(2026, 11, 5, 10, 20)),
        ("Thu, 05 Nov 2026 10:20:00 +0800", china(2026, 11, 5, 10, 20)),  // wrong weekday ignored
        ("05 Nov 2026 10:20 GMT", china(2026, 11, 5, 10, 20, offset: 0)),
        ("05 Nov 2026 10:20:30 UT", china(2026, 11, 5, 10, 20, 30, offset: 0)),
        ("05 Nov 2026 10:20:00 UTC", china(2026, 11, 5, 10, 20, offset: 0)),
        ("05 Nov 2026 10:20:00 Z", china(2026, 11, 5, 10, 20, offset: 0)),
        ("5 Nov 2026 10:20:00 -0500", china(2026, 11, 5, 10, 20, offset: -5 * 3600)),
        ("05 Nov 2026 10:20:00 EST", china(2026, 11, 5, 10, 20, offset: -5 * 3600)),
        ("05 Nov 2026 10:20:00 EDT", china(2026, 11, 5, 10, 20, offset: -4 * 3600)),
        ("05 Nov 2026 10:20:00 CDT", china(2026, 11, 5, 10, 20, offset: -5 * 3600)),
        ("05 Nov 2026 10:20:00 MST", china(2026, 11, 5, 10, 20, offset: -7 * 3600)),
        ("05 Nov 2026 10:20:00 MDT", china(2026, 11, 5, 10, 20, offset: -6 * 3600)),
        ("05 Nov 2026 10:20:00 PST", china(2026, 11, 5, 10, 20, offset: -8 * 3600)),
        ("05 Nov 2026 10:20:00 PDT", china(2026, 11, 5, 10, 20, offset: -7 * 3600)),
        ("05 Nov 2026 10:20:00 A", china(2026, 11, 5, 10, 20, offset: 0)),  // military: UTC (RFC 2822)
        ("05 Nov 2026 10:20:00 GMT+8", china(2026, 11, 5, 10, 20)),
        ("05 Nov 2026 10:20:00 +08:00", china(2026, 11, 5, 10, 20)),
        ("05 nov 2026 10:20", china(2026, 11, 5, 10, 20)),  // no zone: default zone
        ("05 Nov 2026", china(2026, 11, 5)),
        ("Wed, 05-Nov-26 10:20:00 GMT", china(2026, 11, 5, 10, 20, offset: 0)),
        ("05 Nov 99 10:20:00 GMT", china(1999, 11, 5, 10, 20, offset: 0)),
        ("05 November 2026 10:20 +0800", china(2026, 11, 5, 10, 20)),
    ])
    func rfc822(text: String, expected: Double) {
        #expect(seconds(text) == expected)
    }

    @Test("CST is China Standard Time (+08:00), not US Central")
    func cstIsChina() {
        #expect(seconds("Thu, 05 Nov 2026 10:20:00 CST") == china(2026, 11, 5, 10, 20))
    }

    @Test("month-first English forms, including Java's Date.toString()", arguments: [
        ("Thu Nov 05 10:20:00 CST 2026", china(2026, 11, 5, 10, 20)),
        ("Nov 5, 2026", china(2026, 11, 5)),
        ("Nov 5, 2026 10:20 PM", china(2026, 11, 5, 22, 20)),
    ])
    func monthFirst(text: String, expected: Double) {
        #expect(seconds(text) == expected)
    }

    @Test("RFC 3339 / ISO 8601", arguments: [
        ("2026-11-05T10:20:00+08:00", china(2026, 11, 5, 10, 20)),
        ("2026-11-05T02:20:00Z", china(2026, 11, 5, 10, 20)),
        ("2026-11-05T02:20:00z", china(2026, 11, 5, 10, 20)),
        ("2026-11-05T10:20:00.500+08:00", china(2026, 11, 5, 10, 20) + 0.5),
        ("2026-11-05T10:20:00", china(2026, 11, 5, 10, 20)),
        ("2026-11-05T10:20", china(2026, 11, 5, 10, 20)),
        ("2026-11-05T05:20:00-05:00", china(2026, 11, 5, 10, 20, offset: 0)),
        ("2026-11-05T10:20:00+0800", china(2026, 11, 5, 10, 20)),
    ])
    func iso8601(text: String, expected: Double) {
        #expect(seconds(text) == expected)
    }

    @Test("numeric Chinese dates with optional time", arguments: [
        ("2026-11-05", china(2026, 11, 5)),
        ("2026/11/5", china(2026, 11, 5)),
        ("2026.11.05", china(2026, 11, 5)),
        ("2026年11月5日", china(2026, 11, 5)),
        ("2026 年 11 月 5 日", china(2026, 11, 5)),
        ("２０２６年１１月５日", china(2026, 11, 5)),
        ("２０２６－１１－０５　１０：２０", china(2026, 11, 5, 10, 20)),
        ("2026-11-05 10:20", china(2026, 11, 5, 10, 20)),
        ("2026-11-05 10:20:30", china(2026, 11, 5, 10, 20, 30)),
        ("2026/11/5 9:05", china(2026, 11, 5, 9, 5)),
        ("2026.11.05 10:20", china(2026, 11, 5, 10, 20)),
        ("2026年11月5日 10:20", china(2026, 11, 5, 10, 20)),
        ("2026年11月5日10时20分", china(2026, 11, 5, 10, 20)),
        ("2026年11月5日 10时20分30秒", china(2026, 11, 5, 10, 20, 30)),
        ("2026年11月5号", china(2026, 11, 5)),
        ("2026-11-05 下午3:20", china(2026, 11, 5, 15, 20)),
        ("2026-11-05 10:20 +0000", china(2026, 11, 5, 10, 20, offset: 0)),
    ])
    func numericDates(text: String, expected: Double) {
        #expect(seconds(text) == expected)
    }

    @Test("year-less dates take the latest year not in the future", arguments: [
        ("11-05", china(2026, 11, 5)),
        ("11/05", china(2026, 11, 5)),
        ("11月5日", china(2026, 11, 5)),
        ("11-05 10:20", china(2026, 11, 5, 10, 20)),
        ("11月5日 10:20", china(2026, 11, 5, 10, 20)),
        ("11-06", china(2025, 11, 6)),  // tomorrow's date means last year
        ("03-05", china(2026, 3, 5)),
    ])
    func yearless(text: String, expected: Double) {
        #expect(seconds(text) == expected)
    }

    @Test("year-less dates across new year", arguments: [
        ("12-30", china(2025, 12, 30)),
        ("12月30日 23:59", china(2025, 12, 30, 23, 59)),
        ("01-03", china(2026, 1, 3)),
        ("01-02 08:00", china(2026, 1, 2, 8)),
        ("01-04", china(2025, 1, 4)),
    ])
    func yearlessAcrossNewYear(text: String, expected: Double) {
        #expect(seconds(text, justAfterNewYear) == expected)
    }

    @Test("a later time today keeps today's date (the year is decided by day)")
    func yearlessLaterToday() {
        #expect(seconds("11-05 23:00") == china(2026, 11, 5, 23))
    }

    @Test("29 February without a year goes back to the last leap year")
    func yearlessLeapDay() {
        #expect(seconds("02-29", justAfterNewYear) == china(2024, 2, 29))
    }

    @Test("relative forms against now", arguments: [
        ("刚刚", china(2026, 11, 5, 12)),
        ("30秒前", china(2026, 11, 5, 12) - 30),
        ("5分钟前", china(2026, 11, 5, 11, 55)),
        ("5 分钟前", china(2026, 11, 5, 11, 55)),
        ("3小时前", china(2026, 11, 5, 9)),
        ("3个小时前", china(2026, 11, 5, 9)),
        ("2天前", china(2026, 11, 3, 12)),
        ("1周前", china(2026, 10, 29, 12)),
        ("1个月前", china(2026, 10, 5, 12)),
        ("昨天 12:30", china(2026, 11, 4, 12, 30)),
        ("昨天12:30", china(2026, 11, 4, 12, 30)),
        ("昨天", china(2026, 11, 4)),
        ("前天", china(2026, 11, 3)),
        ("前天 08:15", china(2026, 11, 3, 8, 15)),
        ("今天 10:20", china(2026, 11, 5, 10, 20)),
        ("发布于 3小时前", china(2026, 11, 5, 9)),
    ])
    func relative(text: String, expected: Double) {
        #expect(seconds(text) == expected)
    }

    @Test("昨天 without a time is within a 14-day staleness window")
    func yesterdayIsFresh() throws {
        let date = try #require(TextDate.read("昨天", now: fetchTime))
        #expect(fetchTime.timeIntervalSince(date) <= 14 * 86_400)
        #expect(date <= fetchTime)
    }

    @Test("relative days follow the default zone's calendar")
    func relativeDayAcrossMidnightUTC() {
        // 2026-11-05 01:00 in China is still 11-04 in UTC.
        let early = Date(timeIntervalSince1970: china(2026, 11, 5, 1))
        #expect(seconds("昨天", early) == china(2026, 11, 4))
    }

    @Test("a date embedded in text is found", arguments: [
        ("发布时间：2026-11-05 10:20", china(2026, 11, 5, 10, 20)),
        ("[2026-11-05]", china(2026, 11, 5)),
        ("（2026年11月5日）", china(2026, 11, 5)),
        ("来源：某某区政府办 2026-11-05", china(2026, 11, 5)),
        ("日期:2020-07-29", china(2020, 7, 29)),
        ("第3期 发布日期：2026-11-05", china(2026, 11, 5)),
        ("沪府办〔2021〕34号 2026-11-05", china(2026, 11, 5)),
        ("索引号：11530000/2020-00123 发布日期：2020-07-29", china(2020, 7, 29)),
        ("  \n\t2026-11-05\n", china(2026, 11, 5)),
        ("2026-11-05至2026-12-01", china(2026, 11, 5)),
    ])
    func embedded(text: String, expected: Double) {
        #expect(seconds(text) == expected)
    }

    @Test("the default zone applies when none is printed")
    func defaultOffset() {
        let date = TextDate.read("2026-11-05 10:20", now: fetchTime, defaultOffset: 0)
        #expect(date?.timeIntervalSince1970 == china(2026, 11, 5, 10, 20, offset: 0))
    }

    @Test("impossible dates and times are nil", arguments: [
        "2026-02-30", "2026-13-01", "2026-11-05 25:00", "2026-11-05 10:61", "13月5日", "2月30日",
        "32 Nov 2026", "2026年2月30日", "2025-02-29", "Nov 31, 2026", "2026-11-05 13:00 PM",
    ])
    func impossible(text: String) {
        #expect(seconds(text) == nil)
    }

    @Test("text without a readable date is nil", arguments: [
        "", " ", "暂无", "13月", "2026年11月", "10:20", "12345", "20200731",
        "t20200731_123.html", "http://www.gov.cn/xxgk/t20200731_123.html", "第1-2条", "3.14",
        "/art/07/31/", "0431-88881234", "hello world", "Mon Tue Wed", "天前", "分钟前", "前",
        "1/2", "v11-05", "07/31/2020",
    ])
    func unreadable(text: String) {
        #expect(seconds(text) == nil)
    }

    @Test("junk is never read as now")
    func junkIsNeverNow() {
        var generator = SystemRandomNumberGenerator()
        // No 前 or 刚: `0秒前` and `刚刚` really do mean now.
        let alphabet = Array("abcXYZ0123456789 -/.:年月日时分秒天号，。《》〔〕\u{3000}")
        for _ in 0..<2000 {
            let length = Int.random(in: 0..<60, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            if let date = TextDate.read(text, now: fetchTime) {
                #expect(date != fetchTime, "\(text)")
            }
        }
    }

    @Test("a letter after the time that starts the title is not a military zone", arguments: [
        ("2026-11-05 10:20 A级景区开放时间调整", china(2026, 11, 5, 10, 20)),
        ("2026-11-05 10:20 B 区停水通知", china(2026, 11, 5, 10, 20)),
        ("11-05 10:20 Z字路口改造", china(2026, 11, 5, 10, 20)),
    ])
    func letterAfterTimeIsNoZone(text: String, expected: Double) {
        #expect(seconds(text) == expected)
    }

    @Test("a lone zone letter is read at the end of the text, and Z straight after the time", arguments: [
        ("2026-11-05 02:20Z", china(2026, 11, 5, 10, 20)),
        ("2026-11-05 02:20:00Z 发布", china(2026, 11, 5, 10, 20)),
        ("05 Nov 2026 10:20:00 A ", china(2026, 11, 5, 10, 20, offset: 0)),
    ])
    func loneZoneLetters(text: String, expected: Double) {
        #expect(seconds(text) == expected)
    }

    @Test("named zones are read as words of their own", arguments: [
        ("2026-11-05 10:20 GMT 发布", china(2026, 11, 5, 10, 20, offset: 0)),
        ("2026-11-05 10:20 CST", china(2026, 11, 5, 10, 20)),
        ("2026-11-05 10:20 UTC+8 来源：办公室", china(2026, 11, 5, 10, 20)),
    ])
    func namedZonesAsWords(text: String, expected: Double) {
        #expect(seconds(text) == expected)
    }

    @Test("a word that starts with a month abbreviation is no month", arguments: [
        "Decision 12, 2026", "Marching 5, 2026", "Junior 3 2026", "Augustine 1, 2026", "Octopus 05 2026 10:20",
        "5 Decimal 2026",
    ])
    func monthPrefixIsNoMonth(text: String) {
        #expect(seconds(text) == nil)
    }

    @Test("month names as whole words: abbreviation, with a dot, Sept, full name", arguments: [
        ("Dec 12, 2026", china(2026, 12, 12)),
        ("Dec. 12, 2026", china(2026, 12, 12)),
        ("December 12, 2026", china(2026, 12, 12)),
        ("Sept 5, 2026", china(2026, 9, 5)),
        ("5 Sept. 2026", china(2026, 9, 5)),
        ("05 SEPTEMBER 2026", china(2026, 9, 5)),
        ("Mon, 5 Oct 2026 08:00:00 +0800", china(2026, 10, 5, 8)),
    ])
    func wholeMonthNames(text: String, expected: Double) {
        #expect(seconds(text) == expected)
    }

    @Test("long junk is bounded and nil; a date past the scan window is not read")
    func longInput() {
        let junk = String(repeating: "政务公开 abc ", count: 1000)
        #expect(seconds(junk) == nil)
        #expect(seconds(junk + "2026-11-05") == nil)
        #expect(seconds("2026-11-05 " + junk) == china(2026, 11, 5))
    }
}
