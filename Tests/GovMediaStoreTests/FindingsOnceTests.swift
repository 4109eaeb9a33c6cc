import Foundation
import GovMediaCore
@testable import GovMediaStore
import GRDB
import Testing

/// Findings live in one table, whole; a database that kept them twice migrates to that
/// without losing what only its JSON copy had.
@Suite("findings stored once")
struct FindingsOnceTests {
    private let spans = [DateSpan(kind: .gap, from: CivilDate(year: 2026, month: 10, day: 1)!, to: CivilDate(year: 2026, month: 10, day: 20)!)]

    @Test("a v12 database's findings keep the post's title and address and a pattern's dates after the v13 migration")
    func migratesTheJSONCopyIntoRows() throws {
        let (dir, path) = try temporaryDatabasePath("v12")
        defer { try? FileManager.default.removeItem(at: dir) }
        let stale = Finding(rule: "national.stale", severity: .veto, message: "超过两周未更新", postID: 7, postTitle: "最后一篇",
                            postURL: "https://x.gov.cn/a/7.html", fetchID: 3, evidenceSHA256: String(repeating: "a", count: 64))
        let pattern = Finding(rule: "local.update-pattern", severity: .deduction, points: 5, message: "更新间隔过长", spans: spans)
        try writeEarlierRelease(at: path, upTo: "v12-one-failure-count") { db in
            try insertEarlierAccount(db, "old-1")
            try db.execute(sql: "INSERT INTO rules_snapshot (version, files, stored_at) VALUES ('r1', '{}', '2026-11-01T10:00:00+08:00')")
            try db.execute(sql: """
                INSERT INTO evaluation_run (id, check_at, evaluated_at, rules_version, trigger, accounts, passing, failing, unverifiable)
                VALUES (1, 1793000000, '2026-11-01T10:00:00+08:00', 'r1', 'manual', 1, 0, 1, 0)
                """)
            try db.execute(sql: """
                INSERT INTO evaluation (run_id, account_id, verdict, score, posts_in_window, reviewed_posts, finding_count, main_rule, main_message)
                VALUES (1, 'old-1', 'fail', 95, 1, 0, 2, 'national.stale', '超过两周未更新')
                """)
            // The previous release wrote both copies: the JSON whole, the rows without the three fields.
            try db.execute(sql: "INSERT INTO evaluation_findings (run_id, account_id, findings) VALUES (1, 'old-1', ?)",
                           arguments: [Finding.json([stale, pattern])])
            // A second account whose JSON copy was damaged: its rows stay, its text is kept.
            try insertEarlierAccount(db, "old-2")
            try db.execute(sql: """
                INSERT INTO evaluation (run_id, account_id, verdict, score, posts_in_window, reviewed_posts, finding_count)
                VALUES (1, 'old-2', 'fail', 90, 0, 0, 1)
                """)
            try db.execute(sql: "INSERT INTO evaluation_findings (run_id, account_id, findings) VALUES (1, 'old-2', '[{\"rule\": broken')")
            try db.execute(sql: """
                INSERT INTO finding (run_id, account_id, check_at, rule, severity, points, message)
                VALUES (1, 'old-2', 1793000000, 'national.stale', 'veto', 0, '超过两周未更新')
                """)
            for f in [stale, pattern] {
                try db.execute(sql: """
                    INSERT INTO finding (run_id, account_id, check_at, rule, severity, points, message, post_id, fetch_id, evidence_sha256)
                    VALUES (1, 'old-1', 1793000000, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [f.rule, f.severity.rawValue, f.points, f.message, f.postID, f.fetchID, f.evidenceSHA256])
            }
        }
        let store = try Store(path: path)
        let evaluation = try #require(try store.evaluations(runID: 1).first { $0.accountID == "old-1" })
        #expect(evaluation.findings == [stale, pattern])
        #expect(try store.statusRows(runID: 1).first { $0.id == "old-1" }?.findings == [stale, pattern])
        #expect(try store.scoreHistory(accountID: "old-1").first?.evaluation.findings == [stale, pattern])
        #expect(try store.pool.read { try $0.tableExists("evaluation_findings") } == false)
        #expect(try store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM finding") } == 3)
        #expect(try store.evaluations(runID: 1).first { $0.accountID == "old-2" }?.findings.map(\.rule) == ["national.stale"])
        #expect(try store.pool.read { try String.fetchOne($0, sql: "SELECT findings FROM evaluation_findings_unreadable WHERE account_id = 'old-2'") }
            == "[{\"rule\": broken")
        #expect(try store.pool.read { try $0.indexes(on: "finding").map(\.name) }.contains("finding_run_account_v13") == false)
    }

    @Test("a stored severity this release does not know is an error naming the table, the row and the column")
    func unknownSeverityFailsLoudly() throws {
        let (dir, path) = try temporaryDatabasePath("severity")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store(path: path)
        try store.add(sampleAccount("a-1"), by: officer)
        let result = AccountEvaluation(accountID: "a-1", verdict: .fail, score: 90,
                                       findings: [Finding(rule: "national.stale", severity: .veto, message: "超过两周未更新", spans: spans)],
                                       lastPostAt: nil, daysSinceUpdate: 20, reviewCoverage: nil, postsInWindow: 0, reviewedPosts: 0)
        let runID = try store.saveEvaluations([result], at: Date(timeIntervalSince1970: 1_793_000_000), rulesVersion: "r", ruleFiles: [],
                                              trigger: "test")
        #expect(try store.evaluations(runID: runID).first?.findings == result.findings)
        try store.pool.write { try $0.execute(sql: "UPDATE finding SET severity = 'catastrophic'") }
        let error = #expect(throws: StoreError.self) { try store.evaluations(runID: runID) }
        let text = "\(error.map { String(describing: $0) } ?? "")"
        #expect(text.contains("finding"))
        #expect(text.contains("账号 a-1"))
        #expect(text.contains("severity"))
        #expect(text.contains("catastrophic"))
    }
}

/// An account row edited behind govmedia's back is refused by the register's own rules,
/// as an error naming the table, the row and the column.
@Suite("account rows read strictly")
struct AccountRowTests {
    @Test("a stored platform or address this release cannot read names the row and the column", arguments: [
        ("platform", "myspace", "platform"),
        ("url", "ftp://x.gov.cn/feed", "url"),
        ("registered_on", "2026-02-30", "registered_on"),
    ])
    func editedRowFailsLoudly(column: String, value: String, named: String) throws {
        let store = try freshStore()
        try store.add(sampleAccount("a-1"), by: officer)
        try store.pool.write { try $0.execute(sql: "UPDATE account SET \(column) = ?", arguments: [value]) }
        let error = #expect(throws: StoreError.self) { try store.accounts() }
        let text = error.map { String(describing: $0) } ?? ""
        #expect(text.contains("account"), "\(text)")
        #expect(text.contains("账号 a-1"), "\(text)")
        #expect(text.contains(named), "\(text)")
        #expect(text.contains(value), "\(text)")
    }

    @Test("an address an earlier release stored and this one refuses still loads: the register stays readable")
    func olderAddressStillLoads() throws {
        let store = try freshStore()
        try store.add(sampleAccount("a-1"), by: officer)
        for stored in ["https://u:p@x.gov.cn/feed", "https://x.gov.cn/a b.xml", "https://x.gov.cn:99999/feed"] {
            try store.pool.write { try $0.execute(sql: "UPDATE account SET url = ?", arguments: [stored]) }
            #expect(try store.accounts().first?.url.text == stored)
            // Fetching goes through the strict reader, which names the problem.
            #expect(WebAddress(checking: stored) == nil)
        }
    }
}

/// Rectification items and mail deliveries are read as strictly as verdicts: an unknown
/// state or deadline is an error naming the item, never a default.
@Suite("rectification rows read strictly")
struct RectificationRowTests {
    /// A store with one account and one open item, found by an evaluation at 2026-10-26.
    static func openedItem() throws -> (Store, RectificationItem) {
        let store = try freshStore()
        try store.add(sampleAccount("a-1"), by: officer)
        let at = Date(timeIntervalSince1970: 1_793_000_000)
        let finding = Finding(rule: "national.stale", severity: .veto, message: "超过两周未更新")
        let result = AccountEvaluation(accountID: "a-1", verdict: .fail, score: 90, findings: [finding], lastPostAt: nil,
                                       daysSinceUpdate: 20, reviewCoverage: nil, postsInWindow: 0, reviewedPosts: 0)
        let runID = try store.saveEvaluations([result], at: at, rulesVersion: "r", ruleFiles: [], trigger: "test")
        let problem = RectificationProblem(accountID: "a-1", rule: "national.stale", severity: .veto, deadline: "2026-11-20",
                                           deadlineEstimated: false, evidence: [finding])
        let opened = try store.applyRectification(runID: runID, at: at, problems: [problem], closable: ["a-1"], by: "test").opened
        return (store, try #require(opened.first))
    }

    @Test("an opened item reads back as it was opened, with the account's name from the register")
    func openedItemRoundTrip() throws {
        let (store, item) = try Self.openedItem()
        #expect(try store.rectification(item.id) == item)
        #expect(item.accountName == sampleAccount("a-1").name && item.state == .open && item.deadline == "2026-11-20")
        #expect(try store.rectifications(RectificationFilter(accountID: "a-1")) == [item])
    }

    @Test("a recorded notice reads back as written; an edited writing time, day or reason is an error naming the row, never a notice left out", arguments: [
        ("written_at", "昨天"), ("day", "2026-13-01"), ("reason", "whim"),
    ])
    func noticesReadStrictly(column: String, value: String) throws {
        let (store, item) = try Self.openedItem()
        let written = Date(timeIntervalSince1970: 1_793_010_000)
        let notice = NoticeRecord(itemID: item.id, unit: item.owner, day: "2026-10-26", reason: .opened, recipients: ["a@x.gov.cn", "b@x.gov.cn"],
                                  messageID: "<m@x>", htmlPath: "/tmp/n.html", emlPath: "/tmp/n.eml", writtenAt: written, writtenBy: "test")
        try store.recordNotices([notice])
        let week = (written.addingTimeInterval(-86_400), written.addingTimeInterval(86_400))
        #expect(try store.notices(from: week.0, to: week.1) == [notice])
        #expect(try store.notices(from: week.1, to: week.1.addingTimeInterval(86_400)).isEmpty)
        try store.pool.write { try $0.execute(sql: "PRAGMA ignore_check_constraints = ON; UPDATE rectification_notice SET \(column) = ?", arguments: [value]) }
        let error = #expect(throws: StoreError.self) { try store.notices(from: week.0, to: week.1) }
        let text = error.map { String(describing: $0) } ?? ""
        #expect(text.contains("rectification_notice") && text.contains(column) && text.contains(value), "\(text)")
    }

    @Test("an item whose found time, deadline, severity or evidence cannot be read is an error naming it", arguments: [
        ("found_at", "昨天"), ("deadline", "2026-02-30"), ("severity", "catastrophic"), ("evidence", "[{broken"),
    ])
    func editedItemFailsLoudly(column: String, value: String) throws {
        let (store, item) = try Self.openedItem()
        let id = item.id
        try store.pool.write { try $0.execute(sql: "UPDATE rectification SET \(column) = ?", arguments: [value]) }
        let error = #expect(throws: StoreError.self) { try store.rectification(id) }
        let text = error.map { String(describing: $0) } ?? ""
        #expect(text.contains("rectification") && text.contains("#\(id)") && text.contains(column), "\(text)")
    }
}

/// Fetch rows are read as strictly as verdicts: a failure class this release does not know,
/// or header and problem lists that are not the JSON it writes, is an error naming the fetch
/// (was: the raw text passed on as a failure kind, and broken lists read as empty).
@Suite("fetch rows read strictly")
struct FetchRowTests {
    private func storedFetch() throws -> (Store, Int64) {
        let store = try freshStore()
        try store.add(sampleAccount("a-1"), by: officer)
        let scan = try store.beginScan(trigger: "test")
        var e = FetchEvidence(accountID: "a-1", fetchedAt: Date(timeIntervalSince1970: 1_793_000_000), url: "https://x.gov.cn/feed")
        e.failure = .sourceAuth
        e.failureMessage = "登录或 Cookie 失效（HTTP 403）"
        e.problems = ["内容含 1 个 NUL（0x00）字节"]
        let stored = try store.record([e], scanID: scan.id)
        return (store, stored[0].fetchID)
    }

    @Test("a stored fetch reads back its failure class, problems and bridge as written")
    func roundTrip() throws {
        let (store, id) = try storedFetch()
        let fetch = try #require(try store.fetch(id: id))
        #expect(fetch.failure == .sourceAuth)
        #expect(fetch.problems == ["内容含 1 个 NUL（0x00）字节"])
        #expect(try store.sourceHealth().isEmpty)  // the sample account is not read through a bridge
    }

    @Test("an edited failure class, header list or problem list is an error naming the fetch and the column", arguments: [
        ("failure", "gremlins"), ("headers", "[[\"a\""), ("problems", "{\"not\": \"a list\"}"), ("fetched_at", "上周二"),
    ])
    func editedFetchFailsLoudly(column: String, value: String) throws {
        let (store, id) = try storedFetch()
        try store.pool.write { try $0.execute(sql: "UPDATE fetch SET \(column) = ?", arguments: [value]) }
        let error = #expect(throws: StoreError.self) { try store.fetch(id: id) }
        let text = error.map { String(describing: $0) } ?? ""
        #expect(text.contains("fetch") && text.contains("抓取 #\(id)") && text.contains(column), "\(text)")
    }

    @Test("a scan whose start time was edited into text that is no time is an error naming the scan")
    func editedScanTime() throws {
        let (store, _) = try storedFetch()
        #expect(try store.scans().first?.startedAt != nil)
        try store.pool.write { try $0.execute(sql: "UPDATE scan SET started_at = '2026-11-20 下午'") }
        let error = #expect(throws: StoreError.self) { try store.scans() }
        #expect(error.map { "\($0)".contains("scan") && "\($0)".contains("started_at") } == true, "\(String(describing: error))")
    }

    @Test("an evaluation over a fetch whose failure class is unknown stops naming the fetch, rather than judging on a guess")
    func evaluationRefusesUnknownFailure() throws {
        let (store, id) = try storedFetch()
        try store.pool.write { try $0.execute(sql: "UPDATE fetch SET failure = 'gremlins'") }
        let error = #expect(throws: StoreError.self) {
            _ = try store.snapshots(at: Date(timeIntervalSince1970: 1_793_100_000), windowDays: 14)
        }
        #expect(error.map { "\($0)".contains("抓取 #\(id)") && "\($0)".contains("gremlins") } == true, "\(String(describing: error))")
    }
}
