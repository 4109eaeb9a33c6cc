import Foundation
import GovMediaCore
import GovMediaSite
import GovMediaStore
import Testing

/// Five accounts judged in three consecutive ISO weeks (W0 = this week, checked by the scan;
/// W1 = now + 7 days; W2 = now + 14 days), so that the W2 report has every kind of line:
/// - `steady` posts often (a post dated in the future keeps it fresh at W2), flagged
///   no-interaction for W1 only: passing, failing, then fixed;
/// - `lapsed` posted today, so at W2 it is 14 days stale: newly failing, and its newest
///   post is titled `<script>alert(1)</script` (left unclosed so the title keeps it);
/// - `revived` last posted 20 days ago but has a post dated 10 days ahead: fixed at W2;
/// - `dormant` (16 days stale) and `undated` (no dates) never pass: chronic at W2.
struct ReportSite {
    let cli: CLI
    let accounts: LoopbackAccounts
    let rules = CLI.repository.appendingPathComponent("rules").path
    let now: Date
    let weeks: [String]

    // Unclosed at the end, so the reader's markup removal for titles keeps it whole: the
    // report itself must escape what reaches it.
    static let script = "&lt;script&gt;alert(1)&lt;/script"

    static func start() async throws -> ReportSite {
        let cli = try CLI()
        let now = Date()
        let accounts = try await LoopbackAccounts.start([
            ("steady", "/steady.xml", LoopbackAccounts.feed([("本周动态", 0.1), ("下周预告", -6), ("两周后预告", -12)], now: now), false),
            ("lapsed", "/lapsed.xml", LoopbackAccounts.feed([(script, 0.1), ("昨日通报", 1)], now: now), false),
            ("revived", "/revived.xml", LoopbackAccounts.feed([("二十天前的通知", 20), ("定时发布的稿件", -10)], now: now), false),
            ("dormant", "/dormant.xml", LoopbackAccounts.feed([("半月前的通知", 16), ("更早的通知", 30)], now: now), false),
            ("undated", "/undated.html", SitePage("<ul class='news-list'><li><a href='/u1'>无日期一</a></li></ul>"), true),
        ], in: cli.directory)
        let weeks = [0, 7, 14].map { ISOWeekText.of(now.addingTimeInterval(Double($0) * 86_400)) }
        let site = ReportSite(cli: cli, accounts: accounts, now: now, weeks: weeks)
        try await site.expectOK("account", "import", accounts.registerPath)
        try await site.expectOK("scan", "--allow-private-addresses", "--rules", site.rules)
        try await site.expectOK("account", "flag", "steady", "no-interaction", "--reason", "留言功能关闭")
        try await site.expectOK("evaluate", "--at", ChinaTime.iso8601(now.addingTimeInterval(7 * 86_400)), "--rules", site.rules)
        try await site.expectOK("account", "unflag", "steady", "no-interaction", "--reason", "已恢复留言")
        try await site.expectOK("evaluate", "--at", ChinaTime.iso8601(now.addingTimeInterval(14 * 86_400)), "--rules", site.rules)
        return site
    }

    @discardableResult
    func expectOK(_ arguments: String...) async throws -> CLI.Result {
        let result = try await cli.run(arguments)
        #expect(result.status == 0, "\(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    /// Writes a mail config pointing at `port` and returns its path.
    func mailConfig(port: Int, to: [String] = ["leader@jingyue.gov.cn", "office@jingyue.gov.cn"], attempts: Int = 2) throws -> String {
        let config: [String: Any] = [
            "mail": ["url": "smtp://127.0.0.1:\(port)", "from": "govmedia@jingyue.gov.cn", "to": to, "username": NSNull(),
                     "password": NSNull(), "starttls": false, "outbox": "outbox", "attempts": attempts, "retry_delay_seconds": 0.1],
            "report": ["district": "净月高新区"],
        ]
        let path = cli.directory.appendingPathComponent("govmedia-mail.json").path
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: path))
        return path
    }

    func files(in dir: String) throws -> [String: Data] {
        let url = cli.directory.appendingPathComponent(dir)
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: url.path) where !name.hasPrefix(".") {
            var isDir: ObjCBool = false
            let path = url.appendingPathComponent(name).path
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue {
                result[name] = FileManager.default.contents(atPath: path)
            }
        }
        return result
    }
}

/// `YYYY-Www` of an instant in China, computed independently of the code under test.
enum ISOWeekText {
    static func of(_ date: Date) -> String {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = ChinaTime.zone
        let c = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
        return String(format: "%04d-W%02d", c.yearForWeekOfYear!, c.weekOfYear!)
    }
}

/// Runs a Python helper (the tests' MIME parser and SMTP server come from Python).
enum Python {
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data, String(decoding: errData, as: UTF8.self))
    }

    /// The `.eml` as Python's `email` package reads it.
    static func parseEML(_ path: String) throws -> [String: Any] {
        let r = try run([CLI.fixture("parse_eml.py"), path])
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
    }

    static func freePort() throws -> Int {
        let r = try run(["-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
        return Int(String(decoding: r.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 2525
    }
}

/// A real SMTP server on loopback (aiosmtpd's Mailbox handler, one Maildir message per
/// delivery, with X-RcptTo naming the recipient), stopped by the test.
final class SMTPSink: @unchecked Sendable {
    let process = Process()
    let maildir: URL

    init(port: Int, in directory: URL) throws {
        let check = try Python.run(["-c", "import aiosmtpd"])
        guard check.status == 0 else {
            throw CLIFailureForTests("aiosmtpd 未安装：运行 scripts/setup（python3 -m pip install --quiet aiosmtpd）")
        }
        maildir = directory.appendingPathComponent("maildir-\(port)")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c", "aiosmtpd.handlers.Mailbox", maildir.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait (bounded) until it accepts connections.
        for _ in 0..<100 {
            if try Python.run(["-c", "import socket; socket.create_connection(('127.0.0.1', \(port)), 0.2)"]).status == 0 { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        stop()
        throw CLIFailureForTests("aiosmtpd 未能在 127.0.0.1:\(port) 启动")
    }

    /// Every delivered message's raw bytes.
    func messages() -> [Data] {
        let new = maildir.appendingPathComponent("new")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: new.path)) ?? []).sorted()
        return names.compactMap { FileManager.default.contents(atPath: new.appendingPathComponent($0).path) }
    }

    /// The recipient of each delivered message (the handler's X-RcptTo header).
    func recipients() -> [String] {
        messages().flatMap { data -> [String] in
            let text = String(decoding: data, as: UTF8.self)
            return text.components(separatedBy: "\n").filter { $0.hasPrefix("X-RcptTo:") }
                .map { $0.dropFirst("X-RcptTo:".count).trimmingCharacters(in: .whitespacesAndNewlines) }
        }.sorted()
    }

    /// SIGKILL: the child inherits the test runner's blocked signal mask, so SIGTERM and
    /// SIGINT would stay pending and the wait would never end.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

struct CLIFailureForTests: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

@Suite("govmedia report weekly", .serialized)
struct ReportCommandTests {
    @Test("the fixture week's report: headline, vetoes first with evidence, newly failing, fixed, chronic, coverage")
    func fixtureWeek() async throws {
        let site = try await ReportSite.start()
        defer { site.accounts.site.stop() }
        let week = site.weeks[2]
        let result = try await site.expectOK("report", "weekly", "--week", week, "--out", "out", "--rules", site.rules)
        #expect(result.stdout.contains("监测账号 5 个，合格 2 个，不合格 2 个，无法核实 1 个"))
        let files = try site.files(in: "out")
        let html = try #require(files["政务新媒体合规周报-\(week).html"].map { String(decoding: $0, as: UTF8.self) })
        // Headline: 2 of 5 pass this week; last week 1 of 5 (steady flagged, revived stale).
        #expect(html.contains("<span class=\"n\">40.0%</span>"))
        #expect(html.contains("较上周上升 20.0 个百分点"))
        // Failing accounts: the veto (lapsed, dormant) before the unverifiable one, with evidence.
        let lapsed = try #require(html.range(of: "测试账号1 <span"))
        let undated = try #require(html.range(of: "测试账号4 <span"))
        #expect(lapsed.lowerBound < undated.lowerBound)
        #expect(html.contains("单项否决") && html.contains("national.stale-2w"))
        let evidence = try #require(html.range(of: #"govmedia evidence show [0-9a-f]{12}"#, options: .regularExpression))
        let sha = String(html[evidence].suffix(12))
        #expect(try await site.cli.run("evidence", "show", sha, "--info").status == 0)
        // Changes, by section.
        let changes = try #require(html.range(of: "四、本周变化")).upperBound
        let newly = String(html[changes...]).components(separatedBy: "<h3>")
        #expect(newly.count >= 4)
        #expect(newly[1].hasPrefix("新增未达标（1 个）") && newly[1].contains("测试账号1"))
        #expect(newly[2].hasPrefix("已整改（2 个）") && newly[2].contains("测试账号0") && newly[2].contains("测试账号2"))
        #expect(newly[3].hasPrefix("连续三周及以上未达标（2 个）") && newly[3].contains("测试账号3") && newly[3].contains("测试账号4"))
        // 三审 coverage by owner, and the charts are inline SVG: the two charts, and an update
        // timeline for each failing account with dated posts (lapsed, dormant; not undated).
        #expect(html.contains("六、三审覆盖情况") && html.contains("测试单位0"))
        #expect(html.components(separatedBy: "<svg").count == 5)
        #expect(html.components(separatedBy: "class=\"timeline\"").count == 3)
        #expect(html.contains("第\(Int(week.suffix(2))!)周"))
        // The CSV: BOM, header, one row per account.
        let csv = try #require(files["政务新媒体合规周报-\(week)-账号明细.csv"])
        let csvText = String(decoding: csv, as: UTF8.self)
        #expect(csv.starts(with: [0xEF, 0xBB, 0xBF]) && csvText.contains("账号ID,名称,主办单位"))
        #expect(csvText.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 6)
        #expect(csvText.contains("lapsed,测试账号1,测试单位1,微信公众号,正常,不合格,合格,新增未达标"))
    }

    @Test("a post titled <script>alert(1)</script> shows as text, and the page makes no external request")
    func escaping() async throws {
        let site = try await ReportSite.start()
        defer { site.accounts.site.stop() }
        try await site.expectOK("report", "weekly", "--week", site.weeks[2], "--out", "out", "--rules", site.rules)
        let html = try #require(try site.files(in: "out").first { $0.key.hasSuffix(".html") }.map { String(decoding: $0.value, as: UTF8.self) })
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script"))
        #expect(html.range(of: "<script", options: .caseInsensitive) == nil)
        for external in ["src=", "<link", "@import", "url(", "@font-face"] {
            #expect(!html.contains(external), "\(external)")
        }
        #expect(html.contains("@page { size: A4"))
        #expect(html.contains("Content-Security-Policy"))
    }

    @Test("the .eml parses back: Chinese subject and filenames decode, both attachments are the files byte for byte")
    func emlParsesBack() async throws {
        let site = try await ReportSite.start()
        defer { site.accounts.site.stop() }
        let week = site.weeks[2]
        let config = try site.mailConfig(port: 9)
        try await site.expectOK("report", "weekly", "--week", week, "--out", "out", "--config", config, "--rules", site.rules)
        let outbox = try site.files(in: "outbox")
        #expect(outbox.count == 1)
        let eml = site.cli.directory.appendingPathComponent("outbox/\(try #require(outbox.keys.first))").path
        let parsed = try Python.parseEML(eml)
        let weekNumber = Int(week.suffix(2))!
        #expect(parsed["subject"] as? String == "政务新媒体合规周报 \(week.prefix(4))年第\(weekNumber)周：达标率 40.0%（合格 2/5），不合格 2 个")
        #expect(parsed["to"] as? [String] == ["leader@jingyue.gov.cn", "office@jingyue.gov.cn"])
        #expect(parsed["from"] as? String == "govmedia@jingyue.gov.cn")
        #expect((parsed["message_id"] as? String)?.hasPrefix("<weekly-\(week).") == true)
        #expect(parsed["content_type"] as? String == "multipart/mixed")
        #expect((parsed["defects"] as? [Any])?.isEmpty == true)
        #expect((parsed["max_line"] as? Int ?? 999) <= 78 && parsed["bare_lf"] as? Bool == false)
        let parts = try #require(parsed["parts"] as? [[String: Any]])
        #expect(parts.count == 3)
        #expect(parts[0]["content_type"] as? String == "text/plain" && (parts[0]["text"] as? String)?.contains("达标率 40.0%") == true)
        let files = try site.files(in: "out")
        for (part, suffix) in zip(parts.dropFirst(), [".html", "-账号明细.csv"]) {
            let name = "净月高新区政务新媒体合规周报-\(week)\(suffix)"
            #expect(part["filename"] as? String == name)
            #expect(part["disposition"] as? String == "attachment")
            #expect(part["sha256"] as? String == AuditHash.sha256(try #require(files[name])))
        }
        // The raw header carries RFC 2047 words and RFC 2231 parameters, not raw UTF-8.
        let raw = String(decoding: try #require(FileManager.default.contents(atPath: eml)), as: UTF8.self)
        #expect(raw.contains("Subject: =?UTF-8?B?") && raw.contains("filename*0*=UTF-8''%E5%87%80"))
        #expect(raw.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test("two runs give byte-identical HTML, CSV and .eml")
    func deterministic() async throws {
        let site = try await ReportSite.start()
        defer { site.accounts.site.stop() }
        let config = try site.mailConfig(port: 9)
        try await site.expectOK("report", "weekly", "--week", site.weeks[2], "--out", "a", "--config", config, "--rules", site.rules)
        let first = try site.files(in: "a"), firstMail = try site.files(in: "outbox")
        try await site.expectOK("report", "weekly", "--week", site.weeks[2], "--out", "b", "--config", config, "--rules", site.rules)
        #expect(first == (try site.files(in: "b")))
        #expect(firstMail == (try site.files(in: "outbox")) && firstMail.count == 1)
        let store = try Store(path: site.cli.database, readOnly: true)
        let records = try store.weeklyReports(week: site.weeks[2])
        #expect(records.count == 1 && records.first?.htmlSHA256 == AuditHash.sha256(first.first { $0.key.hasSuffix(".html") }!.value))
    }

    @Test("register changes of the week are listed with who made them")
    func registerChanges() async throws {
        let site = try await ReportSite.start()
        defer { site.accounts.site.stop() }
        try await site.expectOK("account", "change", "dormant", "--set", "responsible=赵六", "--reason", "负责人调整")
        try await site.expectOK("report", "weekly", "--week", site.weeks[0], "--out", "w0", "--rules", site.rules)
        let html = try #require(try site.files(in: "w0").first { $0.key.hasSuffix(".html") }.map { String(decoding: $0.value, as: UTF8.self) })
        let section = try #require(html.range(of: "八、本周台账变更")).upperBound
        let table = html[section...]
        #expect(table.components(separatedBy: "<td>开设</td>").count == 6)
        #expect(table.contains("<td>变更</td>") && table.contains("负责人：（空） → 赵六") && table.contains("负责人调整"))
        #expect(table.contains(currentUser()))
    }

    @Test("a week with no stored results gives a clear 本周无监测数据 report, still valid HTML, CSV and mail")
    func emptyWeek() async throws {
        let cli = try CLI()
        let config = cli.directory.appendingPathComponent("mail.json").path
        try #"{"mail": {"url": "smtp://127.0.0.1:9", "from": "govmedia@jingyue.gov.cn", "to": ["leader@jingyue.gov.cn"]}}"#
            .write(toFile: config, atomically: true, encoding: .utf8)
        let result = try await cli.run("report", "weekly", "--week", "2020-W10", "--out", "empty", "--config", config)
        #expect(result.status == 0, "\(result.stderr)")
        let dir = cli.directory.appendingPathComponent("empty")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(names == ["政务新媒体合规周报-2020-W10-账号明细.csv", "政务新媒体合规周报-2020-W10.html"])
        let html = try String(contentsOf: dir.appendingPathComponent(names[1]), encoding: .utf8)
        #expect(html.contains("本周无监测数据") && html.contains("2020-03-02 至 2020-03-08") && html.hasSuffix("</html>\n"))
        let csv = try String(contentsOf: dir.appendingPathComponent(names[0]), encoding: .utf8)
        #expect(csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 1)
        let outbox = cli.directory.appendingPathComponent("outbox")
        let eml = try #require(try FileManager.default.contentsOfDirectory(atPath: outbox.path).first { $0.hasSuffix(".eml") })
        let parsed = try Python.parseEML(outbox.appendingPathComponent(eml).path)
        #expect(parsed["subject"] as? String == "政务新媒体合规周报 2020年第10周：本周无监测数据")
        #expect((parsed["parts"] as? [Any])?.count == 3)
    }

    @Test("the year's stored disclosure reports appear with their figures and check results")
    func disclosures() async throws {
        let cli = try CLI()
        for year in ["2021", "2022"] {
            let imported = try await cli.run("disclosure", "import", CLI.fixture("disclosure-jingyue-\(year).txt"), "--org", "净月高新区", "--year", year)
            #expect(imported.status == 0, "\(imported.stderr)")
        }
        let result = try await cli.run("report", "weekly", "--week", "2022-W10", "--out", "d")
        #expect(result.status == 0, "\(result.stderr)")
        let dir = cli.directory.appendingPathComponent("d")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasSuffix(".html") })
        let html = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
        let section = String(html[try #require(html.range(of: "政府信息公开年报</h2>")).upperBound...])
        #expect(section.contains("净月高新区 2021 年度报告") && section.contains("净月高新区 2022 年度报告"))
        #expect(section.contains("正文所述受理申请数") && section.contains("勾稽关系核对"))
    }

    @Test("bad mail settings are refused naming the field")
    func badConfig() async throws {
        let cli = try CLI()
        let config = cli.directory.appendingPathComponent("mail.json").path
        try #"{"mail": {"url": "smtp://127.0.0.1:9", "from": "govmedia@jingyue.gov.cn", "to": ["ok@jingyue.gov.cn", "bad\r\nBcc: x@y.cn"]}}"#
            .write(toFile: config, atomically: true, encoding: .utf8)
        let result = try await cli.run("report", "weekly", "--week", "2020-W10", "--config", config)
        #expect(result.status == 1 && result.stderr.contains("mail.to[1]"))
        try #"{"mail": {"from": "govmedia@jingyue.gov.cn", "to": []}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        #expect(try await cli.run("report", "weekly", "--config", config).stderr.contains("mail.url"))
    }

    @Test("server down: recorded failed, kept in the outbox; server up: delivered to every recipient; never sent twice")
    func delivery() async throws {
        let site = try await ReportSite.start()
        defer { site.accounts.site.stop() }
        let port = try Python.freePort()
        let config = try site.mailConfig(port: port)
        let week = site.weeks[2]

        // Down: two tries per recipient, both fail; the message stays.
        let down = try await site.cli.run("report", "weekly", "--week", week, "--out", "out", "--config", config, "--send", "--rules", site.rules)
        #expect(down.status == 2, "\(down.stdout)\(down.stderr)")
        #expect(down.stdout.contains("未送达 leader@jingyue.gov.cn") && down.stderr.contains("2 个收件人未送达"))
        let pending = try site.files(in: "outbox")
        #expect(pending.count == 1)
        let messageID = try #require(try Store(path: site.cli.database, readOnly: true).weeklyReports(week: week).last?.messageID)
        var deliveries = try Store(path: site.cli.database, readOnly: true).deliveries(messageID: messageID)
        #expect(deliveries.map(\.status) == [.failed, .failed] && deliveries.allSatisfy { $0.attempts == 2 && $0.lastError != nil })

        // Up: the daemon's command delivers to both; the file moves to sent/.
        let sink = try SMTPSink(port: port, in: site.cli.directory)
        defer { sink.stop() }
        let up = try await site.cli.run("report", "send-outbox", "--config", config)
        #expect(up.status == 0, "\(up.stdout)\(up.stderr)")
        #expect(sink.recipients() == ["leader@jingyue.gov.cn", "office@jingyue.gov.cn"])
        #expect(try site.files(in: "outbox").isEmpty && (try site.files(in: "outbox/sent")).values.first == pending.values.first)
        deliveries = try Store(path: site.cli.database, readOnly: true).deliveries(messageID: messageID)
        #expect(deliveries.map(\.status) == [.sent, .sent] && deliveries.allSatisfy { $0.attempts == 3 && $0.sentAt != nil })
        let received = String(decoding: try #require(sink.messages().first), as: UTF8.self)
        #expect(received.contains("Message-ID: <\(messageID)>"))

        // Again: nothing is sent twice, even when the same report is generated and sent again.
        #expect(try await site.cli.run("report", "send-outbox", "--config", config).stdout.contains("没有待发送的邮件"))
        let again = try await site.cli.run("report", "weekly", "--week", week, "--out", "out", "--config", config, "--send", "--rules", site.rules)
        #expect(again.status == 0 && again.stdout.contains("此前已送达 leader@jingyue.gov.cn"))
        #expect(sink.messages().count == 2)
    }
}

private func currentUser() -> String {
    if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
    return ProcessInfo.processInfo.environment["USER"] ?? ""
}
