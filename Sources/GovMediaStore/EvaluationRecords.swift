import Foundation
import GovMediaCore
import GRDB

/// A row of `finding`: one finding of one account in one run, the only place findings are
/// stored. Codes are kept as text and read back strictly (`finding()`), so a value this
/// release does not know is an error naming the row, never a default. Written through one
/// prepared statement (`insert`), read by column name.
struct FindingRecord: FetchableRecord {
    static let databaseTableName = "finding"

    var runID: Int64
    var accountID: String
    /// The run's check time, repeated here so that history by account and time needs no join.
    var checkAt: Int64
    var rule: String
    var severity: String
    var points: Int
    var message: String
    var postID: Int64?
    var postTitle: String?
    var postURL: String?
    var fetchID: Int64?
    var evidenceSHA256: String?
    /// The dates that prove a pattern finding, as a JSON array; NULL when it has none.
    var spans: String?

    init(_ finding: Finding, runID: Int64, accountID: String, checkAt: Int64) {
        self.runID = runID
        self.accountID = accountID
        self.checkAt = checkAt
        rule = finding.rule
        severity = finding.severity.rawValue
        points = finding.points
        message = finding.message
        postID = finding.postID
        postTitle = finding.postTitle
        postURL = finding.postURL
        fetchID = finding.fetchID
        evidenceSHA256 = finding.evidenceSHA256
        spans = finding.spans.map(DateSpan.json)
    }

    /// Read by column name, not through `Decodable`: a run's findings are read in the
    /// hundred thousands (`status --json`), and the generic decoder costs several times more.
    init(row: Row) throws {
        runID = row["run_id"]
        accountID = row["account_id"]
        checkAt = row["check_at"]
        rule = row["rule"]
        severity = row["severity"]
        points = row["points"]
        message = row["message"]
        postID = row["post_id"]
        postTitle = row["post_title"]
        postURL = row["post_url"]
        fetchID = row["fetch_id"]
        evidenceSHA256 = row["evidence_sha256"]
        spans = row["spans"]
    }

    /// Inserts many through one prepared statement: an evaluation stores a finding per
    /// problem, 144,000 for 10,000 accounts.
    static func insert(_ records: [FindingRecord], _ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO finding (run_id, account_id, check_at, rule, severity, points, message, post_id, post_title, post_url,
                                 fetch_id, evidence_sha256, spans)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for r in records {
            try statement.execute(arguments: [r.runID, r.accountID, r.checkAt, r.rule, r.severity, r.points, r.message, r.postID,
                                              r.postTitle, r.postURL, r.fetchID, r.evidenceSHA256, r.spans])
        }
    }

    /// The finding, or an error naming the row and the column that cannot be read.
    func finding() throws -> Finding {
        let row = "评判 #\(runID)，账号 \(accountID)，规则 \(rule)"
        return Finding(
            rule: rule, severity: try StoredValue.decode(severity, as: Severity.self, table: Self.databaseTableName, row: row, column: "severity"),
            points: points, message: message, postID: postID, postTitle: postTitle, postURL: postURL, fetchID: fetchID,
            evidenceSHA256: evidenceSHA256,
            spans: try spans.map { try StoredValue.json($0, as: [DateSpan].self, table: Self.databaseTableName, row: row, column: "spans") })
    }

    /// A run's findings by account, each account's in the order they were found.
    static func findings(_ db: Database, runID: Int64) throws -> [String: [Finding]] {
        try grouped(db, where: "run_id", is: runID, by: \.accountID)
    }

    /// An account's findings by run.
    static func findings(_ db: Database, accountID: String) throws -> [Int64: [Finding]] {
        try grouped(db, where: "account_id", is: accountID, by: \.runID)
    }

    /// The findings whose `column` is `value`, grouped by `key`, each group in the order found.
    private static func grouped<Key: Hashable>(_ db: Database, where column: String, is value: some DatabaseValueConvertible,
                                               by key: KeyPath<FindingRecord, Key>) throws -> [Key: [Finding]] {
        var groups: [Key: [Finding]] = [:]
        for record in try FindingRecord.fetchAll(db, sql: "SELECT * FROM finding WHERE \(column) = ? ORDER BY id", arguments: [value]) {
            groups[record[keyPath: key], default: []].append(try record.finding())
        }
        return groups
    }
}

/// A row of `evaluation`: one account's result in one run. The verdict is kept as text and
/// read back strictly (`evaluation(findings:)`), naming the row when it is unknown.
struct EvaluationRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "evaluation"

    var runID: Int64
    var accountID: String
    var verdict: String
    var score: Int?
    /// Epoch seconds.
    var lastPostAt: Int64?
    var daysSinceUpdate: Int?
    var reviewCoverage: Double?
    var postsInWindow: Int
    var reviewedPosts: Int
    var findingCount: Int
    /// The main finding's rule and message, kept on the row so the status table reads no findings.
    var mainRule: String?
    var mainMessage: String?

    enum CodingKeys: String, CodingKey {
        case verdict, score
        case runID = "run_id", accountID = "account_id", lastPostAt = "last_post_at", daysSinceUpdate = "days_since_update"
        case reviewCoverage = "review_coverage", postsInWindow = "posts_in_window", reviewedPosts = "reviewed_posts"
        case findingCount = "finding_count", mainRule = "main_rule", mainMessage = "main_message"
    }

    init(_ e: AccountEvaluation, runID: Int64) {
        self.runID = runID
        accountID = e.accountID
        verdict = e.verdict.rawValue
        score = e.score
        lastPostAt = e.lastPostAt.map { Int64($0.timeIntervalSince1970) }
        daysSinceUpdate = e.daysSinceUpdate
        reviewCoverage = e.reviewCoverage
        postsInWindow = e.postsInWindow
        reviewedPosts = e.reviewedPosts
        findingCount = e.findings.count
        mainRule = e.mainFinding?.rule
        mainMessage = e.mainFinding?.message
    }

    /// Read by column name: the weekly report reads ten thousand of them.
    init(row: Row) throws {
        runID = row["run_id"]
        accountID = row["account_id"]
        verdict = row["verdict"]
        score = row["score"]
        lastPostAt = row["last_post_at"]
        daysSinceUpdate = row["days_since_update"]
        reviewCoverage = row["review_coverage"]
        postsInWindow = row["posts_in_window"]
        reviewedPosts = row["reviewed_posts"]
        findingCount = row["finding_count"]
        mainRule = row["main_rule"]
        mainMessage = row["main_message"]
    }

    /// The result, or an error naming the row when its verdict is not one this release knows.
    func evaluation(findings: [Finding]) throws -> AccountEvaluation {
        AccountEvaluation(
            accountID: accountID,
            verdict: try StoredValue.decode(verdict, as: Verdict.self, table: Self.databaseTableName, row: "评判 #\(runID)，账号 \(accountID)",
                                            column: "verdict"),
            score: score, findings: findings, lastPostAt: lastPostAt.map { Date(timeIntervalSince1970: TimeInterval($0)) },
            daysSinceUpdate: daysSinceUpdate, reviewCoverage: reviewCoverage, postsInWindow: postsInWindow, reviewedPosts: reviewedPosts)
    }
}
