import Foundation
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
        (.unknownCharset(label: "x-foo", place: .meta), "无法识别<meta>中的字符集“x-foo”，已忽略"),
        (.fieldEmptyEverywhere(field: .title, expression: .xpath, count: 4, value: "a/@title"),
         "标题 XPath 在全部 4 个条目中都没有取到值：a/@title"),
        (.noItemsMatched(expression: .htmlStepXPath, item: "//li"), "HTML 步骤的条目 XPath没有匹配到任何条目：//li"),
        (.jsonFeedItemSkipped(index: 2, reason: .notStrings(["title", "url"])), "第 3 个条目（items[2]）的 title、url 不是字符串，已跳过"),
        (.pagingStopped(requested: 3, read: 1), "分页读取：共请求 3 页，第 2 页为空、失败或没有新条目，读到第 1 页为止"),
        (.recoveredXMLErrors(["a", "b", "c", "d"]), "XML 有错误，已尽量恢复：a；b；c"),
    ])
    func worded(problem: ReadingProblem, text: String) {
        #expect(problem.description == text)
    }

    @Test("a probe that cannot read the body names the error once, among its problems")
    func probeErrorOnce() {
        let r = ListProbe.probe(Array("{\"rows\": [1, 2".utf8), contentType: "application/json", baseURL: "https://x.gov.cn/", fetchedAt: Date())
        #expect(r.error != nil)
        #expect(r.problems.count == 1, "\(r.problems)")
        #expect(r.problems.first.map { if case .unreadable = $0 { true } else { false } } == true)
    }
}
