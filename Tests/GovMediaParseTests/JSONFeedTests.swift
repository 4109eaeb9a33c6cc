import Foundation
import GovMediaCore
import GovMediaParse
import Testing

/// The URL RSSHub serves a JSON Feed from: a bridge host, not the site the items belong to.
private let bridgeURL = "http://rsshub:1200/weibo/user/1195230310?format=json"

private func readJSON(_ name: String, contentType: String? = "application/feed+json; charset=UTF-8",
                      baseURL: String = bridgeURL) throws -> ParsedDocument {
    try DocumentReader.read(try fixture(name), contentType: contentType, baseURL: baseURL, profile: .feed,
                            fetchedAt: fetchedAt)
}

private func readJSON(text: String, contentType: String? = "application/feed+json",
                      baseURL: String = bridgeURL) throws -> ParsedDocument {
    try DocumentReader.read(Array(text.utf8), contentType: contentType, baseURL: baseURL, profile: .feed,
                            fetchedAt: fetchedAt)
}

/// The ParseError `body` throws, or nil when it reads.
private func parseError(_ body: [UInt8], contentType: String? = "application/feed+json") -> ParseError? {
    do throws(ParseError) {
        _ = try DocumentReader.read(body, contentType: contentType, baseURL: bridgeURL, profile: .feed, fetchedAt: fetchedAt)
        return nil
    } catch {
        return error
    }
}

/// A JSON Feed 1.1 body with `items` as given.
private func feed(items: String, extra: String = "") -> String {
    #"{"version":"https://jsonfeed.org/version/1.1","title":"某区发布"\#(extra),"items":[\#(items)]}"#
}

@Suite("JSON Feed: RSSHub 1.1")
struct RSSHubJSONFeedTests {
    @Test("RSSHub's JSON Feed is read as a JSON Feed with its titles, links and ids")
    func titlesLinksAndIDs() throws {
        let doc = try readJSON("rsshub-weibo.json")
        #expect(doc.kind == .jsonFeed)
        #expect(doc.items.count == 3)
        #expect(doc.items[0].title == "【通知】关于做好冬季供暖工作的通告 [图片]")
        #expect(doc.items[1].title == "【提醒】寒潮蓝色预警：明日起气温下降8至10℃")
        #expect(doc.items[0].link == "https://weibo.com/1195230310/P1a2B3c4D")
        #expect(doc.items[0].guid == "https://weibo.com/1195230310/P1a2B3c4D")
        #expect(doc.charset == "UTF-8")
    }

    @Test("date_published is read as an instant, and preferred to date_modified")
    func datesAreInstants() throws {
        let doc = try readJSON("rsshub-weibo.json")
        #expect(doc.items[0].publishedAt == china(2026, 11, 23, 9, 30))
        #expect(doc.items[0].dateText == "2026-11-23T01:30:00.000Z")
        #expect(doc.items[1].publishedAt == china(2026, 11, 23, 7, 5))
    }

    @Test("content_html becomes a summary without markup, as RSS descriptions do")
    func summaryWithoutMarkup() throws {
        let doc = try readJSON("rsshub-weibo.json")
        #expect(doc.items[0].summary == "【通知】关于做好冬季供暖工作的通告   #冬季供暖#")
        #expect(doc.items[1].summary == "【提醒】寒潮蓝色预警：明日起气温下降8至10℃  请市民注意 防寒保暖 。")
        #expect(doc.items.allSatisfy { !($0.summary ?? "").contains("<") })
    }

    @Test("a Kuaishou item without title, url or date: titled from its first line of text, no link, undated")
    func kuaishouItem() throws {
        let doc = try readJSON("rsshub-weibo.json")
        let item = doc.items[2]
        #expect(item.title == "县融媒：冬季供暖入户检查走访 #民生#")
        #expect(item.link == nil)
        #expect(item.guid == "3xk46q9cdnvgife_5212345678901234567")
        #expect(item.publishedAt == nil)
        #expect(item.dateText == nil)
        #expect(doc.problems.contains(.titlesFromText(count: 1, maxLength: 80)))
    }
}

@Suite("JSON Feed: wewe-rss 1.0")
struct WeweRSSJSONFeedTests {
    @Test("a JSON Feed 1.0 with title, url and a date only is read")
    func titleURLAndDateOnly() throws {
        let doc = try readJSON("wewe-rss.json", contentType: "application/feed+json; charset=utf-8",
                               baseURL: "http://wewe-rss:4000/feeds/MP_WXS_3256040863.json")
        #expect(doc.kind == .jsonFeed)
        #expect(doc.items.map(\.title) == ["市政府常务会议研究部署冬季供暖保障工作", "关于2026年度政务公开工作的公告"])
        #expect(doc.items[0].link == "https://mp.weixin.qq.com/s/Xy7_AbCdEfGhIjKlMnOp")
        #expect(doc.items[0].publishedAt == china(2026, 11, 23, 10))
        #expect(doc.items.allSatisfy { $0.summary == nil })
        #expect(doc.problems.isEmpty)
    }

    @Test("an item with only date_modified (the npm feed package's item.date) is dated by it")
    func dateModifiedOnly() throws {
        let doc = try readJSON("wewe-rss.json")
        #expect(doc.items[1].publishedAt == china(2026, 11, 20, 16, 30))
        #expect(doc.items[1].dateText == "2026-11-20T08:30:00.000Z")
    }
}

@Suite("JSON Feed: detection")
struct JSONFeedDetectionTests {
    @Test("a body starting with { with a jsonfeed.org version is a JSON Feed whatever the Content-Type says",
          arguments: [nil, "text/html; charset=utf-8", "text/plain"])
    func sniffedFromBody(contentType: String?) throws {
        let doc = try readJSON(text: "\n  " + feed(items: #"{"id":"1","title":"标题"}"#), contentType: contentType)
        #expect(doc.kind == .jsonFeed)
        #expect(doc.items.map(\.title) == ["标题"])
    }

    @Test("a JSON Content-Type without a version is read as JSON Feed, noted", arguments: ["application/json", "Application/JSON; charset=UTF-8"])
    func contentTypeWithoutVersion(contentType: String) throws {
        let doc = try readJSON(text: #"{"items":[{"id":"1","title":"标题"}]}"#, contentType: contentType)
        #expect(doc.kind == .jsonFeed)
        #expect(doc.items.count == 1)
        #expect(doc.problems.contains(.jsonFeedUnversioned))
    }

    @Test("a { body without a jsonfeed.org version and no JSON Content-Type is refused as not a feed")
    func sniffedWithoutVersionRefused() {
        let error = parseError(Array(#"{"items":[{"id":"1","title":"标题"}]}"#.utf8), contentType: "text/html")
        #expect(error?.message.contains("不是 RSS/Atom/JSON Feed 订阅源") == true)
    }

    @Test("RSS served as application/json is still read as RSS")
    func xmlUnderJSONContentType() throws {
        let doc = try readFeed("rss2.xml", contentType: "application/json")
        #expect(doc.kind == .rss)
        #expect(doc.items.count == 3)
    }

    @Test("relative item urls resolve against home_page_url, not the bridge's URL")
    func relativeURLAgainstHomePage() throws {
        let doc = try readJSON(text: feed(items: #"{"id":"1","title":"标题","url":"/news/a1.html"}"#,
                                          extra: #","home_page_url":"https://www.jingyue.gov.cn/zwgk/""#))
        #expect(doc.items[0].link == "https://www.jingyue.gov.cn/news/a1.html")
    }

    @Test("without home_page_url, relative item urls resolve against the final URL")
    func relativeURLAgainstBaseURL() throws {
        let doc = try readJSON(text: feed(items: #"{"id":"1","title":"标题","url":"a1.html"}"#),
                               baseURL: "https://www.jingyue.gov.cn/feeds/main.json")
        #expect(doc.items[0].link == "https://www.jingyue.gov.cn/feeds/a1.html")
    }

    @Test("the link falls back to external_url, then to an http(s) id, and never to a plain id")
    func linkFallbacks() throws {
        let doc = try readJSON(text: feed(items: """
            {"id":"x1","title":"外链","external_url":"https://www.gov.cn/a.html"},
            {"id":"https://www.jingyue.gov.cn/b.html","title":"编号是网址"},
            {"id":"tag:jingyue,2026:3","title":"编号不是网址"}
            """))
        #expect(doc.items.map(\.link) == ["https://www.gov.cn/a.html", "https://www.jingyue.gov.cn/b.html", nil])
    }

    @Test("content_text is preferred to content_html for the summary and a missing title")
    func contentTextPreferred() throws {
        let doc = try readJSON(text: feed(items: #"{"id":"1","content_text":"\n第一行文字\n第二行","content_html":"<p>网页正文</p>"}"#))
        #expect(doc.items[0].summary == "第一行文字\n第二行")
        #expect(doc.items[0].title == "第一行文字")
    }

    @Test("a title taken from the text is at most 80 characters")
    func derivedTitleCapped() throws {
        let long = String(repeating: "政务公开", count: 40)
        let doc = try readJSON(text: feed(items: #"{"id":"1","content_html":"<p>\#(long)</p><p>第二段</p>"}"#))
        #expect(doc.items[0].title == String(long.prefix(80)))
    }

    @Test("more items than the reader's limit are cut there, noted")
    func tooManyItems() throws {
        let items = (0...DocumentReader.maxItems).map { #"{"id":"\#($0)","title":"条目\#($0)"}"# }.joined(separator: ",")
        let doc = try readJSON(text: feed(items: items))
        #expect(doc.items.count == DocumentReader.maxItems)
        #expect(doc.problems.contains(.tooManyItems(limit: DocumentReader.maxItems)))
    }
}

@Suite("JSON Feed: bad input")
struct JSONFeedBadInputTests {
    @Test("RSSHub's JSON error body is refused with the bridge's own message")
    func rsshubErrorBody() throws {
        let error = parseError(try fixture("rsshub-error.json"), contentType: "application/json; charset=utf-8")
        #expect(error?.message == "数据源返回错误：Cookies expired. Please update WEIBO_COOKIES")
        #expect(error?.bridgeMessage == "Cookies expired. Please update WEIBO_COOKIES")
    }

    @Test("an error body is refused even when no JSON Content-Type came with it")
    func errorBodyWithoutContentType() throws {
        let error = parseError(try fixture("rsshub-error.json"), contentType: "text/html")
        #expect(error?.bridgeMessage == "Cookies expired. Please update WEIBO_COOKIES")
    }

    @Test("wewe-rss's unknown-feed answer is refused with its message")
    func weweRSSUnknownFeed() {
        let error = parseError(Array(#"{"statusCode":400,"message":"不存在该feed！"}"#.utf8), contentType: "application/json")
        #expect(error?.message == "数据源返回错误：不存在该feed！")
    }

    @Test("malformed JSON is a parse error naming the byte where it broke")
    func malformedNamesTheByte() throws {
        let body = try fixture("malformed.json")
        // Foundation stops at the second comma of `,,`; the message counts bytes from 1.
        let secondComma = try #require(body.indices.first { body[$0] == 0x2C && body[$0 + 1] == 0x2C }) + 1
        let error = parseError(body)
        #expect(error?.message == "JSON 格式错误（第 \(secondComma + 1) 字节附近）：无法解析")
    }

    @Test("truncated JSON is a parse error saying it ended early")
    func truncated() throws {
        let error = parseError(Array(#"{"version":"https://jsonfeed.org/version/1.1","items":[{"title":"中文"#.utf8))
        #expect(error?.message.hasPrefix("JSON 格式错误") == true)
        #expect(error?.message.contains("截断") == true)
    }

    @Test("a JSON Feed without items is refused naming items")
    func itemsMissing() {
        let error = parseError(Array(#"{"version":"https://jsonfeed.org/version/1.1","title":"某区发布"}"#.utf8))
        #expect(error?.message.contains("items") == true)
        #expect(error?.bridgeMessage == nil)
    }

    @Test("a JSON Feed whose items is not an array is refused naming items")
    func itemsNotArray() {
        let error = parseError(Array(#"{"version":"https://jsonfeed.org/version/1.1","items":{"id":"1"}}"#.utf8))
        #expect(error?.message == "JSON Feed 的 items 不是数组，无法读取条目")
    }

    @Test("a top-level JSON array under a JSON Content-Type is refused")
    func topLevelArray() {
        let error = parseError(Array(#"[{"id":"1"}]"#.utf8), contentType: "application/json")
        #expect(error?.message.contains("顶层") == true)
    }

    @Test("items of the wrong shape are skipped, each noted with its index; the good ones are read")
    func wrongTypesSkipped() throws {
        let doc = try readJSON("wrong-types.json")
        #expect(doc.items.map(\.title) == ["正常条目", "数字编号"])
        #expect(doc.problems.contains(.jsonFeedItemSkipped(index: 0, reason: .notAnObject)))
        #expect(doc.problems.contains(.jsonFeedItemSkipped(index: 2, reason: .notStrings(["title"]))))
        #expect(doc.problems.contains(.jsonFeedItemSkipped(index: 3, reason: .notStrings(["date_published"]))))
        #expect(doc.problems.contains(.jsonFeedItemSkipped(index: 5, reason: .empty)))
        // What the officer reads of it.
        #expect(doc.problems.texts.contains("第 6 个条目（items[5]）没有标题、链接、编号或正文，已跳过"))
    }

    @Test("beside skipped items, good items keep their links, dates and numeric ids")
    func goodItemsBesideWrongOnes() throws {
        let doc = try readJSON("wrong-types.json")
        #expect(doc.items[0].link == "https://www.jingyue.gov.cn/news/a1.html")
        #expect(doc.items[0].publishedAt == china(2026, 11, 21, 8))
        #expect(doc.items[1].guid == "20261122")
        #expect(doc.items[1].link == "https://www.jingyue.gov.cn/news/a4.html")
        #expect(doc.items[1].publishedAt == nil)
    }

    @Test("a thousand broken items give ten notes and a count, not a thousand lines")
    func skippedNotesCapped() throws {
        let doc = try readJSON(text: feed(items: Array(repeating: "1", count: 1000).joined(separator: ",")))
        #expect(doc.items.isEmpty)
        #expect(doc.problems.count == 11)
        #expect(doc.problems.last == .moreItemsSkipped(count: 990))
    }

    @Test("100,000 nested arrays are refused as too deep without crashing")
    func deepNestingRefused() {
        let body = Array(repeating: UInt8(ascii: "["), count: 100_000) + Array(repeating: UInt8(ascii: "]"), count: 100_000)
        let error = parseError(body, contentType: "application/json")
        #expect(error?.message.contains("嵌套超过 512 层") == true)
    }

    @Test("100,000 nested arrays inside an item are refused as too deep without crashing")
    func deepNestingInsideItem() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = parseError(Array(feed(items: #"{"id":"1","title":\#(deep)}"#).utf8))
        #expect(error?.message.contains("嵌套超过 512 层") == true)
    }

    @Test("random bytes after a { never crash the JSON reader")
    func hostileBytes() {
        var generator = SystemRandomNumberGenerator()
        for n in 0..<300 {
            let bytes = [UInt8(ascii: "{")] + (0..<(n * 7 % 2000 + 1)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? DocumentReader.read(bytes, contentType: "application/json", baseURL: bridgeURL, profile: .feed, fetchedAt: fetchedAt)
        }
    }
}
