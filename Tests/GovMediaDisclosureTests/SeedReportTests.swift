import Foundation
import Testing
@testable import GovMediaDisclosure

/// The seed report (净月 2021, flattened layout) reads with its published figures.
@Suite struct SeedReportTests {
    let report: DisclosureReport

    init() throws {
        report = try DisclosureReader.read(text: try fixture("jingyue-2021.flattened.txt"))
    }

    @Test func readsTheFlattenedLayout() {
        #expect(report.layout == .flattened)
        #expect(report.year == 2021)
        #expect(report.notices.isEmpty)
    }

    @Test func readsRequestTotals() {
        #expect(report.requestValue(.new, .total) == 477)
        #expect(report.requestValue(.new, .naturalPerson) == 473)
        #expect(report.requestValue(.new, .business) == 4)
        #expect(report.requestValue(.total, .total) == 471)
        #expect(report.requestValue(.carriedForward, .total) == 6)
        #expect(report.requestValue(.disclosed, .total) == 446)
        #expect(report.requestValue(.notProcessed2, .naturalPerson) == 4)
    }

    @Test func readsEverySubItemWithCodeAndPrintedLabel() {
        let codes = report.requests.rows.map(\.code)
        #expect(codes.count == 25)
        #expect(codes.contains("withheld.8"))
        #expect(codes.contains("unavailable.3"))
        #expect(codes.contains("not_processed.5"))
        #expect(codes.contains("other.3"))
        #expect(report.requests.row("other.3")?.label == "3.其他")
        #expect(report.requests.row("withheld.3")?.label == "3.危及“三安全一稳定”")
        #expect(report.requests.row("disclosed")?.label == "(一)予以公开")
        #expect(report.requests.columns.map(\.label) == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"])
    }

    @Test func readsSectionTwo() {
        #expect(report.proactiveValue(.licensing, .decisions) == 2737)
        #expect(report.proactiveValue(.normativeDocuments, .issued) == 3)
        #expect(report.proactiveValue(.normativeDocuments, .inForce) == 14)
        #expect(report.proactiveValue(.penalty, .decisions) == 198)
        #expect(report.proactiveValue(.coercion, .decisions) == 17)
    }

    @Test func keepsFeesExactly() throws {
        let fees = try #require(report.proactiveValue(.fees, .amount))
        #expect(fees == Decimal(string: "451.726"))
        #expect("\(fees)" == "451.726")
        #expect(report.table(.fees)?.cell(row: "fees", column: "amount")?.text == "451.726")
    }

    @Test func readsAppealsAsThreeGroupsOfFive() {
        #expect(report.appealValue(.reconsideration, .total) == 22)
        #expect(report.appealValue(.litigationDirect, .pending) == 7)
        #expect(report.appealValue(.litigationAfterReconsideration, .total) == 1)
    }

    @Test func readsNarrativeFiguresWithTheirSentences() throws {
        let received = try #require(report.narrativeFigure(.requestsReceived))
        #expect(received.value == 477)
        #expect(received.sentence.contains("受理依申请公开477件"))
        #expect(received.line == 5)
        #expect(report.narrativeFigure(.requestsAnswered)?.value == 471)
        #expect(report.narrativeFigure(.answerRate)?.value == Decimal(string: "98.7"))
        #expect(report.narrativeFigure(.answerRate)?.decimals == 1)
        #expect(report.narrativeFigure(.carriedForward)?.value == 6)
        #expect(report.narrativeFigure(.newMediaAccounts)?.value == 39)
        #expect(report.narrativeFigure(.newMediaPassRate)?.value == 100)
    }

    @Test func capturesSectionFive() throws {
        let five = try #require(report.sectionFive)
        #expect(five.hasPrefix("2021年,净月高新区"))
        #expect(!five.contains("六、其他需要报告的事项"))
    }

    @Test func passesEveryArithmeticCheck() {
        #expect(DisclosureChecker.check(report).isEmpty)
    }

    @Test func matchesAMonitorThatAgrees() {
        #expect(DisclosureChecker.check(report, monitor: MonitorFigures(accounts: 39, passRate: 100)).isEmpty)
    }

    @Test func showsTablesBackAsRead() {
        #expect(report.tables.map(\.id) == [.rules, .licensing, .enforcement, .fees, .requests, .appeals])
        let first = report.tables[0]
        #expect(first.title == "第二十条第（一）项")
        #expect(first.rows.map(\.label) == ["规章", "行政规范性文件"])
        #expect(first.rows[1].cells.map(\.text) == ["3", "0", "14"])
    }

    @Test func roundTripsThroughJSONExactly() throws {
        let data = try JSONEncoder().encode(report)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains("\"451.726\""))
        let decoded = try JSONDecoder().decode(DisclosureReport.self, from: data)
        #expect(decoded == report)
        #expect(decoded.proactiveValue(.fees, .amount) == Decimal(string: "451.726"))
    }
}
