import Foundation

/// CSV for officers' spreadsheets: UTF-8 with a BOM so Excel and WPS detect the encoding,
/// CRLF line ends, and cells that a spreadsheet would run as a formula (`=`, `+`, `-`,
/// `@`, and tab or CR that some programs strip first) neutralised with a leading `'`.
public struct CSVWriter: Sendable {
    private var lines: [String] = []

    public init(header: [String]) { append(header) }

    public mutating func append(_ row: [String]) {
        lines.append(row.map(Self.cell).joined(separator: ","))
    }

    /// The file's bytes.
    public var bytes: [UInt8] { [0xEF, 0xBB, 0xBF] + Array((lines.joined(separator: "\r\n") + "\r\n").utf8) }

    static func cell(_ raw: String) -> String {
        var value = raw
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
