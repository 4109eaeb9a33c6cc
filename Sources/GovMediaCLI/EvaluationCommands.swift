import ArgumentParser
import Foundation
import GovMediaCore
import GovMediaScan
import GovMediaRules
import GovMediaStore
import GovMediaWorkflows

/// Options for commands that judge accounts: the check time and the rules.
struct JudgingOptions: ParsableArguments {
    @Option(help: "监测时间点：YYYY-MM-DD、\"YYYY-MM-DD HH:mm\" 或 ISO 8601（默认现在，北京时间）") var at: String?
    @Option(help: "规则目录（默认 $GOVMEDIA_RULES，否则 ./rules 或安装目录）") var rules: String?

    func checkTime() throws -> Date {
        guard let at else { return Date() }
        guard let date = TextDate.readExact(at) else {
            throw CLIFailure("--at 无法识别：\(at)（示例：2026-11-24、\"2026-11-24 09:00\"、2026-11-24T09:00:00+08:00）")
        }
        return date
    }

    var rulesDirectory: String { RulesLocation.resolve(explicit: rules) }

    func assessment(_ store: Store) throws -> Assessment { try loadAssessment(store, rulesDirectory: rulesDirectory) }
}

/// The rules loaded for judging, with a rule-file error told as the other failures are.
func loadAssessment(_ store: Store, rulesDirectory: String) throws -> Assessment {
    do { return try Assessment(store: store, rulesDirectory: rulesDirectory) } catch {
        throw CLIFailure("规则加载失败：\(error)")
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
        let outcome = try EvaluationWorkflow(assessment: judging.assessment(store)).run(at: at, trigger: "manual", by: currentOperator())
        let (runID, results) = (outcome.runID, outcome.results)
        let lookBack = outcome.lookBackBehind.map {
            "回溯评判：监测时间点早于评判 #\($0.id)（\(ChinaTime.iso8601($0.checkAt))），整改事项不随之变动。\n"
        } ?? ""
        if json {
            outputError(lookBack)
            let accounts = Dictionary(uniqueKeysWithValues: try store.accounts().map { ($0.id, $0) })
            return output(StatusCommand.json(results.compactMap { r in accounts[r.accountID].map { StatusRow(r, account: $0) } }))
        }
        output("评判 #\(runID)，监测时间点 \(ChinaTime.iso8601(at))：" + Summary(results).text + "\n"
               + lookBack + RectifyCommand.outcomeText(outcome.rectification) + "查看：govmedia status\n")
    }
}

/// Counts for a one-line summary.
struct Summary {
    var judged = 0, pass = 0, fail = 0, unverifiable = 0

    init(_ results: [AccountEvaluation]) { self.init(results.map(\.verdict)) }

    init(_ verdicts: [Verdict]) {
        for v in verdicts {
            switch v {
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
        let (all, at) = try rows(store, withFindings: json)
        let rows = all.filter { r in
            if let owner, !r.owner.contains(owner) { return false }
            if let platform, r.platform.rawValue != platform { return false }
            if failing, r.verdict == .pass || r.verdict == .notJudged { return false }
            return true
        }
        // Notices for the office (the register file out of step with the database, …): at the
        // top of the table, or on standard error where the output is data.
        let notices = try OfficeNotices.current(store).map { "注意：\($0)" }
        let open = try store.openRectificationCounts(at: judging.at == nil ? nil : at)
        if json || csv { outputError(notices.map { $0 + "\n" }.joined()) }
        if json { return output(Self.json(rows, open: open)) }
        if csv {
            var w = CSVWriter(header: Self.csvHeader)
            for r in rows { w.append(Self.csvRow(r, open: open[r.id] ?? 0)) }
            return FileHandle.standardOutput.write(Data(w.bytes))
        }
        let openTotal = rows.reduce(0) { $0 + (open[$1.id] ?? 0) }
        output(notices.map { $0 + "\n" }.joined() + "监测时间点 \(ChinaTime.iso8601(at))\n" + Self.table(rows, open: open) + Summary(all.map(\.verdict)).text
               + (openTotal > 0 ? "待整改事项 \(openTotal) 个（govmedia rectify list --open）。" : "") + "\n")
    }

    /// The stored run (latest, or latest at or before `--at`), else a fresh evaluation.
    private func rows(_ store: Store, withFindings: Bool) throws -> ([StatusRow], Date) {
        if judging.at == nil, let run = try store.latestRun() {
            return (try store.statusRows(runID: run.id, withFindings: withFindings), run.checkAt)
        }
        let at = try judging.checkTime()
        let results = try judging.assessment(store).run(at: at, trigger: "status", save: false).results
        let accounts = Dictionary(uniqueKeysWithValues: try store.accounts().map { ($0.id, $0) })
        let rows = results.compactMap { r in accounts[r.accountID].map { StatusRow(r, account: $0) } }
        return (rows.sorted { ($0.owner, $0.id) < ($1.owner, $1.id) }, at)
    }

    /// The officers' status table, aligned by display width.
    static func table(_ rows: [StatusRow], open: [String: Int] = [:]) -> String {
        var table = TextTable(headers: ["ID", "名称", "主办单位", "平台", "状态", "最近发布", "天数", "三审覆盖", "得分", "结论", "待整改", "主要问题"],
                              alignments: [.left, .left, .left, .left, .left, .left, .right, .right, .right, .left, .right, .left], maxCellWidth: 40)
        for r in rows {
            table.append([r.id, r.name, r.owner, r.platform.chineseName, r.status.chineseName,
                          r.lastPostAt.map { ChinaTime.civil($0).date.description } ?? "—", r.daysSinceUpdate.map(String.init) ?? "—",
                          r.reviewCoverage.map { "\(Int(($0 * 100).rounded(.toNearestOrEven)))%" } ?? "—", r.score.map(String.init) ?? "—",
                          r.verdict.chineseName, open[r.id].map(String.init) ?? "—", r.mainRule.map { "[\($0)] \(r.mainMessage ?? "")" } ?? ""])
        }
        return table.render()
    }

    /// The JSON array, written by hand around each account's findings.
    static func json(_ rows: [StatusRow], open: [String: Int] = [:]) -> String {
        var out = "[\n"
        for (i, r) in rows.enumerated() {
            let coverage = r.reviewCoverage.map { String(($0 * 1000).rounded() / 1000) } ?? "null"
            out += "  {\"id\": \(JSONText.quote(r.id)), \"name\": \(JSONText.quote(r.name)), \"owner\": \(JSONText.quote(r.owner)), "
            out += "\"platform\": \(JSONText.quote(r.platform.rawValue)), \"platform_name\": \(JSONText.quote(r.platform.chineseName)), "
            out += "\"status\": \(JSONText.quote(r.status.rawValue)), \"verdict\": \(JSONText.quote(r.verdict.rawValue)), "
            out += "\"score\": \(JSONText.value(r.score)), \"last_post_at\": \(JSONText.value(r.lastPostAt.map(ChinaTime.iso8601))), "
            out += "\"days_since_update\": \(JSONText.value(r.daysSinceUpdate)), \"review_coverage\": \(coverage), "
            out += "\"posts_in_window\": \(r.postsInWindow), \"open_rectifications\": \(open[r.id] ?? 0), \"findings\": "
            Finding.appendJSON(r.findings, to: &out)
            out += "}"
            out += i == rows.count - 1 ? "\n" : ",\n"
        }
        return out + "]\n"
    }

    static let csvHeader = ["账号ID", "名称", "主办单位", "平台", "状态", "结论", "得分", "最近发布", "距今天数", "三审覆盖率", "主要问题", "待整改"]

    static func csvRow(_ r: StatusRow, open: Int = 0) -> [String] {
        [r.id, r.name, r.owner, r.platform.chineseName, r.status.chineseName, r.verdict.chineseName, r.score.map(String.init) ?? "",
         r.lastPostAt.map(ChinaTime.iso8601) ?? "", r.daysSinceUpdate.map(String.init) ?? "",
         r.reviewCoverage.map { String(format: "%.1f%%", $0 * 100) } ?? "", r.mainRule.map { "[\($0)] \(r.mainMessage ?? "")" } ?? "",
         String(open)]
    }
}

extension StatusRow {
    /// A row from a fresh evaluation (what-if `--at`, the demo).
    init(_ e: AccountEvaluation, account a: Account) {
        self.init(id: a.id, name: a.name, owner: a.owner, platform: a.platform, status: a.status, verdict: e.verdict, score: e.score,
                  lastPostAt: e.lastPostAt, daysSinceUpdate: e.daysSinceUpdate, reviewCoverage: e.reviewCoverage,
                  postsInWindow: e.postsInWindow, mainRule: e.mainFinding?.rule, mainMessage: e.mainFinding?.message,
                  findings: e.findings)
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
            guard let d = TextDate.readExact(since) else { throw CLIFailure("--since 应为 YYYY-MM-DD：\(since)") }
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
