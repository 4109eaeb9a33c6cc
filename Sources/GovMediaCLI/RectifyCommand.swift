import ArgumentParser
import Foundation
import GovMediaCore
import GovMediaStore

/// `govmedia rectify`: the rectification items (整改事项) an evaluation opens for failing
/// problems, until fixed (closed by a later evaluation), extended or waived.
struct RectifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rectify", abstract: "整改事项：列出、查看、延期、豁免。",
        subcommands: [List.self, Show.self, Extend.self, Waive.self])

    /// One line after an evaluation: what happened to the items, or nothing.
    static func outcomeText(_ o: RectificationOutcome) -> String {
        guard !(o.opened.isEmpty && o.fixed.isEmpty && o.overdue.isEmpty) else { return "" }
        return "整改事项：新开立 \(o.opened.count) 个，已整改 \(o.fixed.count) 个，新逾期 \(o.overdue.count) 个（govmedia rectify list）。\n"
    }

    /// An item id as typed: `12` or `#12`.
    static func parseID(_ text: String) throws -> Int64 {
        let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
        guard let id = Int64(digits), id > 0 else { throw CLIFailure("整改事项编号应为正整数（如 12），现在是「\(text)」") }
        return id
    }

    static func checkTime(_ at: String?) throws -> Date {
        guard let at else { return Date() }
        guard let date = TextDate.readExact(at) else {
            throw CLIFailure("--at 无法识别：\(at)（示例：2026-11-24、\"2026-11-24 09:00\"）")
        }
        return date
    }

    static func time(_ d: Date?) -> String { d.map(ChinaTime.short) ?? "" }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出整改事项（最新的在前）。")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "主办单位（包含此文字）") var unit: String?
        @Flag(help: "只列出未整改的（含逾期）") var open = false
        @Flag(help: "只列出已逾期的") var overdue = false
        @Flag(help: "只列出已整改的") var fixed = false
        @Option(help: "按此时间判断是否逾期（默认现在）") var at: String?
        @Flag(help: "以 JSON 输出") var json = false
        @Flag(help: "以 CSV 输出（UTF-8 BOM）") var csv = false

        func run() throws {
            guard [open, overdue, fixed].filter({ $0 }).count <= 1 else { throw CLIFailure("--open、--overdue、--fixed 只能选一个") }
            let store = try db.openForReading()
            let at = try RectifyCommand.checkTime(self.at)
            var filter = RectificationFilter(unit: unit)
            if open || overdue { filter.states = [.open] }
            if fixed { filter.states = [.fixed] }
            var items = try store.rectifications(filter)
            if overdue { items = items.filter { $0.isOverdue(at: at) } }
            if json { return try printJSON(items.map { ItemJSON($0, at: at) }) }
            if csv {
                var w = CSVWriter(header: ["编号", "账号ID", "账号名称", "主办单位", "责任人", "规则", "性质", "发现时间", "整改时限", "按周末估算", "状态", "问题", "关闭时间", "关闭依据"])
                for i in items {
                    w.append([String(i.id), i.accountID, i.accountName, i.owner, i.responsible ?? "", i.rule, i.severity.chineseName,
                              ChinaTime.iso8601(i.foundAt), i.deadline.description, i.deadlineEstimated ? "是" : "", i.stateName(at: at), i.summary,
                              i.closedAt.map(ChinaTime.iso8601) ?? "", i.closedRunID.map { "评判 #\($0)" } ?? i.closeReason ?? ""])
                }
                return FileHandle.standardOutput.write(Data(w.bytes))
            }
            guard !items.isEmpty else { return output("没有符合条件的整改事项。\n") }
            var table = TextTable(headers: ["编号", "账号", "主办单位", "规则", "性质", "发现时间", "整改时限", "状态", "问题"], maxCellWidth: 50)
            for i in items {
                table.append(["#\(i.id)", i.accountID, i.owner, i.rule, i.severity.chineseName, RectifyCommand.time(i.foundAt), i.deadlineText,
                              i.stateName(at: at), i.summary])
            }
            let overdueCount = items.filter { $0.isOverdue(at: at) }.count
            output(table.render() + "共 \(items.count) 个" + (overdueCount > 0 ? "，其中逾期 \(overdueCount) 个" : "") + "。\n")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "查看一个整改事项：问题、证据、时限与全部事件。")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "整改事项编号") var id: String
        @Option(help: "按此时间判断是否逾期（默认现在）") var at: String?
        @Flag(help: "以 JSON 输出") var json = false

        func run() throws {
            let store = try db.openForReading()
            let id = try RectifyCommand.parseID(self.id)
            let at = try RectifyCommand.checkTime(self.at)
            guard let item = try store.rectification(id) else { throw CLIFailure("没有整改事项 #\(id)（用 govmedia rectify list 查看编号）") }
            let events = try store.rectificationEvents(itemID: id)
            if json {
                var value = ItemJSON(item, at: at)
                value.events = events.map { ["seq": String($0.seq), "kind": $0.kind.rawValue, "at": $0.at, "operator": $0.operator,
                                             "reason": $0.reason, "details": $0.details, "hash": $0.hash] }
                return try printJSON(value)
            }
            var text = "整改事项 #\(item.id)：\(item.stateName(at: at))\n"
            text += "账号：\(item.accountID)《\(item.accountName)》\n主送单位：\(item.owner)" + (item.responsible.map { "（责任人：\($0)）" } ?? "") + "\n"
            text += "规则：\(item.rule)（\(item.severity.chineseName)）\n"
            text += "发现：\(ChinaTime.iso8601(item.foundAt))（评判 #\(item.foundRunID)）\n"
            text += "整改时限：\(item.deadlineText) 前\n"
            if let closed = item.closedAt {
                text += item.state == .fixed ? "整改完成：\(ChinaTime.iso8601(closed))，依据评判 #\(item.closedRunID ?? 0) 未再发现此问题\n"
                                             : "豁免：\(ChinaTime.iso8601(closed))，理由：\(item.closeReason ?? "")\n"
            }
            text += "问题与证据：\n"
            for f in item.evidence {
                text += "  - \(f.message)\n"
                if let url = f.postURL { text += "      \(url)\n" }
                if let sha = f.evidenceSHA256 { text += "      证据 govmedia evidence show \(sha.prefix(16))\n" }
            }
            text += "事件：\n"
            for e in events { text += "  \(e.seq). \(e.at) \(e.kind.chineseName)（\(e.operator)）：\(e.reason)\n" }
            output(text)
        }
    }

    struct Extend: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "延长整改时限（须说明原因）。")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "整改事项编号") var id: String
        @Option(help: "新的整改时限 YYYY-MM-DD（当天结束前）") var to: String
        @Option(help: "原因（必填）") var reason: String?

        func run() throws {
            let id = try RectifyCommand.parseID(self.id)
            guard let day = CivilDate(iso: to) else { throw CLIFailure("--to 应为日期 YYYY-MM-DD，现在是「\(to)」；未作更改") }
            let reason = try requireReason(self.reason ?? "")
            let item = try db.open().extendRectification(id, to: day, by: Attribution(operator: currentOperator(), reason: reason))
            output("已将整改事项 #\(id) 的时限延至 \(item.deadline)。\n")
        }
    }

    struct Waive: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "豁免一个整改事项（须说明原因）。")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "整改事项编号") var id: String
        @Option(help: "理由（必填）") var reason: String?

        func run() throws {
            let id = try RectifyCommand.parseID(self.id)
            let reason = try requireReason(self.reason ?? "")
            try db.open().waiveRectification(id, by: Attribution(operator: currentOperator(), reason: reason))
            output("已豁免整改事项 #\(id)。\n")
        }
    }
}

/// An item as `rectify list --json` / `show --json` print it.
struct ItemJSON: Encodable {
    var id: Int64
    var account_id, account_name, owner: String
    var responsible: String?
    var rule, severity, found_at: String
    var found_run: Int64
    var deadline: String
    var deadline_estimated: Bool
    var state, state_name, summary: String
    var closed_at: String?
    var closed_run: Int64?
    var close_reason: String?
    var evidence: [Finding]
    var events: [[String: String]]?

    init(_ i: RectificationItem, at: Date) {
        id = i.id
        account_id = i.accountID
        account_name = i.accountName
        owner = i.owner
        responsible = i.responsible
        rule = i.rule
        severity = i.severity.rawValue
        found_at = ChinaTime.iso8601(i.foundAt)
        found_run = i.foundRunID
        deadline = i.deadline.description
        deadline_estimated = i.deadlineEstimated
        state = i.stateCode(at: at)
        state_name = i.stateName(at: at)
        summary = i.summary
        closed_at = i.closedAt.map(ChinaTime.iso8601)
        closed_run = i.closedRunID
        close_reason = i.closeReason
        evidence = i.evidence
    }
}
