import Foundation
import GovMediaCore
import GovMediaStore
import GovMediaMail

extension WeeklyReport {
    /// The subject: fixed text and numbers only, so nothing from a page or the register can
    /// reach a mail header.
    public var mailSubject: String {
        guard hasData else { return "政务新媒体合规周报 \(week.chineseName)：本周无监测数据" }
        return "政务新媒体合规周报 \(week.chineseName)：达标率 \(ReportFormat.percent(headline.rate))"
            + "（合格 \(headline.passing)/\(headline.monitored)），不合格 \(headline.failing) 个"
    }

    /// The short plain-text summary the mail carries above its attachments.
    public func mailText(htmlFile: String, csvFile: String) -> String {
        var lines = ["\(ReportFormat.title(district: district))（\(week.chineseName)，\(ReportFormat.range(week))）", ""]
        if hasData {
            lines.append("监测账号 \(headline.monitored) 个，合格 \(headline.passing) 个，不合格 \(headline.failing) 个，"
                         + "无法核实 \(headline.unverifiable) 个，达标率 \(ReportFormat.percent(headline.rate))，"
                         + ReportFormat.change(headline.rate, from: headline.previousRate) + "。")
            let vetoes = problems.filter(\.veto).count
            if vetoes > 0 { lines.append("其中单项否决 \(vetoes) 个。") }
            lines.append(previousRun == nil
                ? "上周无监测数据；连续三周及以上未达标 \(chronic.count) 个。"
                : "新增未达标 \(newlyFailing.count) 个，已整改 \(fixed.count) 个，连续三周及以上未达标 \(chronic.count) 个。")
        } else {
            lines.append("本周无监测数据。")
        }
        lines.append("本周台账变更 \(registerChanges.count) 项。")
        let r = rectification
        if !r.isEmpty {
            lines.append("整改：本周开立 \(r.opened.count) 个，已整改 \(r.fixed.count) 个，逾期未改 \(r.overdue.reduce(0) { $0 + $1.items.count }) 个；"
                         + "\(r.year.year) 年累计发现 \(r.year.found) 个，已整改 \(r.year.fixed) 个（按期 \(r.year.fixedOnTime) 个）。")
        }
        if !r.withoutContact.isEmpty {
            lines.append("\(r.withoutContact.count) 个单位有待整改事项但台账无联系邮箱，整改通知需另行送达，详见报告。")
        }
        lines += r.warnings.map { $0 + "。" }
        for problem in sources.compactMap(\.problem) { lines.append(problem + "：相关账号本周无法核实，不按停更判定。") }
        if !registerDrift.isEmpty { lines.append("台账文件与数据库不一致 \(registerDrift.count) 处（以数据库为准），详见报告。") }
        if !chainHeads.isEmpty {
            // The chains' heads, kept by every recipient: `govmedia audit verify --anchor HASH`
            // later proves the ledgers were not rewritten since.
            lines += ["", "审计链锚点（请留存，可用 govmedia audit verify --anchor 哈希 核验）："]
            lines += chainHeads.map { "  \($0.ledger.chineseName)：共 \($0.count) 条，末条哈希 \($0.hash)" }
        }
        lines += ["", "详见附件：", "  \(htmlFile)（用浏览器打开，可直接打印）", "  \(csvFile)（账号明细，可用 Excel / WPS 打开）", ""]
        lines.append(run.map { "本邮件由 govmedia 根据评判 #\($0.id)（监测时间点 \(ChinaTime.iso8601($0.checkAt))）自动生成，请勿直接回复。" }
                     ?? "本邮件由 govmedia 自动生成，请勿直接回复。")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The mail for this report: every byte follows from the week, the files and the
    /// settings (Date is the Monday after the week, 08:00; Message-ID carries the week and
    /// a hash of the content and recipients), so generating it twice gives the same `.eml`.
    public func mail(html: [UInt8], htmlFile: String, csv: [UInt8], csvFile: String, settings: MailSettings) -> MailMessage {
        let digest = AuditHash.link(previous: AuditHash.genesis, fields: [
            "weekly-mail.v1", week.description, AuditHash.sha256(html), AuditHash.sha256(csv), settings.from,
        ] + settings.to)
        let messageID = "weekly-\(week).\(digest.prefix(20))@govmedia.\(MailAddress.domain(of: settings.from))"
        return MailMessage(
            from: settings.from, to: settings.to, subject: mailSubject, date: week.end.addingTimeInterval(8 * 3600),
            messageID: messageID, text: mailText(htmlFile: htmlFile, csvFile: csvFile),
            attachments: [
                MailAttachment(filename: htmlFile, contentType: "text/html; charset=UTF-8", data: html),
                MailAttachment(filename: csvFile, contentType: "text/csv; charset=UTF-8", data: csv),
            ])
    }
}
