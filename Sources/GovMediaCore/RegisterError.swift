/// A problem in register data, naming the entry (position and id) and the field, so an
/// officer can find it in the file without reading code.
public struct RegisterError: Error, Equatable, CustomStringConvertible, Sendable {
    /// 1-based position in the file's `accounts` array, when the data came from a file.
    public var position: Int?
    public var accountID: String?
    public var field: String?
    public var problem: String

    public init(position: Int? = nil, accountID: String? = nil, field: String? = nil, problem: String) {
        self.position = position
        self.accountID = accountID
        self.field = field
        self.problem = problem
    }

    public var description: String {
        var parts: [String] = []
        switch (position, accountID) {
        case let (p?, id?): parts.append("第 \(p) 条（id=\(id)）")
        case let (p?, nil): parts.append("第 \(p) 条")
        case let (nil, id?): parts.append("账号 \(id)")
        case (nil, nil): break
        }
        if let field { parts.append("字段 \(field)") }
        return (parts.isEmpty ? "" : parts.joined(separator: " ") + "：") + problem
    }
}
