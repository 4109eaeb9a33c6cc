import Foundation

/// Where a review row came from: a file and the line its record starts on, or a command.
public struct ReviewSource: Sendable, Hashable, CustomStringConvertible {
    /// The file as the officer named it, or the command (`review add`).
    public var name: String
    /// 1-based physical line the CSV record starts on; nil for a command.
    public var line: Int?

    /// A source.
    public init(name: String, line: Int? = nil) {
        self.name = name
        self.line = line
    }

    /// `reviews.csv:7`, or the command name: the form stored as the record's origin.
    public var description: String { line.map { "\(name):\($0)" } ?? name }
}

/// One validated sign-off waiting to be appended to the ledger.
public struct ReviewInput: Sendable, Equatable {
    /// The register id of the account the post appeared on.
    public var accountID: String
    /// The post's link, when the record names one (http/https).
    public var postURL: String?
    /// The post's title as on the sign-off form.
    public var postTitle: String
    public var stage: ReviewStage
    /// The signer's name.
    public var reviewer: String
    /// The signing instant, whole seconds.
    public var signedAt: Date
    public var opinion: ReviewOpinion
    /// Where the row came from, stored as the record's origin.
    public var source: ReviewSource

    /// A sign-off; values are taken as given (use `ReviewCSV.input(_:source:)` to validate text).
    public init(accountID: String, postURL: String? = nil, postTitle: String, stage: ReviewStage, reviewer: String,
                signedAt: Date, opinion: ReviewOpinion, source: ReviewSource) {
        self.accountID = accountID
        self.postURL = postURL
        self.postTitle = postTitle
        self.stage = stage
        self.reviewer = reviewer
        self.signedAt = signedAt
        self.opinion = opinion
        self.source = source
    }

    /// The signing time as stored and hashed: ISO 8601 in China time (`2026-11-05T10:20:00+08:00`).
    public var signedAtText: String { ChinaTime.iso8601(signedAt) }
}

/// One problem in review data, naming the file, line and column so an officer can fix it
/// in the spreadsheet without reading code.
public struct ReviewImportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file (or command) the row came from.
    public var file: String
    /// 1-based line the record starts on; nil for problems with the whole file or a command.
    public var line: Int?
    /// The column (header name) at fault, when one is.
    public var column: String?
    /// What is wrong and what was expected, in Chinese.
    public var problem: String

    /// A problem.
    public init(file: String, line: Int? = nil, column: String? = nil, problem: String) {
        self.file = file
        self.line = line
        self.column = column
        self.problem = problem
    }

    /// `reviews.csv 第 7 行 stage 列：取值“四审”无效，应为 初审|复审|终审`.
    public var description: String {
        var place = [file]
        if let line { place.append("第 \(line) 行") }
        if let column { place.append("\(column) 列") }
        return place.joined(separator: " ") + "：" + problem
    }
}

/// Every problem found in one import, up to `ReviewCSV.errorLimit`. An import with any
/// problem writes nothing, so the officer gets the whole list to fix in one pass.
public struct ReviewImportFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public var errors: [ReviewImportError]
    /// True when more problems existed than were listed.
    public var truncated: Bool

    /// A failure listing `errors`.
    public init(errors: [ReviewImportError], truncated: Bool = false) {
        self.errors = errors
        self.truncated = truncated
    }

    /// One problem on one line; several as an indented list.
    public var description: String {
        if errors.count == 1 && !truncated { return errors[0].description }
        let more = truncated ? "（只列出前 \(errors.count) 处）" : ""
        return "发现 \(errors.count) 处问题\(more)：\n" + errors.map { "  \($0)" }.joined(separator: "\n")
    }
}

/// Reads 三审 sign-off records from CSV (pure: text in, validated rows or errors out).
///
/// Format: RFC 4180 — fields separated by commas, records by CRLF or LF; a field in double
/// quotes may hold commas, newlines and doubled quotes (`""`). The first record is the header
/// and must name exactly the columns in `columns`, in any order (names are trimmed and
/// compared case-insensitively; a leading UTF-8 BOM is ignored). Unknown or repeated columns
/// are refused: a misspelt optional column (`post_link`) would otherwise lose data silently.
/// Values are trimmed of surrounding spaces. Blank lines, and rows whose fields are all
/// empty (spreadsheets export those), are skipped. Line numbers are the physical line a
/// record starts on, as a text editor counts them.
///
/// Errors are collected, up to `errorLimit`, and the parse then fails as a whole.
public enum ReviewCSV {
    /// The header columns.
    public static let columns = ["account_id", "post_url", "post_title", "stage", "reviewer", "signed_at", "opinion"]
    /// How many problems one failed import lists before stopping.
    public static let errorLimit = 20

    static let stageExpected = "应为 初审|复审|终审（也接受 一审/二审/三审、审核、审发）"
    static let opinionExpected = "应为 同意|退回（也接受 通过、同意发布、不同意、驳回）"
    static let timeExpected = "应为 2026-11-05 10:20、2026-11-05 10:20:30、2026/11/5 10:20、2026年11月5日 10:20 或 2026-11-05T10:20:00+08:00（未注明时区按北京时间；只写日期按当日 0 时）"

    /// Parses a whole CSV text. `file` names the file in errors and in each row's source.
    public static func parse(_ text: String, file: String) throws(ReviewImportFailure) -> [ReviewInput] {
        var errors: [ReviewImportError] = []
        var truncated = false
        func note(_ e: ReviewImportError) {
            if errors.count < errorLimit { errors.append(e) } else { truncated = true }
        }

        let records: [CSVRecord]
        do {
            records = try CSVRecord.split(text)
        } catch {
            throw ReviewImportFailure(errors: [ReviewImportError(file: file, line: error.line, problem: error.problem)])
        }
        guard let header = records.first(where: { !$0.isBlank }) else {
            throw ReviewImportFailure(errors: [ReviewImportError(
                file: file, problem: "文件为空；第一行应为表头 \(columns.joined(separator: ","))")])
        }

        // Header → index of each known column.
        var index: [String: Int] = [:]
        for (i, raw) in header.fields.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if !columns.contains(name) {
                note(ReviewImportError(file: file, line: header.line, column: name.isEmpty ? "第 \(i + 1) 列" : name,
                                       problem: "未知的表头；表头应为 \(columns.joined(separator: ","))"))
            } else if index[name] != nil {
                note(ReviewImportError(file: file, line: header.line, column: name, problem: "表头重复"))
            } else {
                index[name] = i
            }
        }
        for name in columns where index[name] == nil {
            note(ReviewImportError(file: file, line: header.line, column: name,
                                   problem: "表头缺少此列；表头应为 \(columns.joined(separator: ","))"))
        }
        guard errors.isEmpty else { throw ReviewImportFailure(errors: errors, truncated: truncated) }

        var rows: [ReviewInput] = []
        for record in records where record.line > header.line && !record.isBlank {
            guard record.fields.count == header.fields.count else {
                note(ReviewImportError(file: file, line: record.line,
                                       problem: "有 \(record.fields.count) 列，表头有 \(header.fields.count) 列（含逗号的值须加英文双引号）"))
                continue
            }
            var values: [String: String] = [:]
            for (name, i) in index { values[name] = record.fields[i] }
            switch validate(values, source: ReviewSource(name: file, line: record.line)) {
            case .success(let row): rows.append(row)
            case .failure(let failure): failure.errors.forEach(note)
            }
        }
        guard errors.isEmpty else { throw ReviewImportFailure(errors: errors, truncated: truncated) }
        return rows
    }

    /// Validates one row given as column name → text (the CSV path and `review add` share it).
    /// Every bad field is reported, not only the first.
    public static func input(_ values: [String: String], source: ReviewSource) throws(ReviewImportFailure) -> ReviewInput {
        try validate(values, source: source).get()
    }

    private static func validate(_ values: [String: String], source: ReviewSource) -> Result<ReviewInput, ReviewImportFailure> {
        var errors: [ReviewImportError] = []
        func value(_ column: String) -> String { (values[column] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        func bad(_ column: String, _ problem: String) {
            errors.append(ReviewImportError(file: source.name, line: source.line, column: column, problem: problem))
        }
        func required(_ column: String, _ what: String) -> String {
            let v = value(column)
            if v.isEmpty { bad(column, "不能为空，应填\(what)") }
            return v
        }

        let account = required("account_id", "台账中的账号 id")
        let urlText = value("post_url")
        if !urlText.isEmpty {
            do { _ = try WebAddress(urlText) } catch { bad("post_url", "\(error)（没有可留空）") }
        }
        let title = required("post_title", "稿件标题")
        let stageText = required("stage", "审核阶段")
        let stage = ReviewStage(label: stageText)
        if stage == nil && !stageText.isEmpty { bad("stage", "取值“\(stageText)”无效，\(stageExpected)") }
        let reviewer = required("reviewer", "审核人姓名")
        let timeText = required("signed_at", "签发时间")
        let signed = TextDate.readExact(timeText)
        if signed == nil && !timeText.isEmpty { bad("signed_at", "取值“\(timeText)”无效，\(timeExpected)") }
        let opinionText = required("opinion", "审核意见")
        let opinion = ReviewOpinion(label: opinionText)
        if opinion == nil && !opinionText.isEmpty { bad("opinion", "取值“\(opinionText)”无效，\(opinionExpected)") }

        guard errors.isEmpty, let stage, let signed, let opinion else { return .failure(ReviewImportFailure(errors: errors)) }
        return .success(ReviewInput(accountID: account, postURL: urlText.isEmpty ? nil : urlText, postTitle: title,
                                    stage: stage, reviewer: reviewer, signedAt: signed, opinion: opinion, source: source))
    }
}

/// One CSV record: its fields and the line it starts on.
struct CSVRecord: Equatable {
    var line: Int
    var fields: [String]

    /// A record of only empty fields: a blank line, or `,,,,,,` from a spreadsheet.
    var isBlank: Bool { fields.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }

    /// A structural problem (an unclosed quote, text after a closing quote).
    struct SyntaxError: Error {
        var line: Int
        var problem: String
    }

    /// Splits RFC 4180 text into records. Works on Unicode scalars, not Characters, because
    /// Swift treats CRLF as one Character and a quote followed by a combining mark as another.
    static func split(_ text: String) throws(SyntaxError) -> [CSVRecord] {
        var scalars = Substring(text).unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quoteLine = 1
        var afterQuote = false
        var iterator = scalars.makeIterator()
        var pending: Unicode.Scalar? = nil

        func endField() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            afterQuote = false
        }
        func endRecord() {
            endField()
            records.append(CSVRecord(line: recordLine, fields: fields))
            fields = []
        }

        while let c = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    let next = iterator.next()
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        inQuotes = false
                        afterQuote = true
                        pending = next
                    }
                } else {
                    if c == "\n" { line += 1 }
                    if c == "\r" {
                        let next = iterator.next()
                        if next != "\n" { line += 1 }
                        pending = next
                    }
                    field.append(c)
                }
                continue
            }
            switch c {
            case ",":
                endField()
            case "\r", "\n":
                if c == "\r" {
                    let next = iterator.next()
                    if next != "\n" { pending = next }
                }
                endRecord()
                line += 1
                recordLine = line
            case "\"" where String(field).allSatisfy({ $0 == " " || $0 == "\t" }) && !afterQuote:
                // Spaces before an opening quote are tolerated and dropped.
                field = String.UnicodeScalarView()
                inQuotes = true
                quoteLine = line
            default:
                if afterQuote {
                    if c == " " || c == "\t" { continue }
                    throw SyntaxError(line: line, problem: "引号括起的值后面应紧跟逗号或换行，却出现“\(c)”（值中的双引号须写成两个 \"\"）")
                }
                field.append(c)
            }
        }
        if inQuotes { throw SyntaxError(line: quoteLine, problem: "从此行开始的引号没有闭合（值中的双引号须写成两个 \"\"）") }
        // A final record without a newline.
        if !fields.isEmpty || !field.isEmpty || afterQuote { endRecord() }
        return records
    }
}
