import Foundation
import GovMediaCore
import Yams

/// Loads and validates a rules directory: `national.yaml`, `local.yaml` and `words/*.txt`
/// (format in `rules/README.md`).
///
/// The district edits these files by hand, so validation is strict and every refusal names
/// the file and line: unknown keys are errors (a misspelt `ponits:` must not silently mean
/// "no points"), and the rules the evaluator relies on must all be there.
public enum RuleFiles {
    /// The national profile's file inside the rules directory.
    public static let nationalFile = "national.yaml"
    /// The district profile's file inside the rules directory.
    public static let localFile = "local.yaml"
    /// The folder of word lists inside the rules directory.
    public static let wordsDirectory = "words"

    /// Rule ids the evaluator relies on; a rules directory lacking any of them is refused.
    /// A district that does not want a rule to count sets its `severity` to `info`
    /// instead of deleting it.
    public static let requiredRuleIDs: [String] = [
        "national.stale-2w", "national.serious-error", "national.forbidden-content", "national.no-interaction",
        "local.stale-1w", "review.missing", "review.incomplete", "review.same-reviewer",
        "review.after-publication", "review.out-of-order", "review.returned", "fetch.unreachable",
        "content.typo", "register.duplicate-platform", "lifecycle.active-after-deregistration",
    ]

    /// Reads, validates and hashes the rules under `directory`.
    ///
    /// Checks run in this order and the first problem is thrown: each word list, then
    /// `national.yaml`, then `local.yaml` (ids must be unique across both), then the
    /// required rule ids.
    public static func load(directory: String) throws(RuleFileError) -> RuleSet {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RuleFileError(file: directory, message: "规则目录不存在或不是目录")
        }
        let display = { (relative: String) in
            directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
        }
        // Raw bytes by path relative to the directory: the version hashes exactly these.
        var hashed: [RuleFile] = []

        var wordLists: [String: WordList] = [:]
        let wordsPath = display(wordsDirectory)
        var wordsIsDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: wordsPath, isDirectory: &wordsIsDirectory), wordsIsDirectory.boolValue {
            let names: [String]
            do {
                names = try fileManager.contentsOfDirectory(atPath: wordsPath)
            } catch {
                throw RuleFileError(file: wordsPath, message: "无法列出词表目录：\(error.localizedDescription)")
            }
            // Dot-files are editor backups and lock files, not lists.
            for name in names.filter({ $0.hasSuffix(".txt") && !$0.hasPrefix(".") }).sorted() {
                let relative = "\(wordsDirectory)/\(name)"
                let data = try read(display(relative))
                hashed.append(RuleFile(path: relative, data: data))
                wordLists[name] = try WordListFile.parse(name: name, data: data, displayPath: display(relative))
            }
        }

        var seen: [String: String] = [:]   // rule id → definedAt, across both files
        var profiles: [ProfileFile] = []
        for (file, name) in [(nationalFile, "national"), (localFile, "local")] {
            let data = try read(display(file))
            hashed.append(RuleFile(path: file, data: data))
            let source = YAMLSource(displayPath: display(file), name: file)
            let text = try TextLines.decode(data, displayPath: source.displayPath)
            let parsed = try ProfileFile.parse(text, source: source, expectedProfile: name,
                                               wordLists: wordLists, seenIDs: &seen)
            profiles.append(parsed)
        }

        let present = Set(seen.keys)
        for id in requiredRuleIDs where !present.contains(id) {
            // Name the file the rule belongs in, at its `rules:` key, so the fix is obvious.
            let home = id.hasPrefix("national.") ? profiles[0] : profiles[1]
            throw home.source.error(at: home.rulesMark,
                                    "缺少必需的规则 \(id)：评估依赖它，不能删除（本区不采用时可把 severity 改为 info）")
        }

        let calendar = try CalendarFile.load(directory: directory)
        if let data = calendar.data { hashed.append(RuleFile(path: CalendarFile.fileName, data: data)) }
        hashed.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }

        return RuleSet(national: profiles[0].profile, local: profiles[1].profile,
                       wordLists: wordLists, version: version(of: hashed), calendar: calendar.calendar, files: hashed)
    }

    /// sha256 over length-prefixed (path, content) pairs in path order: paths are relative,
    /// so the same files give the same version wherever the directory lives.
    public static func version(of files: [RuleFile]) -> String {
        var bytes: [UInt8] = []
        for file in files.sorted(by: { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }) {
            let path = Array(file.path.utf8)
            bytes += Array("\(path.count):".utf8) + path
            bytes += Array("\(file.data.count):".utf8) + file.data
        }
        return AuditHash.sha256(bytes)
    }

    static func read(_ path: String) throws(RuleFileError) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RuleFileError(file: path, message: "无法读取文件（不存在或没有读权限）")
        }
        return data
    }
}

/// One YAML file under validation: where errors point.
struct YAMLSource {
    /// The path errors name.
    let displayPath: String
    /// The file name inside the rules directory, for `Rule.definedAt`.
    let name: String

    func error(at mark: Mark?, _ message: String) -> RuleFileError {
        RuleFileError(file: displayPath, line: mark?.line, column: mark?.column, message: message)
    }

    func error(_ node: Node, _ message: String) -> RuleFileError {
        error(at: node.mark, message)
    }

    /// Turns a Yams error into one that names this file; libyaml's own wording is kept in
    /// brackets because it is what a search engine knows.
    func error(from yamlError: any Error) -> RuleFileError {
        guard let yamlError = yamlError as? YamlError else {
            return RuleFileError(file: displayPath, message: "无法解析 YAML：\(yamlError)")
        }
        switch yamlError {
        case let .scanner(context, problem, mark, _),
             let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var message = "YAML 语法错误（\(problem)）"
            if let context { message += "；相关位置：第 \(context.mark.line) 行（\(context.text)）" }
            message += "。常见原因：缩进不齐、用了 Tab、冒号后缺空格、引号未闭合"
            return error(at: mark, message)
        case let .reader(problem, offset, _, yaml):
            // `offset` counts Characters from the start of the text.
            let line = offset.map { yaml.prefix($0).reduce(1) { $1 == "\n" ? $0 + 1 : $0 } }
            return RuleFileError(file: displayPath, line: line, message: "YAML 无法读取（\(problem)）")
        case let .duplicatedKeysInMapping(duplicates, context):
            return error(at: context.mark, "同一层级的键重复：\(duplicates.joined(separator: "、"))（每个键只能写一次）")
        default:
            return RuleFileError(file: displayPath, message: "无法解析 YAML：\(yamlError)")
        }
    }
}

/// A mapping whose keys have been checked against an allowed set.
struct Fields {
    let node: Node
    let values: [String: (key: Node, value: Node)]
    let source: YAMLSource

    /// Reads `node` as a mapping with only `allowed` keys; `what` names it in messages.
    init(_ node: Node, allowed: [String], what: String, source: YAMLSource) throws(RuleFileError) {
        guard let mapping = node.mapping else {
            throw source.error(node, "\(what)应为「键: 值」的映射")
        }
        var values: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                throw source.error(key, "\(what)的键应为文字")
            }
            guard allowed.contains(name) else {
                var message = "未知的键「\(name)」"
                if let guess = Self.closest(to: name, in: allowed) { message += "，是否想写 \(guess)？" }
                message += "（\(what)可用的键：\(allowed.joined(separator: "、"))）"
                throw source.error(key, message)
            }
            values[name] = (key, value)
        }
        self.node = node
        self.values = values
        self.source = source
    }

    /// A value that is empty in YAML (`key:`, `~`, `null`) counts as absent: Yams' resolver
    /// tags those plain scalars null (a quoted "null" stays a string).
    func value(_ key: String) -> Node? {
        guard let value = values[key]?.value, Resolver.default.resolveTag(of: value) != .null else { return nil }
        return value
    }

    /// Where to point when `key` is missing or empty: its key if written, else the mapping.
    func mark(_ key: String) -> Mark? {
        values[key]?.value.mark ?? values[key]?.key.mark ?? node.mark
    }

    func string(_ key: String, required: Bool, what: String) throws(RuleFileError) -> String? {
        guard let node = value(key) else {
            if required { throw source.error(at: mark(key), "缺少\(what)（\(key)），不能为空") }
            return nil
        }
        guard let scalar = node.scalar else {
            throw source.error(node, "\(key) 应为一段文字，不是列表或映射")
        }
        let text = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty {
            if required { throw source.error(node, "缺少\(what)（\(key)），不能为空") }
            return nil
        }
        return text
    }

    func int(_ key: String) throws(RuleFileError) -> (value: Int, mark: Mark?)? {
        guard let node = value(key) else { return nil }
        return (try Self.integer(node, name: key, source: source), node.mark)
    }

    /// A plain (unquoted) decimal integer: `"5"` is refused so that a number written as
    /// text is noticed rather than guessed at.
    static func integer(_ node: Node, name: String, source: YAMLSource) throws(RuleFileError) -> Int {
        guard let scalar = node.scalar, scalar.style == .plain,
              let number = Int(scalar.string), !scalar.string.hasPrefix("+") else {
            throw source.error(node, "\(name) 应为整数（阿拉伯数字，不加引号），现在是「\(node.scalar?.string ?? "非文字")」")
        }
        return number
    }

    /// The allowed key within edit distance 2, for "did you mean".
    static func closest(to name: String, in allowed: [String]) -> String? {
        allowed.map { ($0, distance(Array(name), Array($0))) }
            .filter { $0.1 <= 2 }
            .min { $0.1 < $1.1 }?.0
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}

/// One profile file, parsed and validated.
struct ProfileFile {
    let profile: RuleProfile
    let source: YAMLSource
    /// Where the `rules:` key is, for "missing required rule" errors.
    let rulesMark: Mark?

    static let profileKeys = ["profile", "title", "source", "total", "pass_mark", "window_days", "rectify_days", "rules"]
    static let ruleKeys = ["id", "title", "severity", "points", "cap", "threshold", "source", "words", "rectify", "rectify_days"]

    /// What some required rules must carry for the evaluator to apply them.
    struct Contract {
        var thresholds: [String] = []
        /// nil: no list; true: a correction list (`typos*.txt`); false: a plain list.
        var correctionList: Bool?
    }

    static let contracts: [String: Contract] = [
        "national.stale-2w": Contract(thresholds: ["days"]),
        "local.stale-1w": Contract(thresholds: ["days"]),
        "fetch.unreachable": Contract(thresholds: ["scans"]),
        "national.serious-error": Contract(correctionList: false),
        "national.forbidden-content": Contract(correctionList: false),
        "content.typo": Contract(correctionList: true),
        "pattern.longest-gap": Contract(thresholds: ["period_days"]),
        "pattern.noncompliant-days": Contract(thresholds: ["period_days"]),
        "pattern.deadline-posting": Contract(thresholds: ["periods", "min_hits"]),
    ]

    static func parse(_ text: String, source: YAMLSource, expectedProfile: String,
                      wordLists: [String: WordList], seenIDs: inout [String: String]) throws(RuleFileError) -> ProfileFile {
        let composed: Node?
        do {
            composed = try Yams.compose(yaml: text)
        } catch {
            throw source.error(from: error)
        }
        guard let root = composed else {
            throw RuleFileError(file: source.displayPath, message: "文件为空：应写明 profile、title、source 和 rules")
        }
        let fields = try Fields(root, allowed: profileKeys, what: "配置", source: source)

        let name = try fields.string("profile", required: true, what: "配置名")!
        guard name == expectedProfile else {
            throw source.error(at: fields.mark("profile"),
                               "\(source.name) 只能定义 profile: \(expectedProfile)，现在写的是「\(name)」")
        }
        let title = try fields.string("title", required: true, what: "配置标题")!
        let profileSource = try fields.string("source", required: true, what: "依据")!

        let total = try fields.int("total")
        if let total, total.value <= 0 {
            throw source.error(at: total.mark, "total（满分）应大于 0")
        }
        let passMark = try fields.int("pass_mark")
        if let passMark {
            guard let total else {
                throw source.error(at: passMark.mark, "写了 pass_mark（合格线）就要写 total（满分）")
            }
            guard passMark.value > 0, passMark.value <= total.value else {
                throw source.error(at: passMark.mark,
                                   "pass_mark（合格线）应大于 0 且不超过 total（满分 \(total.value)），现在是 \(passMark.value)")
            }
        }
        let windowDays = try fields.int("window_days")
        if let windowDays, windowDays.value <= 0 {
            throw source.error(at: windowDays.mark, "window_days（检查窗口天数）应大于 0")
        }
        let rectifyDays = try fields.int("rectify_days")
        if let rectifyDays, rectifyDays.value <= 0 {
            throw source.error(at: rectifyDays.mark, "rectify_days（整改时限，工作日）应大于 0")
        }
        // The scored scheme is meaningless without its numbers; the evaluator must not guess them.
        if expectedProfile == "local" {
            for (key, what) in [("total", "满分"), ("pass_mark", "合格线"), ("window_days", "检查窗口天数")]
            where fields.value(key) == nil {
                throw source.error(at: root.mark, "local 配置缺少 \(key)（\(what)）")
            }
        }

        guard let rulesNode = fields.value("rules") else {
            throw source.error(at: fields.mark("rules"), "缺少 rules（规则列表）")
        }
        guard let sequence = rulesNode.sequence else {
            throw source.error(rulesNode, "rules 应为列表，每条规则以「- id: …」开头")
        }
        var rules: [Rule] = []
        for node in sequence {
            let rule = try parseRule(node, source: source, wordLists: wordLists, seenIDs: &seenIDs)
            if rule.severity == .deduction, total == nil || passMark == nil {
                throw source.error(node, "扣分规则 \(rule.id) 所在的配置须写明 total（满分）和 pass_mark（合格线）")
            }
            rules.append(rule)
        }
        let profile = RuleProfile(name: name, title: title, source: profileSource, total: total?.value,
                                  passMark: passMark?.value, windowDays: windowDays?.value,
                                  rectifyDays: rectifyDays?.value, rules: rules)
        return ProfileFile(profile: profile, source: source, rulesMark: fields.values["rules"]?.key.mark)
    }

    static func parseRule(_ node: Node, source: YAMLSource, wordLists: [String: WordList],
                          seenIDs: inout [String: String]) throws(RuleFileError) -> Rule {
        // Before the keys are checked: `metric: followers` must be refused for what it
        // means, not as an unknown key someone might then "fix" by renaming.
        try PopularityMetrics.refuse(in: node, source: source)
        let fields = try Fields(node, allowed: ruleKeys, what: "规则", source: source)
        let definedAt = "\(source.name):\(node.mark?.line ?? 0)"

        let id = try fields.string("id", required: true, what: "规则 id")!
        guard isValidID(id) else {
            throw source.error(at: fields.mark("id"),
                               "规则 id「\(id)」格式不对：应为小写字母、点、再接小写字母/数字/连字符，如 review.missing")
        }
        if let earlier = seenIDs[id] {
            throw source.error(at: fields.mark("id"), "规则 id \(id) 重复：\(earlier) 已定义（两个文件中的 id 都不能重复）")
        }
        seenIDs[id] = definedAt

        let title = try fields.string("title", required: true, what: "规则标题")!
        let severityText = try fields.string("severity", required: true, what: "严重程度")!
        guard let severity = Severity(rawValue: severityText) else {
            throw source.error(at: fields.mark("severity"),
                               "未知的 severity「\(severityText)」：只能是 veto（单项否决）、deduction（扣分）或 info（提示）")
        }
        let ruleSource = try fields.string("source", required: true, what: "依据")!

        let points = try fields.int("points")
        let cap = try fields.int("cap")
        switch severity {
        case .deduction:
            guard let points else {
                throw source.error(at: fields.mark("points"), "扣分规则 \(id) 须写 points（每次扣几分），且大于 0")
            }
            guard points.value > 0 else {
                throw source.error(at: points.mark, "扣分规则 \(id) 的 points 应大于 0，现在是 \(points.value)")
            }
            if let cap, cap.value < points.value {
                throw source.error(at: cap.mark, "cap（封顶 \(cap.value) 分）不能小于 points（每次 \(points.value) 分）")
            }
        case .veto, .info:
            // Vetoes and notes carry no points (Finding.points is 0 for them); a number here
            // means someone expected it to count, so say it doesn't.
            if let points, points.value != 0 {
                throw source.error(at: points.mark, "\(severity.chineseName)规则不扣分，points 应为 0 或不写")
            }
            if let cap {
                throw source.error(at: cap.mark, "\(severity.chineseName)规则不扣分，不能写 cap")
            }
        }
        var threshold: [String: Int] = [:]
        if let thresholdNode = fields.value("threshold") {
            guard let mapping = thresholdNode.mapping else {
                throw source.error(thresholdNode, "threshold 应为映射，如「threshold: {days: 14}」")
            }
            for (key, value) in mapping {
                guard let name = key.scalar?.string, !name.isEmpty,
                      name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || $0 == "_" }) else {
                    throw source.error(key, "threshold 的名称应为小写英文字母，如 days、scans")
                }
                let number = try Fields.integer(value, name: "threshold.\(name)", source: source)
                guard number > 0 else {
                    throw source.error(value, "threshold.\(name) 应为正整数，现在是 \(number)")
                }
                threshold[name] = number
            }
        }

        let words = try fields.string("words", required: false, what: "词表")
        if let words {
            guard !words.contains("/"), !words.contains("\\"), !words.hasPrefix(".") else {
                throw source.error(at: fields.mark("words"), "words 只写文件名（如 typos.txt），文件放在 words/ 目录下")
            }
            guard wordLists[words] != nil else {
                throw source.error(at: fields.mark("words"), "词表文件 \(RuleFiles.wordsDirectory)/\(words) 不存在")
            }
        }

        if let contract = contracts[id] {
            for name in contract.thresholds where threshold[name] == nil {
                throw source.error(node, "规则 \(id) 须写 threshold: {\(name): …}，评估要用到这个数")
            }
            if let wantsCorrections = contract.correctionList {
                guard let words else {
                    throw source.error(node, "规则 \(id) 须用 words 指定一个词表")
                }
                if WordListFile.isCorrectionList(words) != wantsCorrections {
                    throw source.error(at: fields.mark("words"), wantsCorrections
                        ? "规则 \(id) 要用纠错词表（文件名以 typos 开头、每行「错误写法 => 正确写法」）"
                        : "规则 \(id) 要用普通词表，不能用纠错词表 \(words)")
                }
            }
        }

        // The pattern rules walk every day of their period for every account: a period of
        // years is a typo, and would make each evaluation crawl.
        if id.hasPrefix("pattern.") {
            let days = threshold["period_days"] ?? (threshold["periods"] ?? 0) * (threshold["days"] ?? 14)
            if days > maxPatternDays {
                throw source.error(at: fields.mark("threshold"),
                                   "规则 \(id) 的统计期为 \(days) 天，超过上限 \(maxPatternDays) 天（两年）：请检查 threshold")
            }
        }

        var rectify: Bool?
        if let node = fields.value("rectify") {
            guard let scalar = node.scalar, scalar.style == .plain, ["true", "false"].contains(scalar.string) else {
                throw source.error(node, "rectify 应为 true 或 false（不加引号），现在是「\(node.scalar?.string ?? "非文字")」")
            }
            rectify = scalar.string == "true"
            if rectify == true, severity == .info {
                throw source.error(node, "提示规则不影响结论，不能要求整改（rectify: true）；要整改请把 severity 改为 deduction 或 veto")
            }
        }
        let rectifyDays = try fields.int("rectify_days")
        if let rectifyDays, rectifyDays.value <= 0 {
            throw source.error(at: rectifyDays.mark, "rectify_days（整改时限，工作日）应大于 0，现在是 \(rectifyDays.value)")
        }

        return Rule(id: id, title: title, severity: severity, points: points?.value ?? 0, cap: cap?.value,
                    threshold: threshold, source: ruleSource, words: words, definedAt: definedAt,
                    rectify: rectify, rectifyDays: rectifyDays?.value)
    }

    /// The longest period an update-pattern rule may look back over, in days.
    static let maxPatternDays = 730

    /// `[a-z]+\.[a-z0-9-]+`, written out to avoid a regex engine for one pattern.
    static func isValidID(_ id: String) -> Bool {
        let parts = id.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
        let lower = { (c: Unicode.Scalar) in ("a"..."z").contains(c) }
        return parts[0].unicodeScalars.allSatisfy(lower)
            && parts[1].unicodeScalars.allSatisfy { lower($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
