import Foundation
import GovMediaCore
@testable import GovMediaParse
import Testing

/// Shapes a tester wrote without looking at the probe's fixtures (2026-12-07), where the probe
/// answered wrong: each is the smallest page that showed it.
@Suite("probe on shapes it had not seen")
struct ProbeUnseenShapesTests {
    private func probe(_ text: String, contentType: String? = nil) -> ProbeResult {
        ListProbe.probe(Array(text.utf8), contentType: contentType, baseURL: columnURL, fetchedAt: fetchedAt)
    }

    @Test("a list with 成文日期 and 发布日期: the published date is the one read")
    func publishedDateWins() throws {
        let r = probe("""
            <html><head><meta charset="utf-8"></head><body>
            <div class="nav"><a href="/">首页</a><a href="/xxgk/">信息公开</a><a href="/zcwj/">政策文件</a></div>
            <ul class="zcwj">
            <li><a href="/zcwj/44.html">区政府关于印发民生实事项目的通知</a><span>成文日期：2026-11-20</span><span>发布日期：2026-11-30</span></li>
            <li><a href="/zcwj/43.html">区政府关于同意设立自然保护地的批复</a><span>成文日期：2026-11-18</span><span>发布日期：2026-11-27</span></li>
            <li><a href="/zcwj/42.html">区政府办公室关于印发应急预案的通知</a><span>成文日期：2026-11-10</span><span>发布日期：2026-11-24</span></li>
            </ul></body></html>
            """, contentType: "text/html")
        let doc = try #require(r.document)
        #expect(doc.items.map(\.publishedAt) == [china(2026, 11, 30), china(2026, 11, 27), china(2026, 11, 24)])
    }

    @Test("JSON items with createTime and showTime: showTime, the same answer every time")
    func shownBeatsCreated() throws {
        let body = """
            {"rows":[
            {"title":"区人社局关于2026年度职称评审结果的公示","url":"/rsj/gs/301.html","createTime":"2026-11-20 08:00:00","showTime":"2026-11-28 09:00:00"},
            {"title":"区人社局关于开展根治欠薪冬季专项行动的通知","url":"/rsj/gs/300.html","createTime":"2026-11-18 08:00:00","showTime":"2026-11-25 09:00:00"},
            {"title":"区人社局关于发放就业见习补贴的公示","url":"/rsj/gs/299.html","createTime":"2026-11-10 08:00:00","showTime":"2026-11-19 09:00:00"}]}
            """
        let r = probe(body)
        #expect(r.profile == .jsonList(JSONListProfile(items: "rows", title: "title", link: "url", date: "showTime")))
        // Two fields equally good for the link: the choice follows the names' order, not chance.
        let twoLinks = body.replacingOccurrences(of: "\"url\":\"/rsj/gs/", with: "\"link\":\"/rsj/x/\",\"url\":\"/rsj/gs/")
        let first = probe(twoLinks).profile
        for _ in 0..<5 { #expect(probe(twoLinks).profile == first) }
    }

    @Test("what the reader notes about the found list is in the probe's problems (items without a real link)")
    func readerNotesShown() throws {
        let r = probe("""
            <html><head><meta charset="utf-8"></head><body><ul class="list">
            <li><a href="javascript:void(0)" onclick="showDetail(104)">关于第一件事的通知</a><span>2026-11-28</span></li>
            <li><a href="javascript:void(0)" onclick="showDetail(103)">关于第二件事的通知</a><span>2026-11-25</span></li>
            <li><a href="/n/102.html">关于第三件事的通知</a><span>2026-11-20</span></li>
            </ul></body></html>
            """, contentType: "text/html")
        #expect(r.document?.items.count == 3)
        #expect(r.problems.contains { if case .linklessItems = $0 { true } else { false } }, "\(r.problems)")
    }

    @Test("markup in feed titles is taken out: RSS CDATA with <font>, as JSON titles already were")
    func feedTitleMarkup() throws {
        let r = probe("""
            <?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>
            <item><title><![CDATA[<font color="red">【置顶】</font>关于开展冬季安全检查的通知]]></title><link>https://www.example.gov.cn/1.html</link><pubDate>2026-11-28 09:30:00</pubDate></item>
            <item><title>A &lt; B 的说明</title><link>https://www.example.gov.cn/2.html</link><pubDate>2026-11-27 09:30:00</pubDate></item>
            </channel></rss>
            """)
        let doc = try #require(r.document)
        #expect(doc.items.map(\.title) == ["【置顶】关于开展冬季安全检查的通知", "A < B 的说明"])
    }
}
