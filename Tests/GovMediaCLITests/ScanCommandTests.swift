import Foundation
import GovMediaCore
import GovMediaSite
import Testing

@Suite("govmedia scan and posts against a loopback site")
struct ScanCommandTests {
    let rules = CLI.repository.appendingPathComponent("rules").path

    @Test("a scan reads feeds and list pages; posts come back newest first with ISO dates")
    func scanAndPosts() async throws {
        let cli = try CLI()
        // The parser tests' GB2312 list page, served as the site would.
        let gbk = try Data(contentsOf: CLI.repository.appendingPathComponent("Tests/GovMediaParseTests/Fixtures/list-gbk.html"))
        let site = try await LoopbackAccounts.start([
            ("fresh", "/fresh.xml", LoopbackAccounts.feed([("今天的通知", 0.2), ("三天前的消息", 3)]), false),
            ("gbk", "/gbk.html", SitePage(contentType: "text/html", body: [UInt8](gbk)), true),
            ("undated", "/undated.html", SitePage("<ul class='news-list'><li><a href='/x'>无日期</a></li></ul>"), true),
        ], in: cli.directory)
        defer { site.site.stop() }
        #expect(try await cli.run("account", "import", site.registerPath).status == 0)
        let scan = try await cli.run("scan", "--allow-private-addresses", "--rules", rules)
        #expect(scan.status == 0, "\(scan.stderr)")
        #expect(scan.stdout.contains("读取 3 个"))
        let posts = try #require(try await cli.run("posts", "--account", "fresh", "--json").json as? [[String: Any]])
        #expect(posts.map { $0["title"] as? String } == ["今天的通知", "三天前的消息"])
        let published = try #require(posts.first?["published_at"] as? String)
        #expect(published.hasSuffix("+08:00"))
        let gbkPosts = try #require(try await cli.run("posts", "--account", "gbk", "--json").json as? [[String: Any]])
        #expect(gbkPosts.first?["title"] as? String == "关于做好冬季取暖安全工作的通知")
        let undated = try #require(try await cli.run("posts", "--account", "undated", "--json").json as? [[String: Any]])
        #expect(undated.count == 1)
        #expect(undated[0]["published_at"] is NSNull)
    }

    @Test("by default a loopback address is refused and named as a private-address failure")
    func privateAddressRefused() async throws {
        let cli = try CLI()
        let site = try await LoopbackAccounts.start([("a", "/a.xml", LoopbackAccounts.feed([("x", 1)]), false)], in: cli.directory)
        defer { site.site.stop() }
        try await cli.run("account", "import", site.registerPath)
        let scan = try await cli.run("scan", "--rules", rules)
        #expect(scan.stdout.contains("指向内网地址（private-address）"), "\(scan.stdout)")
        // Refused: govmedia's own policy, so the account is 无法核实 with a note saying what to
        // check, not yet 无法访问 with a rectification item against its unit …
        let status = try #require(try await cli.run("status", "--json").json as? [[String: Any]])
        #expect(status.first?["verdict"] as? String == "unverifiable", "\(status)")
        let explain = try await cli.run("explain", "a", "--rules", rules)
        #expect(explain.stdout.contains("地址策略拒绝了连接") && !explain.stdout.contains("无法访问："), "\(explain.stdout)")
        // … but only for as many scans as unreachability needs: a parked domain pointed at
        // 127.0.0.1 is not excused for ever.
        for _ in 0..<2 { _ = try await cli.run("scan", "--rules", rules) }
        let later = try await cli.run("explain", "a", "--rules", rules)
        #expect(later.stdout.contains("连续 3 次扫描无法访问") && later.stdout.contains("内网"), "\(later.stdout)")
    }

    @Test("a second scan while one holds the lock is refused with a clear message")
    func overlappingScanRefused() async throws {
        let cli = try CLI()
        let lockPath = cli.database + ".scan-lock"
        let fd = open(lockPath, O_RDWR | O_CREAT, 0o600)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        defer { close(fd) }
        try await cli.run("account", "import", CLI.repository.appendingPathComponent("accounts.json").path)
        let scan = try await cli.run("scan", "--rules", rules)
        #expect(scan.status != 0)
        #expect(scan.stderr.contains("另一个扫描正在进行"))
    }

    @Test("evidence show prints the stored body byte for byte")
    func evidenceRoundTrip() async throws {
        let cli = try CLI()
        let page = LoopbackAccounts.feed([("证据测试", 1)])
        let site = try await LoopbackAccounts.start([("e", "/e.xml", page, false)], in: cli.directory)
        defer { site.site.stop() }
        try await cli.run("account", "import", site.registerPath)
        try await cli.run("scan", "--allow-private-addresses", "--rules", rules)
        let sha = AuditHash.sha256(page.body)
        let shown = try await cli.run("evidence", "show", sha)
        #expect(shown.status == 0)
        #expect(Array(shown.stdout.utf8) == page.body)
    }
}

/// What the readers met in a page is shown where an officer asks why: `explain` and
/// `evidence show --info` (it was stored and shown nowhere).
@Suite("reading problems after a scan")
struct StoredReadingProblemTests {
    let rules = CLI.repository.appendingPathComponent("rules").path

    @Test("a list page whose item XPath matches nothing: explain and evidence show --info say so")
    func xpathMatchedNothing() async throws {
        let cli = try CLI()
        let page = SitePage("<html><body><ul class='renamed'><li><a href='/n/1.html'>通知</a><span>2026-11-20</span></li></ul></body></html>")
        let site = try await LoopbackAccounts.start([("col", "/col.html", page, true)], in: cli.directory)
        defer { site.site.stop() }
        #expect(try await cli.run("account", "import", site.registerPath).status == 0)
        #expect(try await cli.run("scan", "--allow-private-addresses", "--rules", rules).status == 0)

        let explain = try await cli.run("explain", "col", "--rules", rules)
        #expect(explain.stdout.contains("读取时发现的问题：\n  - 条目 XPath 没有匹配到任何条目："), "\(explain.stdout)")

        let sha = sqlite(cli.database, "SELECT body_sha256 FROM fetch WHERE account_id = 'col' ORDER BY id DESC LIMIT 1")
        let info = try await cli.run("evidence", "show", sha, "--info")
        #expect(info.stdout.contains("读取：HTML 列表页（html），UTF-8 编码，0 个条目"), "\(info.stdout)")
        #expect(info.stdout.contains("问题：条目 XPath 没有匹配到任何条目："), "\(info.stdout)")
    }
}
