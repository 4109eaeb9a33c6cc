import ArgumentParser
import Foundation
import GovMediaCore
import GovMediaMail
import GovMediaReport
import GovMediaScan
import GovMediaService
import GovMediaRules
import GovMediaStore
import GovMediaWorkflows

/// `govmedia report`: the weekly compliance report and its delivery.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "合规周报：根据已保存的评判结果生成 HTML、CSV 与邮件，并通过 SMTP 发送。",
        subcommands: [Weekly.self, SendOutbox.self])

    /// `govmedia report weekly`.
    struct Weekly: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "生成某一周（北京时间，ISO 周）的合规周报；同一数据库与同一周总是生成完全相同的文件。")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "ISO 周，如 2026-W05（默认：上一个完整的周）") var week: String?
        @Option(help: "输出目录（默认 ./reports/YYYY-Www/）") var out: String?
        @Option(help: "配置文件（JSON，mail 段为邮件设置）；给出时在发件箱生成 .eml") var config: String?
        @Flag(help: "生成后发送发件箱中所有未送达的邮件（需要 --config）") var send = false
        @Option(help: "规则目录：模板取自其中的 templates/weekly.html.mustache（默认 $GOVMEDIA_RULES，否则 ./rules）") var rules: String?
        @Option(help: "地区名称，用于标题与附件名，如 净月高新区（默认取配置文件 report.district）") var district: String?

        func validate() throws {
            if send && config == nil { throw ValidationError("--send 需要 --config 指定邮件设置") }
            if let week, ISOWeek(week) == nil { throw ValidationError("--week 应为 YYYY-Www，如 2026-W05：\(week)") }
        }

        func run() async throws {
            let store = try db.open()
            let week = week.flatMap(ISOWeek.init) ?? ISOWeek.lastComplete()
            let settings = try config.map(loadSettings)
            let template = try reportFailure { () throws(ReportError) in try ReportTemplate.load(rulesDirectory: RulesLocation.resolve(explicit: rules)) }
            let written = try reportFailure {
                try WeeklyReportWorkflow(store: store, rulesDirectory: RulesLocation.resolve(explicit: rules), directory: "reports", mail: settings)
                    .write(week: week, into: out, template: template,
                           district: district ?? config.flatMap(readDistrict), by: currentOperator())
            }
            let r = written.report
            var text = "周报 \(week)（\(r.week.monday) 至 \(r.week.sunday)）："
            text += r.hasData
                ? "评判 #\(r.run!.id)，监测账号 \(r.headline.monitored) 个，合格 \(r.headline.passing) 个，不合格 \(r.headline.failing) 个，无法核实 \(r.headline.unverifiable) 个\n"
                : "本周无监测数据\n"
            text += "  HTML：\(written.htmlPath)\n        sha256 \(written.htmlSHA256)\n"
            text += "  CSV： \(written.csvPath)\n        sha256 \(written.csvSHA256)\n"
            text += written.emlPath.map { "  邮件：\($0)\n        Message-ID <\(written.messageID ?? "")>\n" } ?? "  邮件：未指定 --config，未生成\n"
            text += "  模板：\(template.source)\n"
            output(text)
            if send, let settings { try await sendOutbox(store: store, settings: settings) }
        }
    }

    /// `govmedia report send-outbox`: what the daemon calls to retry undelivered mail.
    struct SendOutbox: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "send-outbox", abstract: "发送发件箱中尚未送达的邮件；已送达的收件人不会重复发送。")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "配置文件（JSON，mail 段为邮件设置）") var config: String

        func run() async throws {
            try await sendOutbox(store: try db.open(), settings: try loadSettings(config))
        }
    }
}

/// Sends the outbox, prints each message's outcome, and exits 2 when anything is left undelivered.
func sendOutbox(store: Store, settings: MailSettings) async throws {
    let outcomes = try await reportFailure { try await Outbox(store: store, settings: settings).sendPending() }
    if outcomes.isEmpty { return output("发件箱 \(settings.outbox) 中没有待发送的邮件。\n") }
    var text = ""
    var undelivered = 0
    for o in outcomes {
        text += "邮件 <\(o.messageID)>：\n"
        text += o.sent.map { "  已送达 \($0)\n" }.joined()
        text += o.alreadyDelivered.map { "  此前已送达 \($0)，不再发送\n" }.joined()
        text += o.failed.map { "  未送达 \($0.recipient)：\($0.error)\n" }.joined()
        text += o.complete ? "  全部送达，已移至 \(o.path)\n" : "  留在发件箱：\(o.path)\n"
        undelivered += o.failed.count
    }
    output(text)
    if undelivered > 0 {
        outputError("错误：\(undelivered) 个收件人未送达；邮件留在发件箱，下次 --send 或 govmedia report send-outbox 时重试\n")
        throw ExitCode(2)
    }
}

/// Mail settings from the daemon's YAML config, or from a JSON file with a `mail` section.
private func loadSettings(_ path: String) throws -> MailSettings {
    if path.hasSuffix(".yaml") || path.hasSuffix(".yml") {
        let config: DaemonConfig
        do { config = try DaemonConfig.load(path: path, requiringDatabase: false) } catch { throw CLIFailure(error.description) }
        guard let settings = try config.mailSettings() else { throw CLIFailure("配置文件 \(path) 没有 mail.url 与 mail.from") }
        return settings
    }
    do { return try MailSettings.load(configFile: path) } catch { throw CLIFailure(error.description) }
}

/// The optional `report.district` of the config file.
private func readDistrict(_ path: String) -> String? {
    guard let data = FileManager.default.contents(atPath: path),
          let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
          let district = (root["report"] as? [String: Any])?["district"] as? String, !district.isEmpty else { return nil }
    return district
}

/// Report, mail and outbox errors shown as `错误：…` like every other command's.
private func reportFailure<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch let e as ReportError { throw CLIFailure(e.description) }
    catch let e as OutboxError { throw CLIFailure(e.description) }
    catch let e as MailSettingsError { throw CLIFailure(e.description) }
}

private func reportFailure<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as ReportError { throw CLIFailure(e.description) }
    catch let e as OutboxError { throw CLIFailure(e.description) }
}
