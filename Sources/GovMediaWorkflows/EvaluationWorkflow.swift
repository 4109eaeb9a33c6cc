import Foundation
import GovMediaCore
import GovMediaRules
import GovMediaScan
import GovMediaStore

/// An evaluation and what follows from it: judge every account (`Assessment`), store the
/// run, then bring the rectification items (整改) in step — the one function `evaluate`,
/// `scan` and the daemon call.
public struct EvaluationWorkflow: Sendable {
    public let assessment: Assessment

    public init(assessment: Assessment) { self.assessment = assessment }

    /// What one evaluation produced.
    public struct Outcome: Sendable {
        public var runID: Int64
        public var results: [AccountEvaluation]
        public var rectification: RectificationOutcome
        /// The run a look-back evaluation went behind: its check time is earlier than that
        /// run's, so the rectification items were left as they are.
        public var lookBackBehind: EvaluationRun?
    }

    /// Judges, stores the run and updates the items; `by` is recorded on their events.
    ///
    /// A look-back evaluation (`evaluate --at` earlier than the latest check) is stored but
    /// does not touch the items: their append-only history follows the office's time, and an
    /// item "found" in the past after today's items were recorded would say what never happened.
    /// Only runs checked at or before now count: a run simulated at a future time must not
    /// stop today's runs from keeping the items in step.
    public func run(at: Date, trigger: String, scanID: Int64? = nil, by who: String, now: Date = Date()) throws -> Outcome {
        let latest = try assessment.store.latestRun(atOrBefore: now)
        let (runID, results) = try assessment.run(at: at, trigger: trigger, scanID: scanID)
        let id = runID ?? 0
        if let latest, at < latest.checkAt {
            return Outcome(runID: id, results: results, rectification: RectificationOutcome(), lookBackBehind: latest)
        }
        let rectification = try assessment.store.applyRectification(
            runID: id, at: at, problems: Self.problems(results, rules: assessment.rules, at: at),
            closable: Set(results.filter { $0.verdict == .pass || $0.verdict == .fail }.map(\.accountID)), by: who)
        return Outcome(runID: id, results: results, rectification: rectification, lookBackBehind: nil)
    }

    /// The failing problems of a set of results that need rectification: per account and
    /// rule, the findings and the deadline in working days from the check day.
    public static func problems(_ results: [AccountEvaluation], rules: RuleSet, at: Date) -> [RectificationProblem] {
        let day = ChinaTime.civil(at).date
        var problems: [RectificationProblem] = []
        for result in results where result.verdict != .notJudged {
            var order: [String] = []
            var byRule: [String: [Finding]] = [:]
            for finding in result.findings where rules.rectifyDays(finding.rule) != nil {
                if byRule[finding.rule] == nil { order.append(finding.rule) }
                byRule[finding.rule, default: []].append(finding)
            }
            for rule in order {
                let findings = byRule[rule]!
                let deadline = rules.calendar.addingWorkingDays(rules.rectifyDays(rule)!, to: day)
                problems.append(RectificationProblem(accountID: result.accountID, rule: rule, severity: findings[0].severity,
                                                     deadline: deadline.day, deadlineEstimated: deadline.estimated,
                                                     evidence: Array(findings.prefix(20))))
            }
        }
        return problems
    }
}
