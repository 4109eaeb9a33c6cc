import Foundation
import GovMediaCore
import GovMediaParse
import GovMediaRules
import GovMediaSite

/// The demo's sample site: one page or feed per account of the district's register, in the
/// shapes real government sites have — fresh and stale accounts, a GB2312 TRS column over two
/// static pages, relative dates behind `javascript:void(0);` links, an undated POST JSON API,
/// Hanweb and JSONP lists, a broken feed, an unreachable account — and a 三审 ledger with
/// gaps. Content is fixed by the account's position, so every demo tells the same story.
public struct DemoSite: Sendable {
    /// What each account is made to show.
    public enum Shape: String, Sendable {
        case fresh = "正常更新"
        case stale = "超过两周未更新"
        case lagging = "超过一周未更新"
        case gbk = "GB2312 编码的 TRS 静态分页（index.html、index_1.html）"
        case relative = "相对时间（刚刚、3小时前、昨天），链接在 onclick 中"
        case undated = "列表接口没有日期（POST JSON）"
        case broken = "XML 有错误的订阅源"
        case markup = "标题含 HTML 标记"
        case typo = "标题含错别字"
        case deadline = "卡点更新（每 14 天才更新一次）"
    }

    public let now: Date
    public init(now: Date) { self.now = now }

    /// Which shape each account id gets (accounts not named are fresh; list pages follow
    /// their platform).
    public static let shapes: [String: Shape] = [
        "jy-zrzy-wx": .stale, "jy-nyj-bjh": .stale, "jy-tyjr-wx": .stale,
        "jy-jfj-wx": .lagging,
        "jy-czj-web": .gbk,
        "jy-sjj-web": .undated,
        "jy-tjj-web": .relative,
        // The WeChat bridge passes on a feed the account's CMS wrote with a bare & and an
        // unclosed tag: read with recovery, the posts kept and the problems noted.
        "jy-xcjd-wx": .broken,
        "jy-wjj-wx": .markup,
        "jy-kcj-wx": .typo,
        // Still passing on the day (a post today), but 5 points off for posting only at the
        // two-week limit; chosen where the 三审 ledger has no record anyway, so the ledger
        // and the headline figures stay as they were.
        "jy-ytz-wx": .deadline,
    ]

    /// A post every 14 days to the hour: every gap is exactly the limit.
    static let deadlineAges: [Double] = [0.3, 14.3, 28.3, 42.3, 56.3]

    public func shape(of account: Account) -> Shape {
        if let s = Self.shapes[account.id] { return s }
        switch (account.platform, account.source) {
        case (.douyin, .html), (.kuaishou, .html), (.channels, .html): return .relative
        default: return .fresh
        }
    }

    /// The loopback path for an account's URL: host and path kept, so the mapping is obvious.
    /// Paging placeholders (`index{page_suffix}.html`) are kept as written, for the scan to fill.
    public static func path(for url: WebAddress) -> String {
        "/" + url.host + (url.path.isEmpty ? "/" : url.path)
    }

    /// Every loopback path an account is read from, with its page: one, or each page of a
    /// paged column (`index.html`, `index_1.html` for a TRS column read two pages deep).
    public func pages(for account: Account, index: Int) -> [String: SitePage] {
        guard case .html = account.source, shape(of: account) == .gbk, let request = account.request else {
            return [Self.path(for: account.url): page(for: account, index: index)]
        }
        let pages = trsPages(Self.titles(for: account, index: index), ages: Self.trsAges, count: request.pages)
        var out: [String: SitePage] = [:]
        for (i, page) in pages.enumerated() { out[Self.path(for: WebAddress(checking: request.fill(account.url.text, page: i + 1)) ?? account.url)] = page }
        return out
    }

    /// The page for one account.
    public func page(for account: Account, index: Int) -> SitePage {
        let titles = Self.titles(for: account, index: index)
        switch account.source {
        case .bridge: return bridgeFeed(account, titles)
        case .xml, .json: return cmsList(account, titles)
        default: break
        }
        switch shape(of: account) {
        case .fresh: return feedOrList(account, titles, ages: [0.3, 1.2, 2.5, 4, 6])
        case .stale: return feedOrList(account, titles, ages: [16 + Double(index % 9), 25, 40])
        case .lagging: return feedOrList(account, titles, ages: [9, 12, 20])
        case .deadline: return feedOrList(account, titles, ages: Self.deadlineAges)
        case .gbk: return trsPages(titles, ages: Self.trsAges, count: account.request?.pages ?? 1)[0]
        case .relative: return account.platform == .website
            ? list(zip(titles, ["刚刚", "3小时前", "昨天 18:30", "5天前"]).map { ($0, $1) }, account: account, onclick: true) : relativeList(titles)
        case .undated: return list(titles.map { ($0, nil) })
        case .broken: return brokenFeed(account, titles)
        case .markup: return feed([("<script>alert(1)</script>健康科普：冬季流感预防", 0.4)] + zip(titles, [1.5, 3]).map { ($0, $1) })
        case .typo: return feed([("截止目前，净月科创企业孵化器入驻企业达120家", 0.6)] + zip(titles, [2.0, 5]).map { ($0, $1) })
        }
    }

    /// The 三审 ledger for the demo: complete records for most fresh accounts' newest post,
    /// and the gaps the rules must find.
    public func ledger(accounts: [Account]) -> String {
        var rows = ["account_id,post_url,post_title,stage,reviewer,signed_at,opinion"]
        for (index, account) in accounts.enumerated() where shape(of: account) == .fresh {
            let title = Self.titles(for: account, index: index)[0]
            let published = now.addingTimeInterval(-0.3 * 86_400)
            let url = postURL(account, 0)
            func sign(_ stage: String, _ who: String, _ hoursBefore: Double, _ opinion: String = "同意") {
                rows.append("\(account.id),\(url),\(title),\(stage),\(who),\(ChinaTime.iso8601(published.addingTimeInterval(-hoursBefore * 3600))),\(opinion)")
            }
            switch index % 6 {
            case 0: sign("初审", "刘洋", 5); sign("复审", "陈静", 4); sign("终审", "王海涛", 3)
            case 1: sign("初审", "赵磊", 5); sign("复审", "孙丽", 4); sign("终审", "孙丽", 3)          // one person, two stages
            case 2: sign("初审", "周敏", 5); sign("复审", "吴刚", 4); sign("终审", "郑华", -2)         // 终审 after publication
            case 3: sign("初审", "冯雪", 5); sign("复审", "何军", 4)                                  // 终审 missing
            case 4: sign("初审", "许晴", 5); sign("复审", "韩冰", 4); sign("终审", "曹阳", 3)
            default: break                                                                            // no record at all
            }
        }
        return rows.joined(separator: "\n") + "\n"
    }

    // MARK: What feed bridges answer

    /// The token the demo's WeChat bridge wants (written to the demo's secret file).
    public static let wechatBridgeToken = "demo-wechat-bridge-token"

    /// RSSHub's error page when Weibo's cookies have expired (HTTP 503).
    public static let expiredLoginPage = SitePage(
        status: 503, contentType: "text/html; charset=utf-8",
        body: Array(("<html><head><title>Welcome to RSSHub!</title></head><body><h1>Looks like something went wrong</h1>"
            + "<p class=\"message\">Error Message:<br><code>Error: Cookies expired. Please update WEIBO_COOKIES</code></p></body></html>").utf8))

    /// What a bridge answers for an account, in the shape each serves: RSSHub's RSS 2.0
    /// (Baijiahao), Atom (Douyin, `?format=atom`), JSON Feed 1.1 (Toutiao, `?format=json`),
    /// RSS without dates (Kuaishou), and a WeChat bridge's RSS.
    func bridgeFeed(_ account: Account, _ titles: [String]) -> SitePage {
        var page = shape(of: account) == .broken ? brokenFeed(account, titles) : bridgeItems(account, titles)
        // The WeChat bridge answers nothing without its token, whatever it serves.
        if account.platform == .wechat { page.requiredHeaders = ["Authorization": Self.wechatBridgeToken] }
        return page
    }

    /// The items a bridge serves for an account, in its platform's shape.
    private func bridgeItems(_ account: Account, _ titles: [String]) -> SitePage {
        let ages: [Double] = switch shape(of: account) {
        case .stale: [16 + Double(titles.count), 25, 40]
        case .lagging: [9, 12, 20]
        case .deadline: Self.deadlineAges
        default: [0.3, 1.2, 2.5, 4, 6]
        }
        var items = zip(titles, ages).map { ($0, $1) }
        if shape(of: account) == .markup { items[0].0 = "<script>alert(1)</script>健康科普：冬季流感预防" }
        if shape(of: account) == .typo { items[0].0 = "截止目前，净月科创企业孵化器入驻企业达120家" }
        let links = items.indices.map { postURL(account, $0) }
        switch account.platform {
        case .douyin:
            var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>\(Self.escape(account.name))</title>"
            s += "<updated>\(ChinaTime.rfc822(now))</updated><author><name>RSSHub</name></author>"
            for (i, (title, age)) in items.enumerated() {
                s += "<entry><title>\(Self.escape(title))</title><content type=\"html\" src=\"\(links[i])\">\(Self.escape(title + "<br><video controls></video>"))</content>"
                s += "<link href=\"\(links[i])\"/><id>\(links[i])</id><published>\(Self.iso(now.addingTimeInterval(-age * 86_400)))</published></entry>"
            }
            return SitePage(s + "</feed>", contentType: "application/xml; charset=utf-8")
        case .toutiao:
            let entries = items.enumerated().map { i, item in
                ["id": links[i], "url": links[i], "title": item.0, "content_html": "<p>\(Self.escape(item.0))</p>",
                 "date_published": Self.iso(now.addingTimeInterval(-item.1 * 86_400))]
            }
            let feed: [String: Any] = ["version": "https://jsonfeed.org/version/1.1", "title": account.name, "items": entries]
            let data = (try? JSONSerialization.data(withJSONObject: feed, options: [.sortedKeys])) ?? Data()
            return SitePage(contentType: "application/feed+json; charset=UTF-8", body: [UInt8](data))
        default:
            // Kuaishou through RSSHub gives no dates; the others RSS 2.0 with HTML descriptions.
            let dated = account.platform != .kuaishou
            var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>\(Self.escape(account.name))</title>"
            s += account.platform == .wechat ? "<generator>Mp-We-Rss</generator>" : "<generator>RSSHub</generator>"
            for (i, (title, age)) in items.enumerated() {
                s += "<item><title>\(Self.escape(title))</title><description>\(Self.escape("<p>" + title + "</p>"))</description>"
                s += "<link>\(links[i])</link><guid isPermaLink=\"false\">\(links[i])</guid>"
                if dated { s += "<pubDate>\(ChinaTime.rfc822(now.addingTimeInterval(-age * 86_400)))</pubDate>" }
                s += "</item>"
            }
            return SitePage(s + "</channel></rss>", contentType: "application/xml; charset=utf-8")
        }
    }

    static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }

    // MARK: What CMS list interfaces answer

    /// A column served the way government CMSes serve lists: Hanweb's dataproxy.jsp (POST
    /// form, XML records with HTML in CDATA), Hanweb JPaaS (HTML inside JSON), a JSON API
    /// answering a POSTed JSON body (`/rest/lightfrontaction/getgovinfolist`), or a JSONP
    /// list with dates in epoch milliseconds.
    func cmsList(_ account: Account, _ titles: [String]) -> SitePage {
        let items = zip(titles, [0.3, 1.2, 2.5, 4, 6]).enumerated().map { i, item in
            (title: item.0, link: postURL(account, i), day: ChinaTime.civil(now.addingTimeInterval(-item.1 * 86_400)).date.description,
             millis: Int64(now.addingTimeInterval(-item.1 * 86_400).timeIntervalSince1970 * 1000))
        }
        func li(_ i: (title: String, link: String, day: String, millis: Int64)) -> String {
            "<li><a href=\"\(i.link)\" title=\"\(Self.escape(i.title))\" target=\"_blank\">\(Self.escape(String(i.title.prefix(12))))…</a><span>\(i.day)</span></li>"
        }
        switch account.source {
        case .xml:
            let records = items.map { "<record><![CDATA[\(li($0))]]></record>" }.joined()
            var page = SitePage("<?xml version=\"1.0\" encoding=\"utf-8\"?><datastore><totalrecord>\(items.count)</totalrecord><recordset>\(records)</recordset></datastore>",
                                contentType: "text/xml;charset=UTF-8")
            page.requiredMethod = "POST"
            page.requiredBody = ["startrecord=1", "columnid="]
            page.requiredHeaders = ["X-Requested-With": "XMLHttpRequest"]
            return page
        case .json where account.request?.method == .post:
            // `{"custom":{"data":[{"title","infourl","infodate"}]}}`; the undated shape's API
            // leaves `infodate` out, as some do.
            let undated = shape(of: account) == .undated
            let data = items.map { i -> [String: Any] in
                var o: [String: Any] = ["title": i.title, "infourl": i.link]
                if !undated { o["infodate"] = i.day }
                return o
            }
            var page = SitePage(contentType: "application/json;charset=UTF-8",
                                body: [UInt8]((try? JSONSerialization.data(withJSONObject: ["custom": ["data": data, "total": data.count]], options: [.sortedKeys])) ?? Data()))
            page.requiredMethod = "POST"
            page.requiredBody = ["\"pageNo\":\"1\"", "\"columnId\":"]
            return page
        case .json(let p) where p.html != nil:
            let html = "<ul class=\"list\">" + items.map(li).joined() + "</ul>"
            let body: [String: Any] = ["success": true, "data": ["html": html, "total": items.count]]
            return SitePage(contentType: "application/json;charset=UTF-8",
                            body: [UInt8]((try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()))
        default:
            let list = items.map { ["title": $0.title, "url": $0.link, "time": $0.millis] as [String: Any] }
            let json = (try? JSONSerialization.data(withJSONObject: ["result": ["list": list]], options: [.sortedKeys])) ?? Data()
            return SitePage("jQuery1124_\(Int(now.timeIntervalSince1970))(" + String(decoding: json, as: UTF8.self) + ");",
                            contentType: "application/javascript; charset=utf-8")
        }
    }

    // MARK: Page shapes

    private func postURL(_ account: Account, _ i: Int) -> String {
        "https://www.jingyue.gov.cn/xmt/\(account.id)/\(i + 1).html"
    }

    private func feedOrList(_ account: Account, _ titles: [String], ages: [Double]) -> SitePage {
        if case .html = account.source {
            return list(zip(titles, ages).map { ($0, ChinaTime.civil(now.addingTimeInterval(-$1 * 86_400)).date.description) }, account: account)
        }
        return feed(zip(titles, ages).map { ($0, $1) }, account: account)
    }

    private func feed(_ items: [(String, Double)], account: Account? = nil) -> SitePage {
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>\(account?.name ?? "净月")</title>\n"
        for (i, (title, age)) in items.enumerated() {
            let link = account.map { postURL($0, i) } ?? "https://www.jingyue.gov.cn/xmt/p/\(abs(title.hashValue % 100_000)).html"
            s += "<item><title>\(Self.escape(title))</title><link>\(link)</link>"
            s += "<pubDate>\(ChinaTime.rfc822(now.addingTimeInterval(-age * 86_400)))</pubDate></item>\n"
        }
        return SitePage(s + "</channel></rss>\n", contentType: "application/rss+xml; charset=utf-8")
    }

    /// A UTF-8 list page; with `onclick`, every link is `javascript:void(0);` and the target
    /// is in the anchor's `onclick`, as many CMS templates print it.
    private func list(_ items: [(String, String?)], account: Account? = nil, onclick: Bool = false) -> SitePage {
        var s = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>净月高新区</title></head><body><ul class=\"news-list\">\n"
        for (i, (title, date)) in items.enumerated() {
            let href = account.map { postURL($0, i) } ?? "/list/\(i + 1).html"
            let anchor = onclick ? "href=\"javascript:void(0);\" onclick=\"window.open('\(href)')\"" : "href=\"\(href)\""
            s += "<li><a \(anchor)>\(Self.escape(title))</a>" + (date.map { "<span class=\"date\">\($0)</span>" } ?? "") + "</li>\n"
        }
        return SitePage(s + "</ul></body></html>\n")
    }

    /// The TRS column's post ages: two on its first page, one on its second.
    static let trsAges: [Double] = [0.5, 3, 8]

    /// A TRS WCM column: GB2312 static pages `index.html`, `index_1.html` …, with the page
    /// bar written by `createPageHTML(pages, current, "index", "html")`; the posts are spread
    /// over `count` pages, newest first (no Content-Type charset: only the meta says GB2312).
    private func trsPages(_ titles: [String], ages: [Double], count: Int) -> [SitePage] {
        let posts = Array(zip(titles, ages).enumerated())
        let perPage = max(1, (posts.count + count - 1) / count)
        return (0..<count).map { p in
            var s = "<html><head>\n<title>净月高新区政务公开</title>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\n</head><body><ul class=\"news-list\">\n"
            for (i, (title, age)) in posts.dropFirst(p * perPage).prefix(perPage) {
                let day = ChinaTime.civil(now.addingTimeInterval(-age * 86_400)).date
                s += "<li><a href=\"t\(i + 1).html\">\(title)</a><span class=\"date\">\(day.year)年\(day.month)月\(day.day)日</span></li>\n"
            }
            s += "</ul>\n<div class=\"page\"><script language=\"JavaScript\">createPageHTML(\(count), \(p), \"index\", \"html\");</script></div>\n"
            return SitePage(contentType: "text/html", body: TextEncoding.gb18030(s + "</body></html>\n"))
        }
    }

    private func relativeList(_ titles: [String]) -> SitePage {
        let when = ["刚刚", "3小时前", "昨天 18:30", "5天前"]
        var s = "<html><head><meta charset=\"utf-8\"></head><body>\n"
        for (i, (title, w)) in zip(titles, when).enumerated() {
            s += "<div class=\"video-item\"><a href=\"v/\(i + 1)\"><p class=\"title\">\(title)</p></a><span class=\"time\">\(w)</span></div>\n"
        }
        return SitePage(s + "</body></html>\n")
    }

    private func brokenFeed(_ account: Account, _ titles: [String]) -> SitePage {
        let day = ChinaTime.civil(now.addingTimeInterval(-86_400)).date
        let s = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>\(Self.escape(account.name)) & 社区</title>
            <item><title>\(titles[0]) & 居民议事会</title><link>\(postURL(account, 0))</link><pubDate>\(day) 09:00</pubDate></item>
            <item><title>\(titles[1])<b>未闭合</title><link>\(postURL(account, 1))</link><pubDate>\(day)</pubDate></item>
            </channel>
            """
        return SitePage(s, contentType: "application/rss+xml")
    }

    // MARK: Text

    static let topics = ["召开冬季安全生产工作会议", "开展“双拥”走访慰问活动", "发布2026年第四季度重点项目清单", "优化营商环境专题培训举行",
                         "冬季供暖服务热线开通", "开展消防安全隐患排查", "社区志愿者服务队成立", "举办政策解读“进社区”活动",
                         "推进老旧小区改造工程", "公布第三批行政许可事项", "开展反诈宣传进校园", "乡村振兴示范点建设观摩"]

    static func titles(for account: Account, index: Int) -> [String] {
        (0..<5).map { "\(account.owner)\(topics[(index * 5 + $0) % topics.count])" }
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

}

/// The demo's embedded defaults: the register, the rules and the seed annual report, so the
/// demo runs from any directory with nothing but the binary.
public enum DemoResources {
    public static var register: Data { Data(PackageResources.accounts_json) }
    public static var annualReport: String { String(decoding: PackageResources.annual_report_2021_txt, as: UTF8.self) }
    /// Rule files by their path under `rules/`: the ones compiled into the binary.
    public static var rules: [String: [UInt8]] { RulesLocation.builtIn }
}
