/// Reads table 四 (reconsideration and litigation). The report prints it as one row of
/// fifteen numbers under a two-level header; it is kept as three rows (行政复议, 未经复议直接起诉,
/// 复议后起诉) of five columns (维持, 纠正, 其他, 尚未审结, 总计), which is what the checks need.
enum AppealTableReader {
    /// Reads the table; `endsText` says nothing (no section 五 or 六) follows it, so too
    /// few numbers mean the text was cut here.
    static func read(_ region: Range<Int>, source: SourceText, rows reader: inout TableRows, endsText: Bool = false)
        throws(DisclosureError) -> DisclosureTable {
        let pieces = TablePieces.pieces(in: region, of: source)
        let tableLine = source.line(at: region.lowerBound)
        let columns = AppealColumn.allCases.map { DisclosureColumn(code: $0.rawValue, label: $0.label) }
        let width = AppealRow.allCases.count * columns.count

        var tokens: [CellToken] = []
        var headerEnd = region.upperBound
        for (index, piece) in pieces.enumerated() {
            switch piece {
            case .cell(let token):
                if tokens.isEmpty { headerEnd = token.offset }
                tokens.append(token)
            case .text(let range, let line):
                guard let last = tokens.last else { continue }
                // Past the header only numbers belong here; words between them are bad cells.
                let text = source.scalars[range]
                let followedByCell = pieces[(index + 1)...].contains { if case .cell = $0 { true } else { false } }
                if followedByCell, last.isFlattenedCell || (line == last.line && !text.contains(where: SourceText.isCJK)) {
                    throw DisclosureError(kind: .notANumber, line: line, expected: "数字（表四第\(tokens.count + 1)个数）",
                                          found: source.originalString(range))
                }
            }
        }
        // Fewer digits than cells cannot be a run-together row: the numbers stop mid-table.
        // A flattened cell (` |`) is one cell however many digits it has.
        let printedCells = tokens.reduce(0) { count, token in
            let atomic = token.isBlank || token.isFlattenedCell || !token.digits.unicodeScalars.allSatisfy(SourceText.isDigit)
            return count + (atomic ? 1 : token.digits.unicodeScalars.count)
        }
        if endsText, printedCells < width {
            throw Sections.truncated(in: "“四、政府信息公开行政复议、行政诉讼情况”（表四）", after: "第五、六部分", source: source)
        }
        guard !tokens.isEmpty else {
            throw DisclosureError(kind: .missingRow, line: source.line(at: max(region.lowerBound, region.upperBound - 1)),
                                  expected: "表四的\(width)个数字（行政复议、行政诉讼各项结果）")
        }

        // 复议后起诉 printed before 未经复议直接起诉 would swap the last two groups.
        let header = source.originalToCompact[region.lowerBound]..<source.originalToCompact[headerEnd]
        var groups = AppealRow.allCases
        if let after = source.firstCompact(of: "复议后起诉", in: header),
           let direct = source.firstCompact(of: "直接起诉", in: header), after < direct {
            groups = [.reconsideration, .litigationAfterReconsideration, .litigationDirect]
        }

        let wide = (0..<width).map { DisclosureColumn(code: "\($0)", label: "第\($0 + 1)个数") }
        let blocks = (0..<groups.count).map { group in
            DigitSplitter.Block(parts: (group * columns.count)..<(group * columns.count + columns.count - 1),
                                total: group * columns.count + columns.count - 1)
        }
        let (cells, runTogether) = try reader.cells(for: NumberRow(tokens: tokens), label: "行政复议、行政诉讼", line: tokens[0].line,
                                                    columns: wide, blocks: blocks, kind: .count)
        var rows: [DisclosureRow] = []
        for (position, group) in groups.enumerated() {
            let slice = Array(cells[(position * columns.count)..<((position + 1) * columns.count)])
            rows.append(DisclosureRow(code: group.rawValue, label: group.label, line: slice.first?.line ?? tableLine,
                                      cells: slice, runTogether: runTogether))
        }
        rows.sort { AppealRow.allCases.firstIndex(of: AppealRow(rawValue: $0.code) ?? .reconsideration) ?? 0
            < AppealRow.allCases.firstIndex(of: AppealRow(rawValue: $1.code) ?? .reconsideration) ?? 0 }
        return DisclosureTable(id: .appeals, title: DisclosureTableID.appeals.title, columns: columns, rows: rows, line: tableLine)
    }
}
