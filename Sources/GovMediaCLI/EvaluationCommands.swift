import ArgumentParser
import Foundation
import GovMediaCore
import GovMediaScan
import GovMediaStore

/// Options for commands that judge accounts: the check time and the rules.
struct JudgingOptions: ParsableArguments {
    @Option(help: "监测时间点：YYYY-MM-DD、\"YYYY-MM-DD HH:mm\" 或 ISO 8601（默认现在，北京时间）") var at: String?
    @Option(help: "规则目录（默认 $GOVMEDIA_RULES，否则 ./rules 或安装目录）") var rules: String?

    func checkTime() throws -> Date {
        guard let at else { return Date() }
        guard let date = ChinaTime.parseISO(at) else {
            throw CLIFailure("--at 无法识别：\(at)（示例：2026-11-24、\"2026-11-24 09:00\"、2026-11-24T09:00:00+08:00）")
        }
        return date
    }

    var rulesDirectory: String { rules ?? Assessment.defaultRulesDirectory() }

    func assessment(_ store: Store) throws -> Assessment {
        do { return try Assessment(store: store, rulesDirectory: rulesDirectory) } catch {
            throw CLIFailure("规则加载失败：\(error)")
        }
    }
}

/// `govmedia evaluate`: judge every account from stored data, without the network.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evaluate", abstract: "根据已保存的帖子、三审记录与抓取结果重新评判（不联网）。")
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var judging: JudgingOptions
    @Flag(help: "以 JSON 输出") var json = false

    func run() throws {
        let store = try db.open()
        let at = try judging.checkTime()
        let (runID, results) = try judging.assessment(store).run(at: at, trigger: "manual")
        if json { return try printJSON(results.map { StatusRowJSON($0, account: nil) }) }
        output("评判 #\(runID ?? 0)，监测时间点 \(ChinaTime.iso8601(at))：" + Summary(results).text + "\n查看：govmedia status\n")
    }
}

/// Counts for a one-line summary.
struct Summary {
    var judged = 0, pass = 0, fail = 0, unverifiable = 0

    init(_ results: [AccountEvaluation]) {
        for r in results {
            switch r.verdict {
            case .pass: pass += 1
            case .fail: fail += 1
            case .unverifiable: unverifiable += 1
            case .notJudged: continue
            }
            judged += 1
        }
    }

    var rate: String { judged == 0 ? "—" : String(format: "%.1f%%", Double(pass) * 100 / Double(judged)) }
    var text: String { "评判 \(judged) 个账号，合格 \(pass) 个，不合格 \(fail) 个，无法核实 \(unverifiable) 个，达标率 \(rate)。" }
}

/// `govmedia status`: one row per account.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "每个账号的合规状态：最近更新、三审覆盖、得分、结论与主要问题。")
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var judging: JudgingOptions
    @Option(help: "主办单位（包含此文字）") var owner: String?
    @Option(help: "平台：\(Platform.allowedList)") var platform: String?
    @Flag(help: "只列出不合格或无法核实的账号") var failing = false
    @Flag(help: "以 JSON 输出") var json = false
    @Flag(help: "以 CSV 输出（UTF-8 BOM，Excel/WPS 可直接打开）") var csv = false

    func run() throws {
        let store = try db.openForReading()
        let (results, at) = try results(store)
        let accounts = Dictionary(uniqueKeysWithValues: try store.accounts().map { ($0.id, $0) })
        let rows = results.compactMap { r -> (AccountEvaluation, Account)? in
            guard let a = accounts[r.accountID] else { return nil }
            if let owner, !a.owner.contains(owner) { return nil }
            if let platform, a.platform.rawValue != platform { return nil }
            if failing, r.verdict == .pass || r.verdict == .notJudged { return nil }
            return (r, a)
        }.sorted { ($0.1.owner, $0.1.id) < ($1.1.owner, $1.1.id) }
        if json { return try printJSON(rows.map { StatusRowJSON($0.0, account: $0.1) }) }
        if csv {
            var w = CSVWriter(header: StatusRowJSON.csvHeader)
            for (r, a) in rows { w.append(StatusRowJSON(r, account: a).csvRow) }
            return FileHandle.standardOutput.write(Data(w.bytes))
        }
        output("监测时间点 \(ChinaTime.iso8601(at))\n" + Self.table(rows) + Summary(results).text + "\n")
    }

    /// The officers' status table, aligned by display width.
    static func table(_ rows: [(AccountEvaluation, Account)]) -> String {
        var table = TextTable(headers: ["ID", "名称", "主办单位", "平台", "状态", "最近发布", "天数", "三审覆盖", "得分", "结论", "主要问题"],
                              alignments: [.left, .left, .left, .left, .left, .left, .right, .right, .right, .left, .left], maxCellWidth: 40)
        for (r, a) in rows {
            table.append([a.id, a.name, a.owner, a.platform.chineseName, a.status.chineseName,
                          r.lastPostAt.map { ChinaTime.civil($0).date.description } ?? "—", r.daysSinceUpdate.map(String.init) ?? "—",
                          r.reviewCoverage.map { String(format: "%.0f%%", $0 * 100) } ?? "—", r.score.map(String.init) ?? "—",
                          r.verdict.chineseName, r.mainFinding.map { "[\($0.rule)] \($0.message)" } ?? ""])
        }
        return table.render()
    }

    /// The stored run (latest, or latest at or before `--at`), else a fresh evaluation.
    private func results(_ store: Store) throws -> ([AccountEvaluation], Date) {
        if judging.at == nil, let run = try store.latestRun() {
            return (try store.evaluations(runID: run.id), run.checkAt)
        }
        let at = try judging.checkTime()
        return (try judging.assessment(store).run(at: at, trigger: "status", save: false).results, at)
    }
}

/// One status row as JSON (and CSV).
struct StatusRowJSON: Encodable {
    struct FindingJSON: Encodable {
        var rule, severity: String
        var points: Int
        var message: String
        var post_title, post_url, evidence_sha256: String?
        var fetch_id: Int64?
    }

    var id, name, owner, platform, platform_name, status: String
    var verdict: String
    var score: Int?
    var last_post_at: String?
    var days_since_update: Int?
    var review_coverage: Double?
    var posts_in_window: Int
    var findings: [FindingJSON]

    init(_ r: AccountEvaluation, account: Account?) {
        id = r.accountID
        name = account?.name ?? ""
        owner = account?.owner ?? ""
        platform = account?.platform.rawValue ?? ""
        platform_name = account?.platform.chineseName ?? ""
        status = account?.status.rawValue ?? ""
        verdict = r.verdict.rawValue
        score = r.score
        last_post_at = r.lastPostAt.map(ChinaTime.iso8601)
        days_since_update = r.daysSinceUpdate
        review_coverage = r.reviewCoverage.map { ($0 * 1000).rounded() / 1000 }
        posts_in_window = r.postsInWindow
        findings = r.findings.map {
            FindingJSON(rule: $0.rule, severity: $0.severity.rawValue, points: $0.points, message: $0.message,
                        post_title: $0.postTitle, post_url: $0.postURL, evidence_sha256: $0.evidenceSHA256, fetch_id: $0.fetchID)
        }
    }

    func encode(to encoder: any Encoder) throws {
        // Nulls are written out: every documented field is always present.
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(id, forKey: .id); try c.encode(name, forKey: .name); try c.encode(owner, forKey: .owner)
        try c.encode(platform, forKey: .platform); try c.encode(platform_name, forKey: .platform_name)
        try c.encode(status, forKey: .status); try c.encode(verdict, forKey: .verdict); try c.encode(score, forKey: .score)
        try c.encode(last_post_at, forKey: .last_post_at); try c.encode(days_since_update, forKey: .days_since_update)
        try c.encode(review_coverage, forKey: .review_coverage); try c.encode(posts_in_window, forKey: .posts_in_window)
        try c.encode(findings, forKey: .findings)
    }

    enum Keys: String, CodingKey {
        case id, name, owner, platform, platform_name, status, verdict, score, last_post_at, days_since_update, review_coverage
        case posts_in_window, findings
    }

    static let csvHeader = ["账号ID", "名称", "主办单位", "平台", "状态", "结论", "得分", "最近发布", "距今天数", "三审覆盖率", "主要问题"]

    var csvRow: [String] {
        [id, name, owner, platform_name, status, Verdict(rawValue: verdict)?.chineseName ?? verdict, score.map(String.init) ?? "",
         last_post_at ?? "", days_since_update.map(String.init) ?? "", review_coverage.map { String(format: "%.1f%%", $0 * 100) } ?? "",
         findings.first.map { "[\($0.rule)] \($0.message)" } ?? ""]
    }
}

/// `govmedia findings`: what the latest run (or runs since a date) found.
struct FindingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "findings", abstract: "问题清单：最近一次评判（或某日以来各次评判）发现的问题。")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "只看此账号") var account: String?
    @Option(help: "自此日期（YYYY-MM-DD）以来各次评判的问题，标出首次与最近发现时间") var since: String?
    @Flag(help: "以 JSON 输出") var json = false

    func run() throws {
        let store = try db.openForReading()
        var sinceDate: Date?
        if let since {
            guard let d = ChinaTime.parseISO(since) else { throw CLIFailure("--since 应为 YYYY-MM-DD：\(since)") }
            sinceDate = d
        }
        let items = try store.findingHistory(accountID: account, since: sinceDate)
        if json {
            return try printJSON(items.map {
                ["account_id": $0.accountID, "rule": $0.finding.rule, "severity": $0.finding.severity.rawValue,
                 "points": String($0.finding.points), "message": $0.finding.message,
                 "evidence_sha256": $0.finding.evidenceSHA256 ?? "", "first_seen": ChinaTime.iso8601($0.firstSeen),
                 "last_seen": ChinaTime.iso8601($0.lastSeen)]
            })
        }
        var table = TextTable(headers: ["账号", "规则", "性质", "扣分", "说明", "首次发现", "最近发现", "证据"], maxCellWidth: 70)
        for i in items {
            table.append([i.accountID, i.finding.rule, i.finding.severity.chineseName, String(i.finding.points), i.finding.message,
                          ChinaTime.short(i.firstSeen), ChinaTime.short(i.lastSeen), i.finding.evidenceSHA256.map { String($0.prefix(12)) } ?? ""])
        }
        output(items.isEmpty ? "没有发现问题。\n" : table.render() + "共 \(items.count) 项。\n")
    }
}

/// `govmedia scores`: one account's verdicts and scores over time.
struct ScoresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scores", abstract: "账号历次评判的结论与得分。")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "账号 id") var id: String
    @Flag(help: "以 JSON 输出") var json = false

    func run() throws {
        let store = try db.openForReading()
        guard try store.account(id) != nil else { throw CLIFailure("台账中没有账号 \(id)") }
        let points = try store.scoreHistory(accountID: id)
        if json {
            return try printJSON(points.map {
                ["check_at": ChinaTime.iso8601($0.run.checkAt), "verdict": $0.evaluation.verdict.rawValue,
                 "score": $0.evaluation.score.map(String.init) ?? "", "rules_version": $0.run.rulesVersion,
                 "run_id": String($0.run.id)]
            })
        }
        var table = TextTable(headers: ["监测时间点", "结论", "得分", "问题数", "规则版本"])
        for p in points {
            table.append([ChinaTime.short(p.run.checkAt), p.evaluation.verdict.chineseName, p.evaluation.score.map(String.init) ?? "—",
                          String(p.evaluation.findings.count), String(p.run.rulesVersion.prefix(12))])
        }
        output(points.isEmpty ? "账号 \(id) 还没有评判记录；运行 govmedia evaluate。\n" : table.render())
    }
}
