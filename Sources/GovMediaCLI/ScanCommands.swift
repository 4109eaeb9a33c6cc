import ArgumentParser
import Foundation
import GovMediaCore
import GovMediaFetch
import GovMediaParse
import GovMediaScan
import GovMediaService
import GovMediaRules
import GovMediaStore
import GovMediaWorkflows
import Logging

/// `govmedia scan`: fetch, parse and store every account (or some).
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scan", abstract: "抓取并解析账号页面或订阅源，保存帖子与证据。")
    @OptionGroup var db: DatabaseOptions
    @Option(name: .customLong("account"), help: "只扫描此账号（可重复）") var accounts: [String] = []
    @Flag(help: "允许访问内网、回环和链路本地地址（内网站点与测试用）") var allowPrivateAddresses = false
    @Option(help: "规则目录（默认 $GOVMEDIA_RULES，否则 ./rules 或安装目录）") var rules: String?
    @Flag(help: "只抓取，不评判") var noEvaluate = false
    @OptionGroup var config: ConfigOptions
    @Flag(help: "以 JSON 输出摘要") var json = false

    func run() async throws {
        let store = try db.open()
        let lock: ScanLock
        do { lock = try ScanLock(databasePath: store.path) } catch { throw CLIFailure(error.description) }
        defer { withExtendedLifetime(lock) {} }
        let loaded = try config.load()
        let fetch = config.fetchConfiguration(loaded, allowPrivateAddresses: allowPrivateAddresses)
        var options = ScanOptions(accountIDs: accounts.isEmpty ? nil : accounts, fetch: fetch)
        options.bridges = loaded?.bridges ?? FeedBridges()
        options.trigger = "manual"
        let summary = try await Scanner(store: store, logger: Logger.cli).run(options)
        var judged: Summary?
        var rectified = ""
        if !noEvaluate {
            let outcome = try EvaluationWorkflow(assessment: loadAssessment(store, rulesDirectory: RulesLocation.resolve(explicit: rules)))
                .run(at: Date(), trigger: "scan", scanID: summary.scanID, by: currentOperator())
            judged = Summary(outcome.results)
            rectified = RectifyCommand.outcomeText(outcome.rectification)
        }
        if json { return try printJSON(ScanSummaryJSON(summary)) }
        output(Self.render(summary) + (judged.map { "\n" + $0.text + "\n" + rectified + "查看：govmedia status\n" } ?? ""))
    }

    static func render(_ s: ScanSummary) -> String {
        var text = "扫描 #\(s.scanID) 完成：共 \(s.accounts) 个账号，读取 \(s.read) 个，未变化（304）\(s.notModified) 个，"
            + "新帖子 \(s.newPosts) 条，失败 \(s.failures.count) 个。\n"
        if !s.interrupted.isEmpty {
            text += "发现上次未完成的扫描 #\(s.interrupted.map(String.init).joined(separator: ", #"))，已标记为中断。\n"
        }
        if !s.failures.isEmpty {
            var table = TextTable(headers: ["账号", "原因", "说明"], maxCellWidth: 90)
            for f in s.failures { table.append([f.accountID, f.kind.label, f.message]) }
            text += "\n失败的账号：\n" + table.render()
        }
        return text
    }
}

/// The scan summary as `scan --json` prints it.
struct ScanSummaryJSON: Encodable {
    struct Failure: Encodable { var account_id, kind, kind_name, message: String }
    var scan_id: Int64
    var accounts, read, not_modified, new_posts: Int
    var failures: [Failure]
    var interrupted_scans: [Int64]

    init(_ s: ScanSummary) {
        scan_id = s.scanID
        accounts = s.accounts
        read = s.read
        not_modified = s.notModified
        new_posts = s.newPosts
        failures = s.failures.map { Failure(account_id: $0.accountID, kind: $0.kind.rawValue, kind_name: $0.kind.chineseName, message: $0.message) }
        interrupted_scans = s.interrupted
    }
}

/// `govmedia posts`: an account's posts, newest first.
struct PostsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "posts", abstract: "列出账号的帖子，最新的在前。")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "账号 id") var account: String
    @Option(help: "最多列出多少条") var limit = 200
    @Flag(help: "以 JSON 输出") var json = false

    func run() throws {
        let store = try db.openForReading()
        guard try store.account(account) != nil else { throw CLIFailure("台账中没有账号 \(account)") }
        let posts = try store.posts(accountID: account, limit: limit)
        if json { return try printJSON(posts.map(PostJSON.init)) }
        var table = TextTable(headers: ["发布时间", "标题", "链接"], maxCellWidth: 60)
        for p in posts {
            table.append([p.publishedAt.map(ChinaTime.short) ?? "（无日期）", p.title, p.url ?? ""])
        }
        output(table.render() + "共 \(posts.count) 条。\n")
    }
}

/// A post as `posts --json` prints it.
struct PostJSON: Encodable {
    var title: String
    var url: String?
    var published_at: String?
    var date_text: String?
    var first_seen_at: String
    var guid: String?
    var fetch_id: Int64

    init(_ p: StoredPost) {
        title = p.title
        url = p.url
        published_at = p.publishedAt.map(ChinaTime.iso8601)
        date_text = p.dateText
        first_seen_at = ChinaTime.iso8601(p.firstSeenAt)
        guid = p.guid
        fetch_id = p.fetchID
    }

    func encode(to encoder: any Encoder) throws {
        // null, not absent, for a post without a date: the field is part of the contract.
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(title, forKey: .title)
        try c.encode(url, forKey: .url)
        try c.encode(published_at, forKey: .published_at)
        try c.encode(date_text, forKey: .date_text)
        try c.encode(first_seen_at, forKey: .first_seen_at)
        try c.encode(guid, forKey: .guid)
        try c.encode(fetch_id, forKey: .fetch_id)
    }

    enum CodingKeys: String, CodingKey { case title, url, published_at, date_text, first_seen_at, guid, fetch_id }
}

/// `govmedia evidence`: what was fetched, byte for byte.
struct EvidenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evidence", abstract: "查看抓取证据。", subcommands: [Show.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "按 sha256 输出保存的响应内容（原始字节）。")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "响应内容的 sha256（至少 8 位）") var sha: String
        @Flag(help: "只显示抓取记录（时间、账号、网址、状态、响应头），不输出内容") var info = false

        func run() throws {
            let store = try db.openForReading()
            guard let found = try store.evidenceBody(sha) else {
                throw CLIFailure("没有 sha256 为 \(sha) 的证据（可能不存在，或已按保留期限清理）")
            }
            guard info else { return FileHandle.standardOutput.write(Data(found.body)) }
            var text = "sha256：\(found.sha256)\n大小：\(found.body.count) 字节\n"
            for f in try store.fetches(bodySHA256: found.sha256) {
                text += "\n抓取 #\(f.id)（扫描 #\(f.scanID)）账号 \(f.accountID) 于 \(ChinaTime.iso8601(f.fetchedAt))\n"
                text += "  网址：\(f.url)\n  最终网址：\(f.finalURL ?? "")\n  状态：\(f.httpStatus.map(String.init) ?? "-")"
                    + (f.notModified ? "（未变化）" : "") + "，尝试 \(f.attempts) 次，用时 \(f.durationMS) 毫秒\n"
                if let bridge = f.bridge { text += "  数据源：\(bridge)\n" }
                if let failure = f.failure { text += "  失败：\(failure.label)，\(f.failureMessage ?? "")\n" }
                if let kind = f.documentKind {
                    text += "  读取：\(DocumentKind(rawValue: kind).map { "\($0.chineseName)（\(kind)）" } ?? kind)，\(f.charset ?? "?") 编码，\(f.items.map { "\($0) 个条目" } ?? "未读出条目")\n"
                }
                text += f.problems.map { "  问题：\($0)\n" }.joined()
                text += "  响应头：\n"
                text += f.headers.map { "    \($0.first ?? ""): \($0.last ?? "")\n" }.joined()
            }
            output(text)
        }
    }
}

extension Logger {
    /// The CLI's logger: warnings and up to stderr, so officers see only what matters.
    static var cli: Logger {
        var l = Logger(label: "govmedia")
        l.logLevel = ProcessInfo.processInfo.environment["GOVMEDIA_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        return l
    }
}

/// `govmedia sources`: each feed bridge and how its accounts' latest reads went.
struct SourcesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sources", abstract: "数据源（RSSHub、公众号桥等）健康状况：账号数、读取正常、失败及起始时间。")
    @OptionGroup var db: DatabaseOptions
    @Flag(help: "以 JSON 输出") var json = false

    struct Entry: Encodable {
        struct Failing: Encodable { var account_id, kind, kind_name, message: String }
        var bridge: String?
        var accounts, ok, never_read: Int
        var failing: [Failing]
        var failing_since: String?
        var down: Bool
        var problem: String?
    }

    func run() throws {
        let health = try db.openForReading().sourceHealth()
        if json {
            return try printJSON(health.map { h in
                Entry(bridge: h.bridge, accounts: h.accounts, ok: h.ok, never_read: h.neverRead,
                      failing: h.failing.map { .init(account_id: $0.accountID, kind: $0.kind.rawValue, kind_name: $0.kind.chineseName, message: $0.message) },
                      failing_since: h.failingSince.map(ChinaTime.iso8601), down: h.isDown, problem: h.problem)
            })
        }
        guard !health.isEmpty else { return output("台账中没有通过数据源桥读取的账号。\n") }
        var table = TextTable(headers: ["数据源", "账号", "读取正常", "失败", "尚未读取", "失败起始", "状态"],
                              alignments: [.left, .right, .right, .right, .right, .left, .left])
        for h in health {
            table.append([h.name, String(h.accounts), String(h.ok), String(h.failing.count), String(h.neverRead),
                          h.failingSince.map(ChinaTime.short) ?? "—",
                          h.stateName])
        }
        var text = table.render()
        for h in health where !h.failing.isEmpty {
            text += "\n\(h.name) 读取失败的账号：\n"
            for f in h.failing {
                text += "  \(f.accountID)：\(f.kind.label)，\(f.message)\n"
            }
        }
        output(text)
    }
}
