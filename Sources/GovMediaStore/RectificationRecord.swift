import Foundation
import GovMediaCore
import GRDB

/// A row of `rectification`: one item of the rectification workflow, written when an
/// evaluation opens it and read back strictly (``item()``). Every read joins the account's
/// name (``selectSQL``), which items are shown with; the name is not a column of the table.
struct RectificationRecord: FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "rectification"
    /// The one SELECT items are read through, so every read has the account's name.
    static let selectSQL = "SELECT r.*, a.name AS account_name FROM rectification r LEFT JOIN account a ON a.id = r.account_id"

    var id: Int64?
    var accountID: String
    /// The account's name from the register (not stored on the item); nil when the account row is gone.
    var accountName: String?
    var rule: String
    var severity: String
    var owner: String
    var responsible: String?
    /// The finding evaluation's check time, in the stored fixed form (``ChinaTime/iso8601(_:)``).
    var foundAt: String
    var foundRunID: Int64
    /// The findings that prove it, as JSON (``Finding/json(_:)``).
    var evidence: String
    /// `YYYY-MM-DD`.
    var deadline: String
    var deadlineEstimated: Bool
    var state: String
    var overdueRecorded: Bool
    var closedAt: String?
    var closedRunID: Int64?
    var closeReason: String?

    init(row: Row) {
        id = row["id"]
        accountID = row["account_id"]
        accountName = row["account_name"]
        rule = row["rule"]
        severity = row["severity"]
        owner = row["owner"]
        responsible = row["responsible"]
        foundAt = row["found_at"]
        foundRunID = row["found_run_id"]
        evidence = row["evidence"]
        deadline = row["deadline"]
        deadlineEstimated = row["deadline_estimated"]
        state = row["state"]
        overdueRecorded = row["overdue_recorded"]
        closedAt = row["closed_at"]
        closedRunID = row["closed_run_id"]
        closeReason = row["close_reason"]
    }

    /// A new open item for a problem an evaluation found, with the owner unit and the
    /// responsible person as the register has them now.
    init(opening p: RectificationProblem, account: Account, at: String, runID: Int64) {
        accountID = p.accountID
        accountName = account.name
        rule = p.rule
        severity = p.severity.rawValue
        owner = account.owner
        responsible = account.responsible
        foundAt = at
        foundRunID = runID
        evidence = Finding.json(p.evidence)
        deadline = p.deadline.description
        deadlineEstimated = p.deadlineEstimated
        state = RectificationItem.State.open.rawValue
        overdueRecorded = false
    }

    func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["account_id"] = accountID
        container["rule"] = rule
        container["severity"] = severity
        container["owner"] = owner
        container["responsible"] = responsible
        container["found_at"] = foundAt
        container["found_run_id"] = foundRunID
        container["evidence"] = evidence
        container["deadline"] = deadline
        container["deadline_estimated"] = deadlineEstimated
        container["state"] = state
        container["overdue_recorded"] = overdueRecorded
        container["closed_at"] = closedAt
        container["closed_run_id"] = closedRunID
        container["close_reason"] = closeReason
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The item, or an error naming the item and the column a value cannot be read from:
    /// strict, like every stored code, never a default that would show a wrong deadline or state.
    func item() throws -> RectificationItem {
        let id = id ?? 0
        let at = "整改事项 #\(id)"
        func fail(_ column: String, _ value: String) -> StoredValueError {
            StoredValueError(table: Self.databaseTableName, row: at, column: column, value: value)
        }
        let found = try StoredValue.instant(foundAt, table: Self.databaseTableName, row: at, column: "found_at")
        guard let due = CivilDate(iso: deadline) else { throw fail("deadline", deadline) }
        let closed = try closedAt.map { try StoredValue.instant($0, table: Self.databaseTableName, row: at, column: "closed_at") }
        return RectificationItem(
            id: id, accountID: accountID, accountName: accountName ?? accountID, rule: rule,
            severity: try StoredValue.decode(severity, as: Severity.self, table: Self.databaseTableName, row: at, column: "severity"),
            owner: owner, responsible: responsible, foundAt: found, foundRunID: foundRunID,
            evidence: try StoredValue.json(evidence, as: [Finding].self, table: Self.databaseTableName, row: at, column: "evidence"),
            deadline: due, deadlineEstimated: deadlineEstimated,
            state: try StoredValue.decode(state, as: RectificationItem.State.self, table: Self.databaseTableName, row: at, column: "state"),
            overdueRecorded: overdueRecorded, closedAt: closed, closedRunID: closedRunID, closeReason: closeReason)
    }

    /// Items by a filter (`WHERE …` over `r.` columns, or empty), read strictly.
    static func items(_ db: Database, where clause: String = "", arguments: StatementArguments = [], order: String) throws -> [RectificationItem] {
        try fetchAll(db, sql: "\(selectSQL) \(clause) ORDER BY \(order)", arguments: arguments).map { try $0.item() }
    }

    /// One item by id, or nil.
    static func item(_ db: Database, id: Int64) throws -> RectificationItem? {
        try fetchOne(db, sql: "\(selectSQL) WHERE r.id = ?", arguments: [id])?.item()
    }
}
