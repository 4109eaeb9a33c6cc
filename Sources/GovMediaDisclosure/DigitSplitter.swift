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
        /// The row, or the report, ran out of search budget before the splits were all seen.
        case tooHard
    }

    /// The work left for one report's searches, shared by its tables (one report is read
    /// on one thread, start to end).
    final class SplitBudget {
        var remaining: Int

        init(steps: Int = DigitSplitter.reportSteps) {
            remaining = steps
        }
    }

    /// Steps one row's search may take.
    static let rowSteps = 300_000
    /// Steps all the searches of one report may take together: a report of many hard rows
    /// must not take many times as long as one hard row.
    static let reportSteps = 600_000

    /// Splits printed groups (each a run of digits, or an atomic number such as `451.726`)
    /// into `count` cells.
    static func split(groups: [String], into count: Int, blocks: [Block], budget: SplitBudget) -> Outcome {
        guard count > 0, !groups.isEmpty, groups.count <= count else { return .impossible }
        let digitCount = groups.reduce(0) { $0 + $1.unicodeScalars.count }
        // Real rows run a few digits longer than their cell count; anything far longer is
        // not a row to guess at.
        guard digitCount <= count * 6 + 16, digitCount <= 160 else { return .impossible }
        if groups.count == count { return .unique(groups, addsUp: true) }
        var search = Search(groups: groups, count: count, blocks: blocks, wanted: 2, budget: budget)
        search.run()
        if search.solutions.count >= 2 {
            return .ambiguous(search.solutions[0], search.solutions[1])
        }
        // One solution is unique only if the search saw every cut.
        if search.exhausted { return .tooHard }
        if search.solutions.count == 1, let only = search.solutions.first {
            return .unique(only, addsUp: true)
        }
        guard !blocks.isEmpty else { return .impossible }
        var loose = Search(groups: groups, count: count, blocks: [], wanted: 2, budget: budget)
        loose.run()
        if loose.exhausted { return .tooHard }
        if loose.solutions.count == 1, let only = loose.solutions.first {
            return .unique(only, addsUp: false)
        }
        return .impossible
    }

    /// Every split that makes the row's totals add up, for `settle` to choose among; nil
    /// when there are more than `limit` or the search ran out of budget, since a choice
    /// among candidates that were never all seen could look unique when it is not.
    static func candidates(groups: [String], into count: Int, blocks: [Block], budget: SplitBudget, limit: Int = 64) -> [[String]]? {
        guard count > 0, !groups.isEmpty, groups.count <= count, !blocks.isEmpty else { return nil }
        let digitCount = groups.reduce(0) { $0 + $1.unicodeScalars.count }
        guard digitCount <= count * 6 + 16, digitCount <= 160 else { return nil }
        var search = Search(groups: groups, count: count, blocks: blocks, wanted: limit + 1, budget: budget)
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
    static func settle(known: [[Int?]], ambiguous: [Int: [[String]]], identities: [ColumnIdentity], budget: SplitBudget,
                       steps: Int = 200_000) -> [Int: [String]]? {
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
        var steps = steps
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
            budget.remaining -= 1
            if steps <= 0 || budget.remaining <= 0 {
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

    /// Depth-first search over cut points, stopping at `wanted` solutions or when the
    /// row's or the report's budget runs out. Cells are kept as digit ranges and values;
    /// text is made only for solutions, so a step costs a few integer operations.
    private struct Search {
        /// One printed group: its digits (0–9), or a number that must not be cut.
        private struct Group {
            var digits: [Int]
            var text: String
            /// Decimals and negatives: one cell, whose value counts only when it is whole.
            var atomic: Bool
            var atomicValue: Int?
        }

        private let groups: [Group]
        let count: Int
        let blocks: [Block]
        let wanted: Int
        let budget: SplitBudget
        var solutions: [[String]] = []
        var exhausted = false
        private var steps = DigitSplitter.rowSteps
        /// Each placed cell: its group and digit range (the whole group for an atomic one).
        private var cells: [(group: Int, range: Range<Int>)] = []
        private var values: [Int?] = []
        /// The cell index each block's total sits at, and the block, for a constant-time lookup.
        private let blockAtTotal: [Int: Block]
        private let inBlock: Set<Int>

        init(groups: [String], count: Int, blocks: [Block], wanted: Int, budget: SplitBudget) {
            self.groups = groups.map { text in
                let scalars = Array(text.unicodeScalars)
                let atomic = !scalars.allSatisfy(SourceText.isDigit)
                return Group(digits: atomic ? [] : scalars.map { Int($0.value) - 48 }, text: text, atomic: atomic,
                             atomicValue: atomic ? Int(text) : nil)
            }
            self.count = count
            self.blocks = blocks
            self.wanted = wanted
            self.budget = budget
            var atTotal: [Int: Block] = [:]
            for block in blocks where atTotal[block.total] == nil { atTotal[block.total] = block }
            blockAtTotal = atTotal
            inBlock = Set(blocks.flatMap { Array($0.parts) })
        }

        mutating func run() {
            cells.reserveCapacity(count)
            values.reserveCapacity(count)
            place(group: 0, position: 0)
        }

        /// Cells the groups from `group` on can still give (each digit one cell, an atomic group one).
        private func remainingMaximum(fromGroup group: Int, position: Int) -> Int {
            guard group < groups.count else { return 0 }
            var total = groups[group].atomic ? (position == 0 ? 1 : 0) : groups[group].digits.count - position
            for later in (group + 1)..<groups.count {
                total += groups[later].atomic ? 1 : groups[later].digits.count
            }
            return total
        }

        private mutating func place(group: Int, position: Int) {
            guard solutions.count < wanted else { return }
            steps -= 1
            budget.remaining -= 1
            if steps <= 0 || budget.remaining <= 0 {
                exhausted = true
                return
            }
            let index = cells.count
            if index == count {
                if group == groups.count {
                    solutions.append(cells.map { cell in
                        let group = groups[cell.group]
                        return group.atomic ? group.text : group.digits[cell.range].map(String.init).joined()
                    })
                }
                return
            }
            guard group < groups.count else { return }
            let left = count - index
            // Each unfinished group still needs at least one cell.
            guard left >= groups.count - group, left <= remainingMaximum(fromGroup: group, position: position) else { return }
            let current = groups[group]
            if current.atomic {
                guard position == 0 else { return }
                let value = current.atomicValue
                if blockAtTotal[index] != nil {
                    guard let value, let sum = blockSum(blockAtTotal[index]!), value == sum else { return }
                }
                push(group, 0..<0, value)
                place(group: group + 1, position: 0)
                pop()
                return
            }
            let digits = current.digits
            let available = digits.count - position
            // A block's total is forced: it must read as the sum of its parts.
            if let block = blockAtTotal[index] {
                guard let sum = blockSum(block) else { return }
                var length = 1
                var rest = sum / 10
                while rest > 0 { length += 1; rest /= 10 }
                guard length <= available, length == 1 || digits[position] != 0 else { return }
                var value = 0
                for offset in position..<(position + length) { value = value * 10 + digits[offset] }
                guard value == sum else { return }
                push(group, position..<(position + length), sum)
                advance(group: group, position: position + length)
                pop()
                return
            }
            let limit = min(available, inBlock.contains(index) ? 12 : 15)
            var value = 0
            for length in 1...max(1, limit) where length <= available {
                if length > 1, digits[position] == 0 { break }
                value = value * 10 + digits[position + length - 1]
                push(group, position..<(position + length), value)
                advance(group: group, position: position + length)
                pop()
                if solutions.count >= wanted || exhausted { return }
            }
        }

        private mutating func advance(group: Int, position: Int) {
            if position == groups[group].digits.count {
                place(group: group + 1, position: 0)
            } else {
                place(group: group, position: position)
            }
        }

        private mutating func push(_ group: Int, _ range: Range<Int>, _ value: Int?) {
            cells.append((group, range))
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
    }
}
