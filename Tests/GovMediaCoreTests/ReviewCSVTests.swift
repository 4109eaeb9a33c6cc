import Foundation
import GovMediaCore
import Testing

private let header = "account_id,post_url,post_title,stage,reviewer,signed_at,opinion"

/// One valid row with fields overridable by column name.
private func row(_ overrides: [String: String] = [:]) -> String {
    var fields = ["account_id": "jy-a-wx", "post_url": "https://www.example.gov.cn/a.html", "post_title": "标题",
                  "stage": "初审", "reviewer": "张三", "signed_at": "2026-11-05 10:20", "opinion": "同意"]
    for (k, v) in overrides { fields[k] = v }
    return ReviewCSV.columns.map { fields[$0]! }.joined(separator: ",")
}

/// The single error a one-row file with `overrides` produces.
private func onlyError(_ overrides: [String: String]) throws -> ReviewImportError {
    let failure = #expect(throws: ReviewImportFailure.self) {
        try ReviewCSV.parse(header + "\n" + row(overrides) + "\n", file: "reviews.csv")
    }
    let errors = try #require(failure?.errors)
    try #require(errors.count == 1, "\(errors)")
    return errors[0]
}

@Suite("三审 CSV reading")
struct ReviewCSVTests {
    @Test("a plain row reads into a sign-off with its file and line as source")
    func plainRow() throws {
        let rows = try ReviewCSV.parse(header + "\n" + row() + "\n", file: "r.csv")
        #expect(rows.count == 1)
        #expect(rows[0].accountID == "jy-a-wx")
        #expect(rows[0].stage == .first && rows[0].opinion == .approve && rows[0].reviewer == "张三")
        #expect(rows[0].signedAtText == "2026-11-05T10:20:00+08:00")
        #expect(rows[0].source.description == "r.csv:2")
    }

    @Test("quoted fields keep commas, doubled quotes and newlines")
    func quoting() throws {
        let text = header + "\n" + "jy-a-wx,,\"关于\"\"三审\"\"的通知, 第二版\n（修订）\",初审,张三,2026-11-05 10:20,同意\n"
        let rows = try ReviewCSV.parse(text, file: "r.csv")
        #expect(rows.first?.postTitle == "关于\"三审\"的通知, 第二版\n（修订）")
        #expect(rows.first?.postURL == nil)
    }

    @Test("a UTF-8 BOM, CRLF line ends and spaces around header names are tolerated")
    func bomCRLFSpaces() throws {
        let text = "\u{FEFF} account_id , post_url,post_title,stage,reviewer,signed_at , opinion\r\n" + row() + "\r\n"
        let rows = try ReviewCSV.parse(text, file: "r.csv")
        #expect(rows.count == 1)
        #expect(rows[0].opinion == .approve)
    }

    @Test("columns may come in any order")
    func anyOrder() throws {
        let text = "opinion,stage,reviewer,signed_at,post_title,post_url,account_id\n同意,终审,王五,2026-11-05 10:20,标题,,jy-a-wx\n"
        let rows = try ReviewCSV.parse(text, file: "r.csv")
        #expect(rows.first?.stage == .final && rows.first?.reviewer == "王五")
    }

    @Test("stage and opinion synonyms are read as the canonical values")
    func synonyms() throws {
        let text = [header, row(["stage": "一审", "opinion": "通过"]), row(["stage": "审核", "opinion": "驳回"]),
                    row(["stage": "审发", "opinion": "不同意"])].joined(separator: "\n")
        let rows = try ReviewCSV.parse(text, file: "r.csv")
        #expect(rows.map(\.stage) == [.first, .second, .final])
        #expect(rows.map(\.opinion) == [.approve, .returned, .returned])
    }

    @Test("signing times in the officers' formats normalise to ISO 8601 China time")
    func timeFormats() {
        let cases = [
            "2026-11-05 10:20": "2026-11-05T10:20:00+08:00",
            "2026-11-05 10:20:30": "2026-11-05T10:20:30+08:00",
            "2026/11/5 10:20": "2026-11-05T10:20:00+08:00",
            "2026-11-05T10:20:00+08:00": "2026-11-05T10:20:00+08:00",
            "2026-11-05T02:20:00Z": "2026-11-05T10:20:00+08:00",
            "2026-11-05 9:05": "2026-11-05T09:05:00+08:00",
        ]
        for (text, iso) in cases {
            #expect(TextDate.readExact(text).map(ChinaTime.iso8601) == iso, "\(text)")
        }
    }

    @Test("a date alone is the start of that day, in any of the usual forms")
    func dateOnly() {
        for text in ["2026-11-05", "2026/11/5", "2026.11.05", "2026年11月5日"] {
            #expect(TextDate.readExact(text).map(ChinaTime.iso8601) == "2026-11-05T00:00:00+08:00", "\(text)")
        }
        #expect(TextDate.readExact("2026年11月5日 10:20").map(ChinaTime.iso8601) == "2026-11-05T10:20:00+08:00")
    }

    @Test("an impossible date, a 24th hour, or a relative time is refused")
    func badTimes() {
        for text in ["2026-02-30", "2026-02-30 10:00", "2026-11-05 24:00", "2026-11-05 10:20 下午", "昨天 10:20"] {
            #expect(TextDate.readExact(text) == nil, "\(text)")
        }
    }

    @Test("a bad stage names line and column and lists the allowed stages")
    func badStage() throws {
        let e = try onlyError(["stage": "四审"])
        #expect(e.line == 2 && e.column == "stage")
        #expect(e.description.hasPrefix("reviews.csv 第 2 行 stage 列：取值“四审”无效，应为 初审|复审|终审"))
    }

    @Test("a bad opinion names line and column")
    func badOpinion() throws {
        let e = try onlyError(["opinion": "已阅"])
        #expect(e.line == 2 && e.column == "opinion" && e.problem.contains("同意|退回"))
    }

    @Test("a bad signing time names line and column")
    func badSignedAt() throws {
        let e = try onlyError(["signed_at": "11月5日"])
        #expect(e.line == 2 && e.column == "signed_at" && e.problem.contains("2026-11-05 10:20"))
    }

    @Test("a post link that is not http(s) names line and column")
    func badURL() throws {
        let e = try onlyError(["post_url": "ftp://example.gov.cn/a"])
        #expect(e.line == 2 && e.column == "post_url" && e.problem.contains("http"))
    }

    @Test("a missing title, reviewer or account names its column")
    func requiredFields() throws {
        for column in ["post_title", "reviewer", "account_id"] {
            let e = try onlyError([column: " "])
            #expect(e.column == column && e.problem.contains("不能为空"), "\(column)")
        }
    }

    @Test("errors from several lines are all listed, with lines counted across quoted newlines")
    func severalErrors() throws {
        let text = [header, "jy-a-wx,,\"两行\n标题\",初审,张三,2026-11-05 10:20,同意", row(["stage": "四审"]),
                    row(), row(["opinion": "x", "reviewer": ""])].joined(separator: "\n")
        let failure = #expect(throws: ReviewImportFailure.self) { try ReviewCSV.parse(text, file: "r.csv") }
        let errors = try #require(failure?.errors)
        #expect(errors.map(\.line) == [4, 6, 6])
        #expect(errors.map(\.column) == ["stage", "reviewer", "opinion"])
    }

    @Test("listing stops at the error limit and says so")
    func errorLimit() throws {
        let text = ([header] + Array(repeating: row(["stage": "x"]), count: 25)).joined(separator: "\n")
        let failure = #expect(throws: ReviewImportFailure.self) { try ReviewCSV.parse(text, file: "r.csv") }
        #expect(failure?.errors.count == ReviewCSV.errorLimit)
        #expect(failure?.truncated == true)
        #expect(failure?.description.contains("只列出前 20 处") == true)
    }

    @Test("a missing header column and an unknown one are both named")
    func badHeader() throws {
        let text = "account_id,post_link,post_title,stage,reviewer,signed_at,opinion\n" + row() + "\n"
        let failure = #expect(throws: ReviewImportFailure.self) { try ReviewCSV.parse(text, file: "r.csv") }
        #expect(failure?.errors.map(\.column) == ["post_link", "post_url"])
        #expect(failure?.errors.allSatisfy { $0.line == 1 } == true)
    }

    @Test("a row with the wrong number of fields names its line")
    func fieldCount() throws {
        let text = header + "\n" + row() + ",多余\n"
        let failure = #expect(throws: ReviewImportFailure.self) { try ReviewCSV.parse(text, file: "r.csv") }
        #expect(failure?.errors.first?.line == 2)
        #expect(failure?.errors.first?.problem.contains("8 列") == true)
    }

    @Test("an unclosed quote names the line it opened on")
    func unclosedQuote() throws {
        let text = header + "\n" + row() + "\njy-a-wx,,\"未闭合,初审,张三,2026-11-05 10:20,同意\n"
        let failure = #expect(throws: ReviewImportFailure.self) { try ReviewCSV.parse(text, file: "r.csv") }
        #expect(failure?.errors.first?.line == 3)
        #expect(failure?.errors.first?.problem.contains("引号") == true)
    }

    @Test("blank lines and all-empty rows are skipped")
    func blankRows() throws {
        let text = header + "\n\n" + row() + "\n,,,,,,\n\n"
        #expect(try ReviewCSV.parse(text, file: "r.csv").count == 1)
    }

    @Test("an empty file asks for the header")
    func emptyFile() throws {
        let failure = #expect(throws: ReviewImportFailure.self) { try ReviewCSV.parse("", file: "r.csv") }
        #expect(failure?.errors.first?.problem.contains("表头") == true)
    }
}
