import Foundation

/// The printed numbers of one table row, before they are matched to a label.
struct NumberRow: Equatable {
    var tokens: [CellToken]
    var offset: Int { tokens.first?.offset ?? 0 }
    var line: Int { tokens.first?.line ?? 0 }
}

/// Groups cell tokens into rows, matches rows to labels and turns tokens into cells:
/// the part of reading shared by all the tables.
struct TableRows {
    let source: SourceText
    /// The table's name in messages, e.g. 表三.
    let tableName: String
    /// Where notices go.
    var notices: [ReadingNotice] = []
    /// Whether some row had to be split from run-together digits.
    var splitAny = false
    /// The report's splitting budget, shared with its other tables.
    let budget: DigitSplitter.SplitBudget
    /// Rows left unresolved because several splits add up, by the offset of their numbers,
    /// kept so that the table's column identities can still settle them (`settle`).
    private var ambiguities: [Int: Ambiguity] = [:]

    /// What `settle` needs of a row that several splits fit.
    private struct Ambiguity {
        var groups: [String]
        var blocks: [DigitSplitter.Block]
        var notice: Int
        var printed: String
        var where_: String
        var line: Int
    }

    init(source: SourceText, tableName: String, budget: DigitSplitter.SplitBudget) {
        self.source = source
        self.tableName = tableName
        self.budget = budget
    }

    /// Collects runs of cells into rows of `width` cells; a word where a cell belongs is an error.
    func numberRows(_ pieces: [TablePiece], width: Int, labelled: Set<Int>) throws(DisclosureError) -> [NumberRow] {
        var rows: [NumberRow] = []
        var current: [CellToken] = []
        var seenLabel = false
        for (index, piece) in pieces.enumerated() {
            switch piece {
            case .text(let range, let line):
                if labelled.contains(index) {
                    seenLabel = true
                } else if seenLabel {
                    let found = source.originalString(range)
                    if let last = current.last, current.count < width, line == last.line || last.isFlattenedCell {
                        throw DisclosureError(kind: .notANumber, line: line,
                                              expected: "数字（\(tableName)第\(current.count + 1)列）", found: found)
                    }
                    if isFlattenedText(range), index + 1 < pieces.count, case .cell(let next) = pieces[index + 1],
                       next.isFlattenedCell, !next.isBlank {
                        throw DisclosureError(kind: .notANumber, line: line,
                                              expected: "数字（\(tableName)第\(current.count + 1)列）", found: found)
                    }
                }
                if !current.isEmpty { rows.append(NumberRow(tokens: current)) }
                current = []
            case .cell(let token):
                if let last = current.last {
                    let sameLine = token.line == last.line
                    let cellPerLine = token.isAloneOnLine && last.isAloneOnLine && current.count < width
                    if !sameLine && !cellPerLine {
                        rows.append(NumberRow(tokens: current))
                        current = []
                    }
                }
                current.append(token)
            }
        }
        if !current.isEmpty { rows.append(NumberRow(tokens: current)) }
        return rows
    }

    /// A word printed as a flattened cell (its line ends in `|`).
    private func isFlattenedText(_ range: Range<Int>) -> Bool {
        var offset = range.upperBound
        while offset < source.scalars.count, source.scalars[offset] == " " || source.scalars[offset] == "\t" { offset += 1 }
        return offset < source.scalars.count && source.scalars[offset] == "|"
    }

    /// Pairs labels with rows of numbers. When there are as many rows as labels they pair
    /// in order (PDF text may print a row's numbers just above its label); otherwise each
    /// label takes the numbers that follow it.
    func pair(labels: [LabelHit], rows: [NumberRow], width: Int) throws(DisclosureError) -> [(LabelHit, NumberRow)] {
        if labels.count == rows.count {
            return Array(zip(labels, rows))
        }
        enum Event { case label(LabelHit), row(NumberRow) }
        var events: [(Int, Event)] = labels.map { ($0.offset, .label($0)) } + rows.map { ($0.offset, .row($0)) }
        events.sort { $0.0 < $1.0 }
        var pairs: [(LabelHit, NumberRow)] = []
        var waiting: LabelHit?
        for (_, event) in events {
            switch event {
            case .label(let hit):
                if let open = waiting {
                    throw DisclosureError(kind: .wrongCellCount, line: open.line,
                                          expected: "\(width)个数字（\(tableName)“\(open.label)”行）")
                }
                waiting = hit
            case .row(let row):
                guard let open = waiting else {
                    throw DisclosureError(kind: .missingRow, line: row.line, expected: "行名（\(tableName)这一行数字不知属于哪一行）",
                                          found: row.tokens.map(\.printed).joined(separator: " "))
                }
                pairs.append((open, row))
                waiting = nil
            }
        }
        if let open = waiting {
            throw DisclosureError(kind: .wrongCellCount, line: open.line,
                                  expected: "\(width)个数字（\(tableName)“\(open.label)”行）")
        }
        return pairs
    }

    /// How a row's numbers should be checked while reading.
    enum NumberKind { case count, amount }

    /// Turns a row's tokens into one cell per column, splitting run-together digits with
    /// the row's totals (`blocks`) when needed.
    mutating func cells(
        for row: NumberRow, label: String, line: Int, columns: [DisclosureColumn], blocks: [DigitSplitter.Block],
        kind: NumberKind
    ) throws(DisclosureError) -> (cells: [DisclosureCell], runTogether: String?) {
        let width = columns.count
        let tokens = row.tokens
        let where_ = "\(tableName)“\(label)”行"
        if tokens.count > width {
            throw DisclosureError(kind: .wrongCellCount, line: row.line, expected: "\(width)个数字（\(where_)）",
                                  found: "\(tokens.count)个：" + tokens.map(\.printed).joined(separator: " "))
        }
        if tokens.count == width {
            var cells: [DisclosureCell] = []
            for (token, column) in zip(tokens, columns) {
                cells.append(try cell(token.printed, digits: token.digits, blank: token.isBlank, line: token.line,
                                      where_: "\(where_)“\(column.label)”列", kind: kind))
            }
            return (cells, nil)
        }
        let printed = tokens.map(\.printed).joined(separator: " ")
        let unresolved = columns.map { _ in DisclosureCell(status: .unresolved, line: row.line) }
        if tokens.contains(where: \.isBlank) {
            notices.append(ReadingNotice(.unresolvedRow, line: row.line, "第\(row.line)行：\(where_)只有\(tokens.count)个数字且有空白，无法对齐到\(width)列，请人工核对"))
            return (unresolved, printed)
        }
        splitAny = true
        // Every notice below is about the same printed run; only what became of it differs.
        func runTogether(_ kind: ReadingNotice.Kind, _ outcome: String) -> ReadingNotice {
            ReadingNotice(kind, line: row.line, "第\(row.line)行：\(where_)数字连写为“\(printed)”，\(outcome)")
        }
        switch DigitSplitter.split(groups: tokens.map(\.digits), into: width, blocks: blocks, budget: budget) {
        case .unique(let parts, let addsUp):
            var cells: [DisclosureCell] = []
            for (part, column) in zip(parts, columns) {
                cells.append(try cell(part, digits: part, blank: false, line: row.line,
                                      where_: "\(where_)“\(column.label)”列", kind: kind))
            }
            let shown = parts.joined(separator: "、")
            if blocks.isEmpty {
                notices.append(runTogether(.onlyOneSplit, "只有一种拆法：\(shown)"))
            } else if addsUp {
                notices.append(runTogether(.splitByRowTotal, "已按本行总计拆分为\(shown)"))
            } else {
                notices.append(runTogether(.splitNotAddingUp, "只有一种拆法（\(shown)），但本行总计不相符"))
            }
            return (cells, printed)
        case .ambiguous(let first, let second):
            ambiguities[row.offset] = Ambiguity(groups: tokens.map(\.digits), blocks: blocks, notice: notices.count,
                                                printed: printed, where_: where_, line: row.line)
            let reason = blocks.isEmpty ? "本行没有总计可据以拆分" : "按本行总计仍有多种拆法"
            notices.append(runTogether(.unresolvedRow, "\(reason)（如\(first.joined(separator: "、"))或\(second.joined(separator: "、"))），无法拆分，请人工核对"))
            return (unresolved, printed)
        case .tooHard:
            notices.append(runTogether(.unresolvedRow, "可能的拆法过多，未能在计算上限内确定，请人工核对"))
            return (unresolved, printed)
        case .impossible:
            let reason = blocks.isEmpty ? "无法拆成\(width)个数" : "按本行总计无法拆成\(width)个数"
            notices.append(runTogether(.unresolvedRow, "\(reason)，请人工核对"))
            return (unresolved, printed)
        }
    }

    /// Splits the rows that `cells` left ambiguous when the table's column identities
    /// allow exactly one choice among their candidate splits, and rewrites their notices to
    /// say how. `offsets[i]` is the offset of the numbers of `rows[i]`; `rule` names the
    /// identities in the notice.
    mutating func settle(
        _ rows: inout [DisclosureRow], offsets: [Int], columns: [DisclosureColumn],
        identities: [DigitSplitter.ColumnIdentity], rule: String, kind: NumberKind
    ) throws(DisclosureError) {
        guard !ambiguities.isEmpty else { return }
        var candidates: [Int: [[String]]] = [:]
        for (index, offset) in offsets.enumerated() where index < rows.count {
            guard let ambiguity = ambiguities[offset],
                  let splits = DigitSplitter.candidates(groups: ambiguity.groups, into: columns.count, blocks: ambiguity.blocks,
                                                               budget: budget)
            else { continue }
            candidates[index] = splits
        }
        guard !candidates.isEmpty else { return }
        // Whole numbers only: the identities are about counts, and a cell that is not a
        // plain integer is better left out of them than rounded.
        let known = rows.map { row in row.cells.map { cell in cell.value.flatMap { Int("\($0)") } } }
        guard let chosen = DigitSplitter.settle(known: known, ambiguous: candidates, identities: identities, budget: budget) else { return }
        for (index, parts) in chosen.sorted(by: { $0.key < $1.key }) {
            guard let ambiguity = ambiguities[offsets[index]] else { continue }
            var cells: [DisclosureCell] = []
            for (part, column) in zip(parts, columns) {
                cells.append(try cell(part, digits: part, blank: false, line: ambiguity.line,
                                      where_: "\(ambiguity.where_)“\(column.label)”列", kind: kind))
            }
            rows[index].cells = cells
            notices[ambiguity.notice] = ReadingNotice(.splitByColumns, line: ambiguity.line, "第\(ambiguity.line)行：\(ambiguity.where_)数字连写为“\(ambiguity.printed)”，按本行总计有多种拆法，"
                + "按\(rule)只有一种相符，已拆分为\(parts.joined(separator: "、"))")
            ambiguities[offsets[index]] = nil
        }
    }

    /// One cell; counts must be whole, non-negative numbers.
    private func cell(_ printed: String, digits: String, blank: Bool, line: Int, where_: String, kind: NumberKind) throws(DisclosureError) -> DisclosureCell {
        if blank { return DisclosureCell(status: .blank, text: printed, line: line) }
        guard let value = Decimal(string: digits, locale: Locale(identifier: "en_US_POSIX")) else {
            throw DisclosureError(kind: .notANumber, line: line, expected: "数字（\(where_)）", found: printed)
        }
        if kind == .count, digits.contains(".") || digits.hasPrefix("-") {
            throw DisclosureError(kind: .notANumber, line: line, expected: "非负整数（\(where_)）", found: printed)
        }
        return DisclosureCell(text: printed, value: value, line: line)
    }
}
