import Foundation
import GRDB

/// The govmedia database: one SQLite file in WAL mode (officers' reads never wait for a
/// scan), foreign keys on, schema moved only by migrations.
public final class Store: Sendable {
    /// The GRDB pool; other store files add their queries through it.
    public let pool: DatabasePool
    public let path: String

    /// Opens (creating when allowed) and migrates the database at `path`.
    /// - Parameter readOnly: open without the right to write, for commands that only read.
    public init(path: String, readOnly: Bool = false) throws(StoreError) {
        self.path = path
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw StoreError(path: path, problem: "数据库所在目录不存在：\(directory)")
        }
        if readOnly && !FileManager.default.fileExists(atPath: path) {
            throw StoreError(path: path, problem: "数据库不存在；先运行 govmedia account import 登记账号")
        }
        var config = Configuration()
        config.readonly = readOnly
        // Another process (the daemon, an officer's import, a backup) may hold the write lock
        // for a while; a scan's batches wait for it rather than stop the scan.
        config.busyMode = .timeout(60)
        config.foreignKeysEnabled = true
        config.label = "govmedia"
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Self.checkVersion(pool, readOnly: readOnly)
            if !readOnly {
                try Schema.migrator.migrate(pool)
                // The version check read through a connection that knew the old schema; a
                // statement it prepares may keep the old columns (a `SELECT *` read before
                // v13 would miss three of `finding`'s). Reads start on fresh connections.
                pool.invalidateReadOnlyConnections()
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where readOnly && [.SQLITE_READONLY, .SQLITE_CANTOPEN].contains(error.resultCode) {
            // WAL readers need to create the -shm file beside the database when no writer has it open.
            throw StoreError(path: path, problem: "无法以只读方式打开数据库：当前用户不能写入其所在目录 \(directory)，"
                             + "而 WAL 模式的读取需要在该目录中创建共享内存文件（-shm）。请以 govmedia 组成员身份运行（安装脚本已授予该组目录写权限），"
                             + "或在守护进程运行时查询")
        } catch {
            throw StoreError(path: path, error)
        }
    }

    private static func checkVersion(_ pool: DatabasePool, readOnly: Bool) throws {
        try pool.read { db in
            if try Schema.migrator.hasBeenSuperseded(db) {
                throw StoreError(path: db.description, problem: "数据库由更新版本的 govmedia 创建，当前版本无法安全使用；请升级 govmedia")
            }
            if readOnly, try !Schema.migrator.hasCompletedMigrations(db) {
                throw StoreError(path: db.description, problem: "数据库结构需要升级；请以有写权限的用户运行一次 govmedia account list")
            }
        }
    }

    /// Runs `body` in one IMMEDIATE transaction: everything or nothing, and no other
    /// writer (a daemon, another officer) can slip in between its read and its write.
    public func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: path, error)
        }
    }

    /// Runs `body` on a read snapshot.
    public func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: path, error)
        }
    }
}

/// A database problem said so an officer or operator can act on it: which file, what went
/// wrong, and for SQLite errors the result code behind it.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var problem: String
    /// Errors raised by the domain inside a transaction, kept so callers can show them as is.
    public var underlying: (any Error)?

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    init(path: String, _ error: any Error) {
        self.path = path
        if let db = error as? DatabaseError {
            problem = Self.explain(db)
        } else {
            problem = "\(error)"
            underlying = error
        }
    }

    public var description: String {
        underlying.map { "\($0)" } ?? "数据库 \(path)：\(problem)"
    }

    private static func explain(_ e: DatabaseError) -> String {
        switch e.resultCode {
        case .SQLITE_READONLY: "数据库只读，无法写入（检查文件权限或所在目录权限）"
        case .SQLITE_CANTOPEN: "无法打开数据库文件（检查路径与权限）"
        case .SQLITE_FULL: "磁盘已满，写入失败；未写入任何内容"
        case .SQLITE_NOTADB: "文件不是 SQLite 数据库"
        case .SQLITE_CORRUPT: "数据库文件已损坏"
        case .SQLITE_BUSY, .SQLITE_LOCKED: "数据库正忙（其他进程长时间占用写锁），请稍后重试"
        default: "SQLite 错误 \(e.resultCode.rawValue)：\(e.message ?? "")" + (e.sql.map { "（SQL：\($0)）" } ?? "")
        }
    }
}
