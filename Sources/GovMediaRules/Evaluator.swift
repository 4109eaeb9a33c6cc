import Foundation
import GovMediaCore

/// Judges accounts under a rule set: the national veto items and the local profile's
/// deductions. Pure: everything it needs arrives in an `AccountSnapshot`.
public struct Evaluator: Sendable {
    public let rules: RuleSet
    private let matchers: [String: WordMatcher]

    public init(rules: RuleSet) {
        self.rules = rules
        matchers = rules.wordLists.mapValues { WordMatcher($0) }
    }

    /// Days before the check time whose posts are checked for 三审 and word lists.
    public var windowDays: Int { rules.local.windowDays ?? 14 }

    /// The update limit in days: the national two-week rule's threshold.
    public var limitDays: Int { rules.rule("national.stale-2w")?.threshold["days"] ?? 14 }

    /// The period an update timeline covers: the pattern rules' `period_days` (90 when
    /// neither rule is in the files).
    public var timelineDays: Int {
        ["pattern.longest-gap", "pattern.noncompliant-days"].compactMap { rules.rule($0)?.threshold["period_days"] }.max() ?? 90
    }

    /// Days of post history the update-pattern rules look back over (the store reads
    /// `AccountSnapshot.postTimes` for this long); at least the timeline's period, so that
    /// `explain` can always draw one.
    public var historyDays: Int {
        var days = timelineDays
        if let rule = rules.rule("pattern.deadline-posting") {
            days = max(days, (rule.threshold["periods"] ?? 4) * (rule.threshold["days"] ?? limitDays))
        }
        return days
    }

    /// The account's update timeline over `periodDays` (default: `timelineDays`) before `at`.
    public func timeline(_ s: AccountSnapshot, at: Date, periodDays: Int? = nil) -> UpdateTimeline {
        UpdateTimeline(posts: s.postTimes, checkAt: at, periodDays: periodDays ?? timelineDays, limitDays: limitDays,
                       notBefore: s.account.registeredOn)
    }

    /// Judges one account at `at`.
    public func evaluate(_ s: AccountSnapshot, at: Date) -> AccountEvaluation {
        var f = FindingList(rules: rules)
        let lastPostAt = s.newestDatedPost?.post.publishedAt
        let daysSince = lastPostAt.map { Int((at.timeIntervalSince($0) / 86_400).rounded(.down)) }

        if s.account.status == .deregistered {
            checkPublishingAfterDeregistration(s, &f)
            return AccountEvaluation(accountID: s.account.id, verdict: .notJudged, score: nil, findings: f.sorted,
                                     lastPostAt: lastPostAt, daysSinceUpdate: daysSince, reviewCoverage: nil,
                                     postsInWindow: 0, reviewedPosts: 0)
        }
        // A broken feed bridge, or govmedia's own refusal of an address, is the monitor's
        // problem, not the account's: nothing is judged stale or unreachable meanwhile.
        let sourceBroken = checkSource(s, &f)
        let readable = sourceBroken ? false : checkReadable(s, &f)
        if !sourceBroken {
            checkStaleness(s, lastPostAt: lastPostAt, daysSince: daysSince, at: at, &f)
            checkUpdatePattern(s, at: at, &f)
        }
        let reviewed = checkReviews(s, &f)
        checkWords(s, &f)
        checkRegister(s, &f)

        let score = (rules.local.total ?? 100) - f.deducted
        let verdict: Verdict
        if f.hasVeto {
            verdict = .fail
        } else if !readable || lastPostAt == nil {
            verdict = .unverifiable
        } else if score < (rules.local.passMark ?? 60) {
            verdict = .fail
        } else {
            verdict = .pass
        }
        let inWindow = s.windowPosts.count
        return AccountEvaluation(
            accountID: s.account.id, verdict: verdict, score: score, findings: f.sorted, lastPostAt: lastPostAt,
            daysSinceUpdate: daysSince, reviewCoverage: inWindow == 0 ? nil : Double(reviewed) / Double(inWindow),
            postsInWindow: inWindow, reviewedPosts: reviewed)
    }

    // MARK: The checks

    /// For accounts read through a feed bridge: true when the latest read through it failed
    /// (login expired, blocked, empty, down), recorded as a finding naming the bridge.
    ///
    /// Also true, for a while, when govmedia's own address policy refused the account's
    /// address (it resolved to an intranet address): the site may be on the intranet, or its
    /// DNS wrong, and an officer or the operator should look first. The grace lasts as many
    /// scans as `fetch.unreachable` needs; after that the address is unreachable like any
    /// other (a parked domain pointed at 127.0.0.1 must not be excused for ever).
    private func checkSource(_ s: AccountSnapshot, _ f: inout FindingList) -> Bool {
        if let last = s.lastFetch, last.failure == .privateAddress,
           s.consecutiveFailures < unreachableScans {
            f.info("fetch.refused", "监测程序的地址策略拒绝了连接：\(last.failureMessage ?? FetchFailureKind.privateAddress.chineseName)。"
                   + "请核实该网址是否登记正确；站点若确在内网，运维可在配置中开启 fetch.allow_private_addresses（对所有账号生效）。"
                   + "连续 \(s.consecutiveFailures) 次，达到无法访问的次数前不按无法访问或停更判定",
                   fetchID: last.fetchID, evidence: last.evidenceSHA256)
            return true
        }
        guard case .bridge(let configured) = s.account.source, let last = s.lastFetch, let failure = last.failure else { return false }
        let which = (last.bridge ?? configured).map { "数据源 \($0) 故障" } ?? "没有可用的数据源"
        f.info("source.failing", "\(which)（\(failure.chineseName)）：\(last.failureMessage ?? failure.chineseName)。"
               + "数据源恢复前无法核实，不按停更判定", fetchID: last.fetchID, evidence: last.evidenceSHA256)
        return true
    }

    /// How many failed scans in a row make an account unreachable (`fetch.unreachable`).
    private var unreachableScans: Int { rules.rule("fetch.unreachable")?.threshold["scans"] ?? 3 }

    /// Returns whether the account has ever been read; records unreachability.
    private func checkReadable(_ s: AccountSnapshot, _ f: inout FindingList) -> Bool {
        if let rule = rules.rule("fetch.unreachable"), s.consecutiveFailures >= unreachableScans {
            let last = s.lastFetch
            f.add(rule, "连续 \(s.consecutiveFailures) 次扫描无法访问：\(last?.failureMessage ?? last?.failure?.chineseName ?? "")",
                  fetchID: last?.fetchID, evidence: last?.evidenceSHA256)
        }
        guard s.everRead else {
            f.info("unverifiable.unread", "尚未成功读取该账号的页面或订阅源"
                   + (s.lastFetch.map { "（最近一次：\($0.failureMessage ?? $0.failure?.chineseName ?? "失败")）" } ?? "（尚未扫描）"),
                   fetchID: s.lastFetch?.fetchID)
            return false
        }
        return true
    }

    private func checkStaleness(_ s: AccountSnapshot, lastPostAt: Date?, daysSince: Int?, at: Date, _ f: inout FindingList) {
        guard let lastPostAt, let daysSince, let newest = s.newestDatedPost else {
            if s.everRead {
                var what = s.storedPosts == 0 ? "没有读取到任何帖子" : "读取到 \(s.storedPosts) 条帖子，但都没有可识别的发布日期（无日期的帖子不算更新）"
                if case .bridge = s.account.source, s.storedPosts > 0 { what += "；数据源不提供发布日期（如快手）" }
                f.info("unverifiable.undated", what + "，无法判断更新情况", fetchID: s.lastFetch?.fetchID, evidence: s.lastFetch?.evidenceSHA256)
            }
            return
        }
        let when = "最近一条有日期的帖子《\(newest.post.title)》发布于 \(ChinaTime.short(lastPostAt))（\(daysSince) 天前）"
        for id in ["national.stale-2w", "local.stale-1w"] {
            guard let rule = rules.rule(id) else { continue }
            let days = rule.threshold["days"] ?? (id == "national.stale-2w" ? 14 : 7)
            if at.timeIntervalSince(lastPostAt) > Double(days) * 86_400 {
                f.add(rule, "监测时间点前 \(days) 天内无更新：" + when, post: newest)
            }
        }
    }

    /// The update-pattern rules (`pattern.*`), from the dated posts the store knows: the
    /// longest gap, the days out of compliance and posting only at the deadline (卡点更新).
    /// Each finding carries the dates that prove it.
    private func checkUpdatePattern(_ s: AccountSnapshot, at: Date, _ f: inout FindingList) {
        guard !s.postTimes.isEmpty else { return }
        if let rule = rules.rule("pattern.longest-gap") {
            let days = rule.threshold["period_days"] ?? 90
            let timeline = timeline(s, at: at, periodDays: days)
            if let gap = timeline.longestGap, gap.days >= (rule.threshold["min_days"] ?? 1) {
                let bounds = gap.kind == .openGap
                    ? "最后一次更新 \(gap.from)，至监测日 \(gap.to) 仍无更新"
                    : "\(gap.from) 与 \(gap.to) 两次更新之间无更新"
                f.add(rule, "近 \(days) 天（\(timeline.start) 至 \(timeline.end)）相邻两次更新的最长间隔为 \(gap.days) 天：\(bounds)",
                      spans: [gap])
            }
        }
        if let rule = rules.rule("pattern.noncompliant-days") {
            let days = rule.threshold["period_days"] ?? 90
            let timeline = timeline(s, at: at, periodDays: days)
            let spans = timeline.noncompliantSpans
            if !spans.isEmpty {
                var text = "近 \(days) 天（\(timeline.start) 至 \(timeline.end)）中有 \(timeline.noncompliantDays) 天不符合“\(limitDays) 天内有更新”"
                    + "（含当天在内的 \(limitDays) 天里没有帖子）：" + spans.map(\.chineseText).joined(separator: "、")
                if let first = timeline.firstJudgedDay, first > timeline.start {
                    text += "；\(first) 之前" + (first == s.account.registeredOn ? "账号尚未备案" : "无已知帖子") + "，未计入"
                }
                f.add(rule, text, spans: spans)
            }
        }
        if let rule = rules.rule("pattern.deadline-posting") {
            let limit = rule.threshold["days"] ?? limitDays
            let periods = rule.threshold["periods"] ?? 4
            let margin = rule.threshold["margin_days"] ?? 2
            let window = periods * limit
            let timeline = timeline(s, at: at, periodDays: window)
            let hits = timeline.gaps(endingWithinLast: window, minDays: max(1, limit - margin + 1), maxDays: limit)
            if hits.count >= (rule.threshold["min_hits"] ?? 3) {
                let lows = max(1, limit - margin + 1)
                f.add(rule, "卡点更新：近 \(periods) 个 \(limit) 天周期（\(timeline.start) 至 \(timeline.end)）内有 \(hits.count) 次"
                      + "间隔 \(lows == limit ? "\(limit)" : "\(lows)–\(limit)") 天才更新，总在期限的最后 \(margin) 天内："
                      + hits.map(\.chineseText).joined(separator: "、"), spans: hits)
            }
        }
    }

    /// Returns how many window posts have a complete, valid record.
    private func checkReviews(_ s: AccountSnapshot, _ f: inout FindingList) -> Int {
        let ledger = ReviewCheck(s.reviews)
        var complete = 0
        for item in s.windowPosts {
            let verdict = ledger.check(item.post)
            if verdict.isComplete { complete += 1; continue }
            for problem in verdict.problems {
                guard let rule = rules.rule(problem.rule) else { continue }
                f.add(rule, "《\(item.post.title)》：\(problem.detail)", post: item)
            }
        }
        return complete
    }

    private func checkWords(_ s: AccountSnapshot, _ f: inout FindingList) {
        for id in ["national.serious-error", "national.forbidden-content", "content.typo"] {
            guard let rule = rules.rule(id), let list = rule.words, let matcher = matchers[list] else { continue }
            for item in s.windowPosts {
                let text = item.post.title + "\n" + (item.post.summary ?? "")
                for match in matcher.matches(in: text) {
                    let fix = match.entry.correction.map { "，应为“\($0)”" } ?? ""
                    f.add(rule, "《\(item.post.title)》含“\(match.entry.term)”\(fix)（词表 \(match.entry.definedAt)）", post: item)
                }
            }
        }
    }

    private func checkRegister(_ s: AccountSnapshot, _ f: inout FindingList) {
        if let rule = rules.rule("register.duplicate-platform"), !s.samePlatformSiblings.isEmpty {
            f.add(rule, "\(s.account.owner) 在\(s.account.platform.chineseName)上另有账号 \(s.samePlatformSiblings.joined(separator: "、"))，原则上一个单位在同一平台只开设一个账号")
        }
        if let rule = rules.rule("national.no-interaction") {
            for flag in s.flags where flag.flag == "no-interaction" {
                f.add(rule, "\(flag.setBy) 于 \(ChinaTime.iso8601(flag.setAt)) 记录：互动回应差，无可用的互动渠道（\(flag.reason)）")
            }
        }
    }

    private func checkPublishingAfterDeregistration(_ s: AccountSnapshot, _ f: inout FindingList) {
        guard let rule = rules.rule("lifecycle.active-after-deregistration") else { return }
        for item in s.postsAfterDeregistration {
            f.add(rule, "已于 \(s.account.deregisteredOn?.description ?? "此前") 注销，仍发布《\(item.post.title)》（\(item.post.publishedAt.map(ChinaTime.short) ?? "")）", post: item)
        }
    }
}

/// Findings as they accumulate, with each deduction rule's cap applied in order.
private struct FindingList {
    let rules: RuleSet
    private(set) var items: [Finding] = []
    private var taken: [String: Int] = [:]

    init(rules: RuleSet) { self.rules = rules }

    var deducted: Int { taken.values.reduce(0, +) }
    var hasVeto: Bool { items.contains { $0.severity == .veto } }

    mutating func add(_ rule: Rule, _ message: String, post: EvidencedPost? = nil, fetchID: Int64? = nil, evidence: String? = nil,
                      spans: [DateSpan]? = nil) {
        var points = 0
        var text = message
        if rule.severity == .deduction {
            let used = taken[rule.id] ?? 0
            points = max(0, min(rule.points, (rule.cap ?? Int.max) - used))
            taken[rule.id] = used + points
            if points < rule.points { text += "（本项已达扣分上限 \(rule.cap ?? 0) 分）" }
        }
        items.append(Finding(rule: rule.id, severity: rule.severity, points: points, message: text,
                             postID: post?.post.id, postTitle: post?.post.title, postURL: post?.post.url,
                             fetchID: post?.post.fetchID ?? fetchID, evidenceSHA256: post?.evidenceSHA256 ?? evidence,
                             spans: spans))
    }

    /// A finding that explains an `unverifiable` verdict; not a rule of either profile.
    mutating func info(_ code: String, _ message: String, fetchID: Int64? = nil, evidence: String? = nil) {
        items.append(Finding(rule: code, severity: .info, message: message, fetchID: fetchID, evidenceSHA256: evidence))
    }

    var sorted: [Finding] {
        let rank: [Severity: Int] = [.veto: 0, .deduction: 1, .info: 2]
        return items.enumerated().sorted { a, b in
            let (ra, rb) = (rank[a.element.severity]!, rank[b.element.severity]!)
            if ra != rb { return ra < rb }
            if a.element.points != b.element.points { return a.element.points > b.element.points }
            return a.offset < b.offset
        }.map(\.element)
    }
}
