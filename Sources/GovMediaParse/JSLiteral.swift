import Foundation

/// Reads a JavaScript object or array literal that is not strict JSON, as CMS data files
/// write them: keys bare (`{title: …}`) or single-quoted, strings in `'…'` or template
/// literals, trailing commas, `//` and `/* */` comments, `undefined`, hex numbers. Foundation's
/// JSON parser is tried first (``JSONListReader/parse(_:)``); this is the fallback.
///
/// It runs no script: a value that is not a literal (a variable, a function call) is an error.
/// One forward pass with an explicit stack (no recursion, so deep nesting cannot exhaust a
/// thread's stack), nesting limited as Foundation limits JSON, and every error names the
/// byte of the body where reading stopped. Values come out as Foundation's would: `[String:
/// Any]`, `[Any]`, `String`, `NSNumber`, `NSNull`.
enum JSLiteral {
    /// The same limit as JSON gets from Foundation, so both readers refuse the same bodies.
    static let maxDepth = JSONFeedReader.foundationDepthLimit

    /// An object or array being read.
    private struct Frame {
        var isObject: Bool
        var object: [String: Any] = [:]
        var array: [Any] = []
        /// The member name read, waiting for its value.
        var key: String?
        var value: Any { isObject ? object : array }
    }

    /// The literal in `b` (indices are the body's); after it only blanks, comments and one `;`
    /// may follow.
    static func parse(_ b: ArraySlice<UInt8>) throws(ParseError) -> Any {
        var stack: [Frame] = []
        var i = ScriptBody.skipSpaceAndComments(b, b.startIndex)
        func fail(_ at: Int, _ reason: String) -> ParseError {
            ScriptBody.unexpected(b, at, at >= b.endIndex ? "内容在中途结束（可能被截断）" : reason)
        }
        while true {
            guard i < b.endIndex else { throw fail(i, "") }
            var value: Any
            let c = b[i]
            // A container closing straight away: `{}`, `[]`, or after a trailing comma.
            if let top = stack.last, c == (top.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")), top.key == nil {
                value = stack.removeLast().value
                i += 1
            } else {
                if let top = stack.last, top.isObject, top.key == nil {
                    stack[stack.count - 1].key = try key(b, &i)
                    i = ScriptBody.skipSpaceAndComments(b, i)
                    guard i < b.endIndex, b[i] == UInt8(ascii: ":") else { throw fail(i, "成员名后应为 `:`") }
                    i = ScriptBody.skipSpaceAndComments(b, i + 1)
                    guard i < b.endIndex else { throw fail(i, "") }
                }
                let v = b[i]
                if v == UInt8(ascii: "{") || v == UInt8(ascii: "[") {
                    guard stack.count < maxDepth else { throw fail(i, "嵌套超过 \(maxDepth) 层") }
                    stack.append(Frame(isObject: v == UInt8(ascii: "{")))
                    i = ScriptBody.skipSpaceAndComments(b, i + 1)
                    continue
                }
                value = try scalar(b, &i)
            }
            // Put the value in its container; close containers that end here.
            while true {
                i = ScriptBody.skipSpaceAndComments(b, i)
                guard !stack.isEmpty else {
                    if i < b.endIndex, b[i] == UInt8(ascii: ";") { i = ScriptBody.skipSpaceAndComments(b, i + 1) }
                    guard i == b.endIndex else { throw fail(i, "值之后还有多余的内容") }
                    return value
                }
                let top = stack.count - 1
                if stack[top].isObject {
                    stack[top].object[stack[top].key!] = value
                    stack[top].key = nil
                } else {
                    stack[top].array.append(value)
                }
                guard i < b.endIndex else { throw fail(i, "") }
                let close = stack[top].isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if b[i] == UInt8(ascii: ",") {
                    i = ScriptBody.skipSpaceAndComments(b, i + 1)
                    break
                }
                guard b[i] == close else {
                    throw fail(i, stack[top].isObject ? "成员之间应为 `,`，对象应以 `}` 结束" : "元素之间应为 `,`，数组应以 `]` 结束")
                }
                value = stack.removeLast().value
                i += 1
            }
        }
    }

    /// A member name: bare (`title`, `$id`, `标题`), quoted, or a number.
    private static func key(_ b: ArraySlice<UInt8>, _ i: inout Int) throws(ParseError) -> String {
        let c = b[i]
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "`") {
            return try ScriptBody.stringLiteral(b, &i)
        }
        let start = i
        while i < b.endIndex, isNameByte(b[i]) { i += 1 }
        guard i > start else { throw ScriptBody.unexpected(b, i, "应为成员名") }
        return String(decoding: b[start..<i], as: UTF8.self)
    }

    /// A string, number, `true`, `false`, `null`, `undefined`, `NaN` or `Infinity`.
    private static func scalar(_ b: ArraySlice<UInt8>, _ i: inout Int) throws(ParseError) -> Any {
        let c = b[i]
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "`") {
            return try ScriptBody.stringLiteral(b, &i)
        }
        let start = i
        if c == UInt8(ascii: "-") || c == UInt8(ascii: "+") { i += 1 }
        while i < b.endIndex, isNameByte(b[i]) || b[i] == UInt8(ascii: ".")
            || ((b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+")) && (b[i - 1] | 0x20) == UInt8(ascii: "e")) {
            i += 1
        }
        let word = String(decoding: b[start..<i], as: UTF8.self)
        switch word {
        case "true": return NSNumber(value: true)
        case "false": return NSNumber(value: false)
        case "null", "undefined": return NSNull()
        case "NaN", "Infinity", "-Infinity", "+Infinity": return NSNull()  // no JSON value; never a date or a title
        default: break
        }
        let unsigned = word.hasPrefix("-") || word.hasPrefix("+") ? word.dropFirst() : Substring(word)
        let negative = word.hasPrefix("-")
        if unsigned.lowercased().hasPrefix("0x"), let n = Int64(unsigned.dropFirst(2), radix: 16) { return NSNumber(value: negative ? -n : n) }
        if let n = Int64(word.hasPrefix("+") ? String(unsigned) : word) { return NSNumber(value: n) }
        if unsigned.first.map({ $0.isASCII && ($0.isNumber || $0 == ".") }) == true, let d = Double(word.hasPrefix("+") ? String(unsigned) : word) {
            return NSNumber(value: d)
        }
        throw ScriptBody.unexpected(b, start, word.isEmpty ? "应为值" : "不是可读取的值（不执行脚本）：\(word.prefix(40))")
    }

    /// Letters, digits, `_`, `$` and any non-ASCII byte (names may be Chinese).
    private static func isNameByte(_ c: UInt8) -> Bool {
        (c | 0x20) &- 0x61 < 26 || c &- 0x30 < 10 || c == UInt8(ascii: "_") || c == UInt8(ascii: "$") || c >= 0x80
    }
}
