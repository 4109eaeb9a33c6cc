import Foundation
import GovMediaCore
import GovMediaRules
import Testing

private func day(_ text: String) -> CivilDate { CivilDate(iso: text)! }

/// Writes a calendar file in a scratch directory and returns its path.
private func calendarFile(_ text: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("calendar-\(UUID().uuidString).yaml").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

private func parse(_ path: String) throws(RuleFileError) -> WorkCalendar {
    try CalendarFile.parse(FileManager.default.contents(atPath: path)!, displayPath: path)
}

@Suite("the working-day calendar (calendar.yaml)")
struct CalendarTests {
    static let shipped = try! CalendarFile.load(directory: Fixture.repositoryRules).calendar

    @Test("the shipped calendar covers 2026 and leaves 2027 to the weekend estimate")
    func shippedYears() {
        #expect(Self.shipped.years == [2026])
    }

    @Test("5 working days from Thursday 2026-02-12 cross 春节 with its Saturday make-up day and end on 2026-02-26")
    func springFestival() {
        let result = Self.shipped.addingWorkingDays(5, to: day("2026-02-12"))
        #expect(result.day == day("2026-02-26"))
        #expect(result.estimated == false)
    }

    @Test("10 working days from 2026-09-28 skip 国庆 and count Saturday 10-10")
    func nationalDay() {
        // 9-29, 9-30, (10-1…10-7 off), 10-8, 10-9, 10-10 (Sat, work), 10-12 … 10-16
        #expect(Self.shipped.addingWorkingDays(10, to: day("2026-09-28")).day == day("2026-10-16"))
    }

    @Test("a deadline running into a year the file lacks is counted by weekends and marked estimated")
    func uncoveredYear() {
        let result = Self.shipped.addingWorkingDays(5, to: day("2026-12-29"))
        #expect(result.day == day("2027-01-05"))
        #expect(result.estimated)
    }

    @Test("overlapping holidays are refused, naming the file and the line")
    func overlap() throws {
        let path = try calendarFile("""
            years:
              2026:
                holidays:
                  - {name: 春节, from: 2026-02-15, to: 2026-02-23}
                  - {name: 假日二, from: 2026-02-20, to: 2026-02-21}
            """)
        #expect { try parse(path) } throws: { error in
            let e = error as! RuleFileError
            return e.file == path && e.line == 5 && e.message.contains("重叠")
        }
    }

    @Test("a malformed date is refused, naming the file and the line")
    func malformedDate() throws {
        let path = try calendarFile("""
            years:
              2026:
                holidays:
                  - {name: 元旦, from: 2026-01-01, to: 2026-01-03}
                workdays:
                  - 2026-1-4
            """)
        #expect { try parse(path) } throws: { error in
            let e = error as! RuleFileError
            return e.file == path && e.line == 6 && e.message.contains("YYYY-MM-DD")
        }
    }

    @Test("a make-up working day that is not a weekend day is refused")
    func weekdayMakeUp() throws {
        let path = try calendarFile("years:\n  2026:\n    workdays: [2026-01-05]\n")
        #expect { try parse(path) } throws: { error in (error as! RuleFileError).line == 3 }
    }

    @Test("a rules directory whose calendar is broken does not load")
    func brokenCalendarStopsRules() throws {
        let dir = try Fixture.copy("valid")
        try "years:\n  2026:\n    holidays:\n      - {name: x, from: 2026-03-05, to: 2026-03-01}\n"
            .write(toFile: dir.appending("calendar.yaml"), atomically: true, encoding: .utf8)
        let error = try #require(Fixture.error(loading: dir))
        #expect(error.file.hasSuffix("calendar.yaml") && error.line == 4)
    }
}

@Suite("rectification keys in the rule files")
struct RectifyRuleTests {
    @Test("vetoes get the national 5 working days, marked deductions the local 10, unmarked ones none")
    func deadlines() throws {
        let rules = try RuleFiles.load(directory: Fixture.repositoryRules)
        #expect(rules.rectifyDays("national.stale-2w") == 5)
        #expect(rules.rectifyDays("local.stale-1w") == 10)
        #expect(rules.rectifyDays("register.duplicate-platform") == 20)
        #expect(rules.rectifyDays("review.incomplete") == nil)
        #expect(rules.rectifyDays("lifecycle.active-after-deregistration") == nil)
    }

    @Test("rectify written as text is refused with its line")
    func rectifyMustBeBoolean() throws {
        let dir = try Fixture.copy("valid")
        try dir.appending("local.yaml").edit { $0.replacingOccurrences(of: "  - id: review.missing\n", with: "  - id: review.missing\n    rectify: \"yes\"\n") }
        let error = try #require(Fixture.error(loading: dir))
        #expect(error.message.contains("rectify") && error.line != nil)
    }
}
