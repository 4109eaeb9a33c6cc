import Foundation
import GovMediaCore
import GRDB

/// A register entry where the register file and the database disagree. The database wins:
/// it holds what officers did with `govmedia account …`, each step audited; a file is
/// applied only where its own entries changed since it was last applied, and never undoes
/// a deregistration.
public struct RegisterDrift: Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var accountID: String
    /// The register fields that differ (flat names), or empty when the account is not in
    /// the database at all.
    public var fields: [String]
    /// Why the file's version was not applied, when an apply was refused.
    public var refused: String?

    public var description: String {
        let what = fields.isEmpty ? "数据库中没有此账号" : "字段 \(fields.joined(separator: ", ")) 与数据库不一致"
        return "台账文件 \(file) 中的账号 \(accountID)：\(what)，以数据库为准" + (refused.map { "（\($0)）" } ?? "") + "；请按数据库更新台账文件"
    }
}

/// What applying a register file did.
public struct RegisterSyncResult: Sendable {
    public var summary: ImportSummary
    /// Entries the file changed that the database refused (e.g. a deregistered account).
    public var refused: [RegisterDrift]
}

extension Store {
    /// The digest of the register file last applied from `path`, if any.
    public func appliedRegisterDigest(path: String) throws(StoreError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT digest FROM register_sync WHERE path = ?", arguments: [path]) }
    }

    /// Applies a register file in one transaction and remembers it. An entry is applied
    /// when it is new or differs from the file's previous version; an entry the file did not
    /// change is left as officers made it. A change the register refuses (a deregistered
    /// account) is skipped and reported, never a reason to fail the rest.
    public func applyRegisterFile(path: String, digest: String, content: Data, accounts: [Account],
                                  by who: Attribution) throws(StoreError) -> RegisterSyncResult {
        try write { db in
            let previous = try String.fetchOne(db, sql: "SELECT accounts FROM register_sync WHERE path = ?", arguments: [path])
                .flatMap { try? RegisterFile.decode(Data($0.utf8)) }
            let before = Dictionary((previous ?? []).map { ($0.id, $0) }) { a, _ in a }
            var result = RegisterSyncResult(summary: ImportSummary(), refused: [])
            for account in accounts {
                guard let current = try Self.fetchAccount(db, account.id) else {
                    try Self.insert(db, account)
                    try Self.append(db, .registered, LifecycleEvent.diff(nil, account), account.id, who)
                    result.summary.registered.append(account.id)
                    continue
                }
                let changes = LifecycleEvent.diff(current, account)
                // Unchanged in the file since it was last applied: whatever differs now was an
                // officer's doing, and stands.
                if changes.isEmpty || before[account.id] == account { result.summary.unchanged += 1; continue }
                do {
                    let kind = try Self.kind(from: current, to: account)
                    try Self.update(db, account)
                    try Self.append(db, kind, changes, account.id, who)
                    result.summary.changed.append(account.id)
                } catch let refusal as RegisterError {
                    result.refused.append(RegisterDrift(file: path, accountID: account.id, fields: changes.map(\.field), refused: refusal.problem))
                }
            }
            try db.execute(sql: """
                INSERT INTO register_sync (path, digest, applied_at, accounts) VALUES (?, ?, ?, ?)
                ON CONFLICT (path) DO UPDATE SET digest = excluded.digest, applied_at = excluded.applied_at, accounts = excluded.accounts
                """, arguments: [path, digest, ChinaTime.iso8601(who.at), String(decoding: content, as: UTF8.self)])
            return result
        }
    }

    /// Where the register files last applied and the database now differ: worth a notice
    /// wherever officers look (status, the daemon's log, the weekly report) until the file
    /// is brought in line.
    public func registerDrift() throws(StoreError) -> [RegisterDrift] {
        try read { db in
            var drift: [RegisterDrift] = []
            for row in try Row.fetchAll(db, sql: "SELECT path, accounts FROM register_sync ORDER BY path") {
                let path: String = row["path"]
                guard let entries = try? RegisterFile.decode(Data((row["accounts"] as String).utf8)) else { continue }
                for entry in entries {
                    guard let current = try Self.fetchAccount(db, entry.id) else {
                        drift.append(RegisterDrift(file: path, accountID: entry.id, fields: []))
                        continue
                    }
                    let fields = LifecycleEvent.diff(current, entry).map(\.field)
                    if !fields.isEmpty { drift.append(RegisterDrift(file: path, accountID: entry.id, fields: fields)) }
                }
            }
            return drift
        }
    }
}
