import Foundation
import GovMediaCore
import GovMediaDisclosure
import GovMediaReport
import GovMediaStore
import GovMediaWorkflows
import Testing

/// A store in a folder of its own, removed by the caller.
func temporaryStore() throws -> (Store, URL) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gm-workflows-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return (try Store(path: dir.appendingPathComponent("govmedia.sqlite").path), dir)
}

/// The district's 2021 report (it claims 39 accounts, 100 % compliant), imported.
func importDistrictReport(_ store: Store) throws {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/disclosure-jingyue-2021", withExtension: "txt"))
    let text = try String(contentsOf: url, encoding: .utf8)
    _ = try store.importDisclosure(try DisclosureReader.read(text: text), text: text, org: "净月高新区", year: 2021,
                                   sourceFile: url.lastPathComponent, replace: false, by: Attribution(operator: "test", reason: "测试"))
}

@Suite("the disclosure check workflow")
struct DisclosureCheckWorkflowTests {
    @Test("a register that knows nothing of the year: no '39 vs 0' in the check, and the weekly report judges the report the same way")
    func emptyRegisterSameVerdictEverywhere() throws {
        let (store, dir) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        try importDistrictReport(store)

        let checked = try #require(try DisclosureCheckWorkflow(store: store).check(org: "净月高新区", year: 2021).first)
        #expect(!checked.findings.contains { $0.check == .monitorMismatch }, "\(checked.findings.map(\.message))")
        #expect(checked.notices.contains(.registerKnowsNothing(year: 2021)))
        #expect(checked.notices.contains(.previousYearMissing(org: "净月高新区", year: 2020)))
        #expect(checked.notices.map(\.description).contains("监测台账中没有 2021 年末登记的账号，也没有该年的评判记录，未与监测台账比对。"))

        // The weekly report of a week in 2022 shows the 2021 report with exactly these findings.
        let week = try #require(ISOWeek("2022-W10"))
        let written = try WeeklyReportWorkflow(store: store, rulesDirectory: nil, directory: dir.path, mail: nil)
            .write(week: week, into: dir.appendingPathComponent("report").path, template: .builtIn(), by: "test")
        let shown = try #require(written.report.disclosures.first)
        #expect(shown.org == "净月高新区" && shown.year == 2021)
        #expect(shown.problems == checked.findings.map(\.message))
        let html = try String(contentsOfFile: written.htmlPath, encoding: .utf8)
        #expect(!html.contains("监测台账登记的政务新媒体为0个"))
    }

    @Test("with accounts registered at the year's end, the report's 39 is held against them in both")
    func registeredAccountsAreCompared() throws {
        let (store, dir) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        try importDistrictReport(store)
        for i in 1...3 {
            try store.add(Account(id: "a\(i)", name: "账号\(i)", platform: .website, owner: "单位\(i)", ownerKind: .department,
                                  url: WebAddress(checking: "https://www.example.gov.cn/\(i)/")!, registeredOn: "2021-03-01"),
                          by: Attribution(operator: "test", reason: "测试"))
        }
        let checked = try #require(try DisclosureCheckWorkflow(store: store).check().first)
        let mismatch = try #require(checked.findings.first { $0.check == .monitorMismatch })
        #expect(mismatch.expected == 3 && mismatch.actual == 39)
        #expect(checked.notices.contains(.registerAccounts(year: 2021, count: 3)))
        #expect(checked.notices.contains(.noRunForPassRate(year: 2021)))
        // Compared or not is the caller's choice (a department's own report): then no mismatch.
        let unchecked = try #require(try DisclosureCheckWorkflow(store: store).check(compareWithMonitor: false).first)
        #expect(!unchecked.findings.contains { $0.check == .monitorMismatch })

        let written = try WeeklyReportWorkflow(store: store, rulesDirectory: nil, directory: dir.path, mail: nil)
            .write(week: try #require(ISOWeek("2022-W10")), into: dir.appendingPathComponent("report").path, template: .builtIn(), by: "test")
        #expect(written.report.disclosures.first?.problems.contains(mismatch.message) == true)
    }
}
