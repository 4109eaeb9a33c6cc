import Foundation

/// Reads an annual government-information-disclosure report (政府信息公开年报) from text:
/// the seed's flattened-table layout, or the spaced/run-together text of a web page or PDF.
///
/// Sections are found by their headings, rows by their labels and columns by the header's
/// words, so the same reader copes with the variants real reports print.
public enum DisclosureReader {
    /// Longest text accepted; real reports are a few dozen kilobytes.
    static let maximumBytes = 4_000_000

    /// Reads a report, or says which line is wrong and what was expected there.
    public static func read(text: String) throws(DisclosureError) -> DisclosureReport {
        guard text.utf8.count <= maximumBytes else {
            throw DisclosureError(kind: .tooLarge, line: 1,
                                  expected: "文件过大（\(text.utf8.count)字节，上限\(maximumBytes)字节），不像是政府信息公开年报")
        }
        let source = SourceText(text)
        let all = 0..<source.compact.count
        let sections = try Sections(source: source, in: all)

        var notices: [ReadingNotice] = []
        // One budget for the whole report: a page of many run-together rows is read in
        // bounded time, the rows left over marked for an officer to check.
        let budget = DigitSplitter.SplitBudget()
        var proactiveRows = TableRows(source: source, tableName: "表二", budget: budget)
        let proactive = try ProactiveTableReader.read(sections.proactive, source: source, rows: &proactiveRows)
        var requestRows = TableRows(source: source, tableName: "表三", budget: budget)
        let requests = try RequestTableReader.read(sections.requests, source: source, rows: &requestRows)
        var appealRows = TableRows(source: source, tableName: "表四", budget: budget)
        let appeals = try AppealTableReader.read(sections.appeals, source: source, rows: &appealRows,
                                                 endsText: sections.endsInAppeals)
        notices += proactiveRows.notices + requestRows.notices + appealRows.notices

        let layout: DisclosureLayout
        if requests.rows.first?.cells.first.map({ isFlattened($0.line, source) }) ?? false {
            layout = .flattened
        } else if proactiveRows.splitAny || requestRows.splitAny || appealRows.splitAny {
            layout = .runTogether
        } else {
            layout = .spaced
        }

        let narrative = NarrativeReader.figures(in: sections.narrative, source: source)
        return DisclosureReport(
            title: title(source), year: year(source), layout: layout,
            proactive: proactive, requests: requests, appeals: appeals, narrative: narrative,
            sectionFive: sections.sectionFive.map { sectionText($0, source: source) }, notices: notices)
    }

    private static func isFlattened(_ line: Int, _ source: SourceText) -> Bool {
        guard line >= 1, line <= source.lineCount else { return false }
        let range = source.lineStarts[line - 1]..<source.lineEnds[line - 1]
        return source.scalars[range].last(where: { !SourceText.isSpace($0) }) == "|"
    }

    /// Section 五 as printed, without its heading; empty lines and page footers dropped.
    private static func sectionText(_ range: Range<Int>, source: SourceText) -> String {
        let text = source.originalString(range)
        var lines: [String] = []
        let startLine = source.line(at: range.lowerBound)
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).enumerated() {
            let lineNumber = startLine + index
            if lineNumber <= source.lineCount {
                let full = source.lineStarts[lineNumber - 1]..<source.lineEnds[lineNumber - 1]
                if source.scalars[full].allSatisfy(SourceText.isSpace) { continue }
            }
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { lines.append(trimmed) }
        }
        return lines.joined(separator: "\n")
    }

    /// The title: a `标题:` line, or an early line naming the 年度报告.
    private static func title(_ source: SourceText) -> String? {
        for line in 1...min(source.lineCount, 12) {
            let range = source.lineStarts[line - 1]..<source.lineEnds[line - 1]
            let text = source.originalString(range).trimmingCharacters(in: .whitespaces)
            let normalised = String(String.UnicodeScalarView(source.scalars[range]))
            if normalised.hasPrefix("标题:") {
                return String(text.dropFirst(3)).trimmingCharacters(in: .whitespaces)
            }
            if normalised.contains("年度报告") || normalised.contains("年报"), text.count <= 60, !normalised.contains("。") {
                return text
            }
        }
        return nil
    }

    /// The year reported on: from the title, the statistics period, or the year most named.
    private static func year(_ source: SourceText) -> Int? {
        var counts: [Int: Int] = [:]
        var preferred: Int?
        let compact = source.compact
        var index = 0
        let limit = compact.count
        while index + 4 < limit {
            if compact[index] == "2", compact[index + 1] == "0", SourceText.isDigit(compact[index + 2]),
               SourceText.isDigit(compact[index + 3]), compact[index + 4] == "年",
               index == 0 || !SourceText.isDigit(compact[index - 1]),
               let year = Int(source.compactString(index..<(index + 4))) {
                counts[year, default: 0] += 1
                let after = source.compactString((index + 5)..<min(compact.count, index + 20))
                let before = source.compactString(max(0, index - 6)..<index)
                if preferred == nil, after.hasPrefix("度政府信息公开") || after.hasPrefix("政府信息公开工作年度报告")
                    || after.hasPrefix("年度政府信息公开") || before.hasSuffix("统计期限自") {
                    preferred = year
                }
            }
            index += 1
        }
        if let preferred { return preferred }
        return counts.max { ($0.value, $0.key) < ($1.value, $1.key) }?.key
    }
}

/// Where the six parts of a report are, found by their headings (`三、收到和处理…`), which may
/// sit on their own line or in the middle of a page's run-on text.
struct Sections {
    /// Offsets of section 二 (the 第二十条 tables).
    let proactive: Range<Int>
    /// Offsets of table 三.
    let requests: Range<Int>
    /// Offsets of table 四.
    let appeals: Range<Int>
    /// Offsets of section 五's text after its heading, when the heading is there.
    let sectionFive: Range<Int>?
    /// Compact ranges of the prose outside the tables.
    let narrative: [Range<Int>]
    /// Neither section 五 nor 六 follows table 四, so the text ends inside it.
    let endsInAppeals: Bool

    /// The error for a text that stops inside `section` with none of the later parts
    /// (`after`) present: cut short (截断), not a report that left a part out.
    static func truncated(in section: String, after: String, source: SourceText) -> DisclosureError {
        DisclosureError(kind: .truncated, line: source.lineCount,
                        expected: "文本在\(section)中途结束，其后的\(after)都没有，年报被截断；请取得完整的年报后重新导入")
    }

    init(source: SourceText, in all: Range<Int>) throws(DisclosureError) {
        let three = source.heading(numeral: "三", keywords: ["收到和处理政府信息公开申请", "收到和处理政府信息公开", "收到和处理"], window: 2, in: all)
        let two = source.heading(numeral: "二", keywords: ["主动公开政府信息", "主动公开"], window: 2, in: 0..<(three ?? all.upperBound))
        guard let three else {
            guard let two else {
                throw DisclosureError(kind: .notAReport, line: 1, expected: "“二、主动公开政府信息情况”和“三、收到和处理政府信息公开申请情况”")
            }
            // No later heading at all: the text stops in section 二 rather than skipping 三.
            let rest = (two + 2)..<all.upperBound
            if source.heading(numeral: "四", keywords: ["行政复议"], window: 14, in: rest) == nil,
               Self.laterParts(after: two + 2, source: source, in: all) == nil {
                throw Self.truncated(in: "“二、主动公开政府信息情况”", after: "表三、表四和第五、六部分", source: source)
            }
            throw DisclosureError(kind: .missingTable, line: source.lineCount, expected: "“三、收到和处理政府信息公开申请情况”（表三）")
        }
        guard let two else {
            throw DisclosureError(kind: .missingTable, line: source.line(atCompact: three), expected: "“二、主动公开政府信息情况”（表二）")
        }
        let afterThree = (three + 2)..<all.upperBound
        guard let four = source.heading(numeral: "四", keywords: ["行政复议"], window: 14, in: afterThree) else {
            if Self.laterParts(after: three + 2, source: source, in: all) == nil {
                throw Self.truncated(in: "“三、收到和处理政府信息公开申请情况”（表三）", after: "表四和第五、六部分", source: source)
            }
            let five = source.heading(numeral: "五", keywords: ["存在的主要问题", "主要问题"], window: 6, in: afterThree)
            throw DisclosureError(kind: .missingTable, line: five.map { source.line(atCompact: $0) } ?? source.lineCount,
                                  expected: "“四、政府信息公开行政复议、行政诉讼情况”（表四）")
        }
        let afterFour = (four + 2)..<all.upperBound
        let five = source.heading(numeral: "五", keywords: ["存在的主要问题", "主要问题", "存在问题"], window: 6, in: afterFour)
        let six = source.heading(numeral: "六", keywords: ["其他需要报告", "其他需报告", "其他事项"], window: 4, in: (five ?? four) + 2..<all.upperBound)
        let appealsEnd = five ?? six ?? all.upperBound
        endsInAppeals = five == nil && six == nil

        proactive = source.originalOffset(ofCompact: two)..<source.originalOffset(ofCompact: three)
        requests = source.originalOffset(ofCompact: three)..<source.originalOffset(ofCompact: four)
        appeals = source.originalOffset(ofCompact: four)..<source.originalOffset(ofCompact: appealsEnd)
        if let five {
            // Skip the heading's own words: 五、存在的主要问题及改进情况.
            let headingEnd = ["改进情况", "改进措施", "主要问题", "存在问题"].lazy.compactMap { keyword in
                source.firstCompact(of: keyword, in: five..<min(all.upperBound, five + 16)).map { $0 + keyword.unicodeScalars.count }
            }.first ?? (five + 2)
            let end = six ?? all.upperBound
            sectionFive = source.originalOffset(ofCompact: headingEnd)..<source.originalOffset(ofCompact: max(headingEnd, end))
            narrative = [0..<two, five..<all.upperBound]
        } else {
            sectionFive = nil
            narrative = [0..<two] + (six.map { [$0..<all.upperBound] } ?? [])
        }
    }

    /// The first heading of section 五 or 六 after `start`, if the text has one.
    private static func laterParts(after start: Int, source: SourceText, in all: Range<Int>) -> Int? {
        let rest = min(start, all.upperBound)..<all.upperBound
        return source.heading(numeral: "五", keywords: ["存在的主要问题", "主要问题", "存在问题"], window: 6, in: rest)
            ?? source.heading(numeral: "六", keywords: ["其他需要报告", "其他需报告", "其他事项"], window: 4, in: rest)
    }
}
