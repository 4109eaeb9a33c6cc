import Foundation
import GovMediaCore
import GovMediaDisclosure
import GovMediaStore
import GRDB
import Testing

/// A report text from the disclosure reader's fixtures (the seed and its edited copies).
private func reportText(_ name: String) throws -> String {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("GovMediaDisclosureTests/Fixtures/\(name)")
    return try String(contentsOf: url, encoding: .utf8)
}

/// Reads and imports a fixture as 净月高新区's report for `year`.
@discardableResult
private func importFixture(_ store: Store, _ name: String, year: Int = 2021, replace: Bool = false) throws -> Int64 {
    let text = try reportText(name)
    let report = try DisclosureReader.read(text: text)
    return try store.importDisclosure(report, text: text, org: "净月高新区", year: year, sourceFile: name, replace: replace,
                                      by: Attribution(operator: "officer1", reason: "导入 \(name)"))
}

private let seed = "jingyue-2021.flattened.txt"

@Suite("annual disclosure reports in the store")
struct DisclosureStoreTests {
    @Test("an imported report reads back whole, with its text, and its figures are rows SQL can query")
    func importStoresReportCellsAndFigures() throws {
        let store = try freshStore()
        let id = try importFixture(store, seed)
        let stored = try #require(try store.disclosure(org: "净月高新区", year: 2021))
        #expect(stored.id == id)
        #expect(stored.report == (try DisclosureReader.read(text: try reportText(seed))))
        #expect(stored.supersededBy == nil)
        #expect(stored.importedBy == "officer1")
        #expect(stored.sourceSHA256 == AuditHash.sha256(Data(try reportText(seed).utf8)))
        #expect(try store.disclosureText(id: id) == (try reportText(seed)))

        let cell = { (table: String, row: String, column: String) throws -> String? in
            try store.read { db in
                try String.fetchOne(db, sql: """
                    SELECT value FROM disclosure_cell WHERE report_id = ? AND table_code = ? AND row_code = ? AND column_code = ?
                    """, arguments: [id, table, row, column])
            }
        }
        #expect(try cell("requests", "new", "total") == "477")
        #expect(try cell("requests", "total", "total") == "471")
        #expect(try cell("requests", "carried_forward", "total") == "6")
        #expect(try cell("proactive.licensing", "licensing", "decisions") == "2737")
        // Stored as the exact decimal text, never as a binary REAL.
        #expect(try cell("proactive.fees", "fees", "amount") == "451.726")
        let figures = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, value FROM disclosure_figure WHERE report_id = ? ORDER BY position", arguments: [id])
                .map { "\($0["kind"] as String)=\($0["value"] as String)" }
        }
        #expect(figures.contains("new_media_accounts=39"))
        #expect(figures.contains("new_media_pass_rate=100"))
        #expect(figures.contains("requests_received=477"))
    }

    @Test("importing an org and year that exists is refused without replace, and nothing changes")
    func reimportWithoutReplaceIsRefused() throws {
        let store = try freshStore()
        let first = try importFixture(store, seed)
        do {
            try importFixture(store, "jingyue-2021-appeal-total.flattened.txt")
            Issue.record("a second import without replace must be refused")
        } catch let error as StoreError {
            #expect(error.underlying is DisclosureStoreError)
            #expect(error.description.contains("--replace"))
        }
        let versions = try store.disclosureVersions(org: "净月高新区", year: 2021)
        #expect(versions.map(\.id) == [first])
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT report_id) FROM disclosure_cell") } == 1)
    }

    @Test("replace keeps the earlier version, marked superseded by the new one, with its cells")
    func replaceKeepsEarlierVersion() throws {
        let store = try freshStore()
        let first = try importFixture(store, seed)
        let second = try importFixture(store, "jingyue-2021-appeal-total.flattened.txt", replace: true)
        let versions = try store.disclosureVersions(org: "净月高新区", year: 2021)
        #expect(versions.map(\.id) == [first, second])
        #expect(versions[0].supersededBy == second)
        #expect(versions[1].supersededBy == nil)
        #expect(try store.disclosure(org: "净月高新区", year: 2021)?.id == second)
        #expect(try store.disclosures().map(\.id) == [second])
        let appealTotal = { (id: Int64) throws -> String? in
            try store.read { db in
                try String.fetchOne(db, sql: """
                    SELECT value FROM disclosure_cell WHERE report_id = ? AND table_code = 'appeals'
                    AND row_code = 'reconsideration' AND column_code = 'total'
                    """, arguments: [id])
            }
        }
        #expect(try appealTotal(first) == "22")
        #expect(try appealTotal(second) == "23")
        #expect(throws: StoreError.self) {
            try store.write { db in try db.execute(sql: "DELETE FROM disclosure_report WHERE id = ?", arguments: [first]) }
        }
        #expect(throws: StoreError.self) {
            try store.write { db in try db.execute(sql: "UPDATE disclosure_report SET superseded_by = NULL WHERE id = ?", arguments: [first]) }
        }
    }

    @Test("an import that fails part-way stores nothing and leaves the current version current")
    func failedImportStoresNothing() throws {
        let store = try freshStore()
        let first = try importFixture(store, seed)
        // Make the last step of the transaction fail, as a full disk would.
        try store.write { db in
            try db.execute(sql: "CREATE TRIGGER fail_figures BEFORE INSERT ON disclosure_figure BEGIN SELECT RAISE(ABORT, 'simulated failure'); END")
        }
        #expect(throws: StoreError.self) { try importFixture(store, "jingyue-2021-appeal-total.flattened.txt", replace: true) }
        #expect(throws: StoreError.self) { try importFixture(store, seed, year: 2022) }
        let versions = try store.disclosureVersions(org: "净月高新区", year: 2021)
        #expect(versions.map(\.id) == [first])
        #expect(versions[0].supersededBy == nil)
        #expect(try store.disclosures().count == 1)
        let orphans = try store.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM disclosure_cell WHERE report_id <> ?", arguments: [first])
        }
        #expect(orphans == 0)
    }

    @Test("an empty org or an impossible year is refused")
    func badOrgOrYearIsRefused() throws {
        let store = try freshStore()
        let text = try reportText(seed)
        let report = try DisclosureReader.read(text: text)
        #expect(throws: StoreError.self) {
            try store.importDisclosure(report, text: text, org: "  ", year: 2021, sourceFile: "x", replace: false, by: officer)
        }
        #expect(throws: StoreError.self) {
            try store.importDisclosure(report, text: text, org: "净月高新区", year: 21, sourceFile: "x", replace: false, by: officer)
        }
        #expect(try store.disclosures().isEmpty)
    }

    @Test("monitor figures count accounts alive at the year's end and take the pass rate from that year's last run")
    func monitorFiguresForAYear() throws {
        let store = try freshStore()
        let accounts = [
            Account(id: "a-2020", name: "甲", platform: .wechat, owner: "财政局", ownerKind: .department,
                    url: "https://rss.example.gov.cn/a.xml", registeredOn: "2020-05-01"),
            Account(id: "b-2021", name: "乙", platform: .weibo, owner: "财政局", ownerKind: .department,
                    url: "https://rss.example.gov.cn/b.xml", registeredOn: "2021-12-31"),
            Account(id: "c-2022", name: "丙", platform: .douyin, owner: "教育局", ownerKind: .department,
                    url: "https://rss.example.gov.cn/c.xml", registeredOn: "2022-01-01"),
            Account(id: "d-gone", name: "丁", platform: .wechat, owner: "教育局", ownerKind: .department,
                    url: "https://rss.example.gov.cn/d.xml", registeredOn: "2019-01-01", status: .deregistered,
                    deregisteredOn: "2021-06-30"),
            Account(id: "e-last-day", name: "戊", platform: .toutiao, owner: "教育局", ownerKind: .department,
                    url: "https://rss.example.gov.cn/e.xml", registeredOn: "2019-01-01", status: .deregistered,
                    deregisteredOn: "2021-12-31"),
        ]
        _ = try store.importAccounts(accounts, by: officer)

        #expect(try store.monitorFigures(year: 2020) == MonitorFigures(accounts: 3, passRate: nil))
        // 2021: a, b (filed on the last day) and e (deregistered on the last day, not before it).
        #expect(try store.monitorFigures(year: 2021).accounts == 3)
        #expect(try store.monitorFigures(year: 2022).accounts == 3)

        func run(_ at: String, pass: Int, fail: Int, unverifiable: Int = 0, notJudged: Int = 0) throws {
            let verdicts = Array(repeating: Verdict.pass, count: pass) + Array(repeating: .fail, count: fail)
                + Array(repeating: .unverifiable, count: unverifiable) + Array(repeating: .notJudged, count: notJudged)
            let results = verdicts.enumerated().map { index, verdict in
                AccountEvaluation(accountID: accounts[index].id, verdict: verdict, score: nil, findings: [], lastPostAt: nil,
                                  daysSinceUpdate: nil, reviewCoverage: nil, postsInWindow: 0, reviewedPosts: 0)
            }
            try store.saveEvaluations(results, at: try #require(TextDate.readExact(at)), rulesVersion: "test", ruleFiles: [], trigger: "test")
        }
        try run("2021-06-01T09:00:00+08:00", pass: 1, fail: 1)
        try run("2021-12-31T23:30:00+08:00", pass: 2, fail: 0, unverifiable: 1, notJudged: 1)
        try run("2022-01-01T00:30:00+08:00", pass: 1, fail: 2)
        // The latest run of 2021 in China time (23:30 on 31 December), judged 3: 2 of 3 pass.
        let rate = try #require(try store.monitorFigures(year: 2021).passRate)
        #expect(abs(NSDecimalNumber(decimal: rate).doubleValue - 200.0 / 3) < 1e-9)
        #expect(try store.latestRun(inYear: 2021)?.passing == 2)
        let next = try #require(try store.monitorFigures(year: 2022).passRate)
        #expect(abs(NSDecimalNumber(decimal: next).doubleValue - 100.0 / 3) < 1e-9)
        #expect(try store.monitorFigures(year: 2020).passRate == nil)
    }
}
