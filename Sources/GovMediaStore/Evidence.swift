import CZlib
import Foundation
import GovMediaCore
import GRDB

/// Compresses evidence bodies with zlib: pages are highly repetitive HTML and XML, so
/// even the fastest level keeps them small, and speed matters more at scan time.
enum BodyCompression {
    static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var size = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(size))
        let rc = out.withUnsafeMutableBufferPointer { o in
            bytes.withUnsafeBufferPointer { i in compress2(o.baseAddress, &size, i.baseAddress, uLong(i.count), 1) }
        }
        precondition(rc == Z_OK, "compressBound guarantees room")
        out.removeSubrange(Int(size)...)
        return out
    }

    /// Inflates a stored body whose original size is known.
    static func decompress(_ bytes: [UInt8], size: Int) -> [UInt8]? {
        var outSize = uLong(size)
        var out = [UInt8](repeating: 0, count: max(size, 1))
        let rc = out.withUnsafeMutableBufferPointer { o in
            bytes.withUnsafeBufferPointer { i in uncompress(o.baseAddress, &outSize, i.baseAddress, uLong(i.count)) }
        }
        guard rc == Z_OK else { return nil }
        return Array(out.prefix(Int(outSize)))
    }
}

/// A stored fetch (a row of `fetch`), as `evidence show` and findings describe it. Read
/// strictly: a failure class this release does not know, or header or problem lists that
/// are not the JSON it writes, is an error naming the fetch, never a default.
public struct FetchRecord: Sendable, Equatable, FetchableRecord {
    public var id: Int64
    public var scanID: Int64
    public var accountID: String
    public var fetchedAt: Date
    public var url: String
    public var finalURL: String?
    public var httpStatus: Int?
    public var headers: [[String]]
    public var bodySHA256: String?
    public var bodySize: Int?
    public var notModified: Bool
    public var failure: FetchFailureKind?
    public var failureMessage: String?
    public var attempts: Int
    public var durationMS: Int
    public var documentKind: String?
    public var charset: String?
    public var items: Int?
    /// What the readers met and did, as the sentences officers were shown at the time.
    public var problems: [String]
    /// The feed bridge the fetch went through, when it did.
    public var bridge: String?

    public init(row: Row) throws {
        id = row["id"]
        let at = "抓取 #\(id)"
        scanID = row["scan_id"]
        accountID = row["account_id"]
        fetchedAt = try StoredValue.instant(row["fetched_at"], table: "fetch", row: at, column: "fetched_at")
        url = row["url"]
        finalURL = row["final_url"]
        httpStatus = row["http_status"]
        headers = try StoredValue.json(row["headers"], as: [[String]].self, table: "fetch", row: at, column: "headers")
        bodySHA256 = row["body_sha256"]
        bodySize = row["body_size"]
        notModified = row["not_modified"]
        failure = try Self.failure(row["failure"], fetchID: id)
        failureMessage = row["failure_message"]
        attempts = row["attempts"]
        durationMS = row["duration_ms"]
        documentKind = row["document_kind"]
        charset = row["charset"]
        items = row["items"]
        problems = try StoredValue.json(row["problems"], as: [String].self, table: "fetch", row: at, column: "problems")
        bridge = row["bridge"]
    }

    /// A stored failure class read strictly: the one reading of `fetch.failure`.
    static func failure(_ text: String?, fetchID: Int64) throws -> FetchFailureKind? {
        try text.map { try StoredValue.decode($0, as: FetchFailureKind.self, table: "fetch", row: "抓取 #\(fetchID)", column: "failure") }
    }
}

extension Store {
    /// A stored body by its sha256 (a unique prefix of at least 8 hex digits is enough).
    public func evidenceBody(_ sha: String) throws(StoreError) -> (sha256: String, body: [UInt8])? {
        let prefix = sha.lowercased()
        guard prefix.count >= 8, prefix.allSatisfy(\.isHexDigit) else {
            throw StoreError(path: path, problem: "证据编号应为至少 8 位十六进制 sha256：\(sha)")
        }
        return try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM evidence_body WHERE sha256 >= ? AND sha256 < ? LIMIT 2",
                                        arguments: [prefix, prefix + "g"])
            guard rows.count == 1 else {
                if rows.count > 1 { throw StoreError(path: self.path, problem: "证据编号前缀 \(sha) 不唯一，请给出更长的 sha256") }
                return nil
            }
            let data: Data = rows[0]["compressed"]
            guard let body = BodyCompression.decompress(Array(data), size: rows[0]["size"]) else {
                throw StoreError(path: self.path, problem: "证据 \(sha) 已损坏，无法解压")
            }
            return (rows[0]["sha256"], body)
        }
    }

    /// The fetches that produced a body, newest first.
    public func fetches(bodySHA256 sha: String) throws(StoreError) -> [FetchRecord] {
        try read { db in
            try FetchRecord.fetchAll(db, sql: "SELECT * FROM fetch WHERE body_sha256 = ? ORDER BY id DESC LIMIT 20", arguments: [sha])
        }
    }

    /// An account's latest fetch that read a body (not failed, not 304) at or before `at`:
    /// the body its posts as judged were read from.
    public func latestRead(accountID: String, atOrBefore at: Date) throws(StoreError) -> FetchRecord? {
        try read { db in
            try FetchRecord.fetchOne(db, sql: """
                SELECT * FROM fetch WHERE account_id = ? AND failure IS NULL AND not_modified = 0 AND fetched_at <= ?
                ORDER BY fetched_at DESC, id DESC LIMIT 1
                """, arguments: [accountID, ChinaTime.iso8601(at)])
        }
    }

    /// One fetch by id.
    public func fetch(id: Int64) throws(StoreError) -> FetchRecord? {
        try read { db in try FetchRecord.fetchOne(db, sql: "SELECT * FROM fetch WHERE id = ?", arguments: [id]) }
    }

    /// Deletes stored bodies that no fetch newer than `cutoff` points at; the fetch rows
    /// (time, URL, status, hash) stay, so the record of what was seen is kept.
    @discardableResult
    public func pruneEvidence(olderThan cutoff: Date) throws(StoreError) -> Int {
        try write { db in
            try db.execute(sql: """
                DELETE FROM evidence_body WHERE sha256 NOT IN (
                    SELECT body_sha256 FROM fetch WHERE body_sha256 IS NOT NULL AND fetched_at >= ?
                    -- Each account's last page stays (a feed answering 304 for months still rests on it),
                    UNION SELECT body_sha256 FROM fetch WHERE id IN (
                        SELECT MAX(id) FROM fetch WHERE body_sha256 IS NOT NULL GROUP BY account_id)
                    -- and so does every page the latest evaluation's findings point at: the latest
                    -- check (what status shows) and the latest run (a look-back), both.
                    UNION SELECT evidence_sha256 FROM finding
                        WHERE run_id IN ((SELECT MAX(id) FROM evaluation_run),
                                         (SELECT id FROM evaluation_run ORDER BY check_at DESC, id DESC LIMIT 1))
                          AND evidence_sha256 IS NOT NULL)
                """, arguments: [ChinaTime.iso8601(cutoff)])
            return db.changesCount
        }
    }
}
