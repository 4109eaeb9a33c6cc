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
        #expect(result.stdout.contains("评判 39 个账号"))
        #expect(result.stdout.contains("jy-zrzy-wx"))
        let db = dir + "/govmedia.sqlite"
        let rows = try #require(try await cli.run("status", "--json", "--db", db).json as? [[String: Any]])
        #expect(rows.count == 39)
        let verdicts = Dictionary(uniqueKeysWithValues: rows.map { ($0["id"] as! String, $0["verdict"] as! String) })
        #expect(verdicts["jy-zrzy-wx"] == "fail")       // stale
        #expect(verdicts["jy-sjj-web"] == "unverifiable") // undated list page
        #expect(verdicts["jy-czj-web"] == "pass")         // GBK page read
        #expect(verdicts["jy-tjj-web"] == "pass")         // relative dates read
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
        #expect(try await cli.run("audit", "verify", "--db", db).status == 0)
        // A second run starts from a fresh database.
        #expect(try await cli.run("demo", "--dir", dir).status == 0)
        #expect((try await cli.run("account", "history", "jy-dzb-wx", "--json", "--db", db).json as? [Any])?.count == 1)
    }
}

/// The demo's WeChat bridge token, which must never be printed.
enum DemoTokenProbe { static let token = "demo-wechat-bridge-token" }
