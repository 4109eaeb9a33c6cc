import Foundation
import GovMediaCore

/// Parsing of one `words/*.txt` file: one entry a line, `#` comment lines and blank lines
/// ignored, and in correction lists (`typos*.txt`) `wrong => right`.
enum WordListFile {
    /// The separator between the wrong and the right form in a correction list.
    static let arrow = "=>"

    /// Correction lists are told apart by name, so the loader can refuse a `typos.txt` line
    /// that lost its `=>` instead of silently treating it as a plain term.
    static func isCorrectionList(_ fileName: String) -> Bool {
        fileName.hasPrefix("typos")
    }

    /// Parses a list file. `name` is the file name (`typos.txt`); `displayPath` is what
    /// errors name.
    static func parse(name: String, data: Data, displayPath: String) throws(RuleFileError) -> WordList {
        let corrections = isCorrectionList(name)
        var entries: [WordEntry] = []
        var firstLine: [String: Int] = [:]
        for (index, line) in try TextLines.split(data, displayPath: displayPath).enumerated() {
            let number = index + 1
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { continue }
            func fail(_ message: String) -> RuleFileError {
                RuleFileError(file: displayPath, line: number, message: message)
            }
            let term: String
            var correction: String?
            if corrections {
                let parts = text.components(separatedBy: arrow)
                guard parts.count == 2 else {
                    throw fail(parts.count < 2
                        ? "纠错词表每行应为「错误写法 => 正确写法」，此行缺少 =>：\(text)"
                        : "此行有多个 =>，每行只能写一组「错误写法 => 正确写法」：\(text)")
                }
                term = parts[0].trimmingCharacters(in: .whitespaces)
                let right = parts[1].trimmingCharacters(in: .whitespaces)
                if term.isEmpty { throw fail("=> 左边的错误写法为空：\(text)") }
                if right.isEmpty { throw fail("=> 右边的正确写法为空：\(text)") }
                if term == right { throw fail("错误写法与正确写法相同（\(term)），此行没有意义") }
                correction = right
            } else {
                // A stray `=>` in a plain list is almost always a typo entry put in the wrong
                // file; matching "a => b" literally would never hit anything.
                if text.contains(arrow) {
                    throw fail("只有文件名以 typos 开头的纠错词表才能写「错误写法 => 正确写法」；\(name) 每行只写一个词：\(text)")
                }
                term = text
            }
            if let earlier = firstLine[term] {
                throw fail("重复词条「\(term)」：第 \(earlier) 行已有")
            }
            firstLine[term] = number
            entries.append(WordEntry(term: term, correction: correction,
                                     definedAt: "\(RuleFiles.wordsDirectory)/\(name):\(number)"))
        }
        return WordList(file: name, entries: entries)
    }
}

/// Strict UTF-8 decoding that can say which line holds a bad byte.
enum TextLines {
    /// The file's lines, without `\n` / `\r\n` and without a leading byte-order mark.
    static func split(_ data: Data, displayPath: String) throws(RuleFileError) -> [String] {
        var lines: [String] = []
        let bytes = [UInt8](data)
        var start = 0
        var number = 0
        while start <= bytes.count {
            number += 1
            var end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            let next = end + 1
            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
            guard var line = String(validating: bytes[start..<end], as: UTF8.self) else {
                throw RuleFileError(file: displayPath, line: number,
                                    message: "此行不是有效的 UTF-8 文本（请以 UTF-8 编码保存，不要用 GBK）")
            }
            if number == 1, line.hasPrefix("\u{FEFF}") { line.removeFirst() }
            lines.append(line)
            start = next
        }
        return lines
    }

    /// The whole file as a string, with the same checks as `split`.
    static func decode(_ data: Data, displayPath: String) throws(RuleFileError) -> String {
        try split(data, displayPath: displayPath).joined(separator: "\n")
    }
}
