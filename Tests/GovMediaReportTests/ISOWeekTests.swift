import GovMediaCore
import GovMediaReport
import Testing

@Suite("ISO weeks in China time")
struct ISOWeekTests {
    @Test("weeks around New Year belong to the year of their Thursday")
    func newYear() {
        #expect(ISOWeek(containing: CivilDate(year: 2021, month: 1, day: 3)!).description == "2020-W53")
        #expect(ISOWeek(containing: CivilDate(year: 2024, month: 12, day: 30)!).description == "2025-W01")
        #expect(ISOWeek(containing: CivilDate(year: 2026, month: 2, day: 4)!).description == "2026-W06")
    }

    @Test("a parsed week runs Monday to Sunday and only real weeks parse")
    func parse() throws {
        let w = try #require(ISOWeek("2026-W06"))
        #expect(w.monday.description == "2026-02-02" && w.sunday.description == "2026-02-08")
        #expect(ISOWeek("2025-W53") == nil && ISOWeek("2026-W53") != nil && ISOWeek("2026-6") == nil && ISOWeek("2026-W00") == nil)
        #expect(w.adding(weeks: -6).description == "2025-W52")
        #expect(ChinaTime.iso8601(w.start) == "2026-02-02T00:00:00+08:00")
    }

    @Test("the default week is the last complete one")
    func lastComplete() {
        let wednesday = ChinaTime.instant(CivilDate(year: 2026, month: 2, day: 4)!, hour: 10)
        #expect(ISOWeek.lastComplete(before: wednesday).description == "2026-W05")
    }
}
