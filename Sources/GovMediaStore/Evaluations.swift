import Foundation
import GovMediaCore
import GRDB

/// A stored evaluation run.
public struct EvaluationRun: Sendable, Equatable, FetchableRecord {
    public var id: Int64
    public var checkAt: Date
    /// When the run was made (its check time may be earlier or later).
    public var evaluatedAt: Date
    public var rulesVersion: String
    public var trigger: String
    public var accounts, passing, failing, unverifiable: Int

    public init(id: Int64, checkAt: Date, evaluatedAt: Date, rulesVersion: String, trigger: String,
                accounts: Int, passing: Int, failing: Int, unverifiable: Int) {
        self.id = id
        self.checkAt = checkAt
        self.evaluatedAt = evaluatedAt
        self.rulesVersion = rulesVersion
        self.trigger = trigger
        self.accounts = accounts
        self.passing = passing
        self.failing = failing
        self.unverifiable = unverifiable
    }

    /// A row of `evaluation_run`; `check_at` is kept as epoch seconds.
    public init(row: Row) throws {
        let checkAt: Int64 = row["check_at"], id: Int64 = row["id"]
        self.init(id: id, checkAt: Date(timeIntervalSince1970: TimeInterval(checkAt)),
                  evaluatedAt: try StoredValue.instant(row["evaluated_at"], table: "evaluation_run", row: "评判 #\(id)", column: "evaluated_at"),
                  rulesVersion: row["rules_version"], trigger: row["trigger"], accounts: row["accounts"],
                  passing: row["passing"], failing: row["failing"], unverifiable: row["unverifiable"])
    }
}

/// A finding as stored, with when it was first and last seen across runs.
public struct FindingHistory: Sendable {
    public var accountID: String
    public var finding: Finding
    public var firstSeen: Date
    public var lastSeen: Date
    public var runs: Int
}

/// One line of the status table as stored.
public struct StatusRow: Sendable {
    public var id, name, owner: String
    public var platform: Platform
    public var status: AccountStatus
    public var verdict: Verdict
    public var score: Int?
    public var lastPostAt: Date?
    public var daysSinceUpdate: Int?
    public var reviewCoverage: Double?
    public var postsInWindow: Int
    public var mainRule: String?
    public var mainMessage: String?
    /// The findings, in the order the evaluator gave them; empty when not asked for.
    public var findings: [Finding]

    public init(id: String, name: String, owner: String, platform: Platform, status: AccountStatus, verdict: Verdict, score: Int?,
                lastPostAt: Date?, daysSinceUpdate: Int?, reviewCoverage: Double?, postsInWindow: Int, mainRule: String?,
                mainMessage: String?, findings: [Finding]) {
        self.id = id
        self.name = name
        self.owner = owner
        self.platform = platform
        self.status = status
        self.verdict = verdict
        self.score = score
        self.lastPostAt = lastPostAt
        self.daysSinceUpdate = daysSinceUpdate
        self.reviewCoverage = reviewCoverage
        self.postsInWindow = postsInWindow
        self.mainRule = mainRule
        self.mainMessage = mainMessage
        self.findings = findings
    }
}

/// One account's stored result in one run.
public struct ScorePoint: Sendable {
    public var run: EvaluationRun
    public var evaluation: AccountEvaluation
}

extension Store {
    // MARK: Snapshots for the evaluator

    /// Everything the evaluator needs for every account (or some) as of `at`, read in one
    /// consistent snapshot with indexed per-account queries.
    /// - Parameter historyDays: how far back the update-pattern rules look (`postTimes`);
    ///   0 reads no history.
    public func snapshots(at: Date, windowDays: Int, historyDays: Int = 0,
                          accountIDs: Set<String>? = nil) throws(StoreError) -> [AccountSnapshot] {
        let atTs = Int64(at.timeIntervalSince1970)
        let windowStart = atTs - Int64(windowDays) * 86_400
        let atText = ChinaTime.iso8601(at)
        return try read { db in
            // The register as it stood on the check day: accounts filed later are not judged.
            let day = ChinaTime.civil(at).date
            let register = try Self.fetchAccounts(db, AccountFilter()).compactMap { $0.asRegistered(on: day) }
            let accounts = register.filter { accountIDs?.contains($0.id) ?? true }
            var window: [String: [EvidencedPost]] = [:]
            for record in try PostRecord.fetchAll(db, sql: """
                \(PostRecord.withEvidenceSQL) WHERE p.published_at > ? AND p.published_at <= ? ORDER BY p.published_at DESC
                """, arguments: [windowStart, atTs]) {
                window[record.post.accountID, default: []].append(record.evidenced)
            }
            let reviews = try Self.reviewsByAccount(db, from: windowStart - 30 * 86_400, to: atTs + 30 * 86_400)
            let flags = try Self.activeFlags(db, at: atText)
            let siblings = Self.samePlatformSiblings(register)
            let history = historyDays > 0
                ? try Self.postTimes(db, from: at.addingTimeInterval(-Double(historyDays + 1) * 86_400), to: at) : [:]
            return try accounts.map { account in
                var s = AccountSnapshot(account: account)
                s.windowPosts = window[account.id] ?? []
                s.newestDatedPost = try Self.newestPost(db, account.id, atOrBefore: atTs)
                if s.newestDatedPost == nil {
                    s.storedPosts = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM post WHERE account_id = ?", arguments: [account.id]) ?? 0
                }
                if account.status == .deregistered, let day = account.deregisteredOn {
                    let after = Int64(ChinaTime.instant(day.adding(days: 1)).timeIntervalSince1970)
                    s.postsAfterDeregistration = try Self.posts(db, account.id, from: after, to: atTs)
                }
                try Self.fillFetchHistory(db, &s, at: atText)
                s.reviews = reviews[account.id] ?? []
                s.flags = flags[account.id] ?? []
                s.samePlatformSiblings = siblings[account.id] ?? []
                s.postTimes = history[account.id] ?? []
                return s
            }
        }
    }

    /// Publication times of every account's dated posts in (`from`, `to`], plus each
    /// account's newest one at or before `from`, oldest first: an update timeline's input.
    public func postTimes(from: Date, to: Date) throws(StoreError) -> [String: [Date]] {
        try read { db in try Self.postTimes(db, from: from, to: to) }
    }

    static func postTimes(_ db: Database, from: Date, to: Date) throws -> [String: [Date]] {
        let (fromTs, toTs) = (Int64(from.timeIntervalSince1970), Int64(to.timeIntervalSince1970))
        var times: [String: [Date]] = [:]
        // Two indexed reads for all accounts at once, rather than two per account.
        for row in try Row.fetchAll(db, sql: """
            SELECT account_id, MAX(published_at) AS t FROM post WHERE published_at <= ? GROUP BY account_id
            UNION ALL
            SELECT account_id, published_at AS t FROM post WHERE published_at > ? AND published_at <= ?
            ORDER BY t
            """, arguments: [fromTs, fromTs, toTs]) {
            let t: Int64 = row["t"]
            times[row["account_id"], default: []].append(Date(timeIntervalSince1970: TimeInterval(t)))
        }
        return times
    }

    private static func newestPost(_ db: Database, _ id: String, atOrBefore ts: Int64) throws -> EvidencedPost? {
        try PostRecord.fetchOne(db, sql: """
            \(PostRecord.withEvidenceSQL) WHERE p.account_id = ? AND p.published_at <= ? ORDER BY p.published_at DESC LIMIT 1
            """, arguments: [id, ts])?.evidenced
    }

    private static func posts(_ db: Database, _ id: String, from: Int64, to: Int64) throws -> [EvidencedPost] {
        try PostRecord.fetchAll(db, sql: """
            \(PostRecord.withEvidenceSQL) WHERE p.account_id = ? AND p.published_at >= ? AND p.published_at <= ? ORDER BY p.published_at DESC
            """, arguments: [id, from, to]).map(\.evidenced)
    }

    private static func fillFetchHistory(_ db: Database, _ s: inout AccountSnapshot, at: String) throws {
        let id = s.account.id
        if let row = try Row.fetchOne(db, sql: """
            SELECT id, fetched_at, url, failure, failure_message, body_sha256, bridge FROM fetch
            WHERE account_id = ? AND fetched_at <= ? ORDER BY fetched_at DESC, id DESC LIMIT 1
            """, arguments: [id, at]) {
            let fetchID: Int64 = row["id"]
            s.lastFetch = FetchSummary(fetchID: fetchID,
                                       fetchedAt: try StoredValue.instant(row["fetched_at"], table: "fetch", row: "抓取 #\(fetchID)", column: "fetched_at"),
                                       url: row["url"],
                                       failure: try FetchRecord.failure(row["failure"], fetchID: fetchID),
                                       failureMessage: row["failure_message"], evidenceSHA256: row["body_sha256"], bridge: row["bridge"])
        }
        let lastSuccess = try String.fetchOne(db, sql: """
            SELECT fetched_at FROM fetch WHERE account_id = ? AND failure IS NULL AND fetched_at <= ?
            ORDER BY fetched_at DESC LIMIT 1
            """, arguments: [id, at])
        s.everRead = lastSuccess != nil
        s.consecutiveFailures = try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM fetch WHERE account_id = ? AND failure IS NOT NULL AND fetched_at > ? AND fetched_at <= ?
            """, arguments: [id, lastSuccess ?? "", at]) ?? 0
    }

    private static func activeFlags(_ db: Database, at: String) throws -> [String: [AccountFlag]] {
        var flags: [String: [AccountFlag]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT * FROM account_flag WHERE set_at <= ? AND (cleared_at IS NULL OR cleared_at > ?)
            """, arguments: [at, at]) {
            let accountID: String = row["account_id"], flag: String = row["flag"]
            let setAt = try StoredValue.instant(row["set_at"], table: "account_flag", row: "账号 \(accountID)，标记 \(flag)", column: "set_at")
            flags[accountID, default: []].append(AccountFlag(accountID: accountID, flag: flag, reason: row["reason"], setAt: setAt, setBy: row["set_by"]))
        }
        return flags
    }

    static func samePlatformSiblings(_ accounts: [Account]) -> [String: [String]] {
        let live = accounts.filter { $0.status != .deregistered }
        let groups = Dictionary(grouping: live) { "\($0.owner)\u{1F}\($0.platform.rawValue)" }
        var result: [String: [String]] = [:]
        for group in groups.values where group.count > 1 {
            for a in group { result[a.id] = group.map(\.id).filter { $0 != a.id } }
        }
        return result
    }

    // MARK: Flags

    /// Records an officer's flag (e.g. `no-interaction`); a flag already set is refused.
    public func setFlag(_ id: String, flag: String, by who: Attribution) throws(StoreError) {
        try write { db in
            _ = try Self.existing(db, id)
            let open = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM account_flag WHERE account_id = ? AND flag = ? AND cleared_at IS NULL",
                                        arguments: [id, flag]) ?? 0
            guard open == 0 else { throw RegisterError(accountID: id, problem: "已有未解除的标记 \(flag)") }
            try db.execute(sql: "INSERT INTO account_flag (account_id, flag, reason, set_at, set_by) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, flag, who.reason, ChinaTime.iso8601(who.at), who.operator])
            try Self.append(db, .flagged, [LifecycleEvent.flagChange(flag, set: who.reason, cleared: nil)], id, who)
        }
    }

    /// Clears an officer's flag, keeping the record of when it was set and cleared.
    public func clearFlag(_ id: String, flag: String, by who: Attribution) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                UPDATE account_flag SET cleared_at = ?, cleared_by = ?, clear_reason = ?
                WHERE account_id = ? AND flag = ? AND cleared_at IS NULL
                """, arguments: [ChinaTime.iso8601(who.at), who.operator, who.reason, id, flag])
            guard db.changesCount > 0 else { throw RegisterError(accountID: id, problem: "没有未解除的标记 \(flag)") }
            let setReason = try String.fetchOne(db, sql: """
                SELECT reason FROM account_flag WHERE account_id = ? AND flag = ? ORDER BY id DESC LIMIT 1
                """, arguments: [id, flag])
            try Self.append(db, .unflagged, [LifecycleEvent.flagChange(flag, set: nil, cleared: setReason)], id, who)
        }
    }

    // MARK: Saving and reading results

    /// Stores a run: the rule files it used (once per version), the run, every account's
    /// result and each finding, in one transaction.
    @discardableResult
    public func saveEvaluations(_ results: [AccountEvaluation], at: Date, rulesVersion: String, ruleFiles: [RuleFile],
                                trigger: String, scanID: Int64? = nil) throws(StoreError) -> Int64 {
        let filesJSON = RuleSnapshotFile.json(ruleFiles)
        let checkAt = Int64(at.timeIntervalSince1970)
        return try write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO rules_snapshot (version, files, stored_at) VALUES (?, ?, ?)",
                           arguments: [rulesVersion, filesJSON, ChinaTime.iso8601(Date())])
            let count = { (v: Verdict) in results.filter { $0.verdict == v }.count }
            try db.execute(sql: """
                INSERT INTO evaluation_run (check_at, evaluated_at, rules_version, trigger, scan_id, accounts, passing, failing, unverifiable)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [checkAt, ChinaTime.iso8601(Date()), rulesVersion, trigger, scanID,
                                 results.filter { $0.verdict != .notJudged }.count, count(.pass), count(.fail), count(.unverifiable)])
            let runID = db.lastInsertedRowID
            for e in results {
                try EvaluationRecord(e, runID: runID).insert(db)
                try FindingRecord.insert(e.findings.map { FindingRecord($0, runID: runID, accountID: e.accountID, checkAt: checkAt) }, db)
            }
            return runID
        }
    }

    /// The run with the latest check time, or the latest whose check time is at or before `at`.
    public func latestRun(atOrBefore at: Date? = nil) throws(StoreError) -> EvaluationRun? {
        try read { db in
            try at.map {
                try EvaluationRun.fetchOne(db, sql: "SELECT * FROM evaluation_run WHERE check_at <= ? ORDER BY check_at DESC, id DESC LIMIT 1",
                                           arguments: [Int64($0.timeIntervalSince1970)])
            // The latest check, not the latest run: a look-back `evaluate --at` made after
            // today's run does not stand for the current state.
            } ?? EvaluationRun.fetchOne(db, sql: "SELECT * FROM evaluation_run ORDER BY check_at DESC, id DESC LIMIT 1")
        }
    }

    /// Every run, oldest first.
    public func runs() throws(StoreError) -> [EvaluationRun] {
        try read { db in try EvaluationRun.fetchAll(db, sql: "SELECT * FROM evaluation_run ORDER BY check_at, id") }
    }

    /// A run's per-account results.
    public func evaluations(runID: Int64) throws(StoreError) -> [AccountEvaluation] {
        try read { db in
            let findings = try FindingRecord.findings(db, runID: runID)
            return try EvaluationRecord.fetchAll(db, sql: "SELECT * FROM evaluation WHERE run_id = ?", arguments: [runID]).map {
                try $0.evaluation(findings: findings[$0.accountID] ?? [])
            }
        }
    }

    /// A run's results joined with the register: what the status table needs, fast enough
    /// for ten thousand accounts.
    /// - Parameter withFindings: read every finding too (JSON output); the table needs only
    ///   the main finding, kept on the result's row.
    public func statusRows(runID: Int64, withFindings: Bool = true) throws(StoreError) -> [StatusRow] {
        try read { db in
            let findings = withFindings ? try FindingRecord.findings(db, runID: runID) : [:]
            return try Row.fetchAll(db, sql: """
                SELECT e.run_id, e.account_id, e.verdict, e.score, e.last_post_at, e.days_since_update, e.review_coverage,
                       e.posts_in_window, e.main_rule, e.main_message, NULL,
                       a.name, a.owner, a.platform, a.status AS account_status
                FROM evaluation e JOIN account a ON a.id = e.account_id WHERE e.run_id = ?
                ORDER BY a.owner, a.id
                """, arguments: [runID]).map { row in
                // Columns by position: name lookups cost more than the rest of the row at this size.
                let lastPost: Int64? = row[4]
                let verdict: String = row[2]
                let platform: String = row[13]
                let status: String = row[14]
                let id: String = row[1]
                let at = "评判 #\(runID)，账号 \(id)"
                return StatusRow(
                    id: id, name: row[11], owner: row[12],
                    platform: try StoredValue.decode(platform, as: Platform.self, table: "account", row: "账号 \(id)", column: "platform"),
                    status: try StoredValue.decode(status, as: AccountStatus.self, table: "account", row: "账号 \(id)", column: "status"),
                    verdict: try StoredValue.decode(verdict, as: Verdict.self, table: "evaluation", row: at, column: "verdict"),
                    score: row[3], lastPostAt: lastPost.map { Date(timeIntervalSince1970: TimeInterval($0)) },
                    daysSinceUpdate: row[5], reviewCoverage: row[6], postsInWindow: row[7], mainRule: row[8],
                    mainMessage: row[9], findings: findings[id] ?? [])
            }
        }
    }

    /// One account's results across runs, oldest first.
    public func scoreHistory(accountID: String) throws(StoreError) -> [ScorePoint] {
        try read { db in
            // Runs are read with the one run decoder, then joined to the account's results.
            let runs = Dictionary(uniqueKeysWithValues: try EvaluationRun.fetchAll(db, sql: "SELECT * FROM evaluation_run").map { ($0.id, $0) })
            let findings = try FindingRecord.findings(db, accountID: accountID)
            return try EvaluationRecord.fetchAll(db, sql: "SELECT * FROM evaluation WHERE account_id = ?", arguments: [accountID])
                .compactMap { record -> ScorePoint? in
                guard let run = runs[record.runID] else { return nil }
                return ScorePoint(run: run, evaluation: try record.evaluation(findings: findings[record.runID] ?? []))
            }.sorted { ($0.run.checkAt, $0.run.id) < ($1.run.checkAt, $1.run.id) }
        }
    }

    /// Findings of runs checked at or after `since` (default: the latest run only), one
    /// line per account, rule and message, with when it was first and last seen.
    public func findingHistory(accountID: String?, since: Date?) throws(StoreError) -> [FindingHistory] {
        try read { db in
            var clauses: [String] = []
            var args: [(any DatabaseValueConvertible)?] = []
            if let since {
                clauses.append("check_at >= ?")
                args.append(Int64(since.timeIntervalSince1970))
            } else {
                clauses.append("run_id = (SELECT id FROM evaluation_run ORDER BY check_at DESC, id DESC LIMIT 1)")
            }
            if let accountID { clauses.append("account_id = ?"); args.append(accountID) }
            // The detail columns (post, evidence, dates) come from each group's latest row: with
            // several aggregates SQLite would take them from any row.
            let rows = try Row.fetchAll(db, sql: """
                SELECT f.*, g.points AS most_points, g.first_seen, g.last_seen, g.runs
                FROM (SELECT MAX(id) AS last_id, MAX(points) AS points, MIN(check_at) AS first_seen, MAX(check_at) AS last_seen,
                             COUNT(*) AS runs
                      FROM finding WHERE \(clauses.joined(separator: " AND "))
                      GROUP BY account_id, rule, message) g
                JOIN finding f ON f.id = g.last_id
                ORDER BY CASE f.severity WHEN 'veto' THEN 0 WHEN 'deduction' THEN 1 ELSE 2 END, f.account_id, g.first_seen
                """, arguments: StatementArguments(args))
            return try rows.map { row in
                let first: Int64 = row["first_seen"]
                let last: Int64 = row["last_seen"]
                // The group's latest row, read as every finding row is, with the most points any run took.
                var record = try FindingRecord(row: row)
                record.points = row["most_points"]
                return FindingHistory(
                    accountID: record.accountID, finding: try record.finding(),
                    firstSeen: Date(timeIntervalSince1970: TimeInterval(first)), lastSeen: Date(timeIntervalSince1970: TimeInterval(last)),
                    runs: row["runs"])
            }
        }
    }

    /// The rule files a version was made from, as hashed; nil for a version never stored.
    /// Snapshots stored before 2026-12 kept every file of the directory as text by path,
    /// hashed or not; they read back as they were kept.
    public func ruleFiles(version: String) throws(StoreError) -> [RuleFile]? {
        try read { db in
            guard let text = try String.fetchOne(db, sql: "SELECT files FROM rules_snapshot WHERE version = ?", arguments: [version])
            else { return nil }
            return try RuleSnapshotFile.files(text, version: version)
        }
    }
}

extension Store {
    /// 三审 records signed in a time range, by account (the evaluator matches them to posts).
    static func reviewsByAccount(_ db: Database, from: Int64, to: Int64) throws -> [String: [ReviewRecord]] {
        var result: [String: [ReviewRecord]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM review_record WHERE signed_ts > ? AND signed_ts <= ? ORDER BY seq",
                                    arguments: [from, to]) {
            // The ledger's own lenient reader; a row it cannot read is left to `audit verify` to name.
            guard let record = reviewRecord(row) else { continue }
            result[record.accountID, default: []].append(record)
        }
        return result
    }
}

/// How a rule file is kept in `rules_snapshot.files` (a JSON array): its text when it is
/// UTF-8, its bytes in base64 otherwise, so the stored files hash to the stored version.
struct RuleSnapshotFile: Codable {
    var path: String
    var text: String?
    var base64: String?

    static func json(_ files: [RuleFile]) -> String {
        let kept = files.map { file in
            String(validating: file.data, as: UTF8.self).map { RuleSnapshotFile(path: file.path, text: $0) }
                ?? RuleSnapshotFile(path: file.path, base64: file.data.base64EncodedString())
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings and optional strings cannot fail.
        return String(decoding: (try? encoder.encode(kept)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func files(_ text: String, version: String) throws -> [RuleFile] {
        if let old = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)) {
            return old.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { RuleFile(path: $0.key, data: Data($0.value.utf8)) }
        }
        let kept = try StoredValue.json(text, as: [RuleSnapshotFile].self, table: "rules_snapshot", row: "版本 \(version)", column: "files")
        return try kept.map { file in
            if let text = file.text { return RuleFile(path: file.path, data: Data(text.utf8)) }
            guard let base64 = file.base64, let data = Data(base64Encoded: base64) else {
                throw StoredValueError(table: "rules_snapshot", row: "版本 \(version)", column: "files", value: file.path)
            }
            return RuleFile(path: file.path, data: data)
        }
    }

    private init(path: String, text: String? = nil, base64: String? = nil) {
        self.path = path
        self.text = text
        self.base64 = base64
    }
}
