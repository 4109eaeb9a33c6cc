import Foundation
import GovMediaCore
import GovMediaMail
import GovMediaReport
import GovMediaStore
import GovMediaWorkflows

/// `govmedia-bench report`: the weekly report for 10,000 accounts (200 owner units, a
/// fifth failing with a veto and evidence, some unverifiable, 三审 deductions) builds in
/// under 3 s: reading the week's runs, computing, rendering HTML and CSV, and writing the
/// files and the `.eml`.
func benchReport() async throws {
    let n = option("--accounts", default: 10_000)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("govmedia-bench-report-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let store = try Store(path: dir.appendingPathComponent("bench.sqlite").path)
    let week = ISOWeek.lastComplete()
    let accounts = (0..<n).map {
        Account(id: "r-\($0)", name: "账号\($0)", platform: Platform.allCases[$0 % Platform.allCases.count], owner: "单位\($0 % 200)",
                ownerKind: .department, url: WebAddress(checking: "https://www\($0 % 200).example.gov.cn/feed.xml")!, registeredOn: "2024-01-01")
    }
    _ = try store.importAccounts(accounts, by: Attribution(operator: "bench", reason: "benchmark", at: week.start.addingTimeInterval(-30 * 86_400)))
    for (offset, checkAt) in [(1, week.adding(weeks: -1).start), (0, week.start)].map({ ($0.0, $0.1.addingTimeInterval(2 * 86_400)) }) {
        let results = (0..<n).map { i -> AccountEvaluation in
            let fails = (i + offset * 7) % 5 == 0
            let unverifiable = i % 37 == 0
            var findings = (0..<(i % 4)).map { k in
                Finding(rule: "review.missing", severity: .deduction, points: 5, message: "《稿件\(i)-\(k)》：没有三审记录", postID: Int64(i * 10 + k),
                        postTitle: "稿件\(i)-\(k)", postURL: "https://www.example.gov.cn/a/\(i)/\(k).html", fetchID: Int64(i),
                        evidenceSHA256: String(repeating: "0123456789abcdef", count: 4))
            }
            if fails {
                findings.insert(Finding(rule: "national.stale-2w", severity: .veto, message: "监测时间点前 14 天内无更新：最近一条《旧闻\(i)》",
                                        postID: Int64(i), postTitle: "旧闻\(i)", postURL: "https://www.example.gov.cn/old/\(i).html",
                                        fetchID: Int64(i), evidenceSHA256: String(repeating: "fedcba9876543210", count: 4)), at: 0)
            }
            return AccountEvaluation(accountID: "r-\(i)", verdict: unverifiable ? .unverifiable : fails ? .fail : .pass, score: 100 - 5 * (i % 4),
                                     findings: findings, lastPostAt: checkAt.addingTimeInterval(-Double(i % 20) * 86_400),
                                     daysSinceUpdate: i % 20, reviewCoverage: i % 4 == 0 ? nil : 0.5, postsInWindow: i % 4,
                                     reviewedPosts: (i % 4) / 2)
        }
        try store.saveEvaluations(results, at: checkAt, rulesVersion: "bench", ruleFiles: [], trigger: "bench")
    }
    let settings = MailSettings(url: "smtp://127.0.0.1:2525", from: "govmedia@jingyue.gov.cn", to: ["leader@jingyue.gov.cn"],
                                outbox: dir.appendingPathComponent("outbox").path)
    var written: WrittenReport?
    let t = try seconds {
        written = try WeeklyReportWorkflow(store: store, rulesDirectory: nil, directory: dir.path, mail: settings)
            .write(week: week, into: dir.appendingPathComponent("out").path, template: .builtIn(), district: "净月高新区", by: "bench")
    }
    guard let written else { return }
    let size = { (path: String) in Double((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1e6 }
    print(String(format: "report: %d accounts (%d not passing), HTML %.1f MB, CSV %.1f MB, eml %.1f MB in %.3f s (target < 3 s), peak RSS %.0f MB",
                 n, written.report.problems.count, size(written.htmlPath), size(written.csvPath), size(written.emlPath ?? ""), t, peakRSS()))
}
