import Foundation
import GovMediaCore
import GovMediaSite
import Testing

/// Column pages in the shapes government CMSes serve, on a loopback server that checks the
/// method, body and headers a real one would want.
@Suite("CMS columns: JSON, JSONP, XML records, POST forms, paging, and probe")
struct CMSColumnTests {
    let rules = CLI.repository.appendingPathComponent("rules").path

    static func day(_ daysAgo: Double) -> String { ChinaTime.civil(Date().addingTimeInterval(-daysAgo * 86_400)).date.description }

    /// Hanweb JCMS dataproxy.jsp: POST form, XML records holding HTML in CDATA.
    static func dataproxy() -> SitePage {
        let records = (1...3).map { i in
            "<record><![CDATA[<li><a href=\"/art/2026/11/\(i)/art_123_\(i).html\" title=\"政务公开第\(i)号通知\" target=\"_blank\">政务公开第\(i)号…</a><span>\(day(Double(i)))</span></li>]]></record>"
        }.joined()
        var page = SitePage("<?xml version=\"1.0\" encoding=\"utf-8\"?><datastore><nextgroup><![CDATA[<a href=\"/module/web/jpage/dataproxy.jsp?page=1\"></a>]]></nextgroup><recordset>\(records)</recordset></datastore>",
                            contentType: "text/xml;charset=utf-8")
        page.requiredMethod = "POST"
        page.requiredBody = ["columnid=123", "startrecord=1", "endrecord=15"]
        page.requiredHeaders = ["X-Requested-With": "XMLHttpRequest"]
        return page
    }

    /// A JSONP list with dates in epoch milliseconds.
    static func jsonp() -> SitePage {
        let items = (1...3).map { i in
            #"{"title":"卫健委第\#(i)号公告","url":"/wsj/\#(i).html","time":\#(Int64(Date().addingTimeInterval(-Double(i) * 86_400).timeIntervalSince1970 * 1000))}"#
        }.joined(separator: ",")
        return SitePage("jQuery112_1700000000({\"result\":{\"list\":[\(items)]}});", contentType: "application/javascript")
    }

    /// A JSON API paged through a path segment: pages 1 and 2 have items, page 3 none.
    static func apiPage(_ n: Int) -> SitePage {
        let items = n > 2 ? "" : (1...2).map { i in
            #"{"title":"第\#(n)页第\#(i)条","infourl":"/info/\#(n)-\#(i).html","infodate":"\#(day(Double(n + i)))"}"#
        }.joined(separator: ",")
        var page = SitePage("{\"custom\":{\"data\":[\(items)]}}", contentType: "application/json")
        page.requiredMethod = "POST"
        page.requiredBody = ["\"pageNo\":\"\(n)\""]
        return page
    }

    /// A table list with dates in their own cell as `[2026-11-28]`, behind a menu of links.
    static func tablePage() -> SitePage {
        let menu = (1...30).map { "<a href=\"/col/\($0)/\">栏目\($0)</a>" }.joined()
        let rows = (1...4).map { i in
            "<tr><td class=\"t\"><a href=\"/tz/\(i).html\">表格列表第\(i)条通知</a></td><td class=\"d\">[\(day(Double(i)))]</td></tr>"
        }.joined()
        return SitePage("<html><head><meta charset=\"utf-8\"></head><body><div class=\"nav\">\(menu)</div><table class=\"list\">\(rows)</table></body></html>")
    }

    func register(_ cli: CLI, _ site: SiteServer) throws -> String {
        let accounts: [[String: Any]] = [
            ["id": "hanweb", "name": "大汉栏目", "platform": "website", "owner": "政务公开办", "owner_kind": "department",
             "url": site.url("/module/web/jpage/dataproxy.jsp"), "registered_on": "2024-01-01", "status": "active",
             "source": ["kind": "xml", "item": "//record", "html": ["item": "//li", "title": "a/@title", "link": "a/@href", "date": "span"],
                        "request": ["method": "POST", "form": ["startrecord": "{start}", "endrecord": "{end}", "perpage": "15", "columnid": "123", "webid": "1"],
                                    "headers": ["X-Requested-With": "XMLHttpRequest"], "page_size": 15]]],
            ["id": "jsonp", "name": "卫健委栏目", "platform": "website", "owner": "卫健委", "owner_kind": "department",
             "url": site.url("/wsj/list.js"), "registered_on": "2024-01-01", "status": "active",
             "source": ["kind": "json", "items": "result.list", "title": "title", "link": "url", "date": "time"]],
            ["id": "api", "name": "信息公开", "platform": "website", "owner": "办公室", "owner_kind": "department",
             "url": site.url("/api/{page}/getgovinfolist"), "registered_on": "2024-01-01", "status": "active",
             "source": ["kind": "json", "items": "custom.data", "title": "title", "link": "infourl", "date": "infodate",
                        "request": ["method": "POST", "json": ["pageNo": "{page}", "pageSize": "2"], "pages": 3, "page_size": 2]]],
        ]
        let path = cli.directory.appendingPathComponent("cms.json").path
        try JSONSerialization.data(withJSONObject: ["accounts": accounts], options: [.prettyPrinted]).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("POSTed Hanweb records, a JSONP list and a paged JSON API are read with the right titles, links and dates")
    func everyShape() async throws {
        let cli = try CLI()
        let site = try await SiteServer(pages: ["/module/web/jpage/dataproxy.jsp": Self.dataproxy(), "/wsj/list.js": Self.jsonp(),
                                                "/api/1/getgovinfolist": Self.apiPage(1), "/api/2/getgovinfolist": Self.apiPage(2),
                                                "/api/3/getgovinfolist": Self.apiPage(3)])
        defer { site.stop() }
        let imported = try await cli.run("account", "import", try register(cli, site))
        #expect(imported.status == 0, "\(imported.stderr)")
        let scan = try await cli.run("scan", "--allow-private-addresses", "--rules", rules)
        #expect(scan.status == 0 && scan.stdout.contains("失败 0 个"), "\(scan.stdout)\(scan.stderr)")

        let hanweb = try #require(try await cli.run("posts", "--account", "hanweb", "--json").json as? [[String: Any]])
        #expect(hanweb.map { $0["title"] as? String } == ["政务公开第1号通知", "政务公开第2号通知", "政务公开第3号通知"])
        #expect(hanweb.first?["url"] as? String == site.url("/art/2026/11/1/art_123_1.html"))
        #expect((hanweb.first?["published_at"] as? String)?.hasPrefix(Self.day(1)) == true)

        let jsonp = try #require(try await cli.run("posts", "--account", "jsonp", "--json").json as? [[String: Any]])
        #expect(jsonp.count == 3)
        #expect(jsonp.first?["title"] as? String == "卫健委第1号公告")
        #expect(jsonp.first?["url"] as? String == site.url("/wsj/1.html"))
        #expect(jsonp.allSatisfy { $0["published_at"] is String })

        let api = try #require(try await cli.run("posts", "--account", "api", "--json").json as? [[String: Any]])
        #expect(Set(api.compactMap { $0["title"] as? String }) == ["第1页第1条", "第1页第2条", "第2页第1条", "第2页第2条"])
        #expect(sqlite(cli.database, "SELECT COUNT(*) FROM fetch WHERE account_id = 'api'") == "2", "page 3 is empty: reading stops")
        #expect(try await cli.run("account", "export").stdout.contains("\"request\": {"))
    }

    @Test("probe finds the list behind a menu; its snippet, registered unchanged, reads the same posts in a scan")
    func probeThenRegister() async throws {
        let cli = try CLI()
        let site = try await SiteServer(pages: ["/tzgg/index.html": Self.tablePage()])
        defer { site.stop() }
        let probe = try await cli.run("probe", site.url("/tzgg/index.html"), "--allow-private-addresses", "--json")
        #expect(probe.status == 0, "\(probe.stderr)")
        let result = try #require(probe.json as? [String: Any])
        let posts = try #require(result["posts"] as? [[String: Any]])
        #expect(posts.compactMap { $0["title"] as? String } == (1...4).map { "表格列表第\($0)条通知" })
        let source = try #require(result["source"] as? [String: Any])
        let snippet = String(decoding: try JSONSerialization.data(withJSONObject: source, options: [.sortedKeys]), as: UTF8.self)
        let added = try await cli.run("account", "add", "--id", "tz", "--name", "通知公告", "--platform", "website", "--owner", "办公室",
                                      "--owner-kind", "department", "--url", site.url("/tzgg/index.html"), "--source", snippet, "--reason", "新栏目")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try await cli.run("scan", "--allow-private-addresses", "--rules", rules).status == 0)
        let stored = try #require(try await cli.run("posts", "--account", "tz", "--json").json as? [[String: Any]])
        #expect(Set(stored.compactMap { $0["title"] as? String }) == Set(posts.compactMap { $0["title"] as? String }))
        #expect(Set(stored.compactMap { $0["url"] as? String }) == Set(posts.compactMap { $0["link"] as? String }))
        // The text form says what it found and gives the snippet.
        let text = try await cli.run("probe", site.url("/tzgg/index.html"), "--allow-private-addresses")
        #expect(text.stdout.contains("将读取 4 条") && text.stdout.contains("登记时使用的 source"))
    }

    @Test("a source with an unknown key or a wrong type is refused at import naming the entry and key; nothing written")
    func badSourceRefused() async throws {
        let cli = try CLI()
        let path = cli.directory.appendingPathComponent("bad.json").path
        try """
            {"accounts": [{"id": "x", "name": "x", "platform": "website", "owner": "o", "owner_kind": "department",
              "url": "https://www.example.gov.cn/a.js", "registered_on": "2024-01-01", "status": "active",
              "source": {"kind": "json", "items": "data", "title": "t", "link": "u", "request": {"mehtod": "POST"}}}]}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try await cli.run("account", "import", path)
        #expect(r.status != 0)
        #expect(r.stderr.contains("第 1 条") && r.stderr.contains("source.request.mehtod"), "\(r.stderr)")
        #expect(["", "0"].contains(sqlite(cli.database, "SELECT COUNT(*) FROM account")))
    }
}
