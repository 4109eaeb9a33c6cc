import Foundation
import GovMediaCore
import GovMediaParse
import Testing

let columnURL = "https://www.jingyue.gov.cn/zwgk/tzgg/index.html"

func readCMS(_ name: String, _ profile: ReadingProfile, base: String = columnURL,
             contentType: String? = nil) throws -> ParsedDocument {
    try DocumentReader.read(try fixture("cms/\(name)"), contentType: contentType, baseURL: base, profile: profile,
                            fetchedAt: fetchedAt)
}

func readBody(_ text: String, _ profile: ReadingProfile, base: String = columnURL) throws(ParseError) -> ParsedDocument {
    try DocumentReader.read(Array(text.utf8), contentType: nil, baseURL: base, profile: profile, fetchedAt: fetchedAt)
}

let hanwebProfile = ReadingProfile.xmlRecords(XMLRecordsProfile(
    item: "//record", html: HTMLStep(item: "//li", title: "a/@title", link: "a/@href", date: "span")))

@Suite("CMS lists: XML records")
struct XMLRecordsTests {
    @Test("Hanweb dataproxy.jsp: each CDATA record's <li> is a post with the full title, absolute link and date")
    func hanwebDataproxy() throws {
        let doc = try readCMS("hanweb-dataproxy.xml", hanwebProfile)
        #expect(doc.kind == .xmlRecords)
        #expect(doc.items.count == 5)
        #expect(doc.items[0].title == "净月高新区关于2026年冬季供暖的通告")
        #expect(doc.items[4].title == "关于公布第二批区级非物质文化遗产代表性项目名录的通知")
        #expect(doc.items[0].link == "https://www.jingyue.gov.cn/art/2026/11/23/art_1230_456791.html")
        #expect(doc.items[3].link == "http://www.jingyue.gov.cn/art/2026/11/18/art_1230_456650.html")
        #expect(doc.items[0].publishedAt == china(2026, 11, 23))
        #expect(doc.items[2].dateText == "[2026-11-19]")
        #expect(doc.items[2].publishedAt == china(2026, 11, 19))
        #expect(doc.problems.isEmpty)
    }

    @Test("XML records with child elements are read through field XPaths")
    func childElements() throws {
        let doc = try readCMS("xml-articles.xml", .xmlRecords(XMLRecordsProfile(
            item: "//articles/article", title: "title", link: "url", date: "pubdate")))
        #expect(doc.items.map(\.title).first == "净月高新区2026年11月份工作简报")
        #expect(doc.items.count == 3)
        #expect(doc.items[1].link == "https://www.jingyue.gov.cn/jb/2026/500.html")
        #expect(doc.items[2].publishedAt == china(2026, 11, 9, 16))
    }

    @Test("a bare & in XML records keeps its text, as in feeds: the same parse step repairs it, with a note")
    func bareAmpersandInRecords() throws {
        let body = """
            <articles><article><title>党建&业务 共建</title><url>/jb/1.html?a=1&b=2</url><pubdate>2026-11-20</pubdate></article>
            <article><title>第二条</title><url>/jb/2.html</url><pubdate>2026-11-19</pubdate></article></articles>
            """
        let doc = try readBody(body, .xmlRecords(XMLRecordsProfile(item: "//articles/article", title: "title", link: "url", date: "pubdate")))
        #expect(doc.items.map(\.title) == ["党建&业务 共建", "第二条"])
        #expect(doc.items.first?.link == "https://www.jingyue.gov.cn/jb/1.html?a=1&b=2")
        #expect(doc.problems.contains { if case .bareAmpersands = $0 { true } else { false } })
    }

    @Test("billion laughs in a records document: the DOCTYPE is ignored, the other records are read")
    func billionLaughs() throws {
        let clock = ContinuousClock()
        var doc: ParsedDocument?
        let elapsed = try clock.measure { doc = try readCMS("billion-laughs-records.xml", hanwebProfile) }
        #expect(elapsed < .seconds(1))
        #expect(doc?.items.map(\.title) == ["正常条目", "第二条"])
        #expect(doc?.problems.contains { $0 == .doctypeIgnored } == true)
    }

    @Test("an item XPath matching no record is a problem naming it")
    func noRecords() throws {
        let doc = try readCMS("hanweb-dataproxy.xml", .xmlRecords(XMLRecordsProfile(
            item: "//row", html: HTMLStep(item: "//li", title: "a", link: "a/@href", date: "span"))))
        #expect(doc.items.isEmpty)
        #expect(doc.problems.texts.contains { $0.contains("//row") })
    }
}

@Suite("CMS lists: JSON, JSONP and JS")
struct JSONListTests {
    @Test("Hanweb JPaaS: the HTML in data.html is read with the HTML step")
    func jpaas() throws {
        let doc = try readCMS("jpaas-html.json", .jsonList(JSONListProfile(
            items: "data.html", html: HTMLStep(item: "//ul[@class='doc_list']/li", title: "a", link: "a/@href", date: "span"))))
        #expect(doc.kind == .jsonList)
        #expect(doc.items.count == 4)
        #expect(doc.items[1].title == "关于开展冬季安全生产大检查的通知")
        #expect(doc.items[1].link == "https://www.jingyue.gov.cn/art/2026/11/21/art_1230_456790.html")
        #expect(doc.items[1].publishedAt == china(2026, 11, 21))
    }

    @Test("JSONP callback({custom:{data:[…]}}) with text dates in three shapes")
    func jsonp() throws {
        let doc = try readCMS("jsonp-custom.js", .jsonList(JSONListProfile(
            items: "custom.data", title: "title", link: "infourl", date: "infodate")))
        #expect(doc.items.map(\.title) == ["关于2026年度区级财政预算执行情况的公告", "净月高新区2026年11月份重点工作推进情况",
                                           "关于征求《净月高新区养犬管理办法（征求意见稿）》意见的公告"])
        #expect(doc.items[0].link == "https://www.jingyue.gov.cn/art/2026/11/22/art_2201_1001.html")
        #expect(doc.items[0].publishedAt == china(2026, 11, 22))
        #expect(doc.items[1].publishedAt == china(2026, 11, 20, 9, 30))
        #expect(doc.items[2].publishedAt == china(2026, 11, 15))
        #expect(doc.problems.isEmpty)
    }

    @Test("var data = {...}; with epoch milliseconds and ./ links")
    func varDataMilliseconds() throws {
        let doc = try readCMS("var-data-ms.js", .jsonList(JSONListProfile(
            items: "result.rows[*]", title: "DOCTITLE", link: "DOCPUBURL", date: "DOCRELTIME")),
            base: "https://www.jingyue.gov.cn/zwgk/bmdt/index.html")
        #expect(doc.items.count == 3)
        #expect(doc.items[0].link == "https://www.jingyue.gov.cn/zwgk/bmdt/202611/t20261123_9001.html")
        #expect(doc.items[0].publishedAt == china(2026, 11, 23, 10))
        #expect(doc.items[1].publishedAt == china(2026, 11, 19, 15, 30))
        #expect(doc.items[0].dateText == "\(Int(china(2026, 11, 23, 10).timeIntervalSince1970) * 1000)")
    }

    @Test("epoch seconds are told from milliseconds by size")
    func epochSeconds() throws {
        let doc = try readCMS("epoch-seconds.json", .jsonList(JSONListProfile(
            items: "data.list", title: "title", link: "link", date: "time")))
        #expect(doc.items.map(\.publishedAt) == [china(2026, 11, 21, 8), china(2026, 11, 17, 16, 45), china(2026, 11, 10, 9)])
        #expect(doc.items[0].link == "https://www.jingyue.gov.cn/xxgk/2026/11/21/8801.html")
    }

    @Test("a root array with nested members, and linkBase for relative links")
    func rootArrayNested() throws {
        let doc = try readCMS("array-root.json", .jsonList(JSONListProfile(
            items: "$", title: "name", link: "meta.url", date: "meta.publishTime")))
        #expect(doc.items.count == 3)
        #expect(doc.items[0].publishedAt == china(2026, 11, 23, 14, 20))
        let based = try readCMS("jsonp-custom.js", .jsonList(JSONListProfile(
            items: "custom.data", title: "title", link: "infourl", date: "infodate", linkBase: "https://zwgk.jingyue.gov.cn/")))
        #expect(based.items[0].link == "https://zwgk.jingyue.gov.cn/art/2026/11/22/art_2201_1001.html")
    }

    @Test("export default `…`: a JS template literal holding HTML, escapes undone")
    func exportDefaultTemplate() throws {
        let doc = try readCMS("export-template.js", .jsonList(JSONListProfile(
            items: "$", html: HTMLStep(item: "//ul[@class='news']/li", title: "a/@title", link: "a/@href", date: "span"))))
        #expect(doc.items.count == 3)
        #expect(doc.items[0].title == "净月高新区举办`冬季运动`主题活动")
        #expect(doc.items[2].link == "https://mp.weixin.qq.com/s/AbCdEf123")
        #expect(doc.items[1].publishedAt == china(2026, 11, 20))
    }

    @Test("the real Shanghai 卫健委 list inside export default: 20 posts, 11 to WeChat")
    func shanghaiRealWorld() throws {
        let doc = try readCMS("list_shanghai_wsjkw_yqtb_2022.js", .jsonList(JSONListProfile(
            items: "$", html: HTMLStep(item: "//li[span[@class='time']]", title: "a/@title", link: "a/@href",
                                      date: "span[@class='time']"))), base: "https://wsjkw.sh.gov.cn/yqtb/index.html")
        #expect(doc.items.count == 20)
        #expect(doc.items.filter { $0.link?.hasPrefix("https://mp.weixin.qq.com/") == true }.count == 11)
        #expect(doc.items[2].link == "https://wsjkw.sh.gov.cn/xwfb/20220426/d4d847dcf3f64fcab102cf5a65656891.html")
        #expect(doc.items[0].publishedAt == china(2022, 4, 27))
        #expect(doc.items.allSatisfy { $0.publishedAt != nil })
    }

    @Test("wrappers: window.x =, const x =, /**/cb(...), a single-quoted string")
    func wrappers() throws {
        let profile = ReadingProfile.jsonList(JSONListProfile(items: "list", title: "t", link: "u", date: "d"))
        let json = #"{"list":[{"t":"标题一","u":"/a/1.html","d":"2026-11-20"}]}"#
        for body in ["window.pageData = \(json);", "const data=\(json)\nvar x = 1;", "/**/cb_123(\(json));", "  \(json)  "] {
            let doc = try readBody(body, profile)
            #expect(doc.items.first?.link == "https://www.jingyue.gov.cn/a/1.html", "\(body)")
        }
        let html = ReadingProfile.jsonList(JSONListProfile(
            items: "", html: HTMLStep(item: "//li", title: "a", link: "a/@href", date: "span")))
        let doc = try readBody(#"var html = '<ul><li><a href="/b/2.html">标题二</a><span>2026-11-21</span></li></ul>';"#, html)
        #expect(doc.items.map(\.title) == ["标题二"])
    }

    @Test("per-item HTML: html.field names each item's HTML")
    func perItemHTML() throws {
        let body = #"{"rows":[{"html":"<li><a href='/c/1.html'>第一条</a><span>2026-11-20</span></li>"},"# +
            #"{"html":"<li><a href='/c/2.html'>第二条</a><span>2026-11-19</span></li>"}]}"#
        let doc = try readBody(body, .jsonList(JSONListProfile(
            items: "rows", html: HTMLStep(item: "//li", title: "a", link: "a/@href", date: "span", field: "html"))))
        #expect(doc.items.map(\.title) == ["第一条", "第二条"])
        #expect(doc.items[1].publishedAt == china(2026, 11, 19))
    }

    @Test("malformed JSONP is a parse error naming the byte in the body")
    func malformedJSONP() throws {
        let body = try fixture("cms/malformed.jsonp")
        // `"title" "a"`: the colon is missing before the `"a"`.
        let missing = try #require(body.indices.first { body[$0] == UInt8(ascii: " ") && body[$0 + 1] == UInt8(ascii: "\"") })
        #expect(throws: ParseError.self) {
            try DocumentReader.read(body, contentType: nil, baseURL: columnURL, profile: .jsonList(JSONListProfile(
                items: "custom.data", title: "title", link: "infourl")), fetchedAt: fetchedAt)
        }
        do {
            _ = try DocumentReader.read(body, contentType: nil, baseURL: columnURL, profile: .jsonList(JSONListProfile(
                items: "custom.data", title: "title", link: "infourl")), fetchedAt: fetchedAt)
        } catch {
            // Foundation and then the JS-literal reader stop at the `"a"` after the blank, where
            // the colon should be; bytes count from 1.
            #expect(error.message == "JSON 格式错误（第 \(missing + 2) 字节附近）：成员名后应为 `:`")
        }
    }

    @Test("a body that is no JSON, JSONP or JS assignment is refused naming the byte")
    func notJSON() {
        #expect(throws: ParseError("JSON 格式错误（第 1 字节附近）：不是 JSON，也不是 JSONP 或 JS 赋值")) {
            try readBody("%%%", .jsonList(JSONListProfile(items: "$", title: "t", link: "u")))
        }
    }

    @Test("an items path matching nothing is a problem naming the path")
    func itemsPathMatchesNothing() throws {
        let doc = try readCMS("jsonp-custom.js", .jsonList(JSONListProfile(
            items: "custom.rows", title: "title", link: "infourl", date: "infodate")))
        #expect(doc.items.isEmpty)
        #expect(doc.problems == [.noItemsMatched(expression: .jsonPath, item: "custom.rows")])
    }

    @Test("a date path matching nothing in any item is a problem naming it")
    func datePathMatchesNothing() throws {
        let doc = try readCMS("jsonp-custom.js", .jsonList(JSONListProfile(
            items: "custom.data", title: "title", link: "infourl", date: "pubDate")))
        #expect(doc.items.count == 3)
        #expect(doc.problems.contains(.fieldEmptyEverywhere(field: .date, expression: .jsonPath, count: 3, value: "pubDate")))
    }

    @Test("a path that cannot be read is refused naming the path and the character")
    func badPath() {
        #expect(throws: ParseError("条目路径：JSON 路径 `data..list` 第 6 个字符处有误：`.` 后缺少成员名")) {
            try readBody("{}", .jsonList(JSONListProfile(items: "data..list", title: "t", link: "u")))
        }
        #expect(JSONPath.problem("data.list[x]")?.contains("data.list[x]") == true)
        #expect(JSONPath.problem("data.list[*].rows['a.b']") == nil)
    }

    @Test("a huge JSON list is capped and noted, not a failure")
    func hugeList() throws {
        let item = #"{"t":"标题","u":"/a.html","d":"2026-11-20"}"#
        let body = #"{"list":["# + Array(repeating: item, count: 30_000).joined(separator: ",") + "]}"
        let doc = try readBody(body, .jsonList(JSONListProfile(items: "list", title: "t", link: "u", date: "d")))
        #expect(doc.items.count == DocumentReader.maxItems)
        #expect(doc.problems.contains(.tooManyItems(limit: DocumentReader.maxItems)))
    }
}

@Suite("JSONPath")
struct JSONPathTests {
    let value: Any = ["data": [["rows": [1, 2]], ["rows": [3]]], "a.b": ["x": "y"], "list": ["p", "q", "r"]] as [String: Any]

    @Test("wildcards, negative indexes and quoted names select what the doc comment says")
    func selects() throws {
        #expect(try JSONPath("data[*].rows").select(in: value).count == 2)
        #expect(try JSONPath("list[-1]").first(in: value) as? String == "r")
        #expect(try JSONPath("$.list[0]").first(in: value) as? String == "p")
        #expect(try JSONPath("['a.b'].x").first(in: value) as? String == "y")
        #expect(try JSONPath("$").select(in: value).count == 1)
        #expect(try JSONPath("list.nothing").select(in: value).isEmpty)
    }
}

@Suite("links that are not links")
struct PseudoLinkTests {
    let profile = ReadingProfile.htmlList(item: "//ul[@class='news-list']/li", title: "a", link: "a/@href", date: "span")

    @Test("the target of javascript:/# links comes from onclick: window.open, location.href, window.location")
    func fromOnclick() throws {
        let doc = try readCMS("javascript-void.html", profile)
        #expect(doc.items[0].link == "https://www.jingyue.gov.cn/zwgk/tzgg/202611/t20261123_1.html")
        #expect(doc.items[1].link == "https://www.jingyue.gov.cn/zwgk/tzgg/202611/t20261121_2.html")
        #expect(doc.items[2].link == "https://www.jingyue.gov.cn/zwgk/tzgg/202611/t20261120_3.html")
    }

    @Test("five javascript:void(0) items without a target stay five posts, keyed by title and date, and are noted")
    func fiveVoidItemsStayFive() throws {
        let doc = try readCMS("javascript-void.html", profile)
        let linkless = doc.items.filter { $0.link == nil }
        #expect(linkless.count == 5)
        #expect(Set(doc.items.map(\.key)).count == 8)
        #expect(linkless.allSatisfy { $0.key.hasPrefix("title:") })
        #expect(doc.problems.contains(.linklessItems(count: 5, of: 8)))
    }

    @Test("a real address with location= in its query, and an onclick read by the link XPath itself, are both links")
    func addressesThatLookLikeScript() throws {
        let body = #"<ul><li><a href="/search?location=jingyue&amp;q=1">查询</a><span>2026-11-20</span></li>"# +
            #"<li onclick="window.open('/b/2.html','_blank')">乙<span>2026-11-20</span></li></ul>"#
        let a = try readBody(body, .htmlList(item: "//li[1]", title: "a", link: "a/@href", date: "span"))
        #expect(a.items.first?.link == "https://www.jingyue.gov.cn/search?location=jingyue&q=1")
        let b = try readBody(body, .htmlList(item: "//li[2]", title: "text()", link: "@onclick", date: "span"))
        #expect(b.items.first?.link == "https://www.jingyue.gov.cn/b/2.html")
    }

    @Test("a JSON item whose link is javascript:void(0) has no link")
    func jsonPseudoLink() throws {
        let doc = try readBody(##"{"l":[{"t":"甲","u":"javascript:void(0)","d":"2026-11-20"},{"t":"乙","u":"#","d":"2026-11-20"}]}"##,
                               .jsonList(JSONListProfile(items: "l", title: "t", link: "u", date: "d")))
        #expect(doc.items.map(\.link) == [nil, nil])
        #expect(Set(doc.items.map(\.key)).count == 2)
    }
}

@Suite("the real Handan list")
struct HandanTests {
    @Test("<li><a><p>title</p></a><span>date</span></li>: 13 posts with the shown dates")
    func handan() throws {
        let doc = try readCMS("list_handan_zfxxgk_saved2020.jsp", .htmlList(
            item: "//ul[@class='sx-c1-list']/li", title: "a/p", link: "a/@href", date: "span"),
            base: "http://hdzfxxgk.hd.gov.cn/")
        #expect(doc.items.count == 13)
        #expect(doc.items[0].title == "邯郸市教育局关于印发《全市教育系统安全专项整治三年行动实施方案》的通知")
        #expect(doc.items[0].link == "http://hdzfxxgk.hd.gov.cn/gszbm/auto23716/202008/t20200802_1352104.html")
        // The URL says t20200731; the page shows 2020-07-29, and the shown date is the one read.
        #expect(doc.items[3].publishedAt == china(2020, 7, 29))
    }
}

@Suite("profiles as data")
struct ProfileCodingTests {
    @Test("a JSON list profile survives a JSON round trip")
    func roundTrip() throws {
        let profile = ReadingProfile.jsonList(JSONListProfile(items: "custom.data", title: "title", link: "infourl",
                                                              date: "infodate", linkBase: "https://a.gov.cn/",
                                                              html: HTMLStep(item: "//li", title: "a", link: "a/@href")))
        let data = try JSONEncoder().encode(profile)
        #expect(try JSONDecoder().decode(ReadingProfile.self, from: data) == profile)
    }
}
