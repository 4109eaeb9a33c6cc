public import Foundation

/// One table cell as read from the report.
///
/// Values are `Decimal`, never `Double`, so 451.726 万元 stays 451.726; in JSON the value
/// is written as its decimal string for the same reason.
public struct DisclosureCell: Codable, Sendable, Equatable {
    /// What the cell holds.
    public enum Status: String, Codable, Sendable {
        /// A number was printed.
        case number
        /// Nothing (or a dash) was printed where a number belongs.
        case blank
        /// The row's digits ran together and could not be split with certainty.
        case unresolved
    }

    /// What the cell holds.
    public var status: Status
    /// The cell as printed, trimmed; empty when blank or unresolved.
    public var text: String
    /// The exact value when `status == .number`.
    public var value: Decimal?
    /// The 1-based line of the source text the cell came from.
    public var line: Int

    /// A cell holding a printed number.
    public init(text: String, value: Decimal, line: Int) {
        self.status = .number
        self.text = text
        self.value = value
        self.line = line
    }

    /// A blank or unresolved cell.
    public init(status: Status, text: String = "", line: Int) {
        self.status = status
        self.text = text
        self.value = nil
        self.line = line
    }

    private enum CodingKeys: String, CodingKey { case status, text, value, line }

    /// Decodes the value from its decimal string, so no binary rounding creeps in.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decode(Status.self, forKey: .status)
        text = try container.decode(String.self, forKey: .text)
        line = try container.decode(Int.self, forKey: .line)
        if let string = try container.decodeIfPresent(String.self, forKey: .value) {
            guard let decimal = Decimal(string: string, locale: Locale(identifier: "en_US_POSIX")) else {
                throw DecodingError.dataCorruptedError(forKey: .value, in: container, debugDescription: "不是数字：\(string)")
            }
            value = decimal
        } else {
            value = nil
        }
    }

    /// Encodes the value as its decimal string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(text, forKey: .text)
        try container.encode(line, forKey: .line)
        try container.encodeIfPresent(value.map { "\($0)" }, forKey: .value)
    }
}

/// A column of a table: stable code and Chinese label.
public struct DisclosureColumn: Codable, Sendable, Equatable {
    /// Stable code, e.g. `natural_person`.
    public var code: String
    /// Chinese label, e.g. 自然人.
    public var label: String

    /// Creates a column.
    public init(code: String, label: String) {
        self.code = code
        self.label = label
    }
}

/// A row of a table: stable code, label as printed, and one cell per column.
public struct DisclosureRow: Codable, Sendable, Equatable {
    /// Stable code, e.g. `withheld.3`.
    public var code: String
    /// The label as printed (spaces and line breaks removed).
    public var label: String
    /// The 1-based line of the row's label.
    public var line: Int
    /// One cell per column of the table, in column order.
    public var cells: [DisclosureCell]
    /// The row's digits as printed when they ran together (e.g. `6000017`), else nil.
    public var runTogether: String?

    /// Creates a row.
    public init(code: String, label: String, line: Int, cells: [DisclosureCell], runTogether: String? = nil) {
        self.code = code
        self.label = label
        self.line = line
        self.cells = cells
        self.runTogether = runTogether
    }
}

/// A table as read: title, column headers and rows, ready to print back or store.
public struct DisclosureTable: Codable, Sendable, Equatable {
    /// Which table this is.
    public var id: DisclosureTableID
    /// The table's title, e.g. 第二十条第（一）项.
    public var title: String
    /// The columns, in printed order.
    public var columns: [DisclosureColumn]
    /// The rows, in printed order.
    public var rows: [DisclosureRow]
    /// The 1-based line where the table starts.
    public var line: Int

    /// Creates a table.
    public init(id: DisclosureTableID, title: String, columns: [DisclosureColumn], rows: [DisclosureRow], line: Int) {
        self.id = id
        self.title = title
        self.columns = columns
        self.rows = rows
        self.line = line
    }

    /// The row with the given code.
    public func row(_ code: String) -> DisclosureRow? {
        rows.first { $0.code == code }
    }

    /// The column with the given code.
    public func column(_ code: String) -> DisclosureColumn? {
        columns.first { $0.code == code }
    }

    /// The cell at (row code, column code), or nil when the report has no such row or column.
    public func cell(row: String, column: String) -> DisclosureCell? {
        guard let index = columns.firstIndex(where: { $0.code == column }),
              let found = self.row(row), index < found.cells.count else { return nil }
        return found.cells[index]
    }

    /// The number at (row code, column code), or nil when missing, blank or unresolved.
    public func value(row: String, column: String) -> Decimal? {
        cell(row: row, column: column)?.value
    }
}

/// What kind of figure a sentence of the report's text states.
public enum NarrativeKind: String, Codable, Sendable, CaseIterable {
    /// 受理/收到/接收 … 申请 N 件, or 其中本年新收 N 件.
    case requestsReceived = "requests_received"
    /// 共收到 … 申请 N 件，其中本年新收 …、上年结转 …: received including last year's carry-over.
    case requestsReceivedWithCarryOver = "requests_received_with_carried_over"
    /// 答复/办结 N 件.
    case requestsAnswered = "requests_answered"
    /// 答复率 X%.
    case answerRate = "answer_rate"
    /// 剩余/结转 N 件 (to next year).
    case carriedForward = "carried_forward"
    /// 上年结转 N 件.
    case carriedOver = "carried_over"
    /// 政务新媒体 N 个.
    case newMediaAccounts = "new_media_accounts"
    /// 政务新媒体 … 达标率/合格率 X%.
    case newMediaPassRate = "new_media_pass_rate"
    /// 主动公开政府信息 N 条.
    case proactiveItems = "proactive_items"
    /// 行政复议 … N 件.
    case reconsiderationCases = "reconsideration_cases"
    /// 行政诉讼 … N 件.
    case litigationCases = "litigation_cases"

    /// Chinese name of the figure.
    public var label: String {
        switch self {
        case .requestsReceived: "正文所述受理申请数"
        case .requestsReceivedWithCarryOver: "正文所述收到申请数（含上年结转）"
        case .requestsAnswered: "正文所述答复（办结）数"
        case .answerRate: "正文所述答复率"
        case .carriedForward: "正文所述结转下年度数"
        case .carriedOver: "正文所述上年结转数"
        case .newMediaAccounts: "正文所述政务新媒体数量"
        case .newMediaPassRate: "正文所述政务新媒体达标率"
        case .proactiveItems: "正文所述主动公开信息条数"
        case .reconsiderationCases: "正文所述行政复议案件数"
        case .litigationCases: "正文所述行政诉讼案件数"
        }
    }
}

/// A figure stated in the report's text, with the sentence it came from.
public struct NarrativeFigure: Codable, Sendable, Equatable {
    /// What the figure counts.
    public var kind: NarrativeKind
    /// The figure as printed, e.g. `477件` or `98.7%`.
    public var text: String
    /// The figure's value (a percentage for rates: 98.7 for 98.7%).
    public var value: Decimal
    /// Digits after the decimal point as printed (for comparing rates at that precision).
    public var decimals: Int
    /// The sentence the figure came from.
    public var sentence: String
    /// The 1-based line of the figure.
    public var line: Int

    /// Creates a figure.
    public init(kind: NarrativeKind, text: String, value: Decimal, decimals: Int, sentence: String, line: Int) {
        self.kind = kind
        self.text = text
        self.value = value
        self.decimals = decimals
        self.sentence = sentence
        self.line = line
    }

    private enum CodingKeys: String, CodingKey { case kind, text, value, decimals, sentence, line }

    /// Decodes the value from its decimal string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(NarrativeKind.self, forKey: .kind)
        text = try container.decode(String.self, forKey: .text)
        let string = try container.decode(String.self, forKey: .value)
        guard let decimal = Decimal(string: string, locale: Locale(identifier: "en_US_POSIX")) else {
            throw DecodingError.dataCorruptedError(forKey: .value, in: container, debugDescription: "不是数字：\(string)")
        }
        value = decimal
        decimals = try container.decode(Int.self, forKey: .decimals)
        sentence = try container.decode(String.self, forKey: .sentence)
        line = try container.decode(Int.self, forKey: .line)
    }

    /// Encodes the value as its decimal string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(text, forKey: .text)
        try container.encode("\(value)", forKey: .value)
        try container.encode(decimals, forKey: .decimals)
        try container.encode(sentence, forKey: .sentence)
        try container.encode(line, forKey: .line)
    }
}

/// How the report's tables were laid out in the text.
public enum DisclosureLayout: String, Codable, Sendable {
    /// One cell per line ending in ` |` (the seed's layout).
    case flattened
    /// Cells separated by spaces or tabs (web page or PDF text).
    case spaced
    /// Some rows printed their digits without separators (e.g. `6000017`).
    case runTogether = "run_together"
}

/// An annual government-information-disclosure report, as read.
public struct DisclosureReport: Codable, Sendable, Equatable {
    /// The report's title when the text carries one.
    public var title: String?
    /// The year reported on, when it can be told.
    public var year: Int?
    /// How the tables were laid out.
    public var layout: DisclosureLayout
    /// Section 二: the four tables of 第二十条 items (一), (五), (六), (八).
    public var proactive: [DisclosureTable]
    /// Section 三: requests received and handled.
    public var requests: DisclosureTable
    /// Section 四: reconsideration and litigation.
    public var appeals: DisclosureTable
    /// Figures stated in the text.
    public var narrative: [NarrativeFigure]
    /// Section 五 (problems and improvements) as printed; nil when the heading is missing.
    public var sectionFive: String?
    /// Things the reader noticed but could still read past (e.g. run-together digits).
    public var notices: [ReadingNotice]

    /// Creates a report.
    public init(
        title: String?, year: Int?, layout: DisclosureLayout, proactive: [DisclosureTable],
        requests: DisclosureTable, appeals: DisclosureTable, narrative: [NarrativeFigure],
        sectionFive: String?, notices: [ReadingNotice]
    ) {
        self.title = title
        self.year = year
        self.layout = layout
        self.proactive = proactive
        self.requests = requests
        self.appeals = appeals
        self.narrative = narrative
        self.sectionFive = sectionFive
        self.notices = notices
    }

    /// Every table in printed order, for showing the report back.
    public var tables: [DisclosureTable] { proactive + [requests, appeals] }

    /// The table with the given id.
    public func table(_ id: DisclosureTableID) -> DisclosureTable? {
        tables.first { $0.id == id }
    }

    /// A section 二 figure, e.g. `proactiveValue(.licensing, .decisions)` → 2737.
    public func proactiveValue(_ row: ProactiveRow, _ column: ProactiveColumn) -> Decimal? {
        table(row.table)?.value(row: row.rawValue, column: column.rawValue)
    }

    /// A table 三 figure, e.g. `requestValue(.new, .total)` → 477.
    public func requestValue(_ row: RequestRow, _ column: RequestColumn) -> Decimal? {
        requests.value(row: row.rawValue, column: column.rawValue)
    }

    /// A table 四 figure, e.g. `appealValue(.reconsideration, .total)`.
    public func appealValue(_ row: AppealRow, _ column: AppealColumn) -> Decimal? {
        appeals.value(row: row.rawValue, column: column.rawValue)
    }

    /// The first figure of the given kind stated in the text.
    public func narrativeFigure(_ kind: NarrativeKind) -> NarrativeFigure? {
        narrative.first { $0.kind == kind }
    }
}

/// What the monitor's own register and scores say, to hold the report's claims against.
public struct MonitorFigures: Codable, Sendable, Equatable {
    /// Number of new-media accounts in the register.
    public var accounts: Int
    /// Share of accounts that pass, as a percentage (100 for 100%), when scored.
    public var passRate: Decimal?

    /// Creates monitor figures.
    public init(accounts: Int, passRate: Decimal?) {
        self.accounts = accounts
        self.passRate = passRate
    }
}

/// A note the reader leaves about how it read a report: worded once, where the reading
/// happened, and kept with its kind, so that no one downstream tells notices apart by their
/// Chinese.
public struct ReadingNotice: Codable, Sendable, Equatable, CustomStringConvertible {
    /// What the reader did.
    public enum Kind: String, Codable, Sendable {
        /// Run-together digits split the only way they can be cut.
        case onlyOneSplit = "only-one-split"
        /// Run-together digits split the one way the row's own total allows.
        case splitByRowTotal = "split-by-row-total"
        /// Run-together digits split the one way the table's column identities allow.
        case splitByColumns = "split-by-columns"
        /// The only possible cut, though it does not add up to the row's total.
        case splitNotAddingUp = "split-not-adding-up"
        /// A row left unresolved for an officer to check.
        case unresolvedRow = "unresolved-row"
        /// A row printed twice; the first was kept.
        case repeatedRow = "repeated-row"
        /// A notice stored before notices had kinds, whose wording is not one of the above.
        case recorded
    }

    public var kind: Kind
    /// The line of the report it is about.
    public var line: Int?
    /// The notice in Chinese, naming the line, the table and the row.
    public var text: String

    public init(_ kind: Kind, line: Int?, _ text: String) {
        self.kind = kind
        self.line = line
        self.text = text
    }

    /// A split the reader is sure of (one cut, or one that adds up): counted, not listed, where
    /// an officer reads notices.
    public var isRoutine: Bool { kind == .onlyOneSplit || kind == .splitByRowTotal }

    public var description: String { text }

    private enum CodingKeys: String, CodingKey { case kind, line, text }

    public init(from decoder: any Decoder) throws {
        // Reports stored before notices had kinds kept their text alone; the two routine
        // wordings this module wrote then are recognised here, and only here.
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            let kind: Kind = text.contains("已按本行总计拆分为") ? .splitByRowTotal : text.contains("只有一种拆法：") ? .onlyOneSplit : .recorded
            self.init(kind, line: nil, text)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try container.decode(Kind.self, forKey: .kind), line: try container.decodeIfPresent(Int.self, forKey: .line),
                  try container.decode(String.self, forKey: .text))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encodeIfPresent(line, forKey: .line)
        try container.encode(text, forKey: .text)
    }
}
