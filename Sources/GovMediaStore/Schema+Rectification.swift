import GRDB

extension Schema {
    /// Rectification items (整改事项) and their own hash-chained, append-only ledger of
    /// events (opened, fixed, overdue, extended, waived). The item table holds the current
    /// state for queries; `audit verify` replays the events against it.
    static func rectification(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE rectification (
                id INTEGER PRIMARY KEY NOT NULL,
                account_id TEXT NOT NULL REFERENCES account(id),
                rule TEXT NOT NULL,
                severity TEXT NOT NULL,
                owner TEXT NOT NULL,
                responsible TEXT,
                found_at TEXT NOT NULL,
                found_run_id INTEGER NOT NULL REFERENCES evaluation_run(id),
                evidence TEXT NOT NULL,
                deadline TEXT NOT NULL,
                deadline_estimated INTEGER NOT NULL DEFAULT 0,
                state TEXT NOT NULL CHECK (state IN ('open', 'fixed', 'waived')),
                overdue_recorded INTEGER NOT NULL DEFAULT 0,
                closed_at TEXT,
                closed_run_id INTEGER REFERENCES evaluation_run(id),
                close_reason TEXT
            );
            -- One open item per account and rule.
            CREATE UNIQUE INDEX rectification_open ON rectification(account_id, rule) WHERE state = 'open';
            CREATE INDEX rectification_owner ON rectification(owner, state);

            CREATE TABLE rectification_event (
                seq INTEGER PRIMARY KEY NOT NULL,
                item_id INTEGER NOT NULL REFERENCES rectification(id),
                account_id TEXT NOT NULL,
                rule TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('opened', 'fixed', 'overdue', 'extended', 'waived')),
                at TEXT NOT NULL,
                operator TEXT NOT NULL,
                reason TEXT NOT NULL,
                details TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL UNIQUE
            );
            CREATE INDEX rectification_event_item ON rectification_event(item_id, seq);
            """)
        try appendOnly(db, table: "rectification_event", label: "rectification events")
    }

    /// The owner units' contact addresses (`account.contact_email`) and the rectification
    /// notices (整改通知) written for them: one row per item, unit and China day, so the
    /// daemon never tells a unit about the same item twice in one day.
    static func ownerNotices(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE account ADD COLUMN contact_email TEXT;
            CREATE TABLE rectification_notice (
                id INTEGER PRIMARY KEY NOT NULL,
                item_id INTEGER NOT NULL REFERENCES rectification(id),
                unit TEXT NOT NULL,
                day TEXT NOT NULL,
                reason TEXT NOT NULL CHECK (reason IN ('opened', 'due', 'overdue', 'open')),
                recipients TEXT NOT NULL,
                message_id TEXT NOT NULL,
                html_path TEXT NOT NULL,
                eml_path TEXT NOT NULL,
                written_at TEXT NOT NULL,
                written_by TEXT NOT NULL,
                UNIQUE (item_id, unit, day)
            );
            CREATE INDEX rectification_notice_day ON rectification_notice(day, unit);
            """)
    }
}
