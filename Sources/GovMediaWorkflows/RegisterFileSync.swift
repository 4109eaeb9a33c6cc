import Foundation
import GovMediaCore
import GovMediaStore

/// Keeping the database in step with a register file (`register:` in the daemon's config):
/// the file is applied when its content differs from the version last applied (remembered
/// in the database, so a restart applies nothing), entries it did not change are left as
/// officers made them, and conflicts are reported — never a reason to stop the service.
public struct RegisterFileSync: Sendable {
    public let store: Store
    public let path: String

    public init(store: Store, path: String) {
        self.store = store
        self.path = path
    }

    /// What a sync found.
    public enum Outcome: Sendable {
        /// The file is the version last applied.
        case unchanged
        /// The file was applied; `refused` lists entries the database kept its own way.
        case applied(ImportSummary, refused: [RegisterDrift])
    }

    /// Reads the file and applies it if it changed. A file that cannot be read or decoded
    /// is an error naming the file, entry and field; nothing is written then.
    public func run(by who: Attribution) throws -> Outcome {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw RegisterFileError(path: path, problem: "无法读取台账文件（不存在或无权限）")
        }
        let digest = AuditHash.sha256(data)
        if try store.appliedRegisterDigest(path: path) == digest { return .unchanged }
        let accounts: [Account]
        do { accounts = try RegisterFile.decode(data) } catch { throw RegisterFileError(path: path, problem: "\(error)") }
        let result = try store.applyRegisterFile(path: path, digest: digest, content: data, accounts: accounts, by: who)
        return .applied(result.summary, refused: result.refused)
    }
}

/// A register file that could not be applied: which file and why.
public struct RegisterFileError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var problem: String

    public var description: String { "台账文件 \(path)：\(problem)" }
}
