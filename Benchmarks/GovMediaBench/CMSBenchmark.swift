import Foundation
import GovMediaCore
import GovMediaParse

/// CMS list bodies: JSON APIs (`{"custom":{"data":[…]}}`) and, half of them, JPaaS bodies
/// with the list as HTML inside JSON (`{"data":{"html":"<ul>…"}}`), 20 items each.
enum CMSCorpus {
    static func apiBody(_ n: Int) -> [UInt8] {
        let items = (0..<20).map { i -> [String: Any] in
            let t = Corpus.base.addingTimeInterval(-Double(i * 86_400 + n))
            return ["title": Corpus.title(n * 50 + i), "infourl": "/info/\(n)/\(i).html", "infodate": ChinaTime.civil(t).date.description,
                    "source": "净月高新区", "visits": i * 13]
        }
        return [UInt8]((try? JSONSerialization.data(withJSONObject: ["custom": ["data": items, "total": 20]])) ?? Data())
    }

    static func jpaasBody(_ n: Int) -> [UInt8] {
        let lis = (0..<20).map { i in
            let day = ChinaTime.civil(Corpus.base.addingTimeInterval(-Double(i * 86_400 + n))).date
            return "<li><a href=\"/art/\(n)/\(i).html\" title=\"\(Corpus.title(n * 50 + i))\">\(Corpus.title(n * 50 + i).prefix(10))…</a><span>\(day)</span></li>"
        }.joined()
        return [UInt8]((try? JSONSerialization.data(withJSONObject: ["success": true, "data": ["html": "<ul class=\"list\">\(lis)</ul>"]])) ?? Data())
    }

    static let apiProfile = ReadingProfile.jsonList(JSONListProfile(items: "custom.data", title: "title", link: "infourl", date: "infodate"))
    static let jpaasProfile = ReadingProfile.jsonList(JSONListProfile(items: "data.html", html: HTMLStep(item: "//li", title: "a/@title", link: "a/@href", date: "span")))
}

/// `govmedia-bench json`: 500 JSON list bodies × 20 items, half with HTML inside.
func benchJSON() throws {
    let bodies = (0..<500).map { $0 % 2 == 0 ? CMSCorpus.apiBody($0) : CMSCorpus.jpaasBody($0) }
    let bytes = bodies.reduce(0) { $0 + $1.count }
    var items = 0, dated = 0
    let t = try seconds {
        for (i, body) in bodies.enumerated() {
            let doc = try DocumentReader.read(body, contentType: "application/json", baseURL: "https://www.example.gov.cn/col/index.html",
                                              profile: i % 2 == 0 ? CMSCorpus.apiProfile : CMSCorpus.jpaasProfile, fetchedAt: Corpus.base)
            items += doc.items.count
            dated += doc.items.filter { $0.publishedAt != nil }.count
        }
    }
    print(String(format: "json: %d bodies (%.1f MB, half HTML inside JSON), %d items (%d dated) in %.3f s = %.0f items/s (target ≥ 30000)",
                 bodies.count, Double(bytes) / 1e6, items, dated, t, Double(items) / t))
}

/// `govmedia-bench probe`: finding the list on a 40 KB UTF-8 column page (navigation of 120 links,
/// 20 dated items, a long footer), median of 21 runs.
func benchProbe() {
    let page = Corpus.listPage(7, gbk: false)
    var times: [Double] = []
    var found = 0
    for _ in 0..<21 {
        times.append(seconds {
            let r = ListProbe.probe(page, contentType: "text/html", baseURL: "https://www.example.gov.cn/col/index.html", fetchedAt: Corpus.base)
            found = r.document?.items.count ?? 0
        })
    }
    times.sort()
    print(String(format: "probe: %d KB page, list of %d items found; median %.1f ms, max %.1f ms (target < 50 ms)",
                 page.count / 1024, found, times[10] * 1000, times.last! * 1000))
}
