import Foundation
import GovMediaCore
import GRDB

/// One fetch's outcome, ready to store: what was asked, what came back, what was read.
public struct FetchEvidence: Sendable {
    public var accountID: String
    public var fetchedAt: Date
    public var url: String
    public var finalURL: String?
    public var httpStatus: Int?
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    public var notModified: Bool
    /// The failure class (`dns`, `timeout`, `http-5xx`, `parse`, …), nil on success.
    public var failure: FetchFailureKind?
    public var failureMessage: String?
    public var attempts: Int
    public var durationMS: Int
    public var documentKind: String?
    public var charset: String?
    public var problems: [String]
    /// The posts read, or nil when nothing was parsed (failure or 304).
    public var posts: [ListedPost]?
    public var etag: String?
    public var lastModified: String?
    /// The feed bridge the fetch went through (its name in the config), when it did.
    public var bridge: String?

    public init(accountID: String, fetchedAt: Date, url: String) {
        self.accountID = accountID
        self.fetchedAt = fetchedAt
        self.url = url
        headers = []
        notModified = false
        attempts = 1
        durationMS = 0
        problems = []
    }
}

/// What storing one outcome did.
public struct StoredFetch: Sendable {
    public var fetchID: Int64
    public var newPosts: Int
}

/// A scan's record (a row of `scan`).
public struct ScanRecord: Sendable, Equatable, FetchableRecord {
    public var id: Int64
    public var startedAt: Date
    public var finishedAt: Date?
    public var status: String
    public var trigger: String
    public var accounts: Int
    public var newPosts: Int
    public var failures: Int

    public init(row: Row) throws {
        id = row["id"]
        let at = "扫描 #\(id)"
        startedAt = try StoredValue.instant(row["started_at"], table: "scan", row: at, column: "started_at")
        finishedAt = try (row["finished_at"] as String?).map { try StoredValue.instant($0, table: "scan", row: at, column: "finished_at") }
        status = row["status"]
        trigger = row["trigger"]
        accounts = row["accounts"]
        newPosts = row["new_posts"]
        failures = row["failures"]
    }
}

/// The validators remembered for an account's conditional GET. (Failure streaks are
/// counted from the fetch rows as of the evaluation time, not kept here.)
public struct FetchState: Sendable, Equatable {
    public var etag: String?
    public var lastModified: String?
}

extension Store {
    /// Records a scan as started. Any scan still marked running belongs to a process that
    /// died (the caller holds the scan lock), so it is marked interrupted first.
    public func beginScan(trigger: String, at: Date = Date()) throws(StoreError) -> (id: Int64, interrupted: [Int64]) {
        try write { db in
            let stale = try Int64.fetchAll(db, sql: "SELECT id FROM scan WHERE status = 'running'")
            try db.execute(sql: "UPDATE scan SET status = 'interrupted' WHERE status = 'running'")
            try db.execute(sql: "INSERT INTO scan (started_at, status, pid, trigger) VALUES (?, 'running', ?, ?)",
                           arguments: [ChinaTime.iso8601(at), getpid(), trigger])
            return (db.lastInsertedRowID, stale)
        }
    }

    /// Marks a scan finished with its totals.
    public func finishScan(_ id: Int64, accounts: Int, newPosts: Int, failures: Int, at: Date = Date()) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                UPDATE scan SET status = 'finished', finished_at = ?, accounts = ?, new_posts = ?, failures = ?
                WHERE id = ?
                """, arguments: [ChinaTime.iso8601(at), accounts, newPosts, failures, id])
        }
    }

    /// Marks a scan stopped before its end (a graceful shutdown): what it stored stays, and
    /// it is never counted as finished.
    public func interruptScan(_ id: Int64) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE scan SET status = 'interrupted', finished_at = ? WHERE id = ? AND status = 'running'",
                           arguments: [ChinaTime.iso8601(Date()), id])
        }
    }

    /// Scans, newest first.
    public func scans(limit: Int = 20) throws(StoreError) -> [ScanRecord] {
        try read { db in
            try ScanRecord.fetchAll(db, sql: "SELECT * FROM scan ORDER BY id DESC LIMIT ?", arguments: [limit])
        }
    }

    /// Validators per account.
    public func fetchStates() throws(StoreError) -> [String: FetchState] {
        try read { db in
            var states: [String: FetchState] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT account_id, etag, last_modified FROM fetch_state") {
                states[row["account_id"]] = FetchState(etag: row["etag"], lastModified: row["last_modified"])
            }
            return states
        }
    }

    /// How many items each account's last successful read found: a bridge that suddenly
    /// reads none where it read some is failing, not the account.
    public func lastReadItemCounts() throws(StoreError) -> [String: Int] {
        try read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT f.account_id, f.items FROM fetch f
                JOIN (SELECT account_id, MAX(id) AS id FROM fetch WHERE failure IS NULL AND not_modified = 0 AND items IS NOT NULL
                      GROUP BY account_id) last ON last.id = f.id
                """) {
                counts[row["account_id"]] = row["items"]
            }
            return counts
        }
    }

    /// Stores a batch of outcomes in one transaction: fetch rows, evidence bodies
    /// (compressed, once per hash), validators, and posts not seen before.
    public func record(_ outcomes: [FetchEvidence], scanID: Int64) throws(StoreError) -> [StoredFetch] {
        try record(outcomes.map(PreparedEvidence.init), scanID: scanID)
    }

    /// As ``record(_:scanID:)``, for outcomes whose bodies were hashed and compressed
    /// beforehand (by the scan's parsing tasks, on every core), so the writer only inserts.
    public func record(_ prepared: [PreparedEvidence], scanID: Int64) throws(StoreError) -> [StoredFetch] {
        try write { db in
            try prepared.map { try Self.record(db, $0, scanID) }
        }
    }

    private static func record(_ db: Database, _ p: PreparedEvidence, _ scanID: Int64) throws -> StoredFetch {
        let o = p.evidence, body = p.body
        let at = ChinaTime.iso8601(o.fetchedAt)
        // Cached statements: compiled once per connection, not once per fetch and per post.
        if let sha = body.sha256, let compressed = body.compressed {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO evidence_body (sha256, size, compressed, stored_at) VALUES (?, ?, ?, ?)")
                .execute(arguments: [sha, body.size, Data(compressed), at])
        }
        try db.cachedStatement(sql: """
            INSERT INTO fetch (scan_id, account_id, fetched_at, url, final_url, http_status, headers, body_sha256, body_size,
                               not_modified, failure, failure_message, attempts, duration_ms, document_kind, charset, items, problems, bridge)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [scanID, o.accountID, at, o.url, o.finalURL, o.httpStatus, p.headersJSON, body.sha256,
                                     body.sha256 == nil ? nil : body.size, o.notModified, o.failure?.rawValue, o.failureMessage, o.attempts,
                                     o.durationMS, o.documentKind, o.charset, o.posts?.count, p.problemsJSON, o.bridge])
        let fetchID = db.lastInsertedRowID
        try updateState(db, o, fetchID: fetchID, at: at)
        var newPosts = 0
        let firstSeen = Int64(o.fetchedAt.timeIntervalSince1970)
        let insertPost = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO post (account_id, key, title, url, guid, date_text, published_at, summary, first_seen_at, fetch_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for post in o.posts ?? [] {
            try insertPost.execute(arguments: [o.accountID, post.key, post.cappedTitle, post.link, post.guid, post.dateText,
                                               post.publishedAt.map { Int64($0.timeIntervalSince1970) }, post.cappedSummary, firstSeen, fetchID])
            if db.changesCount > 0 {
                newPosts += 1
            } else if let published = post.publishedAt {
                // A post first stored undated (a wrong date XPath, since fixed) takes the date now read.
                try db.cachedStatement(sql: """
                    UPDATE post SET published_at = ?, date_text = ? WHERE account_id = ? AND key = ? AND published_at IS NULL
                    """).execute(arguments: [Int64(published.timeIntervalSince1970), post.dateText, o.accountID, post.key])
            }
        }
        return StoredFetch(fetchID: fetchID, newPosts: newPosts)
    }

    private static func updateState(_ db: Database, _ o: FetchEvidence, fetchID: Int64, at: String) throws {
        if o.failure == nil {
            // A 304 keeps the validators that earned it; a 200 replaces them.
            try db.cachedStatement(sql: """
                INSERT INTO fetch_state (account_id, etag, last_modified, last_fetch_id, last_success_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(account_id) DO UPDATE SET
                    etag = CASE WHEN ? THEN etag ELSE excluded.etag END,
                    last_modified = CASE WHEN ? THEN last_modified ELSE excluded.last_modified END,
                    last_fetch_id = excluded.last_fetch_id, last_success_at = excluded.last_success_at
                """).execute(arguments: [o.accountID, o.etag, o.lastModified, fetchID, at, o.notModified, o.notModified])
        } else {
            try db.cachedStatement(sql: """
                INSERT INTO fetch_state (account_id, last_fetch_id) VALUES (?, ?)
                ON CONFLICT(account_id) DO UPDATE SET last_fetch_id = excluded.last_fetch_id
                """).execute(arguments: [o.accountID, fetchID])
        }
    }

    /// An account's posts, newest first (undated posts last, by first sight).
    public func posts(accountID: String, limit: Int = 200) throws(StoreError) -> [StoredPost] {
        try read { db in
            try PostRecord.fetchAll(db, sql: """
                SELECT * FROM post WHERE account_id = ?
                ORDER BY published_at IS NULL, published_at DESC, first_seen_at DESC, id DESC LIMIT ?
                """, arguments: [accountID, limit]).map(\.post)
        }
    }

}

/// A row of `post` (times as epoch seconds: posts are selected by time range in bulk), with
/// the sha256 of the body it was read from when the SELECT joins it as `evidence`.
struct PostRecord: FetchableRecord {
    var post: StoredPost
    var evidenceSHA256: String?

    init(row: Row) {
        let published: Int64? = row["published_at"]
        let seen: Int64 = row["first_seen_at"]
        post = StoredPost(
            id: row["id"], accountID: row["account_id"], title: row["title"], url: row["url"], guid: row["guid"],
            dateText: row["date_text"], publishedAt: published.map { Date(timeIntervalSince1970: TimeInterval($0)) },
            summary: row["summary"], firstSeenAt: Date(timeIntervalSince1970: TimeInterval(seen)), fetchID: row["fetch_id"])
        evidenceSHA256 = row["evidence"]   // nil where the SELECT does not join it
    }

    /// The post with its evidence, as the evaluator sees it.
    var evidenced: EvidencedPost { EvidencedPost(post: post, evidenceSHA256: evidenceSHA256) }

    /// The SELECT of posts joined with the body each was read from.
    static let withEvidenceSQL = "SELECT p.*, f.body_sha256 AS evidence FROM post p JOIN fetch f ON f.id = p.fetch_id"
}

/// An outcome made ready to store: its body hashed and compressed and its lists written as
/// JSON, all before the write transaction (and, in a scan, on the parsing tasks), so the
/// database is held only for the inserts.
public struct PreparedEvidence: Sendable {
    public let evidence: FetchEvidence
    let body: PreparedBody
    let headersJSON: String
    let problemsJSON: String

    public init(_ evidence: FetchEvidence) {
        self.evidence = evidence
        body = PreparedBody(evidence)
        headersJSON = String(decoding: (try? JSONEncoder().encode(evidence.headers.map { [$0.name, $0.value] })) ?? Data("[]".utf8), as: UTF8.self)
        problemsJSON = String(decoding: (try? JSONEncoder().encode(evidence.problems)) ?? Data("[]".utf8), as: UTF8.self)
    }
}

struct PreparedBody: Sendable {
    var sha256: String?
    var compressed: [UInt8]?
    var size = 0

    init(_ o: FetchEvidence) {
        guard let body = o.body, !o.notModified else { return }
        sha256 = AuditHash.sha256(body)
        compressed = BodyCompression.compress(body)
        size = body.count
    }
}
