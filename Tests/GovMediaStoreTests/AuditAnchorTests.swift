import Foundation
import GovMediaCore
@testable import GovMediaStore
import GRDB
import Testing

/// Heads written down before a tampering.
private func anchoredStore() throws -> (Store, [ChainHead]) {
    let store = try freshStore()
    for id in ["a-1", "a-2", "a-3"] { try store.add(sampleAccount(id), by: officer) }
    try store.setFlag("a-1", flag: "no-interaction", by: Attribution(operator: "o", reason: "留言功能关闭"))
    return (store, try store.chainHeads())
}

@Suite("audit chains: flags, vanished rows and outside anchors")
struct AuditAnchorTests {
    @Test("setting and clearing a flag are events in the register's chain")
    func flagsAreEvents() throws {
        let store = try freshStore()
        try store.add(sampleAccount(), by: officer)
        try store.setFlag("jy-a-wx", flag: "no-interaction", by: Attribution(operator: "o", reason: "留言功能关闭"))
        try store.clearFlag("jy-a-wx", flag: "no-interaction", by: Attribution(operator: "p", reason: "已恢复"))
        let events = try store.events(accountID: "jy-a-wx")
        #expect(events.map(\.kind) == [.registered, .flagged, .unflagged])
        #expect(events[1].changes == [LifecycleEvent.Change(field: "flag:no-interaction", before: nil, after: "留言功能关闭")])
        #expect(events[2].operator == "p" && events[2].reason == "已恢复")
        #expect(try store.verifyAudit().isEmpty)
    }

    @Test("a flag row deleted behind the CLI's back is named")
    func deletedFlag() throws {
        let (store, _) = try anchoredStore()
        try store.pool.write { try $0.execute(sql: "DELETE FROM account_flag") }
        let problems = try store.verifyAudit()
        #expect(problems.count == 1)
        #expect(problems.first?.ledger == "account_flag")
        #expect(problems.first?.description.contains("a-1") == true)
        #expect(problems.first?.description.contains("标记记录被删除") == true)
    }

    @Test("an account row deleted without an event is named")
    func deletedAccountRow() throws {
        let (store, _) = try anchoredStore()
        try store.pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "DELETE FROM account WHERE id = 'a-3'")
        }
        let problems = try store.verifyAudit()
        #expect(problems.map(\.recordID) == ["账号 a-3"])
        #expect(problems.first?.problem.contains("台账中的行已被删除") == true)
    }

    @Test("an event rewritten with every later hash recomputed passes the chain but not the anchor")
    func rewrittenChain() throws {
        let (store, heads) = try anchoredStore()
        try store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER lifecycle_event_no_update")
            var previous = AuditHash.genesis
            for row in try Row.fetchAll(db, sql: "SELECT * FROM lifecycle_event ORDER BY seq") {
                var e = try Store.event(row)
                if e.seq == 2 { e.reason = "改写过的理由" }
                e.previousHash = previous
                e.hash = e.computedHash
                previous = e.hash
                try db.execute(sql: "UPDATE lifecycle_event SET reason = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                               arguments: [e.reason, e.previousHash, e.hash, e.seq])
            }
        }
        #expect(try store.verifyAudit().isEmpty, "the rewrite is consistent inside the database")
        let problems = try store.verify(against: heads, source: "周报")
        #expect(problems.count == 1)
        #expect(problems.first?.seq == 4)
        #expect(problems.first?.problem.contains("改写") == true)
        #expect(try store.verify(anchorHash: heads[0].hash).count == 1)
    }

    @Test("the newest 三审 record deleted is caught by the anchor file")
    func deletedNewestReview() throws {
        let (store, _) = try anchoredStore()
        let day = CivilDate(year: 2026, month: 11, day: 5)!
        let inputs = [ReviewStage.first, .second].enumerated().map { i, stage in
            ReviewInput(accountID: "a-1", postURL: "https://www.example.gov.cn/1.html", postTitle: "标题", stage: stage,
                        reviewer: ["张三", "李四"][i], signedAt: ChinaTime.instant(day, hour: 9, minute: i * 10), opinion: .approve,
                        source: ReviewSource(name: "reviews.csv", line: i + 2))
        }
        try store.appendReviews(inputs, by: officer)
        let file = AnchorFile(database: store.path)
        #expect(try file.append(try store.chainHeads(), at: Date()))
        #expect(try file.append(try store.chainHeads(), at: Date()) == false, "unchanged heads add no line")
        #expect(try store.verify(anchorFile: file).isEmpty)
        try store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER review_record_no_delete")
            try db.execute(sql: "DELETE FROM review_record WHERE seq = 2")
        }
        #expect(try store.verifyAudit().isEmpty, "a missing tail leaves no gap inside the chain")
        let problems = try store.verify(anchorFile: file)
        #expect(problems.count == 1)
        #expect(problems.first?.description.contains("三审记录") == true)
        #expect(problems.first?.description.contains("现在只有 1 条") == true)
    }

    @Test("a malformed anchor file line is refused naming the line")
    func malformedAnchorFile() throws {
        let store = try freshStore()
        let file = AnchorFile(database: store.path)
        try "2026-12-01T10:00:00+08:00 lifecycle_event=3:\(String(repeating: "a", count: 64))\nbroken line\n"
            .write(toFile: file.path, atomically: true, encoding: .utf8)
        #expect { try store.verify(anchorFile: file) } throws: { "\($0)".contains("第 2 行") }
    }

    @Test("a database of the previous release migrates: its chain stays intact and its flags enter the chain")
    func migratesPreviousRelease() throws {
        let (_, path) = try temporaryDatabasePath("v6")
        try writeEarlierRelease(at: path, upTo: "v6-reports") { db in
            let account = try insertEarlierAccount(db, "old-1")
            let event = LifecycleEvent(seq: 1, accountID: "old-1", kind: .registered, at: "2026-01-05T09:00:00+08:00",
                                       operator: "old", reason: "旧版开设", changes: LifecycleEvent.diff(nil, account),
                                       previousHash: AuditHash.genesis)
            try db.execute(sql: """
                INSERT INTO lifecycle_event (seq, account_id, kind, at, operator, reason, changes, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [1, "old-1", "registered", event.at, "old", event.reason, event.changesJSON, event.previousHash, event.hash])
            try db.execute(sql: """
                INSERT INTO account_flag (account_id, flag, reason, set_at, set_by, cleared_at, cleared_by, clear_reason)
                VALUES ('old-1', 'no-interaction', '留言关闭', '2026-02-01T10:00:00+08:00', 'o1', '2026-03-01T10:00:00+08:00', 'o2', '已恢复')
                """)
        }
        let store = try Store(path: path)
        #expect(try store.verifyAudit().isEmpty)
        let events = try store.events(accountID: "old-1")
        #expect(events.map(\.kind) == [.registered, .flagged, .unflagged])
        #expect(events.map(\.at) == ["2026-01-05T09:00:00+08:00", "2026-02-01T10:00:00+08:00", "2026-03-01T10:00:00+08:00"])
        #expect(events[2].operator == "o2" && events[2].reason == "已恢复")
        #expect(throws: DatabaseError.self) { try store.pool.write { try $0.execute(sql: "DELETE FROM lifecycle_event") } }
    }
}

/// A folder of its own and the database path in it, for a database an earlier release wrote.
func temporaryDatabasePath(_ label: String) throws -> (dir: URL, path: String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("govmedia-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return (dir, dir.appendingPathComponent("govmedia.sqlite").path)
}

/// Writes a database as the release that stopped at `migration` left it: its schema, then
/// the rows `fill` inserts with that release's columns.
func writeEarlierRelease(at path: String, upTo migration: String, _ fill: (Database) throws -> Void) throws {
    let queue = try DatabaseQueue(path: path)
    try Schema.migrator.migrate(queue, upTo: migration)
    try queue.write(fill)
}

/// An account row with the columns every release since v1 has (no handle, no request).
@discardableResult
func insertEarlierAccount(_ db: Database, _ id: String) throws -> Account {
    let account = sampleAccount(id)
    try db.execute(sql: """
        INSERT INTO account (id, position, name, platform, owner, owner_kind, url, registered_on, status, source_kind)
        VALUES (?, 1, ?, 'wechat', ?, 'department', ?, ?, 'active', 'feed')
        """, arguments: [id, account.name, account.owner, account.url.text, account.registeredOn.description])
    return account
}
