import Foundation
import GovMediaCore
import GovMediaStore

/// What the office must hear about before it reads any table: feed bridges that are down
/// (their accounts cannot be judged), and the register file out of step with the database.
/// Shown at the top of `status`, logged by the daemon, and in the weekly report.
public enum OfficeNotices {
    /// The notices, most urgent first.
    public static func current(_ store: Store) throws(StoreError) -> [String] {
        try store.sourceHealth().compactMap(\.problem) + store.registerDrift().map(\.description) + RectificationWarnings.current(store)
    }
}
