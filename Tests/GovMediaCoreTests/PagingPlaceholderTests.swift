import Foundation
import GovMediaCore
import Testing

/// `source.request` placeholders: what each page gets, and what an import refuses.
@Suite("paging placeholders")
struct PagingPlaceholderTests {
    /// A website entry reading `url` as an HTML list with `request`.
    func entry(url: String, request: String) -> String {
        entryJSON([
            "id": "\"trs-col\"", "platform": "\"website\"", "url": "\"\(url)\"",
            "source": "{\"kind\": \"html\", \"item\": \"//li\", \"title\": \"a\", \"link\": \"a/@href\", \"date\": \"span\", \"request\": \(request)}",
        ])
    }

    @Test("{page_suffix} is empty on page 1 and _1, _2 … after it: TRS WCM's index.html, index_1.html …")
    func pageSuffix() {
        let r = SourceRequest(pages: 3)
        let url = "https://www.example.gov.cn/col/tzgg/index{page_suffix}.html"
        #expect((1...3).map { r.fill(url, page: $0) } == [
            "https://www.example.gov.cn/col/tzgg/index.html",
            "https://www.example.gov.cn/col/tzgg/index_1.html",
            "https://www.example.gov.cn/col/tzgg/index_2.html",
        ])
    }

    @Test("{page_suffix} sits beside {page}, {start} and {end} in one text")
    func allPlaceholders() {
        let r = SourceRequest(pageSize: 10)
        #expect(r.fill("p={page}&s={page_suffix}&a={start}&b={end}", page: 2) == "p=2&s=_1&a=11&b=20")
    }

    @Test("a register entry with {page_suffix} in its url imports, and the form and JSON body take it too")
    func imports() throws {
        let accounts = try RegisterFile.decode(registerJSON([
            entry(url: "https://www.example.gov.cn/col/index{page_suffix}.html", request: "{\"pages\": 2}"),
        ]))
        #expect(accounts[0].url.text.hasSuffix("index{page_suffix}.html"))
        #expect(accounts[0].request?.pages == 2)
        let form = SourceRequest(method: .post, form: ["p": "{page_suffix}"], pages: 2)
        #expect(String(decoding: form.body(page: 2)!.bytes, as: UTF8.self) == "p=_1")
        let json = SourceRequest(method: .post, json: #"{"p":"index{page_suffix}"}"#, pages: 2)
        #expect(String(decoding: json.body(page: 1)!.bytes, as: UTF8.self) == #"{"p":"index"}"#)
    }

    @Test("an unknown placeholder is refused naming the entry and the field", arguments: [
        ("https://www.example.gov.cn/col/index{pagesuffix}.html", "{\"pages\": 2}", "url", "{pagesuffix}"),
        ("https://www.example.gov.cn/list", "{\"method\": \"POST\", \"form\": {\"pageIndex\": \"{pageNo}\"}}", "source.request.form.pageIndex", "{pageNo}"),
        ("https://www.example.gov.cn/list", "{\"headers\": {\"Referer\": \"https://www.example.gov.cn/index{suffix}.html\"}}", "source.request.headers.Referer", "{suffix}"),
        ("https://www.example.gov.cn/list", "{\"method\": \"POST\", \"json\": {\"pageNo\": \"{Page}\"}}", "source.request.json", "{Page}"),
    ])
    func unknownRefused(url: String, request: String, field: String, placeholder: String) {
        #expect {
            try RegisterFile.decode(registerJSON([entryJSON(["id": "\"good-1\""]), entry(url: url, request: request)]))
        } throws: { error in
            let text = "\(error)"
            return text.contains("第 2 条（id=trs-col）") && text.contains("字段 \(field)") && text.contains("未知的占位符 \(placeholder)")
        }
    }

    @Test("JSON braces that are not placeholders are left alone")
    func jsonBracesAllowed() throws {
        let accounts = try RegisterFile.decode(registerJSON([
            entry(url: "https://www.example.gov.cn/api", request: #"{"method": "POST", "json": {"where": {}, "pageNo": "{page}"}}"#),
        ]))
        #expect(accounts[0].request?.json == #"{"pageNo":"{page}","where":{}}"#)
    }
}
