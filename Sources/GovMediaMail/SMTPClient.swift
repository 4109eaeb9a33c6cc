import Foundation

/// Why a message did not reach a recipient.
public struct SMTPError: Error, CustomStringConvertible, Sendable, Equatable {
    public var recipient: String
    /// What libcurl and the server said, in Chinese where it is ours.
    public var problem: String
    /// True when trying again cannot help (5xx reply, login refused, bad address).
    public var permanent: Bool

    public init(recipient: String, problem: String, permanent: Bool) {
        self.recipient = recipient
        self.problem = problem
        self.permanent = permanent
    }

    public var description: String { "发送给 \(recipient) 失败：\(problem)" }
}

/// The outcome of delivering to one recipient, after retries.
public struct DeliveryAttempt: Sendable, Equatable {
    public var recipient: String
    public var delivered: Bool
    /// Tries made in this pass.
    public var attempts: Int
    public var lastError: String?
}

/// Sends messages over SMTP (smtp://, smtps://, STARTTLS) with libcurl: one conversation
/// per recipient, so each recipient's outcome is known and recorded on its own.
public struct SMTPClient: Sendable {
    public let settings: MailSettings

    public init(settings: MailSettings) { self.settings = settings }

    /// One try at sending `message` to `recipient`.
    public func send(_ message: [UInt8], to recipient: String) throws(SMTPError) {
        let transfer = try SMTPTransfer(message: message)
        try transfer.send(settings: settings, recipient: recipient)
    }

    /// Sends with up to `settings.attempts` tries, waiting `retryDelaySeconds` and then
    /// twice as long before each further try; stops early on a permanent failure.
    public func deliver(_ message: [UInt8], to recipient: String) async -> DeliveryAttempt {
        var delay = settings.retryDelaySeconds
        var lastError: String?
        for attempt in 1...max(1, settings.attempts) {
            do {
                // libcurl blocks: keep it off the cooperative pool's few threads.
                try await Self.blocking { () throws(SMTPError) in try send(message, to: recipient) }
                return DeliveryAttempt(recipient: recipient, delivered: true, attempts: attempt, lastError: nil)
            } catch {
                lastError = error.problem
                if error.permanent || attempt == settings.attempts {
                    return DeliveryAttempt(recipient: recipient, delivered: false, attempts: attempt, lastError: lastError)
                }
            }
            // A service asked to stop does not wait out a retry: the message stays in the outbox.
            do { try await Task.sleep(nanoseconds: UInt64(delay * 1e9)) } catch {
                return DeliveryAttempt(recipient: recipient, delivered: false, attempts: attempt, lastError: "已取消（服务停止）")
            }
            delay *= 2
        }
        return DeliveryAttempt(recipient: recipient, delivered: false, attempts: settings.attempts, lastError: lastError)
    }

    private static func blocking(_ body: @escaping @Sendable () throws(SMTPError) -> Void) async throws(SMTPError) {
        let result: Result<Void, SMTPError> = await withCheckedContinuation { continuation in
            Thread {
                do throws(SMTPError) {
                    try body()
                    continuation.resume(returning: .success(()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }.start()
        }
        try result.get()
    }
}
