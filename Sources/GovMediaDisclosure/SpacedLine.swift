/// Reads one line of a spaced layout (web page or PDF text): cells separated by spaces,
/// tabs or inner pipes, labels and digits possibly run together (`予以公开6000017`,
/// `国家秘密00000002.其他法律…`).
enum SpacedLine {
    static func pieces(in range: Range<Int>, line: Int, source: SourceText) -> [TablePiece] {
        let scalars = source.scalars
        // Tabs and inner pipes separate fields; an empty field between filled ones is a blank cell.
        var fields: [Range<Int>] = []
        var fieldStart = range.lowerBound
        var hasSeparators = false
        for offset in range where scalars[offset] == "\t" || scalars[offset] == "|" {
            fields.append(fieldStart..<offset)
            fieldStart = offset + 1
            hasSeparators = true
        }
        fields.append(fieldStart..<range.upperBound)

        var pieces: [TablePiece] = []
        var pendingBlanks: [Int] = []
        var seenContent = false
        for field in fields {
            let trimmed = TablePieces.trim(field, in: source)
            if trimmed.isEmpty {
                if hasSeparators, seenContent { pendingBlanks.append(field.lowerBound) }
                continue
            }
            for offset in pendingBlanks {
                pieces.append(.cell(CellToken(printed: "", digits: "", isBlank: true, line: line, offset: offset,
                                              isAloneOnLine: false, isFlattenedCell: false)))
            }
            pendingBlanks.removeAll()
            seenContent = true
            pieces.append(contentsOf: scan(trimmed, line: line, source: source))
        }
        // Empty fields are blank cells only on a line that prints numbers; on header lines
        // they are just the gaps of a spanning heading.
        let printsNumbers = pieces.contains { if case .cell(let token) = $0 { !token.isBlank } else { false } }
        if !printsNumbers {
            pieces.removeAll { if case .cell(let token) = $0 { token.isBlank && token.printed.isEmpty } else { false } }
        }
        // A lone token on its line may be one cell of a row printed a cell per line.
        let cells = pieces.filter { if case .cell = $0 { true } else { false } }
        let texts = pieces.count - cells.count
        if cells.count == 1, texts == 0, case .cell(var only) = cells[0] {
            only.isAloneOnLine = true
            return [.cell(only)]
        }
        return pieces
    }

    /// Splits a field into number runs and words.
    private static func scan(_ range: Range<Int>, line: Int, source: SourceText) -> [TablePiece] {
        let scalars = source.scalars
        var pieces: [TablePiece] = []
        var textStart: Int?
        var index = range.lowerBound
        let end = range.upperBound

        func closeText(at offset: Int) {
            if let start = textStart {
                let trimmed = TablePieces.trim(start..<offset, in: source)
                let printed = String(String.UnicodeScalarView(scalars[trimmed]))
                if TablePieces.isPlaceholder(printed) {
                    pieces.append(.cell(CellToken(printed: source.originalString(trimmed), digits: "", isBlank: true,
                                                  line: line, offset: trimmed.lowerBound, isAloneOnLine: false,
                                                  isFlattenedCell: false)))
                } else if scalars[trimmed].contains(where: SourceText.isWordLike) {
                    pieces.append(.text(trimmed, line: line))
                }
            }
            textStart = nil
        }

        while index < end {
            let scalar = scalars[index]
            let startsNumber = SourceText.isDigit(scalar)
                || (scalar == "-" && index + 1 < end && SourceText.isDigit(scalars[index + 1])
                    && (index == range.lowerBound || !SourceText.isWordLike(scalars[index - 1])))
            guard startsNumber else {
                if textStart == nil { textStart = index }
                index += 1
                continue
            }
            var runEnd = index
            while runEnd < end, isRunScalar(scalars[runEnd]) { runEnd += 1 }
            var numbersEnd = runEnd
            while numbersEnd > index, SourceText.isSpace(scalars[numbersEnd - 1]) { numbersEnd -= 1 }
            // `…00000002.其他法律`: the last digit and its dot number the next label.
            var ordinalStart: Int?
            if runEnd < end, numbersEnd == runEnd {
                let next = scalars[runEnd]
                if scalars[runEnd - 1] == ".", runEnd - 2 >= index, SourceText.isDigit(scalars[runEnd - 2]),
                   SourceText.isCJK(next) || next == "“" || next == "\"" {
                    ordinalStart = runEnd - 2
                } else if next == "、", SourceText.isDigit(scalars[runEnd - 1]) {
                    ordinalStart = runEnd - 1
                }
            }
            if let ordinal = ordinalStart {
                closeText(at: index)
                appendNumbers(index..<ordinal, line: line, source: source, into: &pieces)
                textStart = ordinal
                index = runEnd
                continue
            }
            closeText(at: index)
            appendNumbers(index..<numbersEnd, line: line, source: source, into: &pieces)
            index = runEnd
        }
        closeText(at: end)
        return pieces
    }

    private static func isRunScalar(_ scalar: Unicode.Scalar) -> Bool {
        SourceText.isDigit(scalar) || scalar == "." || scalar == "," || scalar == "-" || scalar == " "
    }

    /// Turns a run such as `20 0 00 0 121` or `2648-18538` into tokens, one per printed group.
    private static func appendNumbers(_ range: Range<Int>, line: Int, source: SourceText, into pieces: inout [TablePiece]) {
        let scalars = source.scalars
        var chunks: [Range<Int>] = []
        var chunkStart: Int?
        for offset in range {
            let scalar = scalars[offset]
            if scalar == " " {
                if let start = chunkStart { chunks.append(start..<offset) }
                chunkStart = nil
            } else if scalar == "-", let start = chunkStart, offset > start, SourceText.isDigit(scalars[offset - 1]) {
                // A minus after a digit starts the next (negative) figure: `2648-18538`.
                chunks.append(start..<offset)
                chunkStart = offset
            } else if chunkStart == nil {
                chunkStart = offset
            }
        }
        if let start = chunkStart { chunks.append(start..<range.upperBound) }
        for chunk in chunks {
            var trimmed = chunk
            // A dot or comma left at the end belongs to the sentence, not the number.
            while trimmed.count > 1, let last = scalars[trimmed].last, last == "." || last == "," {
                trimmed = trimmed.lowerBound..<(trimmed.upperBound - 1)
            }
            let normalised = String(String.UnicodeScalarView(scalars[trimmed]))
            if TablePieces.isPlaceholder(normalised) {
                pieces.append(.cell(CellToken(printed: source.originalString(trimmed), digits: "", isBlank: true, line: line,
                                              offset: trimmed.lowerBound, isAloneOnLine: false, isFlattenedCell: false)))
            } else if let digits = TablePieces.numberDigits(normalised) {
                pieces.append(.cell(CellToken(printed: source.originalString(trimmed), digits: digits, isBlank: false,
                                              line: line, offset: trimmed.lowerBound, isAloneOnLine: false,
                                              isFlattenedCell: false)))
            } else if let commaless = splitOnCommas(normalised) {
                // `0,0,0`: commas used as separators, not thousands.
                var offset = trimmed.lowerBound
                for part in commaless {
                    let length = part.unicodeScalars.count
                    pieces.append(.cell(CellToken(printed: part, digits: part, isBlank: false, line: line, offset: offset,
                                                  isAloneOnLine: false, isFlattenedCell: false)))
                    offset += length + 1
                }
            } else {
                pieces.append(.text(trimmed, line: line))
            }
        }
    }

    private static func splitOnCommas(_ text: String) -> [String]? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1, parts.allSatisfy({ !$0.isEmpty && TablePieces.numberDigits($0) != nil }) else { return nil }
        return parts
    }
}
