import Foundation
import GovMediaCore
import GRDB

/// Reading a stored code back into its type. A value the code does not know (a row edited
/// behind the CLI's back, or written by a newer release) is an error naming the table, the
/// row and the column — never a default that would show a wrong verdict as if it were true.
enum StoredValue {
    static func decode<E: RawRepresentable>(_ raw: String, as type: E.Type, table: String, row: String, column: String) throws -> E
    where E.RawValue == String {
        guard let value = E(rawValue: raw) else {
            throw StoredValueError(table: table, row: row, column: column, value: raw)
        }
        return value
    }

    /// A stored instant (the fixed form ``ChinaTime/iso8601(_:)`` writes) read strictly: every
    /// stored time crosses into the code as a `Date`, read here, never as text to compare.
    static func instant(_ text: String, table: String, row: String, column: String) throws -> Date {
        guard let date = TextDate.readExact(text) else { throw StoredValueError(table: table, row: row, column: column, value: text) }
        return date
    }

    /// Stored JSON decoded strictly: malformed text is an error naming where it is.
    static func json<T: Decodable>(_ text: String, as type: T.Type, table: String, row: String, column: String) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) } catch {
            throw StoredValueError(table: table, row: row, column: column, value: String(text.prefix(80)))
        }
    }
}

/// A stored value that cannot be read: which table, row and column, and the value.
public struct StoredValueError: Error, CustomStringConvertible, Sendable {
    public var table: String
    public var row: String
    public var column: String
    public var value: String
    /// What is wrong with the value, when more can be said than that it is unknown.
    public var reason: String?

    public init(table: String, row: String, column: String, value: String, reason: String? = nil) {
        self.table = table
        self.row = row
        self.column = column
        self.value = value
        self.reason = reason
    }

    public var description: String {
        "数据库表 \(table) 的记录（\(row)）列 \(column) 的值“\(value)”无法识别\(reason.map { "（\($0)）" } ?? "")："
            + "该记录可能被绕过 govmedia 修改，或由更新版本写入；请运行 govmedia audit verify"
    }
}
