public import Foundation

/// The checks the arithmetic checker applies, by stable code.
public enum DisclosureCheck: String, Codable, Sendable, CaseIterable {
    /// Per column of table 三: 新收 + 上年结转 = (七)总计 + 结转下年度.
    case carryoverIdentity = "carryover_identity"
    /// Per column of table 三: the outcome rows (and sub-items) add up to (七)总计.
    case outcomeSum = "outcome_sum"
    /// Per row of table 三: 自然人 + the 法人 columns = 总计.
    case rowTotal = "row_total"
    /// Per group of table 四: 维持 + 纠正 + 其他 + 尚未审结 = 总计.
    case appealTotal = "appeal_total"
    /// Last year's 结转下年度 = this year's 上年结转, per column.
    case crossYearCarryover = "cross_year_carryover"
    /// A figure in the text disagrees with the tables.
    case narrativeMismatch = "narrative_mismatch"
    /// A table cell is blank where a number belongs.
    case blankCell = "blank_cell"
    /// Section 五 says nothing.
    case emptySection = "empty_section"
    /// The report's new-media claims disagree with the monitor's register and scores.
    case monitorMismatch = "monitor_mismatch"
}

/// One thing the numbers call for: which check, where (Chinese table, row and column names,
/// plus stable codes), what was expected and what is printed.
public struct DisclosureFinding: Codable, Sendable, Equatable {
    /// Which check.
    public var check: DisclosureCheck
    /// The table's (or section's) Chinese name, e.g. 三、收到和处理政府信息公开申请情况.
    public var table: String
    /// The row as printed, when the finding is about one row.
    public var row: String?
    /// The column's Chinese name, when the finding is about one column.
    public var column: String?
    /// The table's code, when the finding is about a table.
    public var tableCode: DisclosureTableID?
    /// The row's code, e.g. `carried_over`.
    public var rowCode: String?
    /// The column's code, e.g. `natural_person`.
    public var columnCode: String?
    /// What the other figures say this one should be.
    public var expected: Decimal?
    /// What the report prints.
    public var actual: Decimal?
    /// The 1-based line of the printed figure, when known.
    public var line: Int?
    /// The finding in Chinese, for officers.
    public var message: String

    /// Creates a finding.
    public init(
        check: DisclosureCheck, table: String, row: String? = nil, column: String? = nil, tableCode: DisclosureTableID? = nil,
        rowCode: String? = nil, columnCode: String? = nil, expected: Decimal? = nil, actual: Decimal? = nil,
        line: Int? = nil, message: String
    ) {
        self.check = check
        self.table = table
        self.row = row
        self.column = column
        self.tableCode = tableCode
        self.rowCode = rowCode
        self.columnCode = columnCode
        self.expected = expected
        self.actual = actual
        self.line = line
        self.message = message
    }

    private enum CodingKeys: String, CodingKey {
        case check, table, row, column, tableCode, rowCode, columnCode, expected, actual, line, message
    }

    /// Decodes, reading figures from decimal strings so nothing is rounded.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        check = try container.decode(DisclosureCheck.self, forKey: .check)
        table = try container.decode(String.self, forKey: .table)
        row = try container.decodeIfPresent(String.self, forKey: .row)
        column = try container.decodeIfPresent(String.self, forKey: .column)
        tableCode = try container.decodeIfPresent(DisclosureTableID.self, forKey: .tableCode)
        rowCode = try container.decodeIfPresent(String.self, forKey: .rowCode)
        columnCode = try container.decodeIfPresent(String.self, forKey: .columnCode)
        expected = try container.decodeIfPresent(String.self, forKey: .expected).flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) }
        actual = try container.decodeIfPresent(String.self, forKey: .actual).flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) }
        line = try container.decodeIfPresent(Int.self, forKey: .line)
        message = try container.decode(String.self, forKey: .message)
    }

    /// Encodes figures as decimal strings.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(check, forKey: .check)
        try container.encode(table, forKey: .table)
        try container.encodeIfPresent(row, forKey: .row)
        try container.encodeIfPresent(column, forKey: .column)
        try container.encodeIfPresent(tableCode, forKey: .tableCode)
        try container.encodeIfPresent(rowCode, forKey: .rowCode)
        try container.encodeIfPresent(columnCode, forKey: .columnCode)
        try container.encodeIfPresent(expected.map { "\($0)" }, forKey: .expected)
        try container.encodeIfPresent(actual.map { "\($0)" }, forKey: .actual)
        try container.encodeIfPresent(line, forKey: .line)
        try container.encode(message, forKey: .message)
    }
}
