import Foundation
import GovMediaCore
import GovMediaRules
import Testing

/// The evaluator on hand-built snapshots, under the shipped rules.
@Suite("evaluator")
struct EvaluatorTests {
    let evaluator = Evaluator(rules: try! RuleFiles.load(directory: Fixture.repositoryRules))
    let account = Account(id: "e-1", name: "测试", platform: .website, owner: "测试局", ownerKind: .department,
                          url: "https://example.gov.cn/", registeredOn: "2024-01-01")
    let day = CivilDate(year: 2026, month: 11, day: 5)!

    func post(_ dateText: String, _ published: Date) -> EvidencedPost {
        EvidencedPost(post: StoredPost(id: 1, accountID: "e-1", title: "关于冬季供暖的通知", url: "https://example.gov.cn/1.html",
                                       guid: nil, dateText: dateText, publishedAt: published, summary: nil,
                                       firstSeenAt: published, fetchID: 1), evidenceSHA256: nil)
    }

    func ledger(final: Date) -> [ReviewRecord] {
        let signed = [(ReviewStage.first, "张三", 8), (.second, "李四", 9)].map { ($0.0, $0.1, ChinaTime.instant(day, hour: $0.2)) }
            + [(ReviewStage.final, "王五", final)]
        return signed.enumerated().map { i, s in
            ReviewRecord(seq: Int64(i + 1), accountID: "e-1", postURL: "https://example.gov.cn/1.html", postTitle: "关于冬季供暖的通知",
                         stage: s.0, reviewer: s.1, signedAt: ChinaTime.iso8601(s.2), opinion: .approve, recordedAt: "",
                         recordedBy: "t", origin: "t", previousHash: AuditHash.genesis)
        }
    }

    func rules(_ snapshot: AccountSnapshot, at: Date) -> [String] {
        evaluator.evaluate(snapshot, at: at).findings.map(\.rule)
    }

    @Test("a list page that prints only the date: a same-day 终审 is not after publication, a next-day one is")
    func dateOnlyPost() {
        let published = ChinaTime.instant(day)
        let p = post("2026-11-05", published)
        let at = ChinaTime.instant(day.adding(days: 1), hour: 12)
        var s = AccountSnapshot(account: account, newestDatedPost: p, windowPosts: [p], storedPosts: 1, everRead: true)
        s.reviews = ledger(final: ChinaTime.instant(day, hour: 10))
        #expect(!rules(s, at: at).contains("review.after-publication"))
        s.reviews = ledger(final: ChinaTime.instant(day.adding(days: 1), hour: 9))
        #expect(rules(s, at: at).contains("review.after-publication"))
    }

    @Test("a post with a time: a 终审 an hour after it is after publication")
    func timedPost() {
        let published = ChinaTime.instant(day, hour: 9, minute: 30)
        let p = post("2026-11-05 09:30", published)
        var s = AccountSnapshot(account: account, newestDatedPost: p, windowPosts: [p], storedPosts: 1, everRead: true)
        s.reviews = ledger(final: ChinaTime.instant(day, hour: 10))
        #expect(rules(s, at: ChinaTime.instant(day, hour: 12)).contains("review.after-publication"))
    }

    @Test("never read is unverifiable; read with no dated posts is unverifiable; 15 days stale fails")
    func verdicts() {
        let at = ChinaTime.instant(day, hour: 12)
        #expect(evaluator.evaluate(AccountSnapshot(account: account), at: at).verdict == .unverifiable)
        #expect(evaluator.evaluate(AccountSnapshot(account: account, storedPosts: 3, everRead: true), at: at).verdict == .unverifiable)
        let old = post("2026-10-21", ChinaTime.instant(day.adding(days: -15)))
        let stale = evaluator.evaluate(AccountSnapshot(account: account, newestDatedPost: old, storedPosts: 1, everRead: true), at: at)
        #expect(stale.verdict == .fail)
        #expect(stale.findings.first?.rule == "national.stale-2w")
    }
}
