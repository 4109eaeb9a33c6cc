import ArgumentParser
import Foundation
import GovMediaCore
import GovMediaParse
import GovMediaStore

/// `govmedia account`: the register (台账) and its lifecycle.
struct AccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "台账：开设、变更、关停、注销，查询与导入导出。",
        subcommands: [Import.self, Add.self, Change.self, Close.self, Deregister.self,
                      List.self, Show.self, History.self, Export.self, FlagCommand.self, UnflagCommand.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "导入台账文件：新 id 登记开设，字段不同的记录变更；整个文件一个事务。")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "台账文件（accounts.json 格式）") var file: String
        @Option(help: "记入事件的原因（默认：导入 FILE）") var reason: String?

        func run() throws {
            let accounts: [Account]
            do {
                accounts = try RegisterFile.decode(try readFile(file), xpathProblem: XPathCheck.problem)
            } catch let error as RegisterError {
                throw CLIFailure("\(file)：\(error)；未写入任何内容")
            }
            let who = Attribution(operator: currentOperator(), reason: try requireReason(reason ?? "导入 \(file)"))
            let summary = try db.open().importAccounts(accounts, by: who)
            output("已导入 \(file)：新开设 \(summary.registered.count) 个，变更 \(summary.changed.count) 个，未变 \(summary.unchanged) 个。\n")
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "开设账号（或以新登记重新开设已注销的账号）。")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "账号 id（稳定，字母数字与 - _ .）") var id: String
        @Option(help: "账号名称") var name: String
        @Option(help: "平台：\(Platform.allowedList)") var platform: String
        @Option(help: "主办单位") var owner: String
        @Option(help: "单位类型：\(OwnerKind.allowedList)") var ownerKind: String
        @Option(help: "监测读取的页面或订阅源网址（http/https）") var url: String
        @Option(help: "备案日期 YYYY-MM-DD（默认今天）") var registeredOn: String?
        @Option(help: "读取方式：feed（RSS/Atom/JSON Feed）、html（列表页）或 bridge（经数据源桥按平台账号标识读取）") var sourceKind = "feed"
        @Option(help: "平台账号标识（微博 uid、抖音 sec_uid、公众号 __biz 等；bridge 方式必填）") var handle: String?
        @Option(help: "bridge：配置文件中数据源的名称（默认按平台自动选择）") var bridge: String?
        @Option(help: "html：条目 XPath（绝对）") var item: String?
        @Option(help: "html：标题 XPath（相对条目）") var title: String?
        @Option(help: "html：链接 XPath（相对条目）") var link: String?
        @Option(help: "html：日期 XPath（相对条目）") var date: String?
        @Option(help: "责任人") var responsible: String?
        @Option(help: "主办单位接收整改通知的邮件地址（可多个，逗号分隔）") var contactEmail: String?
        @Option(help: "备注") var notes: String?
        @Option(help: "读取方式的完整 source（JSON，如 govmedia probe 给出的；可含 request），代替 --source-kind 与各 XPath") var source: String?
        @Option(help: "开设原因（必填）") var reason: String

        func run() throws {
            var fields: [String: String] = [
                "id": id, "name": name, "platform": platform, "owner": owner, "owner_kind": ownerKind,
                "url": url, "registered_on": registeredOn ?? ChinaTime.today().description,
                "status": "active", "source.kind": sourceKind,
            ]
            fields["handle"] = handle
            fields["source.bridge"] = bridge
            fields["source.item"] = item
            fields["source.title"] = title
            fields["source.link"] = link
            fields["source.date"] = date
            fields["responsible"] = responsible
            fields["contact_email"] = contactEmail
            fields["notes"] = notes
            if let source {
                guard item == nil, title == nil, link == nil, date == nil, sourceKind == "feed" else {
                    throw CLIFailure("--source 与 --source-kind、--item、--title、--link、--date 只能选一种")
                }
                for (key, value) in try ProbeCommand.parseSource(source).fields where key.hasPrefix("source.") { fields[key] = value }
            }
            let account = try Account(fields: fields, xpathProblem: XPathCheck.problem)
            try db.open().add(account, by: Attribution(operator: currentOperator(), reason: try requireReason(reason)))
            output("已开设 \(account.id)（\(account.name)，\(account.platform.chineseName)）。\n")
        }
    }

    struct Change: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "变更账号字段并记录变更事件。")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "账号 id") var id: String
        @Option(name: .customLong("set"), help: "FIELD=VALUE，可重复；VALUE 为空表示清除可选字段") var sets: [String]
        @Option(help: "变更原因（必填）") var reason: String

        func run() throws {
            var updates: [String: String] = [:]
            for item in sets {
                guard let eq = item.firstIndex(of: "=") else { throw CLIFailure("--set 应为 FIELD=VALUE：\(item)") }
                updates[String(item[..<eq])] = String(item[item.index(after: eq)...])
            }
            guard !updates.isEmpty else { throw CLIFailure("至少需要一个 --set FIELD=VALUE") }
            let changes = try db.open().change(id, set: updates, by: Attribution(operator: currentOperator(), reason: try requireReason(reason)),
                                               xpathProblem: XPathCheck.problem)
            output("已变更 \(id)：\n" + changes.map { "  \($0.field)：\($0.before ?? "（空）") → \($0.after ?? "（空）")\n" }.joined())
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "公告关停（拟关停）：注销前仍继续监测。")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "账号 id") var id: String
        @Option(help: "关停原因（必填）") var reason: String

        func run() throws {
            try db.open().close(id, by: Attribution(operator: currentOperator(), reason: try requireReason(reason)))
            output("已记录 \(id) 拟关停；注销前仍按规则监测。\n")
        }
    }

    struct Deregister: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "注销账号。")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "账号 id") var id: String
        @Option(help: "注销原因（必填）") var reason: String
        @Option(help: "注销日期 YYYY-MM-DD（默认今天）") var on: String?

        func run() throws {
            var day: CivilDate?
            if let on {
                guard let d = CivilDate(iso: on) else { throw CLIFailure("--on 应为 YYYY-MM-DD 格式的真实日期：\(on)") }
                day = d
            }
            try db.open().deregister(id, on: day, by: Attribution(operator: currentOperator(), reason: try requireReason(reason)))
            output("已注销 \(id)。\n")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出台账。")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "状态：\(AccountStatus.allowedList)") var status: String?
        @Option(help: "主办单位（包含此文字）") var owner: String?
        @Option(help: "平台：\(Platform.allowedList)") var platform: String?
        @Flag(help: "以 JSON 输出") var json = false

        func run() throws {
            var filter = AccountFilter(owner: owner)
            if let status {
                guard let s = AccountStatus(rawValue: status) else { throw CLIFailure("--status 应为 \(AccountStatus.allowedList)：\(status)") }
                filter.status = s
            }
            if let platform {
                guard let p = Platform(rawValue: platform) else { throw CLIFailure("--platform 应为 \(Platform.allowedList)：\(platform)") }
                filter.platform = p
            }
            let accounts = try db.openForReading().accounts(filter)
            if json { return try printJSON(accounts.map { AccountJSON($0, withPlatformName: true) }) }
            var table = TextTable(headers: ["ID", "名称", "平台", "主办单位", "类型", "状态", "备案日期"])
            for a in accounts {
                table.append([a.id, a.name, a.platform.chineseName, a.owner, a.ownerKind.chineseName, a.status.chineseName, a.registeredOn.description])
            }
            output(table.render() + "共 \(accounts.count) 个账号。\n")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "显示一个账号的台账信息。")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "账号 id") var id: String
        @Flag(help: "以 JSON 输出") var json = false

        func run() throws {
            guard let a = try db.openForReading().account(id) else { throw CLIFailure("台账中没有账号 \(id)") }
            if json { return try printJSON(AccountJSON(a, withPlatformName: true)) }
            var rows: [(String, String?)] = [
                ("ID", a.id), ("名称", a.name), ("平台", a.platform.chineseName), ("主办单位", a.owner),
                ("单位类型", a.ownerKind.chineseName), ("状态", a.status.chineseName), ("网址", a.url.text), ("平台账号标识", a.handle),
                ("备案日期", a.registeredOn.description), ("注销日期", a.deregisteredOn?.description), ("责任人", a.responsible), ("联系邮箱", a.contactEmail),
            ]
            switch a.source {
            case .feed: rows.append(("读取方式", "订阅源（RSS/Atom/JSON Feed）"))
            case .bridge(let name): rows.append(("读取方式", "数据源桥（\(name ?? "按平台自动选择")）"))
            case .json(let p):
                rows += [("读取方式", "JSON/JSONP 列表"), ("列表路径", p.items.isEmpty ? "（根）" : p.items), ("标题路径", p.title),
                         ("链接路径", p.link), ("日期路径", p.date), ("链接基址", p.linkBase)]
                rows += Self.htmlRows(p.html)
            case .xml(let p):
                rows += [("读取方式", "XML 记录"), ("条目 XPath", p.item), ("标题 XPath", p.title), ("链接 XPath", p.link), ("日期 XPath", p.date),
                         ("链接基址", p.linkBase)]
                rows += Self.htmlRows(p.html)
            case .html(let p):
                rows += [("读取方式", "列表页（HTML）"), ("条目 XPath", p.item), ("标题 XPath", p.title),
                         ("链接 XPath", p.link), ("日期 XPath", p.date)]
            }
            if let r = a.request {
                rows.append(("请求", "\(r.method.rawValue)" + (r.form != nil ? "，表单" : r.json != nil ? "，JSON 请求体" : "")
                             + (r.headers.isEmpty ? "" : "，请求头 \(r.headers.keys.sorted().joined(separator: "、"))")
                             + (r.pages > 1 ? "，读 \(r.pages) 页（每页 \(r.pageSize) 条）" : "")))
            }
            rows.append(("备注", a.notes))
            var table = TextTable(headers: ["字段", "值"], maxCellWidth: 100)
            for (label, value) in rows { if let value { table.append([label, value]) } }
            output(table.render())
        }

        static func htmlRows(_ h: HTMLStep?) -> [(String, String?)] {
            guard let h else { return [] }
            return [("HTML 字段", h.field), ("HTML 条目 XPath", h.item), ("HTML 标题 XPath", h.title), ("HTML 链接 XPath", h.link), ("HTML 日期 XPath", h.date)]
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "账号的生命周期事件，按时间先后。")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "账号 id") var id: String
        @Flag(help: "以 JSON 输出") var json = false

        func run() throws {
            let store = try db.openForReading()
            let events = try store.events(accountID: id)
            if events.isEmpty, try store.account(id) == nil { throw CLIFailure("台账中没有账号 \(id)") }
            if json { return try printJSON(events.map(EventJSON.init)) }
            var table = TextTable(headers: ["序号", "事件", "时间", "操作人", "原因", "变更"], maxCellWidth: 60)
            for e in events {
                let changes = e.kind == .registered && e.changes.count > 3
                    ? "登记 \(e.changes.count) 个字段"
                    : e.changes.map { "\($0.field): \($0.before ?? "∅") → \($0.after ?? "∅")" }.joined(separator: "; ")
                table.append([String(e.seq), e.kind.chineseName, e.at, e.operator, e.reason, changes])
            }
            output(table.render())
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "把数据库中的台账导出为 accounts.json 格式（不给 FILE 则输出到标准输出）。")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "输出文件") var file: String?

        func run() throws {
            let data = RegisterFile.encode(try db.openForReading().accounts())
            guard let file else { return FileHandle.standardOutput.write(data) }
            do { try data.write(to: URL(fileURLWithPath: file), options: .atomic) } catch {
                throw CLIFailure("无法写入 \(file)：\(error.localizedDescription)")
            }
            output("已导出到 \(file)。\n")
        }
    }
}

/// A lifecycle event as `history --json` prints it.
struct EventJSON: Encodable {
    var seq: Int64
    var account_id: String
    var kind: String
    var kind_name: String
    var at: String
    var `operator`: String
    var reason: String
    var changes: [LifecycleEvent.Change]
    var hash: String

    init(_ e: LifecycleEvent) {
        seq = e.seq
        account_id = e.accountID
        kind = e.kind.rawValue
        kind_name = e.kind.chineseName
        at = e.at
        self.operator = e.operator
        reason = e.reason
        changes = e.changes
        hash = e.hash
    }
}
