/// Reads section 二: the small tables of 第二十条 items (一), (五), (六), (八), each found by
/// its `第二十条第（X）项` marker, columns named by the header (current or 2019 format).
enum ProactiveTableReader {
    static func read(_ region: Range<Int>, source: SourceText, rows reader: inout TableRows) throws(DisclosureError) -> [DisclosureTable] {
        let compactRegion = source.originalToCompact[region.lowerBound]..<source.originalToCompact[region.upperBound]
        // Markers: 第二十条 then an optional 第, then (X).
        var markers: [(item: String, compact: Int)] = []
        for hit in source.compactOccurrences(of: "第二十条", in: compactRegion) {
            var index = hit + 4
            if index < compactRegion.upperBound, source.compact[index] == "第" { index += 1 }
            guard index + 2 < compactRegion.upperBound, source.compact[index] == "(" else { continue }
            var item = String.UnicodeScalarView()
            var cursor = index + 1
            while cursor < compactRegion.upperBound, cursor < index + 4, source.compact[cursor] != ")" {
                item.append(source.compact[cursor])
                cursor += 1
            }
            markers.append((String(item), hit))
        }
        var tables: [DisclosureTable] = []
        for id in [DisclosureTableID.rules, .licensing, .enforcement, .fees] {
            guard let position = markers.firstIndex(where: { $0.item == id.articleItem }) else {
                let line = markers.last.map { source.line(atCompact: $0.compact) } ?? source.line(at: region.lowerBound)
                throw DisclosureError(kind: .missingTable, line: line, expected: "“\(id.title)”表格（主动公开政府信息情况）")
            }
            let start = markers[position].compact
            let end = markers[(position + 1)...].map(\.compact).first ?? compactRegion.upperBound
            let subregion = source.originalOffset(ofCompact: start)..<source.originalOffset(ofCompact: end)
            tables.append(try readTable(id, subregion, source: source, rows: &reader))
        }
        return tables
    }

    private static func readTable(_ id: DisclosureTableID, _ region: Range<Int>, source: SourceText, rows reader: inout TableRows) throws(DisclosureError) -> DisclosureTable {
        let line = source.line(at: region.lowerBound)
        let pieces = TablePieces.pieces(in: region, of: source)
        let rowKinds = ProactiveRow.allCases.filter { $0.table == id }
        let found = RowLabels.find(in: pieces, source: source,
                                   catalogue: rowKinds.map { (code: $0.rawValue, keywords: $0.keywords) }, numbered: false)
        var hits: [LabelHit] = []
        for hit in found.hits where !hits.contains(where: { $0.code == hit.code }) { hits.append(hit) }
        for row in rowKinds where row.isRequired && !hits.contains(where: { $0.code == row.rawValue }) {
            throw DisclosureError(kind: .missingRow, line: hits.last?.line ?? line, expected: "“\(id.title)”表格的“\(row.label)”一行")
        }
        let headerEnd = hits.map(\.start).min() ?? source.originalToCompact[region.upperBound]
        let columns = self.columns(for: id, header: source.originalToCompact[region.lowerBound]..<headerEnd, source: source)
        var tableReader = reader
        let rows = try tableReader.numberRows(pieces, width: columns.count, labelled: found.labelled)
        let pairs = try tableReader.pair(labels: hits, rows: rows, width: columns.count)
        var tableRows: [DisclosureRow] = []
        for (hit, numbers) in pairs {
            let (cells, runTogether) = try tableReader.cells(for: numbers, label: hit.label, line: hit.line, columns: columns,
                                                             blocks: [], kind: .amount)
            tableRows.append(DisclosureRow(code: hit.code, label: hit.label, line: hit.line, cells: cells, runTogether: runTogether))
        }
        reader = tableReader
        return DisclosureTable(id: id, title: id.title, columns: columns, rows: tableRows, line: line)
    }

    /// Columns in the order the header names them; the current format's when it names none.
    private static func columns(for id: DisclosureTableID, header: Range<Int>, source: SourceText) -> [DisclosureColumn] {
        var named: [(Int, ProactiveColumn)] = []
        for column in ProactiveColumn.allCases {
            let positions = column.keywords.compactMap { source.firstCompact(of: $0, in: header) }
            if let first = positions.min() { named.append((first, column)) }
        }
        named.sort { $0.0 < $1.0 }
        var kinds = named.map(\.1)
        if kinds.isEmpty {
            switch id {
            case .rules: kinds = [.issued, .repealed, .inForce]
            case .licensing, .enforcement: kinds = [.decisions]
            default: kinds = [.amount]
            }
        }
        return kinds.map { DisclosureColumn(code: $0.rawValue, label: $0.label) }
    }
}
