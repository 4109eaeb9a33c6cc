import Foundation
import GovMediaCore
import GovMediaRules
import Testing

@Suite("rule files: the shipped rules")
struct ShippedRulesTests {
    @Test("the repository's rules/ loads with every required rule")
    func shippedRulesLoad() throws {
        let set = try RuleFiles.load(directory: Fixture.repositoryRules)
        let ids = Set(set.allRules.map(\.id))
        for id in RuleFiles.requiredRuleIDs {
            #expect(ids.contains(id), "missing \(id)")
        }
        #expect(set.national.name == "national")
        #expect(set.national.rules.allSatisfy { $0.severity == .veto })
        #expect(set.local.total == 100)
        #expect(set.local.passMark == 60)
        #expect(set.local.windowDays == 14)
        #expect(set.rule("national.stale-2w")?.threshold["days"] == 14)
        #expect(set.rule("local.stale-1w")?.threshold["days"] == 7)
        #expect(set.rule("fetch.unreachable")?.threshold["scans"] == 3)
        #expect(set.rule("lifecycle.active-after-deregistration")?.severity == .info)
        #expect(set.rule("review.missing")?.points == 5)
        #expect(set.rule("review.missing")?.cap == 30)
        #expect(set.rule("register.duplicate-platform")?.source.contains("国办发〔2018〕123号") == true)
        #expect(set.rule("no.such-rule") == nil)
        for rule in set.allRules {
            #expect(!rule.title.isEmpty && !rule.source.isEmpty, "\(rule.id)")
            if rule.severity == .deduction { #expect(rule.points > 0, "\(rule.id)") }
        }
        #expect(set.version.count == 64)
    }

    @Test("every rule's definedAt points at its own `- id:` line")
    func definedAtIsExact() throws {
        let set = try RuleFiles.load(directory: Fixture.repositoryRules)
        for rule in set.allRules {
            let parts = rule.definedAt.split(separator: ":")
            #expect(parts.count == 2)
            let file = Fixture.repositoryRules.appending(String(parts[0]))
            let lines = try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: "\n")
            let line = try #require(Int(parts[1]))
            #expect(lines[line - 1].trimmingCharacters(in: .whitespaces) == "- id: \(rule.id)")
        }
    }

    @Test("the shipped word lists are well formed and typo entries carry corrections")
    func shippedWordLists() throws {
        let set = try RuleFiles.load(directory: Fixture.repositoryRules)
        #expect(Set(set.wordLists.keys) == ["serious-errors.txt", "forbidden.txt", "typos.txt"])
        let typos = try #require(set.wordLists["typos.txt"])
        #expect(typos.entries.contains(WordEntry(term: "截止目前", correction: "截至目前",
                                                 definedAt: typos.entries.first { $0.term == "截止目前" }?.definedAt ?? "")))
        #expect(typos.entries.allSatisfy { $0.correction != nil && $0.definedAt.hasPrefix("words/typos.txt:") })
        for name in ["serious-errors.txt", "forbidden.txt"] {
            let list = try #require(set.wordLists[name])
            #expect(!list.entries.isEmpty)
            #expect(list.entries.allSatisfy { $0.correction == nil })
        }
        let rule = try #require(set.rule("content.typo"))
        #expect(set.wordList(for: rule)?.file == "typos.txt")
    }
}

@Suite("rule files: version")
struct RuleVersionTests {
    @Test("the version is stable across loads and independent of where the directory is")
    func stable() throws {
        let a = try RuleFiles.load(directory: Fixture.path("valid"))
        let b = try RuleFiles.load(directory: Fixture.path("valid"))
        let copy = try Fixture.copy("valid")
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let c = try RuleFiles.load(directory: copy)
        #expect(a.version == b.version)
        #expect(a.version == c.version)
        #expect(a.version.allSatisfy { $0.isHexDigit })
    }

    @Test("changing any byte of any rule or word file changes the version",
          arguments: ["national.yaml", "local.yaml", "words/typos.txt", "words/forbidden.txt", "words/serious-errors.txt"])
    func changes(file: String) throws {
        let copy = try Fixture.copy("valid")
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let before = try RuleFiles.load(directory: copy)
        // A comment: the rules themselves stay identical, only the bytes differ.
        try copy.appending(file).edit { $0 + "# 改\n" }
        let after = try RuleFiles.load(directory: copy)
        #expect(after.version != before.version)
        #expect(after.allRules == before.allRules)
    }

    @Test("an empty value (~, null, nothing) is absent, while a quoted \"null\" is text and refused where a number goes")
    func nullValues() throws {
        let copy = try Fixture.copy("valid")
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let original = try String(contentsOfFile: copy.appending("local.yaml"), encoding: .utf8)
        let withCap = try #require(try RuleFiles.load(directory: copy).local.rules.first { $0.cap != nil })
        let line = try #require(original.components(separatedBy: "\n").first { $0.trimmingCharacters(in: .whitespaces) == "cap: \(withCap.cap!)" })
        for empty in ["~", "null", "NULL", ""] {
            try original.replacingOccurrences(of: line, with: line.replacingOccurrences(of: "\(withCap.cap!)", with: empty))
                .write(toFile: copy.appending("local.yaml"), atomically: true, encoding: .utf8)
            #expect(try RuleFiles.load(directory: copy).rule(withCap.id)?.cap == nil, "cap: \(empty)")
        }
        try original.replacingOccurrences(of: line, with: line.replacingOccurrences(of: "\(withCap.cap!)", with: "\"null\""))
            .write(toFile: copy.appending("local.yaml"), atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { try RuleFiles.load(directory: copy) }
    }

    @Test("adding a word list changes the version")
    func newList() throws {
        let copy = try Fixture.copy("valid")
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let before = try RuleFiles.load(directory: copy)
        try "网络用语\n".write(toFile: copy.appending("words/slang.txt"), atomically: true, encoding: .utf8)
        let after = try RuleFiles.load(directory: copy)
        #expect(after.version != before.version)
        #expect(after.wordLists["slang.txt"]?.entries.map(\.term) == ["网络用语"])
    }
}

@Suite("rule files: refusals name the file and line")
struct RuleFileErrorTests {
    /// Each shipped bad fixture: the file it breaks, the line, and words the message must contain.
    static let cases: [(fixture: String, file: String, line: Int?, mentions: [String])] = [
        ("syntax-error", "local.yaml", 9, ["YAML 语法错误"]),
        ("unknown-key", "local.yaml", 11, ["未知的键", "ponits", "points"]),
        ("unknown-severity", "local.yaml", 10, ["fatal", "veto", "deduction", "info"]),
        ("missing-title", "local.yaml", 8, ["title"]),
        ("deduction-without-points", "local.yaml", 8, ["review.missing", "points"]),
        ("cap-below-points", "local.yaml", 12, ["cap", "points"]),
        ("passmark-over-total", "local.yaml", 5, ["pass_mark", "120", "100"]),
        ("duplicate-id", "local.yaml", 14, ["national.no-interaction", "重复", "national.yaml:5"]),
        ("missing-required", "local.yaml", 8, ["review.returned"]),
        ("words-missing", "local.yaml", 17, ["words/slang.txt", "不存在"]),
        ("duplicate-word", "words/forbidden.txt", 5, ["裸聊", "第 3 行"]),
        ("malformed-typo", "words/typos.txt", 3, ["=>", "必竟 毕竟"]),
    ]

    @Test("each bad fixture is refused at the right place", arguments: cases.indices)
    func refused(index: Int) throws {
        let expected = Self.cases[index]
        let directory = Fixture.path(expected.fixture)
        let error = try #require(Fixture.error(loading: directory), "\(expected.fixture) loaded")
        #expect(error.file == directory + "/" + expected.file, "\(expected.fixture): \(error)")
        #expect(error.line == expected.line, "\(expected.fixture): \(error)")
        for word in expected.mentions {
            #expect(error.message.contains(word), "\(expected.fixture): \(error) lacks \(word)")
        }
        #expect(error.description.hasPrefix("\(directory)/\(expected.file):\(expected.line.map(String.init) ?? "")"))
        #expect(error.description.contains("："))
    }

    @Test("the description is file:line:column：message")
    func description() {
        let error = RuleFileError(file: "rules/local.yaml", line: 12, column: 5, message: "出错了")
        #expect(error.description == "rules/local.yaml:12:5：出错了")
        #expect(RuleFileError(file: "rules", message: "没有").description == "rules：没有")
    }

    @Test("the unknown-key error points at the key's column")
    func column() throws {
        let error = try #require(Fixture.error(loading: Fixture.path("unknown-key")))
        #expect(error.column == 5)
    }

    @Test("a missing directory is refused")
    func missingDirectory() {
        let error = Fixture.error(loading: "/nonexistent/rules")
        #expect(error?.file == "/nonexistent/rules")
    }

    /// Edits one file of a copy of the valid fixture and returns the load error.
    func refusal(_ file: String, _ edit: @escaping (String) -> String) throws -> RuleFileError? {
        let copy = try Fixture.copy("valid")
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try copy.appending(file).edit(edit)
        guard let error = Fixture.error(loading: copy) else { return nil }
        // Drop the temporary prefix so the expectations read like the repository's paths.
        var relative = error
        relative.file = String(error.file.dropFirst(copy.count + 1))
        return relative
    }

    /// Line (1-based) of the first line containing `text` in the valid fixture's file.
    func line(of text: String, in file: String) throws -> Int {
        let lines = try String(contentsOfFile: Fixture.path("valid").appending(file), encoding: .utf8)
            .components(separatedBy: "\n")
        return try #require(lines.firstIndex { $0.contains(text) }) + 1
    }

    @Test("an id that breaks the pattern is refused")
    func badID() throws {
        let error = try refusal("local.yaml") { $0.replacingOccurrences(of: "id: review.returned", with: "id: Review.Returned") }
        #expect(error?.file == "local.yaml")
        #expect(error?.line == (try line(of: "id: review.returned", in: "local.yaml")))
        #expect(error?.message.contains("Review.Returned") == true)
    }

    @Test("points on a veto rule are refused")
    func pointsOnVeto() throws {
        let error = try refusal("national.yaml") {
            $0.replacingOccurrences(of: "    words: forbidden.txt\n", with: "    words: forbidden.txt\n    points: 5\n")
        }
        #expect(error?.file == "national.yaml")
        #expect(error?.line == (try line(of: "words: forbidden.txt", in: "national.yaml")) + 1)
    }

    @Test("a quoted number is refused rather than guessed at")
    func quotedNumber() throws {
        let error = try refusal("local.yaml") { $0.replacingOccurrences(of: "total: 100", with: "total: \"100\"") }
        #expect(error?.line == (try line(of: "total: 100", in: "local.yaml")))
        #expect(error?.message.contains("整数") == true)
    }

    @Test("a threshold of zero is refused")
    func zeroThreshold() throws {
        let error = try refusal("local.yaml") { $0.replacingOccurrences(of: "{scans: 3}", with: "{scans: 0}") }
        #expect(error?.line == (try line(of: "{scans: 3}", in: "local.yaml")))
        #expect(error?.message.contains("threshold.scans") == true)
    }

    @Test("a rule the evaluator needs a threshold for must have it")
    func missingThreshold() throws {
        let error = try refusal("national.yaml") { $0.replacingOccurrences(of: "    threshold: {days: 14}\n", with: "") }
        #expect(error?.line == (try line(of: "id: national.stale-2w", in: "national.yaml")))
        #expect(error?.message.contains("days") == true)
    }

    @Test("content.typo must use a correction list")
    func typoNeedsCorrections() throws {
        let error = try refusal("local.yaml") { $0.replacingOccurrences(of: "words: typos.txt", with: "words: forbidden.txt") }
        #expect(error?.line == (try line(of: "words: typos.txt", in: "local.yaml")))
    }

    @Test("the profile name must match the file")
    func profileMismatch() throws {
        let error = try refusal("local.yaml") { $0.replacingOccurrences(of: "profile: local", with: "profile: national") }
        #expect(error?.line == (try line(of: "profile: local", in: "local.yaml")))
    }

    /// The valid fixture's local file with one more rule appended after its last line.
    func popularityRefusal(_ rule: String) throws -> (error: RuleFileError?, firstLine: Int) {
        let lines = try String(contentsOfFile: Fixture.path("valid").appending("local.yaml"), encoding: .utf8)
            .components(separatedBy: "\n")
        let firstLine = lines.count + (lines.last == "" ? 0 : 1)
        let error = try refusal("local.yaml") { $0.hasSuffix("\n") ? $0 + rule : $0 + "\n" + rule }
        return (error, firstLine)
    }

    @Test("a rule scoring followers is refused at the threshold's line, citing 国办函〔2026〕12号")
    func followersThresholdRefused() throws {
        let (error, first) = try popularityRefusal("""
              - id: local.influence
                title: 账号影响力
                severity: deduction
                points: 5
                threshold:
                  followers: 1000
                source: 某区细则
            """)
        let e = try #require(error)
        #expect(e.file == "local.yaml")
        #expect(e.line == first + 5)
        #expect(e.message.contains("国办函〔2026〕12号") && e.message.contains("粉丝"))
        #expect(e.description.hasPrefix("local.yaml:\(first + 5):"))
    }

    @Test("a popularity metric is refused wherever it is written: a threshold name, a metric key, a Chinese title")
    func popularityEverywhere() throws {
        let cases: [(rule: String, offset: Int, mentions: String)] = [
            ("  - id: local.influence\n    title: 传播力\n    severity: info\n    threshold: {min_reads: 500}\n    source: 某区\n", 3, "min_reads"),
            ("  - id: local.influence\n    title: 传播力\n    severity: info\n    metric: likes\n    source: 某区\n", 3, "likes"),
            ("  - id: local.influence\n    title: 单篇阅读量低于100\n    severity: info\n    source: 某区\n", 1, "阅读量"),
            ("  - id: local.influence\n    title: 传播力\n    severity: info\n    threshold:\n      粉丝: 1000\n    source: 某区\n", 4, "粉丝"),
        ]
        for c in cases {
            let (error, first) = try popularityRefusal(c.rule)
            let e = try #require(error, "\(c.rule) loaded")
            #expect(e.line == first + c.offset, "\(e)")
            #expect(e.message.contains(c.mentions) && e.message.contains("国办函〔2026〕12号"), "\(e)")
        }
    }

    @Test("a source that quotes a popularity figure is not refused")
    func sourceMayQuote() throws {
        let (error, _) = try popularityRefusal("""
              - id: local.interaction
                title: 留言回复不及时
                severity: info
                source: 某通知（不以粉丝数、阅读量评价）
            """)
        #expect(error == nil)
    }

    @Test("a pattern rule must carry its thresholds, and a period of years is refused at its line")
    func patternThresholds() throws {
        let (missing, first) = try popularityRefusal("  - id: pattern.noncompliant-days\n    title: 不合规天数\n    severity: info\n    source: 国办秘函〔2019〕19号\n")
        #expect(missing?.line == first && missing?.message.contains("period_days") == true, "\(String(describing: missing))")
        let (long, start) = try popularityRefusal("  - id: pattern.longest-gap\n    title: 最长间隔\n    severity: info\n    threshold: {period_days: 5000}\n    source: 国办秘函〔2019〕19号\n")
        #expect(long?.line == start + 3 && long?.message.contains("5000") == true, "\(String(describing: long))")
    }

    @Test("a key written twice is a YAML error with its line")
    func duplicateKey() throws {
        let error = try refusal("local.yaml") { $0.replacingOccurrences(of: "pass_mark: 60\n", with: "pass_mark: 60\npass_mark: 70\n") }
        #expect(error?.file == "local.yaml")
        #expect(error?.line == (try line(of: "pass_mark: 60", in: "local.yaml")))
        #expect(error?.message.contains("pass_mark") == true)
    }

    @Test("a typo line with an empty side is refused")
    func emptyTypoSide() throws {
        let error = try refusal("words/typos.txt") { $0 + "必竟了 =>   \n" }
        #expect(error?.file == "words/typos.txt")
        #expect(error?.line == 4)
        #expect(error?.message.contains("右边") == true)
    }

    @Test("a plain list with a `=>` line is refused")
    func arrowInPlainList() throws {
        let error = try refusal("words/forbidden.txt") { $0 + "赌博 => 博彩\n" }
        #expect(error?.file == "words/forbidden.txt")
        #expect(error?.line == 4)
    }

    @Test("a word file that is not UTF-8 is refused at the bad line")
    func notUTF8() throws {
        let copy = try Fixture.copy("valid")
        defer { try? FileManager.default.removeItem(atPath: copy) }
        // 裸聊 in GBK: what a list saved by a Windows editor can look like.
        var data = Data("# 测试\n".utf8)
        data.append(contentsOf: [0xC2, 0xE3, 0xC1, 0xC4, 0x0A])
        try data.write(to: URL(fileURLWithPath: copy.appending("words/forbidden.txt")))
        let error = Fixture.error(loading: copy)
        #expect(error?.line == 2)
        #expect(error?.message.contains("UTF-8") == true)
    }

    @Test("comments, blank lines, CRLF and a byte-order mark are accepted in word files")
    func lenientText() throws {
        let copy = try Fixture.copy("valid")
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try "\u{FEFF}# 说明\r\n\r\n  裸聊  \r\n# 另一段\r\n色情直播\r\n".write(
            toFile: copy.appending("words/forbidden.txt"), atomically: true, encoding: .utf8)
        let set = try RuleFiles.load(directory: copy)
        let list = try #require(set.wordLists["forbidden.txt"])
        #expect(list.entries.map(\.term) == ["裸聊", "色情直播"])
        #expect(list.entries.map(\.definedAt) == ["words/forbidden.txt:3", "words/forbidden.txt:5"])
    }

    @Test("the valid fixture's rules keep their order, fields and definedAt")
    func parsedFields() throws {
        let set = try RuleFiles.load(directory: Fixture.path("valid"))
        #expect(set.national.rules.map(\.id) == ["national.stale-2w", "national.serious-error",
                                                 "national.forbidden-content", "national.no-interaction"])
        let typo = try #require(set.rule("content.typo"))
        #expect(typo == Rule(id: "content.typo", title: "错别字", severity: .deduction, points: 1, cap: 10,
                             threshold: [:], source: "本区细则（测试）", words: "typos.txt",
                             definedAt: "local.yaml:\(try line(of: "id: content.typo", in: "local.yaml"))"))
        #expect(set.allRules.count == 15)
    }
}
