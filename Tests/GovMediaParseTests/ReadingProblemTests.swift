import Foundation
import GovMediaCore
import GovMediaParse
import Testing

extension Array where Element == ReadingProblem {
    /// The sentences officers read, for the tests that check the wording.
    var texts: [String] { map(\.description) }
}

@Suite("reading problems")
struct ReadingProblemTests {
    @Test("each problem is worded for officers with its figures, and says what was done about it", arguments: [
        (ReadingProblem.nulBytesRemoved(count: 2), "内容含 2 个 NUL（0x00）字节，已删除后再解析（否则其后的条目会全部丢失）"),
        (.unknownCharset(label: "x-foo", place: .header), "无法识别 HTTP 头中的字符集“x-foo”，已忽略"),
        (.unknownCharset(label: "x-foo", place: .meta), "无法识别 <meta> 标签中的字符集“x-foo”，已忽略"),
        (.fieldEmptyEverywhere(field: .title, expression: .xpath, count: 4, value: "a/@title"),
         "标题 XPath 在全部 4 个条目中都没有取到值：a/@title"),
        (.noItemsMatched(expression: .htmlStepXPath, item: "//li"), "HTML 步骤的条目 XPath 没有匹配到任何条目：//li"),
        (.asciiLabelSaysUTF16(label: "utf-16", place: .xmlDeclaration), "XML 声明中的字符集为 utf-16，但内容与 ASCII 兼容，不可能是 UTF-16，已忽略"),
        (.recoveredXMLErrors(["Opening and ending tag mismatch: b line 3\n<b>正文\n"]), "XML 有错误，已尽量恢复：Opening and ending tag mismatch: b line 3 <b>正文"),
        (.jsonFeedItemSkipped(index: 2, reason: .notStrings(["title", "url"])), "第 3 个条目（items[2]）的 title、url 不是字符串，已跳过"),
        (.pagingStopped(requested: 3, read: 1), "分页读取：共请求 3 页，第 2 页为空、失败或没有新条目，读到第 1 页为止"),
        (.recoveredXMLErrors(["a", "b", "c", "d"]), "XML 有错误，已尽量恢复：a；b；c"),
    ])
    func worded(problem: ReadingProblem, text: String) {
        #expect(problem.description == text)
    }

    @Test("a probe of a feed with a bare & and a NUL lists each note once (its own parse and the reader's both meet them)")
    func probeNotesOnce() {
        let feed = "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>净月</title>"
            + "<item><title>党建&业务</title><link>https://www.jingyue.gov.cn/a.html</link><pubDate>Thu, 19 Nov 2026 10:00:00 +0800</pubDate></item>"
            + "</channel></rss>"
        let r = ListProbe.probe(Array(feed.utf8) + [0], contentType: "application/rss+xml", baseURL: "https://www.jingyue.gov.cn/",
                                fetchedAt: Date())
        #expect(r.document?.items.first?.title == "党建&业务")
        #expect(r.problems.filter { $0 == .bareAmpersands(count: 1) }.count == 1, "\(r.problems)")
        #expect(r.problems.filter { $0 == .nulBytesRemoved(count: 1) }.count == 1, "\(r.problems)")
    }
}
