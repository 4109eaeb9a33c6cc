/// Reads table 三 (requests received and handled) from its region of the text, finding
/// rows by their labels and columns by the header's words.
enum RequestTableReader {
    static func read(_ region: Range<Int>, source: SourceText, rows reader: inout TableRows) throws(DisclosureError) -> DisclosureTable {
        let pieces = TablePieces.pieces(in: region, of: source)
        let catalogue = RequestRow.allCases.filter { !$0.keywords.isEmpty }.map { (code: $0.rawValue, keywords: $0.keywords) }
        let found = RowLabels.find(in: pieces, source: source, catalogue: catalogue, otherThreeCode: RequestRow.other3.rawValue)
        let tableLine = source.line(at: region.lowerBound)

        // Only the labels after the header count; the header names columns, not rows.
        guard let firstRow = found.hits.first(where: { $0.code == RequestRow.new.rawValue }) ?? found.hits.first else {
            throw DisclosureError(kind: .missingRow, line: tableLine, expected: "表三的“一、本年新收政府信息公开申请数量”等行")
        }
        let hits = found.hits.filter { $0.keyword >= firstRow.keyword }
        let columns = self.columns(header: source.originalToCompact[region.lowerBound]..<firstRow.start, source: source)

        // An outcome group is a row of its own only when the report prints no sub-items for it.
        let codes = Set(hits.map(\.code))
        var leaves: [LabelHit] = []
        var seen = Set<String>()
        for hit in hits {
            guard let row = RequestRow(rawValue: hit.code) else { continue }
            if RequestRow.groups.contains(row), row.subItems.contains(where: { codes.contains($0.rawValue) }) { continue }
            if seen.contains(hit.code) {
                reader.notices.append(ReadingNotice(.repeatedRow, line: hit.line, "第\(hit.line)行：表三“\(hit.label)”行出现两次，取第一次"))
                continue
            }
            seen.insert(hit.code)
            leaves.append(hit)
        }
        try requireRows(leaves, tableLine: tableLine)

        let rows = try reader.numberRows(pieces, width: columns.count, labelled: found.labelled)
            .filter { $0.offset > firstRow.offset || $0.line >= firstRow.line - 1 }
        let pairs = try reader.pair(labels: leaves, rows: rows, width: columns.count)
        let totalIndex = columns.count - 1
        let block = DigitSplitter.Block(parts: 0..<totalIndex, total: totalIndex)
        var read: [(row: DisclosureRow, offset: Int)] = []
        for (hit, numbers) in pairs {
            let (cells, runTogether) = try reader.cells(for: numbers, label: hit.label, line: hit.line, columns: columns,
                                                        blocks: [block], kind: .count)
            read.append((DisclosureRow(code: hit.code, label: hit.label, line: hit.line, cells: cells, runTogether: runTogether),
                         numbers.offset))
        }
        let order = RequestRow.allCases.map(\.rawValue)
        read.sort { (order.firstIndex(of: $0.row.code) ?? 0) < (order.firstIndex(of: $1.row.code) ?? 0) }
        var tableRows = read.map(\.row)
        // A row that its own total cannot settle (220000022: 22,0,…,22 or 2,20,…,22) may be
        // settled by the columns: what each candidate puts in a column must agree with the
        // rest of that column.
        try reader.settle(&tableRows, offsets: read.map(\.offset), columns: columns, identities: columnIdentities(tableRows),
                          rule: "各列勾稽关系（各项办理结果之和等于总计；第一项加第二项之和等于第三项加第四项之和）", kind: .count)
        return DisclosureTable(id: .requests, title: DisclosureTableID.requests.title, columns: columns, rows: tableRows, line: tableLine)
    }

    /// The identities every column of table 三 obeys, by row index: the outcome rows sum to
    /// (七) 总计, and 新收 + 上年结转 = 总计 + 结转下年度.
    static func columnIdentities(_ rows: [DisclosureRow]) -> [DigitSplitter.ColumnIdentity] {
        typealias Term = DigitSplitter.ColumnIdentity.Term
        func index(_ row: RequestRow) -> Int? { rows.firstIndex { $0.code == row.rawValue } }
        var identities: [DigitSplitter.ColumnIdentity] = []
        guard let total = index(.total) else { return [] }
        let outcomes = rows.indices.filter { RequestRow(rawValue: rows[$0].code)?.isOutcome ?? false }
        if !outcomes.isEmpty {
            identities.append(.init(terms: outcomes.map { Term(row: $0, coefficient: 1) } + [Term(row: total, coefficient: -1)]))
        }
        if let new = index(.new), let over = index(.carriedOver), let forward = index(.carriedForward) {
            identities.append(.init(terms: [Term(row: new, coefficient: 1), Term(row: over, coefficient: 1),
                                            Term(row: total, coefficient: -1), Term(row: forward, coefficient: -1)]))
        }
        return identities
    }

    /// The applicant columns the header names: 自然人, the kinds of 法人 it breaks down, 总计.
    static func columns(header: Range<Int>, source: SourceText) -> [DisclosureColumn] {
        let organisations = RequestColumn.organisations.filter {
            source.firstCompact(of: $0.headerKeyword, in: header) != nil
        }
        var kinds: [RequestColumn] = [.naturalPerson]
        if !organisations.isEmpty {
            kinds += organisations
        } else if source.firstCompact(of: "法人", in: header) != nil {
            kinds.append(.legalPerson)
        } else {
            kinds += RequestColumn.organisations
        }
        kinds.append(.total)
        return kinds.map { DisclosureColumn(code: $0.rawValue, label: $0.label) }
    }

    /// Every row the format requires, each group either as one row or all its sub-items.
    private static func requireRows(_ leaves: [LabelHit], tableLine: Int) throws(DisclosureError) {
        let present = Set(leaves.map(\.code))
        var required: [RequestRow] = [.new, .carriedOver, .disclosed, .partlyDisclosed]
        for group in RequestRow.groups {
            let subItems = group.subItems
            if present.contains(group.rawValue) {
                required.append(group)
            } else {
                required += subItems
            }
        }
        required += [.total, .carriedForward]
        var lastLine = tableLine
        for row in required {
            if let hit = leaves.first(where: { $0.code == row.rawValue }) {
                lastLine = max(lastLine, hit.line)
                continue
            }
            throw DisclosureError(kind: .missingRow, line: lastLine, expected: "表三“\(row.label)”一行")
        }
    }
}
