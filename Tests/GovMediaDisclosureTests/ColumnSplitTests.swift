import Foundation
import Testing
@testable import GovMediaDisclosure

/// Run-together rows that their own total cannot settle are settled by the table's column
/// identities when exactly one choice agrees with them.
@Suite struct ColumnSplitTests {
    @Test func columnIdentityPicksTheOnlyConsistentCandidates() {
        // Rows: 0 and 1 ambiguous, 2 known, 3 the total; rows 0 + 1 + 2 = 3 in every column.
        let known: [[Int?]] = [[nil, nil], [nil, nil], [1, 0], [4, 1]]
        let identity = DigitSplitter.ColumnIdentity(terms: [
            .init(row: 0, coefficient: 1), .init(row: 1, coefficient: 1), .init(row: 2, coefficient: 1), .init(row: 3, coefficient: -1),
        ])
        let chosen = DigitSplitter.settle(known: known, ambiguous: [0: [["2", "0"], ["1", "1"]], 1: [["1", "1"], ["1", "0"]]],
                                          identities: [identity], budget: .init())
        #expect(chosen == [0: ["2", "0"], 1: ["1", "1"]])
    }

    @Test func columnIdentitiesThatAllowTwoChoicesSettleNothing() {
        let known: [[Int?]] = [[nil], [nil], [3]]
        let identity = DigitSplitter.ColumnIdentity(terms: [
            .init(row: 0, coefficient: 1), .init(row: 1, coefficient: 1), .init(row: 2, coefficient: -1),
        ])
        #expect(DigitSplitter.settle(known: known, ambiguous: [0: [["1"], ["2"]], 1: [["1"], ["2"]]], identities: [identity], budget: .init()) == nil)
    }

    @Test func candidatesListsEverySplitThatAddsUp() {
        let rowTotal = [DigitSplitter.Block(parts: 0..<6, total: 6)]
        let splits = DigitSplitter.candidates(groups: ["220000022"], into: 7, blocks: rowTotal, budget: .init())
        #expect(splits?.count == 2)
        #expect(splits?.contains(["22", "0", "0", "0", "0", "0", "22"]) == true)
        #expect(splits?.contains(["2", "20", "0", "0", "0", "0", "22"]) == true)
    }

    @Test func pingtan2023RowsTheirTotalsLeaveOpenAreSettledByTheColumns() throws {
        // 予以公开 220000022 and 部分公开 191000020 each split two ways by their own total; only
        // 22+19 in 自然人 and 0+1 in 商业企业 make the outcomes add up to (七) 总计 80 and 1.
        let report = try DisclosureReader.read(text: try fixture("pingtan-2023.page.txt"))
        #expect(report.requests.row("disclosed")?.cells.compactMap(\.value) == [22, 0, 0, 0, 0, 0, 22])
        #expect(report.requests.row("partly_disclosed")?.cells.compactMap(\.value) == [19, 1, 0, 0, 0, 0, 20])
        #expect(report.requests.rows.allSatisfy { $0.cells.allSatisfy { $0.status == .number } })
        #expect(report.notices.contains { $0.kind == .splitByColumns && $0.text.contains("（一）予以公开") && $0.text.contains("220000022") && $0.text.contains("各列勾稽关系")
            && $0.text.contains("22、0、0、0、0、0、22") })
    }

    @Test func pingtan2023OutcomeSumRunsOnEveryColumn() throws {
        let report = try DisclosureReader.read(text: try fixture("pingtan-2023.page.txt"))
        // Every cell of the outcome rows and (七) 总计 is a number, so outcome_sum is evaluated
        // in all seven columns; here it finds them adding up.
        let outcomeRows = report.requests.rows.filter { RequestRow(rawValue: $0.code)?.isOutcome ?? false }
        #expect(outcomeRows.count == 21)
        for column in 0..<7 {
            let sum = outcomeRows.compactMap { $0.cells[column].value }.reduce(Decimal(0), +)
            #expect(outcomeRows.allSatisfy { $0.cells[column].value != nil })
            #expect(sum == report.requests.row("total")?.cells[column].value)
        }
        #expect(DisclosureChecker.outcomeSums(report.requests).isEmpty)
    }

    @Test func columnsCanPickTheSplitThatIsNotTheFirst() throws {
        // The same page with 新收 and (七) 总计 60,21,…,81: now only 2+19 (自然人) and 20+1 (商业企业) fit.
        let report = try DisclosureReader.read(text: try fixture("pingtan-2023-columns.page.txt"))
        #expect(report.requests.row("disclosed")?.cells.compactMap(\.value) == [2, 20, 0, 0, 0, 0, 22])
        #expect(report.requests.row("partly_disclosed")?.cells.compactMap(\.value) == [19, 1, 0, 0, 0, 0, 20])
        #expect(DisclosureChecker.check(report).isEmpty)
    }

    @Test func rowThatNoColumnChoiceFitsStaysUnresolvedWithItsNotice() throws {
        // 无法提供 31 → 30 in 自然人 and 总计: no pair of candidates now makes 自然人 add up to 80.
        let text = try fixture("pingtan-2023.page.txt").replacingOccurrences(of: "本机关不掌握相关政府信息310000031", with: "本机关不掌握相关政府信息300000030")
        let report = try DisclosureReader.read(text: text)
        #expect(report.requestValue(.unavailable1, .total) == 30)
        #expect(report.requests.row("disclosed")?.cells.allSatisfy { $0.status == .unresolved } == true)
        #expect(report.notices.contains { $0.kind == .unresolvedRow && $0.text.contains("（一）予以公开") && $0.text.contains("220000022") && $0.text.contains("无法拆分") })
        #expect(DisclosureChecker.outcomeSums(report.requests).isEmpty)
    }

    @Test func tableOfAmbiguousRowsIsLeftUnresolvedWithinTheSearchBudget() throws {
        // Every zero row of table 三 printed as 220000022: millions of combinations, none
        // checked to the end; the reader gives up in bounded time and guesses nothing.
        let page = try fixture("pingtan-2023.page.txt")
        let text = page.replacingOccurrences(of: "0000000", with: "220000022")
        let clock = ContinuousClock()
        let start = clock.now
        let report = try DisclosureReader.read(text: text)
        #expect(clock.now - start < .seconds(20))
        #expect(report.requests.row("withheld.1")?.cells.allSatisfy { $0.status == .unresolved } == true)
    }
}
