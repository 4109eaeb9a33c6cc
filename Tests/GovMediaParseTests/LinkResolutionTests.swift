import Foundation
import GovMediaCore
import GovMediaParse
import Testing

/// Relative links resolve against any address the register accepts, Chinese paths and
/// IDN hosts included, as a browser would resolve them.
@Suite("link resolution")
struct LinkResolutionTests {
    private let page = """
        <html><body><ul>
        <li><a href="/a/1.html">一</a><span>2026-11-20</span></li>
        <li><a href="a/2.html">二</a><span>2026-11-19</span></li>
        <li><a href="../3.html">三</a><span>2026-11-18</span></li>
        <li><a href="详情/4.html">四</a><span>2026-11-17</span></li>
        <li><a href="a b/5.html?q={x}">五</a><span>2026-11-16</span></li>
        <li><a href="nbsp%C2%A0/6.html">六</a><span>2026-11-15</span></li>
        </ul></body></html>
        """
    private let profile = ReadingProfile.htmlList(item: "//li", title: "a", link: "a/@href", date: "span")

    @Test("against a Chinese path, an IDN host and an ASCII base", arguments: [
        ("https://www.jingyue.gov.cn/栏目/index.html", "https://www.jingyue.gov.cn",
         ["/a/1.html", "/栏目/a/2.html", "/3.html", "/栏目/详情/4.html", "/栏目/a%20b/5.html?q=%7Bx%7D", "/%E6%A0%8F%E7%9B%AE/nbsp%C2%A0/6.html"]),
        ("https://政府.cn/col/index.html", "https://政府.cn",
         ["/a/1.html", "/col/a/2.html", "/3.html", "/col/详情/4.html", "/col/a%20b/5.html?q=%7Bx%7D", "/col/nbsp%C2%A0/6.html"]),
        ("https://www.jingyue.gov.cn/col/index.html", "https://www.jingyue.gov.cn",
         ["/a/1.html", "/col/a/2.html", "/3.html", "/col/详情/4.html", "/col/a%20b/5.html?q=%7Bx%7D", "/col/nbsp%C2%A0/6.html"]),
    ])
    func resolves(base: String, origin: String, paths: [String]) throws {
        let doc = try DocumentReader.read(Array(page.utf8), contentType: "text/html; charset=utf-8", baseURL: base, profile: profile,
                                          fetchedAt: Date(timeIntervalSince1970: 1_795_000_000))
        #expect(doc.items.map(\.link) == paths.map { origin + $0 })
    }
}
