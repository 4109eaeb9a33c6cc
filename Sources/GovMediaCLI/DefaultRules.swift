import Foundation
import GovMediaCore
import GovMediaDemo
import GovMediaScan

/// The rules directory when none is given: an installed one if there is one, else the rules
/// compiled into the binary, written once to a cache directory named by their content, so
/// the binary judges accounts from anywhere.
func defaultRulesDirectory() -> String {
    if let installed = Assessment.installedRulesDirectory() { return installed }
    let files = DemoResources.rules
    let digest = AuditHash.sha256(files.keys.sorted().flatMap { Array($0.utf8) + files[$0]! })
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("govmedia-rules-\(digest.prefix(16))")
    if !FileManager.default.fileExists(atPath: root.appendingPathComponent("local.yaml").path) {
        for (path, bytes) in files {
            let url = root.appendingPathComponent(path)
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? Data(bytes).write(to: url, options: .atomic)
        }
    }
    return root.path
}
