import Foundation
import GovMediaCore
import GovMediaParse
import Testing

/// The fetch time every fixture is read against: 2026-11-24 12:00 China time.
let fetchedAt = ChinaTime.instant(CivilDate(year: 2026, month: 11, day: 24)!, hour: 12)

func fixture(_ name: String) throws -> [UInt8] {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
    return [UInt8](try Data(contentsOf: url))
}

func china(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0) -> Date {
    ChinaTime.instant(CivilDate(year: y, month: m, day: d)!, hour: h, minute: mi)
}

func readFeed(_ name: String, contentType: String? = "application/rss+xml") throws -> ParsedDocument {
    try DocumentReader.read(try fixture(name), contentType: contentType, baseURL: "https://www.jingyue.gov.cn/feeds/main.xml",
                            profile: .feed, fetchedAt: fetchedAt)
}

let newsList = ReadingProfile.htmlList(item: "//ul[@class='news-list']/li", title: "a", link: "a/@href", date: "span[@class='date']")
let videoList = ReadingProfile.htmlList(item: "//div[@class='video-item']", title: ".//p[@class='title']", link: ".//a/@href",
                                        date: ".//span[@class='time']")

func readList(_ name: String, _ profile: ReadingProfile = newsList, contentType: String? = "text/html") throws -> ParsedDocument {
    try DocumentReader.read(try fixture(name), contentType: contentType, baseURL: "https://www.jingyue.gov.cn/zwgk/index.html",
                            profile: profile, fetchedAt: fetchedAt)
}

@Suite("feeds")
struct FeedTests {
    @Test("RSS 2.0: titles trimmed, links absolute, dates in any zone, undated items null")
    func rss2() throws {
        let doc = try readFeed("rss2.xml")
        #expect(doc.kind == .rss)
        #expect(doc.items.map(\.title) == ["净月高新区召开2026年冬季安全生产工作会议", "关于调整冬季供暖时间的通知", "没有日期的条目"])
        #expect(doc.items[0].link == "https://www.jingyue.gov.cn/news/2026/11/20/a1.html")
        #expect(doc.items[0].guid == "jy-2026-1120-a1")
        #expect(doc.items[0].publishedAt == china(2026, 11, 20, 9, 30))
        #expect(doc.items[1].publishedAt == china(2026, 11, 18, 8))
        #expect(doc.items[2].publishedAt == nil)
        #expect(doc.items[0].summary == "会议要求 压实责任 。")
    }

    @Test("RSS 1.0 (RDF) is detected from the document and read")
    func rss1() throws {
        let doc = try readFeed("rss1.rdf", contentType: "text/xml")
        #expect(doc.kind == .rdf)
        #expect(doc.items.count == 2)
        #expect(doc.items[0].publishedAt == china(2026, 11, 19, 15))
        #expect(doc.items[1].publishedAt == china(2026, 11, 10))
        #expect(doc.items[0].guid == "https://www.jingyue.gov.cn/jy/1.html")
    }

    @Test("Atom: alternate link resolved, published preferred to updated, markup in a type=\"html\" title taken out")
    func atom() throws {
        let doc = try readFeed("atom.xml", contentType: "text/html")
        #expect(doc.kind == .atom)
        #expect(doc.items[0].title == "流感季疫苗接种点公布")
        #expect(doc.items[0].link == "https://www.jingyue.gov.cn/feeds/entries/flu.html")
        #expect(doc.items[0].publishedAt == china(2026, 11, 21, 16))
        #expect(doc.items[1].publishedAt == china(2026, 11, 15, 10))
    }

    @Test("broken XML is recovered and the problem recorded")
    func broken() throws {
        let doc = try readFeed("broken.xml")
        #expect(doc.items.count >= 1)
        #expect(doc.items[0].title.contains("占道经营整治"))
        #expect(doc.items[0].publishedAt == china(2026, 11, 20, 10))
        #expect(doc.problems.contains { if case .recoveredXMLErrors = $0 { true } else { false } })
    }

    @Test("a billion-laughs feed is read harmlessly and fast")
    func billionLaughs() throws {
        let start = Date()
        let doc = try readFeed("billion-laughs.xml")
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(doc.items.count == 1)
        #expect(!doc.items[0].title.contains("lol"))
        #expect(doc.problems.contains { $0 == .doctypeIgnored })
    }

    @Test("external entities are never read")
    func externalEntity() throws {
        let hostname = (try? String(contentsOfFile: "/etc/hostname", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "<none>"
        let doc = try readFeed("xxe.xml")
        #expect(doc.items.count == 1)
        #expect(!doc.items[0].title.contains(hostname))
        #expect(doc.items[0].title.hasPrefix("泄露"))
    }

    @Test("an HTML page given as a feed is refused with a clear message")
    func notAFeed() throws {
        #expect {
            _ = try readFeed("list.html")
        } throws: { error in
            "\(error)".contains("不是 RSS/Atom 订阅源")
        }
    }

    @Test("random bytes never crash the readers")
    func hostileBytes() {
        var generator = SystemRandomNumberGenerator()
        for n in 0..<300 {
            let bytes = (0..<(n * 7 % 2000 + 1)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? DocumentReader.read(bytes, contentType: nil, baseURL: "https://x.gov.cn/", profile: .feed, fetchedAt: fetchedAt)
            _ = try? DocumentReader.read(bytes, contentType: nil, baseURL: "https://x.gov.cn/", profile: newsList, fetchedAt: fetchedAt)
        }
    }
}

@Suite("HTML list pages")
struct ListPageTests {
    @Test("titles are trimmed string values, links resolve against the final URL, dates in every form")
    func list() throws {
        let doc = try readList("list.html")
        #expect(doc.kind == .htmlList)
        #expect(doc.items.map(\.title) == ["净月高新区召开党工委扩大会议", "关于公布2026年第三批行政许可事项的公告", "旧闻"])
        #expect(doc.items.map(\.link) == ["https://www.jingyue.gov.cn/zwgk/2026/11/t20261120_1.html",
                                          "https://www.jingyue.gov.cn/zwgk/t20261117_2.html",
                                          "https://www.jingyue.gov.cn/zwgk/old.html"])
        #expect(doc.items.map(\.publishedAt) == [china(2026, 11, 20), china(2026, 11, 17), china(2026, 10, 5)])
    }

    @Test("a GB2312 page with its meta deep in head keeps its Chinese titles")
    func gbk() throws {
        let doc = try readList("list-gbk.html", contentType: "text/html")
        #expect(doc.charset == "GB18030")
        #expect(doc.items.map(\.title) == ["关于做好冬季取暖安全工作的通知", "净月街道开展“邻里节”活动"])
        #expect(doc.items[1].publishedAt == china(2026, 11, 6))
    }

    @Test("a GBK page mislabelled UTF-8 by the server still reads")
    func mislabelled() throws {
        let doc = try readList("list-gbk.html", contentType: "text/html; charset=utf-8")
        #expect(doc.items.first?.title == "关于做好冬季取暖安全工作的通知")
        #expect(!doc.problems.isEmpty)
    }

    @Test("relative dates are read against the fetch time")
    func relative() throws {
        let doc = try readList("list-relative.html", videoList)
        #expect(doc.items.map(\.publishedAt) == [
            fetchedAt, fetchedAt.addingTimeInterval(-3 * 3600), china(2026, 11, 23, 18, 30),
            fetchedAt.addingTimeInterval(-5 * 86400), china(2026, 11, 2),
        ])
    }

    @Test("a page with no dates gives posts with null dates, never the fetch time")
    func undated() throws {
        let doc = try readList("list-undated.html")
        #expect(doc.items.count == 2)
        #expect(doc.items.allSatisfy { $0.publishedAt == nil })
    }

    @Test("an item XPath that matches nothing is recorded as a problem")
    func noMatch() throws {
        let doc = try readList("list.html", .htmlList(item: "//table/tr", title: "a", link: "a/@href", date: "span"))
        #expect(doc.items.isEmpty)
        #expect(doc.problems.texts.contains { $0.contains("没有匹配") })
    }
}
