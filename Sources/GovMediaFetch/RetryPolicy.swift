import Foundation
import GovMediaCore

/// When a failed attempt is tried again, and how long to wait first.
///
/// Transient failures (dns, connect, timeout, 5xx, 429) are retried with capped exponential
/// backoff plus jitter, so many accounts on one struggling provincial platform do not retry
/// in lockstep. A 429 or 503 with `Retry-After` waits what the server asked, unless that is
/// longer than `maxRetryAfter`: then the fetch gives up and records the value.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in total, the first included; 1 disables retries.
    public var maxAttempts: Int
    /// The wait before the second attempt; doubled for each further one.
    public var baseDelay: TimeInterval
    /// The longest backoff wait.
    public var maxDelay: TimeInterval
    /// The longest `Retry-After` honoured; a longer one ends the fetch.
    public var maxRetryAfter: TimeInterval

    /// Defaults: 3 attempts, 0.5 s doubling up to 8 s, Retry-After up to 60 s.
    public init(maxAttempts: Int = 3, baseDelay: TimeInterval = 0.5, maxDelay: TimeInterval = 8, maxRetryAfter: TimeInterval = 60) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = max(0, baseDelay)
        self.maxDelay = max(0, maxDelay)
        self.maxRetryAfter = max(0, maxRetryAfter)
    }

    /// Whether a failure of this kind may go away on its own.
    static func isTransient(_ kind: FetchFailureKind, status: Int) -> Bool {
        switch kind {
        case .dns, .connect, .timeout, .http5xx: return true
        case .http4xx: return status == 429
        default: return false
        }
    }

    /// The backoff before attempt `attempt + 1`, given `attempt` attempts so far:
    /// half the capped exponential delay fixed, half random ("equal jitter").
    func backoff(afterAttempt attempt: Int) -> TimeInterval {
        let exponent = Double(max(0, attempt - 1))
        let capped = min(maxDelay, baseDelay * pow(2, exponent))
        return capped / 2 + Double.random(in: 0...(capped / 2))
    }

    /// Reads a Retry-After value: delta-seconds or an HTTP-date. Returns nil when absent or
    /// unreadable; a date in the past counts as 0.
    static func parseRetryAfter(_ value: String?, now: Date = Date()) -> TimeInterval? {
        guard let raw = value?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        if let seconds = Int(raw) { return TimeInterval(max(0, seconds)) }
        // The project's one text-date reader; an HTTP-date without a zone (asctime) is GMT.
        return TextDate.read(raw, now: now, defaultOffset: 0).map { max(0, $0.timeIntervalSince(now)) }
    }
}
