import Foundation
import GovMediaCore
import GRDB

/// Who did a register step and why: recorded with every event.
public struct Attribution: Sendable {
    public var `operator`: String
    public var reason: String
    public var at: Date

    public init(operator: String, reason: String, at: Date = Date()) {
        self.operator = `operator`
        self.reason = reason
        self.at = at
    }
}

/// What an import did.
public struct ImportSummary: Equatable, Sendable {
    public var registered: [String] = []
    public var changed: [String] = []
    public var unchanged = 0

    public init(registered: [String] = [], changed: [String] = [], unchanged: Int = 0) {
        self.registered = registered
        self.changed = changed
        self.unchanged = unchanged
    }
}

/// Filters for listing the register.
public struct AccountFilter: Sendable {
    public var status: AccountStatus?
    public var owner: String?
    public var platform: Platform?

    public init(status: AccountStatus? = nil, owner: String? = nil, platform: Platform? = nil) {
        self.status = status
        self.owner = owner
        self.platform = platform
    }
}

extension Store {
    // MARK: Reading

    /// The register in filing order, filtered.
    public func accounts(_ filter: AccountFilter = AccountFilter()) throws(StoreError) -> [Account] {
        try read { db in try Self.fetchAccounts(db, filter) }
    }

    /// One account, or nil.
    public func account(_ id: String) throws(StoreError) -> Account? {
        try read { db in try Self.fetchAccount(db, id) }
    }

    /// An account's events, oldest first.
    public func events(accountID: String) throws(StoreError) -> [LifecycleEvent] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM lifecycle_event WHERE account_id = ? ORDER BY seq", arguments: [accountID])
                .map(Self.event)
        }
    }

    /// Register events recorded from `start` (inclusive) to `end` (exclusive), oldest first.
    public func events(from start: Date, to end: Date) throws(StoreError) -> [LifecycleEvent] {
        try read { db in
            // Strict here, though events are read leniently for the audit: an event whose time
            // cannot be read must fail loudly, not drop out of the week's register changes.
            try Row.fetchAll(db, sql: "SELECT * FROM lifecycle_event ORDER BY seq").map(Self.event).filter {
                let at = try StoredValue.instant($0.at, table: "lifecycle_event", row: "事件 #\($0.seq)", column: "at")
                return at >= start && at < end
            }
        }
    }

    // MARK: Lifecycle steps

    /// Registers new ids and records changes for ids whose fields differ, in one transaction.
    public func importAccounts(_ accounts: [Account], by who: Attribution) throws(StoreError) -> ImportSummary {
        try write { db in
            var summary = ImportSummary()
            for account in accounts {
                guard let old = try Self.fetchAccount(db, account.id) else {
                    try Self.insert(db, account)
                    try Self.append(db, .registered, LifecycleEvent.diff(nil, account), account.id, who)
                    summary.registered.append(account.id)
                    continue
                }
                let changes = LifecycleEvent.diff(old, account)
                if changes.isEmpty { summary.unchanged += 1; continue }
                let kind = try Self.kind(from: old, to: account)
                try Self.update(db, account)
                try Self.append(db, kind, changes, account.id, who)
                summary.changed.append(account.id)
            }
            return summary
        }
    }

    /// Opens a new account, or reopens a deregistered one as a new registration.
    public func add(_ account: Account, by who: Attribution) throws(StoreError) {
        try write { db in
            if let old = try Self.fetchAccount(db, account.id) {
                guard old.status == .deregistered else {
                    throw RegisterError(accountID: account.id, field: "id", problem: "账号已存在（状态：\(old.status.chineseName)）；修改请用 account change")
                }
                var reopened = account
                reopened.status = .active
                reopened.deregisteredOn = nil
                try Self.update(db, reopened)
                try Self.append(db, .registered, LifecycleEvent.diff(old, reopened), account.id, who)
            } else {
                var fresh = account
                fresh.status = .active
                try Self.insert(db, fresh)
                try Self.append(db, .registered, LifecycleEvent.diff(nil, fresh), account.id, who)
            }
        }
    }

    /// Sets fields (flat names, see `AccountField.changeable`) and records the change.
    public func change(
        _ id: String, set updates: [String: String], by who: Attribution,
        xpathProblem: @escaping @Sendable (String) -> String? = { _ in nil }
    ) throws(StoreError) -> [LifecycleEvent.Change] {
        try write { db in
            let old = try Self.existing(db, id)
            guard old.status != .deregistered else {
                throw RegisterError(accountID: id, problem: "账号已注销，不能变更；重新开设请用 account add --reason")
            }
            var fields = old.fields
            for (key, value) in updates {
                guard let field = AccountField(rawValue: key), AccountField.changeable.contains(field) else {
                    let allowed = AccountField.changeable.map(\.rawValue).joined(separator: ", ")
                    throw RegisterError(accountID: id, field: key, problem: "不能用 change 修改；可修改的字段：\(allowed)")
                }
                fields[key] = value.isEmpty ? nil : value
            }
            if fields["source.kind"] == "feed" {
                for key in ["source.item", "source.title", "source.link", "source.date"] { fields[key] = nil }
            }
            let new = try Account(fields: fields, xpathProblem: xpathProblem)
            let changes = LifecycleEvent.diff(old, new)
            guard !changes.isEmpty else { throw RegisterError(accountID: id, problem: "没有字段发生变化，未记录事件") }
            try Self.update(db, new)
            try Self.append(db, .changed, changes, id, who)
            return changes
        }
    }

    /// Announces closure (拟关停): the account stays monitored until deregistered.
    public func close(_ id: String, by who: Attribution) throws(StoreError) {
        try write { db in
            let old = try Self.existing(db, id)
            guard old.status == .active else {
                throw RegisterError(accountID: id, field: "status", problem: "只有正常状态的账号可以关停，当前为\(old.status.chineseName)")
            }
            var new = old
            new.status = .closing
            try Self.update(db, new)
            try Self.append(db, .closing, LifecycleEvent.diff(old, new), id, who)
        }
    }

    /// Deregisters (注销) an account on a date (default: today in China).
    public func deregister(_ id: String, on date: CivilDate?, by who: Attribution) throws(StoreError) {
        try write { db in
            let old = try Self.existing(db, id)
            guard old.status != .deregistered else {
                throw RegisterError(accountID: id, field: "status", problem: "账号已于 \(old.deregisteredOn?.description ?? "此前") 注销")
            }
            var new = old
            new.status = .deregistered
            new.deregisteredOn = date ?? ChinaTime.today(who.at)
            try Self.update(db, new)
            try Self.append(db, .deregistered, LifecycleEvent.diff(old, new), id, who)
        }
    }

    // MARK: Rows

    static func fetchAccounts(_ db: Database, _ filter: AccountFilter) throws -> [Account] {
        var clauses: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        if let s = filter.status { clauses.append("status = ?"); args.append(s.rawValue) }
        if let o = filter.owner { clauses.append("owner LIKE ?"); args.append("%\(o)%") }
        if let p = filter.platform { clauses.append("platform = ?"); args.append(p.rawValue) }
        let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        return try Row.fetchAll(db, sql: "SELECT * FROM account \(whereSQL) ORDER BY position",
                                arguments: StatementArguments(args)).map(account)
    }

    static func fetchAccount(_ db: Database, _ id: String) throws -> Account? {
        try Row.fetchOne(db, sql: "SELECT * FROM account WHERE id = ?", arguments: [id]).map(account)
    }

    static func existing(_ db: Database, _ id: String) throws -> Account {
        guard let a = try fetchAccount(db, id) else {
            throw RegisterError(accountID: id, problem: "台账中没有此账号")
        }
        return a
    }

    static let columns: [(column: String, field: String)] = AccountField.allCases.map {
        ($0.rawValue.replacingOccurrences(of: ".", with: "_"), $0.rawValue)
    }

    /// An account row, read through the register's own validator: the fields every way in
    /// shares (file, `account change`, events), so a row edited behind govmedia's back is
    /// refused by the same rules, as an error naming the row and the column.
    static func account(_ row: Row) throws -> Account {
        var fields: [String: String] = [:]
        for (column, field) in columns { fields[field] = row[column] }
        do { return try Account(fields: fields, stored: true) } catch {
            let column = error.field.map { $0.replacingOccurrences(of: ".", with: "_") } ?? "（多列）"
            throw StoredValueError(table: "account", row: "账号 \(fields["id"] ?? "?")", column: column,
                                   value: error.field.flatMap { fields[$0] }.map { String($0.prefix(80)) } ?? "", reason: error.problem)
        }
    }

    static func insert(_ db: Database, _ a: Account) throws {
        let f = a.fields
        let names = columns.map(\.column).joined(separator: ", ")
        let marks = columns.map { _ in "?" }.joined(separator: ", ")
        try db.execute(
            sql: "INSERT INTO account (position, \(names)) VALUES ((SELECT IFNULL(MAX(position), 0) + 1 FROM account), \(marks))",
            arguments: StatementArguments(columns.map { f[$0.field] }))
    }

    static func update(_ db: Database, _ a: Account) throws {
        let f = a.fields
        let sets = columns.dropFirst().map { "\($0.column) = ?" }.joined(separator: ", ")
        try db.execute(sql: "UPDATE account SET \(sets) WHERE id = ?",
                       arguments: StatementArguments(columns.dropFirst().map { f[$0.field] } + [a.id]))
        // A changed URL or XPath must be read afresh: validators of the old page would earn
        // a 304 and the new profile would never be applied.
        try db.execute(sql: "UPDATE fetch_state SET etag = NULL, last_modified = NULL WHERE account_id = ?", arguments: [a.id])
    }

    static func kind(from old: Account, to new: Account) throws -> LifecycleEvent.Kind {
        switch (old.status, new.status) {
        case (.deregistered, _):
            // Reopening is a new registration with its own reason (account add), never a side
            // effect of importing a file that was not updated after the deregistration.
            throw RegisterError(accountID: new.id, problem: "账号已于 \(old.deregisteredOn?.description ?? "此前") 注销，不能通过导入变更或重新开设；重新开设请用 account add --reason")
        case (_, .deregistered): return .deregistered
        case (.active, .closing): return .closing
        default: return .changed
        }
    }

    // MARK: Events

    static func append(_ db: Database, _ kind: LifecycleEvent.Kind, _ changes: [LifecycleEvent.Change],
                       _ accountID: String, _ who: Attribution, atText: String? = nil) throws {
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM lifecycle_event ORDER BY seq DESC LIMIT 1")
        let event = LifecycleEvent(
            seq: (last?["seq"] ?? 0) + 1, accountID: accountID, kind: kind, at: atText ?? ChinaTime.iso8601(who.at),
            operator: who.operator, reason: who.reason, changes: changes,
            previousHash: last?["hash"] ?? AuditHash.genesis)
        try db.execute(sql: """
            INSERT INTO lifecycle_event (seq, account_id, kind, at, operator, reason, changes, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [event.seq, event.accountID, event.kind.rawValue, event.at, event.operator,
                             event.reason, event.changesJSON, event.previousHash, event.hash])
    }

    static func event(_ row: Row) throws -> LifecycleEvent {
        // Read leniently: a row edited behind the CLI's back may hold a blob or NULL, and the
        // audit must name it rather than stop.
        func text(_ column: String) -> String {
            let value: DatabaseValue = row[column]
            return String.fromDatabaseValue(value) ?? "〈不可读的值：\(value)〉"
        }
        let changesJSON = text("changes")
        let seq = Int64.fromDatabaseValue(row["seq"]) ?? -1
        return LifecycleEvent(
            seq: seq, accountID: text("account_id"), kind: LifecycleEvent.Kind(rawValue: text("kind")) ?? .changed,
            at: text("at"), operator: text("operator"), reason: text("reason"),
            changes: LifecycleEvent.decodeChanges(changesJSON) ?? [], changesJSON: changesJSON,
            previousHash: text("prev_hash"), hash: text("hash"))
    }
}
