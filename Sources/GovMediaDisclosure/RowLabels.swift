/// A row label found in a table region: which row, and where.
struct LabelHit: Equatable {
    /// The row code.
    var code: String
    /// Compact index where the label (with its numbering such as `(一)` or `3.`) starts.
    var start: Int
    /// Compact index where the identifying keyword starts (orders hits).
    var keyword: Int
    /// The label as printed, whitespace removed.
    var label: String
    /// The 1-based line of the keyword.
    var line: Int
    /// Offset in the text of the keyword, for ordering against cells.
    var offset: Int
}

/// Finds row labels by their words, not their position, in the words of a table region.
///
/// Consecutive words are searched together without whitespace, so a label that PDF text
/// broke over two lines (`确认或重` / `新出具`) is still found.
enum RowLabels {
    /// Labels found, and for each piece whether it holds the keyword of a label.
    static func find(
        in pieces: [TablePiece], source: SourceText, catalogue: [(code: String, keywords: [String])],
        otherThreeCode: String? = nil, numbered: Bool = true
    ) -> (hits: [LabelHit], labelled: Set<Int>) {
        var hits: [LabelHit] = []
        var labelled = Set<Int>()
        var index = 0
        while index < pieces.count {
            guard case .text = pieces[index] else {
                index += 1
                continue
            }
            var last = index
            while last + 1 < pieces.count, case .text = pieces[last + 1] { last += 1 }
            guard case .text(let first, _) = pieces[index], case .text(let final, _) = pieces[last] else { break }
            let blockStart = source.originalToCompact[first.lowerBound]
            let blockEnd = source.originalToCompact[final.upperBound]
            var pieceRanges: [Range<Int>] = []
            for pieceIndex in index...last {
                if case .text(let range, _) = pieces[pieceIndex] {
                    pieceRanges.append(source.originalToCompact[range.lowerBound]..<source.originalToCompact[range.upperBound])
                }
            }
            let blockHits = hitsInBlock(blockStart..<blockEnd, pieces: pieceRanges, source: source, catalogue: catalogue,
                                        otherThreeCode: otherThreeCode, numbered: numbered)
            for hit in blockHits {
                hits.append(hit)
                for pieceIndex in index...last {
                    if case .text(let range, _) = pieces[pieceIndex], range.contains(hit.offset) {
                        labelled.insert(pieceIndex)
                    }
                }
            }
            index = last + 1
        }
        return (hits, labelled)
    }

    private static func hitsInBlock(
        _ block: Range<Int>, pieces: [Range<Int>], source: SourceText, catalogue: [(code: String, keywords: [String])],
        otherThreeCode: String?, numbered: Bool
    ) -> [LabelHit] {
        var found: [(code: String, keyword: Int, length: Int)] = []
        for entry in catalogue {
            var best: (Int, Int)?
            for keyword in entry.keywords {
                if let hit = source.firstCompact(of: keyword, in: block), best.map({ hit < $0.0 }) ?? true {
                    best = (hit, keyword.unicodeScalars.count)
                }
            }
            if let best { found.append((entry.code, best.0, best.1)) }
        }
        if let otherThreeCode {
            // “3.其他”: 其他 numbered and standing alone; 其他 appears inside many labels.
            for hit in source.compactOccurrences(of: "其他", in: block) {
                guard hit - 2 >= block.lowerBound else { continue }
                let mark = source.compact[hit - 1]
                guard mark == "." || mark == "、", SourceText.isDigit(source.compact[hit - 2]) else { continue }
                if hit + 2 < block.upperBound, SourceText.isCJK(source.compact[hit + 2]) { continue }
                found.append((otherThreeCode, hit, 2))
                break
            }
        }
        found.sort { $0.keyword < $1.keyword }
        // A label stays within its own piece of text: the words of one line, or one flattened
        // cell, between numbers.
        func piece(of index: Int) -> Range<Int> {
            pieces.first { $0.contains(index) } ?? block
        }
        var starts: [Int] = []
        var previousEnd = block.lowerBound
        for entry in found {
            let floor = max(previousEnd, piece(of: entry.keyword).lowerBound)
            // Labels numbered like (一), 3. or 四、 start at their number; others at their words.
            starts.append(numbered ? labelStart(keyword: entry.keyword, floor: floor, source: source) : entry.keyword)
            previousEnd = max(previousEnd, entry.keyword + entry.length)
        }
        var hits: [LabelHit] = []
        for (position, entry) in found.enumerated() {
            let pieceEnd = piece(of: entry.keyword).upperBound
            let next = position + 1 < found.count ? max(starts[position + 1], entry.keyword + entry.length) : block.upperBound
            let end = max(entry.keyword + entry.length, min(next, pieceEnd))
            let offset = source.originalOffset(ofCompact: entry.keyword)
            hits.append(LabelHit(
                code: entry.code, start: starts[position], keyword: entry.keyword,
                label: printedLabel(starts[position]..<end, source: source),
                line: source.line(at: offset), offset: offset))
        }
        return hits
    }

    /// Walks back from the keyword to the label's numbering: `(一)`, `3.`, `四、`.
    private static func labelStart(keyword: Int, floor: Int, source: SourceText) -> Int {
        let numerals: Set<Unicode.Scalar> = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        var index = keyword - 1
        let limit = max(floor, keyword - 14)
        while index >= limit {
            let scalar = source.compact[index]
            if scalar == "|" { break }
            if scalar == "(" { return index }
            if index + 1 < source.compact.count {
                let next = source.compact[index + 1]
                if SourceText.isDigit(scalar), next == "." || next == "、" { return index }
                if numerals.contains(scalar), next == "、" { return index }
            }
            index -= 1
        }
        return keyword
    }

    /// The label as printed (original characters), without the pipes of the flattened layout.
    private static func printedLabel(_ range: Range<Int>, source: SourceText) -> String {
        var view = String.UnicodeScalarView()
        for index in range.clamped(to: 0..<source.compact.count) {
            let scalar = source.original[source.compactToOriginal[index]]
            if scalar != "|" { view.append(scalar) }
        }
        return String(view)
    }
}
