import Foundation
import GovMediaCore
import GRDB

extension Schema {
    /// Officers' flags, evaluation runs, per-account results and their findings, and the
    /// rule files each run used (so a past result can be explained and reproduced).
    static func evaluations(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE account_flag (
                id INTEGER PRIMARY KEY NOT NULL,
                account_id TEXT NOT NULL REFERENCES account(id),
                flag TEXT NOT NULL,
                reason TEXT NOT NULL,
                set_at TEXT NOT NULL,
                set_by TEXT NOT NULL,
                cleared_at TEXT,
                cleared_by TEXT,
                clear_reason TEXT
            );
            CREATE INDEX account_flag_account ON account_flag(account_id);

            CREATE TABLE rules_snapshot (
                version TEXT PRIMARY KEY NOT NULL,
                files TEXT NOT NULL,
                stored_at TEXT NOT NULL
            );

            CREATE TABLE evaluation_run (
                id INTEGER PRIMARY KEY NOT NULL,
                check_at INTEGER NOT NULL,
                evaluated_at TEXT NOT NULL,
                rules_version TEXT NOT NULL REFERENCES rules_snapshot(version),
                trigger TEXT NOT NULL,
                scan_id INTEGER REFERENCES scan(id),
                accounts INTEGER NOT NULL,
                passing INTEGER NOT NULL,
                failing INTEGER NOT NULL,
                unverifiable INTEGER NOT NULL
            );
            CREATE INDEX evaluation_run_check_at ON evaluation_run(check_at);

            CREATE TABLE evaluation (
                run_id INTEGER NOT NULL REFERENCES evaluation_run(id),
                account_id TEXT NOT NULL REFERENCES account(id),
                verdict TEXT NOT NULL,
                score INTEGER,
                last_post_at INTEGER,
                days_since_update INTEGER,
                review_coverage REAL,
                posts_in_window INTEGER NOT NULL,
                reviewed_posts INTEGER NOT NULL,
                finding_count INTEGER NOT NULL,
                main_rule TEXT,
                main_message TEXT,
                PRIMARY KEY (run_id, account_id)
            ) WITHOUT ROWID;
            -- The findings as JSON, apart: the status table reads ten thousand rows of the
            -- table above without walking tens of megabytes of text.
            CREATE TABLE evaluation_findings (
                run_id INTEGER NOT NULL,
                account_id TEXT NOT NULL,
                findings TEXT NOT NULL,
                PRIMARY KEY (run_id, account_id),
                FOREIGN KEY (run_id, account_id) REFERENCES evaluation(run_id, account_id)
            ) WITHOUT ROWID;
            CREATE INDEX evaluation_account ON evaluation(account_id, run_id);

            CREATE TABLE finding (
                id INTEGER PRIMARY KEY NOT NULL,
                run_id INTEGER NOT NULL REFERENCES evaluation_run(id),
                account_id TEXT NOT NULL REFERENCES account(id),
                check_at INTEGER NOT NULL,
                rule TEXT NOT NULL,
                severity TEXT NOT NULL,
                points INTEGER NOT NULL,
                message TEXT NOT NULL,
                post_id INTEGER,
                fetch_id INTEGER,
                evidence_sha256 TEXT
            );
            CREATE INDEX finding_account ON finding(account_id, check_at);
            CREATE INDEX finding_run ON finding(run_id);
            CREATE INDEX post_published ON post(published_at);
            CREATE INDEX fetch_account_time ON fetch(account_id, fetched_at);
            """)
    }

    /// Findings were kept twice: whole, as JSON per account and run, and as rows without
    /// the post's title and address or a pattern's dates. The rows take what only the JSON
    /// had, are rewritten from it (it is the complete copy), and the JSON goes. JSON that
    /// does not decode leaves that account's rows as they were (written from the same
    /// findings, less the three new columns) and is kept, as it was, in
    /// `evaluation_findings_unreadable`: nothing is dropped.
    ///
    /// Plain SQL with the columns named: a migration must not change when the record types do.
    static func findingsOnce(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE finding ADD COLUMN post_title TEXT;
            ALTER TABLE finding ADD COLUMN post_url TEXT;
            ALTER TABLE finding ADD COLUMN spans TEXT;
            CREATE TABLE evaluation_findings_unreadable (
                run_id INTEGER NOT NULL,
                account_id TEXT NOT NULL,
                findings TEXT NOT NULL,
                PRIMARY KEY (run_id, account_id)
            ) WITHOUT ROWID;
            -- Only while rewriting: each account's rows are found by run and account.
            CREATE INDEX finding_run_account_v13 ON finding(run_id, account_id);
            """)
        let delete = try db.makeStatement(sql: "DELETE FROM finding WHERE run_id = ? AND account_id = ?")
        let insert = try db.makeStatement(sql: """
            INSERT INTO finding (run_id, account_id, check_at, rule, severity, points, message, post_id, post_title, post_url,
                                 fetch_id, evidence_sha256, spans)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let keep = try db.makeStatement(sql: "INSERT INTO evaluation_findings_unreadable (run_id, account_id, findings) VALUES (?, ?, ?)")
        let kept = try Row.fetchCursor(db, sql: """
            SELECT x.run_id, x.account_id, x.findings, r.check_at
            FROM evaluation_findings x JOIN evaluation_run r ON r.id = x.run_id ORDER BY x.run_id, x.account_id
            """)
        let decoder = JSONDecoder()
        while let row = try kept.next() {
            let text: String = row["findings"]
            let runID: Int64 = row["run_id"]
            let accountID: String = row["account_id"]
            guard let findings = try? decoder.decode([Finding].self, from: Data(text.utf8)) else {
                try keep.execute(arguments: [runID, accountID, text])
                continue
            }
            let checkAt: Int64 = row["check_at"]
            try delete.execute(arguments: [runID, accountID])
            for f in findings {
                try insert.execute(arguments: [runID, accountID, checkAt, f.rule, f.severity.rawValue, f.points, f.message, f.postID,
                                               f.postTitle, f.postURL, f.fetchID, f.evidenceSHA256, f.spans.map(DateSpan.json)])
            }
        }
        try db.execute(sql: "DROP INDEX finding_run_account_v13; DROP TABLE evaluation_findings")
    }
}
