/// Why a rules directory was refused: the file, and where the line is known, the line and
/// column, so an officer editing `rules/local.yaml` can go straight to the mistake.
public struct RuleFileError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file as the caller named it: the directory passed to `RuleFiles.load` joined
    /// with the file's path inside it, e.g. `rules/local.yaml` or `rules/words/typos.txt`.
    public var file: String
    /// 1-based line, when the problem is at a place in the file.
    public var line: Int?
    /// 1-based column in Unicode scalars (as libyaml counts), when known.
    public var column: Int?
    /// Chinese, saying what is wrong and what to write instead.
    public var message: String

    /// Makes an error; `line` and `column` stay nil when the problem is the file as a whole.
    public init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `rules/local.yaml:12:5：…`, the shape editors and terminals turn into a link.
    public var description: String {
        var place = file
        if let line {
            place += ":\(line)"
            if let column { place += ":\(column)" }
        }
        return "\(place)：\(message)"
    }
}
