import Foundation
import GovMediaCore
import GovMediaMail
@testable import GovMediaReport
@testable import GovMediaStore
import Testing

/// Inputs built by hand: the report's arithmetic and ordering, without a database.
enum Fixture {
    static let week = ISOWeek("2026-W06")!

    static func account(_ id: String, owner: String, name: String? = nil) -> Account {
        Account(id: id, name: name ?? "账号\(id)", platform: .wechat, owner: owner, ownerKind: .department,
                url: WebAddress(checking: "https://example.gov.cn/\(id).xml")!, registeredOn: "2024-01-01")
    }

    static func evaluation(_ id: String, _ verdict: Verdict, findings: [Finding] = [], posts: Int = 0, reviewed: Int = 0) -> AccountEvaluation {
        AccountEvaluation(accountID: id, verdict: verdict, score: verdict == .pass ? 90 : 50, findings: findings, lastPostAt: nil,
                          daysSinceUpdate: nil, reviewCoverage: posts == 0 ? nil : Double(reviewed) / Double(posts),
                          postsInWindow: posts, reviewedPosts: reviewed)
    }

    static func run(_ id: Int64, week: ISOWeek, passing: Int, accounts: Int) -> EvaluationRun {
        EvaluationRun(id: id, checkAt: week.start.addingTimeInterval(86_400), evaluatedAt: week.start, rulesVersion: "abc", trigger: "test",
                      accounts: accounts, passing: passing, failing: accounts - passing, unverifiable: 0)
    }

    static let veto = Finding(rule: "national.stale-2w", severity: .veto, message: "监测时间点前 14 天内无更新",
                              postTitle: "<script>alert(1)</script>", postURL: "javascript:alert(2)", evidenceSHA256: String(repeating: "ab", count: 32))

    /// Weeks W-3…W: `a` fails W-2, W-1 and W (chronic); `b` passed W-1 (newly failing);
    /// `c` failed W-1 and passes now (fixed); `d` failed W-3 and W but W-2 had no run.
    static func inputs() -> WeeklyInputs {
        let accounts = [account("a", owner: "区教育局"), account("b", owner: "区卫健委"), account("c", owner: "区教育局"),
                        account("d", owner: "=HYPERLINK(\"http://x\")")]
        let w = week
        var history = (0..<12).map { WeekVerdicts(week: w.adding(weeks: $0 - 11), run: nil, verdicts: [:]) }
        func put(_ back: Int, _ runID: Int64, _ verdicts: [String: Verdict]) {
            let passing = verdicts.values.filter { $0 == .pass }.count
            history[11 - back] = WeekVerdicts(week: w.adding(weeks: -back), run: run(runID, week: w.adding(weeks: -back), passing: passing, accounts: verdicts.count), verdicts: verdicts)
        }
        put(3, 1, ["a": .pass, "b": .pass, "c": .pass, "d": .fail])
        put(2, 2, ["a": .fail, "b": .pass, "c": .pass])
        put(1, 3, ["a": .fail, "b": .pass, "c": .fail, "d": .fail])
        put(0, 4, ["a": .fail, "b": .unverifiable, "c": .pass, "d": .fail])
        let current = RunResults(run: history[11].run!, evaluations: [
            evaluation("a", .fail, findings: [veto], posts: 4, reviewed: 1), evaluation("b", .unverifiable),
            evaluation("c", .pass, posts: 2, reviewed: 2),
            evaluation("d", .fail, findings: [Finding(rule: "review.missing", severity: .deduction, points: 50, message: "缺三审")]),
        ])
        let previous = RunResults(run: history[10].run!, evaluations: history[10].verdicts.map { evaluation($0.key, $0.value) })
        return WeeklyInputs(week: w, accounts: accounts, current: current, previous: previous, history: history, events: [])
    }
}

@Suite("the weekly report's content")
struct WeeklyReportTests {
    @Test("the headline counts the week's latest run and compares with last week's")
    func headline() {
        let r = WeeklyReport(Fixture.inputs())
        #expect(r.headline.monitored == 4 && r.headline.passing == 1 && r.headline.failing == 2 && r.headline.unverifiable == 1)
        #expect(r.headline.rate == 0.25 && r.headline.previousRate == 0.25)
        #expect(ReportFormat.change(r.headline.rate, from: r.headline.previousRate) == "与上周持平")
        #expect(ReportFormat.change(0.5, from: 0.25) == "较上周上升 25.0 个百分点")
    }

    @Test("vetoes come first, then fails on points, then unverifiable")
    func order() {
        #expect(WeeklyReport(Fixture.inputs()).problems.map(\.id) == ["a", "d", "b"])
    }

    @Test("newly failing, fixed and chronic follow the weeks; a week with no run breaks a streak")
    func changes() {
        let r = WeeklyReport(Fixture.inputs())
        #expect(r.newlyFailing.map(\.id) == ["b"])
        #expect(r.fixed.map(\.id) == ["c"])
        #expect(r.chronic.map(\.id) == ["a"] && r.chronic.first?.weeks == 3)
        #expect(r.rows.first { $0.id == "d" }?.weeks == 2)
    }

    @Test("三审 coverage adds up posts and complete records by owner unit, worst first")
    func coverage() {
        let r = WeeklyReport(Fixture.inputs())
        #expect(r.coverage.map(\.owner) == ["区教育局", "=HYPERLINK(\"http://x\")", "区卫健委"])
        #expect(r.coverage.first?.posts == 6 && r.coverage.first?.reviewed == 3)
    }

    @Test("page text is escaped, a javascript: link stays text, and nothing external is referenced")
    func escaping() {
        let html = WeeklyReport(Fixture.inputs()).html(template: .builtIn())
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.range(of: "<script", options: .caseInsensitive) == nil)
        #expect(!html.contains("href=\"javascript") && html.contains("javascript:alert(2)"))
        #expect(!html.contains("src=") && !html.contains("<link") && !html.contains("url("))
        #expect(html.contains("govmedia evidence show abababababab"))
    }

    @Test("the CSV neutralises formulas and lists accounts by owner unit")
    func csv() {
        let text = String(decoding: WeeklyReport(Fixture.inputs()).csv(), as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines[1].hasPrefix("d,账号d,\"'=HYPERLINK(\"\"http://x\"\")\""))
        #expect(lines.count == 6 && lines[5] == "")
    }

    @Test("the built-in template is the file under rules/templates, byte for byte")
    func templateInSync() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("rules/templates/weekly.html.mustache").path
        let file = try #require(FileManager.default.contents(atPath: path))
        #expect(String(decoding: file, as: UTF8.self) == DefaultTemplate.weeklyHTML, "运行 scripts/render-report --sync-template")
    }

    @Test("a template with a syntax error is refused naming the file")
    func badTemplate() {
        #expect(throws: ReportError.self) { try ReportTemplate(text: "{{#a}}", source: "x.mustache") }
    }

    @Test("same inputs, same bytes")
    func deterministic() {
        let a = WeeklyReport(Fixture.inputs()), b = WeeklyReport(Fixture.inputs())
        #expect(a.html(template: .builtIn()) == b.html(template: .builtIn()) && a.csv() == b.csv())
        let settings = MailSettings(url: "smtp://127.0.0.1:2525", from: "g@jingyue.gov.cn", to: ["a@jingyue.gov.cn"])
        let html = Array(a.html(template: .builtIn()).utf8)
        #expect(a.mail(html: html, htmlFile: "a.html", csv: a.csv(), csvFile: "a.csv", settings: settings).encoded()
                == b.mail(html: html, htmlFile: "a.html", csv: b.csv(), csvFile: "a.csv", settings: settings).encoded())
    }
}
