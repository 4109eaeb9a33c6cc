import Foundation

/// One scan at a time per database: an exclusive `flock` on a file beside it. The kernel
/// drops the lock when the process dies, so a killed scan never leaves it stuck.
public final class ScanLock: Sendable {
    private let fd: Int32
    public let path: String

    /// Takes the lock, or throws `ScanLockError.busy` when another process scans.
    public init(databasePath: String) throws(ScanLockError) {
        path = databasePath + ".scan-lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o660)
        guard fd >= 0 else { throw ScanLockError.unavailable(path: path, errno: errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            throw ScanLockError.busy(holder: holder ?? "")
        }
        self.fd = fd
        // Who holds it, for the refusal message of whoever comes next.
        _ = ftruncate(fd, 0)
        let note = "pid \(getpid())\n"
        _ = note.withCString { write(fd, $0, strlen($0)) }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

/// Why the scan lock could not be taken.
public enum ScanLockError: Error, CustomStringConvertible {
    case busy(holder: String)
    case unavailable(path: String, errno: Int32)

    public var description: String {
        switch self {
        case .busy(let holder):
            "另一个扫描正在进行（\(holder.isEmpty ? "其他进程" : holder)），本次未开始；请等它结束后再试"
        case .unavailable(let path, let code):
            "无法创建扫描锁文件 \(path)：\(String(cString: strerror(code)))"
        }
    }
}
