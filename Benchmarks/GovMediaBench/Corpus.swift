import Foundation
import GovMediaCore
import GovMediaParse

/// Generated pages and feeds in the shapes of real government sites: CJK titles, RSS and
/// Atom feeds, list pages of about 40 KB with 20 items, half of them GBK.
enum Corpus {
    static let words = ["净月", "高新区", "召开", "工作会议", "关于", "开展", "冬季", "安全生产", "专项", "整治", "行动", "的通知",
                        "公告", "政务公开", "优化", "营商环境", "推进", "乡村振兴", "志愿服务", "进社区", "政策解读", "民生实事"]

    static func title(_ seed: Int) -> String {
        (0..<6).map { words[(seed &* 31 &+ $0 &* 7) % words.count] }.joined() + "（第\(seed % 97)期）"
    }

    static let base = ChinaTime.instant(CivilDate(year: 2026, month: 11, day: 20)!, hour: 9)

    static func rss(_ n: Int, entries: Int = 30) -> [UInt8] {
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>账号\(n)</title><link>https://www.example.gov.cn/</link>\n"
        for i in 0..<entries {
            let t = base.addingTimeInterval(-Double(i * 20_000 + n))
            s += "<item><title>\(title(n * 100 + i))</title><link>https://www.example.gov.cn/a/\(n)/\(i).html</link>"
            s += "<guid>a-\(n)-\(i)</guid><pubDate>\(ChinaTime.rfc822(t))</pubDate><description>\(title(i))。\(title(n))</description></item>\n"
        }
        return Array((s + "</channel></rss>\n").utf8)
    }

    static func atom(_ n: Int, entries: Int = 30) -> [UInt8] {
        var s = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>账号\(n)</title><id>urn:a:\(n)</id>\n"
        for i in 0..<entries {
            let t = base.addingTimeInterval(-Double(i * 20_000 + n))
            s += "<entry><title>\(title(n * 100 + i))</title><link href=\"/b/\(n)/\(i).html\"/><id>urn:a:\(n):\(i)</id>"
            s += "<published>\(ChinaTime.iso8601(t))</published><summary>\(title(i))</summary></entry>\n"
        }
        return Array((s + "</feed>\n").utf8)
    }

    /// A list page of about 40 KB: navigation and footer padding around 20 items.
    static func listPage(_ n: Int, gbk: Bool) -> [UInt8] {
        let charset = gbk ? "gb2312" : "utf-8"
        var s = "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=\(charset)\"><title>栏目\(n)</title></head><body>\n"
        s += "<div class=\"nav\">" + (0..<120).map { "<a href=\"/nav/\($0).html\">\(words[$0 % words.count])栏目</a>" }.joined() + "</div>\n"
        s += "<ul class=\"news-list\">\n"
        for i in 0..<20 {
            let day = ChinaTime.civil(base.addingTimeInterval(-Double(i * 86_400))).date
            s += "<li><a href=\"/c/\(n)/t\(i).html\" title=\"\(title(n + i))\">\(title(n * 50 + i))</a><span class=\"date\">\(day)</span></li>\n"
        }
        s += "</ul>\n<div class=\"footer\">" + String(repeating: "<p>主办：净月高新区管委会 地址：长春市净月大街 联系电话：0431-0000000 网站标识码 2201000000</p>\n", count: 260) + "</div></body></html>\n"
        return gbk ? TextEncoding.gb18030(s) : Array(s.utf8)
    }

    static let listProfile = (item: "//ul[@class='news-list']/li", title: "a", link: "a/@href", date: "span[@class='date']")
}
