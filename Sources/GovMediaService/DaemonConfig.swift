import Foundation
import GovMediaFetch
import GovMediaCore
import GovMediaRules
import GovMediaReport
import GovMediaScan
import Yams

/// The daemon's configuration file (YAML; see deploy/govmedia.yaml for a documented
/// example). Every field is checked on load; a bad file names the field and why.
public struct DaemonConfig: Sendable {
    /// When to scan: every `intervalMinutes`, or at fixed `dailyTimes` in China time.
    public enum Schedule: Sendable, Equatable {
        case interval(seconds: Int)
        case daily(times: [(hour: Int, minute: Int)])

        public static func == (a: Schedule, b: Schedule) -> Bool {
            switch (a, b) {
            case let (.interval(x), .interval(y)): x == y
            case let (.daily(x), .daily(y)): x.map { $0.hour * 60 + $0.minute } == y.map { $0.hour * 60 + $0.minute }
            default: false
            }
        }
    }

    /// When the weekly report goes out: ISO weekday (1 = Monday) and time, China time.
    public struct ReportTime: Sendable, Equatable {
        public var weekday: Int
        public var hour: Int
        public var minute: Int

        public init(weekday: Int, hour: Int, minute: Int) {
            self.weekday = weekday
            self.hour = hour
            self.minute = minute
        }
    }

    public var database: String
    public var rules: String
    /// A register file imported at start and on every reload, when given.
    public var register: String?
    public var schedule: Schedule
    /// Random delay added to each scheduled scan, so many districts do not hit one site at once.
    public var jitterSeconds: Int
    public var fetch: FetchConfiguration
    public var evidenceRetentionDays: Int
    public var report: ReportTime?
    public var reportDirectory: String
    /// The mail section, kept as YAML text for the mail module to read and validate.
    public var mail: [String: String]
    public var mailRecipients: [String]
    public var logLevel: String
    /// The feed bridges (`bridges:`), with their secrets read from their files.
    public var bridges = FeedBridges()
    /// Who signs the rectification notices (`notices.issuer`, `notices.contact`).
    public var noticeIssuer = RectificationNotice.Issuer.unnamed
    /// Whether the daemon writes and mails notices to owner units after each evaluation.
    public var sendsNotices = true

    /// Reads and validates a config file. The daemon needs `database:`; a CLI command reads
    /// the file only for its bridges, fetch and mail settings (its database is `--db`), so
    /// it passes `requiringDatabase: false` and a file without one is not refused.
    public static func load(path: String, requiringDatabase: Bool = true) throws(ConfigError) -> DaemonConfig {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(path: path, field: nil, problem: "无法读取（不存在、无权限或不是 UTF-8）")
        }
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else { throw ConfigError(path: path, field: nil, problem: "文件为空") }
            node = composed
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(path: path, field: nil, problem: "YAML 语法错误：\(error)")
        }
        return try ConfigReader(path: path, requiresDatabase: requiringDatabase).read(node)
    }
}

/// A configuration problem, naming the file, the field and its line.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var field: String?
    public var line: Int?
    public var problem: String

    public init(path: String, field: String?, line: Int? = nil, problem: String) {
        self.path = path
        self.field = field
        self.line = line
        self.problem = problem
    }

    public var description: String {
        "配置文件 \(path)" + (line.map { ":\($0)" } ?? "") + (field.map { " 字段 \($0)" } ?? "") + "：\(problem)"
    }
}

/// Walks the YAML tree, so that every error can say which field and which line.
private struct ConfigReader {
    let path: String
    var requiresDatabase = true

    func read(_ root: Node) throws(ConfigError) -> DaemonConfig {
        let top = try mapping(root, "（顶层）", allowed: ["database", "rules", "register", "schedule", "fetch",
                                                          "evidence_retention_days", "report", "mail", "log_level", "bridges", "notices"])
        let database: String
        if let given = try string(top["database"], "database") {
            database = given
        } else if requiresDatabase {
            throw error("database", root, "缺少必填字段")
        } else {
            // Never opened: the command's own --db names the database.
            database = "govmedia.sqlite"
        }
        let schedule = try readSchedule(top["schedule"])
        let fetch = try readFetch(top["fetch"])
        let (report, reportDir) = try readReport(top["report"])
        let (mail, recipients) = try readMail(top["mail"])
        let level = try string(top["log_level"], "log_level") ?? "info"
        guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(level) else {
            throw error("log_level", top["log_level"], "应为 trace|debug|info|notice|warning|error|critical")
        }
        var config = DaemonConfig(
            database: database, rules: RulesLocation.resolve(explicit: try string(top["rules"], "rules")),
            register: try string(top["register"], "register"), schedule: schedule.0, jitterSeconds: schedule.1, fetch: fetch,
            evidenceRetentionDays: try int(top["evidence_retention_days"], "evidence_retention_days", 1...36_500) ?? 365,
            report: report, reportDirectory: reportDir, mail: mail, mailRecipients: recipients, logLevel: level)
        config.bridges = try readBridges(top["bridges"])
        if let node = top["notices"] {
            let m = try mapping(node, "notices", allowed: ["issuer", "contact", "send"])
            config.noticeIssuer = RectificationNotice.Issuer(name: try string(m["issuer"], "notices.issuer") ?? RectificationNotice.Issuer.unnamed.name,
                                                             contact: try string(m["contact"], "notices.contact"))
            for (field, value) in [("notices.issuer", config.noticeIssuer.name), ("notices.contact", config.noticeIssuer.contact ?? "")]
            where value.count > 200 || value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw error(field, m[String(field.dropFirst("notices.".count))], "应为一行不超过 200 字的文字")
            }
            config.sendsNotices = try bool(m["send"], "notices.send") ?? true
        }
        return config
    }

    /// `bridges: {NAME: {base_url, kind, routes, secret_file, secret_header}}`. A bridge of
    /// kind `rsshub` (the default for one named `rsshub`) has RSSHub's routes, which `routes`
    /// overrides per platform; any other has exactly its `routes`.
    private func readBridges(_ node: Node?) throws(ConfigError) -> FeedBridges {
        guard let node else { return FeedBridges() }
        guard let entries = node.mapping else { throw error("bridges", node, "应为映射：数据源名称 → 设置") }
        var bridges: [FeedBridge] = []
        for (k, v) in entries {
            guard let name = k.string, name.wholeMatch(of: /[A-Za-z0-9_\-]+/) != nil else {
                throw error("bridges", k, "数据源名称只能由字母、数字、- 和 _ 组成")
            }
            let field = "bridges.\(name)"
            let m = try mapping(v, field, allowed: ["base_url", "kind", "routes", "secret_file", "secret_header"])
            guard let base = try string(m["base_url"], "\(field).base_url") else { throw error("\(field).base_url", v, "缺少必填字段") }
            guard let address = WebAddress(checking: base), !address.hasQuery else {
                throw error("\(field).base_url", m["base_url"], "应为 http:// 或 https:// 地址（不含查询参数和用户名密码）：\(base)")
            }
            let kind = try string(m["kind"], "\(field).kind") ?? (name == "rsshub" ? "rsshub" : "custom")
            guard ["rsshub", "custom"].contains(kind) else { throw error("\(field).kind", m["kind"], "应为 rsshub 或 custom") }
            var routes = kind == "rsshub" ? FeedBridge.rsshubRoutes : [:]
            if let r = m["routes"] {
                guard let pairs = r.mapping else { throw error("\(field).routes", r, "应为映射：平台 → 路径模板") }
                for (pk, pv) in pairs {
                    guard let p = pk.string, let platform = Platform(rawValue: p), platform != .website else {
                        throw error("\(field).routes", pk, "未知平台 \(pk.string ?? "")（可用：\(Platform.allCases.filter { $0 != .website }.map(\.rawValue).joined(separator: ", "))）")
                    }
                    guard let template = try string(pv, "\(field).routes.\(p)"), template.hasPrefix("/"),
                          template.contains("{handle}") || template.contains("{wechat_feed_id}") else {
                        throw error("\(field).routes.\(p)", pv, "路径模板应以 / 开头并含 {handle} 或 {wechat_feed_id}")
                    }
                    routes[platform] = template
                }
            }
            guard !routes.isEmpty else { throw error("\(field).routes", v, "没有任何平台的路由（kind 为 custom 时必须写 routes）") }
            var secret: Secret?
            let header = try string(m["secret_header"], "\(field).secret_header")
            if let file = try string(m["secret_file"], "\(field).secret_file") {
                // The secret is read here and only here; messages name the file, never its content.
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw error("\(field).secret_file", m["secret_file"], "无法读取密钥文件 \(file)（不存在或无权限）")
                }
                let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                guard !text.isEmpty, !text.contains(where: \.isNewline) else {
                    throw error("\(field).secret_file", m["secret_file"], "密钥文件 \(file) 应只有一行")
                }
                secret = Secret(text)
            }
            if let header, header.wholeMatch(of: /[A-Za-z0-9\-]+/) == nil { throw error("\(field).secret_header", m["secret_header"], "不是有效的 HTTP 头名称") }
            if secret != nil && header == nil { throw error("\(field).secret_header", v, "有 secret_file 时必须写 secret_header（如 Authorization）") }
            bridges.append(FeedBridge(name: name, baseURL: base, routes: routes, secretHeader: header, secret: secret))
        }
        return FeedBridges(bridges)
    }

    private func readSchedule(_ node: Node?) throws(ConfigError) -> (DaemonConfig.Schedule, Int) {
        guard let node else { return (.interval(seconds: 6 * 3600), 300) }
        let m = try mapping(node, "schedule", allowed: ["interval_minutes", "interval_seconds", "daily", "jitter_seconds"])
        let jitter = try int(m["jitter_seconds"], "schedule.jitter_seconds", 0...86_400) ?? 300
        let minutes = try int(m["interval_minutes"], "schedule.interval_minutes", 1...10_080)
        let seconds = try int(m["interval_seconds"], "schedule.interval_seconds", 1...604_800)
        let daily = m["daily"]
        let given = [minutes != nil, seconds != nil, daily != nil].filter { $0 }.count
        guard given <= 1 else { throw error("schedule", node, "interval_minutes、interval_seconds 与 daily 只能选一个") }
        if let daily {
            guard let items = daily.sequence, !items.isEmpty else { throw error("schedule.daily", daily, "应为时间列表，如 [\"06:00\", \"18:00\"]") }
            var times: [(hour: Int, minute: Int)] = []
            for item in items {
                guard let text = item.string, let t = Self.clock(text) else {
                    throw error("schedule.daily", item, "时间应为 HH:mm（北京时间）：\(item.string ?? "")")
                }
                times.append(t)
            }
            return (.daily(times: times.sorted { $0.hour * 60 + $0.minute < $1.hour * 60 + $1.minute }), jitter)
        }
        return (.interval(seconds: seconds ?? (minutes ?? 360) * 60), jitter)
    }

    private func readFetch(_ node: Node?) throws(ConfigError) -> FetchConfiguration {
        var f = FetchConfiguration()
        guard let node else { return f }
        let m = try mapping(node, "fetch", allowed: ["max_concurrent", "max_per_host", "connect_timeout_seconds", "total_timeout_seconds",
                                                     "low_speed_bytes_per_second", "low_speed_seconds", "max_body_mb", "max_redirects",
                                                     "allow_private_addresses", "user_agent", "retry_attempts"])
        if let v = try int(m["max_concurrent"], "fetch.max_concurrent", 1...256) { f.maxConcurrentTransfers = v }
        if let v = try int(m["max_per_host"], "fetch.max_per_host", 1...64) { f.maxConcurrentPerHost = v }
        if let v = try int(m["connect_timeout_seconds"], "fetch.connect_timeout_seconds", 1...300) { f.connectTimeout = TimeInterval(v) }
        if let v = try int(m["total_timeout_seconds"], "fetch.total_timeout_seconds", 1...3600) { f.totalTimeout = TimeInterval(v) }
        if let v = try int(m["low_speed_bytes_per_second"], "fetch.low_speed_bytes_per_second", 1...1_000_000) { f.lowSpeedLimit = v }
        if let v = try int(m["low_speed_seconds"], "fetch.low_speed_seconds", 1...3600) { f.lowSpeedTime = v }
        if let v = try int(m["max_body_mb"], "fetch.max_body_mb", 1...512) { f.maxBodyBytes = v * 1024 * 1024 }
        if let v = try int(m["max_redirects"], "fetch.max_redirects", 0...5) { f.maxRedirects = v }
        if let v = try int(m["retry_attempts"], "fetch.retry_attempts", 1...10) { f.retry.maxAttempts = v }
        if let v = try bool(m["allow_private_addresses"], "fetch.allow_private_addresses") { f.allowPrivateAddresses = v }
        if let v = try string(m["user_agent"], "fetch.user_agent") { f.userAgent = v }
        return f
    }

    private func readReport(_ node: Node?) throws(ConfigError) -> (DaemonConfig.ReportTime?, String) {
        guard let node else { return (nil, "reports") }
        let m = try mapping(node, "report", allowed: ["weekday", "time", "out"])
        let weekday = try int(m["weekday"], "report.weekday", 1...7) ?? 1
        let text = try string(m["time"], "report.time") ?? "08:30"
        guard let t = Self.clock(text) else { throw error("report.time", m["time"], "时间应为 HH:mm（北京时间）：\(text)") }
        return (DaemonConfig.ReportTime(weekday: weekday, hour: t.hour, minute: t.minute), try string(m["out"], "report.out") ?? "reports")
    }

    private func readMail(_ node: Node?) throws(ConfigError) -> ([String: String], [String]) {
        guard let node else { return ([:], []) }
        let m = try mapping(node, "mail", allowed: ["url", "from", "to", "username", "password", "password_file", "starttls", "outbox"])
        var flat: [String: String] = [:]
        for key in ["url", "from", "username", "password", "password_file", "outbox"] {
            if let v = try string(m[key], "mail.\(key)") { flat[key] = v }
        }
        if let v = try bool(m["starttls"], "mail.starttls") { flat["starttls"] = v ? "true" : "false" }
        var to: [String] = []
        if let list = m["to"] {
            guard let items = list.sequence else { throw error("mail.to", list, "应为收件人地址列表") }
            for item in items {
                guard let address = item.string, address.contains("@"), !address.contains(where: \.isNewline) else {
                    throw error("mail.to", item, "不是有效的邮件地址：\(item.string ?? "")")
                }
                to.append(address)
            }
        }
        if let url = flat["url"], !(url.hasPrefix("smtp://") || url.hasPrefix("smtps://")) {
            throw error("mail.url", m["url"], "应以 smtp:// 或 smtps:// 开头：\(url)")
        }
        return (flat, to)
    }

    // MARK: Typed reads

    private func error(_ field: String, _ node: Node?, _ problem: String) -> ConfigError {
        ConfigError(path: path, field: field, line: node?.mark.map { $0.line }, problem: problem)
    }

    private func mapping(_ node: Node, _ field: String, allowed: Set<String>) throws(ConfigError) -> [String: Node] {
        guard let m = node.mapping else { throw error(field, node, "应为映射（key: value）") }
        var out: [String: Node] = [:]
        for (k, v) in m {
            guard let key = k.string else { throw error(field, k, "键应为字符串") }
            guard allowed.contains(key) else {
                throw error(field == "（顶层）" ? key : "\(field).\(key)", k, "未知字段（可用：\(allowed.sorted().joined(separator: ", "))）")
            }
            out[key] = v
        }
        return out
    }

    private func string(_ node: Node?, _ field: String) throws(ConfigError) -> String? {
        guard let node else { return nil }
        if node.null != nil { return nil }
        guard let s = node.string, node.scalar != nil else { throw error(field, node, "应为字符串") }
        return s.isEmpty ? nil : s
    }

    private func int(_ node: Node?, _ field: String, _ range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let node else { return nil }
        guard let v = node.int else { throw error(field, node, "应为整数") }
        guard range.contains(v) else { throw error(field, node, "应在 \(range.lowerBound)…\(range.upperBound) 之间，实为 \(v)") }
        return v
    }

    private func bool(_ node: Node?, _ field: String) throws(ConfigError) -> Bool? {
        guard let node else { return nil }
        guard let v = node.bool else { throw error(field, node, "应为 true 或 false") }
        return v
    }

    static func clock(_ text: String) -> (hour: Int, minute: Int)? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        return (h, m)
    }
}
