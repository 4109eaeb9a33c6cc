import Foundation
import GovMediaCore
@testable import GovMediaReport
import GovMediaStore
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Collects what an XML parser saw: whether the document parsed, and its elements.
final class SVGProbe: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var text = ""

    /// Parses `svg`; nil when it is not well-formed XML.
    static func parse(_ svg: String) -> SVGProbe? {
        let probe = SVGProbe()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = probe
        return parser.parse() ? probe : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append((name, attributes))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    /// The post-day ticks.
    var ticks: [[String: String]] { elements.filter { $0.name == "line" && $0.attributes["class"] == "post" }.map(\.attributes) }
}

@Suite("update timeline strip")
struct TimelineStripTests {
    let checkDay = CivilDate(year: 2026, month: 2, day: 4)!
    var at: Date { ChinaTime.instant(checkDay, hour: 18) }

    /// Posts on 11-20, 12-04, then nothing for 40 days, then 01-13 and 01-27.
    var timeline: UpdateTimeline {
        let days = ["2025-11-20", "2025-12-04", "2026-01-13", "2026-01-27"]
        return UpdateTimeline(posts: days.map { ChinaTime.instant(CivilDate(iso: $0)!, hour: 9) }, checkAt: at, periodDays: 90)
    }

    @Test("the SVG is well-formed, fixed-size, has one tick per post day and shades the gap beyond 14 days")
    func svg() throws {
        let svg = TimelineStrip.svg(timeline, title: "区教育局<发布>&\"通知\"\u{0007}")
        let probe = try #require(SVGProbe.parse(svg), "not well-formed: \(svg)")
        let root = try #require(probe.elements.first)
        #expect(root.name == "svg" && root.attributes["width"] == "680" && root.attributes["height"] == "112")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(probe.ticks.count == 4)
        // The gap 12-04 → 01-13 (40 days) is shaded, the 14-day ones are not.
        #expect(probe.text.contains("间隔 40 天：2025-12-04 → 2026-01-13"))
        #expect(!probe.text.contains("间隔 14 天"))
        #expect(probe.text.contains("区教育局<发布>&\"通知\""))      // the name, read back intact
        #expect(svg.contains("区教育局&lt;发布&gt;&amp;&quot;通知&quot;") && !svg.contains("\u{0007}"))
        #expect(probe.text.contains("发布日") && probe.text.contains("监测日 2026-02-04"))
    }

    @Test("the text timeline marks post days and days out, and names the gaps and spans")
    func text() {
        let text = TimelineStrip.text(timeline)
        #expect(text.contains("更新时间线（近 90 天：2025-11-07 至 2026-02-04"))
        #expect(text.contains("2025-12-04 → 2026-01-13（40 天）"))
        #expect(text.contains("不符合“14 天内有更新”的日子（26 天）：2025-12-18 至 2026-01-12（26 天）"))
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("  20") }
        #expect(rows.count == 3)
        #expect(rows.joined().filter { $0 == "|" }.count == 4)
        #expect(rows.joined().filter { $0 == "x" }.count == 26)
    }

    @Test("the weekly report shows the strip for a failing account with known posts, and none for an account without")
    func report() throws {
        var inputs = Fixture.inputs()
        let checkAt = try #require(inputs.current?.run.checkAt)
        inputs.postTimes = ["a": [checkAt.addingTimeInterval(-40 * 86_400), checkAt.addingTimeInterval(-20 * 86_400)]]
        let report = WeeklyReport(inputs)
        #expect(report.problems.first { $0.id == "a" }?.timeline?.postDays.count == 2)
        #expect(report.problems.first { $0.id == "d" }?.timeline == nil)
        let html = report.html(template: .builtIn())
        #expect(html.components(separatedBy: "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\"").count - 1 == 1)
        let start = try #require(html.range(of: "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\""))
        let end = try #require(html.range(of: "</svg>", range: start.upperBound..<html.endIndex))
        let probe = try #require(SVGProbe.parse(String(html[start.lowerBound..<end.upperBound])))
        #expect(probe.ticks.count == 2)
        #expect(probe.text.contains("账号a"))
        #expect(html.range(of: "<script", options: .caseInsensitive) == nil)
    }
}
