import ArgumentParser
import Foundation
import GovMediaCore
import GovMediaParse
import GovMediaStore

/// `govmedia review`: the 三审 ledger.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "三审记录：导入、登记与查询。",
        subcommands: [Import.self, Add.self, List.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "导入三审记录 CSV（表头 \(ReviewCSV.columns.joined(separator: ","))）；有任何错误则不写入；与已有记录完全相同的行跳过。")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "三审记录 CSV 文件（UTF-8 或 GB18030）") var file: String
        @Option(help: "记入来源的说明（可选）") var reason: String?

        func run() throws {
            let text = try decodeCSV(try readFile(file), file: file)
            let rows: [ReviewInput]
            do { rows = try ReviewCSV.parse(text, file: file) } catch { throw CLIFailure(nothingWritten(error)) }
            let recorded = try append(rows, db: db, reason: reason)
            output("已导入 \(file)：记录 \(recorded) 条，跳过重复 \(rows.count - recorded) 条。\n")
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "登记一条三审签发记录。")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "台账中的账号 id") var account: String
        @Option(help: "稿件标题") var title: String
        @Option(help: "稿件网址（http/https，可选）") var url: String?
        @Option(help: "审核阶段：初审|复审|终审") var stage: String
        @Option(help: "审核人姓名") var reviewer: String
        @Option(help: "签发时间，如 \"2026-11-05 10:20\"（北京时间）") var signedAt: String
        @Option(help: "审核意见：同意|退回") var opinion: String
        @Option(help: "记入来源的说明（可选）") var reason: String?

        func run() throws {
            let values = ["account_id": account, "post_title": title, "post_url": url ?? "", "stage": stage,
                          "reviewer": reviewer, "signed_at": signedAt, "opinion": opinion]
            let input: ReviewInput
            do {
                input = try ReviewCSV.input(values, source: ReviewSource(name: "review add"))
            } catch {
                throw CLIFailure(Self.asOptions(error))
            }
            let what = "账号 \(input.accountID)，\(input.stage.rawValue)，\(input.reviewer)，\(input.opinion.rawValue)，《\(input.postTitle)》"
            if try append([input], db: db, reason: reason) == 0 {
                output("未登记：已有完全相同的三审记录（\(what)）。\n")
            } else {
                output("已登记三审记录：\(what)，签发于 \(input.signedAtText)。\n")
            }
        }

        /// Names the command's options rather than CSV columns in a failure.
        static func asOptions(_ failure: ReviewImportFailure) -> String {
            let option = ["account_id": "--account", "post_title": "--title", "post_url": "--url", "stage": "--stage",
                          "reviewer": "--reviewer", "signed_at": "--signed-at", "opinion": "--opinion"]
            return failure.errors.map { e in
                (e.column.map { option[$0] ?? $0 } ?? "review add") + "：" + e.problem
            }.joined(separator: "\n")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出三审记录，按签发时间先后。")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "只列此账号") var account: String?
        @Flag(help: "以 JSON 输出") var json = false

        func run() throws {
            let store = try db.openForReading()
            let records = try store.reviews(accountID: account)
            if let account, records.isEmpty, try store.account(account) == nil {
                throw CLIFailure("台账中没有账号 \(account)")
            }
            if json { return try printJSON(records.map(ReviewJSON.init)) }
            var table = TextTable(headers: ["序号", "账号", "稿件标题", "阶段", "审核人", "签发时间", "意见"])
            for r in records {
                let signed = r.signedInstant.map(ChinaTime.short) ?? r.signedAt
                table.append([String(r.seq), r.accountID, r.postTitle, r.stage.rawValue, r.reviewer, signed, r.opinion.rawValue])
            }
            output(table.render() + "共 \(records.count) 条三审记录。\n")
        }
    }
}

/// Appends through the store; an unknown account comes back as a named, nothing-written failure.
private func append(_ rows: [ReviewInput], db: DatabaseOptions, reason: String?) throws -> Int {
    let who = Attribution(operator: currentOperator(), reason: reason ?? "")
    do {
        return try db.open().appendReviews(rows, by: who)
    } catch let error as StoreError {
        if let failure = error.underlying as? ReviewImportFailure { throw CLIFailure(nothingWritten(failure)) }
        throw error
    }
}

private func nothingWritten(_ failure: ReviewImportFailure) -> String {
    failure.description + (failure.errors.count > 1 || failure.truncated ? "\n" : "；") + "未写入任何内容"
}

/// The file as text. Spreadsheets in China often save CSV as GB18030 (GBK) rather than
/// UTF-8, so the bytes are sniffed as web pages are; undecodable bytes are refused rather
/// than stored as U+FFFD in a ledger that can never be corrected.
private func decodeCSV(_ data: Data, file: String) throws -> String {
    let decoded = TextDecoding.decode(Array(data), contentType: nil)
    let text = String(decoding: decoded.utf8, as: UTF8.self)
    if text.unicodeScalars.contains("\u{FFFD}") {
        throw CLIFailure("\(file)：含无法识别的字符，文件应为 UTF-8 或 GB18030（GBK）编码；未写入任何内容")
    }
    return text
}

/// A review record as `review list --json` prints it. `post_url` is null, not absent, when
/// the record names no link, so every object has the same keys.
struct ReviewJSON: Encodable {
    var record: ReviewRecord

    init(_ record: ReviewRecord) { self.record = record }

    enum Key: String, CodingKey {
        case seq, account_id, post_url, post_title, stage, reviewer, signed_at, opinion
        case recorded_at, recorded_by, origin, prev_hash, hash
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(record.seq, forKey: .seq)
        try c.encode(record.accountID, forKey: .account_id)
        try c.encode(record.postURL, forKey: .post_url)
        try c.encode(record.postTitle, forKey: .post_title)
        try c.encode(record.stage.rawValue, forKey: .stage)
        try c.encode(record.reviewer, forKey: .reviewer)
        try c.encode(record.signedAt, forKey: .signed_at)
        try c.encode(record.opinion.rawValue, forKey: .opinion)
        try c.encode(record.recordedAt, forKey: .recorded_at)
        try c.encode(record.recordedBy, forKey: .recorded_by)
        try c.encode(record.origin, forKey: .origin)
        try c.encode(record.previousHash, forKey: .prev_hash)
        try c.encode(record.hash, forKey: .hash)
    }
}
