import Foundation
import GovMediaCore
@testable import GovMediaStore
import GRDB
import Testing

@Suite("fetch state across the v12 migration")
struct FetchStateMigrationTests {
    @Test("a v11 database keeps its validators; the failure streak is counted from the fetch rows, as before")
    func keptCountDropped() throws {
        let (dir, path) = try temporaryDatabasePath("v11")
        defer { try? FileManager.default.removeItem(at: dir) }
        // The previous release's scan: one success, then three failures, and its kept count.
        try writeEarlierRelease(at: path, upTo: "v11-owner-notices") { db in
            try insertEarlierAccount(db, "old-1")
            try db.execute(sql: "INSERT INTO scan (id, started_at, trigger, status, pid) VALUES (1, '2026-11-01T10:00:00+08:00', 'manual', 'finished', 1)")
            for (i, failure) in [nil, "timeout", "timeout", "http-5xx"].enumerated() {
                try db.execute(sql: """
                    INSERT INTO fetch (scan_id, account_id, fetched_at, url, failure) VALUES (1, 'old-1', ?, 'https://x.gov.cn/', ?)
                    """, arguments: ["2026-11-0\(i + 1)T10:00:00+08:00", failure])
            }
            try db.execute(sql: """
                INSERT INTO fetch_state (account_id, etag, last_modified, last_fetch_id, consecutive_failures)
                VALUES ('old-1', '"abc"', 'Sun, 01 Nov 2026 02:00:00 GMT', 4, 3)
                """)
        }
        let migrated = try Store(path: path)
        #expect(try migrated.fetchStates()["old-1"] == FetchState(etag: "\"abc\"", lastModified: "Sun, 01 Nov 2026 02:00:00 GMT"))
        let columns = try migrated.pool.read { try $0.columns(in: "fetch_state").map(\.name) }
        #expect(!columns.contains("consecutive_failures"))
        #expect(try migrated.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM fetch WHERE account_id = 'old-1'") } == 4)
    }
}
