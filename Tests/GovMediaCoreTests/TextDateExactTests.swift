import Foundation
import GovMediaCore
import Testing

/// `TextDate.readExact`: a date asked for on its own (a signing time, `--at`, a stored time)
/// is read by the same scanner as a post's date, but must be the whole text.
@Suite("text dates read whole")
struct TextDateExactTests {
    private func china(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0) -> Date {
        ChinaTime.instant(CivilDate(year: y, month: m, day: d)!, hour: h, minute: mi, second: s)
    }

    @Test("what ledgers, officers and the store write", arguments: [
        ("2026-11-05T10:20:00+08:00", 10, 20, 0),
        ("2026-11-05T02:20:00Z", 10, 20, 0),
        ("2026-11-05T02:20:00.250z", 10, 20, 0),
        ("2026-11-05 10:20", 10, 20, 0),
        ("  2026/11/5 10:20:30 ", 10, 20, 30),
        ("2026.11.05 10:20", 10, 20, 0),
        ("2026年11月5日 10:20", 10, 20, 0),
        ("2026-11-05T10:20+0800", 10, 20, 0),
        ("２０２６－１１－０５　１０：２０", 10, 20, 0),
        ("2026-11-05", 0, 0, 0),
    ])
    func accepted(text: String, hour: Int, minute: Int, second: Int) throws {
        let date = try #require(TextDate.readExact(text))
        #expect(abs(date.timeIntervalSince(china(2026, 11, 5, hour, minute, second))) < 1, "\(text)")
    }

    @Test("nothing relative, year-less, impossible or with words around it", arguments: [
        "昨天 10:20", "3天前", "11-05 10:20", "Nov 5, 2026", "2026-11-05 10:20 A级景区", "签发于 2026-11-05 10:20",
        "2026-02-30 10:20", "2026-11-05 25:00", "2026-11-05 10:2", "2026-11", "", "2026-11-05T",
        "2026-11-05 10:20 p", "2026-11-05 10:20:00 A",
    ])
    func refused(text: String) {
        #expect(TextDate.readExact(text) == nil, "\(text)")
    }

    @Test("the same instant as a post's date read from the same text")
    func agreesWithTheLenientReader() throws {
        for text in ["2026-11-05T10:20:00+08:00", "2026/11/5 10:20", "2026年11月5日 10:20", "2026-11-05"] {
            #expect(TextDate.readExact(text) == TextDate.read(text, now: china(2026, 12, 1)), "\(text)")
        }
    }
}

@Suite("printed times")
struct PrintedTimeTests {
    @Test("dates and times print zero-padded in every form, small years and midnight included")
    func zeroPadding() throws {
        #expect(try #require(CivilDate(year: 987, month: 3, day: 4)).description == "0987-03-04")
        let instant = ChinaTime.instant(try #require(CivilDate(year: 2026, month: 1, day: 5)), hour: 0, minute: 7, second: 9)
        #expect(ChinaTime.iso8601(instant) == "2026-01-05T00:07:09+08:00")
        #expect(ChinaTime.short(instant) == "2026-01-05 00:07")
        #expect(ChinaTime.rfc822(instant) == "05 Jan 2026 00:07:09 +0800")
        // What is printed reads back as the same instant.
        #expect(TextDate.readExact(ChinaTime.iso8601(instant)) == instant)
    }
}
