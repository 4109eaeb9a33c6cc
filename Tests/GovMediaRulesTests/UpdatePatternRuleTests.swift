import Foundation
import GovMediaCore
import GovMediaRules
import Testing

/// The `pattern.*` rules of the shipped local profile, on hand-built post histories.
@Suite("evaluator: update patterns")
struct UpdatePatternRuleTests {
    let evaluator = Evaluator(rules: try! RuleFiles.load(directory: Fixture.repositoryRules))
    let account = Account(id: "p-1", name: "卡点账号", platform: .wechat, owner: "测试局", ownerKind: .department,
                          url: "https://example.gov.cn/feed.xml", registeredOn: "2024-01-01")
    let checkDay = CivilDate(year: 2026, month: 3, day: 31)!
    var at: Date { ChinaTime.instant(checkDay, hour: 18) }

    /// A snapshot whose posts were published `daysAgo` days before the check day, at 09:00.
    func snapshot(daysAgo: [Int]) -> AccountSnapshot {
        let times = daysAgo.sorted(by: >).map { ChinaTime.instant(checkDay.adding(days: -$0), hour: 9) }
        let newest = times.last.map { t in
            EvidencedPost(post: StoredPost(id: 1, accountID: account.id, title: "最新一条", url: nil, guid: nil, dateText: nil,
                                           publishedAt: t, summary: nil, firstSeenAt: t, fetchID: 1), evidenceSHA256: nil)
        }
        var s = AccountSnapshot(account: account, newestDatedPost: newest, storedPosts: times.count, everRead: true)
        s.postTimes = times
        return s
    }

    func finding(_ rule: String, _ s: AccountSnapshot) -> Finding? {
        evaluator.evaluate(s, at: at).findings.first { $0.rule == rule }
    }

    @Test("posting every 13–14 days is 卡点更新: 5 points off, with the posts and gaps that prove it")
    func deadlinePosting() throws {
        let s = snapshot(daysAgo: [1, 15, 28, 42, 55, 69, 83])
        let f = try #require(finding("pattern.deadline-posting", s))
        #expect(f.severity == .deduction && f.points == 5)
        // 56 days back from 03-31 is 02-04: the five gaps ending 02-04 … 03-30, all 13 or 14 days.
        let day = { (iso: String) in CivilDate(iso: iso)! }
        #expect(f.spans == [
            DateSpan(kind: .gap, from: day("2026-01-21"), to: day("2026-02-04")),
            DateSpan(kind: .gap, from: day("2026-02-04"), to: day("2026-02-17")),
            DateSpan(kind: .gap, from: day("2026-02-17"), to: day("2026-03-03")),
            DateSpan(kind: .gap, from: day("2026-03-03"), to: day("2026-03-16")),
            DateSpan(kind: .gap, from: day("2026-03-16"), to: day("2026-03-30")),
        ])
        for text in ["卡点更新", "5 次", "2026-02-04 → 2026-02-17（13 天）", "2026-03-16 → 2026-03-30（14 天）"] {
            #expect(f.message.contains(text), "\(f.message)")
        }
        let result = evaluator.evaluate(s, at: at)
        #expect(result.verdict == .pass)
        #expect(result.score.map { $0 <= 95 } == true)
    }

    @Test("posting every 5 days is not 卡点更新, and has no gap or day out to report")
    func regularPosting() {
        let s = snapshot(daysAgo: Array(stride(from: 0, through: 90, by: 5)))
        #expect(finding("pattern.deadline-posting", s) == nil)
        #expect(finding("pattern.longest-gap", s) == nil)
        #expect(finding("pattern.noncompliant-days", s) == nil)
    }

    @Test("two 13–14 day gaps in four periods are below min_hits")
    func belowMinHits() {
        #expect(finding("pattern.deadline-posting", snapshot(daysAgo: [1, 4, 8, 12, 16, 30, 44])) == nil)
    }

    @Test("a 25-day gap: the longest gap with its two dates, and the days out of compliance with their spans")
    func longGap() throws {
        let s = snapshot(daysAgo: [2, 27, 30, 40, 50, 60, 70, 80, 89])
        let gap = try #require(finding("pattern.longest-gap", s))
        #expect(gap.severity == .info && gap.points == 0)
        #expect(gap.spans == [DateSpan(kind: .gap, from: CivilDate(iso: "2026-03-04")!, to: CivilDate(iso: "2026-03-29")!)])
        #expect(gap.message.contains("25 天") && gap.message.contains("2026-03-04") && gap.message.contains("2026-03-29"))
        let out = try #require(finding("pattern.noncompliant-days", s))
        // 03-18 … 03-28: 11 days with nothing in the 14 days before.
        #expect(out.spans == [DateSpan(kind: .noncompliant, from: CivilDate(iso: "2026-03-18")!, to: CivilDate(iso: "2026-03-28")!)])
        #expect(out.message.contains("11 天") && out.message.contains("2026-03-18 至 2026-03-28"))
    }

    @Test("no dated posts known: no pattern finding at all")
    func nothingKnown() {
        let rules = evaluator.evaluate(snapshot(daysAgo: []), at: at).findings.map(\.rule)
        #expect(!rules.contains { $0.hasPrefix("pattern.") })
    }

    @Test("the history the store must read covers the longest period the rules look at")
    func historyDays() {
        #expect(evaluator.timelineDays == 90)
        #expect(evaluator.historyDays == 90)
        #expect(evaluator.limitDays == 14)
    }
}
