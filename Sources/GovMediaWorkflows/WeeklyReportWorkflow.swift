import Foundation
import GovMediaCore
import GovMediaMail
import GovMediaReport
import GovMediaStore

/// The weekly report as the daemon makes it: the last complete week's report, written once
/// (its row in `weekly_report` says so) and put in the outbox. Caught up after downtime,
/// because it looks at what is stored, not at a timer.
public struct WeeklyReportWorkflow: Sendable {
    public let store: Store
    /// The rules directory its template comes from (nil: the built-in template).
    public let rulesDirectory: String?
    /// The report directory; each week gets its own folder beneath it.
    public let directory: String
    public let mail: MailSettings?

    public init(store: Store, rulesDirectory: String?, directory: String, mail: MailSettings?) {
        self.store = store
        self.rulesDirectory = rulesDirectory
        self.directory = directory
        self.mail = mail
    }

    /// Writes the report of the last week complete at `now` unless it is written already,
    /// or the week ended before the monitor's first evaluation (nothing to report).
    public func writeLastWeekIfMissing(now: Date, by who: String) throws -> WrittenReport? {
        let week = ISOWeek.lastComplete(before: now)
        guard let first = try store.runs().first, first.checkAt < week.end else { return nil }
        guard try store.weeklyReports(week: week.description).isEmpty else { return nil }
        return try write(week: week, template: try ReportTemplate.load(rulesDirectory: rulesDirectory), now: now, by: who)
    }

    /// Builds the report of `week` from the store, its annual reports checked by
    /// ``DisclosureCheckWorkflow`` as `disclosure check` checks them, and writes its files
    /// into `folder` — by default the week's own folder under `directory` — and the `.eml`
    /// into the outbox when mail settings are given.
    public func write(week: ISOWeek, into folder: String? = nil, template: ReportTemplate, district: String? = nil,
                      now: Date = Date(), by who: String) throws -> WrittenReport {
        let folder = folder ?? directory + "/\(week)"
        var inputs = try WeeklyInputs.load(from: store, week: week)
        inputs.disclosures = try DisclosureCheckWorkflow(store: store).checkForWeek(week).map(DisclosureSummary.init)
        return try WeeklyReportFiles.write(WeeklyReport(inputs, district: district), store: store, directory: folder,
                                           template: template, mail: mail, operator: who, now: now)
    }
}
