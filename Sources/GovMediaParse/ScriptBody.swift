import Foundation

/// Takes the value out of a body that wraps it in JavaScript, as government CMSes serve
/// list data: JSONP `name({...})` / `name({...});` (also `/**/name(…)`), `var x = {...};`
/// (`let`, `const`), `window.x = {...}`, `x.y = {...}`, and `export default …`. A value that
/// is a JS string or template literal (`export default \`<ul>…</ul>\``) is decoded to its
/// text (escapes undone; `${…}` left as written). One forward pass; no JavaScript is run.
enum ScriptBody {
    enum Value {
        /// JSON text: the bytes of the value and where they start in the body (for errors).
        case json(ArraySlice<UInt8>)
        /// A JS string's text.
        case string(String)
    }

    /// The wrapped value, and what wrapped it (for notes), or a parse error naming the byte.
    static func unwrap(_ b: [UInt8]) throws(ParseError) -> (value: Value, wrapper: String?) {
        var i = skipSpaceAndComments(b, 0)
        guard i < b.count else { throw ParseError("JSON 内容为空") }
        var wrapper: String?
        if b[i] != UInt8(ascii: "{"), b[i] != UInt8(ascii: "["), b[i] != UInt8(ascii: "\""), b[i] != UInt8(ascii: "'"),
           b[i] != UInt8(ascii: "`") {
            // `export default`, `var|let|const name =`, `name.chain =`, or `name.chain(`.
            let start = i
            var word = identifier(b, &i)
            if word == "export" {
                i = skipSpaceAndComments(b, i)
                guard identifier(b, &i) == "default" else { throw unexpected(b, i, "export 后应为 default") }
                wrapper = "export default"
            } else {
                if word == "var" || word == "let" || word == "const" {
                    i = skipSpaceAndComments(b, i)
                    word = identifier(b, &i)
                }
                guard !word.isEmpty else { throw unexpected(b, start, "不是 JSON，也不是 JSONP 或 JS 赋值") }
                // A chain: `window.data`, `jQuery.cb`.
                while i < b.count, b[i] == UInt8(ascii: ".") {
                    i += 1
                    let part = identifier(b, &i)
                    guard !part.isEmpty else { throw unexpected(b, i, "`.` 后应为名称") }
                    word += "." + part
                }
                i = skipSpaceAndComments(b, i)
                guard i < b.count else { throw unexpected(b, i, "内容在中途结束（可能被截断）") }
                if b[i] == UInt8(ascii: "=") {
                    wrapper = "JS 赋值 \(word) = …"
                } else if b[i] == UInt8(ascii: "(") {
                    wrapper = "JSONP \(word)(…)"
                } else {
                    throw unexpected(b, i, "不是 JSON，也不是 JSONP 或 JS 赋值")
                }
                i += 1
            }
            i = skipSpaceAndComments(b, i)
            guard i < b.count else { throw unexpected(b, i, "内容在中途结束（可能被截断）") }
        }
        let c = b[i]
        if c == UInt8(ascii: "`") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
            return (.string(try stringLiteral(b[...], &i)), wrapper)
        }
        guard c == UInt8(ascii: "{") || c == UInt8(ascii: "[") else {
            throw unexpected(b, i, "应为 JSON 对象或数组")
        }
        // Plain JSON is handed over whole (Foundation names the byte of any error); a
        // wrapped value ends where its brackets balance.
        if wrapper == nil { return (.json(b[i...]), nil) }
        let end = balancedEnd(b, i)
        return (.json(b[i..<end]), wrapper)
    }

    /// The index after the bracketed value at `start` (`{…}` or `[…]`), strings (template
    /// literals too) and comments stepped over, or the end of the body when the brackets never
    /// balance (the JSON parser then says where).
    private static func balancedEnd(_ b: [UInt8], _ start: Int) -> Int {
        var depth = 0
        var i = start
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "`") {
                i += 1
                while i < b.count, b[i] != c {
                    if b[i] == UInt8(ascii: "\\") { i += 1 }
                    i += 1
                }
            } else if c == UInt8(ascii: "/"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "/") || b[i + 1] == UInt8(ascii: "*") {
                // A `}` in a comment closes nothing.
                i = skipSpaceAndComments(b, i)
                continue
            } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                depth += 1
            } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { return i + 1 }
            }
            i += 1
        }
        return b.count
    }

    /// A JS string literal (`'…'`, `"…"` or a template literal) at `i`, decoded. Indices are
    /// the body's, so errors name the byte in the body.
    static func stringLiteral(_ b: ArraySlice<UInt8>, _ i: inout Int) throws(ParseError) -> String {
        let quote = b[i]
        let start = i
        i += 1
        // Not reserved for the rest of the body: a JS literal reads many short strings.
        var out: [UInt8] = []
        while i < b.endIndex {
            let c = b[i]
            if c == quote {
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c == UInt8(ascii: "\\"), i + 1 < b.endIndex {
                let e = b[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "v"): out.append(0x20)
                case UInt8(ascii: "0"): break
                case 0x0A: break  // a line continuation
                case 0x0D: if i < b.endIndex, b[i] == 0x0A { i += 1 }
                case UInt8(ascii: "u"), UInt8(ascii: "x"):
                    let scalar: UInt32?
                    if e == UInt8(ascii: "u"), i < b.endIndex, b[i] == UInt8(ascii: "{") {
                        var j = i + 1
                        while j < b.endIndex, b[j] != UInt8(ascii: "}"), j - i < 8 { j += 1 }
                        scalar = hex(b, i + 1, j)
                        i = min(j + 1, b.endIndex)
                    } else {
                        let n = e == UInt8(ascii: "u") ? 4 : 2
                        scalar = i + n <= b.endIndex ? hex(b, i, i + n) : nil
                        i = min(i + n, b.endIndex)
                    }
                    var value = scalar ?? 0xFFFD
                    // A surrogate pair written as two \u escapes.
                    if value >= 0xD800, value < 0xDC00, i + 6 <= b.endIndex, b[i] == UInt8(ascii: "\\"),
                       b[i + 1] == UInt8(ascii: "u"), let low = hex(b, i + 2, i + 6), low >= 0xDC00, low < 0xE000 {
                        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                    out.append(contentsOf: Array(String(Character(Unicode.Scalar(value) ?? "\u{FFFD}")).utf8))
                default: out.append(e)
                }
                continue
            }
            if c == 0x0A, quote != UInt8(ascii: "`") {
                throw unexpected(b, i, "字符串在行尾没有闭合（第 \(start + 1) 字节起）")
            }
            out.append(c)
            i += 1
        }
        throw unexpected(b, start, "字符串没有闭合（可能被截断）")
    }

    private static func hex(_ b: ArraySlice<UInt8>, _ from: Int, _ to: Int) -> UInt32? {
        guard from < to, to <= b.endIndex else { return nil }
        return UInt32(String(decoding: b[from..<to], as: UTF8.self), radix: 16)
    }

    private static func identifier(_ b: [UInt8], _ i: inout Int) -> String {
        let start = i
        while i < b.count {
            let c = b[i]
            let isID = (c | 0x20) &- 0x61 < 26 || c &- 0x30 < 10 || c == UInt8(ascii: "_") || c == UInt8(ascii: "$")
            guard isID else { break }
            i += 1
        }
        return String(decoding: b[start..<i], as: UTF8.self)
    }

    /// Past blanks and `/* … */` / `// …` comments.
    static func skipSpaceAndComments(_ b: [UInt8], _ from: Int) -> Int { skipSpaceAndComments(b[...], from) }

    /// Past blanks and comments in a part of the body (indices are the body's).
    static func skipSpaceAndComments(_ b: ArraySlice<UInt8>, _ from: Int) -> Int {
        var i = from
        while i < b.endIndex {
            let c = b[i]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
                i += 1
            } else if c == UInt8(ascii: "/"), i + 1 < b.endIndex, b[i + 1] == UInt8(ascii: "*") {
                i += 2
                while i + 1 < b.endIndex, !(b[i] == UInt8(ascii: "*") && b[i + 1] == UInt8(ascii: "/")) { i += 1 }
                i += 2
            } else if c == UInt8(ascii: "/"), i + 1 < b.endIndex, b[i + 1] == UInt8(ascii: "/") {
                while i < b.endIndex, b[i] != 0x0A { i += 1 }
            } else {
                break
            }
        }
        return min(i, b.endIndex)
    }

    private static func unexpected(_ b: [UInt8], _ at: Int, _ reason: String) -> ParseError { unexpected(b[...], at, reason) }

    /// The parse error at byte `at` of the body (counted from 1, as officers count).
    static func unexpected(_ b: ArraySlice<UInt8>, _ at: Int, _ reason: String) -> ParseError {
        ParseError("JSON 格式错误（第 \(min(at, b.endIndex) + 1) 字节附近）：\(reason)")
    }
}
