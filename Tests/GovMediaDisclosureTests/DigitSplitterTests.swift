import Foundation
import Testing
@testable import GovMediaDisclosure

/// Run-together digits split only when the row's totals allow exactly one answer.
@Suite struct DigitSplitterTests {
    private let rowTotal = [DigitSplitter.Block(parts: 0..<6, total: 6)]

    @Test func splitsDigitsThatOnlyOneWayAddUp() {
        #expect(DigitSplitter.split(groups: ["6000017"], into: 7, blocks: rowTotal, budget: .init()) == .unique(["6", "0", "0", "0", "0", "1", "7"], addsUp: true))
        #expect(DigitSplitter.split(groups: ["310000031"], into: 7, blocks: rowTotal, budget: .init()) == .unique(["31", "0", "0", "0", "0", "0", "31"], addsUp: true))
    }

    @Test func printedSpacesAreCellBoundaries() {
        #expect(DigitSplitter.split(groups: ["20", "0", "00", "0", "121"], into: 7, blocks: rowTotal, budget: .init())
            == .unique(["20", "0", "0", "0", "0", "1", "21"], addsUp: true))
    }

    @Test func twoSplitsThatBothAddUpAreAmbiguous() {
        guard case .ambiguous = DigitSplitter.split(groups: ["220000022"], into: 7, blocks: rowTotal, budget: .init()) else {
            Issue.record("expected ambiguous")
            return
        }
    }

    @Test func onlyPossibleCutIsKeptEvenWhenItDoesNotAddUp() {
        #expect(DigitSplitter.split(groups: ["1000002"], into: 7, blocks: rowTotal, budget: .init()) == .unique(["1", "0", "0", "0", "0", "0", "2"], addsUp: false))
    }

    @Test func absurdlyLongRunIsNotGuessedAt() {
        #expect(DigitSplitter.split(groups: [String(repeating: "1", count: 500)], into: 7, blocks: rowTotal, budget: .init()) == .impossible)
    }

    @Test func aRowThatExhaustsItsBudgetIsNotCalledUnique() {
        // 41 digits in 7 cells that add up to no total: the search cannot see every cut
        // within a small budget, so neither "impossible" nor a lone split is claimed.
        let groups = ["12345678", "987654321098765432109876543210987"]
        #expect(DigitSplitter.split(groups: groups, into: 7, blocks: rowTotal, budget: .init(steps: 1_000)) == .tooHard)
    }

    @Test func theReportsBudgetIsSharedByItsRows() {
        // One budget for the report: once a hard row has spent it, even an easy row
        // later in the same report is left for an officer rather than searched.
        let budget = DigitSplitter.SplitBudget(steps: 5_000)
        #expect(DigitSplitter.split(groups: ["12345678", "987654321098765432109876543210987"], into: 7, blocks: rowTotal,
                                    budget: budget) == .tooHard)
        #expect(budget.remaining <= 0)
        #expect(DigitSplitter.split(groups: ["6000017"], into: 7, blocks: rowTotal, budget: budget) == .tooHard)
        #expect(DigitSplitter.split(groups: ["6000017"], into: 7, blocks: rowTotal, budget: .init())
            == .unique(["6", "0", "0", "0", "0", "1", "7"], addsUp: true))
    }
}

/// Reading notices carry their kind; reports stored before that keep theirs readable.
@Suite struct ReadingNoticeTests {
    @Test func storedNoticesRoundTripWithTheirKind() throws {
        let notice = ReadingNotice(.splitByRowTotal, line: 12, "第12行：表三“（一）予以公开”行数字连写为“6000017”，已按本行总计拆分为6、0、0、0、0、1、7")
        let data = try JSONEncoder().encode([notice])
        #expect(try JSONDecoder().decode([ReadingNotice].self, from: data) == [notice])
    }

    @Test func noticesStoredAsTextBeforeTheyHadKindsAreRead() throws {
        let old = #"["第12行：表三数字连写为“6000017”，已按本行总计拆分为6、0、0、0、0、1、7", "第9行：表二数字连写为“1234”，只有一种拆法：1、2、3、4", "第3行：表三“（二）”行出现两次，取第一次"]"#
        let notices = try JSONDecoder().decode([ReadingNotice].self, from: Data(old.utf8))
        #expect(notices.map(\.kind) == [.splitByRowTotal, .onlyOneSplit, .recorded])
        #expect(notices.map(\.isRoutine) == [true, true, false])
        #expect(notices[2].text == "第3行：表三“（二）”行出现两次，取第一次")
    }
}
