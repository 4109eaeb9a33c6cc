import Foundation

/// A path into a JSON value, as the register writes it for ``JSONListProfile``.
///
/// The language, in full:
///
/// | written | means |
/// | --- | --- |
/// | `` (empty) or `$` | the value itself (the root, or the item) |
/// | `custom.data` | member `data` of member `custom` |
/// | `$.custom.data` | the same (a leading `$.` is allowed) |
/// | `data.list[0]` | the first element of the array `data.list` |
/// | `data.list[-1]` | the last element |
/// | `data.list[*]` | every element of `data.list` |
/// | `data[*].rows` | member `rows` of every element of `data` (results in order) |
/// | `data["pub.date"]`, `data['标题']` | a member whose name has `.`, `[` or other characters |
///
/// - Member names are written bare when they hold no `.`, `[`, `]`, quote or space; any
///   other name is quoted in brackets. Names are matched exactly (case counts).
/// - A path selects zero or more values. Where a list is wanted (the `items` path), a
///   selected array stands for its elements, so `data.list` and `data.list[*]` read the
///   same. Where one value is wanted (`title`, `link`, `date`), the first selected value is
///   taken; `null` counts as absent.
/// - A step that does not apply (a member of an array, an index of an object, an index out
///   of range) selects nothing; it is no error. A path that selects nothing is reported as
///   a problem naming it.
/// - A path that cannot be read (`data..list`, `data[x]`, `data[1`) is refused with an error
///   naming the path and the character where it went wrong.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    public enum Step: Sendable, Hashable {
        case member(String)
        case index(Int)
        case all
    }

    /// The path as written.
    public let text: String
    public let steps: [Step]

    /// Why a path could not be read, naming it.
    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        /// 1-based position of the character where reading stopped.
        public var position: Int
        public var reason: String
        public var description: String { "JSON 路径 `\(path)` 第 \(position) 个字符处有误：\(reason)" }
    }

    /// Reads `text`; throws ``SyntaxError`` naming the path when it is not a path.
    public init(_ text: String) throws(SyntaxError) {
        self.text = text
        self.steps = try JSONPath.parse(text)
    }

    public var description: String { text }

    /// Why `text` is not a path, or nil when it is one (for register validation).
    public static func problem(_ text: String) -> String? {
        do {
            _ = try JSONPath(text)
            return nil
        } catch {
            return error.description
        }
    }

    /// Whether the path is the root itself.
    public var isRoot: Bool { steps.isEmpty }

    private static func parse(_ text: String) throws(SyntaxError) -> [Step] {
        let chars = Array(text.trimmingWhitespace())
        func fail(_ at: Int, _ reason: String) -> SyntaxError {
            SyntaxError(path: text, position: at + 1, reason: reason)
        }
        var i = 0
        // `nameAllowed`: a bare name may stand here (at the start, or after `$.` or `.`).
        var nameAllowed = true
        if chars.first == "$" {
            i = 1
            nameAllowed = false
            if i < chars.count, chars[i] == "." {
                i += 1
                guard i < chars.count else { throw fail(i - 1, "`.` 后缺少成员名") }
                nameAllowed = true
            }
        }
        var steps: [Step] = []
        let special: Set<Character> = [".", "[", "]", "\"", "'", " "]
        while i < chars.count {
            let c = chars[i]
            if c == "[" {
                var j = i + 1
                guard j < chars.count else { throw fail(i, "`[` 没有闭合") }
                if chars[j] == "*" {
                    guard j + 1 < chars.count, chars[j + 1] == "]" else { throw fail(j + 1, "`[*` 后应为 `]`") }
                    steps.append(.all)
                    i = j + 2
                } else if chars[j] == "\"" || chars[j] == "'" {
                    let quote = chars[j]
                    j += 1
                    var name = ""
                    while j < chars.count, chars[j] != quote {
                        if chars[j] == "\\", j + 1 < chars.count { j += 1 }
                        name.append(chars[j])
                        j += 1
                    }
                    guard j < chars.count else { throw fail(i, "引号没有闭合") }
                    guard j + 1 < chars.count, chars[j + 1] == "]" else { throw fail(j + 1, "引号后应为 `]`") }
                    steps.append(.member(name))
                    i = j + 2
                } else {
                    var digits = ""
                    if chars[j] == "-" { digits.append("-"); j += 1 }
                    while j < chars.count, chars[j].isASCII, chars[j].isNumber { digits.append(chars[j]); j += 1 }
                    guard let n = Int(digits) else { throw fail(j, "方括号内应为数字、* 或带引号的成员名") }
                    guard j < chars.count, chars[j] == "]" else { throw fail(j, "`[` 没有闭合") }
                    steps.append(.index(n))
                    i = j + 1
                }
                nameAllowed = false
                continue
            }
            if c == "." {
                guard !nameAllowed else { throw fail(i, "`.` 前缺少成员名") }
                i += 1
                guard i < chars.count, !special.contains(chars[i]) else { throw fail(i, "`.` 后缺少成员名") }
                nameAllowed = true
                continue
            }
            guard nameAllowed else { throw fail(i, "成员名前应有 `.`") }
            guard !special.contains(c) else { throw fail(i, "成员名中不能有 `\(c)`，请写成 [\"名称\"]") }
            var name = ""
            while i < chars.count, !special.contains(chars[i]) {
                name.append(chars[i])
                i += 1
            }
            if i < chars.count, chars[i] != ".", chars[i] != "[" {
                throw fail(i, "成员名中不能有 `\(chars[i])`，请写成 [\"名称\"]")
            }
            steps.append(.member(name))
            nameAllowed = false
        }
        return steps
    }

    /// Every value the path selects in `value`, in document order.
    public func select(in value: Any) -> [Any] {
        var current: [Any] = [value]
        for step in steps {
            var next: [Any] = []
            for v in current {
                switch step {
                case .member(let name):
                    if let object = v as? [String: Any], let m = object[name] { next.append(m) }
                case .index(let n):
                    if let array = v as? [Any] {
                        let k = n < 0 ? array.count + n : n
                        if k >= 0, k < array.count { next.append(array[k]) }
                    }
                case .all:
                    if let array = v as? [Any] { next.append(contentsOf: array) }
                }
            }
            current = next
            if current.isEmpty { break }
        }
        return current.filter { !($0 is NSNull) }
    }

    /// The first selected value.
    public func first(in value: Any) -> Any? { select(in: value).first }

    /// The path extended by one step (for writing paths the probe found).
    func appending(_ step: Step) -> JSONPath {
        JSONPath(text: JSONPath.write(steps + [step]), steps: steps + [step])
    }

    private init(text: String, steps: [Step]) {
        self.text = text
        self.steps = steps
    }

    static let root = JSONPath(text: "$", steps: [])

    /// The canonical text of `steps`: bare names where they can be, `$` for none.
    static func write(_ steps: [Step]) -> String {
        guard !steps.isEmpty else { return "$" }
        var out = ""
        for step in steps {
            switch step {
            case .member(let name):
                let bare = !name.isEmpty && !name.contains { ".[]\"' ".contains($0) } && name != "$"
                if bare {
                    out += out.isEmpty ? name : "." + name
                } else {
                    out += "[\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"]"
                }
            case .index(let n): out += "[\(n)]"
            case .all: out += "[*]"
            }
        }
        return out
    }
}
