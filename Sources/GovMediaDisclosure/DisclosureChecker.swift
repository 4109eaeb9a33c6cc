import Foundation

/// Checks a report's arithmetic and claims: each identity once, where it applies, so every
/// finding is one thing the numbers call for.
///
/// An identity that involves a blank or unresolved cell is not evaluated: the blank cell is
/// reported once (`blank_cell`), the unresolved one is already a notice of the reader, and
/// neither is guessed at as 0.
public enum DisclosureChecker {
    /// All findings for a report, in a stable order.
    ///
    /// - Parameters:
    ///   - report: the report to check.
    ///   - previousYear: last year's report, for `cross_year_carryover`.
    ///   - monitor: the monitor's own count and pass rate of new-media accounts.
    public static func check(_ report: DisclosureReport, previousYear: DisclosureReport? = nil, monitor: MonitorFigures? = nil) -> [DisclosureFinding] {
        var findings: [DisclosureFinding] = []
        findings += blankCells(report)
        findings += emptySection(report)
        findings += rowTotals(report.requests)
        findings += outcomeSums(report.requests)
        findings += carryoverIdentities(report.requests)
        findings += appealTotals(report.appeals)
        if let previousYear { findings += crossYear(report, previous: previousYear) }
        findings += narrative(report)
        if let monitor { findings += monitorFindings(report, monitor: monitor) }
        return findings
    }

    // MARK: - Blank cells and section 五

    static func blankCells(_ report: DisclosureReport) -> [DisclosureFinding] {
        var findings: [DisclosureFinding] = []
        for table in report.tables {
            for row in table.rows {
                for (cell, column) in zip(row.cells, table.columns) where cell.status == .blank {
                    findings.append(DisclosureFinding(
                        check: .blankCell, table: table.title, row: row.label, column: column.label, tableCode: table.id,
                        rowCode: row.code, columnCode: column.code, line: cell.line,
                        message: "\(table.title)“\(row.label)”行“\(column.label)”列为空白，应填写数字（没有请填0）"))
                }
            }
        }
        return findings
    }

    static func emptySection(_ report: DisclosureReport) -> [DisclosureFinding] {
        let title = "五、存在的主要问题及改进情况"
        guard let text = report.sectionFive else {
            return [DisclosureFinding(check: .emptySection, table: title, message: "年报缺少第五部分“存在的主要问题及改进情况”")]
        }
        let words = String(text.unicodeScalars.filter(SourceText.isWordLike))
        if words.isEmpty || ["无", "暂无", "没有"].contains(words) {
            return [DisclosureFinding(check: .emptySection, table: title, message: "年报第五部分“存在的主要问题及改进情况”没有内容")]
        }
        return []
    }

    // MARK: - Table 三

    static func rowTotals(_ table: DisclosureTable) -> [DisclosureFinding] {
        guard let totalIndex = table.columns.firstIndex(where: { $0.code == RequestColumn.total.rawValue }) else { return [] }
        var findings: [DisclosureFinding] = []
        for row in table.rows {
            guard totalIndex < row.cells.count, let total = row.cells[totalIndex].value else { continue }
            let parts = row.cells.enumerated().filter { $0.offset != totalIndex }.map(\.element.value)
            guard let sum = sum(parts) else { continue }
            if sum != total {
                let column = table.columns[totalIndex]
                findings.append(DisclosureFinding(
                    check: .rowTotal, table: table.title, row: row.label, column: column.label, tableCode: table.id,
                    rowCode: row.code, columnCode: column.code, expected: sum, actual: total, line: row.cells[totalIndex].line,
                    message: "\(table.title)“\(row.label)”行：自然人与法人或其他组织各列之和为\(sum)，总计却填\(total)"))
            }
        }
        return findings
    }

    static func outcomeSums(_ table: DisclosureTable) -> [DisclosureFinding] {
        guard let totalRow = table.row(RequestRow.total.rawValue) else { return [] }
        let outcomes = table.rows.filter { RequestRow(rawValue: $0.code)?.isOutcome ?? false }
        guard !outcomes.isEmpty else { return [] }
        var findings: [DisclosureFinding] = []
        for (index, column) in table.columns.enumerated() {
            guard index < totalRow.cells.count, let total = totalRow.cells[index].value,
                  let sum = sum(outcomes.map { index < $0.cells.count ? $0.cells[index].value : nil }) else { continue }
            if sum != total {
                findings.append(DisclosureFinding(
                    check: .outcomeSum, table: table.title, row: totalRow.label, column: column.label, tableCode: table.id,
                    rowCode: totalRow.code, columnCode: column.code, expected: sum, actual: total, line: totalRow.cells[index].line,
                    message: "\(table.title)“\(column.label)”列：各项办理结果之和为\(sum)，“\(totalRow.label)”却填\(total)"))
            }
        }
        return findings
    }

    static func carryoverIdentities(_ table: DisclosureTable) -> [DisclosureFinding] {
        guard let new = table.row(RequestRow.new.rawValue), let over = table.row(RequestRow.carriedOver.rawValue),
              let total = table.row(RequestRow.total.rawValue), let forward = table.row(RequestRow.carriedForward.rawValue)
        else { return [] }
        var findings: [DisclosureFinding] = []
        for (index, column) in table.columns.enumerated() {
            let values = [new, over, total, forward].map { index < $0.cells.count ? $0.cells[index].value : nil }
            guard let received = sum(Array(values[0...1])), let handled = sum(Array(values[2...3])) else { continue }
            if received != handled {
                findings.append(DisclosureFinding(
                    check: .carryoverIdentity, table: table.title, column: column.label, tableCode: table.id,
                    columnCode: column.code, expected: received, actual: handled, line: forward.cells[index].line,
                    message: "\(table.title)“\(column.label)”列：本年新收加上年结转为\(received)，办理结果总计加结转下年度却为\(handled)，"
                        + "不符合“第一项加第二项之和，等于第三项加第四项之和”"))
            }
        }
        return findings
    }

    // MARK: - Table 四

    static func appealTotals(_ table: DisclosureTable) -> [DisclosureFinding] {
        guard let totalIndex = table.columns.firstIndex(where: { $0.code == AppealColumn.total.rawValue }) else { return [] }
        var findings: [DisclosureFinding] = []
        for row in table.rows {
            guard totalIndex < row.cells.count, let total = row.cells[totalIndex].value,
                  let sum = sum(row.cells.enumerated().filter { $0.offset != totalIndex }.map(\.element.value)) else { continue }
            if sum != total {
                let column = table.columns[totalIndex]
                findings.append(DisclosureFinding(
                    check: .appealTotal, table: table.title, row: row.label, column: column.label, tableCode: table.id,
                    rowCode: row.code, columnCode: column.code, expected: sum, actual: total, line: row.cells[totalIndex].line,
                    message: "\(table.title)“\(row.label)”：维持、纠正、其他结果、尚未审结之和为\(sum)，总计却填\(total)"))
            }
        }
        return findings
    }

    // MARK: - Across years

    static func crossYear(_ report: DisclosureReport, previous: DisclosureReport) -> [DisclosureFinding] {
        guard let over = report.requests.row(RequestRow.carriedOver.rawValue) else { return [] }
        var findings: [DisclosureFinding] = []
        let lastYear = previous.year.map { "\($0)年" } ?? "上年"
        for (index, column) in report.requests.columns.enumerated() {
            guard index < over.cells.count, let now = over.cells[index].value,
                  let before = previous.requests.value(row: RequestRow.carriedForward.rawValue, column: column.code) else { continue }
            if now != before {
                findings.append(DisclosureFinding(
                    check: .crossYearCarryover, table: report.requests.title, row: over.label, column: column.label,
                    tableCode: .requests, rowCode: over.code, columnCode: column.code, expected: before, actual: now,
                    line: over.cells[index].line,
                    message: "“\(column.label)”列：\(lastYear)年报“结转下年度继续办理”为\(before)，本年“上年结转”却填\(now)"))
            }
        }
        return findings
    }

    // MARK: - Text against tables

    static func narrative(_ report: DisclosureReport) -> [DisclosureFinding] {
        var findings: [DisclosureFinding] = []
        var reported = Set<String>()
        let total = RequestColumn.total.rawValue
        for figure in report.narrative {
            let comparison: (row: RequestRow, expected: Decimal, what: String)?
            switch figure.kind {
            case .requestsReceived:
                comparison = report.requestValue(.new, .total).map { (.new, $0, "本年新收申请总计") }
            case .requestsReceivedWithCarryOver:
                // 共收到…305件，其中…上年结转5件 counts both rows (the identity's 第一项加第二项).
                if let new = report.requestValue(.new, .total), let over = report.requestValue(.carriedOver, .total) {
                    comparison = (.new, new + over, "本年新收与上年结转总计之和（\(new)+\(over)）")
                } else {
                    comparison = nil
                }
            case .requestsAnswered:
                comparison = report.requestValue(.total, .total).map { (.total, $0, "办理结果总计") }
            case .carriedForward:
                comparison = report.requestValue(.carriedForward, .total).map { (.carriedForward, $0, "结转下年度继续办理总计") }
            case .carriedOver:
                comparison = report.requestValue(.carriedOver, .total).map { (.carriedOver, $0, "上年结转总计") }
            case .answerRate:
                if let handled = report.requestValue(.total, .total), let received = report.requestValue(.new, .total), received > 0 {
                    comparison = (.total, rounded(handled / received * 100, decimals: figure.decimals), "办理结果总计÷本年新收（\(handled)/\(received)）")
                } else {
                    comparison = nil
                }
            default:
                comparison = nil
            }
            guard let comparison, comparison.expected != figure.value else { continue }
            let key = "\(figure.kind.rawValue)=\(figure.value)"
            guard !reported.contains(key) else { continue }
            reported.insert(key)
            let row = report.requests.row(comparison.row.rawValue)
            let unit = figure.kind == .answerRate ? "%" : ""
            findings.append(DisclosureFinding(
                check: .narrativeMismatch, table: report.requests.title, row: row?.label ?? comparison.row.label,
                column: RequestColumn.total.label, tableCode: .requests, rowCode: comparison.row.rawValue, columnCode: total,
                expected: comparison.expected, actual: figure.value, line: figure.line,
                message: "正文称“\(figure.text)”（\(figure.kind.label)），但表三\(comparison.what)为\(comparison.expected)\(unit)；原句：\(figure.sentence)"))
        }
        findings += narrativeAppeals(report)
        return findings
    }

    /// 行政复议N件 / 行政诉讼N件 in the text against table 四: reconsideration against its
    /// 总计, litigation against both litigation groups' 总计 together (未经复议直接起诉 and
    /// 复议后起诉 are both 行政诉讼).
    static func narrativeAppeals(_ report: DisclosureReport) -> [DisclosureFinding] {
        var findings: [DisclosureFinding] = []
        var reported = Set<String>()
        for figure in report.narrative {
            // The litigation figure spans two rows of table 四, so it names no single row code.
            let comparison: (rowCode: String?, row: String, expected: Decimal, what: String)
            switch figure.kind {
            case .reconsiderationCases:
                guard let total = report.appealValue(.reconsideration, .total) else { continue }
                comparison = (AppealRow.reconsideration.rawValue, AppealRow.reconsideration.label, total, "行政复议总计")
            case .litigationCases:
                guard let direct = report.appealValue(.litigationDirect, .total),
                      let after = report.appealValue(.litigationAfterReconsideration, .total) else { continue }
                comparison = (nil, "行政诉讼", direct + after, "行政诉讼总计（未经复议直接起诉\(direct)件加复议后起诉\(after)件）")
            default:
                continue
            }
            guard comparison.expected != figure.value else { continue }
            let key = "\(figure.kind.rawValue)=\(figure.value)"
            guard !reported.contains(key) else { continue }
            reported.insert(key)
            findings.append(DisclosureFinding(
                check: .narrativeMismatch, table: report.appeals.title, row: comparison.row,
                column: AppealColumn.total.label, tableCode: .appeals, rowCode: comparison.rowCode,
                columnCode: AppealColumn.total.rawValue, expected: comparison.expected, actual: figure.value, line: figure.line,
                message: "正文称“\(figure.text)”（\(figure.kind.label)），但表四\(comparison.what)为\(comparison.expected)件；原句：\(figure.sentence)"))
        }
        return findings
    }

    // MARK: - Monitor

    static func monitorFindings(_ report: DisclosureReport, monitor: MonitorFigures) -> [DisclosureFinding] {
        var findings: [DisclosureFinding] = []
        let table = "正文（政务新媒体）"
        if let accounts = report.narrativeFigure(.newMediaAccounts), accounts.value != Decimal(monitor.accounts) {
            findings.append(DisclosureFinding(
                check: .monitorMismatch, table: table, row: "政务新媒体数量", expected: Decimal(monitor.accounts), actual: accounts.value,
                line: accounts.line,
                message: "正文称“\(accounts.text)”，监测台账登记的政务新媒体为\(monitor.accounts)个；原句：\(accounts.sentence)"))
        }
        if let rate = report.narrativeFigure(.newMediaPassRate), let monitored = monitor.passRate {
            let expected = rounded(monitored, decimals: rate.decimals)
            if expected != rate.value {
                findings.append(DisclosureFinding(
                    check: .monitorMismatch, table: table, row: "政务新媒体达标率", expected: expected, actual: rate.value, line: rate.line,
                    message: "正文称达标率“\(rate.text)”，监测评分得出的达标率为\(expected)%；原句：\(rate.sentence)"))
            }
        }
        return findings
    }

    // MARK: - Arithmetic

    /// The sum, or nil when any value is missing (blank, unresolved, not printed).
    private static func sum(_ values: [Decimal?]) -> Decimal? {
        var total = Decimal(0)
        for value in values {
            guard let value else { return nil }
            total += value
        }
        return total
    }

    /// Rounds half up to the printed number of decimals, as reports round percentages.
    static func rounded(_ value: Decimal, decimals: Int) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, max(0, min(decimals, 10)), .plain)
        return result
    }
}
