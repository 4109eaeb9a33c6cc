import Foundation
import GovMediaCore
import GovMediaSite
import Testing

/// A loopback feed bridge in RSSHub's and a WeChat bridge's shapes, and a register of
/// accounts by handle: what an operator runs beside govmedia.
struct LoopbackBridge {
    static let token = "bridge-token-7f3a9c41e2"
    static let weibo = ["1195230310", "2803301701", "5044281310"]
    static let douyin = "MS4wLjABAAAAv7iSuuXDJGDvJkmH_vz1qkDZYo1apxgzaxdBlMSvDB0"
    static let biz = "MzI1NjA0MDg2Mw=="  // base64 of 3256040863
    static let toutiao = "MS4wLjABAAAAaW2bxsyRpXl6Tq3Hg4vKZCqGzVUfi8M1bA5kSxLHjTU"

    /// RSSHub's JSON Feed 1.1 (`?format=json`), with a Kuaishou-like item (no url, title or date).
    static func rsshubJSON(_ title: String, daysAgo: Double) -> SitePage {
        let date = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-daysAgo * 86_400))
        return SitePage("""
            {"version":"https://jsonfeed.org/version/1.1","title":"净月教育头条","home_page_url":"https://www.toutiao.com/c/user/token/x/","description":"净月教育 - Powered by RSSHub","language":"zh-cn","items":[{"id":"https://www.toutiao.com/article/7301/","url":"https://www.toutiao.com/article/7301/","title":"\(title)","content_html":"<p>\(title)</p>","date_published":"\(date)","authors":[{"name":"净月教育"}]},{"id":"3xk46q9cdnvgife_5212","content_html":"<video controls></video>"}]}
            """, contentType: "application/feed+json; charset=UTF-8")
    }

    let site: SiteServer
    let registerPath: String
    let configPath: String
    let secretPath: String

    /// RSSHub's RSS 2.0: entity-escaped HTML descriptions, GMT dates, guid not a permalink.
    static func rsshubRSS(_ uid: String, _ title: String, daysAgo: Double) -> SitePage {
        let date = Date().addingTimeInterval(-daysAgo * 86_400)
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let body = """
            <?xml version="1.0" encoding="UTF-8"?><rss xmlns:atom="http://www.w3.org/2005/Atom" version="2.0"><channel><title>净月发布的微博</title><link>https://weibo.com/\(uid)/</link><atom:link href="http://rsshub/weibo/user/\(uid)" rel="self" type="application/rss+xml"/><description>净月发布 - Powered by RSSHub</description><generator>RSSHub</generator><language>en</language><lastBuildDate>\(f.string(from: Date()))</lastBuildDate><ttl>5</ttl><item><title>\(title)</title><description>\(title)&lt;br&gt;&lt;a href=&quot;https://m.weibo.cn/search?containerid=231522&quot;&gt;#冬季供暖#&lt;/a&gt;&lt;img src=&quot;https://tvax2.sinaimg.cn/large/x.jpg&quot;&gt;</description><link>https://weibo.com/\(uid)/P\(uid.suffix(4))a</link><guid isPermaLink="false">https://weibo.com/\(uid)/P\(uid.suffix(4))a</guid><pubDate>\(f.string(from: date))</pubDate><author>净月发布</author></item></channel></rss>
            """
        return SitePage(body, contentType: "application/xml; charset=utf-8")
    }

    /// RSSHub's Atom (`?format=atom`): inline HTML content beside a `src`, RFC 822 feed date.
    static func rsshubAtom(_ title: String, daysAgo: Double) -> SitePage {
        let date = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-daysAgo * 86_400))
        return SitePage("""
            <?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:rsshub="http://rsshub.app/xml/schemas"><title>净月抖音</title><link href="https://www.douyin.com/user/x"/><id>https://www.douyin.com/user/x</id><updated>Tue, 01 Dec 2026 08:00:00 GMT</updated><author><name>RSSHub</name></author><entry><title>\(title)</title><content type="html" src="https://www.douyin.com/video/7301">\(title)&lt;br&gt;&lt;video controls&gt;&lt;/video&gt;</content><link href="https://www.douyin.com/video/7301"/><id>https://www.douyin.com/video/7301</id><published>\(date)</published><author><name>净月抖音</name></author></entry></feed>
            """, contentType: "application/xml; charset=utf-8")
    }

    /// A WeChat bridge's RSS for one account (`MP_WXS_…`), only with the token.
    static func wechatRSS(_ title: String, daysAgo: Double) -> SitePage {
        let date = ChinaTime.iso8601(Date().addingTimeInterval(-daysAgo * 86_400))
        var page = SitePage("""
            <?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>净月高新区党工委</title><generator>Mp-We-Rss</generator><item><title>\(title)</title><link>https://mp.weixin.qq.com/s/AbCdEf123</link><guid>https://mp.weixin.qq.com/s/AbCdEf123</guid><description>\(title)</description><pubDate>\(date)</pubDate></item></channel></rss>
            """, contentType: "application/rss+xml; charset=utf-8")
        page.requiredHeaders = ["Authorization": token]
        return page
    }

    /// RSSHub's error page for an expired Weibo cookie (HTTP 503).
    static let expiredCookiePage = SitePage(
        status: 503, contentType: "text/html; charset=utf-8",
        body: Array("""
            <html><head><title>Welcome to RSSHub!</title></head><body><h1>Looks like something went wrong</h1><p class="message">Error Message:<br><code>Error: Cookies expired. Please update WEIBO_COOKIES</code></p><p class="message">Route: <code>/weibo/user/:uid/:routeParams?</code></p></body></html>
            """.utf8))

    static func start(in directory: URL, bridgeName: String = "rsshub") async throws -> LoopbackBridge {
        var pages: [String: SitePage] = [:]
        for (i, uid) in weibo.enumerated() { pages["/weibo/user/\(uid)"] = rsshubRSS(uid, "【通知】冬季供暖第\(i)号通告", daysAgo: 1) }
        pages["/douyin/user/\(douyin)"] = rsshubAtom("净月抖音：冰雪节开幕", daysAgo: 2)
        pages["/toutiao/user/token/\(toutiao)"] = rsshubJSON("净月教育：寒假安全提示", daysAgo: 1)
        pages["/feeds/MP_WXS_3256040863.rss"] = wechatRSS("党工委召开全体会议", daysAgo: 1)
        let site = try await SiteServer(pages: pages)
        var accounts: [[String: Any]] = weibo.enumerated().map { i, uid in
            ["id": "wb-\(i)", "name": "净月微博\(i)", "platform": "weibo", "owner": "宣传部", "owner_kind": "department",
             "url": "https://weibo.com/u/\(uid)", "handle": uid, "registered_on": "2024-01-01", "status": "active", "source": ["kind": "bridge"]]
        }
        accounts.append(["id": "dy", "name": "净月抖音", "platform": "douyin", "owner": "文旅局", "owner_kind": "department",
                         "url": "https://www.douyin.com/user/\(douyin)", "handle": douyin, "registered_on": "2024-01-01", "status": "active",
                         "source": ["kind": "bridge"]])
        accounts.append(["id": "tt", "name": "净月教育", "platform": "toutiao", "owner": "教育局", "owner_kind": "department",
                         "url": "https://www.toutiao.com/c/user/token/\(toutiao)/", "handle": toutiao, "registered_on": "2024-01-01", "status": "active",
                         "source": ["kind": "bridge"]])
        accounts.append(["id": "wx", "name": "净月党工委", "platform": "wechat", "owner": "党政办", "owner_kind": "department",
                         "url": "https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz=\(biz)", "handle": biz, "registered_on": "2024-01-01",
                         "status": "active", "source": ["kind": "bridge", "bridge": "wechat"]])
        let registerPath = directory.appendingPathComponent("bridge-accounts.json").path
        try JSONSerialization.data(withJSONObject: ["accounts": accounts], options: [.prettyPrinted]).write(to: URL(fileURLWithPath: registerPath))
        let secretPath = directory.appendingPathComponent("wechat-token").path
        try (token + "\n").write(toFile: secretPath, atomically: true, encoding: .utf8)
        let configPath = directory.appendingPathComponent("bridges.yaml").path
        let bridge = LoopbackBridge(site: site, registerPath: registerPath, configPath: configPath, secretPath: secretPath)
        try bridge.writeConfig(baseURL: site.url(""), name: bridgeName)
        return bridge
    }

    func writeConfig(baseURL: String, name: String = "rsshub", allowPrivateAddresses: Bool = true) throws {
        // No `database:`: a CLI command takes its database from --db, and the issue's config has none.
        try """
            fetch:
              allow_private_addresses: \(allowPrivateAddresses)
              retry_attempts: 1
            bridges:
              \(name):
                kind: rsshub
                base_url: \(baseURL)
                routes:
                  douyin: /douyin/user/{handle}?format=atom
                  toutiao: /toutiao/user/token/{handle}?format=json
              wechat:
                base_url: \(site.url(""))
                routes:
                  wechat: /feeds/{wechat_feed_id}.rss
                secret_file: \(secretPath)
                secret_header: Authorization
            """.write(toFile: configPath, atomically: true, encoding: .utf8)
    }
}

@Suite("accounts read by handle through feed bridges", .serialized)
struct BridgeScanTests {
    let rules = CLI.repository.appendingPathComponent("rules").path

    @Test("bridges on the intranet are read with the address policy on; an account's own intranet address is still refused")
    func intranetBridgeUnderPolicy() async throws {
        let cli = try CLI()
        let bridge = try await LoopbackBridge.start(in: cli.directory)
        defer { bridge.site.stop() }
        // As README's deployment has it: bridges beside govmedia, the policy left on.
        try bridge.writeConfig(baseURL: bridge.site.url(""), allowPrivateAddresses: false)
        var register = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: bridge.registerPath))) as? [String: Any])
        var accounts = try #require(register["accounts"] as? [[String: Any]])
        accounts.append(["id": "site", "name": "内网网站", "platform": "website", "owner": "测试单位", "owner_kind": "department",
                         "url": bridge.site.url("/feeds/none.rss"), "registered_on": "2024-01-01", "status": "active", "source": ["kind": "feed"]])
        register["accounts"] = accounts
        try JSONSerialization.data(withJSONObject: register).write(to: URL(fileURLWithPath: bridge.registerPath))
        #expect(try await cli.run("account", "import", bridge.registerPath).status == 0)
        let scan = try await cli.run("scan", "--config", bridge.configPath, "--rules", rules)
        #expect(scan.stdout.contains("读取 6 个") && scan.stdout.contains("失败 1 个"), "\(scan.stdout)")
        #expect(sqlite(cli.database, "SELECT failure FROM fetch WHERE account_id = 'site'") == "private-address")
        #expect(sqlite(cli.database, "SELECT COUNT(*) FROM fetch WHERE bridge IS NOT NULL AND failure IS NULL") == "6")
    }

    @Test("RSSHub RSS and Atom and a WeChat bridge with a token are read right; the token appears nowhere")
    func readsEveryShape() async throws {
        let cli = try CLI()
        let bridge = try await LoopbackBridge.start(in: cli.directory)
        defer { bridge.site.stop() }
        let imported = try await cli.run("account", "import", bridge.registerPath)
        #expect(imported.status == 0, "\(imported.stderr)")
        let scan = try await cli.run("scan", "--config", bridge.configPath, "--rules", rules)
        #expect(scan.status == 0, "\(scan.stdout)\(scan.stderr)")
        #expect(scan.stdout.contains("读取 6 个"), "\(scan.stdout)")

        let weibo = try #require(try await cli.run("posts", "--account", "wb-0", "--json").json as? [[String: Any]])
        #expect(weibo.first?["title"] as? String == "【通知】冬季供暖第0号通告")
        #expect(weibo.first?["url"] as? String == "https://weibo.com/1195230310/P0310a")
        let douyin = try #require(try await cli.run("posts", "--account", "dy", "--json").json as? [[String: Any]])
        #expect(douyin.first?["title"] as? String == "净月抖音：冰雪节开幕")
        #expect(douyin.first?["url"] as? String == "https://www.douyin.com/video/7301")
        let toutiao = try #require(try await cli.run("posts", "--account", "tt", "--json").json as? [[String: Any]])
        #expect(toutiao.map { $0["title"] as? String }.contains("净月教育：寒假安全提示"))
        #expect(toutiao.first { $0["title"] as? String == "净月教育：寒假安全提示" }?["url"] as? String == "https://www.toutiao.com/article/7301/")
        let wechat = try #require(try await cli.run("posts", "--account", "wx", "--json").json as? [[String: Any]])
        #expect(wechat.first?["title"] as? String == "党工委召开全体会议")
        let status = try await cli.run("status", "--json")
        let verdicts = try #require(status.json as? [[String: Any]])
        #expect(verdicts.allSatisfy { $0["verdict"] as? String == "pass" }, "\(status.stdout)")

        // The secret: sent (the WeChat account was read), stored and printed nowhere.
        var outputs = imported.stdout + imported.stderr + scan.stdout + scan.stderr + status.stdout
        for args in [["sources", "--json"], ["explain", "wx", "--rules", rules], ["account", "show", "wx", "--json"], ["findings", "--json"]] {
            let r = try await cli.run(args)
            outputs += r.stdout + r.stderr
        }
        #expect(!outputs.contains(LoopbackBridge.token))
        for file in try FileManager.default.contentsOfDirectory(atPath: cli.directory.path) where file.hasPrefix("govmedia.sqlite") {
            let bytes = try Data(contentsOf: cli.directory.appendingPathComponent(file))
            #expect(bytes.range(of: Data(LoopbackBridge.token.utf8)) == nil, "\(file) holds the token")
        }
        #expect(sqlite(cli.database, "SELECT COUNT(*) FROM fetch WHERE headers LIKE '%\(LoopbackBridge.token)%' OR url LIKE '%\(LoopbackBridge.token)%'") == "0")
        #expect(sqlite(cli.database, "SELECT bridge FROM fetch WHERE account_id = 'wx'") == "wechat")
    }

    @Test("a bridge whose login expired leaves its accounts unverifiable, never stale, with one 数据源故障 line")
    func brokenBridgeIsNotStaleness() async throws {
        let cli = try CLI()
        let bridge = try await LoopbackBridge.start(in: cli.directory)
        defer { bridge.site.stop() }
        #expect(try await cli.run("account", "import", bridge.registerPath).status == 0)
        #expect(try await cli.run("scan", "--config", bridge.configPath, "--rules", rules).status == 0)
        // The login expires: RSSHub answers its error page (503) for Weibo, 403 for Douyin.
        for uid in LoopbackBridge.weibo { await bridge.site.set("/weibo/user/\(uid)", LoopbackBridge.expiredCookiePage) }
        await bridge.site.set("/douyin/user/\(LoopbackBridge.douyin)", SitePage(status: 403, contentType: "text/plain", body: Array("Forbidden".utf8)))
        let scan = try await cli.run("scan", "--config", bridge.configPath, "--rules", rules)
        #expect(scan.stdout.contains("登录或 Cookie 失效（source-auth）"), "\(scan.stdout)")

        let status = try await cli.run("status")
        #expect(status.stdout.components(separatedBy: "数据源故障：rsshub").count - 1 == 1, "\(status.stdout)")
        #expect(status.stdout.hasPrefix("注意：数据源故障：rsshub（4 个账号"), "\(status.stdout)")
        // Three weeks on, still no staleness verdict while the source is broken.
        let later = ChinaTime.iso8601(Date().addingTimeInterval(21 * 86_400))
        #expect(try await cli.run("evaluate", "--at", later, "--rules", rules).status == 0)
        let rows = try #require(try await cli.run("status", "--json").json as? [[String: Any]])
        for row in rows where !["wx", "tt"].contains(row["id"] as? String ?? "") {  // their bridges still read
            #expect(row["verdict"] as? String == "unverifiable", "\(row)")
        }
        let explain = try await cli.run("explain", "wb-0", "--rules", rules)
        #expect(explain.stdout.contains("数据源 rsshub 故障（登录或 Cookie 失效）"), "\(explain.stdout)")
        #expect(explain.stdout.contains("Cookies expired"))
        #expect(!explain.stdout.contains("天内无更新："), "no staleness finding while the source is broken")

        let sourcesText = try await cli.run("sources").stdout
        #expect(sourcesText.contains("wb-0：登录或 Cookie 失效（source-auth），数据源答复 HTTP 503：") && !sourcesText.contains("失效，登录或"), "\(sourcesText)")
        let sources = try #require(try await cli.run("sources", "--json").json as? [[String: Any]])
        let rsshub = try #require(sources.first { $0["bridge"] as? String == "rsshub" })
        #expect(rsshub["failing"] as? [Any] != nil && (rsshub["failing"] as! [Any]).count == 4)
        #expect(rsshub["down"] as? Bool == true)

        let out = cli.directory.appendingPathComponent("report").path
        let week = ISOWeekText.of(Date())
        let report = try await cli.run("report", "weekly", "--week", week, "--out", out, "--rules", rules)
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOfFile: out + "/" + (try FileManager.default.contentsOfDirectory(atPath: out).first { $0.hasSuffix(".html") } ?? ""), encoding: .utf8)
        #expect(html.contains("数据源健康") && html.contains("数据源故障：rsshub"))
    }

    @Test("a bridge that repeats the token in its error page: the token is cut out of the evidence, the message and every output")
    func echoedTokenIsCut() async throws {
        let cli = try CLI()
        let bridge = try await LoopbackBridge.start(in: cli.directory)
        defer { bridge.site.stop() }
        #expect(try await cli.run("account", "import", bridge.registerPath).status == 0)
        // Like a bridge that prints the request's headers when it refuses a login.
        await bridge.site.set("/feeds/MP_WXS_3256040863.rss", SitePage(
            status: 401, contentType: "application/json",
            body: Array(#"{"detail":"登录已过期，请重新扫码","request":{"headers":{"Authorization":"\#(LoopbackBridge.token)"}}}"#.utf8)))
        let scan = try await cli.run("scan", "--config", bridge.configPath, "--rules", rules, "--account", "wx")
        #expect(sqlite(cli.database, "SELECT failure FROM fetch WHERE account_id = 'wx' ORDER BY id DESC LIMIT 1") == "source-auth")
        var outputs = scan.stdout + scan.stderr
        for args in [["sources", "--json"], ["sources"], ["explain", "wx", "--rules", rules], ["status", "--json"]] {
            let r = try await cli.run(args)
            outputs += r.stdout + r.stderr
        }
        #expect(outputs.contains("登录已过期"), "the bridge's own words are kept: \(outputs)")
        #expect(!outputs.contains(LoopbackBridge.token))
        for file in try FileManager.default.contentsOfDirectory(atPath: cli.directory.path) where file.hasPrefix("govmedia.sqlite") {
            let bytes = try Data(contentsOf: cli.directory.appendingPathComponent(file))
            #expect(bytes.range(of: Data(LoopbackBridge.token.utf8)) == nil, "\(file) holds the token")
        }
        // The evidence body itself (compressed in the database) is read back through the CLI.
        let sha = sqlite(cli.database, "SELECT body_sha256 FROM fetch WHERE account_id = 'wx' ORDER BY id DESC LIMIT 1")
        let evidence = try await cli.run("evidence", "show", sha)
        #expect(evidence.status == 0 && evidence.stdout.contains("登录已过期"), "\(evidence.stdout)\(evidence.stderr)")
        #expect(!(evidence.stdout + evidence.stderr).contains(LoopbackBridge.token))
    }

    @Test("a 200 answer that says the cookie expired is the bridge's failure too")
    func okStatusWithExpiredLogin() async throws {
        let cli = try CLI()
        let bridge = try await LoopbackBridge.start(in: cli.directory)
        defer { bridge.site.stop() }
        #expect(try await cli.run("account", "import", bridge.registerPath).status == 0)
        #expect(try await cli.run("scan", "--config", bridge.configPath, "--rules", rules).status == 0)
        await bridge.site.set("/weibo/user/\(LoopbackBridge.weibo[0])",
                              SitePage(#"{"error":{"message":"Cookies expired. Please update WEIBO_COOKIES"}}"#, contentType: "application/json"))
        _ = try await cli.run("scan", "--config", bridge.configPath, "--rules", rules, "--account", "wb-0")
        #expect(sqlite(cli.database, "SELECT failure FROM fetch WHERE account_id = 'wb-0' ORDER BY id DESC LIMIT 1") == "source-auth")
        let rows = try #require(try await cli.run("status", "--json").json as? [[String: Any]])
        #expect(rows.first { $0["id"] as? String == "wb-0" }?["verdict"] as? String == "unverifiable")
    }

    @Test("moving the bridge is one edit of base_url: every account of it is read from the new address")
    func movingTheBridge() async throws {
        let cli = try CLI()
        let bridge = try await LoopbackBridge.start(in: cli.directory)
        defer { bridge.site.stop() }
        #expect(try await cli.run("account", "import", bridge.registerPath).status == 0)
        let moved = try await LoopbackBridge.start(in: cli.directory.appendingPathComponent("moved", isDirectory: true).creatingDirectory())
        defer { moved.site.stop() }
        try bridge.writeConfig(baseURL: moved.site.url("/"))
        #expect(try await cli.run("scan", "--config", bridge.configPath, "--rules", rules).status == 0)
        let port = String(moved.site.port)
        #expect(sqlite(cli.database, "SELECT COUNT(*) FROM fetch WHERE bridge = 'rsshub' AND url LIKE '%:\(port)/%'") == "5")
    }

    @Test("a handle that does not fit its platform is refused at import naming the entry and field; nothing is written")
    func badHandleRefused() async throws {
        let cli = try CLI()
        let bridge = try await LoopbackBridge.start(in: cli.directory)
        defer { bridge.site.stop() }
        var text = try String(contentsOfFile: bridge.registerPath, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"2803301701\"", with: "\"not-a-uid\"")
        try text.write(toFile: bridge.registerPath, atomically: true, encoding: .utf8)
        let imported = try await cli.run("account", "import", bridge.registerPath)
        #expect(imported.status != 0)
        #expect(imported.stderr.contains("第 2 条") && imported.stderr.contains("handle") && imported.stderr.contains("微博"), "\(imported.stderr)")
        #expect(["", "0"].contains(sqlite(cli.database, "SELECT COUNT(*) FROM account")), "nothing written")
    }
}

extension URL {
    func creatingDirectory() throws -> URL {
        try FileManager.default.createDirectory(at: self, withIntermediateDirectories: true)
        return self
    }
}
