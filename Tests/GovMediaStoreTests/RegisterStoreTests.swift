import Foundation
import GovMediaCore
import GovMediaStore
import GRDB
import Testing

/// A fresh database in its own temporary directory.
func freshStore() throws -> Store {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("govmedia-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return try Store(path: dir.appendingPathComponent("govmedia.sqlite").path)
}

func sampleAccount(_ id: String = "jy-a-wx", owner: String = "财政局") -> Account {
    Account(id: id, name: "样例账号", platform: .wechat, owner: owner, ownerKind: .department,
            url: WebAddress(checking: "https://rss.example.gov.cn/\(id).xml")!, registeredOn: "2021-03-04")
}

let officer = Attribution(operator: "officer1", reason: "测试")

@Suite("register lifecycle in the store")
struct RegisterStoreTests {
    @Test("add, change, close and deregister record four events in order")
    func lifecycle() throws {
        let store = try freshStore()
        try store.add(sampleAccount(), by: Attribution(operator: "a", reason: "开设原因"))
        _ = try store.change("jy-a-wx", set: ["name": "新名称"], by: Attribution(operator: "b", reason: "改名原因"))
        try store.close("jy-a-wx", by: Attribution(operator: "c", reason: "关停原因"))
        try store.deregister("jy-a-wx", on: CivilDate(iso: "2026-11-20"), by: Attribution(operator: "d", reason: "注销原因"))
        let events = try store.events(accountID: "jy-a-wx")
        #expect(events.map(\.kind) == [.registered, .changed, .closing, .deregistered])
        #expect(events.map(\.reason) == ["开设原因", "改名原因", "关停原因", "注销原因"])
        #expect(events.map(\.operator) == ["a", "b", "c", "d"])
        #expect(events[1].changes == [LifecycleEvent.Change(field: "name", before: "样例账号", after: "新名称")])
        let account = try #require(try store.account("jy-a-wx"))
        #expect(account.status == .deregistered)
        #expect(account.deregisteredOn == "2026-11-20")
    }

    @Test("a deregistered account cannot be changed, and reopening is a new registration")
    func deregisteredIsFinal() throws {
        let store = try freshStore()
        try store.add(sampleAccount(), by: officer)
        try store.deregister("jy-a-wx", on: nil, by: officer)
        #expect(throws: StoreError.self) { try store.change("jy-a-wx", set: ["name": "x"], by: officer) }
        #expect(throws: StoreError.self) { try store.close("jy-a-wx", by: officer) }
        try store.add(sampleAccount(), by: Attribution(operator: "o", reason: "重新开设"))
        let events = try store.events(accountID: "jy-a-wx")
        #expect(events.map(\.kind) == [.registered, .deregistered, .registered])
        #expect(try store.account("jy-a-wx")?.status == .active)
    }

    @Test("importing the same accounts twice records nothing the second time")
    func importIdempotent() throws {
        let store = try freshStore()
        let accounts = [sampleAccount("a-1"), sampleAccount("a-2")]
        let first = try store.importAccounts(accounts, by: officer)
        let second = try store.importAccounts(accounts, by: officer)
        #expect(first.registered == ["a-1", "a-2"])
        #expect(second == ImportSummary(registered: [], changed: [], unchanged: 2))
        #expect(try store.events(accountID: "a-1").count == 1)
    }

    @Test("an import with a changed field records one change event with before and after")
    func importChange() throws {
        let store = try freshStore()
        _ = try store.importAccounts([sampleAccount("a-1")], by: officer)
        var changed = sampleAccount("a-1")
        changed.url = "https://new.example.gov.cn/feed"
        changed.status = .closing
        let summary = try store.importAccounts([changed], by: officer)
        #expect(summary.changed == ["a-1"])
        let last = try #require(try store.events(accountID: "a-1").last)
        #expect(last.kind == .closing)
        #expect(last.changes.map(\.field) == ["url", "status"])
    }

    @Test("a failing import writes nothing")
    func importAtomic() throws {
        let store = try freshStore()
        try store.add(sampleAccount("gone"), by: officer)
        try store.deregister("gone", on: nil, by: officer)
        var stillDeregistered = sampleAccount("gone")
        stillDeregistered.status = .deregistered
        stillDeregistered.deregisteredOn = "2020-01-01"
        stillDeregistered.name = "改了名字"
        #expect(throws: StoreError.self) {
            try store.importAccounts([sampleAccount("new-1"), stillDeregistered], by: officer)
        }
        #expect(try store.account("new-1") == nil)
        #expect(try store.accounts().count == 1)
    }

    @Test("UPDATE and DELETE on the events table are refused by the database")
    func eventsAppendOnly() throws {
        let store = try freshStore()
        try store.add(sampleAccount(), by: officer)
        #expect(throws: DatabaseError.self) {
            try store.pool.write { try $0.execute(sql: "UPDATE lifecycle_event SET reason = 'x'") }
        }
        #expect(throws: DatabaseError.self) {
            try store.pool.write { try $0.execute(sql: "DELETE FROM lifecycle_event") }
        }
        #expect(try store.verifyAudit().isEmpty)
    }

    @Test("an event altered with the triggers dropped is named by the audit")
    func tamperDetected() throws {
        let store = try freshStore()
        for id in ["a-1", "a-2", "a-3"] { try store.add(sampleAccount(id), by: officer) }
        try store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER lifecycle_event_no_update")
            try db.execute(sql: "UPDATE lifecycle_event SET reason = '篡改' WHERE seq = 2")
        }
        let problems = try store.verifyAudit()
        #expect(problems.count == 1)
        #expect(problems.first?.seq == 2)
        #expect(problems.first?.recordID.contains("a-2") == true)
    }

    @Test("a deleted event breaks the chain at the next record")
    func deletionDetected() throws {
        let store = try freshStore()
        for id in ["a-1", "a-2", "a-3"] { try store.add(sampleAccount(id), by: officer) }
        try store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER lifecycle_event_no_delete")
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "DELETE FROM lifecycle_event WHERE seq = 2")
        }
        let problems = try store.verifyAudit()
        #expect(problems.first?.seq == 3)
        #expect(problems.contains { $0.ledger == "account" && $0.recordID.contains("a-2") })
    }

    @Test("a register row edited behind the CLI's back is caught by replaying events")
    func registerEditDetected() throws {
        let store = try freshStore()
        try store.add(sampleAccount(), by: officer)
        try store.pool.write { try $0.execute(sql: "UPDATE account SET url = 'https://evil.example/'") }
        let problems = try store.verifyAudit()
        #expect(problems.count == 1)
        #expect(problems[0].problem.contains("url"))
    }

    @Test("a database from a newer govmedia is refused with a clear message")
    func newerDatabase() throws {
        let store = try freshStore()
        try store.pool.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')")
        }
        #expect {
            _ = try Store(path: store.path)
        } throws: { error in
            "\(error)".contains("更新版本")
        }
    }

    @Test("a missing directory is named")
    func missingDirectory() {
        #expect {
            _ = try Store(path: "/nonexistent-govmedia-dir/x/govmedia.sqlite")
        } throws: { error in
            "\(error)".contains("目录不存在") && "\(error)".contains("/nonexistent-govmedia-dir/x")
        }
    }
}

@Suite("register changes and fetching")
struct RegisterFetchStateTests {
    @Test("changing an account forgets its ETag and Last-Modified, so the new URL or XPaths are read afresh")
    func validatorsCleared() throws {
        let store = try freshStore()
        try store.add(sampleAccount(), by: officer)
        let scan = try store.beginScan(trigger: "test")
        var e = FetchEvidence(accountID: "jy-a-wx", fetchedAt: Date(), url: "https://rss.example.gov.cn/jy-a-wx.xml")
        e.etag = "\"v1\""
        e.lastModified = "Tue, 24 Nov 2026 00:00:00 GMT"
        e.body = Array("<rss/>".utf8)
        e.posts = []
        _ = try store.record([e], scanID: scan.id)
        #expect(try store.fetchStates()["jy-a-wx"]?.etag == "\"v1\"")
        _ = try store.change("jy-a-wx", set: ["url": "https://new.example.gov.cn/feed.xml"], by: officer)
        #expect(try store.fetchStates()["jy-a-wx"]?.etag == nil)
        #expect(try store.fetchStates()["jy-a-wx"]?.lastModified == nil)
    }

    @Test("an import cannot reopen a deregistered account")
    func importDoesNotReopen() throws {
        let store = try freshStore()
        try store.add(sampleAccount(), by: officer)
        try store.deregister("jy-a-wx", on: nil, by: officer)
        #expect {
            _ = try store.importAccounts([sampleAccount()], by: officer)
        } throws: { error in
            "\(error)".contains("不能通过导入变更或重新开设")
        }
        #expect(try store.account("jy-a-wx")?.status == .deregistered)
    }
}
