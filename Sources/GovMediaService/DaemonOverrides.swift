import Foundation
import GovMediaFetch
import GovMediaRules

/// Command-line settings that take precedence over the config file (for a quick run or a
/// test: `govmedia daemon --db … --interval 60 --allow-private-addresses`). They are applied
/// again on every reload, so a SIGHUP never drops them.
public struct DaemonOverrides: Sendable {
    public var database: String?
    public var rules: String?
    public var intervalSeconds: Int?
    public var allowPrivateAddresses = false

    public init(database: String? = nil, rules: String? = nil, intervalSeconds: Int? = nil, allowPrivateAddresses: Bool = false) {
        self.database = database
        self.rules = rules
        self.intervalSeconds = intervalSeconds
        self.allowPrivateAddresses = allowPrivateAddresses
    }

    public func apply(to config: inout DaemonConfig) {
        if let database { config.database = database }
        if let rules { config.rules = rules }
        if let intervalSeconds { config.schedule = .interval(seconds: intervalSeconds) }
        if allowPrivateAddresses { config.fetch.allowPrivateAddresses = true }
    }
}

extension DaemonConfig {
    /// The configuration with no file: every default, and the database the caller names.
    public static func defaults(database: String) -> DaemonConfig {
        DaemonConfig(database: database, rules: RulesLocation.resolve(), register: nil, schedule: .interval(seconds: 6 * 3600),
                     jitterSeconds: 300, fetch: .init(), evidenceRetentionDays: 365, report: nil, reportDirectory: "reports",
                     mail: [:], mailRecipients: [], logLevel: "info")
    }
}
