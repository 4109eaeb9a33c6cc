import Foundation
import Testing
@testable import GovMediaDisclosure

/// The text's figures against the tables: a received total that includes last year's
/// carry-over, and the reconsideration and litigation counts against table 四.
@Suite struct NarrativeCheckTests {
    private func check(_ text: String, previous: String? = nil) throws -> (DisclosureReport, [DisclosureFinding]) {
        let report = try DisclosureReader.read(text: text)
        let last = try previous.map { try DisclosureReader.read(text: try fixture($0)) }
        return (report, DisclosureChecker.check(report, previousYear: last))
    }

    // MARK: - 15. 共收到…其中…上年结转

    @Test func receivedTotalIncludingCarryOverMatchesNewPlusCarried() throws {
        // 全年共收到…申请483件,其中本年新收477件、上年结转6件 against 新收 477 and 结转 6.
        let (report, found) = try check(try fixture("jingyue-2022-received-with-carryover.flattened.txt"),
                                        previous: "jingyue-2021.flattened.txt")
        #expect(report.requestValue(.new, .total) == 477)
        #expect(report.requestValue(.carriedOver, .total) == 6)
        #expect(report.narrativeFigure(.requestsReceivedWithCarryOver)?.value == 483)
        #expect(report.narrativeFigure(.requestsReceived)?.value == 477)
        #expect(report.narrativeFigure(.carriedOver)?.value == 6)
        #expect(found.isEmpty)
    }

    @Test func receivedTotalIncludingCarryOverThatDisagreesIsOneMismatchAgainstNewPlusCarried() throws {
        let text = try fixture("jingyue-2022-received-with-carryover.flattened.txt")
            .replacingOccurrences(of: "申请483件", with: "申请485件")
        let (_, found) = try check(text)
        #expect(found.map(\.check) == [.narrativeMismatch])
        #expect(found.first?.expected == 483)
        #expect(found.first?.actual == 485)
        #expect(found.first?.rowCode == "new")
        #expect(found.first?.message.contains("本年新收与上年结转总计之和（477+6）为483") == true)
    }

    @Test func separatelyStatedNewThisYearIsComparedWithNewAlone() throws {
        let text = try fixture("jingyue-2022-received-with-carryover.flattened.txt")
            .replacingOccurrences(of: "其中本年新收477件", with: "其中本年新收470件")
        let (_, found) = try check(text)
        #expect(found.map(\.check) == [.narrativeMismatch])
        #expect(found.first?.expected == 477)
        #expect(found.first?.actual == 470)
    }

    @Test func receivedFigureWithoutACarryOverBreakdownIsStillNewThisYear() throws {
        // No 其中…上年结转 after it: 受理…483件 is compared with 新收 as before.
        let text = try fixture("jingyue-2022.flattened.txt").replacingOccurrences(of: "受理依申请公开477件", with: "受理依申请公开483件")
        let (_, found) = try check(text)
        #expect(found.map(\.check) == [.narrativeMismatch])
        #expect(found.first?.expected == 477)
        #expect(found.first?.actual == 483)
    }

    // MARK: - 16. 行政复议 / 行政诉讼 against table 四

    @Test func reconsiderationAndLitigationCountsThatMatchTableFourPass() throws {
        // 平潭 2023: 行政复议案件2件 (table 四 复议 总计 2), 行政诉讼案件7件 (直接起诉 5 + 复议后起诉 2).
        let (report, found) = try check(try fixture("pingtan-2023.page.txt"))
        #expect(report.narrativeFigure(.reconsiderationCases)?.value == 2)
        #expect(report.narrativeFigure(.litigationCases)?.value == 7)
        #expect(found.filter { $0.tableCode == .appeals }.isEmpty)
    }

    @Test func reconsiderationCountOtherThanTableFourIsANarrativeMismatch() throws {
        let text = try fixture("pingtan-2023.page.txt").replacingOccurrences(of: "行政复议案件2件", with: "行政复议案件3件")
        let (_, found) = try check(text)
        #expect(found.map(\.check) == [.narrativeMismatch])
        let finding = try #require(found.first)
        #expect(finding.tableCode == .appeals)
        #expect(finding.rowCode == "reconsideration")
        #expect(finding.expected == 2)
        #expect(finding.actual == 3)
        #expect(finding.message.contains("3件"))
        #expect(finding.message.contains("表四行政复议总计为2件"))
    }

    @Test func litigationCountIsComparedWithBothLitigationGroups() throws {
        let text = try fixture("pingtan-2023.page.txt").replacingOccurrences(of: "行政诉讼案件7件", with: "行政诉讼案件5件")
        let (_, found) = try check(text)
        #expect(found.map(\.check) == [.narrativeMismatch])
        let finding = try #require(found.first)
        #expect(finding.tableCode == .appeals)
        #expect(finding.row == "行政诉讼")
        #expect(finding.expected == 7)
        #expect(finding.actual == 5)
        #expect(finding.message.contains("未经复议直接起诉5件加复议后起诉2件"))
    }
}
