import Foundation
import GovMediaCore
import GovMediaMail
import GovMediaStore

/// What one sending pass did with one message.
public struct OutboxOutcome: Sendable {
    public var path: String
    public var messageID: String
    /// Delivered in this pass.
    public var sent: [String] = []
    /// Already delivered earlier: not sent again.
    public var alreadyDelivered: [String] = []
    /// Recipient and the last error.
    public var failed: [(recipient: String, error: String)] = []
    /// Every recipient has it; the file has moved to `sent/`.
    public var complete: Bool { failed.isEmpty }
}

/// The outbox: `.eml` files waiting for delivery. A message leaves it (for `sent/`) only
/// when every recipient has it; before each recipient the delivery table is checked, so a
/// message once delivered to someone is never sent to them again.
public struct Outbox: Sendable {
    public let store: Store
    public let settings: MailSettings

    public init(store: Store, settings: MailSettings) {
        self.store = store
        self.settings = settings
    }

    /// `2026-W06-3fa2c1d9e0b4.eml`: the week first so the outbox lists in order.
    static func fileName(week: ISOWeek, messageID: String) -> String {
        fileName(prefix: week.description, messageID: messageID)
    }

    /// `PREFIX-3fa2c1d9e0b4.eml`: a prefix that sorts the outbox, and the message id's hash.
    public static func fileName(prefix: String, messageID: String) -> String {
        "\(prefix)-\(AuditHash.sha256(Array(messageID.utf8)).prefix(12)).eml"
    }

    /// The messages waiting, oldest week first.
    public func pending() throws -> [String] {
        let dir = settings.outbox
        guard FileManager.default.fileExists(atPath: dir) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".eml") }.sorted()
            .map { URL(fileURLWithPath: dir).appendingPathComponent($0).path }
    }

    /// Sends every waiting message to every recipient that does not have it yet, with
    /// retries; records each outcome. Only one pass runs at a time per outbox.
    public func sendPending(now: @Sendable () -> Date = { Date() }) async throws -> [OutboxOutcome] {
        let lock = try OutboxLock(directory: settings.outbox)
        defer { lock.release() }
        let client = SMTPClient(settings: settings)
        var outcomes: [OutboxOutcome] = []
        for path in try pending() {
            let message: OutboxMessage
            do {
                message = try OutboxMessage(path: path)
            } catch {
                // One unreadable file must not hold up the rest of the outbox.
                var outcome = OutboxOutcome(path: path, messageID: "")
                outcome.failed.append(("（全部收件人）", error.problem))
                outcomes.append(outcome)
                continue
            }
            var outcome = OutboxOutcome(path: path, messageID: message.messageID)
            for recipient in message.recipients {
                if Task.isCancelled { break }
                if try store.isDelivered(messageID: message.messageID, recipient: recipient) {
                    outcome.alreadyDelivered.append(recipient)
                    continue
                }
                let attempt = await client.deliver(message.bytes, to: recipient)
                try store.recordDelivery(messageID: message.messageID, recipient: recipient, delivered: attempt.delivered,
                                         attempts: attempt.attempts, error: attempt.lastError, at: now(), emlPath: path)
                if attempt.delivered {
                    outcome.sent.append(recipient)
                } else {
                    outcome.failed.append((recipient, attempt.lastError ?? "未知错误"))
                }
            }
            if outcome.complete {
                let sentDir = URL(fileURLWithPath: settings.outbox).appendingPathComponent("sent")
                try WeeklyReportFiles.createDirectory(sentDir)
                let target = sentDir.appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent)
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.moveItem(atPath: path, toPath: target.path)
                outcome.path = target.path
            }
            outcomes.append(outcome)
        }
        return outcomes
    }
}

/// An exclusive `flock` on the outbox, so the daemon and an officer's `--send` never send
/// the same message at the same moment.
final class OutboxLock: Sendable {
    private let fd: Int32

    init(directory: String) throws {
        try WeeklyReportFiles.createDirectory(URL(fileURLWithPath: directory))
        let path = URL(fileURLWithPath: directory).appendingPathComponent(".sending.lock").path
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ReportError("无法打开发件箱锁文件 \(path)：\(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw ReportError("另一个进程正在发送发件箱 \(directory) 中的邮件，请稍后再试")
        }
    }

    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
