import Foundation
import Mustache

/// The HTML template: officers' copy under `rules/templates/weekly.html.mustache` when
/// present, else the copy compiled into the binary (the same text, kept equal by a test).
public struct ReportTemplate: Sendable {
    /// Where the template came from: a path, or `内置模板`.
    public let source: String
    let template: MustacheTemplate

    /// The file name under the rules directory's `templates/`.
    public static let fileName = "weekly.html.mustache"

    /// Parses template text; a syntax error names the source and what is wrong.
    public init(text: String, source: String) throws(ReportError) {
        do {
            template = try MustacheTemplate(string: text)
        } catch {
            throw ReportError("报告模板 \(source) 有语法错误：\(error)")
        }
        self.source = source
    }

    /// The compiled-in template.
    public static func builtIn() -> ReportTemplate {
        // The built-in text is tested to parse; failing here is a build defect.
        try! ReportTemplate(text: DefaultTemplate.weeklyHTML, source: "内置模板")
    }

    /// `rulesDirectory/templates/weekly.html.mustache` if it exists, else the built-in one.
    public static func load(rulesDirectory: String?) throws(ReportError) -> ReportTemplate {
        guard let rulesDirectory else { return builtIn() }
        let path = URL(fileURLWithPath: rulesDirectory).appendingPathComponent("templates/\(fileName)").path
        guard FileManager.default.fileExists(atPath: path) else { return builtIn() }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ReportError("报告模板 \(path) 无法读取，或不是 UTF-8 文本")
        }
        return try ReportTemplate(text: text, source: path)
    }

    func render(_ context: [String: Any]) -> String { template.render(context) }
}

/// A report that cannot be made or delivered, said so an officer can act on it.
public struct ReportError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
