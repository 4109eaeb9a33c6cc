import ArgumentParser
import Foundation
import GovMediaCore
import GovMediaDisclosure
import GovMediaParse
import GovMediaStore
import GovMediaWorkflows

/// `govmedia disclosure`: the annual government-information-disclosure report (政府信息公开年报):
/// import it, check its arithmetic (勾稽关系) and claims, and show it back table by table.
struct DisclosureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disclosure",
        abstract: "政府信息公开年报：导入、核对勾稽关系与正文数字、按表显示。",
        subcommands: [Import.self, Check.self, Show.self]
    )

    /// `govmedia disclosure import FILE --org NAME --year YYYY [--replace]`.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "读取年报文本文件（UTF-8 或 GB18030/GBK）并保存；读不懂时指出行号，不保存任何内容。",
            discussion: """
                同一单位同一年度已导入时须加 --replace；旧版本保留，标记为被新版本取代。
                导入后运行 govmedia disclosure check 核对。
                """)
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "年报文本文件（网页或 PDF 复制出的文字，或逐格分行的文本）") var file: String
        @Option(help: "年报所属单位，如 净月高新区") var org: String
        @Option(help: "年报年度（四位年份）") var year: Int
        @Flag(help: "已导入过时，以本文件替换（旧版本保留）") var replace = false
        @Option(help: "记入导入记录的原因（默认：导入 FILE；替换时请说明原因）") var reason: String?

        func run() throws {
            let data = try readFile(file)
            let (text, charset) = try decodeReport(data, file: file)
            let report: DisclosureReport
            do {
                report = try DisclosureReader.read(text: text)
            } catch {
                throw CLIFailure(located(error, file: file) + "；未保存任何内容")
            }
            let store = try db.open()
            let previous = try store.disclosure(org: org, year: year)
            let defaultReason = replace ? "以 \(file) 替换" : "导入 \(file)"
            let who = Attribution(operator: currentOperator(), reason: try requireReason(reason ?? defaultReason))
            let id = try store.importDisclosure(report, text: text, org: org, year: year, sourceFile: file,
                                                sourceSHA256: AuditHash.sha256(data), replace: replace, by: who)
            output(importSummary(report, id: id, replaced: previous?.id, charset: charset))
        }

        private func importSummary(_ report: DisclosureReport, id: Int64, replaced: Int64?, charset: String) -> String {
            let org = org.trimmingCharacters(in: .whitespacesAndNewlines)
            let cells = report.tables.flatMap { $0.rows.flatMap(\.cells) }
            let blank = cells.filter { $0.status == .blank }.count
            let unresolved = cells.filter { $0.status == .unresolved }.count
            var out = "已导入 \(org) \(year) 年报（版本 #\(id)，来自 \(file)）：读取表格 \(report.tables.count) 张"
                + "（表二 \(report.proactive.count) 张、表三、表四），共 \(cells.count) 格"
                + (blank > 0 ? "，其中空白 \(blank) 格" : "") + (unresolved > 0 ? "，数字无法确定 \(unresolved) 格" : "")
                + "；正文数字 \(report.narrative.count) 处；版式：\(layoutName(report.layout))。\n"
            if let replaced { out += "已替换版本 #\(replaced)（旧版本保留，可用 govmedia disclosure show --org \(org) --year \(year) --versions 查看）。\n" }
            if charset != "UTF-8" { out += "提示：文件不是 UTF-8，已按 \(charset) 读取。\n" }
            if let detected = report.year, detected != year {
                out += "提示：正文看来是 \(detected) 年的年报，与 --year \(year) 不同；已按 \(year) 年保存，如有误请用 --replace 重新导入。\n"
            }
            if report.sectionFive == nil { out += "提示：未找到第五部分“存在的主要问题及改进情况”。\n" }
            out += DisclosureCheckWorkflow.readingNotices(report, org: org, year: year).map { "提示：\($0)\n" }.joined()
            out += "核对：govmedia disclosure check --org \(org) --year \(year)\n"
            return out
        }
    }

    /// `govmedia disclosure check [--org O] [--year Y] [--json] [--fail-on-findings]`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "核对已导入年报的勾稽关系、空白格、跨年结转、正文数字，以及政务新媒体数量和达标率与监测台账是否一致。",
            discussion: """
                每一项发现是一处数字需要核实的地方。有发现时退出码仍为 0（发现是结果，不是运行错误）；\
                加 --fail-on-findings 时有发现则退出码为 2，便于脚本判断。
                跨年结转：同一单位上一年度的年报已导入时，核对上年“结转下年度继续办理”与本年“上年结转”。
                监测台账：账号数为该年 12 月 31 日前已备案且未在当日之前注销的账号；达标率取该年最后一次评判
                （合格数 ÷ 评判账号数）；该年没有评判记录时只核对账号数量。
                --json 输出数组，每项含 org、year、report_id、check、check_name、table、table_code、row、row_code、
                column、column_code、expected、actual、line、message；expected/actual 为 JSON 数字，按原样写出精确的十进制数位
                （如 98.7、451.726），不适用时为 null。提示信息此时写到标准错误。
                """)
        @OptionGroup var db: DatabaseOptions
        @Option(help: "只核对此单位的年报") var org: String?
        @Option(help: "只核对此年度的年报") var year: Int?
        @Flag(help: "不与监测台账比对政务新媒体数量和达标率（如部门年报只报本部门账号）") var noMonitor = false
        @Flag(help: "有发现时退出码为 2") var failOnFindings = false
        @Flag(help: "以 JSON 输出") var json = false

        func run() throws {
            let store = try db.openForReading()
            let checked = try DisclosureCheckWorkflow(store: store).check(org: org, year: year, compareWithMonitor: !noMonitor)
            guard !checked.isEmpty else {
                let which = [org, year.map { "\($0) 年" }].compactMap { $0 }.joined(separator: " ")
                throw CLIFailure("没有已导入的\(which.isEmpty ? "" : which + " ")年报；先运行 govmedia disclosure import FILE --org 单位 --year 年度")
            }
            let rows = checked.flatMap { c in c.findings.map { FindingJSON($0, stored: c.stored) } }
            if json {
                try printJSON(rows)
                let notices = checked.flatMap { c in c.notices.map { "提示：\(c.stored.org) \(c.stored.year) 年报：\($0)\n" } }
                if !notices.isEmpty { outputError(notices.joined()) }
            } else {
                output(checked.map(findingsText).joined(separator: "\n"))
            }
            if failOnFindings, !rows.isEmpty { throw ExitCode(2) }
        }

        private func findingsText(_ checked: CheckedDisclosure) -> String {
            let (findings, stored, unresolved) = (checked.findings, checked.stored, checked.unresolvedCells)
            let name = "\(stored.org) \(stored.year) 年报"
            var out: String
            if findings.isEmpty && unresolved == 0 {
                out = "\(name)：算术核对全部通过，未发现问题。\n"
            } else if findings.isEmpty {
                // Identities over an undetermined cell were skipped, so this is no clean bill.
                out = "\(name)：可核对的算术全部通过；另有 \(unresolved) 格数字连写无法确定，涉及这些格的核对未做，请对照原文人工核对。\n"
            } else {
                out = "\(name)（版本 #\(stored.id)）：发现 \(findings.count) 项需要核实：\n"
                var table = TextTable(headers: ["检查", "表", "行", "列", "应为", "实为", "原文行", "说明"],
                                      alignments: [.left, .left, .left, .left, .right, .right, .right, .left], maxCellWidth: 400)
                for f in findings {
                    table.append([checkName(f.check), tableName(f), DisplayWidth.truncate(f.row ?? "", to: 30), f.column ?? "",
                                  f.expected.map { "\($0)" } ?? "", f.actual.map { "\($0)" } ?? "", f.line.map(String.init) ?? "", f.message])
                }
                out += table.render()
            }
            out += checked.notices.map { "  提示：\($0)\n" }.joined()
            return out
        }
    }

    /// `govmedia disclosure show --org O --year Y [--json] [--versions]`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "按表显示已导入的年报（空白格留空），以及正文中的数字和原句，便于与公开发布的年报对照。",
            discussion: "--json 输出读取结果（DisclosureReport，数字为十进制字符串，不丢精度）；--versions 列出该年度的全部导入版本。")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "年报所属单位") var org: String
        @Option(help: "年报年度") var year: Int
        @Flag(help: "列出全部导入版本（含被取代的）") var versions = false
        @Flag(help: "以 JSON 输出") var json = false

        func run() throws {
            let store = try db.openForReading()
            if versions { return try showVersions(store) }
            guard let stored = try store.disclosure(org: org, year: year) else {
                throw CLIFailure("没有已导入的 \(org) \(year) 年报；先运行 govmedia disclosure import FILE --org \(org) --year \(year)")
            }
            if json { return try printJSON(stored.report) }
            output(reportText(stored))
        }

        private func showVersions(_ store: Store) throws {
            let all = try store.disclosureVersions(org: org, year: year)
            guard !all.isEmpty else { throw CLIFailure("没有已导入的 \(org) \(year) 年报") }
            if json {
                return try printJSON(all.map {
                    VersionJSON(id: $0.id, org: $0.org, year: $0.year, imported_at: ChinaTime.iso8601($0.importedAt), imported_by: $0.importedBy,
                                reason: $0.reason, source_file: $0.sourceFile, source_sha256: $0.sourceSHA256,
                                superseded_by: $0.supersededBy, current: $0.supersededBy == nil)
                })
            }
            var table = TextTable(headers: ["版本", "导入时间", "导入人", "原因", "文件", "SHA-256", "状态"], maxCellWidth: 60)
            for v in all {
                table.append(["#\(v.id)", ChinaTime.iso8601(v.importedAt), v.importedBy, v.reason, v.sourceFile, String(v.sourceSHA256.prefix(12)),
                              v.supersededBy.map { "已被 #\($0) 取代" } ?? "当前版本"])
            }
            output(table.render())
        }

        private func reportText(_ stored: StoredDisclosure) -> String {
            let report = stored.report
            var out = "\(stored.org) \(stored.year) 年报（版本 #\(stored.id)，\(ChinaTime.iso8601(stored.importedAt)) 由 \(stored.importedBy) 导入，"
                + "来自 \(stored.sourceFile)，版式：\(layoutName(report.layout))）\n"
            if let title = report.title { out += "标题：\(title)\n" }
            for table in report.tables {
                out += "\n\(shortName(table.id)) \(table.title)\n"
                var text = TextTable(headers: [table.id == .appeals ? "" : "信息内容"] + table.columns.map(\.label),
                                     alignments: [.left] + table.columns.map { _ in .right }, maxCellWidth: 80)
                let printed = Set(table.rows.map(\.code))
                var lastGroup: RequestRow?
                for row in table.rows {
                    // A report that prints only an outcome's sub-items still shows the outcome's
                    // heading, as the published table does, so "1.…" rows are not read out of context.
                    let group = table.id == .requests ? RequestRow(rawValue: row.code)?.group : nil
                    if let group, group != lastGroup, !printed.contains(group.rawValue) {
                        text.append([group.label])
                    }
                    lastGroup = group
                    text.append([row.label] + row.cells.map { cell in
                        switch cell.status {
                        case .number: cell.text
                        case .blank: ""
                        case .unresolved: "?"
                        }
                    })
                }
                out += text.render()
                // The digits as printed, for the rows shown with “?”: what the officer must split by hand.
                let runTogether = table.rows.filter { $0.cells.contains { $0.status == .unresolved } }.map { row in
                    "“\(row.label)”行（第 \(row.line) 行）原文为 \(row.runTogether ?? "（见原文）")，无法确定拆分"
                }
                out += runTogether.map { "  注：\($0)\n" }.joined()
            }
            out += "\n正文中的数字：\n"
            if report.narrative.isEmpty { out += "  （未找到）\n" }
            for figure in report.narrative {
                out += "  \(figure.kind.label)：\(figure.text)（第 \(figure.line) 行）\n    原句：\(figure.sentence)\n"
            }
            out += "\n五、存在的主要问题及改进情况：\n"
            out += report.sectionFive.map { $0.isEmpty ? "  （无内容）\n" : $0.split(separator: "\n").map { "  \($0)\n" }.joined() }
                ?? "  （未找到此部分）\n"
            if report.tables.contains(where: { $0.rows.contains { $0.cells.contains { $0.status == .unresolved } } }) {
                out += "\n表中“?”为原文数字连写、无法确定拆分的格，请对照原文。\n"
            }
            out += report.notices.map { "提示：\($0)\n" }.joined()
            return out
        }
    }
}

// MARK: - Reading the file

/// The report's text and the charset it was read in. Report texts saved from Chinese
/// government sites are often GBK, so bytes that are not UTF-8 are read as the page reader
/// reads them (GB18030 unless a BOM says otherwise); undecodable bytes are refused rather
/// than stored as U+FFFD in a text that is kept as evidence.
private func decodeReport(_ data: Data, file: String) throws -> (text: String, charset: String) {
    var bytes = Array(data)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    if let text = String(validating: bytes, as: UTF8.self) { return (text, "UTF-8") }
    // A file cut mid-character says so, rather than being re-read in another charset or
    // blamed on its encoding.
    if let cut = TruncatedBytes.diagnose(Array(data)) { throw CLIFailure("\(file)：\(cut)；未保存任何内容") }
    let decoded = TextDecoding.decode(Array(data), contentType: nil)
    let text = String(decoding: decoded.utf8, as: UTF8.self)
    if text.unicodeScalars.contains("\u{FFFD}") {
        throw CLIFailure("\(file)：含无法识别的字符，文件应为 UTF-8 或 GB18030（GBK）编码；未保存任何内容")
    }
    return (text, decoded.charset)
}

/// `FILE 第 N 行：…` from the reader's `第N行：…`.
private func located(_ error: DisclosureError, file: String) -> String {
    let message = error.message
    for (prefix, replacement) in [("第\(error.line)行起：", "第 \(error.line) 行起："), ("第\(error.line)行：", "第 \(error.line) 行：")]
    where message.hasPrefix(prefix) {
        return "\(file) \(replacement)" + message.dropFirst(prefix.count)
    }
    return "\(file) 第 \(error.line) 行：\(message)"
}

// MARK: - Names and output

/// The layout in officers' words, for summaries.
private func layoutName(_ layout: DisclosureLayout) -> String {
    switch layout {
    case .flattened: "逐格分行"
    case .spaced: "空格分隔"
    case .runTogether: "部分行数字连写（已拆分）"
    }
}

/// 表二（一）…表四: the short names officers use for the report's tables.
private func shortName(_ table: DisclosureTableID) -> String {
    switch table {
    case .rules: "表二（一）"
    case .licensing: "表二（五）"
    case .enforcement: "表二（六）"
    case .fees: "表二（八）"
    case .requests: "表三"
    case .appeals: "表四"
    }
}

/// Where a finding is: the table's short name, or the checker's own (e.g. 正文（政务新媒体）).
private func tableName(_ finding: DisclosureFinding) -> String {
    finding.tableCode.map(shortName) ?? finding.table
}

/// The check in Chinese, for the 检查 column and `check_name` in JSON.
private func checkName(_ check: DisclosureCheck) -> String {
    switch check {
    case .carryoverIdentity: "结转勾稽"
    case .outcomeSum: "办理结果合计"
    case .rowTotal: "申请人合计"
    case .appealTotal: "复议诉讼合计"
    case .crossYearCarryover: "跨年结转"
    case .narrativeMismatch: "正文与表格不符"
    case .blankCell: "空白格"
    case .emptySection: "第五部分为空"
    case .monitorMismatch: "与监测台账不符"
    }
}

/// Rounds half up for a notice (the checker compares at the report's own precision).

/// One finding as `disclosure check --json` prints it: every key always present (null when
/// not applicable); figures as JSON numbers with their exact decimal digits.
private struct FindingJSON: Encodable {
    var org: String
    var year: Int
    var report_id: Int64
    var check: String
    var check_name: String
    var table: String
    var table_code: String?
    var row: String?
    var row_code: String?
    var column: String?
    var column_code: String?
    var expected: Decimal?
    var actual: Decimal?
    var line: Int?
    var message: String

    init(_ f: DisclosureFinding, stored: StoredDisclosure) {
        org = stored.org
        year = stored.year
        report_id = stored.id
        check = f.check.rawValue
        check_name = checkName(f.check)
        table = f.table
        table_code = f.tableCode?.rawValue
        row = f.row
        row_code = f.rowCode
        column = f.column
        column_code = f.columnCode
        expected = f.expected
        actual = f.actual
        line = f.line
        message = f.message
    }

    enum Keys: String, CodingKey {
        case org, year, report_id, check, check_name, table, table_code, row, row_code, column, column_code, expected, actual, line, message
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(org, forKey: .org); try c.encode(year, forKey: .year); try c.encode(report_id, forKey: .report_id)
        try c.encode(check, forKey: .check); try c.encode(check_name, forKey: .check_name); try c.encode(table, forKey: .table)
        try c.encode(table_code, forKey: .table_code); try c.encode(row, forKey: .row); try c.encode(row_code, forKey: .row_code)
        try c.encode(column, forKey: .column); try c.encode(column_code, forKey: .column_code)
        // JSONEncoder writes a Decimal as a number with its exact digits (no trip through Double).
        try c.encode(expected, forKey: .expected); try c.encode(actual, forKey: .actual)
        try c.encode(line, forKey: .line); try c.encode(message, forKey: .message)
    }
}

/// One stored version as `disclosure show --versions --json` prints it.
private struct VersionJSON: Encodable {
    var id: Int64
    var org: String
    var year: Int
    var imported_at, imported_by, reason, source_file, source_sha256: String
    var superseded_by: Int64?
    var current: Bool

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(org, forKey: .org); try c.encode(year, forKey: .year)
        try c.encode(imported_at, forKey: .imported_at); try c.encode(imported_by, forKey: .imported_by)
        try c.encode(reason, forKey: .reason); try c.encode(source_file, forKey: .source_file)
        try c.encode(source_sha256, forKey: .source_sha256); try c.encode(superseded_by, forKey: .superseded_by)
        try c.encode(current, forKey: .current)
    }

    enum CodingKeys: String, CodingKey {
        case id, org, year, imported_at, imported_by, reason, source_file, source_sha256, superseded_by, current
    }
}
