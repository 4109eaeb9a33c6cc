import Foundation
import GovMediaCore
import GovMediaParse
import Testing

/// Reads `bytes` as a feed at the fixtures' URL and fetch time.
private func readFeedBytes(_ bytes: [UInt8], contentType: String? = "application/rss+xml") throws -> ParsedDocument {
    try DocumentReader.read(bytes, contentType: contentType, baseURL: "https://www.jingyue.gov.cn/feeds/main.xml",
                            profile: .feed, fetchedAt: fetchedAt)
}

/// Where `text`'s UTF-8 first starts in `bytes`.
private func index(of text: String, in bytes: [UInt8]) -> Int? {
    let needle = Array(text.utf8)
    return bytes.indices.first { bytes[$0...].starts(with: needle) }
}

/// An RSS 2.0 feed around `items` (already markup).
private func rss(_ items: String) -> String {
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>净月发布</title>\n" + items
        + "</channel></rss>\n"
}

/// One well-formed item dated 2026-11-`day` 10:00.
private func item(_ title: String, day: Int) -> String {
    "<item><title>\(title)</title><link>https://www.jingyue.gov.cn/n/\(day).html</link>"
        + "<pubDate>2026-11-\(day) 10:00</pubDate></item>\n"
}

@Suite("damaged feeds")
struct DamagedFeedTests {
    @Test("every item of a feed whose items each have unclosed tags or a bare & is read, as libxml2 recovers them")
    func unclosedTagsInEveryItem() throws {
        let doc = try readFeed("broken-unclosed-items.xml")
        #expect(doc.items.count == 4)
        #expect(doc.items.map(\.link) == (1...4).map { "https://www.jingyue.gov.cn/cg/\($0).html" })
        #expect(doc.items.map(\.publishedAt) == [china(2026, 11, 20, 10), china(2026, 11, 19, 10),
                                                 china(2026, 11, 18, 10), china(2026, 11, 17, 10)])
        #expect(doc.problems.contains { if case .recoveredXMLErrors = $0 { true } else { false } })
    }

    @Test("an item nested in an earlier one by recovery keeps its own title, and the earlier one's text stops at it")
    func nestedItemsKeepTheirOwnText() throws {
        let doc = try readFeed("broken-unclosed-items.xml")
        try #require(doc.items.count == 4)
        #expect(doc.items[1].title == "第二条")
        #expect(doc.items[2].title == "第三条未闭合")
        #expect(doc.items[3].title == "第四条")
        #expect(doc.items[0].summary == "正文一")
    }

    @Test("a bare & keeps its text: 党建&业务 and a link's ?a=1&b=2 are read whole; & in CDATA and real entities stay as they are")
    func bareAmpersandsKeepTheirText() throws {
        let body = rss("<item><title>党建&业务 A&B 共建</title><link>https://www.jingyue.gov.cn/n.jsp?a=1&b=2</link>"
                       + "<description><![CDATA[<p>Q&A</p>]]> 和 &amp; 与 &#x4E2D;&#25991;</description><pubDate>2026-11-20 10:00</pubDate></item>\n"
                       + item("第二条", day: 19))
        let doc = try readFeedBytes(Array(body.utf8))
        try #require(doc.items.count == 2)
        #expect(doc.items[0].title == "党建&业务 A&B 共建")
        #expect(doc.items[0].link == "https://www.jingyue.gov.cn/n.jsp?a=1&b=2")
        #expect(doc.items[0].summary?.hasPrefix("Q&A") == true && doc.items[0].summary?.hasSuffix("和 & 与 中文") == true,
                "\(doc.items[0].summary ?? "")")
        #expect(doc.items[1].title == "第二条")
        #expect(doc.problems.contains { $0 == .bareAmpersands(count: 3) }, "\(doc.problems)")
        // A well-formed feed is read once, with no such note.
        let clean = try readFeedBytes(Array(rss(item("党建&amp;业务", day: 20)).utf8))
        #expect(clean.items.first?.title == "党建&业务")
        #expect(!clean.problems.contains { if case .bareAmpersands = $0 { true } else { false } })
    }

    @Test("a feed whose broken markup swallows items says how many item tags it had")
    func missingItemsAreCounted() throws {
        // An unclosed CDATA section hides everything after it, in libxml2 as in any recovering parser.
        let body = rss(item("第一条", day: 20) + "<item><title><![CDATA[第二条</title></item>\n" + item("第三条", day: 18))
        let doc = try readFeedBytes(Array(body.utf8))
        #expect(doc.items.count < 3)
        #expect(doc.problems.contains { if case .itemsMissing(tags: 3, _, element: "item") = $0 { true } else { false } })
    }

    @Test("a NUL byte does not drop the items after it; it is removed and noted")
    func nulByteKeepsLaterItems() throws {
        let items = (1...5).map { item("第\($0)条", day: 10 + $0) }
        var body = Array(rss(items.joined()).utf8)
        // Inside the first item's title, as a CMS pasting a C string would leave it.
        let at = try #require(index(of: "第1条", in: body))
        body.insert(0, at: at + 3)
        let doc = try readFeedBytes(body)
        #expect(doc.items.count == 5)
        #expect(doc.items.first?.title == "第1条")
        #expect(doc.items.last?.title == "第5条")
        #expect(doc.problems.contains { if case .nulBytesRemoved = $0 { true } else { false } })
    }

    @Test("a DOCTYPE whose internal subset has a ] in a comment, a > in a literal and a PI is blanked whole")
    func doctypeWithCommentIsBlankedWhole() throws {
        let doc = try readFeed("doctype-comment.xml")
        #expect(doc.items.map(\.title) == ["关于开展冬季消防检查的通知", "净月街道召开居民议事会"])
        #expect(doc.problems.contains { $0 == .doctypeIgnored })
    }

    @Test("200,000 nested tags inside an item: earlier items kept, later items read, the deep one noted")
    func deepNestingIsNoted() throws {
        let deep = "<item><title>深层条目</title><link>https://www.jingyue.gov.cn/n/19.html</link>"
            + "<pubDate>2026-11-19 10:00</pubDate><description>"
            + String(repeating: "<b>", count: 200_000) + "正文" + String(repeating: "</b>", count: 200_000)
            + "</description></item>\n"
        let body = rss(item("之前的条目", day: 20) + deep + item("之后的条目", day: 18))
        let doc = try readFeedBytes(Array(body.utf8))
        #expect(doc.items.first?.title == "之前的条目")
        #expect(doc.items.first?.publishedAt == china(2026, 11, 20, 10))
        #expect(doc.items.map(\.title).contains("深层条目"))
        #expect(doc.items.last?.title == "之后的条目")
        #expect(doc.problems.contains { if case .nestingFlattened = $0 { true } else { $0 == .nestingHalted } })
    }

    @Test("a title wrapped in 150 nested tags (within libxml2's limit) keeps its text", arguments: [65, 150, 250])
    func deeplyWrappedTitleKeepsItsText(depth: Int) throws {
        let title = String(repeating: "<b>", count: depth) + "深层标题" + String(repeating: "</b>", count: depth)
        let body = rss("<item><title>\(title)</title><link>https://www.jingyue.gov.cn/n/19.html</link>"
                       + "<pubDate>2026-11-19 10:00</pubDate></item>\n" + item("之后的条目", day: 18))
        let doc = try readFeedBytes(Array(body.utf8))
        #expect(doc.items.map(\.title) == ["深层标题", "之后的条目"], "\(doc.problems)")
    }

    @Test("unclosed deep nesting before an item's date: the date is still found and the item noted")
    func unclosedDeepNestingKeepsTheDate() throws {
        let deep = "<item><title>深层条目</title><description>" + String(repeating: "<b>", count: 200_000)
            + "正文</description><pubDate>2026-11-19 10:00</pubDate></item>\n"
        let body = rss(item("之前的条目", day: 20) + deep + item("之后的条目", day: 18))
        let doc = try readFeedBytes(Array(body.utf8))
        #expect(doc.items.first?.title == "之前的条目")
        let deepItem = try #require(doc.items.first { $0.title == "深层条目" })
        #expect(deepItem.publishedAt == china(2026, 11, 19, 10))
        #expect(doc.problems.contains { if case .nestingFlattened = $0 { true } else { $0 == .nestingHalted } })
    }

    @Test("a list page nested 200,000 deep keeps the items around the deep one, noted")
    func deepNestingInAListPage() throws {
        let page = "<html><body><ul class=\"news-list\">"
            + "<li><a href=\"a.html\">之前的条目</a><span class=\"date\">2026-11-20</span></li>"
            + "<li><a href=\"b.html\">深层条目</a><span class=\"date\">2026-11-19</span>"
            + String(repeating: "<div>", count: 200_000) + "正文" + String(repeating: "</div>", count: 200_000) + "</li>"
            + "<li><a href=\"c.html\">之后的条目</a><span class=\"date\">2026-11-18</span></li></ul></body></html>"
        let doc = try DocumentReader.read(Array(page.utf8), contentType: "text/html; charset=utf-8",
                                          baseURL: "https://www.jingyue.gov.cn/zwgk/index.html", profile: newsList,
                                          fetchedAt: fetchedAt)
        #expect(doc.items.map(\.title) == ["之前的条目", "深层条目", "之后的条目"])
        #expect(doc.problems.contains { if case .nestingFlattened = $0 { true } else { $0 == .nestingHalted } })
    }

    @Test("a UTF-8 feed with one invalid byte stays UTF-8, with U+FFFD and a note")
    func oneBadByteStaysUTF8() throws {
        var body = Array(rss(item("好的标题", day: 20) + item("通知", day: 19)).utf8)
        let at = try #require(index(of: "通知", in: body))
        body.insert(0xFF, at: at)
        let doc = try readFeedBytes(body)
        #expect(doc.charset == "UTF-8")
        #expect(doc.items.map(\.title) == ["好的标题", "\u{FFFD}通知"])
        #expect(doc.problems.contains { if case .undecodableBytes = $0 { true } else { false } })
    }

    @Test("an unlabelled UTF-8 feed with one invalid byte stays UTF-8")
    func oneBadByteUnlabelled() throws {
        var body = Array(("<rss version=\"2.0\"><channel>" + item("好的标题", day: 20) + "</channel></rss>").utf8)
        body.insert(0xC3, at: body.count - "</channel></rss>".utf8.count)
        let doc = try readFeedBytes(body, contentType: "application/xml")
        #expect(doc.charset == "UTF-8")
        #expect(doc.items.first?.title == "好的标题")
    }

    @Test("a GBK feed mislabelled UTF-8 is still read as GBK")
    func gbkFeedStillGBK() throws {
        let body = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>".utf8)
            + TextEncoding.gb18030(item("好的标题", day: 20)) + Array("</channel></rss>".utf8)
        let doc = try readFeedBytes(body)
        #expect(doc.charset == "GB18030")
        #expect(doc.items.first?.title == "好的标题")
    }

    @Test("full-length titles come out of the parser whole, however long")
    func longTitleIsWhole() throws {
        let title = String(repeating: "很长的标题", count: 2000)
        let doc = try readFeedBytes(Array(rss(item(title, day: 20)).utf8))
        #expect(doc.items.first?.title == title)
    }
}

@Suite("weak charset headers")
struct WeakHeaderTests {
    /// A list page in GBK with no charset label of its own.
    private func unlabelledGBKPage() -> [UInt8] {
        Array("<html><head><title>".utf8) + TextEncoding.gb18030("净月高新区通知公告") + Array("</title></head><body><ul class=\"news-list\"><li><a href=\"1.html\">".utf8)
            + TextEncoding.gb18030("关于做好冬季取暖安全工作的通知") + Array("</a><span class=\"date\">2026-11-20</span></li></ul></body></html>".utf8)
    }

    @Test("Tomcat's ISO-8859-1 header over an unlabelled GBK page: read as GB18030, noted")
    func latin1HeaderOverGBK() throws {
        let doc = try DocumentReader.read(unlabelledGBKPage(), contentType: "text/html; charset=ISO-8859-1",
                                          baseURL: "https://www.jingyue.gov.cn/zwgk/index.html", profile: newsList,
                                          fetchedAt: fetchedAt)
        #expect(doc.charset == "GB18030")
        #expect(doc.items.first?.title == "关于做好冬季取暖安全工作的通知")
        #expect(doc.problems.texts.contains { $0.contains("ISO-8859-1") && $0.contains("已忽略") })
    }

    @Test("a windows-1252 or latin1 header over GBK bytes is weak too", arguments: ["windows-1252", "latin1"])
    func otherWeakLabels(label: String) {
        let decoded = TextDecoding.decode(unlabelledGBKPage(), contentType: "text/html; charset=\(label)")
        #expect(decoded.charset == "GB18030")
        #expect(decoded.source == .sniffed)
    }

    @Test("an ISO-8859-1 header over real Latin-1 text stays windows-1252")
    func latin1HeaderOverLatin1() {
        // `Café déjà vu.` in Latin-1: accented letters before blanks and dots are no GB18030.
        let body = Array("<p>Caf".utf8) + [0xE9] + Array(" d".utf8) + [0xE9] + Array("j".utf8) + [0xE0] + Array(" vu.</p>".utf8)
        let decoded = TextDecoding.decode(body, contentType: "text/html; charset=ISO-8859-1")
        #expect(decoded.charset == "windows-1252")
        #expect(String(decoding: decoded.utf8, as: UTF8.self) == "<p>Café déjà vu.</p>")
    }

    @Test("an ISO-8859-1 header over valid UTF-8 Chinese reads UTF-8")
    func latin1HeaderOverUTF8() {
        let decoded = TextDecoding.decode(Array("<p>关于做好冬季取暖安全工作的通知</p>".utf8), contentType: "text/html; charset=ISO-8859-1")
        #expect(decoded.charset == "UTF-8")
    }
}
