import Foundation
import GovMediaCore
import GRDB

/// The first record of a ledger that does not fit its chain, or a register row that its
/// events do not explain.
public struct AuditProblem: Equatable, Sendable, CustomStringConvertible {
    /// The ledger: `lifecycle_event`, `review_record`, `rectification_event`, `account` for the
    /// register table, `account_flag` for officers' flags, `rectification` for the items, or
    /// `anchor` for a check against an outside anchor.
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
        case "account_flag": "账号标记"
        case "anchor": "外部锚点"
        case "rectification_event": "整改事件"
        case "rectification": "整改事项"
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

    /// Rebuilds each account and its flags from its events and compares them with the
    /// register and flag tables: a row edited, added or deleted behind the CLI's back does
    /// not fit what the chain says happened.
    static func replayProblems(_ db: Database) throws -> [AuditProblem] {
        var rebuilt: [String: [String: String]] = [:]
        // Per account and flag, the reasons it was set with, in order, and whether it stands.
        var flags: [String: [(reason: String?, cleared: Bool)]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT account_id, kind, changes FROM lifecycle_event ORDER BY seq") {
            let id: String = row["account_id"]
            let changes = LifecycleEvent.decodeChanges(row["changes"]) ?? []
            switch LifecycleEvent.Kind(rawValue: row["kind"]) {
            case .flagged?:
                for c in changes { flags["\(id)\u{1F}\(c.field.dropFirst(LifecycleEvent.flagFieldPrefix.count))", default: []].append((c.after, false)) }
            case .unflagged?:
                for c in changes {
                    let key = "\(id)\u{1F}\(c.field.dropFirst(LifecycleEvent.flagFieldPrefix.count))"
                    if let last = flags[key]?.indices.last { flags[key]![last].cleared = true }
                }
            default:
                var fields = rebuilt[id] ?? [:]
                for change in changes { fields[change.field] = change.after }
                rebuilt[id] = fields
            }
        }
        var problems: [AuditProblem] = []
        var present: Set<String> = []
        for row in try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY position") {
            var stored: [String: String] = [:]
            for (column, field) in Store.columns { stored[field] = row[column] }
            let id = stored["id"] ?? "?"
            present.insert(id)
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
        for id in rebuilt.keys.sorted() where !present.contains(id) {
            problems.append(AuditProblem(ledger: "account", recordID: "账号 \(id)", problem: "事件记录中有此账号，但台账中的行已被删除"))
        }
        var stored: [String: [(reason: String?, cleared: Bool)]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT account_id, flag, reason, cleared_at FROM account_flag ORDER BY id") {
            let key = "\(row["account_id"] as String)\u{1F}\(row["flag"] as String)"
            stored[key, default: []].append((row["reason"], (row["cleared_at"] as String?) != nil))
        }
        for key in Set(flags.keys).union(stored.keys).sorted() {
            let expected = flags[key] ?? [], actual = stored[key] ?? []
            guard expected.count != actual.count || zip(expected, actual).contains(where: { $0.reason != $1.reason || $0.cleared != $1.cleared }) else { continue }
            let parts = key.split(separator: "\u{1F}", maxSplits: 1).map(String.init)
            let what = expected.count > actual.count ? "标记记录被删除" : expected.count < actual.count ? "有标记记录但没有对应事件" : "标记的理由或解除状态与事件记录不符"
            problems.append(AuditProblem(ledger: "account_flag", recordID: "账号 \(parts[0])，标记 \(parts.count > 1 ? parts[1] : "?")",
                                         problem: "\(what)（事件 \(expected.count) 次设置，表中 \(actual.count) 条）"))
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
            if let broken = try AuditVerifier.firstBreak(Store.rectificationChainLinks(db), ledger: "rectification_event") { problems.append(broken) }
            problems += try AuditVerifier.replayProblems(db)
            problems += try Store.rectificationReplayProblems(db)
            return problems
        }
    }

    /// The head of each hash chain: how many records it has and the newest one's hash.
    /// Written outside the database (the anchor file, every weekly report), it catches what
    /// a chain cannot show by itself: its newest records deleted, or a record rewritten
    /// with every later hash recomputed.
    public func chainHeads() throws(StoreError) -> [ChainHead] {
        try read { db in
            try AuditLedger.allCases.map { ledger in
                let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM \(ledger.rawValue) ORDER BY seq DESC LIMIT 1")
                return ChainHead(ledger: ledger, count: Int64.fromDatabaseValue(row?["seq"] ?? .null) ?? 0,
                                 hash: String.fromDatabaseValue(row?["hash"] ?? .null) ?? AuditHash.genesis)
            }
        }
    }

    /// Checks the chains against heads recorded earlier: the record at each anchored
    /// position must still be there with the anchored hash. Problems name what is missing
    /// or rewritten; the anchor's own text is quoted.
    public func verify(against anchors: [ChainHead], source: String) throws(StoreError) -> [AuditProblem] {
        try read { db in
            var problems: [AuditProblem] = []
            for anchor in anchors where anchor.count > 0 {
                let current = try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM \(anchor.ledger.rawValue)") ?? 0
                let hash = try String.fetchOne(db, sql: "SELECT hash FROM \(anchor.ledger.rawValue) WHERE seq = ?", arguments: [anchor.count])
                let name = AuditProblem.ledgerName(anchor.ledger.rawValue)
                if hash == nil {
                    problems.append(AuditProblem(ledger: "anchor", seq: anchor.count, recordID: "\(source)：\(name)",
                                                 problem: "锚定时共 \(anchor.count) 条，现在只有 \(current) 条：此后的记录被删除"))
                } else if hash != anchor.hash {
                    problems.append(AuditProblem(ledger: "anchor", seq: anchor.count, recordID: "\(source)：\(name)",
                                                 problem: "哈希与锚定值 \(anchor.hash.prefix(16))… 不符：此条或之前的记录被改写（其后哈希被重新计算）"))
                }
            }
            return problems
        }
    }

    /// Checks that a single anchored hash (as printed in a weekly report) is still the hash
    /// of some record in one of the chains.
    public func verify(anchorHash: String) throws(StoreError) -> [AuditProblem] {
        try read { db in
            for ledger in AuditLedger.allCases
            where try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(ledger.rawValue) WHERE hash = ?", arguments: [anchorHash]) ?? 0 > 0 {
                return []
            }
            return [AuditProblem(ledger: "anchor", recordID: "哈希 \(anchorHash.prefix(16))…",
                                 problem: "在任何链中都找不到此哈希：锚定的记录或之前的记录被删除或改写")]
        }
    }
}

/// The hash-chained ledgers.
public enum AuditLedger: String, CaseIterable, Sendable, Codable {
    case lifecycleEvent = "lifecycle_event"
    case reviewRecord = "review_record"
    case rectificationEvent = "rectification_event"

    /// The officers' name of the chain.
    public var chineseName: String { AuditProblem.ledgerName(rawValue) }
}

/// A chain's head: its record count and the newest record's hash (the genesis hash when
/// empty).
public struct ChainHead: Equatable, Sendable, Codable {
    public var ledger: AuditLedger
    public var count: Int64
    public var hash: String

    public init(ledger: AuditLedger, count: Int64, hash: String) {
        self.ledger = ledger
        self.count = count
        self.hash = hash
    }
}
