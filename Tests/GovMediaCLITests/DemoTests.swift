import Foundation
import Testing

@Suite("govmedia demo end to end")
struct DemoTests {
    @Test("the demo runs offline from any directory and leaves a database with 39 judged accounts")
    func demoRuns() async throws {
        let cli = try CLI()
        let dir = cli.directory.appendingPathComponent("demo").path
        let result = try await cli.run("demo", "--dir", dir)
        #expect(result.status == 0, "\(result.stderr)")
        // The headline figures, unchanged by the CMS columns (each reads like the page it replaced).
        #expect(result.stdout.contains("评判 39 个账号，合格 26 个，不合格 3 个，无法核实 10 个，达标率 66.7%。"))
        #expect(result.stdout.contains("jy-zrzy-wx"))
        let db = dir + "/govmedia.sqlite"
        let rows = try #require(try await cli.run("status", "--json", "--db", db).json as? [[String: Any]])
        #expect(rows.count == 39)
        let verdicts = Dictionary(uniqueKeysWithValues: rows.map { ($0["id"] as! String, $0["verdict"] as! String) })
        #expect(verdicts["jy-zrzy-wx"] == "fail")       // stale
        #expect(verdicts["jy-sjj-web"] == "unverifiable") // POST JSON API whose items carry no date
        #expect(verdicts["jy-czj-web"] == "pass")         // TRS static pages in GB2312, two pages read
        #expect(verdicts["jy-tjj-web"] == "pass")         // relative dates read, links in onclick
        #expect(verdicts["jy-mzj-web"] == "pass")         // Hanweb dataproxy: POST form, XML records
        #expect(verdicts["jy-spj-web"] == "pass")         // Hanweb JPaaS: HTML inside JSON
        #expect(verdicts["jy-dzb-web"] == "pass")         // JSONP
        #expect(verdicts["jy-chjd-ks"] == "unverifiable") // Kuaishou through RSSHub: no dates
        #expect(verdicts["jy-dzb-dy"] == "pass")          // RSSHub Atom
        #expect(verdicts["jy-jyj-tt"] == "pass")          // RSSHub JSON Feed
        #expect(verdicts["jy-dzb-wx"] == "pass")          // WeChat bridge, with its token
        #expect(verdicts["jy-dzb-wb"] == "unverifiable")  // Weibo bridge's login expired: not stale
        #expect(verdicts["jy-ybj-sph"] == "unverifiable") // 视频号: no bridge
        #expect(verdicts["jy-ytz-wx"] == "pass")          // 卡点更新: 5 points off, still passing
        let ytz = try #require(rows.first { $0["id"] as? String == "jy-ytz-wx" })
        #expect(((ytz["findings"] as? [[String: Any]]) ?? []).contains { $0["rule"] as? String == "pattern.deadline-posting" })
        #expect(result.stdout.components(separatedBy: "数据源故障：rsshub-weibo").count - 1 == 1)
        #expect(!result.stdout.contains(DemoTokenProbe.token))
        let posts = try #require(try await cli.run("posts", "--account", "jy-czj-web", "--json", "--db", db).json as? [[String: Any]])
        #expect((posts.first?["title"] as? String)?.hasPrefix("财政局") == true)
        // TRS: index.html holds two posts, index_1.html the third; both pages are kept as fetches.
        #expect(posts.count == 3 && posts.allSatisfy { ($0["url"] as? String)?.contains("/zwgk/czj-web/t") == true })
        #expect(sqlite(db, "SELECT COUNT(*) FROM fetch WHERE account_id = 'jy-czj-web'") == "2")
        // javascript:void(0) links: each post gets the address from its onclick, none merged.
        let onclick = try #require(try await cli.run("posts", "--account", "jy-tjj-web", "--json", "--db", db).json as? [[String: Any]])
        #expect(Set(onclick.compactMap { $0["url"] as? String }) == Set((1...4).map { "https://www.jingyue.gov.cn/xmt/jy-tjj-web/\($0).html" }))
        // The POSTed JSON API (the site answers 405 to anything but a POST with the JSON body).
        let api = try #require(try await cli.run("posts", "--account", "jy-sjj-web", "--json", "--db", db).json as? [[String: Any]])
        #expect(api.count == 5 && api.allSatisfy { ($0["title"] as? String)?.hasPrefix("审计局") == true })
        #expect(try await cli.run("audit", "verify", "--db", db).status == 0)
        // A second run starts from a fresh database.
        #expect(try await cli.run("demo", "--dir", dir).status == 0)
        #expect((try await cli.run("account", "history", "jy-dzb-wx", "--json", "--db", db).json as? [Any])?.count == 1)
    }
}

/// The demo's WeChat bridge token, which must never be printed.
enum DemoTokenProbe { static let token = "demo-wechat-bridge-token" }
