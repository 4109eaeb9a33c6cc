import Foundation
import GovMediaCore
import GovMediaDisclosure
import GovMediaReport
import GovMediaStore

/// What a check of a stored annual report did and did not cover, so that a silent pass is
/// never mistaken for a checked one. Rendered to Chinese in one place, `description`.
public enum DisclosureCheckNotice: Sendable, Equatable, CustomStringConvertible {
    /// The register has no account at that year's end and no evaluation in it: comparing
    /// "39 accounts" with 0 would be noise, so the monitor comparison was not made.
    case registerKnowsNothing(year: Int)
    /// The report states an account count; the register's count at that year's end.
    case registerAccounts(year: Int, count: Int)
    /// The report states a pass rate; it was held against this run.
    case passRateFrom(runID: Int64, checkAt: Date, passing: Int, accounts: Int, rate: Decimal)
    /// The report states a pass rate, but the year has no evaluation: only the count was checked.
    case noRunForPassRate(year: Int)
    /// The previous year's report is not stored: the carry-over was not checked.
    case previousYearMissing(org: String, year: Int)
    /// Run-together digit rows split automatically (by the row's own total, or the only split).
    case routineSplits(count: Int, org: String, year: Int)
    /// A notice of the report reader, as it wrote it.
    case reader(String)

    public var description: String {
        switch self {
        case .registerKnowsNothing(let year):
            "监测台账中没有 \(year) 年末登记的账号，也没有该年的评判记录，未与监测台账比对。"
        case let .registerAccounts(year, count):
            "监测台账 \(year) 年末登记的政务新媒体为 \(count) 个。"
        case let .passRateFrom(runID, checkAt, passing, accounts, rate):
            "达标率取自 \(ChinaTime.short(checkAt)) 的评判 #\(runID)（合格 \(passing) 个 / 评判 \(accounts) 个，\(Self.rounded(rate))%）。"
        case .noRunForPassRate(let year):
            "\(year) 年没有评判记录，未核对达标率，只核对了政务新媒体数量。"
        case let .previousYearMissing(org, year):
            "未导入 \(org) \(year) 年报，未核对跨年结转。"
        case let .routineSplits(count, org, year):
            "另有 \(count) 行数字连写已自动拆分（按本行总计核对或只有一种拆法），可用 govmedia disclosure show --org \(org) --year \(year) 对照原文。"
        case .reader(let text):
            text
        }
    }

    /// One decimal, rounded half up, as the reports print rates.
    static func rounded(_ value: Decimal) -> Decimal {
        var v = value, out = Decimal()
        NSDecimalRound(&out, &v, 1, .plain)
        return out
    }
}

/// One stored annual report, checked.
public struct CheckedDisclosure: Sendable {
    public let stored: StoredDisclosure
    public let findings: [DisclosureFinding]
    public let notices: [DisclosureCheckNotice]
    /// Cells whose run-together digits could not be settled: identities over them were skipped.
    public var unresolvedCells: Int {
        stored.report.tables.flatMap { $0.rows.flatMap(\.cells) }.filter { $0.status == .unresolved }.count
    }
}

/// Checking the stored annual disclosure reports (政府信息公开年报): their arithmetic, the
/// carry-over from the previous year's report, and the new-media figures against the
/// monitor's own register and evaluations. The one home of that decision, so that
/// `govmedia disclosure check` and the weekly report never judge the same report two ways.
public struct DisclosureCheckWorkflow: Sendable {
    public let store: Store

    public init(store: Store) { self.store = store }

    /// The reports stored for `org` and `year` (all when nil), each checked.
    /// - Parameter compareWithMonitor: false when the report is not the register's (a
    ///   department's report lists only its own accounts).
    public func check(org: String? = nil, year: Int? = nil, compareWithMonitor: Bool = true) throws(StoreError) -> [CheckedDisclosure] {
        try check(try store.disclosures(org: org, year: year), compareWithMonitor: compareWithMonitor)
    }

    /// What the weekly report of `week` shows: the reports of its year and of the year
    /// before (the one published during this year), ordered by organisation and year.
    public func checkForWeek(_ week: ISOWeek) throws(StoreError) -> [CheckedDisclosure] {
        let year = week.monday.year
        let stored = try store.disclosures(year: year - 1) + store.disclosures(year: year)
        return try check(stored.sorted { ($0.org, $0.year) < ($1.org, $1.year) }, compareWithMonitor: true)
    }

    private func check(_ reports: [StoredDisclosure], compareWithMonitor: Bool) throws(StoreError) -> [CheckedDisclosure] {
        var checked: [CheckedDisclosure] = []
        for stored in reports {
            let previous = try store.disclosure(org: stored.org, year: stored.year - 1)
            var notices: [DisclosureCheckNotice] = []
            var monitor: MonitorFigures?
            if compareWithMonitor {
                let figures = try store.monitorFigures(year: stored.year)
                if figures.accounts == 0 && figures.passRate == nil {
                    notices.append(.registerKnowsNothing(year: stored.year))
                } else {
                    monitor = figures
                    notices += try monitorNotices(stored, figures: figures)
                }
            }
            if previous == nil { notices.append(.previousYearMissing(org: stored.org, year: stored.year - 1)) }
            notices += Self.readingNotices(stored.report, org: stored.org, year: stored.year)
            let findings = DisclosureChecker.check(stored.report, previousYear: previous?.report, monitor: monitor)
            checked.append(CheckedDisclosure(stored: stored, findings: findings, notices: notices))
        }
        return checked
    }

    private func monitorNotices(_ stored: StoredDisclosure, figures: MonitorFigures) throws(StoreError) -> [DisclosureCheckNotice] {
        var notices: [DisclosureCheckNotice] = []
        if stored.report.narrativeFigure(.newMediaAccounts) != nil {
            notices.append(.registerAccounts(year: stored.year, count: figures.accounts))
        }
        if stored.report.narrativeFigure(.newMediaPassRate) != nil {
            if let run = try store.latestRun(inYear: stored.year), let rate = figures.passRate {
                notices.append(.passRateFrom(runID: run.id, checkAt: run.checkAt, passing: run.passing, accounts: run.accounts, rate: rate))
            } else {
                notices.append(.noRunForPassRate(year: stored.year))
            }
        }
        return notices
    }

    /// The reader's notices worth an officer's attention, with the routine ones (run-together
    /// digits split and confirmed by the row's own total, or with only one possible split)
    /// counted in one notice instead of listed: a web-page report can have thirty of them.
    /// Used by the check and by `disclosure import`, which shows them once a report is read.
    public static func readingNotices(_ report: DisclosureReport, org: String, year: Int) -> [DisclosureCheckNotice] {
        var notices = report.notices.filter { !$0.isRoutine }.map { DisclosureCheckNotice.reader($0.text) }
        let routine = report.notices.count - notices.count
        if routine > 0 { notices.append(.routineSplits(count: routine, org: org, year: year)) }
        return notices
    }
}

extension DisclosureSummary {
    /// The weekly report's view of a checked report: its stated figures and its findings.
    public init(_ checked: CheckedDisclosure) {
        self.init(org: checked.stored.org, year: checked.stored.year,
                  figures: checked.stored.report.narrative.map { .init(label: $0.kind.label, value: $0.text) },
                  problems: checked.findings.map(\.message))
    }
}
