import Foundation
import GovMediaRules

/// Paths to the shipped fixture directories and scratch copies of them.
enum Fixture {
    /// A fixture rules directory shipped with the tests.
    static func path(_ name: String) -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil) else {
            fatalError("fixture \(name) missing from the test bundle")
        }
        return url.path
    }

    /// The repository's real `rules/` directory.
    static let repositoryRules = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("rules").path

    /// A fresh copy of a fixture in a temporary directory, for tests that edit files.
    static func copy(_ name: String) throws -> String {
        let target = FileManager.default.temporaryDirectory
            .appendingPathComponent("govmedia-rules-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: path(name), toPath: target)
        return target
    }

    /// Loads and returns the error, or nil if the directory loaded.
    static func error(loading directory: String) -> RuleFileError? {
        do {
            _ = try RuleFiles.load(directory: directory)
            return nil
        } catch {
            return error
        }
    }
}

/// File edits for the scratch copies.
extension String {
    /// Rewrites the file at this path through `edit`.
    func edit(_ edit: (String) -> String) throws {
        let text = try String(contentsOfFile: self, encoding: .utf8)
        try edit(text).write(toFile: self, atomically: true, encoding: .utf8)
    }

    /// This path joined with `component`.
    func appending(_ component: String) -> String { self + "/" + component }
}
