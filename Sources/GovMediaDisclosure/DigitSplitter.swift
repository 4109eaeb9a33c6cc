/// Splits digits that a page ran together (`6000017` for 6,0,0,0,0,1,7) back into cells,
/// using the row's own totals: only a split that makes the totals add up, and only when
/// exactly one does, is accepted. When several do, `settle` lets the table's column
/// identities choose among them, again only when exactly one choice holds.
///
/// Numbers never start with 0 unless they are 0, and a printed space (or a minus sign)
/// always separates cells, which keeps the candidates few.
enum DigitSplitter {
    /// Cells `parts` add up to cell `total`.
    struct Block: Equatable {
        var parts: Range<Int>
        var total: Int
    }

    /// What came of splitting.
    enum Outcome: Equatable {
        /// Exactly one split; `addsUp` is false when none made the totals add up and this
        /// is the only way the digits can be cut at all.
        case unique([String], addsUp: Bool)
        /// Several splits fit; two of them, to show the officer.
        case ambiguous([String], [String])
        /// No split fits.
        case impossible
    }

    /// Splits printed groups (each a run of digits, or an atomic number such as `451.726`)
    /// into `count` cells.
    static func split(groups: [String], into count: Int, blocks: [Block]) -> Outcome {
        guard count > 0, !groups.isEmpty, groups.count <= count else { return .impossible }
        let digitCount = groups.reduce(0) { $0 + $1.unicodeScalars.count }
        // Real rows run a few digits longer than their cell count; anything far longer is
        // not a row to guess at.
        guard digitCount <= count * 6 + 16, digitCount <= 160 else { return .impossible }
        if groups.count == count { return .unique(groups, addsUp: true) }
        var search = Search(groups: groups.map { Array($0.unicodeScalars) }, count: count, blocks: blocks, wanted: 2)
        search.run()
        if search.solutions.count == 1, let only = search.solutions.first {
            return .unique(only, addsUp: true)
        }
        if search.solutions.count >= 2 {
            return .ambiguous(search.solutions[0], search.solutions[1])
        }
        guard !blocks.isEmpty, !search.exhausted else { return .impossible }
        var loose = Search(groups: groups.map { Array($0.unicodeScalars) }, count: count, blocks: [], wanted: 2)
        loose.run()
        if loose.solutions.count == 1, let only = loose.solutions.first, !loose.exhausted {
            return .unique(only, addsUp: false)
        }
        return .impossible
    }

    /// Every split that makes the row's totals add up, for `settle` to choose among; nil
    /// when there are more than `limit` or the search ran out of budget, since a choice
    /// among candidates that were never all seen could look unique when it is not.
    static func candidates(groups: [String], into count: Int, blocks: [Block], limit: Int = 64) -> [[String]]? {
        guard count > 0, !groups.isEmpty, groups.count <= count, !blocks.isEmpty else { return nil }
        let digitCount = groups.reduce(0) { $0 + $1.unicodeScalars.count }
        guard digitCount <= count * 6 + 16, digitCount <= 160 else { return nil }
        var search = Search(groups: groups.map { Array($0.unicodeScalars) }, count: count, blocks: blocks, wanted: limit + 1)
        search.run()
        guard !search.exhausted, search.solutions.count <= limit else { return nil }
        return search.solutions
    }

    /// An identity that holds in every column of a table: the sum of `coefficient × cell`
    /// over its terms is 0 (e.g. the outcome rows minus the (七) total row).
    struct ColumnIdentity: Equatable {
        /// One row of the identity and its coefficient (+1 or −1 in practice).
        struct Term: Equatable {
            var row: Int
            var coefficient: Int
        }

        var terms: [Term]
    }

    /// Chooses one candidate split for each ambiguous row so that every column identity
    /// holds wherever all its cells are known, and returns the choice only when exactly one
    /// does; nil when none or several do, or the search grows too large.
    ///
    /// - Parameters:
    ///   - known: the table's values by row and column; nil for cells not known (blank,
    ///     unresolved, not a whole number). Ambiguous rows' own cells are ignored.
    ///   - ambiguous: for each ambiguous row index, its candidate splits (each as wide as the table).
    ///   - identities: identities that hold in every column.
    static func settle(known: [[Int?]], ambiguous: [Int: [[String]]], identities: [ColumnIdentity], budget: Int = 200_000)
        -> [Int: [String]]? {
        guard !ambiguous.isEmpty, !identities.isEmpty, let width = known.first?.count else { return nil }
        let rows = ambiguous.keys.sorted()
        var options: [[[Int]]] = []
        for row in rows {
            guard row < known.count, let splits = ambiguous[row], !splits.isEmpty else { return nil }
            var values: [[Int]] = []
            for split in splits {
                let numbers = split.compactMap { Int($0) }
                guard numbers.count == width, split.count == width else { return nil }
                values.append(numbers)
            }
            options.append(values)
        }
        var grid = known
        for row in rows { grid[row] = Array(repeating: nil, count: width) }
        var chosen: [Int] = []
        var found: [[Int]] = []
        var steps = budget
        var exhausted = false

        // Checks only the identities that mention the row just placed: the others were
        // checked when their last unknown row was placed, or cannot be checked yet.
        func holds(after row: Int) -> Bool {
            for identity in identities where identity.terms.contains(where: { $0.row == row }) {
                for column in 0..<width {
                    var sum = 0
                    var complete = true
                    for term in identity.terms {
                        guard term.row < grid.count, column < grid[term.row].count, let value = grid[term.row][column] else {
                            complete = false
                            break
                        }
                        sum += term.coefficient * value
                    }
                    if complete, sum != 0 { return false }
                }
            }
            return true
        }

        func place(_ position: Int) {
            guard found.count < 2, !exhausted else { return }
            steps -= 1
            if steps <= 0 {
                exhausted = true
                return
            }
            if position == rows.count {
                found.append(chosen)
                return
            }
            let row = rows[position]
            for (index, values) in options[position].enumerated() {
                grid[row] = values.map { Optional($0) }
                if holds(after: row) {
                    chosen.append(index)
                    place(position + 1)
                    chosen.removeLast()
                }
                if found.count >= 2 || exhausted { break }
            }
            grid[row] = Array(repeating: nil, count: width)
        }

        place(0)
        guard !exhausted, found.count == 1, let only = found.first else { return nil }
        var result: [Int: [String]] = [:]
        for (position, row) in rows.enumerated() {
            result[row] = ambiguous[row]?[only[position]]
        }
        return result
    }

    /// Depth-first search over cut points, stopping at `wanted` solutions or a work budget.
    private struct Search {
        let groups: [[Unicode.Scalar]]
        let count: Int
        let blocks: [Block]
        let wanted: Int
        var solutions: [[String]] = []
        var exhausted = false
        private var budget = 300_000
        private var cells: [String] = []
        private var values: [Int?] = []

        init(groups: [[Unicode.Scalar]], count: Int, blocks: [Block], wanted: Int) {
            self.groups = groups
            self.count = count
            self.blocks = blocks
            self.wanted = wanted
        }

        mutating func run() {
            cells.reserveCapacity(count)
            place(group: 0, position: 0)
        }

        /// Whether the group is a single number that must not be cut (decimals, negatives).
        private func isAtomic(_ group: Int) -> Bool {
            !groups[group].allSatisfy(SourceText.isDigit)
        }

        private func remainingMinimum(fromGroup group: Int, position: Int) -> Int {
            // Each unfinished group still needs at least one cell.
            group < groups.count ? groups.count - group : 0
        }

        private func remainingMaximum(fromGroup group: Int, position: Int) -> Int {
            guard group < groups.count else { return 0 }
            var total = isAtomic(group) ? (position == 0 ? 1 : 0) : groups[group].count - position
            for later in (group + 1)..<groups.count {
                total += isAtomic(later) ? 1 : groups[later].count
            }
            return total
        }

        private mutating func place(group: Int, position: Int) {
            guard solutions.count < wanted else { return }
            budget -= 1
            if budget <= 0 {
                exhausted = true
                return
            }
            let index = cells.count
            if index == count {
                if group == groups.count {
                    solutions.append(cells)
                }
                return
            }
            guard group < groups.count else { return }
            let left = count - index
            guard left >= remainingMinimum(fromGroup: group, position: position),
                  left <= remainingMaximum(fromGroup: group, position: position) else { return }
            let digits = groups[group]
            if isAtomic(group) {
                guard position == 0 else { return }
                let text = String(String.UnicodeScalarView(digits))
                let value = Int(text)
                guard fitsBlock(index: index, value: value) else { return }
                push(text, value)
                place(group: group + 1, position: 0)
                pop()
                return
            }
            let available = digits.count - position
            // A block's total is forced: it must read as the sum of its parts.
            if let block = blocks.first(where: { $0.total == index }) {
                guard let sum = blockSum(block) else { return }
                let text = Array(String(sum).unicodeScalars)
                guard text.count <= available, Array(digits[position..<(position + text.count)]) == text else { return }
                push(String(String.UnicodeScalarView(text)), sum)
                advance(group: group, position: position + text.count)
                pop()
                return
            }
            let maxLength = min(available, 15)
            for length in 1...max(1, maxLength) where length <= available {
                if length > 1, digits[position] == "0" { break }
                let slice = digits[position..<(position + length)]
                let text = String(String.UnicodeScalarView(slice))
                guard let value = Int(text) else { break }
                if !blockAllows(index: index, value: value) { break }
                push(text, value)
                advance(group: group, position: position + length)
                pop()
                if solutions.count >= wanted || exhausted { return }
            }
        }

        private mutating func advance(group: Int, position: Int) {
            if position == groups[group].count {
                place(group: group + 1, position: 0)
            } else {
                place(group: group, position: position)
            }
        }

        private mutating func push(_ text: String, _ value: Int?) {
            cells.append(text)
            values.append(value)
        }

        private mutating func pop() {
            cells.removeLast()
            values.removeLast()
        }

        private func blockSum(_ block: Block) -> Int? {
            var sum = 0
            for index in block.parts {
                guard index < values.count, let value = values[index] else { return nil }
                let (next, overflow) = sum.addingReportingOverflow(value)
                if overflow { return nil }
                sum = next
            }
            return sum
        }

        /// A part can never exceed its block's total, which is at most as long as the
        /// digits that remain; a cheap bound that prunes long cuts early.
        private func blockAllows(index: Int, value: Int) -> Bool {
            guard blocks.contains(where: { $0.parts.contains(index) }) else { return true }
            return value <= 999_999_999_999
        }

        private func fitsBlock(index: Int, value: Int?) -> Bool {
            guard let block = blocks.first(where: { $0.total == index }) else { return true }
            guard let value, let sum = blockSum(block) else { return false }
            return value == sum
        }
    }
}
