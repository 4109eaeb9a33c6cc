import Foundation
import GovMediaCore
import GovMediaRules
import GovMediaStore

/// Evaluates every account from stored posts, ledgers and fetches, and stores the run:
/// the step after each scan, and `govmedia evaluate` on its own.
public struct Assessment: Sendable {
    public let store: Store
    public let rules: RuleSet
    public init(store: Store, rulesDirectory: String) throws {
        self.store = store
        rules = try RuleFiles.load(directory: rulesDirectory)
    }

    /// Judges accounts at `at`; stores the run unless `save` is false (a what-if `status --at`).
    public func run(at: Date, trigger: String, scanID: Int64? = nil, accountIDs: Set<String>? = nil,
                    save: Bool = true) throws -> (runID: Int64?, results: [AccountEvaluation]) {
        let evaluator = Evaluator(rules: rules)
        let snapshots = try store.snapshots(at: at, windowDays: evaluator.windowDays, historyDays: evaluator.historyDays,
                                             accountIDs: accountIDs)
        let results = snapshots.map { evaluator.evaluate($0, at: at) }
        guard save else { return (nil, results) }
        let runID = try store.saveEvaluations(results, at: at, rulesVersion: rules.version, ruleFiles: rules.files,
                                              trigger: trigger, scanID: scanID)
        return (runID, results)
    }
}
