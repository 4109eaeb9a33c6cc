import Foundation
import GovMediaCore
@testable import GovMediaParse
import Testing

/// Shapes the probe once missed: Hanweb records inline in the column page, dates written as
/// eight digits, XML records whose fields are attributes.
@Suite("ListProbe: inline Hanweb records, eight-digit dates, attribute records")
struct ProbeShapesTests {
    @Test("a Hanweb column page with its records inline in <script type=\"text/xml\">: read as XML records from the page itself")
    func hanwebInline() throws {
        let r = try probeFixture("cms/hanweb-inline-datastore.html", base: "https://www.jingyue.gov.cn/col/col4321/index.html")
        #expect(r.format == .html)
        guard case .xmlRecords(let p)? = r.profile else { Issue.record("not an XML records profile: \(String(describing: r.profile))"); return }
        #expect(p.item == "//recordset/record")
        #expect(p.html?.title == "a/@title")
        let doc = try #require(r.document)
        #expect(doc.items.map(\.title) == ["关于做好2026年冬季清雪除冰工作的通知", "净月高新区2026年第三季度政府信息公开工作情况通报",
                                           "关于公布2026年度区级财政专项资金分配结果的公告", "净月高新区开展冬季消防安全大检查的通知"])
        #expect(doc.items[1].link == "https://www.jingyue.gov.cn/art/2026/11/20/art_4321_90987.html")
        #expect(doc.items[3].publishedAt == china(2026, 11, 10))
    }

    @Test("a page without inline records is not read as XML: an HTML page stays an HTML page")
    func noInlineRecords() throws {
        #expect(XMLRecordsReader.inlineDatastore(try fixture("cms/trs-createpage.html")) == nil)
        // A dataproxy answer is XML already: nothing to cut out.
        #expect(XMLRecordsReader.inlineDatastore(try fixture("cms/hanweb-dataproxy.xml")) == nil)
    }

    @Test("dates written 20261126 are read in list pages; an 8-digit phone number is not a date")
    func eightDigitDates() throws {
        let r = try probeFixture("cms/list-8digit-dates.html")
        let doc = try #require(r.document)
        #expect(doc.items.count == 4)
        #expect(doc.items.map(\.publishedAt) == [china(2026, 11, 26), china(2026, 11, 18), china(2026, 11, 5), china(2026, 10, 30)])
        #expect(doc.items[0].dateText == "20261126")
        #expect(ReadContext.compactDate("84581234") == nil)
        #expect(ReadContext.compactDate("20261331") == nil)
        #expect(ReadContext.compactDate("[20261128]") == china(2026, 11, 28))
    }

    @Test("JSON dates as the number 20261128 or the string \"20261127\" are days, not epoch seconds")
    func eightDigitJSON() throws {
        let body = #"{"data":[{"title":"第一条通知公告标题","url":"/a/1.html","fbrq":20261128},{"title":"第二条通知公告标题","url":"/a/2.html","fbrq":"20261127"}]}"#
        let doc = try readBody(body, .jsonList(JSONListProfile(items: "data", title: "title", link: "url", date: "fbrq")))
        #expect(doc.items.map(\.publishedAt) == [china(2026, 11, 28), china(2026, 11, 27)])
        let probed = ListProbe.probe(Array(body.utf8), contentType: nil, baseURL: columnURL, fetchedAt: fetchedAt)
        guard case .jsonList(let p)? = probed.profile else { Issue.record("no JSON profile"); return }
        #expect(p.date == "fbrq")
    }

    @Test("XML records whose fields are attributes: title, link and date read with @ XPaths")
    func attributeRecords() throws {
        let r = try probeFixture("cms/xml-attributes.xml", base: "https://www.jingyue.gov.cn/xxgk/gzdt/list.xml")
        #expect(r.format == .xml)
        guard case .xmlRecords(let p)? = r.profile else { Issue.record("not an XML records profile"); return }
        #expect(p.item == "//articles/article")
        #expect([p.title, p.link, p.date] == ["@title", "@url", "@pubdate"])
        let doc = try #require(r.document)
        #expect(doc.items.count == 4)
        #expect(doc.items[1].title == "区政务服务中心启用“一网通办”自助服务区")
        #expect(doc.items[1].link == "https://www.jingyue.gov.cn/xxgk/gzdt/8995.html")
        #expect(doc.items[1].publishedAt == ChinaTime.instant(CivilDate(year: 2026, month: 11, day: 19)!, hour: 16, minute: 5))
    }
}
