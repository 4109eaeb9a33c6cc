import Foundation
import GovMediaCore
@testable import GovMediaParse
import Testing

/// Probes a fixture, and checks the promise every probe makes: its profile, given back to
/// `DocumentReader.read`, reads exactly the posts the probe returned.
func probeFixture(_ name: String, base: String = columnURL, contentType: String? = nil) throws -> ProbeResult {
    let body = try fixture(name)
    let result = ListProbe.probe(body, contentType: contentType, baseURL: base, fetchedAt: fetchedAt)
    let profile = try #require(result.profile, "no list found in \(name): \(result.problems)")
    let reread = try DocumentReader.read(body, contentType: contentType, baseURL: base, profile: profile, fetchedAt: fetchedAt)
    #expect(reread == result.document)
    return result
}

@Suite("ListProbe")
struct ListProbeTests {
    @Test("fuzz regression (cms, a leak): XML whose damaged element names make XPaths that do not compile is probed without error")
    func damagedElementNames() throws {
        // The probe tried `item`, then a title XPath built from a name that does not compile;
        // the item XPath compiled before it was not freed. The fuzz target replays the same
        // input under LeakSanitizer (Fuzz/regressions/cms); here: it is answered, no crash.
        let r = ListProbe.probe(try fixture("fuzz/cms-probe-xpath-leak.xml"), contentType: nil, baseURL: columnURL, fetchedAt: fetchedAt)
        #expect(r.format == .xml)
        // A record profile whose title XPath does not compile is refused, naming which one.
        let profile = XMLRecordsProfile(item: "//article", title: "title[", link: "url")
        #expect(throws: ParseError.self) {
            try DocumentReader.read(Array("<a><article><title>t</title></article></a>".utf8), contentType: "application/xml",
                                    baseURL: columnURL, profile: .xmlRecords(profile), fetchedAt: fetchedAt)
        }
    }

    @Test("GB2312 column page: the dated list is found, not the 60-link navigation bar or the footer")
    func gb2312Column() throws {
        let r = try probeFixture("cms/column-gb2312.html", contentType: "text/html")
        #expect(r.format == .html)
        let doc = try #require(r.document)
        #expect(doc.charset.uppercased().hasPrefix("GB"))
        #expect(doc.items.count == 5)
        #expect(doc.items[0].title == "关于做好2026年冬季清雪工作的通知")
        #expect(doc.items[2].link == "https://www.jingyue.gov.cn/zwgk/tzgg/202611/t20261120_80009.html")
        #expect(doc.items[4].publishedAt == china(2026, 11, 13))
    }

    @Test("Handan: <li><a><p>title</p></a><span>date</span></li> among image menus and other blocks")
    func handan() throws {
        let r = try probeFixture("cms/list_handan_zfxxgk_saved2020.jsp", base: "http://hdzfxxgk.hd.gov.cn/")
        let doc = try #require(r.document)
        #expect(doc.items.count == 13)
        #expect(doc.items[0].title == "邯郸市教育局关于印发《全市教育系统安全专项整治三年行动实施方案》的通知")
        #expect(doc.items[0].publishedAt == china(2020, 8, 2))
        #expect(doc.items.allSatisfy { $0.link?.hasPrefix("http://hdzfxxgk.hd.gov.cn/") == true })
    }

    @Test("a table with dates in their own cell as [2026-11-22], header row left out")
    func tableDates() throws {
        let doc = try #require(try probeFixture("cms/table-dates.html").document)
        #expect(doc.items.map(\.title) == ["净月高新区2026年度建设用地供应计划公示", "关于拟认定高新技术企业名单的公示",
                                           "2026年度区级财政专项资金分配结果公示", "净月高新区道路交通管制公告"])
        #expect(doc.items[0].publishedAt == china(2026, 11, 22))
        #expect(doc.items[3].link == "https://www.jingyue.gov.cn/xxgk/gsgg/1185.html")
    }

    @Test("a TRS WCM page: ./ links resolved, the createPageHTML page count noted")
    func trs() throws {
        let r = try probeFixture("cms/trs-createpage.html", base: "https://www.jingyue.gov.cn/zwgk/bmdt/")
        let doc = try #require(r.document)
        #expect(doc.items.count == 4)
        #expect(doc.items[0].link == "https://www.jingyue.gov.cn/zwgk/bmdt/202611/t20261123_1035789.html")
        #expect(doc.items[3].publishedAt == china(2026, 11, 7))
        #expect(r.paging == PageScript(pages: 8, current: 0, name: "index", ext: "html",
                                       pagedURL: "https://www.jingyue.gov.cn/zwgk/bmdt/index{page_suffix}.html"))
        #expect(r.problems.texts.contains { $0.hasPrefix("栏目共 8 页（TRS 分页脚本 createPageHTML") && $0.contains("https://www.jingyue.gov.cn/zwgk/bmdt/index{page_suffix}.html")
            && $0.contains("\"request\": {\"pages\": 3}") })
    }

    @Test("the paged URL replaces the page's own file name, index.html or index_3.html; another name gets none")
    func pagedURL() throws {
        let body = Array("<html><body><script>createPageHTML(5, 3, \"index\", \"shtml\");</script></body></html>".utf8)
        #expect(ListProbe.pageScript(body, baseURL: "https://x.gov.cn/col/index_3.shtml")?.pagedURL == "https://x.gov.cn/col/index{page_suffix}.shtml")
        #expect(ListProbe.pageScript(body, baseURL: "https://x.gov.cn/col/index.shtml?a=1")?.pagedURL == "https://x.gov.cn/col/index{page_suffix}.shtml")
        #expect(ListProbe.pageScript(body, baseURL: "https://x.gov.cn/col/list.shtml")?.pagedURL == nil)
        #expect(ListProbe.pageScript(body, baseURL: "file:///tmp/index.shtml")?.pagedURL == nil)
        #expect(ListProbe.pageScript(body, baseURL: "https://x.gov.cn/col/")?.current == 3)
        // One page: nothing to page through.
        #expect(ListProbe.pageScript(Array("<script>createPageHTML(1, 0, \"index\", \"html\");</script>".utf8), baseURL: "https://x.gov.cn/") == nil)
    }

    @Test("Hanweb dataproxy XML: records with HTML in CDATA become an XML records profile with an HTML step")
    func hanweb() throws {
        let r = try probeFixture("cms/hanweb-dataproxy.xml")
        #expect(r.format == .xml)
        guard case .xmlRecords(let p)? = r.profile else { Issue.record("not xml records: \(String(describing: r.profile))"); return }
        #expect(p.item == "//recordset/record")
        #expect(p.html?.title == "a/@title")
        let doc = try #require(r.document)
        #expect(doc.items.count == 5)
        #expect(doc.items[0].title == "净月高新区关于2026年冬季供暖的通告")
        #expect(doc.items[2].publishedAt == china(2026, 11, 19))
    }

    @Test("Hanweb JPaaS JSON: the HTML string at data.html is found and read")
    func jpaas() throws {
        let r = try probeFixture("cms/jpaas-html.json", contentType: "application/json")
        #expect(r.format == .json)
        guard case .jsonList(let p)? = r.profile else { Issue.record("not a JSON list"); return }
        #expect(p.items == "data.html")
        #expect(r.document?.items.count == 4)
    }

    @Test("JSONP custom.data: title, infourl and infodate are picked by their values")
    func jsonp() throws {
        let r = try probeFixture("cms/jsonp-custom.js")
        #expect(r.format == .jsonp)
        #expect(r.profile == .jsonList(JSONListProfile(items: "custom.data", title: "title", link: "infourl", date: "infodate")))
        #expect(r.document?.items.count == 3)
    }

    @Test("var data = …: epoch milliseconds are taken for the date, not the numeric id")
    func varData() throws {
        let r = try probeFixture("cms/var-data-ms.js")
        #expect(r.format == .javascript)
        #expect(r.profile == .jsonList(JSONListProfile(items: "result.rows", title: "DOCTITLE", link: "DOCPUBURL", date: "DOCRELTIME")))
        #expect(r.document?.items.first?.publishedAt == china(2026, 11, 23, 10))
    }

    @Test("epoch seconds and a root array with nested link and date")
    func epochAndNested() throws {
        let a = try probeFixture("cms/epoch-seconds.json")
        #expect(a.document?.items.map(\.publishedAt).first == china(2026, 11, 21, 8))
        let b = try probeFixture("cms/array-root.json")
        #expect(b.profile == .jsonList(JSONListProfile(items: "$", title: "name", link: "meta.url", date: "meta.publishTime")))
    }

    @Test("export default `…` holding a whole page (real Shanghai list) and a small one")
    func exportDefault() throws {
        let sh = try probeFixture("cms/list_shanghai_wsjkw_yqtb_2022.js", base: "https://wsjkw.sh.gov.cn/yqtb/index.html")
        #expect(sh.format == .javascript)
        #expect(sh.document?.items.count == 20)
        let own = try probeFixture("cms/export-template.js")
        #expect(own.document?.items.map(\.title).first == "净月高新区举办`冬季运动`主题活动")
    }

    @Test("shapes of our own: link cards holding the date, dl/dt/dd with year-less dates, XML with child elements")
    func ownShapes() throws {
        let cards = try #require(try probeFixture("cms/cards.html").document)
        #expect(cards.items.map(\.title) == ["净月高新区与吉林大学签署战略合作协议", "长春净月国家高新区第四届冰雪产业博览会开幕",
                                             "净月高新区召开2026年第四季度经济运行分析会"])
        #expect(cards.items[1].publishedAt == china(2026, 11, 21))
        let dl = try #require(try probeFixture("cms/dl-list.html", base: "https://www.jingyue.gov.cn/zwdt/").document)
        #expect(dl.items.count == 4)
        #expect(dl.items[0].link == "https://www.jingyue.gov.cn/zwdt/dt/8.html")
        #expect(dl.items[0].publishedAt == china(2026, 11, 23))
        let xml = try probeFixture("cms/xml-articles.xml")
        #expect(xml.profile == .xmlRecords(XMLRecordsProfile(item: "//articles/article", title: "title", link: "url", date: "pubdate")))
    }

    @Test("javascript:void(0) lists are found, and the probed profile keeps the five linkless posts apart")
    func voidLinks() throws {
        let doc = try #require(try probeFixture("cms/javascript-void.html").document)
        #expect(doc.items.count == 8)
        #expect(Set(doc.items.map(\.key)).count == 8)
    }

    @Test("a feed is detected as a feed")
    func feed() throws {
        let r = try probeFixture("rss2.xml")
        #expect(r.format == .rss)
        #expect(r.profile == .feed)
    }

    @Test("a page without a dated list says so")
    func nothing() {
        let body = Array("<html><body><ul><li><a href='/a/'>首页</a></li><li><a href='/b/'>新闻</a></li><li><a href='/c/'>公开</a></li></ul></body></html>".utf8)
        let r = ListProbe.probe(body, contentType: "text/html", baseURL: columnURL, fetchedAt: fetchedAt)
        #expect(r.profile == nil)
        #expect(r.problems.contains(.noListFound))
    }

    @Test("malformed JSONP: the probe reports the parse error naming the byte")
    func malformed() throws {
        let r = ListProbe.probe(try fixture("cms/malformed.jsonp"), contentType: nil, baseURL: columnURL, fetchedAt: fetchedAt)
        #expect(r.profile == nil)
        #expect(r.error?.message.hasPrefix("JSON 格式错误（第 ") == true)
    }

    @Test("billion laughs: the probe stays fast and reads the safe records")
    func billionLaughs() throws {
        let clock = ContinuousClock()
        var r: ProbeResult?
        let elapsed = clock.measure {
            r = ListProbe.probe((try? fixture("cms/billion-laughs-records.xml")) ?? [], contentType: nil, baseURL: columnURL,
                                fetchedAt: fetchedAt)
        }
        #expect(elapsed < .seconds(1))
        #expect(r?.document?.items.count == 2)
    }

    @Test("a 40 KB page with a navigation bar and 240 dated items is probed quickly")
    func speed() throws {
        var html = "<html><head><meta charset='utf-8'></head><body><div class='nav'><ul>"
        for i in 0..<60 { html += "<li><a href='/col\(i)/'>栏目\(i)</a></li>" }
        html += "</ul></div><div class='box'><ul class='list'>"
        for i in 0..<240 {
            html += "<li><a href='/art/2026/11/\(i % 20 + 1)/\(i).html' title='净月高新区第\(i)条政务信息标题'>净月高新区第\(i)条政务信息标题</a><span>2026-11-\(String(format: "%02d", i % 20 + 1))</span></li>"
        }
        html += "</ul></div></body></html>"
        let body = Array(html.utf8)
        #expect(body.count > 38_000)
        let clock = ContinuousClock()
        var r: ProbeResult?
        _ = ListProbe.probe(body, contentType: "text/html", baseURL: columnURL, fetchedAt: fetchedAt)
        let elapsed = clock.measure { r = ListProbe.probe(body, contentType: "text/html", baseURL: columnURL, fetchedAt: fetchedAt) }
        #expect(r?.document?.items.count == 240)
        print("probe of \(body.count) bytes took \(elapsed)")
        // Release builds take well under 50 ms; a debug test build is several times slower.
        #expect(elapsed < .milliseconds(400))
    }
}
