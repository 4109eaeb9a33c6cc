import Foundation
import GovMediaCore
import Testing

/// One valid entry as JSON text, with fields overridable per test.
func entryJSON(_ overrides: [String: String] = [:], removing: [String] = []) -> String {
    var fields: [String: String] = [
        "id": "\"jy-test-wx\"", "name": "\"净月测试\"", "platform": "\"wechat\"", "owner": "\"财政局\"",
        "owner_kind": "\"department\"", "url": "\"https://rss.example.gov.cn/a.xml\"",
        "registered_on": "\"2020-01-02\"", "status": "\"active\"", "source": "{\"kind\": \"feed\"}",
    ]
    for (k, v) in overrides { fields[k] = v }
    for k in removing { fields[k] = nil }
    return "{" + fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
}

func registerJSON(_ entries: [String]) -> Data {
    Data("{\"accounts\": [\(entries.joined(separator: ",\n"))]}".utf8)
}

@Suite("register file validation")
struct RegisterFileTests {
    @Test("a valid entry reads into an account")
    func validEntry() throws {
        let accounts = try RegisterFile.decode(registerJSON([entryJSON()]))
        #expect(accounts.count == 1)
        #expect(accounts[0].platform == .wechat)
        #expect(accounts[0].source == .feed)
    }

    @Test("malformed JSON names the line")
    func malformedJSON() {
        let data = Data("{\"accounts\": [\n  {\"id\": \"a\",\n  oops }\n]}".utf8)
        #expect {
            try RegisterFile.decode(data)
        } throws: { error in
            let text = "\(error)"
            return text.contains("不是有效的 JSON") && text.contains("第 3 行")
        }
    }

    @Test("each bad field is named with its entry", arguments: [
        (entryJSON(removing: ["name"]), "name", "缺少必填字段"),
        (entryJSON(["name": "42"]), "name", "应为字符串"),
        (entryJSON(["platform": "\"wexin\""]), "platform", "取值 wexin 无效"),
        (entryJSON(["status": "\"zombie\""]), "status", "取值 zombie 无效"),
        (entryJSON(["owner_kind": "\"county\""]), "owner_kind", "取值 county 无效"),
        (entryJSON(["url": "\"ftp://example.gov.cn/a\""]), "url", "只支持 http 和 https"),
        (entryJSON(["url": "\"file:///etc/passwd\""]), "url", "只支持 http 和 https"),
        (entryJSON(["registered_on": "\"2021-02-30\""]), "registered_on", "真实日期"),
        (entryJSON(["source": "\"feed\""]), "source", "应为对象"),
        (entryJSON(["source": "{\"kind\": \"html\", \"item\": \"//li\"}"]), "source.title", "缺少必填字段"),
        (entryJSON(["colour": "\"red\""]), "colour", "未知字段"),
        (entryJSON(["id": "\"bad id!\""]), "id", "只能由字母"),
    ])
    func badField(entry: String, field: String, problem: String) {
        let data = registerJSON([entryJSON(["id": "\"good-1\""]), entry])
        #expect {
            try RegisterFile.decode(data)
        } throws: { error in
            guard let e = error as? RegisterError else { return false }
            return e.position == 2 && e.field == field && e.problem.contains(problem)
                && "\(e)".hasPrefix("第 2 条")
        }
    }

    @Test("a duplicate id names both positions")
    func duplicateID() {
        let data = registerJSON([entryJSON(), entryJSON(["name": "\"另一个\""])])
        #expect {
            try RegisterFile.decode(data)
        } throws: { error in
            "\(error)" == "第 2 条（id=jy-test-wx） 字段 id：与第 1 条重复"
        }
    }

    @Test("an XPath the engine refuses is named")
    func badXPath() {
        let source = "{\"kind\": \"html\", \"item\": \"//li[\", \"title\": \"a\", \"link\": \"a/@href\", \"date\": \"span\"}"
        let data = registerJSON([entryJSON(["source": source])])
        #expect {
            try RegisterFile.decode(data, xpathProblem: { $0.hasSuffix("[") ? "Invalid expression" : nil })
        } throws: { error in
            (error as? RegisterError)?.field == "source.item"
        }
    }

    @Test("the shipped accounts.json is a valid register of 39 accounts")
    func shippedRegister() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../accounts.json")
        let accounts = try RegisterFile.decode(try Data(contentsOf: url))
        #expect(accounts.count == 39)
        let owners = Set(accounts.map(\.owner))
        #expect(owners.count == 33)
        #expect(Set(accounts.filter { $0.ownerKind == .department }.map(\.owner)).count == 23)
        #expect(Set(accounts.filter { $0.ownerKind == .town }.map(\.owner)).count == 3)
        #expect(Set(accounts.filter { $0.ownerKind == .subdistrict }.map(\.owner)).count == 7)
        let pairs = Dictionary(grouping: accounts) { "\($0.owner)/\($0.platform)" }
        #expect(pairs.values.contains { $0.count >= 2 }, "one owner should have two accounts on one platform")
        #expect(Set(accounts.map(\.platform)).isSuperset(of: [.wechat, .weibo, .douyin, .toutiao, .kuaishou, .channels, .website]))
    }

    @Test("encode then decode gives the same accounts")
    func roundTrip() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../accounts.json")
        let original = try Data(contentsOf: url)
        let accounts = try RegisterFile.decode(original)
        let encoded = RegisterFile.encode(accounts)
        #expect(try RegisterFile.decode(encoded) == accounts)
        #expect(encoded == original, "the shipped file is in the exporter's canonical form")
    }
}

@Suite("terminal tables")
struct TextTableTests {
    @Test("CJK characters count two cells")
    func widths() {
        #expect(DisplayWidth.of("净月发布") == 8)
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("微信 wx") == 7)
        #expect(DisplayWidth.of("（全角）") == 8)
    }

    @Test("columns line up by display width with mixed Chinese and Latin text")
    func alignment() {
        var table = TextTable(headers: ["ID", "名称", "平台"])
        table.append(["a", "净月发布", "微博"])
        table.append(["longer-id", "News", "wechat"])
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        // The third column starts at the same display column on every line.
        func start(_ line: String, _ cell: String) -> Int {
            DisplayWidth.of(String(line[..<line.range(of: cell)!.lowerBound]))
        }
        #expect(start(lines[0], "平台") == start(lines[2], "微博"))
        #expect(start(lines[2], "微博") == start(lines[3], "wechat"))
        #expect(start(lines[0], "名称") == start(lines[2], "净月发布"))
        #expect(lines[2] == "a          净月发布  微博")
    }

    @Test("over-long cells are cut with an ellipsis to the limit")
    func truncation() {
        let cut = DisplayWidth.truncate("政务新媒体合规监测系统", to: 9)
        #expect(cut == "政务新媒…")
        #expect(DisplayWidth.of(cut) <= 9)
    }
}

@Suite("civil time")
struct CivilTimeTests {
    @Test("days since epoch round-trip across leap years")
    func days() {
        for d in stride(from: -800_000, to: 800_000, by: 997) {
            let c = CivilDate(daysSinceEpoch: d)
            #expect(c.daysSinceEpoch == d)
        }
        #expect(CivilDate(iso: "2024-02-29") != nil)
        #expect(CivilDate(iso: "2023-02-29") == nil)
        #expect(CivilDate(iso: "2026-11-24")?.isoWeekday == 2)
    }

    @Test("ISO timestamps format in China time")
    func iso() {
        let t = TextDate.readExact("2026-11-05T02:20:00Z")!
        #expect(ChinaTime.iso8601(t) == "2026-11-05T10:20:00+08:00")
        #expect(TextDate.readExact("2026-11-05") == ChinaTime.instant(CivilDate(year: 2026, month: 11, day: 5)!))
        #expect(TextDate.readExact("2026-11-05T25:00:00Z") == nil)
    }
}
