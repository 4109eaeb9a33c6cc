import Foundation
import GovMediaCore
import GovMediaRules
import GovMediaScan
import GovMediaStore
import Testing

/// What an evaluation stores of its rules is exactly what its version hashes.
@Suite("rules snapshot")
struct RulesSnapshotTests {
    private static let repositoryRules = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("rules").path

    @Test("the stored files hash to the stored version; files the version does not cover are not stored")
    func snapshotIsTheHashedFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("govmedia-snapshot-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = dir.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.repositoryRules, toPath: rules.path)
        // Beside the rules: a note for people and an editor's backup, neither of them hashed.
        try Data("说明".utf8).write(to: rules.appendingPathComponent("README.md"))
        try Data("旧词".utf8).write(to: rules.appendingPathComponent("words/.typos.txt.swp"))

        let store = try Store(path: dir.appendingPathComponent("govmedia.sqlite").path)
        let assessment = try Assessment(store: store, rulesDirectory: rules.path)
        _ = try assessment.run(at: Date(timeIntervalSince1970: 1_793_000_000), trigger: "test")

        let stored = try #require(try store.ruleFiles(version: assessment.rules.version))
        #expect(stored == assessment.rules.files)
        #expect(RuleFiles.version(of: stored) == assessment.rules.version)
        #expect(stored.map(\.path).contains("national.yaml"))
        #expect(!stored.map(\.path).contains("README.md"))
        #expect(!stored.map(\.path).contains { $0.hasSuffix(".swp") })
        #expect(try store.ruleFiles(version: String(repeating: "0", count: 64)) == nil)
    }
}
