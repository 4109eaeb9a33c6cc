import Foundation
import GovMediaCore
import GovMediaSite
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Two accounts on loopback with telling update histories: `deadline` posts every 14 days
/// to the hour (卡点更新), `lapsing` last posted 20 days ago after a 25-day gap.
struct PatternSite {
    let cli: CLI
    let accounts: LoopbackAccounts
    let rules = CLI.repository.appendingPathComponent("rules").path
    let now: Date

    static let deadlineAges = [0.2, 14.2, 28.2, 42.2, 56.2]

    static func start() async throws -> PatternSite {
        let cli = try CLI()
        let now = Date()
        let accounts = try await LoopbackAccounts.start([
            ("deadline", "/deadline.xml", LoopbackAccounts.feed(deadlineAges.enumerated().map { ("第\($0.offset + 1)期工作动态", $0.element) }, now: now), false),
            ("lapsing", "/lapsing.xml", LoopbackAccounts.feed([("二十天前的通知", 20), ("四十五天前的通知", 45), ("更早的通知", 47)], now: now), false),
        ], in: cli.directory)
        let site = PatternSite(cli: cli, accounts: accounts, now: now)
        #expect(try await cli.run("account", "import", accounts.registerPath).status == 0)
        let scan = try await cli.run("scan", "--allow-private-addresses", "--rules", site.rules)
        #expect(scan.status == 0, "\(scan.stderr)")
        return site
    }

    /// The China day a post `age` days old was published on.
    func day(_ age: Double) -> String { ChinaTime.civil(now.addingTimeInterval(-age * 86_400)).date.description }
}

/// What an XML parser makes of an SVG file.
final class SVGReader: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []

    static func read(_ data: Data) -> SVGReader? {
        let reader = SVGReader()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        return parser.parse() ? reader : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append((name, attributes))
    }
}

@Suite("update patterns from the command line")
struct UpdatePatternCommandTests {
    @Test("explain of an account posting every 14 days shows 卡点更新 with its dates, and the update timeline")
    func explainDeadline() async throws {
        let site = try await PatternSite.start()
        defer { site.accounts.site.stop() }
        let result = try await site.cli.run("explain", "deadline", "--rules", site.rules)
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("pattern.deadline-posting"))
        #expect(out.contains("✗ 卡点更新：近 4 个 14 天周期"), "\(out)")
        #expect(out.contains("内有 4 次"))
        // Each gap named by its two post days.
        for (later, earlier) in zip(PatternSite.deadlineAges.dropLast(), PatternSite.deadlineAges.dropFirst()) {
            #expect(out.contains("\(site.day(earlier)) → \(site.day(later))（14 天）"), "\(site.day(earlier))")
        }
        #expect(out.contains("更新时间线（近 90 天"))
        #expect(out.contains("有更新的日子：" + PatternSite.deadlineAges.reversed().map { site.day($0) }.joined(separator: "、")))
        let strip = out.split(separator: "\n").filter { $0.hasPrefix("  20") }.joined()
        #expect(strip.filter { $0 == "|" }.count == 5)
        #expect(!strip.contains("x"))

        // The finding is stored with its dates, and status --json hands them out.
        let rows = try #require(try await site.cli.run("status", "--json", "--rules", site.rules).json as? [[String: Any]])
        let findings = try #require(rows.first { $0["id"] as? String == "deadline" }?["findings"] as? [[String: Any]])
        let finding = try #require(findings.first { $0["rule"] as? String == "pattern.deadline-posting" })
        #expect(finding["points"] as? Int == 5)
        let spans = try #require(finding["spans"] as? [[String: Any]])
        #expect(spans.count == 4 && spans.allSatisfy { $0["kind"] as? String == "gap" && $0["days"] as? Int == 14 })
        #expect(spans.last?["to"] as? String == site.day(0.2))
    }

    @Test("explain --svg writes a well-formed SVG with one tick per post day and the long gap shaded")
    func explainSVG() async throws {
        let site = try await PatternSite.start()
        defer { site.accounts.site.stop() }
        let file = site.cli.directory.appendingPathComponent("lapsing.svg").path
        let result = try await site.cli.run("explain", "lapsing", "--rules", site.rules, "--svg", file)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("时间线图已写入 \(file)"))
        let data = try #require(FileManager.default.contents(atPath: file))
        let svg = try #require(SVGReader.read(data), "not well-formed XML")
        #expect(svg.elements.first?.name == "svg" && svg.elements.first?.attributes["width"] == "680")
        #expect(svg.elements.filter { $0.name == "line" && $0.attributes["class"] == "post" }.count == 3)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("间隔 25 天：\(site.day(45)) → \(site.day(20))"))
        #expect(text.contains("测试账号1") && text.contains("近 90 天更新时间线"))
        // The text names the longest gap and the days out, with their dates.
        #expect(result.stdout.contains("pattern.longest-gap"))
        #expect(result.stdout.contains("最长间隔为 25 天：\(site.day(45)) 与 \(site.day(20)) 两次更新之间无更新"), "\(result.stdout)")
        #expect(result.stdout.contains("pattern.noncompliant-days"))

        let unwritable = try await site.cli.run("explain", "lapsing", "--rules", site.rules, "--svg", "/nonexistent/dir/x.svg")
        #expect(unwritable.status != 0 && unwritable.stderr.contains("/nonexistent/dir/x.svg"))
    }

    @Test("the weekly report draws the timeline strip for the failing account, not for the passing one")
    func reportStrip() async throws {
        let site = try await PatternSite.start()
        defer { site.accounts.site.stop() }
        let week = ISOWeekText.of(site.now)
        let report = try await site.cli.run("report", "weekly", "--week", week, "--out", "out", "--rules", site.rules)
        #expect(report.status == 0, "\(report.stderr)")
        let dir = site.cli.directory.appendingPathComponent("out").path
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: dir).first { $0.hasSuffix(".html") })
        let html = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
        let marker = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\""
        #expect(html.components(separatedBy: marker).count - 1 == 1)
        let start = try #require(html.range(of: marker))
        let end = try #require(html.range(of: "</svg>", range: start.upperBound..<html.endIndex))
        let svg = try #require(SVGReader.read(Data(html[start.lowerBound..<end.upperBound].utf8)))
        #expect(svg.elements.filter { $0.name == "line" && $0.attributes["class"] == "post" }.count == 3)
        #expect(html[start.lowerBound..<end.upperBound].contains("测试账号1"))
    }
}
