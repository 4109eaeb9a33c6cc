import Foundation
import GovMediaCore
@testable import GovMediaParse
import Testing

/// JS data files that are not strict JSON: read by the JS-literal fallback when Foundation's
/// parser refuses them; and hostile bodies, which must end in an error naming the byte, fast.
@Suite("tolerant JS data reader")
struct JSLiteralTests {
    let listProfile = ReadingProfile.jsonList(JSONListProfile(items: "data.list", title: "title", link: "url", date: "time"))

    @Test("bare keys, single quotes, trailing commas, comments, hex and undefined are read as their JSON would be")
    func looseLiteral() throws {
        let body = """
            // 栏目数据，由 CMS 生成
            var pageData = {
              data: {
                total: 0x3, /* three */
                list: [
                  {title: '净月高新区召开\\'冬季\\'安全生产会议', url: '/art/2026/11/20/1.html', time: '2026-11-20', extra: undefined,},
                  {'title': "第二条：\\u5e02\\u653f", url: `/art/2026/11/19/2.html`, time: 1763510400000, },
                  {title: '第三条', url: '/art/2026/11/18/3.html', time: "2026年11月18日", top: true, score: -1.5e2},
                ],
              },
            };
            """
        let doc = try readBody(body, listProfile)
        #expect(doc.items.map(\.title) == ["净月高新区召开'冬季'安全生产会议", "第二条：市政", "第三条"])
        #expect(doc.items.map(\.link) == ["https://www.jingyue.gov.cn/art/2026/11/20/1.html", "https://www.jingyue.gov.cn/art/2026/11/19/2.html",
                                          "https://www.jingyue.gov.cn/art/2026/11/18/3.html"])
        #expect(doc.items[0].publishedAt == china(2026, 11, 20))
        #expect(doc.items[1].publishedAt == Date(timeIntervalSince1970: 1_763_510_400))
        #expect(doc.items[2].publishedAt == china(2026, 11, 18))
        let value = try #require(try JSONListReader.parse(Array(body.utf8)).value as? [String: Any])
        let data = try #require(value["data"] as? [String: Any])
        #expect((data["total"] as? NSNumber)?.intValue == 3)
        let third = try #require((data["list"] as? [Any])?.last as? [String: Any])
        #expect((third["score"] as? NSNumber)?.doubleValue == -150)
        #expect((third["top"] as? NSNumber).map(JSONListReader.isBoolean) == true)
    }

    @Test("the real Shanghai 卫健委 page as a template literal inside an object literal: 20 posts, 11 to WeChat")
    func realWorldTemplateInObject() throws {
        let file = try fixture("cms/list_shanghai_wsjkw_yqtb_2022.js")
        // `export default `…`` as a member of a loose object: bare key, trailing comma, a comment.
        let template = Array(file.drop { $0 != UInt8(ascii: "`") })
        let body = Array("window.yqtb = {\n  // 疫情通报\n  html: ".utf8) + template + Array(",\n  total: 20,\n};\n".utf8)
        let doc = try DocumentReader.read(body, contentType: nil, baseURL: "https://wsjkw.sh.gov.cn/yqtb/index.html", profile: .jsonList(JSONListProfile(
            items: "html", html: HTMLStep(item: "//li[span[@class='time']]", title: "a/@title", link: "a/@href", date: "span[@class='time']"))),
            fetchedAt: fetchedAt)
        #expect(doc.items.count == 20)
        #expect(doc.items.filter { $0.link?.hasPrefix("https://mp.weixin.qq.com/") == true }.count == 11)
        #expect(doc.items[0].publishedAt == china(2022, 4, 27))
    }

    @Test("the probe finds the list in a loose JS data file")
    func probeLoose() {
        let items = (1...4).map { "{title:'净月高新区第\($0)号通知公告', url:'/tzgg/\($0).html', pubDate:'2026-11-2\($0)',}" }.joined(separator: ",\n")
        let r = ListProbe.probe(Array("var list = [\n\(items),\n]; // end".utf8), contentType: nil, baseURL: columnURL, fetchedAt: fetchedAt)
        #expect(r.format == .javascript)
        #expect(r.document?.items.map(\.title) == (1...4).map { "净月高新区第\($0)号通知公告" })
        #expect(r.document?.items.allSatisfy { $0.publishedAt != nil } == true)
    }

    @Test("bad literals are errors naming the byte where reading stopped", arguments: [
        ("var d = {title 'a'};", 16, "成员名后应为 `:`"),
        ("var d = {list: [1 2]};", 19, "元素之间应为 `,`"),
        ("var d = {a: 1 b: 2};", 15, "成员之间应为 `,`"),
        ("var d = {a: foo()};", 13, "不是可读取的值（不执行脚本）：foo"),
        ("var d = {a: 'x\ny'};", 15, "字符串在行尾没有闭合"),
        ("var d = {a: [1, 2", 18, "内容在中途结束"),
        ("{a: 1} {b: 2}", 8, "值之后还有多余的内容"),
    ])
    func errors(body: String, byte: Int, reason: String) {
        #expect {
            try JSONListReader.parse(Array(body.utf8))
        } throws: { error in
            let message = (error as? ParseError)?.message ?? ""
            return message.hasPrefix("JSON 格式错误（第 \(byte) 字节附近）：") && message.contains(reason)
        }
    }

    /// Runs `body` through the reader on a thread of its own (a stall holds no test thread),
    /// and says how long it took and what it threw.
    func timed(_ body: [UInt8]) async -> (seconds: Double, error: String?) {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                let clock = ContinuousClock()
                var message: String?
                let took = clock.measure {
                    do throws(ParseError) { _ = try JSONListReader.parse(body) } catch { message = error.message }
                }
                let seconds = Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18
                continuation.resume(returning: (seconds, message))
            }
            thread.start()
        }
    }

    @Test("100,000 levels of nesting: an error at the limit, no crash")
    func deepNesting() async {
        let open = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        let looseOpen = Array(String(repeating: "{a:", count: 100_000).utf8)
        for body in [Array("var d = ".utf8) + open, looseOpen] {
            let r = await timed(body)
            #expect(r.error?.contains("嵌套超过 \(JSLiteral.maxDepth) 层") == true, "\(r.error ?? "no error")")
            #expect(r.seconds < 5)
        }
    }

    @Test("an unterminated string or template literal in 10 MB: an error naming where it began, quickly")
    func unterminated() async {
        let filler = [UInt8](repeating: UInt8(ascii: "x"), count: 10_000_000)
        let template = await timed(Array("var d = {html: `".utf8) + filler)
        #expect(template.error == "JSON 格式错误（第 16 字节附近）：字符串没有闭合（可能被截断）")
        #expect(template.seconds < 10)
        let quoted = await timed(Array("var d = {title: 'abc".utf8) + filler)
        #expect(quoted.error?.contains("字符串没有闭合") == true)
        #expect(quoted.seconds < 10)
    }

    @Test("10 MB of loose items is read in one pass, without stalling")
    func tenMegabytes() async {
        let item = Array("{title:'净月高新区通知公告第一批次名单公示',url:'/tzgg/2026/11/20/art_1.html',time:'2026-11-20',},\n".utf8)
        var body = Array("var data = {list: [\n".utf8)
        body.reserveCapacity(10_100_000)
        while body.count < 10_000_000 { body += item }
        body += Array("]};".utf8)
        let r = await timed(body)
        #expect(r.error == nil, "\(r.error ?? "")")
        #expect(r.seconds < 30)
    }
}
