import ArgumentParser
import Foundation
import GovMediaCore
import GovMediaMail
import GovMediaReport
import GovMediaRules
import GovMediaScan
import GovMediaService
import GovMediaStore
import GovMediaWorkflows

/// `govmedia notify`: rectification notices (整改通知) to the owner units with open items.
struct NotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "向有待整改事项的主办单位发出整改通知：每个单位一份 HTML 通知（可打印）和一封邮件（放入发件箱）。",
        discussion: """
        收件地址取自台账中该单位账号的 contact_email；没有联系邮箱的单位只生成 HTML，由办公室另行送达。
        同一事项同一天只通知同一单位一次（守护进程与本命令共用记录）。--send 随即发送发件箱。
        """)
    @OptionGroup var db: DatabaseOptions
    @Option(help: "只通知名称包含此文字的主办单位") var unit: String?
    @Option(help: "配置文件（守护进程的 YAML：mail 段为邮件设置，notices 段为发文单位与联系人）；不给时只生成 HTML") var config: String?
    @Flag(help: "生成后发送发件箱中所有未送达的邮件（需要 --config）") var send = false
    @Option(help: "HTML 通知的目录（默认：配置文件 report.out 下的 notices/，否则 ./notices）") var out: String?
    @Option(help: "按此时间判断逾期与通知日期（默认现在，北京时间）") var at: String?
    @Option(help: "规则目录（规则名称与工作日历；默认 $GOVMEDIA_RULES，否则 ./rules 或内置规则）") var rules: String?

    func validate() throws {
        if send && config == nil { throw ValidationError("--send 需要 --config 指定邮件设置") }
    }

    func run() async throws {
        let store = try db.open()
        let at = try RectifyCommand.checkTime(self.at)
        let daemonConfig: DaemonConfig?
        do { daemonConfig = try config.map { path throws(ConfigError) in try DaemonConfig.load(path: path, requiringDatabase: false) } } catch { throw CLIFailure(error.description) }
        let settings: MailSettings?
        do { settings = try daemonConfig?.mailSettings() } catch { throw CLIFailure(error.description) }
        if config != nil && settings == nil { throw CLIFailure("配置文件 \(config!) 没有 mail.url 与 mail.from，无法生成邮件") }
        let assessment = try loadAssessment(store, rulesDirectory: RulesLocation.resolve(explicit: rules ?? daemonConfig?.rules))
        let directory = out ?? daemonConfig.map { $0.reportDirectory + "/notices" } ?? "notices"
        let workflow = NoticeWorkflow(store: store, rules: assessment.rules, mail: settings, issuer: daemonConfig?.noticeIssuer ?? .unnamed,
                                      directory: directory)
        let outcome: NoticeWorkflow.Outcome
        do { outcome = try workflow.run(at: at, unit: unit, selection: .allOpen, by: currentOperator()) } catch let e as ReportError {
            throw CLIFailure(e.description)
        }
        output(Self.describe(outcome, mail: settings != nil))
        if send, let settings { try await sendOutbox(store: store, settings: settings) }
    }

    static func describe(_ o: NoticeWorkflow.Outcome, mail: Bool) -> String {
        var text = ""
        if o.written.isEmpty && o.withoutContact.isEmpty {
            text += o.alreadyToday > 0 ? "今天已就全部 \(o.alreadyToday) 个待整改事项通知过相关单位，未重复生成。\n" : "没有待整改事项，无需通知。\n"
            return text
        }
        var table = TextTable(headers: ["主办单位", "事项", "收件人", "邮件"], maxCellWidth: 60)
        for w in o.written {
            table.append([w.unit, String(w.items.count), w.recipients.joined(separator: ", "), w.emlPath.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "未生成"])
        }
        for w in o.withoutContact {
            table.append([w.unit, String(w.items.count), "（台账无联系邮箱）", "—"])
        }
        text += table.render()
        let folders = Set((o.written + o.withoutContact).map { URL(fileURLWithPath: $0.htmlPath).deletingLastPathComponent().path }).sorted()
        text += "HTML 通知（可打印）在 \(folders.joined(separator: "、"))\n"
        if let eml = o.written.compactMap(\.emlPath).first { text += "邮件在发件箱 \(URL(fileURLWithPath: eml).deletingLastPathComponent().path)\n" }
        let mailed = o.written.filter { $0.emlPath != nil }.count
        text += "已生成 \(o.written.count + o.withoutContact.count) 份通知"
        text += mail ? "，其中 \(mailed) 封邮件放入发件箱" : "（未指定 --config，只生成 HTML，未生成邮件）"
        text += o.alreadyToday > 0 ? "；另有 \(o.alreadyToday) 个事项今天已通知过，未重复。\n" : "。\n"
        if !o.withoutContact.isEmpty {
            text += "注意：\(o.withoutContact.map(\.unit).joined(separator: "、")) 在台账中没有联系邮箱（contact_email），"
                + "请打印 HTML 通知送达，并用 govmedia account change ID --set contact_email=地址 补充。\n"
        }
        return text
    }
}
