/// A number (or a blank) where a table cell may be: one printed token, which may still
/// hold several cells when a page ran the digits together.
struct CellToken: Equatable {
    /// The token as printed in the original text (e.g. `２７３７`, `6000017`, `—`).
    var printed: String
    /// The token normalised, thousands separators removed (e.g. `2737`); empty when blank.
    var digits: String
    /// Nothing, or a dash, was printed where a number belongs.
    var isBlank: Bool
    /// The 1-based line.
    var line: Int
    /// Offset in the text.
    var offset: Int
    /// The only token on its line (the flattened layout, or one cell per line), so a row
    /// may continue on the next line.
    var isAloneOnLine: Bool
    /// Came from a ` |`-terminated line of the flattened layout.
    var isFlattenedCell: Bool
}

/// What a table region is made of, in text order.
enum TablePiece: Equatable {
    /// A cell token.
    case cell(CellToken)
    /// A stretch of words (labels, headers, notes), as offsets into the text.
    case text(Range<Int>, line: Int)
}

/// Splits a region of the text into cell tokens and words, line by line, understanding
/// both the flattened layout (a cell per line ending in ` |`) and spaced layouts (cells
/// separated by spaces, tabs or inner pipes, or run together).
enum TablePieces {
    static func pieces(in range: Range<Int>, of source: SourceText) -> [TablePiece] {
        guard !range.isEmpty else { return [] }
        var pieces: [TablePiece] = []
        // Lines that are only pipes or empty; they may turn out to be blank cells.
        var pendingBlank: (line: Int, offset: Int, printed: String)?
        var previousWasFlattened = false
        let firstLine = source.line(at: range.lowerBound)
        let lastLine = source.line(at: max(range.lowerBound, range.upperBound - 1))
        for line in firstLine...lastLine {
            let start = max(source.lineStarts[line - 1], range.lowerBound)
            let end = min(source.lineEnds[line - 1], range.upperBound)
            guard start < end else {
                if previousWasFlattened, pendingBlank == nil {
                    pendingBlank = (line, start, "")
                }
                continue
            }
            let trimmed = trim(start..<end, in: source)
            if trimmed.isEmpty || source.scalars[trimmed].allSatisfy({ $0 == "|" }) {
                // A lone "|" between cells of a flattened row stands for a blank cell; longer
                // runs of pipes only mark header spans.
                let pipes = source.scalars[trimmed].count
                if previousWasFlattened, pipes <= 1, pendingBlank == nil {
                    pendingBlank = (line, trimmed.isEmpty ? start : trimmed.lowerBound, "")
                } else {
                    pendingBlank = nil
                }
                continue
            }
            let pipeCount = source.scalars[trimmed].filter { $0 == "|" }.count
            if pipeCount == 1, source.scalars[trimmed.upperBound - 1] == "|" {
                let content = trim(trimmed.lowerBound..<(trimmed.upperBound - 1), in: source)
                let token = flattenedCell(content, line: line, source: source)
                if let blank = pendingBlank {
                    if case .cell(let next)? = token, !next.isBlank {
                        pieces.append(.cell(CellToken(
                            printed: blank.printed, digits: "", isBlank: true, line: blank.line,
                            offset: blank.offset, isAloneOnLine: true, isFlattenedCell: true)))
                    }
                    pendingBlank = nil
                }
                pieces.append(token ?? .text(content, line: line))
                previousWasFlattened = true
                continue
            }
            pendingBlank = nil
            previousWasFlattened = false
            pieces.append(contentsOf: SpacedLine.pieces(in: trimmed, line: line, source: source))
        }
        return pieces
    }

    /// A flattened cell: a number, a blank, or (nil) words.
    private static func flattenedCell(_ content: Range<Int>, line: Int, source: SourceText) -> TablePiece? {
        let printed = source.originalString(content)
        let normalised = String(String.UnicodeScalarView(source.scalars[content]))
        if content.isEmpty || isPlaceholder(normalised) {
            return .cell(CellToken(printed: printed, digits: "", isBlank: true, line: line,
                                   offset: content.lowerBound, isAloneOnLine: true, isFlattenedCell: true))
        }
        if let digits = numberDigits(normalised) {
            return .cell(CellToken(printed: printed, digits: digits, isBlank: false, line: line,
                                   offset: content.lowerBound, isAloneOnLine: true, isFlattenedCell: true))
        }
        return nil
    }

    /// `-`, `—`, `/`: printed in place of a number, which counts as blank.
    static func isPlaceholder(_ text: String) -> Bool {
        let allowed: Set<Unicode.Scalar> = ["-", "—", "–", "/", "\\", "_"]
        return !text.isEmpty && text.unicodeScalars.count <= 3 && text.unicodeScalars.allSatisfy { allowed.contains($0) }
    }

    /// The digits of a printed number (`2,737` → `2737`, `-15`, `451.726`), or nil.
    static func numberDigits(_ text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty, scalars.count <= 40 else { return nil }
        var index = 0
        var result = String.UnicodeScalarView()
        if scalars[0] == "-" {
            result.append("-")
            index = 1
        }
        var integerDigits = 0
        var sawComma = false
        var groupLength = 0
        while index < scalars.count, SourceText.isDigit(scalars[index]) || scalars[index] == "," {
            if scalars[index] == "," {
                // Thousands separators only: 1,234 or 12,345,678.
                guard integerDigits > 0, (!sawComma && integerDigits <= 3) || (sawComma && groupLength == 3) else { return nil }
                sawComma = true
                groupLength = 0
            } else {
                result.append(scalars[index])
                integerDigits += 1
                groupLength += 1
            }
            index += 1
        }
        guard integerDigits > 0, !sawComma || groupLength == 3 else { return nil }
        if index < scalars.count, scalars[index] == "." {
            result.append(".")
            index += 1
            var fraction = 0
            while index < scalars.count, SourceText.isDigit(scalars[index]) {
                result.append(scalars[index])
                index += 1
                fraction += 1
            }
            guard fraction > 0 else { return nil }
        }
        guard index == scalars.count else { return nil }
        return String(result)
    }

    /// The range without leading and trailing whitespace.
    static func trim(_ range: Range<Int>, in source: SourceText) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, SourceText.isSpace(source.scalars[lower]) { lower += 1 }
        while upper > lower, SourceText.isSpace(source.scalars[upper - 1]) { upper -= 1 }
        return lower..<upper
    }
}
