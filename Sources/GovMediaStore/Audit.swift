import Foundation
import GovMediaCore
import GRDB

/// The first record of a ledger that does not fit its chain, or a register row that its
/// events do not explain.
public struct AuditProblem: Equatable, Sendable, CustomStringConvertible {
    /// The ledger: `lifecycle_event`, `review_record`, or `account` for the register table.
    public var ledger: String
    public var seq: Int64?
    public var recordID: String
    public var problem: String

    public var description: String {
        let at = seq.map { "第 \($0) 条记录（\(recordID)）" } ?? recordID
        return "\(AuditProblem.ledgerName(ledger)) \(at)：\(problem)"
    }

    static func ledgerName(_ ledger: String) -> String {
        switch ledger {
        case "lifecycle_event": "台账事件"
        case "review_record": "三审记录"
        default: "台账"
        }
    }
}

/// One link of a chain as stored: enough to check it.
struct ChainLink {
    var seq: Int64
    var label: String
    var previousHash: String
    var storedHash: String
    var computedHash: String
}

/// Recomputes the hash chains and replays the register's events.
public enum AuditVerifier {
    /// Checks one ledger's links in order; returns the first that does not fit.
    static func firstBreak(_ links: [ChainLink], ledger: String) -> AuditProblem? {
        var expectedPrevious = AuditHash.genesis
        var expectedSeq: Int64 = 1
        for link in links {
            func problem(_ text: String) -> AuditProblem {
                AuditProblem(ledger: ledger, seq: link.seq, recordID: link.label, problem: text)
            }
            if link.seq != expectedSeq {
                return problem("序号不连续（应为 \(expectedSeq)），前面的记录可能被删除")
            }
            if link.previousHash != expectedPrevious {
                return problem("前一条记录的哈希不符，链条在此断开（记录被删除或改动）")
            }
            if link.computedHash != link.storedHash {
                return problem("内容与哈希不符，记录在写入后被改动")
            }
            expectedPrevious = link.storedHash
            expectedSeq += 1
        }
        return nil
    }

    /// Rebuilds each account from its events and compares with the register table.
    static func replayProblems(_ db: Database) throws -> [AuditProblem] {
        var rebuilt: [String: [String: String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT account_id, changes FROM lifecycle_event ORDER BY seq") {
            let id: String = row["account_id"]
            var fields = rebuilt[id] ?? [:]
            for change in LifecycleEvent.decodeChanges(row["changes"]) ?? [] { fields[change.field] = change.after }
            rebuilt[id] = fields
        }
        var problems: [AuditProblem] = []
        for row in try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY position") {
            var stored: [String: String] = [:]
            for (column, field) in Store.columns { stored[field] = row[column] }
            let id = stored["id"] ?? "?"
            guard let expected = rebuilt[id] else {
                problems.append(AuditProblem(ledger: "account", recordID: "账号 \(id)", problem: "台账中有此账号，但没有开设事件"))
                continue
            }
            let differing = AccountField.allCases.map(\.rawValue).filter { stored[$0] != expected[$0] }
            if !differing.isEmpty {
                problems.append(AuditProblem(ledger: "account", recordID: "账号 \(id)",
                                             problem: "字段 \(differing.joined(separator: ", ")) 与事件记录不符，台账被绕过命令修改"))
            }
        }
        return problems
    }
}

extension Store {
    /// Every audit problem found: the first break of each chain, then register rows that
    /// their events do not explain. Empty means the ledgers are intact.
    public func verifyAudit() throws(StoreError) -> [AuditProblem] {
        try read { db in
            let links = try Row.fetchAll(db, sql: "SELECT * FROM lifecycle_event ORDER BY seq").map { row -> ChainLink in
                let e = try Store.event(row)
                return ChainLink(seq: e.seq, label: "账号 \(e.accountID)，\(e.kind.chineseName)，\(e.at)",
                                 previousHash: e.previousHash, storedHash: e.hash, computedHash: e.computedHash)
            }
            var problems: [AuditProblem] = []
            if let broken = AuditVerifier.firstBreak(links, ledger: "lifecycle_event") { problems.append(broken) }
            if let broken = try AuditVerifier.firstBreak(Store.reviewChainLinks(db), ledger: "review_record") { problems.append(broken) }
            problems += try AuditVerifier.replayProblems(db)
            return problems
        }
    }
}
