import Foundation
import GovMediaCore
import Yams

/// Reads `rules/calendar.yaml`: per year, the national holidays (date ranges) and the
/// make-up working days (调休), as announced by the State Council. Format in `rules/README.md`.
///
/// Refused on load, naming the file and line: a malformed date, a range that ends before it
/// starts, a date outside its year, holidays that overlap, a make-up day that is a holiday or
/// not a weekend day, an unknown key.
public enum CalendarFile {
    /// The calendar's file inside the rules directory.
    public static let fileName = "calendar.yaml"

    /// Parses the calendar text; `displayPath` is what errors name.
    public static func parse(_ data: Data, displayPath: String) throws(RuleFileError) -> WorkCalendar {
        let source = YAMLSource(displayPath: displayPath, name: fileName)
        let text = try TextLines.decode(data, displayPath: displayPath)
        let composed: Node?
        do { composed = try Yams.compose(yaml: text) } catch { throw source.error(from: error) }
        guard let root = composed else { return WorkCalendar() }
        let fields = try Fields(root, allowed: ["years"], what: "日历", source: source)
        guard let yearsNode = fields.value("years") else { return WorkCalendar() }
        guard let years = yearsNode.mapping else {
            throw source.error(yearsNode, "years 应为映射：年份 → {holidays, workdays}")
        }
        var calendar = WorkCalendar()
        // Each holiday day → where it was defined, for overlap messages.
        var holidayAt: [CivilDate: Int] = [:]
        for (yearKey, yearNode) in years {
            guard let yearText = yearKey.scalar?.string, let year = Int(yearText), (2000...2100).contains(year) else {
                throw source.error(yearKey, "年份应为四位数字，如 2026，现在是「\(yearKey.scalar?.string ?? "非文字")」")
            }
            guard !calendar.years.contains(year) else { throw source.error(yearKey, "年份 \(year) 重复") }
            calendar.years.insert(year)
            let y = try Fields(yearNode, allowed: ["source", "holidays", "workdays"], what: "\(year) 年", source: source)
            if let list = y.value("holidays") {
                guard let items = list.sequence else { throw source.error(list, "holidays 应为列表，每项 {name, from, to}") }
                for item in items {
                    let h = try Fields(item, allowed: ["name", "from", "to"], what: "假日", source: source)
                    let name = try h.string("name", required: true, what: "假日名称")!
                    let from = try date(h, "from", year: year, source: source)
                    let to = try h.value("to") == nil ? from : date(h, "to", year: year, source: source)
                    guard from <= to else {
                        throw source.error(at: h.mark("to"), "\(name)：结束日 \(to) 早于开始日 \(from)")
                    }
                    var day = from
                    while day <= to {
                        if let earlier = holidayAt[day] {
                            throw source.error(item, "\(name) 与第 \(earlier) 行的假日重叠（\(day)）")
                        }
                        holidayAt[day] = item.mark?.line ?? 0
                        calendar.holidays.insert(day)
                        day = day.adding(days: 1)
                    }
                }
            }
            if let list = y.value("workdays") {
                guard let items = list.sequence else { throw source.error(list, "workdays 应为日期列表，如 [2026-01-04]") }
                for item in items {
                    let day = try parseDate(item, year: year, what: "调休上班日", source: source)
                    if calendar.workdays.contains(day) { throw source.error(item, "调休上班日 \(day) 重复") }
                    if let line = holidayAt[day] { throw source.error(item, "调休上班日 \(day) 与第 \(line) 行的假日重叠") }
                    guard day.isoWeekday >= 6 else {
                        throw source.error(item, "调休上班日 \(day) 不是周末：只需列出需要上班的周六、周日")
                    }
                    calendar.workdays.insert(day)
                }
            }
        }
        // A make-up day listed before the holiday that covers it is caught here.
        if let clash = calendar.workdays.intersection(calendar.holidays).min() {
            throw RuleFileError(file: displayPath, line: holidayAt[clash], message: "调休上班日 \(clash) 与假日重叠")
        }
        return calendar
    }

    /// Loads `calendar.yaml` from a rules directory; a directory without one has an empty
    /// calendar (every deadline estimated by weekends).
    public static func load(directory: String) throws(RuleFileError) -> (calendar: WorkCalendar, data: Data?) {
        let path = directory.hasSuffix("/") ? directory + fileName : directory + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else { return (WorkCalendar(), nil) }
        let data = try RuleFiles.read(path)
        return (try parse(data, displayPath: path), data)
    }

    private static func date(_ f: Fields, _ key: String, year: Int, source: YAMLSource) throws(RuleFileError) -> CivilDate {
        guard let node = f.value(key) else { throw source.error(at: f.mark(key), "缺少 \(key)（日期）") }
        return try parseDate(node, year: year, what: key, source: source)
    }

    private static func parseDate(_ node: Node, year: Int, what: String, source: YAMLSource) throws(RuleFileError) -> CivilDate {
        guard let text = node.scalar?.string, text.count == 10, let day = CivilDate(iso: text) else {
            throw source.error(node, "\(what) 应为日期 YYYY-MM-DD，现在是「\(node.scalar?.string ?? "非文字")」")
        }
        guard day.year == year else { throw source.error(node, "\(what) \(day) 不在 \(year) 年内") }
        return day
    }
}
