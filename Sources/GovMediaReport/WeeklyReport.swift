import Foundation
import GovMediaCore
import GovMediaStore

/// The weekly compliance report as data: every number and every line the HTML, the CSV
/// and the mail show, computed once from `WeeklyInputs`, in a stable order.
public struct WeeklyReport: Sendable {
    /// Accounts monitored, passing and the pass rate (达标率), with last week's for comparison.
    public struct Headline: Sendable, Equatable {
        public var monitored = 0, passing = 0, failing = 0, unverifiable = 0
        /// Passing / monitored; nil when nothing was judged.
        public var rate: Double?
        public var previousRate: Double?
        public var previousMonitored: Int?
    }

    /// One finding as the report shows it, with the evidence behind it.
    public struct FindingLine: Sendable, Equatable {
        public var rule: String
        public var severity: Severity
        public var message: String
        public var postTitle: String?
        public var postURL: String?
        /// The full sha256 of the stored page or feed that shows it.
        public var evidenceSHA256: String?
    }

    /// An account that did not pass, and why.
    public struct ProblemAccount: Sendable, Equatable {
        public var id, name, owner, platform: String
        public var verdict: Verdict
        /// Failed on a veto item (单项否决).
        public var veto: Bool
        public var score: Int?
        public var findings: [FindingLine]
        /// Findings not shown (see CSV and `govmedia explain`).
        public var moreFindings: Int
        /// Weeks in a row not passing, this week included.
        public var weeks: Int
        /// Its update timeline up to the check time; nil when no dated post is known.
        public var timeline: UpdateTimeline?
    }

    /// An account whose standing changed (or did not) between weeks.
    public struct ChangeRow: Sendable, Equatable {
        public var id, name, owner: String
        public var verdict: Verdict
        public var previousVerdict: Verdict?
        public var reason: String
        public var weeks: Int
    }

    /// One register event of the week.
    public struct RegisterChange: Sendable, Equatable {
        public var seq: Int64
        public var at: String
        public var accountID, accountName: String
        public var kind: LifecycleEvent.Kind
        public var summary: String
        public var `operator`: String
        public var reason: String
    }

    /// 三审 coverage of one owner unit: window posts with a complete record / window posts.
    public struct OwnerCoverage: Sendable, Equatable {
        public var owner: String
        public var accounts: Int
        public var posts: Int
        public var reviewed: Int
        public var coverage: Double? { posts == 0 ? nil : Double(reviewed) / Double(posts) }
    }

    /// Accounts of one owner unit that did not pass.
    public struct OwnerFailures: Sendable, Equatable {
        public var owner: String
        public var failing: Int
        public var accounts: Int
    }

    /// One week of the pass-rate trend.
    public struct TrendPoint: Sendable, Equatable {
        public var week: ISOWeek
        public var monitored: Int
        public var passing: Int
        public var rate: Double? { monitored == 0 ? nil : Double(passing) / Double(monitored) }
    }

    /// One account's row of the CSV.
    public struct AccountRow: Sendable, Equatable {
        public var id, name, owner, platform, status: String
        public var verdict: Verdict
        public var previousVerdict: Verdict?
        public var change: String
        public var weeks: Int
        public var score: Int?
        public var lastPostAt: Date?
        public var daysSinceUpdate: Int?
        public var postsInWindow: Int
        public var reviewedPosts: Int
        public var vetoes: Int
        public var mainFinding: String
        public var evidenceSHA256: String
    }

    public var week: ISOWeek
    /// The district's name for titles (`净月高新区`), when configured.
    public var district: String?
    public var run: EvaluationRun?
    public var previousRun: EvaluationRun?
    public var headline: Headline
    /// Vetoes first, then fails on points (lowest score first), then unverifiable.
    public var problems: [ProblemAccount]
    public var newlyFailing: [ChangeRow]
    public var fixed: [ChangeRow]
    /// Not passing three weeks or more in a row, longest first.
    public var chronic: [ChangeRow]
    public var registerChanges: [RegisterChange]
    public var coverage: [OwnerCoverage]
    public var failuresByOwner: [OwnerFailures]
    public var trend: [TrendPoint]
    public var rows: [AccountRow]
    public var disclosures: [DisclosureSummary]
    public var chainHeads: [ChainHead]
    public var registerDrift: [String]
    public var sources: [BridgeHealth]
    /// The 整改 section.
    public var rectification: WeeklyRectification

    /// True when the week has a stored run with at least one judged account.
    public var hasData: Bool { run != nil && headline.monitored > 0 }

    /// How many findings an account shows in the HTML before "另有 N 条".
    public static let findingsShown = 6
    /// Weeks in a row that make an account chronic.
    public static let chronicWeeks = 3

    /// Builds the report; pure and deterministic.
    public init(_ inputs: WeeklyInputs, district: String? = nil) {
        week = inputs.week
        self.district = district
        run = inputs.current?.run
        previousRun = inputs.previous?.run
        disclosures = inputs.disclosures
        chainHeads = inputs.chainHeads
        registerDrift = inputs.registerDrift
        sources = inputs.sources
        rectification = WeeklyRectification(week: inputs.week, items: inputs.rectificationItems, contacts: inputs.unitContacts,
                                             notices: inputs.notices, warnings: inputs.rectificationWarnings)
        let register = Dictionary(inputs.accounts.map { ($0.id, $0) }) { a, _ in a }
        let current = (inputs.current?.evaluations ?? []).sorted { $0.accountID < $1.accountID }
        let previous = Dictionary((inputs.previous?.evaluations ?? []).map { ($0.accountID, $0.verdict) }) { a, _ in a }
        let streaks = Self.streaks(current, history: inputs.history)

        headline = Headline()
        for e in current {
            switch e.verdict {
            case .pass: headline.passing += 1
            case .fail: headline.failing += 1
            case .unverifiable: headline.unverifiable += 1
            case .notJudged: continue
            }
            headline.monitored += 1
        }
        headline.rate = headline.monitored == 0 ? nil : Double(headline.passing) / Double(headline.monitored)
        if let p = inputs.previous?.run, p.accounts > 0 {
            headline.previousRate = Double(p.passing) / Double(p.accounts)
            headline.previousMonitored = p.accounts
        }

        func label(_ id: String) -> (name: String, owner: String, platform: String, status: String) {
            guard let a = register[id] else { return (id, "（台账中无此账号）", "", "") }
            return (a.name, a.owner, a.platform.chineseName, a.status.chineseName)
        }

        problems = current.filter { $0.verdict == .fail || $0.verdict == .unverifiable }.map { e in
            let l = label(e.accountID)
            let veto = e.findings.contains { $0.severity == .veto }
            let relevant = e.verdict == .fail ? e.findings.filter { $0.severity != .info } : e.findings
            let lines = (relevant.isEmpty ? e.findings : relevant).map {
                FindingLine(rule: $0.rule, severity: $0.severity, message: $0.message, postTitle: $0.postTitle,
                            postURL: $0.postURL, evidenceSHA256: $0.evidenceSHA256)
            }
            let timeline = inputs.current.flatMap { current -> UpdateTimeline? in
                guard let posts = inputs.postTimes[e.accountID], !posts.isEmpty else { return nil }
                return UpdateTimeline(posts: posts, checkAt: current.run.checkAt, periodDays: inputs.timelineDays,
                                      limitDays: inputs.limitDays, notBefore: register[e.accountID]?.registeredOn)
            }
            return ProblemAccount(id: e.accountID, name: l.name, owner: l.owner, platform: l.platform, verdict: e.verdict, veto: veto,
                                  score: e.score, findings: Array(lines.prefix(Self.findingsShown)),
                                  moreFindings: max(0, lines.count - Self.findingsShown), weeks: streaks[e.accountID] ?? 1,
                                  timeline: timeline)
        }.sorted(by: Self.problemOrder)

        var newly: [ChangeRow] = [], fixed: [ChangeRow] = [], chronic: [ChangeRow] = []
        var rows: [AccountRow] = []
        for e in current {
            let l = label(e.accountID)
            let before = previous[e.accountID]
            let weeks = streaks[e.accountID] ?? 0
            let reason = e.mainFinding.map { "[\($0.rule)] \($0.message)" } ?? ""
            let row = ChangeRow(id: e.accountID, name: l.name, owner: l.owner, verdict: e.verdict, previousVerdict: before,
                                reason: reason, weeks: weeks)
            var change = ""
            if Self.notPassing(e.verdict) {
                if weeks >= Self.chronicWeeks {
                    chronic.append(row)
                    change = "连续\(weeks)周未达标"
                } else if before == .pass {
                    newly.append(row)
                    change = "新增未达标"
                }
            } else if e.verdict == .pass, let before, Self.notPassing(before) {
                fixed.append(row)
                change = "已整改"
            }
            rows.append(AccountRow(
                id: e.accountID, name: l.name, owner: l.owner, platform: l.platform, status: l.status, verdict: e.verdict,
                previousVerdict: before, change: change, weeks: weeks, score: e.score, lastPostAt: e.lastPostAt,
                daysSinceUpdate: e.daysSinceUpdate, postsInWindow: e.postsInWindow, reviewedPosts: e.reviewedPosts,
                vetoes: e.findings.filter { $0.severity == .veto }.count, mainFinding: reason,
                evidenceSHA256: e.mainFinding?.evidenceSHA256 ?? ""))
        }
        let byOwner = { (a: ChangeRow, b: ChangeRow) in (a.owner, a.id) < (b.owner, b.id) }
        newlyFailing = newly.sorted(by: byOwner)
        self.fixed = fixed.sorted(by: byOwner)
        self.chronic = chronic.sorted { ($1.weeks, $0.owner, $0.id) < ($0.weeks, $1.owner, $1.id) }
        self.rows = rows.sorted { ($0.owner, $0.id) < ($1.owner, $1.id) }

        var coverage: [String: OwnerCoverage] = [:]
        var failures: [String: OwnerFailures] = [:]
        for e in current where e.verdict != .notJudged {
            let owner = label(e.accountID).owner
            coverage[owner, default: OwnerCoverage(owner: owner, accounts: 0, posts: 0, reviewed: 0)].accounts += 1
            coverage[owner]!.posts += e.postsInWindow
            coverage[owner]!.reviewed += e.reviewedPosts
            failures[owner, default: OwnerFailures(owner: owner, failing: 0, accounts: 0)].accounts += 1
            if Self.notPassing(e.verdict) { failures[owner]!.failing += 1 }
        }
        // Worst coverage first; units with no posts in the window last.
        self.coverage = coverage.values.sorted {
            ($0.coverage ?? 2, $0.owner) < ($1.coverage ?? 2, $1.owner)
        }
        failuresByOwner = failures.values.filter { $0.failing > 0 }.sorted { ($1.failing, $0.owner) < ($0.failing, $1.owner) }

        trend = inputs.history.map { TrendPoint(week: $0.week, monitored: $0.run?.accounts ?? 0, passing: $0.run?.passing ?? 0) }
        registerChanges = inputs.events.sorted { $0.seq < $1.seq }.map { event in
            RegisterChange(seq: event.seq, at: event.at, accountID: event.accountID, accountName: register[event.accountID]?.name ?? event.accountID,
                           kind: event.kind, summary: Self.summary(event), operator: event.operator, reason: event.reason)
        }
    }

    /// Fail and unverifiable both count against the pass rate.
    static func notPassing(_ v: Verdict) -> Bool { v == .fail || v == .unverifiable }

    private static func problemOrder(_ a: ProblemAccount, _ b: ProblemAccount) -> Bool {
        func rank(_ p: ProblemAccount) -> Int { p.verdict == .fail ? (p.veto ? 0 : 1) : 2 }
        if rank(a) != rank(b) { return rank(a) < rank(b) }
        if rank(a) == 1, a.score != b.score { return (a.score ?? 0) < (b.score ?? 0) }
        return (a.owner, a.id) < (b.owner, b.id)
    }

    /// Weeks in a row (ending this week) that each account did not pass; a week with no
    /// run breaks the streak, since nothing is known about it.
    static func streaks(_ current: [AccountEvaluation], history: [WeekVerdicts]) -> [String: Int] {
        var result: [String: Int] = [:]
        let earlier = history.dropLast().reversed()
        for e in current where notPassing(e.verdict) {
            var weeks = 1
            for w in earlier {
                guard w.run != nil, let v = w.verdicts[e.accountID], notPassing(v) else { break }
                weeks += 1
            }
            result[e.accountID] = weeks
        }
        return result
    }

    static let fieldNames: [String: String] = [
        "name": "名称", "platform": "平台", "owner": "主办单位", "owner_kind": "单位类型", "url": "网址", "registered_on": "备案日期",
        "status": "状态", "source.kind": "读取方式", "source.item": "列表XPath", "source.title": "标题XPath",
        "source.link": "链接XPath", "source.date": "日期XPath", "responsible": "负责人", "contact_email": "联系邮箱", "notes": "备注", "deregistered_on": "注销日期",
    ]

    /// One line on what a register event changed.
    static func summary(_ event: LifecycleEvent) -> String {
        let after = Dictionary(event.changes.map { ($0.field, $0.after) }) { a, _ in a }
        func clip(_ s: String?) -> String {
            guard let s, !s.isEmpty else { return "（空）" }
            return s.count > 40 ? String(s.prefix(40)) + "…" : s
        }
        switch event.kind {
        case .registered:
            let platform = (after["platform"] ?? nil).flatMap { Platform(rawValue: $0)?.chineseName } ?? ""
            let owner = (after["owner"] ?? nil) ?? ""
            let parts = [platform, owner].filter { !$0.isEmpty }.joined(separator: "，")
            return "开设「\(clip((after["name"] ?? nil) ?? event.accountID))」" + (parts.isEmpty ? "" : "（\(parts)）")
        case .closing:
            return "宣布拟关停（关停前仍须更新）"
        case .deregistered:
            return "注销" + (((after["deregistered_on"] ?? nil)).map { "（\($0)）" } ?? "")
        case .flagged:
            let flag = event.changes.first?.field.dropFirst(LifecycleEvent.flagFieldPrefix.count) ?? ""
            return "标记 \(flag)（\(clip(event.changes.first?.after))）"
        case .unflagged:
            let flag = event.changes.first?.field.dropFirst(LifecycleEvent.flagFieldPrefix.count) ?? ""
            return "解除标记 \(flag)"
        case .changed:
            let shown = event.changes.prefix(3).map { "\(fieldNames[$0.field] ?? $0.field)：\(clip($0.before)) → \(clip($0.after))" }
            return shown.joined(separator: "；") + (event.changes.count > 3 ? "；等 \(event.changes.count) 项" : "")
        }
    }
}
