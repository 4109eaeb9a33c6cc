import ArgumentParser
import Foundation
import GovMediaCore
import GovMediaReport
import GovMediaRules
import GovMediaScan
import GovMediaStore

/// `govmedia explain`: every rule, what it found for one account, and the posts and
/// evidence behind it.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "逐条规则解释一个账号的评判结果，列出依据的帖子与证据。")
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var judging: JudgingOptions
    @Argument(help: "账号 id") var id: String
    @Option(name: .customLong("svg"), help: ArgumentHelp("把更新时间线另存为 SVG 图片（固定尺寸，可插入文档）", valueName: "文件"))
    var svgFile: String?

    func run() throws {
        let store = try db.openForReading()
        guard let account = try store.account(id) else { throw CLIFailure("台账中没有账号 \(id)") }
        let at = try judging.checkTime()
        let assessment = try judging.assessment(store)
        let evaluator = Evaluator(rules: assessment.rules)
        guard let snapshot = try store.snapshots(at: at, windowDays: evaluator.windowDays, historyDays: evaluator.historyDays,
                                                          accountIDs: [id]).first else { return }
        let result = evaluator.evaluate(snapshot, at: at)
        var text = "账号 \(account.id)《\(account.name)》（\(account.owner)，\(account.platform.chineseName)，\(account.status.chineseName)）\n"
        text += "监测时间点 \(ChinaTime.iso8601(at))，规则版本 \(assessment.rules.version.prefix(12))\n"
        text += "结论：\(result.verdict.chineseName)" + (result.score.map { "，得分 \($0)（合格线 \(assessment.rules.local.passMark ?? 60)）" } ?? "") + "\n\n"
        // What the readers met in the latest body (an XPath that matched nothing, a wrong
        // charset, broken markup): often the reason no post was read.
        // After a 304 that is the last body read, not the answer that said nothing changed.
        let problems = try snapshot.lastFetch.flatMap { try store.fetch(id: $0.fetchID) }.map { latest in
            latest.notModified ? try store.latestRead(accountID: id, atOrBefore: at)?.problems ?? [] : latest.problems
        } ?? []
        text += context(snapshot, evaluator.windowDays, problems: problems)
        // The timeline the pattern rules read, so an officer can count the days themselves.
        let timeline = evaluator.timeline(snapshot, at: at)
        text += "\n" + TimelineStrip.text(timeline)
        if let svgFile {
            let svg = TimelineStrip.svg(timeline, title: "\(account.name)（\(account.id)）")
            do {
                try Data(svg.utf8).write(to: URL(fileURLWithPath: svgFile), options: .atomic)
            } catch {
                throw CLIFailure("无法写入 SVG 文件 \(svgFile)：\(error.localizedDescription)")
            }
            text += "  时间线图已写入 \(svgFile)\n"
        }
        // The newest item of each rule: the one behind a failing rule, or its last closed one.
        var items: [String: RectificationItem] = [:]
        for item in try store.rectifications(RectificationFilter(accountID: id)) where items[item.rule] == nil { items[item.rule] = item }
        for profile in [assessment.rules.national, assessment.rules.local] {
            text += "\n【\(profile.title)】\n"
            for rule in profile.rules {
                let hits = result.findings.filter { $0.rule == rule.id }
                let weight = rule.severity == .deduction ? "每项扣 \(rule.points) 分" + (rule.cap.map { "，上限 \($0)" } ?? "") : rule.severity.chineseName
                text += "- \(rule.id) \(rule.title)（\(weight)；依据：\(rule.source)）\n"
                text += hits.isEmpty ? "    未发现问题\n" : hits.map { "    ✗ \($0.message)" + evidence($0) + "\n" }.joined()
                if !hits.isEmpty, let item = items[rule.id] {
                    text += "    整改事项 #\(item.id)：\(item.stateName(at: at))，发现于 \(ChinaTime.short(item.foundAt))，时限 \(item.deadlineText)"
                        + "（govmedia rectify show \(item.id)）\n"
                } else if !hits.isEmpty, assessment.rules.rectifyDays(rule.id) != nil {
                    text += "    整改事项：尚未开立（下一次评判 govmedia evaluate 时开立）\n"
                }
            }
        }
        let other = result.findings.filter { f in !assessment.rules.allRules.contains { $0.id == f.rule } }
        if !other.isEmpty { text += "\n【说明】\n" + other.map { "- \($0.message)" + evidence($0) + "\n" }.joined() }
        output(text)
    }

    private func context(_ s: AccountSnapshot, _ windowDays: Int, problems: [String]) -> String {
        var text = "读取情况："
        if let f = s.lastFetch {
            text += "最近一次抓取 #\(f.fetchID) 于 \(ChinaTime.iso8601(f.fetchedAt))，" + (f.failure.map { "失败（\($0.label)）：\(f.failureMessage ?? "")" } ?? "成功")
            if let sha = f.evidenceSHA256 { text += "，证据 \(sha.prefix(12))" }
        } else {
            text += "尚未抓取"
        }
        text += "；连续失败 \(s.consecutiveFailures) 次\n"
        if !problems.isEmpty { text += "读取时发现的问题：\n" + problems.map { "  - \($0)\n" }.joined() }
        if let p = s.newestDatedPost {
            text += "最近一条有日期的帖子：《\(p.post.title)》\(p.post.publishedAt.map(ChinaTime.short) ?? "") \(p.post.url ?? "")\n"
        }
        text += "近 \(windowDays) 天的帖子：\(s.windowPosts.count) 条；三审记录 \(s.reviews.count) 条\n"
        return text
    }

    private func evidence(_ f: Finding) -> String {
        var parts: [String] = []
        if let url = f.postURL { parts.append(url) }
        if let sha = f.evidenceSHA256 { parts.append("证据 govmedia evidence show \(sha.prefix(16))") }
        return parts.isEmpty ? "" : "\n      " + parts.joined(separator: "；")
    }
}

/// `govmedia account flag` / `unflag`: officers' observations the pages cannot show.
struct FlagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "flag", abstract: "记录人工核查结论，如 no-interaction（互动回应差，单项否决）。")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "账号 id") var id: String
    @Argument(help: "标记：no-interaction") var flag: String
    @Option(help: "依据（必填）") var reason: String

    func run() throws {
        guard Self.known.contains(flag) else { throw CLIFailure("未知标记 \(flag)，可用：\(Self.known.joined(separator: ", "))") }
        try db.open().setFlag(id, flag: flag, by: Attribution(operator: currentOperator(), reason: try requireReason(reason)))
        output("已标记 \(id)：\(flag)。下次评判生效（govmedia evaluate）。\n")
    }

    static let known = ["no-interaction"]
}

/// Clears a flag.
struct UnflagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unflag", abstract: "解除人工核查标记。")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "账号 id") var id: String
    @Argument(help: "标记：no-interaction") var flag: String
    @Option(help: "原因（必填）") var reason: String

    func run() throws {
        try db.open().clearFlag(id, flag: flag, by: Attribution(operator: currentOperator(), reason: try requireReason(reason)))
        output("已解除 \(id) 的标记 \(flag)。\n")
    }
}
