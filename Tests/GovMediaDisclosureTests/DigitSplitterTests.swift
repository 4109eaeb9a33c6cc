import Testing
@testable import GovMediaDisclosure

/// Run-together digits split only when the row's totals allow exactly one answer.
@Suite struct DigitSplitterTests {
    private let rowTotal = [DigitSplitter.Block(parts: 0..<6, total: 6)]

    @Test func splitsDigitsThatOnlyOneWayAddUp() {
        #expect(DigitSplitter.split(groups: ["6000017"], into: 7, blocks: rowTotal) == .unique(["6", "0", "0", "0", "0", "1", "7"], addsUp: true))
        #expect(DigitSplitter.split(groups: ["310000031"], into: 7, blocks: rowTotal) == .unique(["31", "0", "0", "0", "0", "0", "31"], addsUp: true))
    }

    @Test func printedSpacesAreCellBoundaries() {
        #expect(DigitSplitter.split(groups: ["20", "0", "00", "0", "121"], into: 7, blocks: rowTotal)
            == .unique(["20", "0", "0", "0", "0", "1", "21"], addsUp: true))
    }

    @Test func twoSplitsThatBothAddUpAreAmbiguous() {
        guard case .ambiguous = DigitSplitter.split(groups: ["220000022"], into: 7, blocks: rowTotal) else {
            Issue.record("expected ambiguous")
            return
        }
    }

    @Test func onlyPossibleCutIsKeptEvenWhenItDoesNotAddUp() {
        #expect(DigitSplitter.split(groups: ["1000002"], into: 7, blocks: rowTotal) == .unique(["1", "0", "0", "0", "0", "0", "2"], addsUp: false))
    }

    @Test func absurdlyLongRunIsNotGuessedAt() {
        #expect(DigitSplitter.split(groups: [String(repeating: "1", count: 500)], into: 7, blocks: rowTotal) == .impossible)
    }
}
