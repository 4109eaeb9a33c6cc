import Foundation
import GovMediaCore
import GRDB

/// What one evaluation did to the rectification items.
public struct RectificationOutcome: Sendable {
    public var opened: [RectificationItem] = []
    public var fixed: [RectificationItem] = []
    /// Items that this evaluation first saw past their deadline.
    public var overdue: [RectificationItem] = []

    public init() {}
}

/// Filters for listing items.
public struct RectificationFilter: Sendable {
    /// Owner unit (contains this text).
    public var unit: String?
    public var accountID: String?
    public var states: Set<RectificationItem.State>?

    public init(unit: String? = nil, accountID: String? = nil, states: Set<RectificationItem.State>? = nil) {
        self.unit = unit
        self.accountID = accountID
        self.states = states
    }
}

extension Store {
    // MARK: After an evaluation

    /// Applies an evaluation to the items, in one transaction: opens an item for each
    /// problem with no open item for its account and rule; closes as fixed the open items of
    /// `closable` accounts (those the evaluation could judge) whose rule it no longer found,
    /// keeping the run as proof; records `overdue` once for open items past their deadline.
    public func applyRectification(runID: Int64, at: Date, problems: [RectificationProblem], closable: Set<String>,
                                   by who: String) throws(StoreError) -> RectificationOutcome {
        let atText = ChinaTime.iso8601(at)
        return try write { db in
            var outcome = RectificationOutcome()
            let found = Set(problems.map { "\($0.accountID)\u{1F}\($0.rule)" })
            // An item whose row cannot be read is left as it is, open, rather than stop every
            // other account's items from moving; `rectify list` and `show` name it.
            let open = try RectificationRecord.fetchAll(db, sql: "\(RectificationRecord.selectSQL) WHERE r.state = 'open' ORDER BY r.id")
                .compactMap { try? $0.item() }
            for item in open where closable.contains(item.accountID) && !found.contains("\(item.accountID)\u{1F}\(item.rule)")
                && at > item.foundAt {
                try db.execute(sql: "UPDATE rectification SET state = 'fixed', closed_at = ?, closed_run_id = ? WHERE id = ?",
                               arguments: [atText, runID, item.id])
                try Self.appendRectificationEvent(db, item, .fixed, at: atText, operator: who,
                                                  reason: "评判 #\(runID) 未再发现此问题", details: ["run": String(runID)])
                var fixed = item
                fixed.state = .fixed
                fixed.closedAt = TextDate.readExact(atText)
                fixed.closedRunID = runID
                outcome.fixed.append(fixed)
            }
            let stillOpen = Set(open.filter { item in !outcome.fixed.contains { $0.id == item.id } }.map { "\($0.accountID)\u{1F}\($0.rule)" })
            for item in open where !outcome.fixed.contains(where: { $0.id == item.id }) && !item.overdueRecorded && item.isOverdue(at: at) {
                try db.execute(sql: "UPDATE rectification SET overdue_recorded = 1 WHERE id = ?", arguments: [item.id])
                try Self.appendRectificationEvent(db, item, .overdue, at: atText, operator: who,
                                                  reason: "评判 #\(runID) 时已超过整改时限 \(item.deadline)",
                                                  details: ["run": String(runID), "deadline": item.deadline.description])
                var overdue = item
                overdue.overdueRecorded = true
                outcome.overdue.append(overdue)
            }
            var seen: Set<String> = []
            for p in problems {
                let key = "\(p.accountID)\u{1F}\(p.rule)"
                guard !stillOpen.contains(key), seen.insert(key).inserted,
                      let account = try Self.fetchAccount(db, p.accountID) else { continue }
                var record = RectificationRecord(opening: p, account: account, at: atText, runID: runID)
                try record.insert(db)
                let item = try record.item()
                try Self.appendRectificationEvent(db, item, .opened, at: atText, operator: who,
                                                  reason: "评判 #\(runID) 发现：\(item.summary)",
                                                  details: Self.openedDetails(item))
                outcome.opened.append(item)
            }
            return outcome
        }
    }

    // MARK: Officers' steps

    /// Sets a new deadline for an open item. Refused (nothing written) for an unknown id, an
    /// item already closed, a date before the finding or not later than the current deadline,
    /// or no reason.
    @discardableResult
    public func extendRectification(_ id: Int64, to day: CivilDate, by who: Attribution) throws(StoreError) -> RectificationItem {
        try write { db in
            let item = try Self.openItem(db, id, who)
            let foundDay = ChinaTime.civil(item.foundAt).date
            guard day >= foundDay else {
                throw RectificationError(itemID: id, problem: "新时限 \(day) 早于发现日期 \(foundDay)，未作更改")
            }
            guard day > item.deadline else {
                throw RectificationError(itemID: id, problem: "新时限 \(day) 不晚于现有时限 \(item.deadline)，延期应给出更晚的日期；未作更改")
            }
            try db.execute(sql: "UPDATE rectification SET deadline = ?, deadline_estimated = 0, overdue_recorded = 0 WHERE id = ?",
                           arguments: [day.description, id])
            try Self.appendRectificationEvent(db, item, .extended, at: ChinaTime.iso8601(who.at), operator: who.operator,
                                              reason: who.reason, details: ["deadline": day.description, "previous": item.deadline.description])
            return try RectificationRecord.item(db, id: id)!
        }
    }

    /// Closes an open item without a fix (豁免), with the officer's reason.
    @discardableResult
    public func waiveRectification(_ id: Int64, by who: Attribution) throws(StoreError) -> RectificationItem {
        try write { db in
            let item = try Self.openItem(db, id, who)
            let atText = ChinaTime.iso8601(who.at)
            try db.execute(sql: "UPDATE rectification SET state = 'waived', closed_at = ?, close_reason = ? WHERE id = ?",
                           arguments: [atText, who.reason, id])
            try Self.appendRectificationEvent(db, item, .waived, at: atText, operator: who.operator, reason: who.reason, details: [:])
            return try RectificationRecord.item(db, id: id)!
        }
    }

    private static func openItem(_ db: Database, _ id: Int64, _ who: Attribution) throws -> RectificationItem {
        guard let item = try RectificationRecord.item(db, id: id) else {
            throw RectificationError(itemID: id, problem: "没有这个整改事项（用 govmedia rectify list 查看编号）")
        }
        guard !who.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw RectificationError(itemID: id, problem: "必须用 --reason 说明原因；未作更改")
        }
        guard item.state == .open else {
            throw RectificationError(itemID: id, problem: "已是「\(item.state.chineseName)」状态，不能再更改")
        }
        return item
    }

    // MARK: Reading

    /// Items, newest first, filtered.
    public func rectifications(_ filter: RectificationFilter = RectificationFilter()) throws(StoreError) -> [RectificationItem] {
        try read { db in
            var clauses: [String] = []
            var args: [(any DatabaseValueConvertible)?] = []
            if let unit = filter.unit { clauses.append("r.owner LIKE ?"); args.append("%\(unit)%") }
            if let account = filter.accountID { clauses.append("r.account_id = ?"); args.append(account) }
            if let states = filter.states {
                clauses.append("r.state IN (\(states.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")))")
            }
            let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            return try RectificationRecord.items(db, where: whereSQL, arguments: StatementArguments(args), order: "r.id DESC")
        }
    }

    /// One item, or nil.
    public func rectification(_ id: Int64) throws(StoreError) -> RectificationItem? {
        try read { db in try RectificationRecord.item(db, id: id) }
    }

    /// An item's events, oldest first.
    public func rectificationEvents(itemID: Int64) throws(StoreError) -> [RectificationEvent] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM rectification_event WHERE item_id = ? ORDER BY seq", arguments: [itemID])
                .map(Self.rectificationEvent)
        }
    }

    /// Open items per account.
    /// - Parameter at: count the items open at that time (found by then, not yet closed)
    ///   instead of those open now: a look at a past check shows what was open then.
    public func openRectificationCounts(at: Date? = nil) throws(StoreError) -> [String: Int] {
        try read { db in
            var counts: [String: Int] = [:]
            let rows = try at.map { at in
                // Times are stored in one fixed form (ChinaTime.iso8601), so text order is time order.
                let text = ChinaTime.iso8601(at)
                return try Row.fetchAll(db, sql: """
                    SELECT account_id, COUNT(*) AS n FROM rectification
                    WHERE found_at <= ? AND (closed_at IS NULL OR closed_at > ?) GROUP BY account_id
                    """, arguments: [text, text])
            } ?? Row.fetchAll(db, sql: "SELECT account_id, COUNT(*) AS n FROM rectification WHERE state = 'open' GROUP BY account_id")
            for row in rows { counts[row["account_id"]] = row["n"] }
            return counts
        }
    }

    // MARK: Rows and events

    static func openedDetails(_ item: RectificationItem) -> [String: String] {
        ["deadline": item.deadline.description, "estimated": item.deadlineEstimated ? "true" : "false",
         "run": String(item.foundRunID), "severity": item.severity.rawValue, "owner": item.owner, "evidence": Finding.json(item.evidence)]
    }

    static func appendRectificationEvent(_ db: Database, _ item: RectificationItem, _ kind: RectificationEvent.Kind, at: String,
                                         operator who: String, reason: String, details: [String: String]) throws {
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM rectification_event ORDER BY seq DESC LIMIT 1")
        let event = RectificationEvent(seq: (last?["seq"] ?? 0) + 1, itemID: item.id, accountID: item.accountID, rule: item.rule,
                                       kind: kind, at: at, operator: who, reason: reason, details: RectificationEvent.encode(details),
                                       previousHash: last?["hash"] ?? AuditHash.genesis)
        try db.execute(sql: """
            INSERT INTO rectification_event (seq, item_id, account_id, rule, kind, at, operator, reason, details, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [event.seq, event.itemID, event.accountID, event.rule, event.kind.rawValue, event.at, event.operator,
                             event.reason, event.details, event.previousHash, event.hash])
    }

    /// Reads an event leniently: a tampered value is shown, never a trap.
    static func rectificationEvent(_ row: Row) -> RectificationEvent {
        func text(_ column: String) -> String {
            let value: DatabaseValue = row[column]
            return String.fromDatabaseValue(value) ?? "〈不可读的值：\(value)〉"
        }
        func integer(_ column: String) -> Int64 {
            let value: DatabaseValue = row[column]
            if case .int64(let n) = value.storage { return n }
            return -1
        }
        let kind = RectificationEvent.Kind(rawValue: text("kind"))
        var event = RectificationEvent(seq: integer("seq"), itemID: integer("item_id"), accountID: text("account_id"), rule: text("rule"),
                                       kind: kind ?? .opened, at: text("at"), operator: text("operator"), reason: text("reason"),
                                       details: text("details"), previousHash: text("prev_hash"), hash: text("hash"))
        if kind == nil { event.reason += "\u{1F}" + text("kind") }   // an unknown kind must not hash as `opened`
        return event
    }

    /// The rectification ledger's links, for `verifyAudit`.
    static func rectificationChainLinks(_ db: Database) throws -> [ChainLink] {
        try Row.fetchAll(db, sql: "SELECT * FROM rectification_event ORDER BY seq").map { row in
            let e = rectificationEvent(row)
            return ChainLink(seq: e.seq, label: "整改事项 #\(e.itemID)（账号 \(e.accountID)，\(e.rule)），\(e.kind.chineseName)，\(e.at)",
                             previousHash: e.previousHash, storedHash: e.hash, computedHash: e.computedHash)
        }
    }

    /// Rebuilds each item's state from its events and compares it with the item table: a
    /// row edited, added or deleted behind the commands' back is named.
    static func rectificationReplayProblems(_ db: Database) throws -> [AuditProblem] {
        struct Replayed { var state = "open", deadline = "", overdue = false, closedRun: Int64?; var opened = false }
        var replayed: [Int64: Replayed] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM rectification_event ORDER BY seq") {
            let e = rectificationEvent(row)
            var r = replayed[e.itemID] ?? Replayed()
            let d = e.detailValues
            switch e.kind {
            case .opened: r.opened = true; r.deadline = d["deadline"] ?? ""
            case .fixed: r.state = "fixed"; r.closedRun = d["run"].flatMap { Int64($0) }
            case .overdue: r.overdue = true
            case .extended: r.deadline = d["deadline"] ?? r.deadline; r.overdue = false
            case .waived: r.state = "waived"
            }
            replayed[e.itemID] = r
        }
        var problems: [AuditProblem] = []
        var present: Set<Int64> = []
        for row in try Row.fetchAll(db, sql: "SELECT id, state, deadline, overdue_recorded, closed_run_id FROM rectification ORDER BY id") {
            let id: Int64 = row["id"]
            present.insert(id)
            guard let r = replayed[id], r.opened else {
                problems.append(AuditProblem(ledger: "rectification", recordID: "整改事项 #\(id)", problem: "有此事项，但没有开立事件"))
                continue
            }
            var differing: [String] = []
            if (row["state"] as String?) != r.state { differing.append("state") }
            if (row["deadline"] as String?) != r.deadline { differing.append("deadline") }
            if ((row["overdue_recorded"] as Int?) ?? 0 != 0) != r.overdue { differing.append("overdue_recorded") }
            if (row["closed_run_id"] as Int64?) != r.closedRun { differing.append("closed_run_id") }
            if !differing.isEmpty {
                problems.append(AuditProblem(ledger: "rectification", recordID: "整改事项 #\(id)",
                                             problem: "字段 \(differing.joined(separator: ", ")) 与事件记录不符，整改事项被绕过命令修改"))
            }
        }
        for id in replayed.keys.sorted() where !present.contains(id) {
            problems.append(AuditProblem(ledger: "rectification", recordID: "整改事项 #\(id)", problem: "事件记录中有此事项，但事项行已被删除"))
        }
        return problems
    }
}
