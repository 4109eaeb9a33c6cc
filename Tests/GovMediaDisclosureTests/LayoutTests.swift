import Foundation
import Testing
@testable import GovMediaDisclosure

/// Real reports in their real layouts: PDF text, web-page text with cells run together, and
/// the seed retyped as a tab-separated web page.
@Suite struct LayoutTests {
    @Test func tabSeparatedPageReadsLikeTheSeed() throws {
        let tabs = try DisclosureReader.read(text: try fixture("jingyue-2021.tabs.txt"))
        let seed = try DisclosureReader.read(text: try fixture("jingyue-2021.flattened.txt"))
        #expect(tabs.layout == .spaced)
        for (left, right) in zip(tabs.tables, seed.tables) {
            #expect(left.rows.map(\.code) == right.rows.map(\.code))
            #expect(left.rows.map { $0.cells.map(\.value) } == right.rows.map { $0.cells.map(\.value) })
        }
        #expect(DisclosureChecker.check(tabs).isEmpty)
    }

    @Test func hongze2023PdfTextPairsRowsWhoseNumbersPrecedeTheirLabels() throws {
        let report = try DisclosureReader.read(text: try fixture("hongze-2023.pdftext.txt"))
        #expect(report.layout == .spaced)
        #expect(report.requestValue(.partlyDisclosed, .total) == 4)
        #expect(report.requestValue(.withheld1, .total) == 1)
        #expect(report.requestValue(.unavailable1, .naturalPerson) == 10)
        #expect(report.requestValue(.unavailable2, .naturalPerson) == 3)
        #expect(report.requests.row("other")?.label == "（六）其他处理")
        #expect(report.proactiveValue(.fees, .amount) == Decimal(string: "7730.28"))
        #expect(report.proactiveValue(.penalty, .decisions) == 4119)
    }

    @Test func hongze2023ZeroPrintedAsAppealTotalsGivesExactlyTwoFindings() throws {
        let report = try DisclosureReader.read(text: try fixture("hongze-2023.pdftext.txt"))
        let found = DisclosureChecker.check(report)
        #expect(found.map(\.check) == [.appealTotal, .appealTotal])
        #expect(found.map(\.rowCode) == ["reconsideration", "litigation_after_reconsideration"])
        #expect(found.map(\.expected) == [11, 5])
        #expect(found.map(\.actual) == [0, 0])
    }

    @Test func hongze2024TextClaimingSeventeenRequestsIsTheOnlyFinding() throws {
        let report = try DisclosureReader.read(text: try fixture("hongze-2024.pdftext.txt"))
        #expect(report.requestValue(.new, .total) == 95)
        let found = DisclosureChecker.check(report)
        #expect(found.count == 1)
        #expect(found.first?.check == .narrativeMismatch)
        #expect(found.first?.expected == 95)
        #expect(found.first?.actual == 17)
    }

    @Test func pingtan2020RunTogetherDigitsSplitByTheRowTotal() throws {
        let report = try DisclosureReader.read(text: try fixture("pingtan-2020.page.txt"))
        #expect(report.layout == .runTogether)
        let disclosed = try #require(report.requests.row("disclosed"))
        #expect(disclosed.cells.compactMap(\.value) == [6, 0, 0, 0, 0, 1, 7])
        #expect(disclosed.runTogether == "6000017")
        #expect(report.requests.row("new")?.cells.compactMap(\.value) == [20, 0, 0, 0, 0, 1, 21])
        #expect(report.requests.row("total")?.cells.compactMap(\.value) == [20, 0, 0, 0, 0, 1, 21])
        // The 2019 format prints (六)其他处理 as one row.
        #expect(report.requestValue(.other, .total) == 4)
    }

    @Test func pingtan2020OlderFormatColumnsMapOntoCurrentOnes() throws {
        let report = try DisclosureReader.read(text: try fixture("pingtan-2020.page.txt"))
        #expect(report.table(.rules)?.columns.map(\.code) == ["issued", "published", "in_force"])
        #expect(report.proactiveValue(.rules, .inForce) == 7)
        #expect(report.table(.licensing)?.columns.map(\.code) == ["previous_items", "change", "decisions"])
        #expect(report.proactiveValue(.fees, .change) == -15)
    }

    @Test func pingtan2020OutcomesSummingTo26NotTheTwentyPrintedAreOutcomeSumFindings() throws {
        let report = try DisclosureReader.read(text: try fixture("pingtan-2020.page.txt"))
        let found = DisclosureChecker.check(report)
        // Rows and the carry-over identity hold; only the outcome columns that include 自然人 fail.
        #expect(found.map(\.check) == [.outcomeSum, .outcomeSum])
        #expect(found.map(\.columnCode) == ["natural_person", "total"])
        #expect(found.map(\.expected) == [26, 27])
        #expect(found.map(\.actual) == [20, 21])
    }

    @Test func runTogetherRowWithTwoPossibleSplitsIsANoticeNamingTheRow() throws {
        // 220000022 splits two ways by its own total; the columns settle it (ColumnSplitTests),
        // but the row still records what was printed.
        let report = try DisclosureReader.read(text: try fixture("pingtan-2023.page.txt"))
        #expect(report.requests.row("disclosed")?.runTogether == "220000022")
        #expect(report.notices.contains { $0.kind == .splitByColumns && $0.text.contains("（一）予以公开") && $0.text.contains("220000022") && $0.text.contains("多种拆法") })
        // Without a total, 行政规范性文件 77132470 cannot be split.
        #expect(report.notices.contains { $0.kind == .unresolvedRow && $0.text.contains("行政规范性文件") && $0.text.contains("77132470") })
        #expect(report.table(.rules)?.row("normative_documents")?.cells.allSatisfy { $0.status == .unresolved } == true)
    }

    @Test func pingtan2023AddsUp() throws {
        let report = try DisclosureReader.read(text: try fixture("pingtan-2023.page.txt"))
        #expect(report.requestValue(.new, .total) == 81)
        #expect(report.requestValue(.unavailable1, .total) == 31)
        #expect(report.appealValue(.litigationDirect, .total) == 5)
        #expect(report.proactiveValue(.fees, .amount) == Decimal(string: "5949.088667"))
        #expect(DisclosureChecker.check(report).isEmpty)
    }
}
