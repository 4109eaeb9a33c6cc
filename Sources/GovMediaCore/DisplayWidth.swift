/// Terminal display width: CJK and other East Asian wide characters take two cells,
/// combining marks and zero-width characters none.
public enum DisplayWidth {
    public static func of(_ text: String) -> Int {
        var width = 0
        for s in text.unicodeScalars {
            // Printable ASCII is one cell: the common case, decided without a table.
            width += (0x20..<0x7F).contains(s.value) ? 1 : of(s)
        }
        return width
    }

    public static func of(_ s: Unicode.Scalar) -> Int {
        let v = s.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if v < 0x300 { return 1 }
        if isZeroWidth(v) { return 0 }
        return isWide(v) ? 2 : 1
    }

    private static func isZeroWidth(_ v: UInt32) -> Bool {
        (0x0300...0x036F).contains(v) || (0x200B...0x200F).contains(v) || (0xFE00...0xFE0F).contains(v)
            || v == 0xFEFF || (0x20D0...0x20FF).contains(v)
    }

    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
        0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF,
        0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    private static func isWide(_ v: UInt32) -> Bool {
        // The CJK Unified Ideographs block holds nearly every character officers type.
        if v >= 0x4E00 && v <= 0x9FFF { return true }
        if v < 0x1100 { return false }
        return wideRanges.contains { $0.contains(v) }
    }

    /// Cuts `text` to at most `width` cells, ending with `…` when cut.
    public static func truncate(_ text: String, to width: Int) -> String {
        guard of(text) > width else { return text }
        var out = ""
        var used = 0
        for ch in text {
            let w = ch.unicodeScalars.reduce(0) { $0 + of($1) }
            if used + w > width - 1 { break }
            out.append(ch)
            used += w
        }
        return out + "…"
    }
}

/// A plain-text table whose columns line up in a terminal whatever mix of Chinese and
/// Latin text they hold.
public struct TextTable: Sendable {
    /// How a column's cells sit in their width.
    public enum Alignment: Sendable { case left, right }

    public var headers: [String]
    public var alignments: [Alignment]
    public var rows: [[String]] = []
    /// Cells wider than this are cut with `…`.
    public var maxCellWidth: Int

    public init(headers: [String], alignments: [Alignment]? = nil, maxCellWidth: Int = 40) {
        self.headers = headers
        self.alignments = alignments ?? headers.map { _ in .left }
        self.maxCellWidth = maxCellWidth
    }

    public mutating func append(_ row: [String]) { rows.append(row) }

    /// The table as lines joined by newlines, with a final newline.
    public func render() -> String {
        // Each cell's text and width are worked out once: tables of ten thousand rows are normal.
        let cells: [[(text: String, width: Int)]] = ([headers] + rows).map { row in
            headers.indices.map { i in
                let flat = (i < row.count ? row[i] : "").replacingNewlines()
                let width = DisplayWidth.of(flat)
                guard width > maxCellWidth else { return (flat, width) }
                let cut = DisplayWidth.truncate(flat, to: maxCellWidth)
                return (cut, DisplayWidth.of(cut))
            }
        }
        var widths = [Int](repeating: 0, count: headers.count)
        for row in cells { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.width) } }
        var out = ""
        out.reserveCapacity(cells.count * (widths.reduce(0, +) + 2 * widths.count + 1))
        for (n, row) in cells.enumerated() {
            line(row, widths, into: &out)
            if n == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return out
    }

    private func line(_ row: [(text: String, width: Int)], _ widths: [Int], into out: inout String) {
        for (i, cell) in row.enumerated() {
            let pad = String(repeating: " ", count: widths[i] - cell.width)
            let isLast = i == row.count - 1
            if i > 0 { out += "  " }
            switch alignments[i] {
            case .left: out += isLast ? cell.text : cell.text + pad
            case .right: out += pad + cell.text
            }
        }
        out += "\n"
    }
}

extension String {
    /// Newlines and tabs as spaces, so one value stays on one table line.
    func replacingNewlines() -> String {
        guard utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return self }
        return String(unicodeScalars.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : Character($0) })
    }
}
