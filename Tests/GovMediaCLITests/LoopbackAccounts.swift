import Foundation
import GovMediaCore
import GovMediaSite

/// A loopback site with one page per account, and the register file that points at it:
/// what the scan and evaluation tests run against.
struct LoopbackAccounts {
    let site: SiteServer
    let registerPath: String

    /// An RSS feed whose posts are `ages` days old (counted back from now).
    static func feed(_ titles: [(String, Double)], now: Date = Date()) -> SitePage {
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>t</title>"
        for (i, (title, age)) in titles.enumerated() {
            let date = now.addingTimeInterval(-age * 86_400)
            s += "<item><title>\(title)</title><link>/post/\(i)-\(abs(title.hashValue)).html</link>"
            s += "<pubDate>\(ChinaTime.iso8601(date))</pubDate></item>"
        }
        return SitePage(s + "</channel></rss>", contentType: "application/rss+xml")
    }

    static let listXPaths = ["item": "//ul[@class='news-list']/li", "title": "a", "link": "a/@href", "date": "span[@class='date']"]

    /// Registers `entries` (id → (path, page, html?)) on a fresh site and writes the register file.
    static func start(_ entries: [(id: String, path: String, page: SitePage, html: Bool)], in directory: URL) async throws -> LoopbackAccounts {
        var pages: [String: SitePage] = [:]
        for e in entries { pages[e.path] = e.page }
        let site = try await SiteServer(pages: pages)
        let accounts = entries.enumerated().map { i, e -> [String: Any] in
            var a: [String: Any] = [
                "id": e.id, "name": "测试账号\(i)", "platform": e.html ? "website" : "wechat", "owner": "测试单位\(i)",
                "owner_kind": "department", "url": site.url(e.path), "registered_on": "2024-01-01", "status": "active",
            ]
            a["source"] = e.html ? (["kind": "html"] as [String: String]).merging(listXPaths) { $1 } : ["kind": "feed"]
            return a
        }
        let data = try JSONSerialization.data(withJSONObject: ["accounts": accounts], options: [.prettyPrinted])
        let path = directory.appendingPathComponent("loopback-accounts.json").path
        try data.write(to: URL(fileURLWithPath: path))
        return LoopbackAccounts(site: site, registerPath: path)
    }
}
