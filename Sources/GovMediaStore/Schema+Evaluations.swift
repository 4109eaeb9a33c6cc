import GRDB

extension Schema {
    /// Evaluation runs, per-account results and their findings.
    static func evaluations(_ db: Database) throws {}
}
