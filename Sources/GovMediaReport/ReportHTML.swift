import Foundation
import GovMediaCore
import GovMediaStore

extension WeeklyReport {
    /// The report as one self-contained HTML page (inline CSS and SVG, no external requests).
    public func html(template: ReportTemplate) -> String {
        template.render(context())
    }

    /// The values the template sees. Every text goes out through `{{ }}` (escaped); the
    /// charts are numbers computed in `ReportCharts`.
    func context() -> [String: Any] {
        var c: [String: Any] = [
            "title": ReportFormat.title(district: district),
            "weekName": week.chineseName,
            "weekCode": week.description,
            "weekRange": ReportFormat.range(week),
            "hasData": hasData,
            "noDataReason": run == nil
                ? "\(ReportFormat.range(week)) 期间没有保存的评判结果（请确认扫描与评判是否按时运行）。"
                : "本周评判结果中没有需要评判的账号（台账为空或账号均已注销）。",
            "headline": headlineContext(),
            "trend": ReportCharts.trend(trend, current: week),
            "problems": problems.map(problemContext),
            "hasPrevious": previousRun != nil,
            "newlyFailing": newlyFailing.map(changeContext), "newlyFailingCount": newlyFailing.count, "hasNewlyFailing": !newlyFailing.isEmpty,
            "fixed": fixed.map(changeContext), "fixedCount": fixed.count, "hasFixed": !fixed.isEmpty,
            "chronic": chronic.map(changeContext), "chronicCount": chronic.count, "hasChronic": !chronic.isEmpty,
            "hasOwnerChart": !failuresByOwner.isEmpty,
            "ownerChart": ReportCharts.failuresByOwner(failuresByOwner),
            "coverage": coverage.map(coverageContext),
            "coverageTotal": coverageContext(OwnerCoverage(owner: "合计", accounts: coverage.reduce(0) { $0 + $1.accounts },
                                                           posts: coverage.reduce(0) { $0 + $1.posts },
                                                           reviewed: coverage.reduce(0) { $0 + $1.reviewed })),
            "rectification": rectification.context(heading: hasData ? "七、整改情况" : "整改情况"),
            "registerHeading": hasData ? "八、本周台账变更" : "本周台账变更",
            "registerChanges": registerChanges.map(registerContext), "hasRegisterChanges": !registerChanges.isEmpty,
            "disclosureHeading": hasData ? "九、政府信息公开年报" : "政府信息公开年报",
            "disclosures": disclosures.map(disclosureContext),
            "disclosureNote": "数据库中没有 \(week.monday.year - 1) 或 \(week.monday.year) 年度的政府信息公开年报（可用 govmedia disclosure import 导入）。",
            "sources": sources.map { h -> [String: Any] in
                ["bridge": h.name, "accounts": h.accounts, "ok": h.ok, "failing": h.failing.count, "neverRead": h.neverRead,
                 "since": h.failingSince.map(ChinaTime.short) ?? "—",
                 "state": h.stateName, "stateClass": h.isDown ? "problem" : h.failing.isEmpty ? "ok" : ""]
            },
            "hasSources": !sources.isEmpty,
            "sourceProblems": sources.compactMap(\.problem).map { ["text": $0] },
            "registerDrift": registerDrift.map { ["text": $0] }, "hasRegisterDrift": !registerDrift.isEmpty,
            "chainHeads": chainHeads.map { ["name": $0.ledger.chineseName, "count": String($0.count), "hash": $0.hash] },
            "source": run.map { "评判 #\($0.id)，监测时间点 \(ChinaTime.iso8601($0.checkAt))" } ?? "本周无评判",
        ]
        if let run {
            c["checkTime"] = ChinaTime.short(run.checkAt)
            c["rulesVersion"] = String(run.rulesVersion.prefix(12))
        }
        return c
    }

    private func headlineContext() -> [String: Any] {
        var h: [String: Any] = [
            "monitored": headline.monitored, "passing": headline.passing, "failing": headline.failing,
            "unverifiable": headline.unverifiable, "rate": ReportFormat.percent(headline.rate),
            "change": ReportFormat.change(headline.rate, from: headline.previousRate),
        ]
        if let p = headline.previousRate, let r = headline.rate {
            h["previousRate"] = ReportFormat.percent(p)
            let points = ((r - p) * 1000).rounded()
            h["changeClass"] = points > 0 ? "up" : points < 0 ? "down" : "flat"
        } else {
            h["changeClass"] = "none"
        }
        return h
    }

    private func problemContext(_ p: ProblemAccount) -> [String: Any] {
        var d: [String: Any] = [
            "id": p.id, "name": p.name, "owner": p.owner, "platform": p.platform,
            "verdictName": p.verdict.chineseName, "verdictClass": ReportFormat.verdictClass(p.verdict),
            "veto": p.veto, "chronic": p.weeks >= Self.chronicWeeks, "weeks": p.weeks,
            "findings": p.findings.map(findingContext),
        ]
        if let score = p.score, p.verdict == .fail { d["score"] = score }
        if p.moreFindings > 0 { d["moreFindings"] = p.moreFindings }
        // Built and escaped by TimelineStrip; the template's one triple-brace output.
        d["hasTimeline"] = p.timeline != nil
        if let timeline = p.timeline { d["timelineSVG"] = TimelineStrip.svg(timeline, title: p.name) }
        return d
    }

    private func findingContext(_ f: FindingLine) -> [String: Any] {
        var d: [String: Any] = [
            "severityName": f.severity.chineseName, "severityClass": f.severity.rawValue, "message": f.message, "rule": f.rule,
            "hasPost": f.postTitle != nil || f.postURL != nil, "postTitle": f.postTitle ?? "（无标题）",
        ]
        if let link = ReportFormat.safeLink(f.postURL) { d["link"] = link } else if let url = f.postURL { d["postURL"] = url }
        if let sha = f.evidenceSHA256, !sha.isEmpty { d["evidence"] = ReportFormat.shortHash(sha) }
        return d
    }

    private func changeContext(_ r: ChangeRow) -> [String: Any] {
        ["id": r.id, "name": r.name, "owner": r.owner, "verdictName": r.verdict.chineseName,
         "previousVerdictName": r.previousVerdict?.chineseName ?? "—", "reason": r.reason, "weeks": r.weeks]
    }

    private func coverageContext(_ o: OwnerCoverage) -> [String: Any] {
        let cls = o.coverage.map { $0 >= 0.999 ? "ok" : $0 < 0.8 ? "problem" : "" } ?? "none"
        return ["owner": o.owner, "accounts": o.accounts, "posts": o.posts, "reviewed": o.reviewed,
                "coverage": ReportFormat.percent(o.coverage), "coverageClass": cls]
    }

    private func registerContext(_ r: RegisterChange) -> [String: Any] {
        let at = TextDate.readExact(r.at).map(ChinaTime.short) ?? r.at
        return ["at": at, "accountID": r.accountID, "accountName": r.accountName, "kind": r.kind.chineseName, "summary": r.summary,
                "operator": r.operator, "reason": r.reason]
    }

    private func disclosureContext(_ d: DisclosureSummary) -> [String: Any] {
        ["org": d.org, "year": String(d.year), "figures": d.figures.map { ["label": $0.label, "value": $0.value] },
         "hasFigures": !d.figures.isEmpty, "problems": d.problems.map { ["text": $0] }, "hasProblems": !d.problems.isEmpty,
         "problemCount": d.problems.count]
    }
}
