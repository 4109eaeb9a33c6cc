/// Tells a report file that was cut short from one in a charset the monitor cannot read.
///
/// A download or copy that stops early usually stops in the middle of a Chinese character:
/// the bytes are valid UTF-8 (or GB18030) up to the last one to three bytes, which begin a
/// character that never ends. Such a file should be reported as cut (截断), with where,
/// not as "not UTF-8/GB18030", which would send the officer looking for a charset problem.
public enum TruncatedBytes {
    /// A `.truncated` error when `bytes` are valid UTF-8, or well-formed GB18030, except for
    /// an incomplete character at the very end; nil when they are whole, or wrong elsewhere.
    ///
    /// Meant for the moment a file fails to decode: call it before saying the charset is wrong.
    public static func diagnose(_ bytes: [UInt8]) -> DisclosureError? {
        var body = bytes
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body.removeFirst(3) }
        // Whole UTF-8 is never truncated as far as bytes can tell (much UTF-8 also parses as GB18030).
        if String(validating: body, as: UTF8.self) != nil { return nil }
        if let cut = utf8Cut(body) {
            return error(charset: "UTF-8", cut: cut, total: bytes.count, body: body)
        }
        if let cut = gb18030Cut(body) {
            return error(charset: "GB18030（GBK）", cut: cut, total: bytes.count, body: body)
        }
        return nil
    }

    private static func error(charset: String, cut: Int, total: Int, body: [UInt8]) -> DisclosureError {
        // The line the text stops on, counted in the complete part.
        let line = body.dropLast(cut).reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        return DisclosureError(
            kind: .truncated, line: line,
            expected: "文件被截断：共\(total)字节，末尾\(cut)个字节是不完整的\(charset)字符，之前的内容都是有效的\(charset)。"
                + "文件可能没有下载或复制完整，请取得完整的文件后重新导入")
    }

    /// How many bytes at the end start a UTF-8 character that never ends, when all the
    /// bytes before them are valid UTF-8.
    static func utf8Cut(_ bytes: [UInt8]) -> Int? {
        for cut in 1...3 where cut <= bytes.count {
            let tail = bytes.suffix(cut)
            guard let lead = tail.first else { continue }
            let needed: Int
            switch lead {
            case 0xC2...0xDF: needed = 2
            case 0xE0...0xEF: needed = 3
            case 0xF0...0xF4: needed = 4
            default: continue
            }
            guard needed > cut, tail.dropFirst().allSatisfy({ (0x80...0xBF).contains($0) }) else { continue }
            if String(validating: bytes.dropLast(cut), as: UTF8.self) != nil { return cut }
        }
        return nil
    }

    /// How many bytes at the end start a GB18030 character that never ends, when all the
    /// bytes before them are well-formed GB18030 with at least one two- or four-byte
    /// character (so plain ASCII followed by one stray byte is not taken for GB18030).
    static func gb18030Cut(_ bytes: [UInt8]) -> Int? {
        var index = 0
        var sawMultibyte = false
        let count = bytes.count
        while index < count {
            let first = bytes[index]
            if first < 0x80 {
                index += 1
                continue
            }
            guard (0x81...0xFE).contains(first) else { return nil }
            guard index + 1 < count else { return sawMultibyte ? 1 : nil }
            let second = bytes[index + 1]
            if (0x40...0x7E).contains(second) || (0x80...0xFE).contains(second) {
                sawMultibyte = true
                index += 2
                continue
            }
            guard (0x30...0x39).contains(second) else { return nil }
            guard index + 2 < count else { return sawMultibyte ? 2 : nil }
            guard (0x81...0xFE).contains(bytes[index + 2]) else { return nil }
            guard index + 3 < count else { return sawMultibyte ? 3 : nil }
            guard (0x30...0x39).contains(bytes[index + 3]) else { return nil }
            sawMultibyte = true
            index += 4
        }
        return nil
    }
}
