import Foundation
import GovMediaCore
import Testing

/// The update timeline on posts at known China dates, checked the way an officer would
/// count on a calendar.
@Suite("update pattern: gaps and days out of compliance")
struct UpdatePatternTests {
    /// The check day: 2026-03-31 at 18:00 China time.
    let checkDay = CivilDate(year: 2026, month: 3, day: 31)!
    var at: Date { ChinaTime.instant(checkDay, hour: 18) }

    /// A post at 10:00 on the given day.
    func post(_ iso: String, hour: Int = 10) -> Date {
        ChinaTime.instant(CivilDate(iso: iso)!, hour: hour)
    }

    func day(_ iso: String) -> CivilDate { CivilDate(iso: iso)! }

    @Test("no posts: no gap, no day counted out of compliance, nothing can be judged")
    func noPosts() {
        let t = UpdateTimeline(posts: [], checkAt: at, periodDays: 90)
        #expect(t.start == day("2026-01-01"))
        #expect(t.periodDays == 90)
        #expect(t.gaps.isEmpty && t.longestGap == nil)
        #expect(t.noncompliantDays == 0 && t.noncompliantSpans.isEmpty)
        #expect(t.firstJudgedDay == nil)
    }

    @Test("one post: the only gap runs open to the check day, and days before it are not counted")
    func onePost() {
        let t = UpdateTimeline(posts: [post("2026-03-01")], checkAt: at, periodDays: 90)
        #expect(t.gaps == [DateSpan(kind: .openGap, from: day("2026-03-01"), to: day("2026-03-31"))])
        #expect(t.longestGap?.days == 30)
        // Out from the 14th day after the post (03-15) to the check day: 17 days.
        #expect(t.noncompliantSpans == [DateSpan(kind: .noncompliant, from: day("2026-03-15"), to: day("2026-03-31"))])
        #expect(t.noncompliantDays == 17)
        #expect(t.firstJudgedDay == day("2026-03-01"))
    }

    @Test("a 14-day gap leaves no day out; a 15-day gap leaves one; a 16-day gap two")
    func limitEdge() {
        for (gap, out) in [(14, 0), (15, 1), (16, 2)] {
            let first = day("2026-03-01")
            let t = UpdateTimeline(posts: [ChinaTime.instant(first, hour: 9), ChinaTime.instant(first.adding(days: gap), hour: 9),
                                           ChinaTime.instant(first.adding(days: gap + 7), hour: 9)], checkAt: at, periodDays: 31)
            #expect(t.noncompliantDays == out, "gap \(gap)")
            #expect(t.longestGap == DateSpan(kind: .gap, from: first, to: first.adding(days: gap)))
        }
    }

    @Test("posts before the period bound its first gap; posts after the check time are ignored")
    func outsidePeriod() {
        let posts = [post("2025-12-01"), post("2025-12-20"), post("2026-01-10"), post("2026-03-30"), post("2026-04-02"),
                     ChinaTime.instant(checkDay, hour: 20)]   // later on the check day than the check
        let t = UpdateTimeline(posts: posts, checkAt: at, periodDays: 90)
        #expect(t.lastBefore == day("2025-12-20"))
        #expect(t.postDays == [day("2026-01-10"), day("2026-03-30")])
        #expect(t.gaps == [DateSpan(kind: .gap, from: day("2025-12-20"), to: day("2026-01-10")),
                           DateSpan(kind: .gap, from: day("2026-01-10"), to: day("2026-03-30")),
                           DateSpan(kind: .openGap, from: day("2026-03-30"), to: day("2026-03-31"))])
        #expect(t.longestGap == DateSpan(kind: .gap, from: day("2026-01-10"), to: day("2026-03-30")))
        #expect(t.longestGap?.days == 79)
        // 01-01…01-09 (last post 12-20: 12–20 days before): 01-03…01-09 out, 7 days;
        // 01-24…03-29 out, 65 days.
        #expect(t.noncompliantSpans == [DateSpan(kind: .noncompliant, from: day("2026-01-03"), to: day("2026-01-09")),
                                        DateSpan(kind: .noncompliant, from: day("2026-01-24"), to: day("2026-03-29"))])
        #expect(t.noncompliantDays == 72)
    }

    @Test("only posts older than the period: one open gap from the last of them, every day of the period out")
    func onlyOldPosts() {
        let t = UpdateTimeline(posts: [post("2025-09-01"), post("2025-10-01")], checkAt: at, periodDays: 90)
        #expect(t.postDays.isEmpty)
        #expect(t.gaps == [DateSpan(kind: .openGap, from: day("2025-10-01"), to: day("2026-03-31"))])
        #expect(t.noncompliantDays == 90)
    }

    @Test("days before the account was filed are not counted")
    func filingDay() {
        let t = UpdateTimeline(posts: [post("2025-06-01")], checkAt: at, periodDays: 90, notBefore: day("2026-03-20"))
        #expect(t.firstJudgedDay == day("2026-03-20"))
        #expect(t.noncompliantSpans == [DateSpan(kind: .noncompliant, from: day("2026-03-20"), to: day("2026-03-31"))])
    }

    @Test("several posts on one day are one post day; days are China days, not UTC days")
    func chinaDays() {
        // 2026-03-20 23:30 China time is still the 20th in China (15:30 UTC).
        let t = UpdateTimeline(posts: [post("2026-03-20", hour: 8), post("2026-03-20", hour: 23), post("2026-03-31", hour: 0)],
                               checkAt: at, periodDays: 14)
        #expect(t.postDays == [day("2026-03-20"), day("2026-03-31")])
    }

    @Test("posting every 13–14 days: the gaps just before the limit are picked out; every 5 days: none")
    func deadlineGaps() {
        let every14 = stride(from: 0, through: 70, by: 14).map { ChinaTime.instant(checkDay.adding(days: -$0), hour: 9) }
        let t = UpdateTimeline(posts: every14, checkAt: at, periodDays: 56)
        let hits = t.gaps(endingWithinLast: 56, minDays: 13, maxDays: 14)
        #expect(hits.map(\.to) == [day("2026-02-17"), day("2026-03-03"), day("2026-03-17"), day("2026-03-31")])
        #expect(hits.allSatisfy { $0.days == 14 })
        let every5 = stride(from: 0, through: 70, by: 5).map { ChinaTime.instant(checkDay.adding(days: -$0), hour: 9) }
        #expect(UpdateTimeline(posts: every5, checkAt: at, periodDays: 56).gaps(endingWithinLast: 56, minDays: 13, maxDays: 14).isEmpty)
    }

    @Test("a finding's spans are stored as dates and read back; findings stored before spans existed still read")
    func spansRoundTrip() throws {
        let finding = Finding(rule: "pattern.deadline-posting", severity: .deduction, points: 5, message: "卡点更新",
                              spans: [DateSpan(kind: .gap, from: day("2026-03-03"), to: day("2026-03-17"))])
        let json = Finding.json([finding])
        #expect(json.contains(#""spans":[{"days":14,"from":"2026-03-03","kind":"gap","to":"2026-03-17"}]"#))
        #expect(try JSONDecoder().decode([Finding].self, from: Data(json.utf8)) == [finding])
        let old = #"[{"message":"监测时间点前 14 天内无更新","points":0,"rule":"national.stale-2w","severity":"veto"}]"#
        let decoded = try JSONDecoder().decode([Finding].self, from: Data(old.utf8))
        #expect(decoded.first?.spans == nil)
        // A finding without spans is stored exactly as before.
        #expect(Finding.json(decoded) == old)
        let bad = #"[{"message":"m","points":0,"rule":"r","severity":"info","spans":[{"kind":"gap","from":"2026-02-30","to":"2026-03-01"}]}]"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Finding].self, from: Data(bad.utf8)) }
    }

    @Test("findings written by hand are what the encoder writes, and hostile text reads back whole")
    func handWrittenJSONMatchesTheEncoder() throws {
        let findings = [
            Finding(rule: "national.stale-2w", severity: .veto, message: "超过两周未更新"),
            Finding(rule: "content.typo", severity: .deduction, points: 2, message: "错别字“按装”", postID: 7, postTitle: "关于/通知",
                    postURL: "https://x.gov.cn/a/7.html?a=1&b=2", fetchID: 3, evidenceSHA256: String(repeating: "a", count: 64)),
            Finding(rule: "pattern.deadline-posting", severity: .info, message: "卡点",
                    spans: [DateSpan(kind: .openGap, from: day("2026-03-03"), to: day("2026-03-20")), DateSpan(kind: .noncompliant, from: day("2026-03-17"), to: day("2026-03-20"))]),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(Finding.json(findings) == String(decoding: try encoder.encode(findings), as: UTF8.self))
        let hostile = [Finding(rule: "r", severity: .info, message: "引号\"反斜杠\\换行\n制表\t\u{1}\u{9B}\u{202E}尾", postTitle: "</script><b>")]
        #expect(try JSONDecoder().decode([Finding].self, from: Data(Finding.json(hostile).utf8)) == hostile)
        #expect(Finding.json([]) == "[]")
    }
}
