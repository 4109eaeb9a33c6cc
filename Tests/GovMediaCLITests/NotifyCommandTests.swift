import Foundation
import GovMediaCore
import GovMediaSite
import Testing

/// The rectification site (`stale` of 测试单位0 fails the two-week rule; `fresh` of 测试单位1
/// has review.missing items) with a mail config and a real SMTP server on loopback.
private struct NoticeSite {
    let site: RectifySite
    let sink: SMTPSink
    let config: String

    static func start() async throws -> NoticeSite {
        let site = try await RectifySite.start()
        let change = try await site.cli.run("account", "change", "stale", "--set", "contact_email=unit0@jingyue.gov.cn；unit0-office@jingyue.gov.cn",
                                            "--reason", "补充整改通知联系邮箱")
        #expect(change.status == 0, "\(change.stderr)")
        let port = try Python.freePort()
        let sink = try SMTPSink(port: port, in: site.cli.directory)
        let dir = site.cli.directory.path
        let config = try writeConfig(site.cli, interval: 3600, rules: site.rules, extra: """
            report:
              weekday: 1
              time: "00:00"
              out: \(dir)/reports
            mail:
              url: smtp://127.0.0.1:\(port)
              from: govmedia@jingyue.gov.cn
              to: [zwgkb@jingyue.gov.cn]
              outbox: \(dir)/outbox
            notices:
              issuer: 净月高新区政务公开办公室
              contact: 王晓明 0431-81234567
            """)
        return NoticeSite(site: site, sink: sink, config: config)
    }

    func stop() {
        sink.stop()
        site.accounts.site.stop()
    }

    func notify(_ extra: String...) async throws -> CLI.Result {
        try await site.cli.run(["notify", "--config", config, "--rules", site.rules] + extra)
    }

    /// The plain-text part and the attached HTML file's name of a parsed message.
    static func body(_ mail: [String: Any]) -> (text: String, attachment: String) {
        let parts = mail["parts"] as? [[String: Any]] ?? []
        return (parts.compactMap { $0["text"] as? String }.joined(), parts.compactMap { $0["filename"] as? String }.joined())
    }

    /// The HTML notices written for `unit` on `day`.
    func htmlNotices(unit: String, day: CivilDate) throws -> [String] {
        let dir = site.cli.directory.appendingPathComponent("reports/notices/\(day)")
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("整改通知-\(unit)-") }.sorted()
            .map { try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8) }
    }

    /// The delivered messages as Python's `email` package reads them.
    func delivered() throws -> [[String: Any]] {
        try sink.messages().enumerated().map { index, data in
            let path = site.cli.directory.appendingPathComponent("received-\(index).eml").path
            try data.write(to: URL(fileURLWithPath: path))
            return try Python.parseEML(path)
        }
    }
}

@Suite("rectification notices to owner units (govmedia notify)", .serialized)
struct NotifyCommandTests {
    @Test("the stale account's unit gets one notice on a real SMTP server; a second run that day sends nothing; the unit without a contact is named")
    func noticeOnce() async throws {
        let n = try await NoticeSite.start()
        defer { n.stop() }
        let first = try await n.notify("--send")
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(n.sink.recipients() == ["unit0-office@jingyue.gov.cn", "unit0@jingyue.gov.cn"])
        #expect(first.stdout.contains("测试单位1") && first.stdout.contains("台账无联系邮箱"), "\(first.stdout)")

        let mail = try #require(try n.delivered().first)
        let subject = try #require(mail["subject"] as? String)
        #expect(subject.contains("整改通知：测试单位0"))
        let (text, attachment) = NoticeSite.body(mail)
        let deadline = n.site.expectedDeadline(5)
        #expect(text.contains("测试单位0：") && text.contains("内容不更新") && text.contains(deadline.description), "\(text)")
        #expect(attachment.hasPrefix("整改通知-测试单位0-") && attachment.hasSuffix(".html"), "\(attachment)")
        let html = try #require(try n.htmlNotices(unit: "测试单位0", day: ChinaTime.today()).first)
        #expect(html.contains("关于限期整改政务新媒体问题的通知"))
        #expect(html.contains("测试单位0：") && html.contains("内容不更新") && html.contains("单项否决"))
        #expect(html.contains(deadline.description), "the deadline counted across the holiday")
        #expect(html.contains("王晓明 0431-81234567") && html.contains("净月高新区政务公开办公室"))
        #expect(html.contains("半月前的通知"), "the evidence names the newest post")

        // The same day again: nothing new is written or sent.
        let second = try await n.notify("--send")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("今天已通知过") || second.stdout.contains("今天已就"), "\(second.stdout)")
        #expect(n.sink.messages().count == 2)
        #expect(sqlite(n.site.cli.database, "SELECT COUNT(DISTINCT message_id) FROM rectification_notice") == "1")
    }

    @Test("past the deadline the item is overdue: the next day's reminder says 已逾期 and the weekly report lists it by unit")
    func overdueReminderAndReport() async throws {
        let n = try await NoticeSite.start()
        defer { n.stop() }
        #expect(try await n.notify("--send").status == 0)
        let after = n.site.expectedDeadline(5).adding(days: 1)
        let evaluate = try await n.site.cli.run("evaluate", "--rules", n.site.rules, "--at", "\(after) 10:00")
        #expect(evaluate.status == 0, "\(evaluate.stderr)")
        let reminder = try await n.notify("--send", "--at", "\(after) 10:30")
        #expect(reminder.status == 0, "\(reminder.stdout)\(reminder.stderr)")
        let mails = try n.delivered()
        #expect(mails.count == 4, "two recipients, two days")
        let last = try #require(mails.first { ($0["subject"] as? String)?.contains("已逾期") == true }, "\(mails.map { $0["subject"] ?? "" })")
        #expect(NoticeSite.body(last).text.contains("状态：已逾期"))
        #expect(try n.htmlNotices(unit: "测试单位0", day: after).first?.contains("已逾期") == true)

        let week = ISOWeekText.of(ChinaTime.instant(after, hour: 12))
        let report = try await n.site.cli.run("report", "weekly", "--week", week, "--out", "out", "--rules", n.site.rules)
        #expect(report.status == 0, "\(report.stderr)")
        let page = try String(contentsOfFile: n.site.cli.directory.appendingPathComponent("out").path + "/"
                              + (try FileManager.default.contentsOfDirectory(atPath: n.site.cli.directory.appendingPathComponent("out").path)
                                 .first { $0.hasSuffix(".html") } ?? ""), encoding: .utf8)
        let section = try #require(page.range(of: "整改情况")).upperBound
        let text = String(page[section...].prefix(6000))
        let overdue = try #require(text.range(of: "逾期未整改"))
        #expect(text[overdue.upperBound...].prefix(1500).contains("测试单位0"), "\(text)")
        #expect(text.contains("测试单位1：待整改"), "the unit without a contact is listed")
        #expect(text.contains("逾期未改 1 个"), "the year's totals: \(text)")
    }

    @Test("without --config the notices are written as HTML only, and nothing is recorded as sent")
    func htmlOnly() async throws {
        let n = try await NoticeSite.start()
        defer { n.stop() }
        let result = try await n.site.cli.run("notify", "--rules", n.site.rules, "--out", "notices")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("只生成 HTML"))
        let day = ChinaTime.today().description
        let files = try FileManager.default.contentsOfDirectory(atPath: n.site.cli.directory.appendingPathComponent("notices/\(day)").path)
        #expect(files.filter { $0.hasPrefix("整改通知-测试单位0-") && $0.hasSuffix(".html") }.count == 1, "\(files)")
        #expect(sqlite(n.site.cli.database, "SELECT COUNT(*) FROM rectification_notice") == "0")
        #expect(n.sink.messages().isEmpty)
    }

    @Test("a bad contact_email is refused naming the account and field; nothing changes")
    func badContact() async throws {
        let site = try await RectifySite.start()
        defer { site.accounts.site.stop() }
        let bad = try await site.cli.run("account", "change", "stale", "--set", "contact_email=unit0 at jingyue", "--reason", "测试")
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("contact_email") && bad.stderr.contains("不是有效的邮件地址"), "\(bad.stderr)")
        #expect(sqlite(site.cli.database, "SELECT IFNULL(contact_email, '') FROM account WHERE id = 'stale'") == "")
    }
}

@Suite("the daemon's rectification notices", .serialized)
struct DaemonNoticeTests {
    @Test("after its evaluation the daemon mails the unit its new item once; a second scan the same day sends nothing more")
    func daemonSendsOnce() async throws {
        let n = try await NoticeSite.start()
        defer { n.stop() }
        // Interval 2 s: several scans and evaluations run while the test waits.
        let config = try String(contentsOfFile: n.config, encoding: .utf8).replacingOccurrences(of: "interval_seconds: 3600", with: "interval_seconds: 2")
        try config.write(toFile: n.config, atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(cli: n.site.cli, config: n.config)
        #expect(await daemon.wait(30) { n.sink.recipients().count == 2 }, "\(daemon.log)")
        #expect(await daemon.wait(20) { daemon.log.components(separatedBy: "scan evaluated").count > 3 }, "\(daemon.log)")
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(10).status == 0)
        #expect(n.sink.recipients() == ["unit0-office@jingyue.gov.cn", "unit0@jingyue.gov.cn"])
        #expect(daemon.log.contains("owner unit has no contact_email"), "测试单位1 is named in the log")
    }
}
