import Foundation
import GovMediaCore
import GovMediaParse
import GovMediaSite
import Testing

/// The round trip an officer makes: `govmedia probe URL --json` on a column page nobody has
/// described, its `source` given unchanged to `account add --source`, then `govmedia scan`.
/// Each shape the CMSes serve is on a loopback site; the stored posts must be the probe's
/// posts, and both must be what the page shows.
@Suite("probe → register → scan, for every column shape")
struct ProbeScanTests {
    /// A column page and what it shows: title, link path and day of each post, newest first.
    struct Column: CustomTestStringConvertible, Sendable {
        var name: String
        /// The path probed and registered (a query is kept: Hanweb asks by columnid).
        var path: String
        var page: SitePage
        var kind: String
        var truth: [(title: String, path: String, day: String)]
        var testDescription: String { name }
    }

    static func day(_ daysAgo: Int) -> String { CMSColumnTests.day(Double(daysAgo)) }

    /// A GB2312 column page (the charset only in its meta) under a 60-link navigation bar.
    static func gb2312() -> Column {
        let nav = (1...60).map { "<li><a href=\"/col/col\($0)/index.html\">导航栏目\($0)</a></li>" }.joined()
        let truth = (1...5).map { (title: "区财政局关于第\($0)批惠企资金拨付情况的公示", path: "/art/2026/11/\($0)/art_2045_\($0).html", day: day($0)) }
        let items = truth.map { "<li><a href=\"\($0.path)\" target=\"_blank\">\($0.title)</a><span class=\"rq\">\($0.day)</span></li>" }.joined(separator: "\n")
        let html = """
            <html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>财政资金信息公开</title></head>
            <body><div class="top-nav"><ul>\(nav)</ul></div>
            <div class="main"><div class="lm-title">财政资金</div><ul class="lm-list">
            \(items)
            </ul></div></body></html>
            """
        return Column(name: "GB2312 column page with a 60-link navigation bar", path: "/col/col2045/index.html",
                      page: SitePage(contentType: "text/html", body: TextEncoding.gb18030(html)), kind: "html", truth: truth)
    }

    /// Handan-style: `<li><a><p>title</p></a><span>date</span></li>`.
    static func handan() -> Column {
        let truth = (1...6).map { (title: "邯郸市人民政府关于第\($0)批政务服务事项调整的通知", path: "/zfxxgk/2026/tz\($0).jsp", day: day($0 + 1)) }
        let items = truth.map { "<li><a href=\"\($0.path)\" target=\"_blank\"><p>\($0.title)</p></a><span>\($0.day)</span></li>" }.joined()
        let html = """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开</title></head><body>
            <div class="head"><a href="/">首页</a><a href="/zfxxgk/">信息公开</a><a href="/hdjl/">互动交流</a></div>
            <div class="gl_list"><ul>\(items)</ul></div></body></html>
            """
        return Column(name: "Handan-style <li><a><p>title</p></a><span>date</span></li>", path: "/zfxxgk/index.jsp",
                      page: SitePage(html), kind: "html", truth: truth)
    }

    /// A table with each date in its own `<td>` as `[2026-11-28]`, behind a menu.
    static func table() -> Column {
        let truth = (1...4).map { (title: "表格列表第\($0)条通知", path: "/tz/\($0).html", day: day($0)) }
        return Column(name: "table with [YYYY-MM-DD] dates in their own <td>", path: "/tzgg/index.html",
                      page: CMSColumnTests.tablePage(), kind: "html", truth: truth)
    }

    /// A TRS WCM static page: relative links, the page bar written by `createPageHTML`.
    static func trs() -> Column {
        let truth = (1...5).map { (title: "区政府办公室关于2026年第\($0)季度政务公开工作的通报", path: "/col/tzgg/202611/t2026112\($0)_88\($0).html", day: day($0 + 2)) }
        let items = truth.map { t in
            "<li><a href=\"./202611/\(t.path.split(separator: "/").last!)\" title=\"\(t.title)\" target=\"_blank\">\(t.title)</a><span>\(t.day)</span></li>"
        }.joined(separator: "\n")
        let html = """
            <html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>通知公告</title></head><body>
            <div class="list_r"><ul>
            \(items)
            </ul></div>
            <div class="page"><script language="JavaScript">var currentPage = 0; var countPage = 4;
            createPageHTML(4, 0, "index", "html");</script></div></body></html>
            """
        return Column(name: "TRS page with createPageHTML", path: "/col/tzgg/index.html", page: SitePage(html), kind: "html", truth: truth)
    }

    /// Hanweb JCMS dataproxy.jsp, asked by GET with the record range in the query (as many
    /// sites allow): XML records holding HTML in CDATA.
    static func dataproxy() -> Column {
        var page = CMSColumnTests.dataproxy()
        page.requiredMethod = nil
        page.requiredBody = []
        page.requiredHeaders = [:]
        let truth = (1...3).map { (title: "政务公开第\($0)号通知", path: "/art/2026/11/\($0)/art_123_\($0).html", day: day($0)) }
        return Column(name: "Hanweb dataproxy XML", path: "/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15&columnid=123&webid=1",
                      page: page, kind: "xml", truth: truth)
    }

    /// Hanweb JPaaS: the list as HTML inside JSON (`data.html`).
    static func jpaas() -> Column {
        let truth = (1...5).map { (title: "行政审批局第\($0)号办事指南更新说明", path: "/art/2026/11/\($0)/art_2051_\($0).html", day: day($0)) }
        let html = "<ul class=\"list\">" + truth.map {
            "<li><a href=\"\($0.path)\" title=\"\($0.title)\" target=\"_blank\">\($0.title.prefix(10))…</a><span>\($0.day)</span></li>"
        }.joined() + "</ul>"
        let body: [String: Any] = ["success": true, "data": ["html": html, "total": truth.count]]
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        return Column(name: "Hanweb JPaaS JSON", path: "/api-gateway/jpaas-publish-server/front/page/build/unit?webId=1&pageId=2051",
                      page: SitePage(contentType: "application/json;charset=UTF-8", body: [UInt8](data)), kind: "json", truth: truth)
    }

    static let columns = [gb2312(), handan(), table(), trs(), dataproxy(), jpaas()]

    /// A post as (title, link, published_at), for comparing the probe's with the store's.
    typealias Triple = [String]

    @Test("the probe's snippet, registered unchanged, stores exactly the probe's posts, which are the page's", arguments: columns)
    func roundTrip(column: Column) async throws {
        let cli = try CLI()
        let path = String(column.path.prefix { $0 != "?" })
        let site = try await SiteServer(pages: [path: column.page])
        defer { site.stop() }
        let url = site.url(column.path)

        let probe = try await cli.run("probe", url, "--json", "--allow-private-addresses")
        #expect(probe.status == 0, "\(probe.stderr)")
        let result = try #require(probe.json as? [String: Any], "\(probe.stdout)")
        let source = try #require(result["source"] as? [String: Any], "no source: \(result["problems"] ?? "")")
        #expect(source["kind"] as? String == column.kind)
        let probed = try #require(result["posts"] as? [[String: Any]])
        let probedTriples = probed.map { [$0["title"] as? String ?? "", $0["link"] as? String ?? "", $0["published_at"] as? String ?? ""] }

        // The probe found the page's list: every post, in order, with its link and day.
        #expect(probedTriples.map { $0[0] } == column.truth.map(\.title))
        #expect(probedTriples.map { $0[1] } == column.truth.map { site.url($0.path) })
        #expect(zip(probedTriples, column.truth).allSatisfy { $0.0[2].hasPrefix($0.1.day + "T") }, "\(probedTriples.map { $0[2] })")

        let snippet = String(decoding: try JSONSerialization.data(withJSONObject: source, options: [.sortedKeys]), as: UTF8.self)
        let added = try await cli.run("account", "add", "--id", "col", "--name", "栏目", "--platform", "website", "--owner", "办公室",
                                      "--owner-kind", "department", "--url", url, "--source", snippet, "--reason", "新栏目")
        #expect(added.status == 0, "\(added.stderr)")
        let scan = try await cli.run("scan", "--allow-private-addresses", "--rules", CLI.repository.appendingPathComponent("rules").path)
        #expect(scan.status == 0 && scan.stdout.contains("失败 0 个"), "\(scan.stdout)\(scan.stderr)")

        let stored = try #require(try await cli.run("posts", "--account", "col", "--json").json as? [[String: Any]])
        let storedTriples = stored.map { [$0["title"] as? String ?? "", $0["url"] as? String ?? "", $0["published_at"] as? String ?? ""] }
        #expect(storedTriples.sorted { $0.lexicographicallyPrecedes($1) } == probedTriples.sorted { $0.lexicographicallyPrecedes($1) })
    }

    /// A TRS page `n` (0-based) of a `count`-page column: two posts each, relative links.
    static func trsPage(_ n: Int, of count: Int) -> SitePage {
        let items = (1...2).map { i in
            "<li><a href=\"./202611/t_\(n)_\(i).html\" title=\"第\(n + 1)页第\(i)条通知公告\">第\(n + 1)页第\(i)条通知公告</a><span>\(day(n * 2 + i))</span></li>"
        }.joined(separator: "\n")
        return SitePage("<html><head><meta charset=\"utf-8\"></head><body><ul class=\"list\">\n\(items)\n<li><a href=\"./202611/x_\(n).html\" title=\"第\(n + 1)页第3条通知公告\">第\(n + 1)页第3条通知公告</a><span>\(day(n * 2 + 3))</span></li></ul>"
            + "<script>createPageHTML(\(count), \(n), \"index\", \"html\");</script></body></html>")
    }

    @Test("probe notes a TRS column's pages and the {page_suffix} address; registered with it, a scan reads both pages")
    func trsPaging() async throws {
        let cli = try CLI()
        let site = try await SiteServer(pages: ["/col/tzgg/index.html": Self.trsPage(0, of: 2), "/col/tzgg/index_1.html": Self.trsPage(1, of: 2)])
        defer { site.stop() }
        let probe = try await cli.run("probe", site.url("/col/tzgg/index.html"), "--json", "--allow-private-addresses")
        let result = try #require(probe.json as? [String: Any], "\(probe.stderr)")
        let paging = try #require(result["paging"] as? [String: Any])
        #expect(paging["pages"] as? Int == 2)
        #expect(paging["url"] as? String == site.url("/col/tzgg/index{page_suffix}.html"))
        #expect((paging["request"] as? [String: Any])?["pages"] as? Int == 2)
        var source = try #require(result["source"] as? [String: Any])
        source["request"] = paging["request"]
        let snippet = String(decoding: try JSONSerialization.data(withJSONObject: source, options: [.sortedKeys]), as: UTF8.self)
        let added = try await cli.run("account", "add", "--id", "trs", "--name", "通知公告", "--platform", "website", "--owner", "办公室",
                                      "--owner-kind", "department", "--url", paging["url"] as! String, "--source", snippet, "--reason", "新栏目")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try await cli.run("scan", "--allow-private-addresses", "--rules", CLI.repository.appendingPathComponent("rules").path).status == 0)
        let stored = try #require(try await cli.run("posts", "--account", "trs", "--json").json as? [[String: Any]])
        #expect(Set(stored.compactMap { $0["title"] as? String }) == Set((1...2).flatMap { p in (1...3).map { "第\(p)页第\($0)条通知公告" } }))
        #expect(stored.contains { $0["url"] as? String == site.url("/col/tzgg/202611/t_1_2.html") })
        // The text form says the same in words.
        let text = try await cli.run("probe", site.url("/col/tzgg/index.html"), "--allow-private-addresses")
        #expect(text.stdout.contains("栏目共 2 页（TRS 静态分页）") && text.stdout.contains(site.url("/col/tzgg/index{page_suffix}.html")), "\(text.stdout)")
        // Said once, with the source to register, not again among the problems.
        #expect(!text.stdout.contains("TRS 分页脚本 createPageHTML"), "\(text.stdout)")
    }

    @Test("probe of a file with nothing readable (empty, truncated JSON) says why once and exits 1, in text and JSON alike")
    func unreadableExitsOne() async throws {
        let cli = try CLI()
        for (name, body) in [("empty.html", ""), ("cut.json", "{\"rows\": [{\"title\": \"通知\"")] {
            let file = cli.directory.appendingPathComponent(name)
            try body.write(to: file, atomically: true, encoding: .utf8)
            let text = try await cli.run("probe", file.path)
            #expect(text.status == 1, "\(name): \(text.stdout)\(text.stderr)")
            let why = name == "empty.html" ? "内容为空（0 字节）" : "JSON 格式错误"
            #expect(text.stdout.components(separatedBy: why).count == 2, "\(name): \(text.stdout)")
            let json = try await cli.run("probe", file.path, "--json")
            #expect(json.status == 1 && (json.json as? [String: Any])?["problems"] != nil, "\(name): \(json.stdout)")
        }
    }

    @Test("probe FILE --base-url resolves relative links against the page's address; without it they point into the file system")
    func baseURL() async throws {
        let cli = try CLI()
        let file = cli.directory.appendingPathComponent("saved.html")
        try Data(Self.trsPage(0, of: 4).body).write(to: file)
        let withBase = try await cli.run("probe", file.path, "--json", "--base-url", "https://www.example.gov.cn/col/tzgg/index.html")
        #expect(withBase.status == 0, "\(withBase.stderr)")
        let result = try #require(withBase.json as? [String: Any])
        let links = ((result["posts"] as? [[String: Any]]) ?? []).compactMap { $0["link"] as? String }
        #expect(links.count == 3 && links.first == "https://www.example.gov.cn/col/tzgg/202611/t_0_1.html")
        #expect((result["paging"] as? [String: Any])?["url"] as? String == "https://www.example.gov.cn/col/tzgg/index{page_suffix}.html")
        let without = try #require(try await cli.run("probe", file.path, "--json").json as? [String: Any])
        #expect(((without["posts"] as? [[String: Any]])?.first?["link"] as? String)?.hasPrefix("file://") == true)
        #expect((without["problems"] as? [String])?.contains { $0.contains("--base-url") } == true)
        #expect((result["problems"] as? [String])?.contains { $0.contains("--base-url") } == false)
        // Only for files, and only http(s); a refused address is an officer's error (exit 1), not a usage error.
        let onURL = try await cli.run("probe", "https://www.example.gov.cn/", "--base-url", "https://www.example.gov.cn/")
        #expect(onURL.status != 0 && onURL.stderr.contains("--base-url 只用于读取已保存的文件"), "\(onURL.stderr)")
        let bad = try await cli.run("probe", file.path, "--base-url", "ftp://www.example.gov.cn/")
        #expect(bad.status == 1 && bad.stderr.contains("--base-url 应为 http 或 https 网址"), "\(bad.stderr)")
        let ftp = try await cli.run("probe", "ftp://www.example.gov.cn/a")
        #expect(ftp.status == 1 && ftp.stderr.contains("只支持 http 和 https") && !ftp.stderr.contains("Usage"), "\(ftp.stderr)")
    }

    @Test("probe takes the config's fetch settings as scan does: its address policy and user agent")
    func probeReadsTheConfig() async throws {
        let cli = try CLI()
        let site = try await SiteServer(pages: ["/col/tzgg/index.html": Self.trsPage(0, of: 1)])
        defer { site.stop() }
        let url = site.url("/col/tzgg/index.html")
        // Without a config the loopback site is refused, as in production.
        let refused = try await cli.run("probe", url)
        #expect(refused.status != 0 && refused.stderr.contains("private-address"), "\(refused.stderr)")
        let config = cli.directory.appendingPathComponent("govmedia.yaml").path
        try "fetch:\n  allow_private_addresses: true\n".write(toFile: config, atomically: true, encoding: .utf8)
        let probe = try await cli.run("probe", url, "--json", "--config", config)
        #expect(probe.status == 0, "\(probe.stderr)")
        #expect(((probe.json as? [String: Any])?["posts"] as? [Any])?.count == 3)
    }
}
