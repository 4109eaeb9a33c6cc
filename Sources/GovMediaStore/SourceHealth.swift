import Foundation
import GovMediaCore
import GRDB

/// How one feed bridge is doing, from its accounts' latest fetches.
public struct BridgeHealth: Sendable, Equatable {
    /// The bridge's name in the config; nil for accounts that name none (and have no default).
    public var bridge: String?
    /// The name officers read: the bridge's, or （未指定）.
    public var name: String { bridge ?? "（未指定）" }
    /// Accounts (not deregistered) read through it.
    public var accounts: Int
    /// Whose latest read through it succeeded.
    public var ok: Int
    /// Whose latest read failed, and why, by account id.
    public var failing: [(accountID: String, kind: FetchFailureKind, message: String)]
    /// When the oldest of the current failures began, nil when none fail.
    public var failingSince: Date?
    /// Accounts never read yet.
    public var neverRead: Int

    /// Three or more accounts failing together is the bridge's problem, told once to the operator.
    public var isDown: Bool { failing.count >= Self.downThreshold }
    public static let downThreshold = 3

    /// The operator-level line: `数据源故障：rsshub（5 个账号，…）`.
    public var problem: String? {
        guard isDown, let first = failing.first else { return nil }
        return "数据源故障：\(name)（\(failing.count) 个账号读取失败，自 \(failingSince.map(ChinaTime.short) ?? "?") 起；"
            + "首个错误：\(first.kind.label)，\(first.message)）"
    }

    /// The state officers read, in the CLI and the weekly report alike.
    public var stateName: String {
        if isDown { return "故障" }
        if failing.isEmpty { return "正常" }
        return ok == 0 && neverRead == 0 ? "全部失败" : "部分失败"
    }

    public static func == (a: BridgeHealth, b: BridgeHealth) -> Bool {
        a.bridge == b.bridge && a.accounts == b.accounts && a.ok == b.ok && a.failingSince == b.failingSince
            && a.neverRead == b.neverRead && a.failing.map(\.accountID) == b.failing.map(\.accountID)
    }
}

extension Store {
    /// Each bridge's health, by name; accounts never fetched count under the bridge they name
    /// (or none).
    public func sourceHealth() throws(StoreError) -> [BridgeHealth] {
        try read { db in
            var byBridge: [String: BridgeHealth] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT a.id, a.source_bridge, f.id AS fetch_id, f.bridge, f.failure, f.failure_message FROM account a
                LEFT JOIN fetch f ON f.id = (SELECT MAX(id) FROM fetch WHERE account_id = a.id)
                WHERE a.source_kind = 'bridge' AND a.status != 'deregistered' ORDER BY a.position
                """) {
                let id: String = row["id"]
                let bridge: String? = row["bridge"] ?? row["source_bridge"]
                let name = bridge ?? ""
                var h = byBridge[name] ?? BridgeHealth(bridge: bridge, accounts: 0, ok: 0, failing: [], failingSince: nil, neverRead: 0)
                h.accounts += 1
                if (row["fetch_id"] as Int64?) == nil {
                    h.neverRead += 1
                } else if let failure = try FetchRecord.failure(row["failure"], fetchID: row["fetch_id"]) {
                    h.failing.append((id, failure, row["failure_message"] ?? failure.chineseName))
                    let since = try String.fetchOne(db, sql: """
                        SELECT MIN(fetched_at) FROM fetch WHERE account_id = ? AND failure IS NOT NULL
                        AND id > IFNULL((SELECT MAX(id) FROM fetch WHERE account_id = ? AND failure IS NULL), 0)
                        """, arguments: [id, id])
                    if let since = try since.map({ try StoredValue.instant($0, table: "fetch", row: "账号 \(id) 的抓取", column: "fetched_at") }),
                       h.failingSince.map({ since < $0 }) ?? true { h.failingSince = since }
                } else {
                    h.ok += 1
                }
                byBridge[name] = h
            }
            // Named bridges by name; accounts that name none last.
            return byBridge.values.sorted { ($0.bridge == nil ? 1 : 0, $0.name) < ($1.bridge == nil ? 1 : 0, $1.name) }
        }
    }
}
