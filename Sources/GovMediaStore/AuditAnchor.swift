import Foundation
import GovMediaCore

/// The append-only anchor file kept beside the database (`<database>.anchors`): one line
/// per anchoring, the time and each chain's head, e.g.
/// `2026-12-01T10:00:00+08:00 lifecycle_event=123:9f2c… review_record=45:0b1e…`.
/// Whoever rewrites the database cannot make its chains agree with lines already written
/// here (or printed in a weekly report).
public struct AnchorFile: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// The anchor file that belongs to a database.
    public init(database: String) { path = database + ".anchors" }

    /// One anchoring: when, and the heads.
    public struct Line: Equatable, Sendable {
        public var lineNumber: Int
        public var at: String
        public var heads: [ChainHead]
    }

    /// The line text for a set of heads.
    public static func format(_ heads: [ChainHead], at: Date) -> String {
        ([ChinaTime.iso8601(at)] + heads.map { "\($0.ledger.rawValue)=\($0.count):\($0.hash)" }).joined(separator: " ")
    }

    /// Reads every line; a line that is not an anchoring is an error naming the line.
    public func read() throws(StoreError) -> [Line] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError(path: path, problem: "无法读取锚点文件（不存在或无权限）")
        }
        var lines: [Line] = []
        for (index, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = raw.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { continue }
            let parts = text.split(separator: " ")
            var heads: [ChainHead] = []
            for part in parts.dropFirst() {
                let kv = part.split(separator: "=", maxSplits: 1)
                let ch = kv.count == 2 ? kv[1].split(separator: ":", maxSplits: 1) : []
                guard kv.count == 2, let ledger = AuditLedger(rawValue: String(kv[0])), ch.count == 2, let count = Int64(ch[0]),
                      ch[1].count == 64, ch[1].allSatisfy(\.isHexDigit) else {
                    throw StoreError(path: path, problem: "第 \(index + 1) 行无法识别：\(part.prefix(80))（应为 账本=条数:64位哈希）")
                }
                heads.append(ChainHead(ledger: ledger, count: count, hash: String(ch[1])))
            }
            guard !heads.isEmpty, TextDate.readExact(String(parts[0])) != nil else {
                throw StoreError(path: path, problem: "第 \(index + 1) 行无法识别：应以时间开头，后接各链的头")
            }
            lines.append(Line(lineNumber: index + 1, at: String(parts[0]), heads: heads))
        }
        return lines
    }

    /// Appends the heads when they differ from the last line written (a daemon cycle that
    /// changed nothing adds nothing). Returns whether a line was written.
    @discardableResult
    public func append(_ heads: [ChainHead], at: Date = Date()) throws(StoreError) -> Bool {
        let existing = FileManager.default.fileExists(atPath: path) ? try read() : []
        if existing.last?.heads == heads { return false }
        let line = Self.format(heads, at: at) + "\n"
        guard let handle = FileHandle(forWritingAtPath: path) ?? {
            FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644])
            return FileHandle(forWritingAtPath: path)
        }() else { throw StoreError(path: path, problem: "无法写入锚点文件") }
        do {
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(line.utf8))
            try handle.synchronize()
        } catch {
            throw StoreError(path: path, problem: "写入锚点文件失败：\(error)")
        }
        return true
    }
}

extension Store {
    /// Checks the chains against every line of an anchor file.
    public func verify(anchorFile: AnchorFile) throws(StoreError) -> [AuditProblem] {
        var problems: [AuditProblem] = []
        for line in try anchorFile.read() {
            problems += try verify(against: line.heads, source: "锚点文件第 \(line.lineNumber) 行（\(line.at)）")
        }
        return problems
    }
}
