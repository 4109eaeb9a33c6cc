import GRDB

extension Schema {
    /// Weekly reports as generated (which week, which run, the files' hashes, the mail in
    /// the outbox) and every recipient's delivery outcome, so a delivered message is never
    /// sent again and an undelivered one is retried.
    static func reports(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE weekly_report (
                id INTEGER PRIMARY KEY NOT NULL,
                week TEXT NOT NULL,
                run_id INTEGER REFERENCES evaluation_run(id),
                directory TEXT NOT NULL,
                html_file TEXT NOT NULL,
                html_sha256 TEXT NOT NULL,
                csv_file TEXT NOT NULL,
                csv_sha256 TEXT NOT NULL,
                eml_path TEXT,
                message_id TEXT,
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL,
                UNIQUE (week, html_sha256, csv_sha256, eml_path)
            );
            CREATE INDEX weekly_report_week ON weekly_report(week, id);

            CREATE TABLE mail_delivery (
                message_id TEXT NOT NULL,
                recipient TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
                attempts INTEGER NOT NULL,
                last_error TEXT,
                sent_at TEXT,
                updated_at TEXT NOT NULL,
                eml_path TEXT NOT NULL,
                PRIMARY KEY (message_id, recipient)
            ) WITHOUT ROWID;
            """)
    }
}
