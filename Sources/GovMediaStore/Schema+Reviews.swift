import GRDB

extension Schema {
    /// The 三审 ledger (filled in by the review-ledger work).
    static func reviewLedger(_ db: Database) throws {}
}

extension Store {
    /// The review ledger's chain links in order, for `verifyAudit`.
    static func reviewChainLinks(_ db: Database) throws -> [ChainLink] { [] }
}
