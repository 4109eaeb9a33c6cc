/// The report's text prepared for reading: normalised scalar by scalar, split into lines,
/// and a "compact" view without whitespace for finding labels that PDF text breaks apart.
///
/// Normalisation is one scalar for one scalar (full-width → half-width, odd spaces → space),
/// so an offset means the same place in the original and the normalised text, and labels
/// can be shown as printed.
struct SourceText {
    /// The text as given.
    let original: [Unicode.Scalar]
    /// The text normalised, same length as `original`.
    let scalars: [Unicode.Scalar]
    /// Offset where each line starts (line n starts at `lineStarts[n - 1]`).
    let lineStarts: [Int]
    /// Offset just past the last character of each line (before its line break).
    let lineEnds: [Int]
    /// Normalised text without whitespace.
    let compact: [Unicode.Scalar]
    /// For each compact scalar, its offset in `scalars`.
    let compactToOriginal: [Int]
    /// For each offset in `scalars`, the index of the first compact scalar at or after it.
    let originalToCompact: [Int]

    init(_ text: String) {
        let original = Array(text.unicodeScalars)
        self.original = original
        var scalars = original.map(SourceText.normalise)
        var starts = [0]
        var ends: [Int] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\n" || scalar == "\r" {
                ends.append(index)
                if scalar == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" { index += 1 }
                starts.append(index + 1)
            }
            index += 1
        }
        ends.append(scalars.count)
        // Page numbers of PDF text ("- 3 -") would otherwise read as table cells.
        for (start, end) in zip(starts, ends) where SourceText.isPageNumber(scalars[start..<end]) {
            for offset in start..<end { scalars[offset] = " " }
        }
        self.scalars = scalars
        self.lineStarts = starts
        self.lineEnds = ends
        var compact: [Unicode.Scalar] = []
        var compactToOriginal: [Int] = []
        var originalToCompact: [Int] = []
        compact.reserveCapacity(scalars.count)
        originalToCompact.reserveCapacity(scalars.count + 1)
        for (offset, scalar) in scalars.enumerated() {
            originalToCompact.append(compact.count)
            if !SourceText.isSpace(scalar) {
                compact.append(scalar)
                compactToOriginal.append(offset)
            }
        }
        originalToCompact.append(compact.count)
        self.compact = compact
        self.compactToOriginal = compactToOriginal
        self.originalToCompact = originalToCompact
    }

    /// Number of lines.
    var lineCount: Int { lineStarts.count }

    /// The 1-based line holding the offset.
    func line(at offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low + 1
    }

    /// The 1-based line of a compact index.
    func line(atCompact index: Int) -> Int {
        line(at: originalOffset(ofCompact: index))
    }

    /// The offset in the text of a compact index (the end of text when past the end).
    func originalOffset(ofCompact index: Int) -> Int {
        index < compactToOriginal.count ? compactToOriginal[index] : scalars.count
    }

    /// The original text in a range, as printed.
    func originalString(_ range: Range<Int>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: original[range.clamped(to: 0..<original.count)])
        return String(view)
    }

    /// The original text in a range with all whitespace removed (for labels that wrap).
    func label(_ range: Range<Int>) -> String {
        var view = String.UnicodeScalarView()
        for offset in range.clamped(to: 0..<original.count) where !SourceText.isSpace(scalars[offset]) {
            view.append(original[offset])
        }
        return String(view)
    }

    /// The compact text between two compact indexes, as a String.
    func compactString(_ range: Range<Int>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: compact[range.clamped(to: 0..<compact.count)])
        return String(view)
    }

    /// Compact indexes where `needle` occurs inside `range` (compact indexes).
    func compactOccurrences(of needle: String, in range: Range<Int>) -> [Int] {
        let pattern = Array(needle.unicodeScalars.map(SourceText.normalise).filter { !SourceText.isSpace($0) })
        guard let first = pattern.first, !pattern.isEmpty else { return [] }
        let range = range.clamped(to: 0..<compact.count)
        var found: [Int] = []
        var index = range.lowerBound
        let last = range.upperBound - pattern.count
        while index <= last {
            if compact[index] == first {
                var matched = true
                for offset in 1..<pattern.count where compact[index + offset] != pattern[offset] {
                    matched = false
                    break
                }
                if matched { found.append(index) }
            }
            index += 1
        }
        return found
    }

    /// The first compact index of `needle` inside `range`.
    func firstCompact(of needle: String, in range: Range<Int>) -> Int? {
        let pattern = Array(needle.unicodeScalars.map(SourceText.normalise).filter { !SourceText.isSpace($0) })
        guard let first = pattern.first else { return nil }
        let range = range.clamped(to: 0..<compact.count)
        var index = range.lowerBound
        let last = range.upperBound - pattern.count
        while index <= last {
            if compact[index] == first {
                var matched = true
                for offset in 1..<pattern.count where compact[index + offset] != pattern[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    /// Finds a section heading such as `三、收到和处理…`: the numeral, a separator, and one of
    /// the keywords within `window` characters. Returns the compact index of the numeral.
    func heading(numeral: Unicode.Scalar, keywords: [String], window: Int, in range: Range<Int>) -> Int? {
        let range = range.clamped(to: 0..<compact.count)
        var index = range.lowerBound
        while index + 1 < range.upperBound {
            if compact[index] == numeral, SourceText.headingSeparators.contains(compact[index + 1]) {
                let start = index + 2
                let end = min(range.upperBound, start + window + 24)
                for keyword in keywords {
                    if let hit = firstCompact(of: keyword, in: start..<end), hit - start <= window {
                        return index
                    }
                }
            }
            index += 1
        }
        return nil
    }

    static let headingSeparators: Set<Unicode.Scalar> = ["、", ".", ",", ":"]

    /// Maps full-width forms to half-width and unusual spaces to a plain space.
    static func normalise(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0xFF01...0xFF5E:
            return Unicode.Scalar(scalar.value - 0xFEE0) ?? scalar
        case 0x3000, 0x00A0, 0x2000...0x200B, 0x202F, 0x205F, 0xFEFF:
            return " "
        case 0x2212, 0xFE63:
            return "-"
        default:
            return scalar
        }
    }

    /// Whitespace that never carries meaning inside a label.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{0B}" || scalar == "\u{0C}"
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 48 && scalar.value <= 57
    }

    /// CJK ideographs and letters: what makes a piece of text a word rather than punctuation.
    static func isWordLike(_ scalar: Unicode.Scalar) -> Bool {
        if isDigit(scalar) { return true }
        let value = scalar.value
        if (65...90).contains(value) || (97...122).contains(value) { return true }
        return (0x3400...0x9FFF).contains(value) || (0xF900...0xFAFF).contains(value) || (0x20000...0x2FFFF).contains(value)
    }

    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (0x3400...0x9FFF).contains(value) || (0xF900...0xFAFF).contains(value) || (0x20000...0x2FFFF).contains(value)
    }

    /// `- 3 -`, `— 3 —`, `第 3 页`, `3 / 5`: a PDF page footer, not part of any table.
    static func isPageNumber(_ line: ArraySlice<Unicode.Scalar>) -> Bool {
        let kept = line.filter { !isSpace($0) }
        guard !kept.isEmpty, kept.count <= 12 else { return false }
        let digits = kept.filter(isDigit)
        guard !digits.isEmpty else { return false }
        let others = kept.filter { !isDigit($0) }
        let dashes: Set<Unicode.Scalar> = ["-", "—", "–"]
        if let first = kept.first, let last = kept.last, dashes.contains(first), dashes.contains(last),
           others.allSatisfy({ dashes.contains($0) }) {
            return true
        }
        if let first = kept.first, let last = kept.last, first == "第", last == "页",
           others.allSatisfy({ $0 == "第" || $0 == "页" || $0 == "共" || $0 == "," || $0 == "/" }) {
            return true
        }
        return false
    }
}
