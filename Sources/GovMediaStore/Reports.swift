import Foundation
import GovMediaCore
import GRDB

/// A weekly report as generated: the week, the run it shows, and its files' hashes; a row
/// of `weekly_report`, read as a GRDB record (its creation time strictly, as an instant).
public struct WeeklyReportRecord: Sendable, Equatable, FetchableRecord {
    public var week: String
    public var runID: Int64?
    public var directory: String
    public var htmlFile: String
    public var htmlSHA256: String
    public var csvFile: String
    public var csvSHA256: String
    public var emlPath: String?
    public var messageID: String?
    public var createdAt: Date
    public var createdBy: String

    public init(row: Row) throws {
        week = row["week"]
        runID = row["run_id"]
        directory = row["directory"]
        htmlFile = row["html_file"]
        htmlSHA256 = row["html_sha256"]
        csvFile = row["csv_file"]
        csvSHA256 = row["csv_sha256"]
        emlPath = row["eml_path"]
        messageID = row["message_id"]
        createdAt = try StoredValue.instant(row["created_at"], table: "weekly_report", row: "周报 \(week)", column: "created_at")
        createdBy = row["created_by"]
    }

    public init(week: String, runID: Int64?, directory: String, htmlFile: String, htmlSHA256: String, csvFile: String,
                csvSHA256: String, emlPath: String?, messageID: String?, createdAt: Date, createdBy: String) {
        self.week = week
        self.runID = runID
        self.directory = directory
        self.htmlFile = htmlFile
        self.htmlSHA256 = htmlSHA256
        self.csvFile = csvFile
        self.csvSHA256 = csvSHA256
        self.emlPath = emlPath
        self.messageID = messageID
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}

/// One recipient's delivery outcome for one message; a row of `mail_delivery`.
public struct MailDeliveryRecord: Sendable, Equatable, FetchableRecord {
    public enum Status: String, Sendable {
        case sent, failed
    }

    public var messageID: String
    public var recipient: String
    public var status: Status
    /// Tries made across all sending passes.
    public var attempts: Int
    public var lastError: String?
    public var sentAt: Date?
    public var updatedAt: Date
    public var emlPath: String

    /// Read strictly: a status this release does not know is an error naming the row.
    public init(row: Row) throws {
        let status: String = row["status"]
        messageID = row["message_id"]
        recipient = row["recipient"]
        self.status = try StoredValue.decode(status, as: Status.self, table: "mail_delivery", row: "\(messageID) → \(recipient)",
                                             column: "status")
        attempts = row["attempts"]
        lastError = row["last_error"]
        let at = "\(messageID) → \(recipient)"
        sentAt = try (row["sent_at"] as String?).map { try StoredValue.instant($0, table: "mail_delivery", row: at, column: "sent_at") }
        updatedAt = try StoredValue.instant(row["updated_at"], table: "mail_delivery", row: at, column: "updated_at")
        emlPath = row["eml_path"]
    }
}

extension Store {
    // MARK: Runs by week

    /// The latest run whose check time is in [`start`, `end`), or nil.
    public func latestRun(checkedFrom start: Date, before end: Date) throws(StoreError) -> EvaluationRun? {
        try read { db in
            try EvaluationRun.fetchOne(db, sql: """
                SELECT * FROM evaluation_run WHERE check_at >= ? AND check_at < ? ORDER BY check_at DESC, id DESC LIMIT 1
                """, arguments: [Int64(start.timeIntervalSince1970), Int64(end.timeIntervalSince1970)])
        }
    }

    /// Each account's verdict in a run: the light read used for week-by-week streaks.
    public func verdicts(runID: Int64) throws(StoreError) -> [String: Verdict] {
        try read { db in
            var result: [String: Verdict] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT account_id, verdict FROM evaluation WHERE run_id = ?", arguments: [runID]) {
                let verdict: String = row["verdict"]
                result[row["account_id"]] = try StoredValue.decode(verdict, as: Verdict.self, table: "evaluation",
                                                                   row: "评判 #\(runID)，账号 \(row["account_id"] as String)", column: "verdict")
            }
            return result
        }
    }

    // MARK: Weekly reports

    /// Records a generated report; generating the same files again keeps the first record
    /// (compared with `IS`, so a report made without mail is not recorded twice either).
    public func recordWeeklyReport(_ r: WeeklyReportRecord) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO weekly_report (week, run_id, directory, html_file, html_sha256, csv_file, csv_sha256, eml_path,
                                           message_id, created_at, created_by)
                SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
                WHERE NOT EXISTS (SELECT 1 FROM weekly_report WHERE week = ? AND html_sha256 = ? AND csv_sha256 = ? AND eml_path IS ?)
                """, arguments: [r.week, r.runID, r.directory, r.htmlFile, r.htmlSHA256, r.csvFile, r.csvSHA256, r.emlPath,
                                 r.messageID, ChinaTime.iso8601(r.createdAt), r.createdBy, r.week, r.htmlSHA256, r.csvSHA256, r.emlPath])
        }
    }

    /// The reports generated for a week, oldest first.
    public func weeklyReports(week: String) throws(StoreError) -> [WeeklyReportRecord] {
        try read { db in
            try WeeklyReportRecord.fetchAll(db, sql: "SELECT * FROM weekly_report WHERE week = ? ORDER BY id", arguments: [week])
        }
    }

    // MARK: Mail delivery

    /// Every recipient's outcome for a message, by recipient.
    public func deliveries(messageID: String) throws(StoreError) -> [MailDeliveryRecord] {
        try read { db in
            try MailDeliveryRecord.fetchAll(db, sql: "SELECT * FROM mail_delivery WHERE message_id = ? ORDER BY recipient",
                                            arguments: [messageID])
        }
    }

    /// Whether `recipient` already has `messageID`: checked right before each send.
    public func isDelivered(messageID: String, recipient: String) throws(StoreError) -> Bool {
        try read { db in
            try String.fetchOne(db, sql: "SELECT status FROM mail_delivery WHERE message_id = ? AND recipient = ?",
                                arguments: [messageID, recipient]) == MailDeliveryRecord.Status.sent.rawValue
        }
    }

    /// Records one sending pass for one recipient: attempts add up across passes, and a
    /// recipient once marked sent stays sent.
    public func recordDelivery(messageID: String, recipient: String, delivered: Bool, attempts: Int, error: String?,
                               at: Date, emlPath: String) throws(StoreError) {
        let now = ChinaTime.iso8601(at)
        try write { db in
            try db.execute(sql: """
                INSERT INTO mail_delivery (message_id, recipient, status, attempts, last_error, sent_at, updated_at, eml_path)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (message_id, recipient) DO UPDATE SET
                    status = CASE WHEN status = 'sent' THEN 'sent' ELSE excluded.status END,
                    attempts = attempts + excluded.attempts,
                    last_error = excluded.last_error,
                    sent_at = COALESCE(sent_at, excluded.sent_at),
                    updated_at = excluded.updated_at,
                    eml_path = excluded.eml_path
                """, arguments: [messageID, recipient, delivered ? "sent" : "failed", attempts, error, delivered ? now : nil, now, emlPath])
        }
    }
}
