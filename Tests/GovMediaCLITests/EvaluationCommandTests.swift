import Foundation
import GovMediaCore
import GovMediaSite
import Testing

/// Accounts in the states the rules must tell apart, served on loopback and scanned once.
struct JudgedSite {
    let cli: CLI
    let accounts: LoopbackAccounts
    let rules = CLI.repository.appendingPathComponent("rules").path

    /// `fresh` posted today and yesterday; `stale` last posted 16 days ago; `undated` lists
    /// posts with no dates; `reviewed` has one post today with the ledger given.
    static func start(ledger: [String] = []) async throws -> JudgedSite {
        let cli = try CLI()
        let now = Date()
        let accounts = try await LoopbackAccounts.start([
            ("fresh", "/fresh.xml", LoopbackAccounts.feed([("今日要闻", 0.1), ("昨日通报", 1)], now: now), false),
            ("stale", "/stale.xml", LoopbackAccounts.feed([("半月前的通知", 16), ("更早的通知", 30)], now: now), false),
            ("undated", "/undated.html", SitePage("<ul class='news-list'><li><a href='/u1'>无日期一</a></li><li><a href='/u2'>无日期二</a></li></ul>"), true),
            ("reviewed", "/reviewed.xml", SitePage("""
                <rss version="2.0"><channel><title>r</title><item><title>三审测试稿件</title><link>https://example.gov.cn/r/1.html</link>
                <pubDate>\(ChinaTime.iso8601(now.addingTimeInterval(-3600)))</pubDate></item></channel></rss>
                """, contentType: "application/rss+xml"), false),
        ], in: cli.directory)
        let site = JudgedSite(cli: cli, accounts: accounts)
        #expect(try await cli.run("account", "import", accounts.registerPath).status == 0)
        if !ledger.isEmpty {
            let csv = cli.directory.appendingPathComponent("ledger.csv")
            try ("account_id,post_url,post_title,stage,reviewer,signed_at,opinion\n" + ledger.joined(separator: "\n") + "\n")
                .write(to: csv, atomically: true, encoding: .utf8)
            let imported = try await cli.run("review", "import", csv.path)
            #expect(imported.status == 0, "\(imported.stderr)")
        }
        let scan = try await cli.run("scan", "--allow-private-addresses", "--rules", site.rules)
        #expect(scan.status == 0, "\(scan.stderr)")
        return site
    }

    func status(_ extra: String...) async throws -> [String: [String: Any]] {
        let result = try await cli.run(["status", "--json", "--rules", rules] + extra)
        let rows = try #require(result.json as? [[String: Any]], "\(result.stderr)")
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["id"] as! String, $0) })
    }

    static func rules(of row: [String: Any]?) -> [String] {
        ((row?["findings"] as? [[String: Any]]) ?? []).compactMap { $0["rule"] as? String }
    }

    /// A ledger line for the `reviewed` account's post, signed `hoursBefore` publication.
    static func sign(_ stage: String, _ who: String, hoursAgo: Double, opinion: String = "同意") -> String {
        let at = ChinaTime.iso8601(Date().addingTimeInterval(-hoursAgo * 3600))
        return "reviewed,https://example.gov.cn/r/1.html,三审测试稿件,\(stage),\(who),\(at),\(opinion)"
    }
}

@Suite("govmedia evaluate and status")
struct EvaluationCommandTests {
    @Test("an account whose newest dated post is 16 days old fails with national.stale-2w")
    func staleFails() async throws {
        let site = try await JudgedSite.start()
        defer { site.accounts.site.stop() }
        let rows = try await site.status()
        #expect(rows["stale"]?["verdict"] as? String == "fail")
        #expect(JudgedSite.rules(of: rows["stale"]).contains("national.stale-2w"))
        #expect(rows["stale"]?["days_since_update"] as? Int == 16)
        let finding = try #require((rows["stale"]?["findings"] as? [[String: Any]])?.first)
        #expect(finding["severity"] as? String == "veto")
        #expect(finding["message"] is String && finding["points"] is Int)
    }

    @Test("an account whose posts have no dates is unverifiable, never passing")
    func undatedUnverifiable() async throws {
        let site = try await JudgedSite.start()
        defer { site.accounts.site.stop() }
        let rows = try await site.status()
        #expect(rows["undated"]?["verdict"] as? String == "unverifiable")
        #expect(rows["undated"]?["last_post_at"] is NSNull)
    }

    @Test("a fresh account with no review records gets review.missing for each post, and still passes on points")
    func reviewMissing() async throws {
        let site = try await JudgedSite.start()
        defer { site.accounts.site.stop() }
        let rows = try await site.status()
        #expect(JudgedSite.rules(of: rows["fresh"]).filter { $0 == "review.missing" }.count == 2)
        #expect(rows["fresh"]?["verdict"] as? String == "pass")
        #expect(rows["fresh"]?["review_coverage"] as? Double == 0)
        #expect(rows["fresh"]?["score"] as? Int == 90)
    }

    @Test("a complete ledger gives full coverage and no review findings")
    func completeLedger() async throws {
        let site = try await JudgedSite.start(ledger: [
            JudgedSite.sign("初审", "张三", hoursAgo: 5), JudgedSite.sign("复审", "李四", hoursAgo: 4), JudgedSite.sign("终审", "王五", hoursAgo: 3),
        ])
        defer { site.accounts.site.stop() }
        let rows = try await site.status()
        #expect(JudgedSite.rules(of: rows["reviewed"]).filter { $0.hasPrefix("review.") }.isEmpty)
        #expect(rows["reviewed"]?["review_coverage"] as? Double == 1)
    }

    @Test("one person signing 复审 and 终审 gets review.same-reviewer")
    func sameReviewer() async throws {
        let site = try await JudgedSite.start(ledger: [
            JudgedSite.sign("初审", "张三", hoursAgo: 5), JudgedSite.sign("复审", "李四", hoursAgo: 4), JudgedSite.sign("终审", "李四", hoursAgo: 3),
        ])
        defer { site.accounts.site.stop() }
        #expect(JudgedSite.rules(of: try await site.status()["reviewed"]) == ["review.same-reviewer"])
    }

    @Test("终审 signed after publication gets review.after-publication")
    func afterPublication() async throws {
        let site = try await JudgedSite.start(ledger: [
            JudgedSite.sign("初审", "张三", hoursAgo: 5), JudgedSite.sign("复审", "李四", hoursAgo: 4), JudgedSite.sign("终审", "王五", hoursAgo: 0.2),
        ])
        defer { site.accounts.site.stop() }
        #expect(JudgedSite.rules(of: try await site.status()["reviewed"]) == ["review.after-publication"])
    }

    @Test("stages out of order, a missing stage and a returned 终审 are each named")
    func otherLedgerProblems() async throws {
        let site = try await JudgedSite.start(ledger: [
            JudgedSite.sign("初审", "张三", hoursAgo: 4), JudgedSite.sign("复审", "李四", hoursAgo: 5),
            JudgedSite.sign("终审", "王五", hoursAgo: 3, opinion: "退回"),
        ])
        defer { site.accounts.site.stop() }
        #expect(Set(JudgedSite.rules(of: try await site.status()["reviewed"])) == ["review.out-of-order", "review.returned"])
    }

    @Test("evaluate --at two weeks later turns a passing account into a failing one")
    func laterCheckTime() async throws {
        let site = try await JudgedSite.start()
        defer { site.accounts.site.stop() }
        #expect(try await site.status()["fresh"]?["verdict"] as? String == "pass")
        let later = ChinaTime.iso8601(Date().addingTimeInterval(15 * 86_400))
        let evaluated = try await site.cli.run("evaluate", "--at", later, "--rules", site.rules)
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let rows = try await site.status()
        #expect(rows["fresh"]?["verdict"] as? String == "fail")
        #expect(JudgedSite.rules(of: rows["fresh"]).contains("national.stale-2w"))
        let history = try #require(try await site.cli.run("scores", "fresh", "--json").json as? [[String: Any]])
        #expect(history.map { $0["verdict"] as? String } == ["pass", "fail"])
    }

    @Test("a look-back evaluate --at does not stand for today: status keeps showing the latest check")
    func lookBackDoesNotReplaceToday() async throws {
        let site = try await JudgedSite.start()
        defer { site.accounts.site.stop() }
        let earlier = ChinaTime.iso8601(Date().addingTimeInterval(-20 * 86_400))
        // The items today's check opened were not open twenty days ago.
        #expect(try await site.status()["stale"]?["open_rectifications"] as? Int ?? 0 > 0)
        #expect(try await site.status("--at", earlier)["stale"]?["open_rectifications"] as? Int == 0)
        let itemsBefore = try await site.cli.run("rectify", "list", "--json").stdout
        let evaluated = try await site.cli.run("evaluate", "--at", earlier, "--rules", site.rules)
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        // A look-back run leaves the rectification items and their history alone.
        #expect(evaluated.stdout.contains("回溯评判"), "\(evaluated.stdout)")
        #expect(try await site.cli.run("rectify", "list", "--json").stdout == itemsBefore)
        // Twenty days ago `fresh` had posted nothing yet; today it passes, and status says so.
        #expect(try await site.status()["fresh"]?["verdict"] as? String == "pass")
        let table = try await site.cli.run("status", "--rules", site.rules)
        #expect(!table.stdout.contains("监测时间点 \(earlier)"), "\(table.stdout)")
        #expect(try await site.status("--at", earlier)["fresh"]?["verdict"] as? String != "pass")
        // A run simulated at a future time does not make today's runs look-backs.
        let later = ChinaTime.iso8601(Date().addingTimeInterval(30 * 86_400))
        #expect(try await site.cli.run("evaluate", "--at", later, "--rules", site.rules).status == 0)
        let today = try await site.cli.run("evaluate", "--rules", site.rules)
        #expect(today.status == 0 && !today.stdout.contains("回溯评判"), "\(today.stdout)")
    }

    @Test("accounts filed after the check time are not judged")
    func notYetRegistered() async throws {
        let site = try await JudgedSite.start()
        defer { site.accounts.site.stop() }
        // The loopback register files every account on 2024-01-01.
        let before = try await site.cli.run("evaluate", "--at", "2023-12-31", "--json", "--rules", site.rules)
        #expect((before.json as? [Any])?.count == 0, "\(before.stderr)")
        let after = try await site.cli.run("evaluate", "--at", "2024-01-01", "--json", "--rules", site.rules)
        #expect((after.json as? [Any])?.count == 4)
    }

    @Test("an officer's no-interaction flag is a veto")
    func noInteractionFlag() async throws {
        let site = try await JudgedSite.start()
        defer { site.accounts.site.stop() }
        #expect(try await site.cli.run("account", "flag", "fresh", "no-interaction", "--reason", "留言功能长期关闭").status == 0)
        #expect(try await site.cli.run("evaluate", "--rules", site.rules).status == 0)
        let row = try await site.status()["fresh"]
        #expect(row?["verdict"] as? String == "fail")
        #expect(JudgedSite.rules(of: row).first == "national.no-interaction")
    }

    @Test("status --failing, --csv, findings and explain tell the same story")
    func officersViews() async throws {
        let site = try await JudgedSite.start()
        defer { site.accounts.site.stop() }
        let failing = try #require(try await site.cli.run("status", "--failing", "--json").json as? [[String: Any]])
        #expect(Set(failing.compactMap { $0["id"] as? String }) == ["stale", "undated"])
        let csv = try await site.cli.run("status", "--csv")
        #expect(csv.stdout.hasPrefix("\u{FEFF}账号ID"))
        let findings = try await site.cli.run("findings", "--account", "stale")
        #expect(findings.stdout.contains("national.stale-2w"))
        let explain = try await site.cli.run("explain", "stale", "--rules", site.rules)
        #expect(explain.stdout.contains("不合格") && explain.stdout.contains("半月前的通知") && explain.stdout.contains("evidence show"))
    }
}
