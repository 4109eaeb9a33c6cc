import Foundation
import GovMediaCore
import GovMediaMail
import GovMediaStore

/// What `WeeklyReportFiles.write` produced.
public struct WrittenReport: Sendable {
    public var report: WeeklyReport
    public var directory: String
    public var htmlPath: String
    public var htmlSHA256: String
    public var csvPath: String
    public var csvSHA256: String
    /// The message in the outbox, when mail settings were given.
    public var emlPath: String?
    public var messageID: String?
}

/// Writes a week's report files: the HTML and CSV into the report directory, the `.eml` into
/// the outbox, and a record of their hashes.
public enum WeeklyReportFiles {
    /// `净月高新区政务新媒体合规周报-2026-W06.html` and `…-账号明细.csv`.
    public static func fileNames(week: ISOWeek, district: String?) -> (html: String, csv: String) {
        let base = HeaderEncoding.sanitise(ReportFormat.title(district: district)).replacingOccurrences(of: "/", with: "／") + "-\(week)"
        return (base + ".html", base + "-账号明细.csv")
    }

    /// Writes a built report: the HTML and CSV into `directory` (created if missing), the
    /// `.eml` into the outbox when `mail` is given, and the record of their hashes. The report
    /// is built by the weekly report workflow (or the benchmark, which times both).
    public static func write(_ report: WeeklyReport, store: Store, directory: String, template: ReportTemplate,
                             mail: MailSettings?, operator: String, now: Date = Date()) throws -> WrittenReport {
        let names = fileNames(week: report.week, district: report.district)
        let html = Array(report.html(template: template).utf8)
        let csv = report.csv()
        let dir = URL(fileURLWithPath: directory)
        try createDirectory(dir)
        let htmlURL = dir.appendingPathComponent(names.html)
        let csvURL = dir.appendingPathComponent(names.csv)
        try writeAtomically(html, to: htmlURL)
        try writeAtomically(csv, to: csvURL)
        var written = WrittenReport(report: report, directory: dir.path, htmlPath: htmlURL.path, htmlSHA256: AuditHash.sha256(html),
                                    csvPath: csvURL.path, csvSHA256: AuditHash.sha256(csv))
        if let mail {
            let message = report.mail(html: html, htmlFile: names.html, csv: csv, csvFile: names.csv, settings: mail)
            let outbox = URL(fileURLWithPath: mail.outbox)
            try createDirectory(outbox)
            let emlURL = outbox.appendingPathComponent(Outbox.fileName(week: report.week, messageID: message.messageID))
            try writeAtomically(message.encoded(), to: emlURL)
            written.emlPath = emlURL.path
            written.messageID = message.messageID
        }
        try store.recordWeeklyReport(WeeklyReportRecord(
            week: report.week.description, runID: report.run?.id, directory: dir.path, htmlFile: names.html,
            htmlSHA256: written.htmlSHA256, csvFile: names.csv, csvSHA256: written.csvSHA256, emlPath: written.emlPath,
            messageID: written.messageID, createdAt: now, createdBy: `operator`))
        return written
    }

    /// Creates a directory and its parents; a failure names the path.
    public static func createDirectory(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw ReportError("无法创建目录 \(url.path)：\(error.localizedDescription)")
        }
    }

    /// Writes through a temporary file and a rename, so a reader (or the sender) never sees half a file.
    public static func writeAtomically(_ bytes: [UInt8], to url: URL) throws {
        do {
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw ReportError("无法写入 \(url.path)：\(error.localizedDescription)")
        }
    }
}
