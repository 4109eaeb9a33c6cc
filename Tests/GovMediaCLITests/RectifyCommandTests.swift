import Foundation
import GovMediaCore
import GovMediaSite
import Testing

/// Two loopback accounts (`stale` last posted 16 days ago, `fresh` today), scanned once with
/// a copy of the repository's rules whose calendar puts a holiday on the next three weekdays:
/// the stale account's deadline must be counted across it.
struct RectifySite {
    let cli: CLI
    let accounts: LoopbackAccounts
    let rules: String
    let holidays: [CivilDate]

    static func start(calendar: Bool = true) async throws -> RectifySite {
        let cli = try CLI()
        let accounts = try await LoopbackAccounts.start([
            ("stale", "/stale.xml", LoopbackAccounts.feed([("半月前的通知", 16), ("更早的通知", 30)]), false),
            ("fresh", "/fresh.xml", LoopbackAccounts.feed([("今日要闻", 0.1), ("昨日通报", 1)]), false),
        ], in: cli.directory)
        let rules = cli.directory.appendingPathComponent("rules").path
        try FileManager.default.copyItem(atPath: CLI.repository.appendingPathComponent("rules").path, toPath: rules)
        let holidays = Self.nextWeekdays(3, after: ChinaTime.today())
        try FileManager.default.removeItem(atPath: rules + "/calendar.yaml")
        if calendar { try Self.calendar(holidays).write(toFile: rules + "/calendar.yaml", atomically: true, encoding: .utf8) }
        let site = RectifySite(cli: cli, accounts: accounts, rules: rules, holidays: holidays)
        #expect(try await cli.run("account", "import", accounts.registerPath).status == 0)
        let scan = try await site.scan()
        #expect(scan.status == 0, "\(scan.stderr)")
        return site
    }

    func scan() async throws -> CLI.Result { try await cli.run("scan", "--allow-private-addresses", "--rules", rules) }

    static func nextWeekdays(_ n: Int, after day: CivilDate) -> [CivilDate] {
        var days: [CivilDate] = []
        var d = day
        while days.count < n {
            d = d.adding(days: 1)
            if d.isoWeekday <= 5 { days.append(d) }
        }
        return days
    }

    /// A calendar with each holiday as its own entry, covering this year and the next.
    static func calendar(_ holidays: [CivilDate]) -> String {
        let today = ChinaTime.today()
        var text = "years:\n"
        for year in [today.year, today.year + 1] {
            let mine = holidays.filter { $0.year == year }
            text += "  \(year):\n    holidays:" + (mine.isEmpty ? " []\n" : "\n")
            for d in mine { text += "      - {name: 测试假日, from: \(d), to: \(d)}\n" }
        }
        return text
    }

    /// The `n`th working day after today, skipping weekends and the test holidays.
    func expectedDeadline(_ n: Int) -> CivilDate {
        var d = ChinaTime.today()
        var left = n
        while left > 0 {
            d = d.adding(days: 1)
            if d.isoWeekday <= 5 && !holidays.contains(d) { left -= 1 }
        }
        return d
    }

    func items(_ extra: String...) async throws -> [[String: Any]] {
        let result = try await cli.run(["rectify", "list", "--json"] + extra)
        return try #require(result.json as? [[String: Any]], "\(result.stdout)\(result.stderr)")
    }

    func item(account: String, rule: String) async throws -> [String: Any] {
        try #require(try await items().first { $0["account_id"] as? String == account && $0["rule"] as? String == rule })
    }

    func events(_ id: Int) async throws -> [[String: String]] {
        let show = try await cli.run("rectify", "show", String(id), "--json")
        return try #require((show.json as? [String: Any])?["events"] as? [[String: String]], "\(show.stderr)")
    }
}

@Suite("rectification items (govmedia rectify)")
struct RectifyCommandTests {
    @Test("a stale account opens a veto item whose 5-working-day deadline is counted across the calendar's holiday")
    func staleOpensItem() async throws {
        let site = try await RectifySite.start()
        defer { site.accounts.site.stop() }
        let item = try await site.item(account: "stale", rule: "national.stale-2w")
        #expect(item["state"] as? String == "open")
        #expect(item["severity"] as? String == "veto")
        #expect(item["owner"] as? String == "测试单位0")
        #expect(item["deadline"] as? String == site.expectedDeadline(5).description)
        #expect(item["deadline_estimated"] as? Bool == false)
        #expect((item["evidence"] as? [[String: Any]])?.first?["message"] as? String != nil)
    }

    @Test("a later evaluation that still finds the problem opens no second item")
    func noDuplicate() async throws {
        let site = try await RectifySite.start()
        defer { site.accounts.site.stop() }
        #expect(try await site.cli.run("evaluate", "--rules", site.rules).status == 0)
        let stale = try await site.items().filter { $0["account_id"] as? String == "stale" && $0["rule"] as? String == "national.stale-2w" }
        #expect(stale.count == 1)
    }

    @Test("evaluate --at past the deadline makes the item overdue, recorded once")
    func overdue() async throws {
        let site = try await RectifySite.start()
        defer { site.accounts.site.stop() }
        let item = try await site.item(account: "stale", rule: "national.stale-2w")
        let id = try #require(item["id"] as? Int)
        let after = "\(site.expectedDeadline(5).adding(days: 1)) 10:00"
        #expect(try await site.cli.run("evaluate", "--rules", site.rules, "--at", after).status == 0)
        #expect(try await site.cli.run("evaluate", "--rules", site.rules, "--at", "\(site.expectedDeadline(5).adding(days: 2)) 10:00").status == 0)
        let overdue = try await site.items("--overdue", "--at", after)
        #expect(overdue.contains { $0["id"] as? Int == id && $0["state"] as? String == "overdue" })
        #expect(try await site.events(id).filter { $0["kind"] == "overdue" }.count == 1)
        #expect(try await site.items("--overdue").contains { $0["id"] as? Int == id } == false, "not overdue today")
    }

    @Test("the account posts again and the next scan closes the item as fixed, with that evaluation as proof")
    func fixedByScan() async throws {
        let site = try await RectifySite.start()
        defer { site.accounts.site.stop() }
        let id = try #require(try await site.item(account: "stale", rule: "national.stale-2w")["id"] as? Int)
        await site.accounts.site.set("/stale.xml", LoopbackAccounts.feed([("整改后的新通知", 0.01), ("半月前的通知", 16)]))
        #expect(try await site.scan().status == 0)
        let scores = try #require(try await site.cli.run("scores", "stale", "--json").json as? [[String: String]])
        let lastRun = try #require(scores.last?["run_id"].flatMap { Int($0) })
        let show = try #require(try await site.cli.run("rectify", "show", String(id), "--json").json as? [String: Any])
        #expect(show["state"] as? String == "fixed")
        #expect(show["closed_run"] as? Int == lastRun)
        #expect(try await site.items("--fixed").contains { $0["id"] as? Int == id })
        let text = try await site.cli.run("rectify", "show", String(id))
        #expect(text.stdout.contains("依据评判 #\(lastRun) 未再发现此问题"))
    }

    @Test("extend and waive each record an event with the officer's reason")
    func extendAndWaive() async throws {
        let site = try await RectifySite.start()
        defer { site.accounts.site.stop() }
        let id = try #require(try await site.item(account: "stale", rule: "national.stale-2w")["id"] as? Int)
        let later = site.expectedDeadline(5).adding(days: 10).description
        let extend = try await site.cli.run("rectify", "extend", String(id), "--to", later, "--reason", "单位申请延期，已批准")
        #expect(extend.status == 0, "\(extend.stderr)")
        #expect(try await site.item(account: "stale", rule: "national.stale-2w")["deadline"] as? String == later)
        let waive = try await site.cli.run("rectify", "waive", String(id), "--reason", "账号已申请注销")
        #expect(waive.status == 0, "\(waive.stderr)")
        let events = try await site.events(id)
        #expect(events.map { $0["kind"] ?? "" } == ["opened", "extended", "waived"])
        #expect(events.last?["reason"] == "账号已申请注销")
    }

    @Test("an unknown id, a deadline before the finding and a waive without a reason are refused and write nothing")
    func badInput() async throws {
        let site = try await RectifySite.start()
        defer { site.accounts.site.stop() }
        let id = try #require(try await site.item(account: "stale", rule: "national.stale-2w")["id"] as? Int)
        let unknown = try await site.cli.run("rectify", "waive", "9999", "--reason", "x")
        #expect(unknown.status == 1 && unknown.stderr.contains("没有这个整改事项"))
        let early = try await site.cli.run("rectify", "extend", String(id), "--to", "2020-01-01", "--reason", "x")
        #expect(early.status == 1 && early.stderr.contains("早于发现日期"))
        let noReason = try await site.cli.run("rectify", "waive", String(id))
        #expect(noReason.status == 1 && noReason.stderr.contains("--reason"))
        let blank = try await site.cli.run("rectify", "waive", String(id), "--reason", "  ")
        #expect(blank.status == 1)
        #expect(try await site.events(id).map { $0["kind"] ?? "" } == ["opened"])
        #expect(try await site.item(account: "stale", rule: "national.stale-2w")["state"] as? String == "open")
    }

    @Test("status shows the open items per account and explain names the item behind a failing rule")
    func statusAndExplain() async throws {
        let site = try await RectifySite.start()
        defer { site.accounts.site.stop() }
        let status = try await site.cli.run("status", "--json", "--rules", site.rules)
        let rows = try #require(status.json as? [[String: Any]])
        let stale = try #require(rows.first { $0["id"] as? String == "stale" })
        #expect(stale["open_rectifications"] as? Int == 2, "national.stale-2w and local.stale-1w")
        #expect(try await site.cli.run("status", "--rules", site.rules).stdout.contains("待整改"))
        let id = try #require(try await site.item(account: "stale", rule: "national.stale-2w")["id"] as? Int)
        let explain = try await site.cli.run("explain", "stale", "--rules", site.rules)
        #expect(explain.stdout.contains("整改事项 #\(id)：待整改"))
    }

    @Test("without the year in the calendar the deadline is marked 按周末估算 and status warns")
    func estimated() async throws {
        let site = try await RectifySite.start(calendar: false)
        defer { site.accounts.site.stop() }
        let item = try await site.item(account: "stale", rule: "national.stale-2w")
        #expect(item["deadline_estimated"] as? Bool == true)
        #expect(try await site.cli.run("rectify", "list").stdout.contains("按周末估算"))
        #expect(try await site.cli.run("status", "--rules", site.rules).stdout.contains("按周末估算"))
    }

    @Test("an item's event altered in the sqlite3 shell is caught by audit verify")
    func tamper() async throws {
        let site = try await RectifySite.start()
        defer { site.accounts.site.stop() }
        #expect(try await site.cli.run("audit", "verify").status == 0)
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = ["sqlite3", site.cli.database,
                            "DROP TRIGGER rectification_event_no_update; UPDATE rectification_event SET reason = '无问题' WHERE seq = 1;"]
        try sqlite.run()
        sqlite.waitUntilExit()
        #expect(sqlite.terminationStatus == 0)
        let audit = try await site.cli.run("audit", "verify")
        #expect(audit.status != 0)
        #expect(audit.stdout.contains("整改事件 第 1 条记录"))
    }

    @Test("an item's state edited in the sqlite3 shell does not fit its events")
    func tamperItem() async throws {
        let site = try await RectifySite.start()
        defer { site.accounts.site.stop() }
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = ["sqlite3", site.cli.database, "UPDATE rectification SET state = 'waived' WHERE id = 1;"]
        try sqlite.run()
        sqlite.waitUntilExit()
        let audit = try await site.cli.run("audit", "verify")
        #expect(audit.status != 0)
        #expect(audit.stdout.contains("整改事项 #1"))
    }
}
