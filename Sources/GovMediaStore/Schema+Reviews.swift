import Foundation
import GovMediaCore
import GRDB

extension Schema {
    /// The 三审 ledger: one row per signature, append-only and hash-chained.
    ///
    /// `signed_at` is the hashed text (ISO 8601, +08:00); `signed_ts` is the same instant in
    /// epoch seconds so range queries are indexed integer comparisons. The audit checks the
    /// two agree, because `signed_ts` is not itself hashed.
    static func reviewLedger(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE review_record (
                seq INTEGER PRIMARY KEY NOT NULL,
                account_id TEXT NOT NULL REFERENCES account(id),
                post_url TEXT,
                post_title TEXT NOT NULL,
                stage TEXT NOT NULL CHECK (stage IN ('初审', '复审', '终审')),
                reviewer TEXT NOT NULL,
                signed_at TEXT NOT NULL,
                signed_ts INTEGER NOT NULL,
                opinion TEXT NOT NULL CHECK (opinion IN ('同意', '退回')),
                recorded_at TEXT NOT NULL,
                recorded_by TEXT NOT NULL,
                origin TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL UNIQUE
            );
            CREATE INDEX review_record_account_signed ON review_record(account_id, signed_ts);
            CREATE INDEX review_record_post_url ON review_record(post_url);
            CREATE INDEX review_record_signed ON review_record(signed_ts);
            """)
        try appendOnly(db, table: "review_record", label: "review records")
    }
}

extension Store {
    /// The review ledger's chain links in order, for `verifyAudit`. A row that cannot be read
    /// back, or whose unhashed `signed_ts` disagrees with its hashed `signed_at`, gets an
    /// empty computed hash so the verifier reports it as altered rather than aborting.
    static func reviewChainLinks(_ db: Database) throws -> [ChainLink] {
        try Row.fetchAll(db, sql: "SELECT * FROM review_record ORDER BY seq").map { row in
            let seq = integer(row, "seq") ?? 0
            let stored = text(row, "hash") ?? ""
            let previous = text(row, "prev_hash") ?? ""
            guard let record = reviewRecord(row) else {
                let label = "账号 \(text(row, "account_id") ?? "?")，《\(text(row, "post_title") ?? "?")》"
                return ChainLink(seq: seq, label: label, previousHash: previous, storedHash: stored, computedHash: "")
            }
            let timestampAgrees = record.signedInstant.map { Int64($0.timeIntervalSince1970) } == integer(row, "signed_ts")
            return ChainLink(seq: seq, label: reviewLabel(record), previousHash: record.previousHash, storedHash: record.hash,
                             computedHash: timestampAgrees ? record.computedHash : "")
        }
    }

    /// How the audit names a review record: account, stage, reviewer and title.
    static func reviewLabel(_ r: ReviewRecord) -> String {
        "账号 \(r.accountID)，\(r.stage.rawValue)，\(r.reviewer)，《\(r.postTitle)》"
    }

    /// A review row as a record, or nil when a stored value is not one the ledger writes
    /// (possible only when someone edited the file behind the CLI's back).
    static func reviewRecord(_ row: Row) -> ReviewRecord? {
        guard let stage = text(row, "stage").flatMap(ReviewStage.init(rawValue:)),
              let opinion = text(row, "opinion").flatMap(ReviewOpinion.init(rawValue:)),
              let seq = integer(row, "seq"), let account = text(row, "account_id"),
              let title = text(row, "post_title"), let reviewer = text(row, "reviewer"),
              let signedAt = text(row, "signed_at"), let recordedAt = text(row, "recorded_at"),
              let recordedBy = text(row, "recorded_by"), let origin = text(row, "origin"),
              let previous = text(row, "prev_hash"), let hash = text(row, "hash"), !hash.isEmpty
        else { return nil }
        return ReviewRecord(seq: seq, accountID: account, postURL: text(row, "post_url"), postTitle: title, stage: stage,
                            reviewer: reviewer, signedAt: signedAt, opinion: opinion, recordedAt: recordedAt,
                            recordedBy: recordedBy, origin: origin, previousHash: previous, hash: hash)
    }

    /// A column as text, nil when NULL or not text. Never traps: GRDB's typed subscript
    /// would stop the process on a tampered value of the wrong type.
    private static func text(_ row: Row, _ column: String) -> String? {
        String.fromDatabaseValue(row[column] as DatabaseValue)
    }

    /// A column as an integer, nil when NULL or not an integer.
    private static func integer(_ row: Row, _ column: String) -> Int64? {
        let value: DatabaseValue = row[column]
        if case .int64(let n) = value.storage { return n }
        return nil
    }
}
