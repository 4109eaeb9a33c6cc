import Foundation
import Testing
@testable import GovMediaDisclosure

private func findings(_ name: String, previous: String? = nil, monitor: MonitorFigures? = nil) throws -> [DisclosureFinding] {
    let report = try DisclosureReader.read(text: try fixture(name))
    let previousReport = try previous.map { try DisclosureReader.read(text: try fixture($0)) }
    return DisclosureChecker.check(report, previousYear: previousReport, monitor: monitor)
}

/// Each edited copy of the seed breaks one identity and yields exactly the findings its numbers call for.
@Suite struct CheckerTests {
    @Test func rowWhoseCellsMissItsTotalIsOneRowTotalPlusItsColumn() throws {
        // 予以公开 自然人 442 → 443: the row no longer adds up, nor does the 自然人 column's outcomes.
        let found = try findings("jingyue-2021-row-total.flattened.txt")
        #expect(found.map(\.check) == [.rowTotal, .outcomeSum])
        #expect(found[0].rowCode == "disclosed")
        #expect(found[0].column == "总计")
        #expect(found[0].expected == 447)
        #expect(found[0].actual == 446)
        #expect(found[1].column == "自然人")
        #expect(found[1].expected == 468)
        #expect(found[1].actual == 467)
    }

    @Test func outcomeSubItemOffByOneIsOneFindingPerColumn() throws {
        // 6.属于四类过程性信息 3 → 4 in 自然人 and 总计: the row adds up, both columns do not.
        let found = try findings("jingyue-2021-outcome-sum.flattened.txt")
        #expect(found.map(\.check) == [.outcomeSum, .outcomeSum])
        #expect(found.map(\.columnCode) == ["natural_person", "total"])
        #expect(found.allSatisfy { $0.expected == ($0.columnCode == "total" ? 472 : 468) })
    }

    @Test func carryToNextYearOffBreaksTheCarryoverIdentityPerColumn() throws {
        // 结转下年度 6 → 7 in 自然人 and 总计; the text's 剩余6件 now disagrees too.
        let found = try findings("jingyue-2021-carryover.flattened.txt")
        #expect(found.map(\.check) == [.carryoverIdentity, .carryoverIdentity, .narrativeMismatch])
        #expect(found[0].column == "自然人")
        #expect(found[0].expected == 473)
        #expect(found[0].actual == 474)
        #expect(found[2].rowCode == "carried_forward")
    }

    @Test func appealTotalOffIsOneFinding() throws {
        let found = try findings("jingyue-2021-appeal-total.flattened.txt")
        #expect(found.count == 1)
        #expect(found[0].check == .appealTotal)
        #expect(found[0].row == "行政复议")
        #expect(found[0].expected == 22)
        #expect(found[0].actual == 23)
    }

    @Test func textClaimingOtherRequestsIsANarrativeMismatch() throws {
        let found = try findings("jingyue-2021-narrative.flattened.txt")
        #expect(found.count == 1)
        #expect(found[0].check == .narrativeMismatch)
        #expect(found[0].expected == 477)
        #expect(found[0].actual == 478)
        #expect(found[0].message.contains("受理依申请公开478件"))
    }

    @Test func answerRateIsComparedAtItsPrintedPrecision() throws {
        let found = try findings("jingyue-2021-answer-rate.flattened.txt")
        #expect(found.count == 1)
        #expect(found[0].check == .narrativeMismatch)
        #expect(found[0].expected == Decimal(string: "98.7"))
        #expect(found[0].actual == Decimal(string: "98.9"))
    }

    @Test func blankCellIsReportedOnceAndNotTakenAsZero() throws {
        let report = try DisclosureReader.read(text: try fixture("jingyue-2021-blank-cell.flattened.txt"))
        #expect(report.requests.cell(row: "carried_over", column: "business")?.status == .blank)
        let found = DisclosureChecker.check(report)
        #expect(found.count == 1)
        #expect(found[0].check == .blankCell)
        #expect(found[0].row == "二、上年结转政府信息公开申请数量")
        #expect(found[0].column == "商业企业")
        #expect(found[0].line == 76)
    }

    @Test func lonePipeInsideAFlattenedRowIsABlankCell() throws {
        var lines = try fixture("jingyue-2021.flattened.txt").components(separatedBy: "\n")
        lines[75] = "|"
        let found = DisclosureChecker.check(try DisclosureReader.read(text: lines.joined(separator: "\n")))
        #expect(found.map(\.check) == [.blankCell])
        #expect(found.first?.columnCode == "business")
    }

    @Test func emptySectionFiveIsAFinding() throws {
        let found = try findings("jingyue-2021-empty-five.flattened.txt")
        #expect(found.map(\.check) == [.emptySection])
    }

    @Test func sameCarryoverAcrossYearsPasses() throws {
        #expect(try findings("jingyue-2022.flattened.txt", previous: "jingyue-2021.flattened.txt").isEmpty)
    }

    @Test func carryoverDifferentFromLastYearIsOneFindingPerColumn() throws {
        let found = try findings("jingyue-2022-carried-over-5.flattened.txt", previous: "jingyue-2021.flattened.txt")
        #expect(found.map(\.check) == [.crossYearCarryover, .crossYearCarryover])
        #expect(found.map(\.columnCode) == ["natural_person", "total"])
        #expect(found[0].expected == 6)
        #expect(found[0].actual == 5)
    }

    @Test func monitorCountingOtherAccountsIsAMonitorMismatch() throws {
        let found = try findings("jingyue-2021.flattened.txt", monitor: MonitorFigures(accounts: 41, passRate: nil))
        #expect(found.count == 1)
        #expect(found[0].check == .monitorMismatch)
        #expect(found[0].expected == 41)
        #expect(found[0].actual == 39)
    }

    @Test func monitorPassRateIsComparedAtThePrintedPrecision() throws {
        let lower = try findings("jingyue-2021.flattened.txt", monitor: MonitorFigures(accounts: 39, passRate: Decimal(string: "97.44")))
        #expect(lower.map(\.check) == [.monitorMismatch])
        #expect(lower.first?.expected == 97)
        #expect(try findings("jingyue-2021.flattened.txt", monitor: MonitorFigures(accounts: 39, passRate: Decimal(string: "99.6"))).isEmpty)
    }

    @Test func findingsRoundTripThroughJSON() throws {
        let found = try findings("jingyue-2021-answer-rate.flattened.txt")
        let decoded = try JSONDecoder().decode([DisclosureFinding].self, from: try JSONEncoder().encode(found))
        #expect(decoded == found)
    }
}
