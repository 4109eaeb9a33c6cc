import ArgumentParser
import Foundation
import GovMediaCore
import GovMediaDemo
import GovMediaFetch
import GovMediaScan
import GovMediaSite
import GovMediaService
import GovMediaStore
import GovMediaWorkflows
import Logging

/// `govmedia demo`: the main job on the embedded default, offline. It serves a sample site
/// for the district's 39 accounts on loopback, registers them into a fresh database, imports
/// a 三审 ledger with gaps, scans, evaluates, prints the status table and writes the weekly
/// report, then says where everything is.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "离线演示：本机示例站点 + 净月高新区 39 个账号，扫描、评判、输出状态表与周报。")
    @Option(help: "演示目录（每次重新建立其中的数据库）") var dir = "govmedia-demo"
    @Option(help: "台账文件（默认使用内置的净月高新区台账）") var register: String?

    func run() async throws {
        let root = URL(fileURLWithPath: dir).standardizedFileURL
        let paths = try DemoPaths(root: root)
        let now = Date()
        let store = try Store(path: paths.database)
        say("1/7 台账：导入净月高新区 39 个账号（网站栏目指向本机示例站点，平台账号经本机数据源桥读取）")
        let accounts = try RegisterFile.decode(try register.map(readFile) ?? DemoResources.register)
        let demo = DemoSite(now: now)
        let site = try await SiteServer(pages: [:])
        defer { site.stop() }
        // The bridges an operator would run: RSSHub (its Weibo cookie has expired), and a
        // WeChat bridge that wants a token; 视频号 has none.
        let config = try paths.writeConfig(siteURL: site.url(""))
        for (i, a) in accounts.enumerated() {
            switch config.bridges.resolve(a) {
            case let .request(bridge, url, _):
                let path = String(url.dropFirst(site.url("").count)).split(separator: "?").first.map(String.init) ?? "/"
                await site.set(path, bridge == DemoPaths.failingBridge ? DemoSite.expiredLoginPage : demo.page(for: a, index: i))
            case .unavailable:
                if case .bridge = a.source { continue }
                for (path, page) in demo.pages(for: a, index: i) { await site.set(path, page) }
            }
        }
        let local = try accounts.map { a -> Account in
            guard !(a.source.kind == "bridge") else { return a }
            var copy = a
            copy.url = try WebAddress(site.url(DemoSite.path(for: a.url)))
            return copy
        }
        let who = Attribution(operator: currentOperator(), reason: "演示：导入净月高新区台账")
        let imported = try store.importAccounts(local, by: who)
        say("   新开设 \(imported.registered.count) 个；示例站点 http://127.0.0.1:\(site.port)/")

        say("2/7 三审记录：导入示例台账（含缺失、同一人签两级、发布后补签等问题）")
        try demo.ledger(accounts: local).write(toFile: paths.ledger, atomically: true, encoding: .utf8)
        let rows = try ReviewCSV.parse(demo.ledger(accounts: local), file: paths.ledger)
        let recorded = try store.appendReviews(rows, by: who)
        say("   记录 \(recorded) 条")

        say("3/7 扫描：通过 libcurl 抓取 \(local.count) 个页面或订阅源并解析")
        var fetch = FetchConfiguration()
        fetch.allowPrivateAddresses = true
        fetch.retry = RetryPolicy(maxAttempts: 2, baseDelay: 0.2, maxDelay: 1, maxRetryAfter: 5)
        var logger = Logger(label: "govmedia-demo")
        logger.logLevel = .critical
        var options = ScanOptions(fetch: fetch, trigger: "demo")
        options.bridges = config.bridges
        let scan = try await Scanner(store: store, logger: logger).run(options)
        say("   读取 \(scan.read) 个，新帖子 \(scan.newPosts) 条，失败 \(scan.failures.count) 个"
            + scan.failures.map { "（\($0.accountID)：\($0.kind)）" }.joined())

        say("4/7 评判：国家单项否决 + 本区百分制细则")
        let assessment = try loadAssessment(store, rulesDirectory: paths.rules)
        // Judged as of now, after the scan: posts read a moment ago count as read.
        let checkAt = Date()
        let outcome = try EvaluationWorkflow(assessment: assessment).run(at: checkAt, trigger: "demo", scanID: scan.scanID, by: who.operator)
        let results = outcome.results
        let byID = Dictionary(uniqueKeysWithValues: try store.accounts().map { ($0.id, $0) })
        let table = results.compactMap { r in byID[r.accountID].map { StatusRow(r, account: $0) } }.sorted { ($0.owner, $0.id) < ($1.owner, $1.id) }
        let notices = try OfficeNotices.current(store).map { "注意：\($0)\n" }.joined()
        // The table as `status` shows it, with each account's open rectification items.
        output("\n" + notices + "监测时间点 \(ChinaTime.iso8601(checkAt))\n" + StatusCommand.table(table, open: try store.openRectificationCounts())
               + Summary(results).text + "\n" + RectifyCommand.outcomeText(outcome.rectification) + "\n")

        say("5/7 年报：导入《净月高新区2021年政府信息公开工作年度报告》并核对勾稽关系")
        try DemoExtras.annualReport(store: store, paths: paths, who: who)

        say("6/7 周报：生成本周合规周报（HTML、CSV、邮件 .eml）")
        try await DemoExtras.weeklyReport(store: store, paths: paths, now: checkAt)

        say("7/7 完成。")
        output(DemoPaths.nextSteps(paths))
    }

    private func say(_ line: String) { output(line + "\n") }
}

/// Where the demo puts things.
struct DemoPaths {
    let root: URL
    var database: String { root.appendingPathComponent("govmedia.sqlite").path }
    var rules: String { root.appendingPathComponent("rules").path }
    var ledger: String { root.appendingPathComponent("reviews.csv").path }
    var reports: String { root.appendingPathComponent("reports").path }
    var annualReport: String { root.appendingPathComponent("annual-report-2021.txt").path }
    var config: String { root.appendingPathComponent("govmedia.yaml").path }
    var wechatToken: String { root.appendingPathComponent("wechat-bridge-token").path }

    /// The bridge whose login the demo lets expire.
    static let failingBridge = "rsshub-weibo"

    /// Writes the demo's config (its `bridges:` section, with the loopback site as every
    /// bridge's address) and the WeChat bridge's token file, and loads it as the daemon would.
    func writeConfig(siteURL: String) throws -> DaemonConfig {
        try (DemoSite.wechatBridgeToken + "\n").write(toFile: wechatToken, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: wechatToken)
        try """
            # govmedia demo：本机示例数据源桥（正式部署见 deploy/govmedia.yaml 与 README）
            database: \(database)
            rules: \(rules)
            bridges:
              \(Self.failingBridge):          # 专供微博的 RSSHub 实例：演示中其 WEIBO_COOKIES 已过期
                base_url: \(siteURL)/rsshub-weibo
                routes:
                  weibo: /weibo/user/{handle}
              rsshub:                 # 抖音、头条、快手、百家号
                kind: rsshub
                base_url: \(siteURL)/rsshub
                routes:
                  douyin: /douyin/user/{handle}?format=atom
                  toutiao: /toutiao/user/token/{handle}?format=json
              wechat:                 # 公众号桥（如 we-mp-rss），需要令牌
                base_url: \(siteURL)/wechat-bridge
                routes:
                  wechat: /feeds/{wechat_feed_id}.rss
                secret_file: \(wechatToken)
                secret_header: Authorization
            """.write(toFile: config, atomically: true, encoding: .utf8)
        do { return try DaemonConfig.load(path: config) } catch { throw CLIFailure(error.description) }
    }

    /// Creates the directory, clears the previous demo's database, and writes the embedded
    /// rules (so an officer can read and edit them).
    init(root: URL) throws {
        self.root = root
        let fm = FileManager.default
        try fm.createDirectory(at: root, withIntermediateDirectories: true)
        for suffix in ["", "-wal", "-shm", ".scan-lock"] { try? fm.removeItem(atPath: root.appendingPathComponent("govmedia.sqlite" + suffix).path) }
        // The outbox belongs to the database just removed.
        try? fm.removeItem(at: root.appendingPathComponent("outbox"))
        for (path, bytes) in DemoResources.rules {
            let url = URL(fileURLWithPath: rules).appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            if !fm.fileExists(atPath: url.path) { try Data(bytes).write(to: url) }
        }
    }

    /// The commands to try next, their explanations lined up.
    static func tries(_ g: String) -> String {
        let lines = [
            ("status --failing", "只看不合格与无法核实的账号"),
            ("sources", "数据源（RSSHub、公众号桥）健康状况"),
            ("explain jy-zrzy-wx", "逐条规则解释一个超期未更新的账号"),
            ("explain jy-ytz-wx --svg ytz.svg", "卡点更新的账号：更新时间线（另存为 SVG 图）"),
            ("findings", "问题清单（含证据编号）"),
            ("evidence show <sha256> --info", "查看抓取证据"),
            ("status --at 2026-12-31", "换一个监测时间点预演评判（不联网、不保存）"),
            ("account history jy-tyjr-wx", "台账事件"),
            ("audit verify", "核验哈希链"),
            ("disclosure check", "年报算术核对"),
            ("report weekly --week 2026-W01", "某一周的合规周报"),
        ].map { ("\(g) \($0.0)", $0.1) }
        let width = lines.map { DisplayWidth.of($0.0) }.max() ?? 0
        return lines.map { "  " + $0.0 + String(repeating: " ", count: width - DisplayWidth.of($0.0) + 2) + $0.1 }
            .joined(separator: "\n")
    }

    static func nextSteps(_ p: DemoPaths) -> String {
        let db = p.database
        // The binary as it was run (scripts/demo runs it from .build/release), so every line can be pasted.
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        let onPath = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            URL(fileURLWithPath: String($0)).appendingPathComponent("govmedia").standardizedFileURL.path == exe
        }
        let g = onPath ? "govmedia" : exe
        return """

            演示文件都在 \(p.root.path)/：
              数据库      \(db)
              规则        \(p.rules)/（national.yaml、local.yaml、words/，可编辑后重新评判）
              三审记录    \(p.ledger)
              周报        \(p.reports)/
              年报原文    \(p.annualReport)
              配置        \(p.config)（数据源桥 bridges）

            接下来可以试试（先运行 export GOVMEDIA_DB=\(db) GOVMEDIA_RULES=\(p.rules)）：
            \(tries(g))

            """
    }
}
