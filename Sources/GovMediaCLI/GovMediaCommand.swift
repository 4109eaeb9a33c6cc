import ArgumentParser
import Foundation
import GovMediaCore
import GovMediaStore

/// `govmedia`: the root of the command tree. Every command is listed here.
public struct GovMediaCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "govmedia",
        abstract: "政务新媒体合规监测：台账、抓取、评判、年报核对与周报。",
        version: "0.1.0",
        subcommands: [AccountCommand.self, ScanCommand.self, SourcesCommand.self, ProbeCommand.self, EvaluateCommand.self, StatusCommand.self, FindingsCommand.self,
                      ExplainCommand.self, ScoresCommand.self, PostsCommand.self, EvidenceCommand.self, ReviewCommand.self,
                      AuditCommand.self, RectifyCommand.self, NotifyCommand.self, ReportCommand.self, DaemonCommand.self, DemoCommand.self, DisclosureCommand.self]
    )

    public init() {}

    /// Parses `arguments`, runs the command and exits with its status. Domain failures are
    /// printed in Chinese as `错误：…` with exit status 1.
    public static func main(_ arguments: [String]) async {
        do {
            var command = try parseAsRoot(arguments)
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let error as CLIFailure {
            fail(error.description)
        } catch let error as StoreError {
            fail(error.description)
        } catch let error as RegisterError {
            fail(error.description)
        } catch let error as RectificationError {
            fail(error.description)
        } catch {
            exit(withError: error)
        }
    }

    private static func fail(_ message: String) -> Never {
        outputError("错误：\(message)\n")
        Foundation.exit(1)
    }
}

/// `govmedia audit`: checks that the ledgers are intact.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "核验台账事件与三审记录的哈希链。", subcommands: [Verify.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "重新计算哈希链，指出第一条对不上的记录，并与外部锚点（锚点文件或周报中的哈希）核对；有问题时退出码非零。")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "外部锚点：锚点文件路径，或周报中印出的 64 位哈希（默认：数据库旁的 .anchors 文件，存在时）")
        var anchor: String?
        @Flag(help: "以 JSON 输出") var json = false

        func run() throws {
            let store = try db.openForReading()
            var problems = try store.verifyAudit()
            var anchored: String?
            if let anchor, anchor.count == 64, anchor.allSatisfy(\.isHexDigit), !FileManager.default.fileExists(atPath: anchor) {
                problems += try store.verify(anchorHash: anchor.lowercased())
                anchored = "哈希 \(anchor.prefix(16))…"
            } else {
                let file = anchor.map(AnchorFile.init(path:)) ?? AnchorFile(database: db.resolvedPath)
                if anchor != nil || FileManager.default.fileExists(atPath: file.path) {
                    problems += try store.verify(anchorFile: file)
                    anchored = "锚点文件 \(file.path)"
                }
            }
            if json {
                try printJSON(problems.map { ["ledger": $0.ledger, "seq": $0.seq.map(String.init) ?? "", "record": $0.recordID, "problem": $0.problem] })
            } else if problems.isEmpty {
                output("核验通过：台账事件链（含账号标记）、三审记录链与整改事件链完整，台账、整改事项与事件一致" + (anchored.map { "，与\($0)一致" } ?? "") + "。\n")
                for head in try store.chainHeads() {
                    output("  \(head.ledger.chineseName)：共 \(head.count) 条，末条哈希 \(head.hash)\n")
                }
            } else {
                output("核验失败，发现 \(problems.count) 处问题：\n" + problems.map { "  - \($0)\n" }.joined())
            }
            if !problems.isEmpty { throw ExitCode(2) }
        }
    }
}
