import GovMediaCore
import Testing

/// The one reader of addresses: what it accepts is what curl can fetch and an officer wrote.
@Suite("web addresses")
struct WebAddressTests {
    @Test("real addresses are read with their host, authority and path", arguments: [
        ("https://www.jingyue.gov.cn/zwgk/tzgg/index{page_suffix}.html", "www.jingyue.gov.cn", "www.jingyue.gov.cn", "/zwgk/tzgg/index{page_suffix}.html"),
        ("HTTP://Example.GOV.cn:8080/栏目/列表?page=1", "example.gov.cn", "example.gov.cn:8080", "/栏目/列表"),
        ("http://[::1]:8443/feed.xml", "[::1]", "[::1]:8443", "/feed.xml"),
        ("https://rss.example.gov.cn", "rss.example.gov.cn", "rss.example.gov.cn", ""),
        ("https://净月.政务/a#top", "净月.政务", "净月.政务", "/a"),
    ])
    func accepted(text: String, host: String, authority: String, path: String) throws {
        let address = try WebAddress(text)
        #expect(address.text == text)
        #expect(address.host == host)
        #expect(address.authority == authority)
        #expect(address.path == path)
    }

    @Test("what cannot be fetched is refused, saying why in Chinese", arguments: [
        ("", "网址为空"),
        ("ftp://example.gov.cn/a", "只支持 http 和 https"),
        ("javascript:alert(1)", "不是有效的网址"),
        ("/relative/path.html", "不是有效的网址"),
        ("https:///no-host", "缺少主机名"),
        ("https://example.gov.cn:99999/", "端口 99999 无效"),
        ("https://example.gov.cn:80a/", "端口 80a 无效"),
        ("https://example.gov.cn/a b", "空格或控制字符"),
        ("https://example.gov.cn/\u{0}x", "空格或控制字符"),
        ("https://[::1/", "缺少主机名"),
        ("https://example.gov.cn:0/", "端口 0 无效"),
        ("https://example.gov.cn\\evil.cn/", "缺少主机名"),
        ("https://example.gov.cn/\u{202E}lmth.exe", "空格或控制字符"),
        ("https://example.gov.cn/\u{9B}31m", "空格或控制字符"),
        ("https://user:secret@example.gov.cn/feed", "不能包含用户名和密码"),
    ])
    func refused(text: String, says: String) {
        #expect(throws: WebAddressError.self) { try WebAddress(text) }
        do { _ = try WebAddress(text) } catch {
            #expect(error.description.contains(says), "\(error)")
            // A refusal never repeats a password, nor a control character a terminal acts on.
            #expect(!error.description.contains("secret"))
            #expect(!error.description.unicodeScalars.contains { TerminalSafety.isUnsafe($0.value) })
        }
        #expect(WebAddress(checking: text) == nil)
    }

    @Test("user info never reaches a message, and a log line loses the query too")
    func redaction() throws {
        let address = try WebAddress("https://example.gov.cn/feed?token=abc#x")
        #expect(address.hasQuery)
        #expect(address.forLog == "https://example.gov.cn/feed")
        #expect(WebAddress.withoutUserInfo("https://user:secret@example.gov.cn/feed?q=1") == "https://example.gov.cn/feed?q=1")
        #expect(WebAddress.forLog("https://user:secret@example.gov.cn/feed?q=1") == "https://example.gov.cn/feed")
        #expect(WebAddress.withoutUserInfo("not an address @ all") == "not an address @ all")
        // An @ after ? or # is not user info: the display must not name a host that is not fetched.
        let tricky = WebAddress.withoutUserInfo("https://evil.cn?@www.gov.cn/x")
        #expect(!tricky.contains("www.gov.cn") && tricky.hasSuffix("/x"), "\(tricky)")
        #expect(WebAddress(checking: "https://evil.cn?@www.gov.cn/x")?.host == "evil.cn")
    }
}
