/// Why a text could not be read as an annual report: the line, what was expected there,
/// and what was found, in words an officer can act on.
public struct DisclosureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of problem.
    public enum Kind: String, Sendable, Codable {
        /// The text does not look like an annual report at all.
        case notAReport = "not_a_report"
        /// A whole table (or section heading) is missing.
        case missingTable = "missing_table"
        /// A table lacks a row it must print.
        case missingRow = "missing_row"
        /// A cell holds something that is not a number.
        case notANumber = "not_a_number"
        /// A row holds more or fewer numbers than the table has columns.
        case wrongCellCount = "wrong_cell_count"
        /// The text is too large to be a report.
        case tooLarge = "too_large"
        /// The file or text stops early: mid-character or mid-table (截断).
        case truncated
    }

    /// The kind of problem.
    public var kind: Kind
    /// The 1-based line where the problem is (or where the missing part was expected).
    public var line: Int
    /// What was expected there, in Chinese.
    public var expected: String
    /// What was found instead, when something was.
    public var found: String?

    /// Creates an error.
    public init(kind: Kind, line: Int, expected: String, found: String? = nil) {
        self.kind = kind
        self.line = line
        self.expected = expected
        self.found = found
    }

    /// The full Chinese message, e.g. `第12行：应为数字（…），实为“abc”`.
    public var message: String {
        switch (kind, found) {
        case (.tooLarge, _), (.truncated, _):
            return "第\(line)行：\(expected)"
        case (.notAReport, _):
            return "第\(line)行起：应有\(expected)，但未找到，这不像是政府信息公开年报"
        case (_, let found?):
            return "第\(line)行：应为\(expected)，实为“\(found)”"
        case (_, nil):
            return "第\(line)行：应有\(expected)，但未找到"
        }
    }

    /// Same as `message`.
    public var description: String { message }
}
