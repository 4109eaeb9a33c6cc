import Foundation
import GovMediaCore
import GovMediaDisclosure
import GovMediaStore

/// A stored run with its per-account results.
public struct RunResults: Sendable {
    public var run: EvaluationRun
    public var evaluations: [AccountEvaluation]

    public init(run: EvaluationRun, evaluations: [AccountEvaluation]) {
        self.run = run
        self.evaluations = evaluations
    }
}

/// One week of the trend: its latest run (nil: no check that week) and each account's verdict.
public struct WeekVerdicts: Sendable {
    public var week: ISOWeek
    public var run: EvaluationRun?
    public var verdicts: [String: Verdict]

    public init(week: ISOWeek, run: EvaluationRun?, verdicts: [String: Verdict]) {
        self.week = week
        self.run = run
        self.verdicts = verdicts
    }
}

/// The year's annual disclosure report (政府信息公开年报) as stored, with its check results.
public struct DisclosureSummary: Sendable, Equatable {
    /// One figure the report states, e.g. 受理依申请公开 477 件.
    public struct Figure: Sendable, Equatable {
        public var label: String
        public var value: String

        public init(label: String, value: String) {
            self.label = label
            self.value = value
        }
    }

    public var org: String
    public var year: Int
    public var figures: [Figure]
    /// The checker's findings, in Chinese; empty when every identity holds.
    public var problems: [String]

    public init(org: String, year: Int, figures: [Figure], problems: [String]) {
        self.org = org
        self.year = year
        self.figures = figures
        self.problems = problems
    }
}

/// Everything a weekly report is made from, read from the store in one place so that
/// building the report itself is pure.
public struct WeeklyInputs: Sendable {
    public var week: ISOWeek
    /// The register as it stands (names and owner units for the tables).
    public var accounts: [Account]
    /// The week's result: the latest run whose check time falls in the week.
    public var current: RunResults?
    /// The latest run in the previous week, for "change from last week".
    public var previous: RunResults?
    /// The twelve weeks ending with `week`, oldest first: the trend and the streaks.
    public var history: [WeekVerdicts]
    /// Register events recorded in the week.
    public var events: [LifecycleEvent]
    /// The year's disclosure reports, when any are stored, as checked by the disclosure check
    /// workflow (the weekly report workflow fills them; `load` leaves them empty).
    public var disclosures: [DisclosureSummary]
    /// The audit chains' heads when the report was made: printed, they anchor the chains
    /// outside the database.
    public var chainHeads: [ChainHead] = []
    /// Where the register file and the database disagree (the database wins).
    public var registerDrift: [String] = []
    /// Each feed bridge's health when the report was made.
    public var sources: [BridgeHealth] = []
    /// Every rectification item, the units' contact addresses, the week's notices and the
    /// calendar warnings: the 整改 section.
    public var rectificationItems: [RectificationItem] = []
    public var unitContacts: [String: [String]] = [:]
    public var notices: [NoticeRecord] = []
    public var rectificationWarnings: [String] = []
    /// Publication times of the dated posts of each account not passing this week, over
    /// `timelineDays` before the run's check time (and the newest before that): the update
    /// timeline drawn beside the account.
    public var postTimes: [String: [Date]] = [:]
    /// The timeline's period in days.
    public var timelineDays = 90
    /// The update limit the timeline shades gaps beyond (the national two-week rule).
    public var limitDays = 14

    public init(week: ISOWeek, accounts: [Account], current: RunResults?, previous: RunResults?, history: [WeekVerdicts],
                events: [LifecycleEvent], disclosures: [DisclosureSummary] = []) {
        self.week = week
        self.accounts = accounts
        self.current = current
        self.previous = previous
        self.history = history
        self.events = events
        self.disclosures = disclosures
    }

    /// How many weeks the trend chart shows.
    public static let trendWeeks = 12

    /// Reads the week's inputs from stored results (never evaluates anything anew).
    public static func load(from store: Store, week: ISOWeek) throws(StoreError) -> WeeklyInputs {
        var history: [WeekVerdicts] = []
        var current: RunResults?
        var previous: RunResults?
        for offset in stride(from: trendWeeks - 1, through: 0, by: -1) {
            let w = week.adding(weeks: -offset)
            guard let run = try store.latestRun(checkedFrom: w.start, before: w.end) else {
                history.append(WeekVerdicts(week: w, run: nil, verdicts: [:]))
                continue
            }
            if offset <= 1 {
                let results = RunResults(run: run, evaluations: try store.evaluations(runID: run.id))
                if offset == 0 { current = results } else { previous = results }
                history.append(WeekVerdicts(week: w, run: run, verdicts: Dictionary(results.evaluations.map { ($0.accountID, $0.verdict) }) { a, _ in a }))
            } else {
                history.append(WeekVerdicts(week: w, run: run, verdicts: try store.verdicts(runID: run.id)))
            }
        }
        var inputs = WeeklyInputs(week: week, accounts: try store.accounts(), current: current, previous: previous, history: history,
                                  events: try store.events(from: week.start, to: week.end))
        inputs.chainHeads = try store.chainHeads()
        inputs.registerDrift = try store.registerDrift().map(\.description)
        inputs.sources = try store.sourceHealth()
        inputs.rectificationItems = try store.rectifications()
        inputs.unitContacts = try store.unitContacts()
        inputs.notices = try store.notices(from: week.start, to: week.end)
        inputs.rectificationWarnings = try RectificationWarnings.current(store)
        if let current {
            // Only the accounts the report draws a timeline for.
            let shown = Set(current.evaluations.filter { WeeklyReport.notPassing($0.verdict) }.map(\.accountID))
            let at = current.run.checkAt
            inputs.postTimes = try store.postTimes(from: at.addingTimeInterval(-Double(inputs.timelineDays) * 86_400), to: at)
                .filter { shown.contains($0.key) }
        }
        return inputs
    }
}
