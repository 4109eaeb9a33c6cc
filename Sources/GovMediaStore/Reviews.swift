import Foundation
import GovMediaCore
import GRDB

extension Store {
    // MARK: Appending

    /// Appends sign-offs to the 三审 ledger in one IMMEDIATE transaction, each chained to the
    /// previous record's hash. Returns how many were recorded; the rest of `rows`
    /// (`rows.count - result`) were exact duplicates and were skipped.
    ///
    /// A row is a duplicate when the ledger (or an earlier row of the same call) already holds
    /// the same account, post URL, post title, stage, reviewer, signing time and opinion:
    /// officers re-run an import after fixing or extending a file and expect it not to
    /// double-count. Every account id must be in the register; if any is not, nothing is
    /// written and the error (a `ReviewImportFailure` inside the `StoreError`) names each row.
    ///
    /// Each record's origin is its source (`reviews.csv:7`, `review add`), followed by
    /// `（reason）` when `who.reason` is not empty, so the reason is covered by the hash.
    @discardableResult
    public func appendReviews(_ rows: [ReviewInput], by who: Attribution) throws(StoreError) -> Int {
        try write { db in
            try Self.checkAccounts(db, rows)
            let recordedAt = ChinaTime.iso8601(who.at)
            let reason = who.reason.trimmingCharacters(in: .whitespacesAndNewlines)
            let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM review_record ORDER BY seq DESC LIMIT 1")
            var seq: Int64 = last?["seq"] ?? 0
            var previous: String = last?["hash"] ?? AuditHash.genesis
            var recorded = 0
            for input in rows where try !Self.isRecorded(db, input) {
                seq += 1
                let record = ReviewRecord(
                    seq: seq, accountID: input.accountID, postURL: input.postURL, postTitle: input.postTitle,
                    stage: input.stage, reviewer: input.reviewer, signedAt: input.signedAtText, opinion: input.opinion,
                    recordedAt: recordedAt, recordedBy: who.operator,
                    origin: input.source.description + (reason.isEmpty ? "" : "（\(reason)）"),
                    previousHash: previous)
                try db.execute(sql: """
                    INSERT INTO review_record (seq, account_id, post_url, post_title, stage, reviewer, signed_at, signed_ts,
                                               opinion, recorded_at, recorded_by, origin, prev_hash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [record.seq, record.accountID, record.postURL, record.postTitle, record.stage.rawValue,
                                     record.reviewer, record.signedAt, Int64(input.signedAt.timeIntervalSince1970),
                                     record.opinion.rawValue, record.recordedAt, record.recordedBy, record.origin,
                                     record.previousHash, record.hash])
                previous = record.hash
                recorded += 1
            }
            return recorded
        }
    }

    /// Refuses rows whose account is not in the register, naming each (up to the CSV limit).
    private static func checkAccounts(_ db: Database, _ rows: [ReviewInput]) throws {
        var known: [String: Bool] = [:]
        var errors: [ReviewImportError] = []
        var truncated = false
        for input in rows {
            let exists = try known[input.accountID] ?? {
                let found = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM account WHERE id = ?)",
                                              arguments: [input.accountID]) ?? false
                known[input.accountID] = found
                return found
            }()
            guard !exists else { continue }
            guard errors.count < ReviewCSV.errorLimit else { truncated = true; break }
            errors.append(ReviewImportError(file: input.source.name, line: input.source.line, column: "account_id",
                                            problem: "台账中没有账号“\(input.accountID)”；先用 govmedia account add 或 account import 登记"))
        }
        if !errors.isEmpty { throw ReviewImportFailure(errors: errors, truncated: truncated) }
    }

    /// Whether the ledger already holds this exact signature. Uses the (account_id,
    /// signed_ts) index, then compares every identifying field.
    private static func isRecorded(_ db: Database, _ input: ReviewInput) throws -> Bool {
        try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM review_record
                WHERE account_id = ? AND signed_ts = ? AND signed_at = ? AND stage = ? AND reviewer = ?
                  AND opinion = ? AND post_title = ? AND IFNULL(post_url, '') = ?)
            """, arguments: [input.accountID, Int64(input.signedAt.timeIntervalSince1970), input.signedAtText,
                             input.stage.rawValue, input.reviewer, input.opinion.rawValue, input.postTitle,
                             input.postURL ?? ""]) ?? false
    }

    // MARK: Reading

    /// Review records in signing order (ties in filing order), of one account or of all.
    public func reviews(accountID: String? = nil) throws(StoreError) -> [ReviewRecord] {
        try read { db in
            if let accountID {
                return try Self.fetchReviews(db, "WHERE account_id = ? ORDER BY signed_ts, seq", [accountID])
            }
            return try Self.fetchReviews(db, "ORDER BY signed_ts, seq", [])
        }
    }

    /// Review records signed from `start` (inclusive) to `end` (exclusive), in signing order.
    public func reviews(signedFrom start: Date, to end: Date) throws(StoreError) -> [ReviewRecord] {
        let from = Int64(start.timeIntervalSince1970.rounded(.up))
        let to = Int64(end.timeIntervalSince1970.rounded(.up))
        return try read { db in
            try Self.fetchReviews(db, "WHERE signed_ts >= ? AND signed_ts < ? ORDER BY signed_ts, seq", [from, to])
        }
    }

    /// Review records naming a post's link exactly, in signing order.
    public func reviews(postURL: String) throws(StoreError) -> [ReviewRecord] {
        try read { db in try Self.fetchReviews(db, "WHERE post_url = ? ORDER BY signed_ts, seq", [postURL]) }
    }

    private static func fetchReviews(_ db: Database, _ clause: String, _ arguments: StatementArguments) throws -> [ReviewRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM review_record \(clause)", arguments: arguments).map { row in
            guard let record = reviewRecord(row) else {
                throw StoreError(path: db.description, problem: "三审记录第 \(row["seq"] as DatabaseValue) 条无法读取（数据库被绕过命令修改？运行 govmedia audit verify）")
            }
            return record
        }
    }
}
