import GRDB

/// The schema's history. Each migration is applied once, in order; never edit one that
/// has shipped — add the next.
enum Schema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-register", migrate: register)
        m.registerMigration("v2-scans", migrate: scans)
        m.registerMigration("v3-reviews", migrate: reviewLedger)
        m.registerMigration("v4-evaluations", migrate: evaluations)
        m.registerMigration("v5-disclosure", migrate: disclosure)
        m.registerMigration("v6-reports", migrate: reports)
        m.registerMigration("v7-audit-sync", migrate: auditAndSync)
        // Finding a signature already recorded must not walk every record signed at the
        // same second by the same account (a ledger exported with times to the minute).
        m.registerMigration("v8-review-identity") { db in
            try db.execute(sql: "CREATE INDEX review_record_identity ON review_record(account_id, signed_ts, stage, reviewer, post_title)")
        }
        m.registerMigration("v9-bridges-and-cms-sources", migrate: bridges)
        m.registerMigration("v10-rectification", migrate: rectification)
        m.registerMigration("v11-owner-notices", migrate: ownerNotices)
        // A failure streak was kept per account and also counted from the fetch rows; only the
        // count (as of any evaluation time) was ever used, so the kept copy goes.
        m.registerMigration("v12-one-failure-count") { db in
            try db.execute(sql: "ALTER TABLE fetch_state DROP COLUMN consecutive_failures")
        }
        m.registerMigration("v13-findings-once", migrate: findingsOnce)
        return m
    }

    /// The register and its append-only event ledger.
    private static func register(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE account (
                id TEXT PRIMARY KEY NOT NULL,
                position INTEGER NOT NULL,
                name TEXT NOT NULL,
                platform TEXT NOT NULL,
                owner TEXT NOT NULL,
                owner_kind TEXT NOT NULL,
                url TEXT NOT NULL,
                registered_on TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('active', 'closing', 'deregistered')),
                source_kind TEXT NOT NULL CHECK (source_kind IN ('feed', 'html')),
                source_item TEXT, source_title TEXT, source_link TEXT, source_date TEXT,
                responsible TEXT, notes TEXT, deregistered_on TEXT
            );
            CREATE INDEX account_owner ON account(owner);

            CREATE TABLE lifecycle_event (
                seq INTEGER PRIMARY KEY NOT NULL,
                account_id TEXT NOT NULL REFERENCES account(id),
                kind TEXT NOT NULL CHECK (kind IN ('registered', 'changed', 'closing', 'deregistered')),
                at TEXT NOT NULL,
                operator TEXT NOT NULL,
                reason TEXT NOT NULL,
                changes TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL UNIQUE
            );
            CREATE INDEX lifecycle_event_account ON lifecycle_event(account_id, seq);
            """)
        try appendOnly(db, table: "lifecycle_event", label: "lifecycle events")
    }

    /// Scans, every fetch with its evidence, the remembered validators, and posts.
    private static func scans(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE scan (
                id INTEGER PRIMARY KEY NOT NULL,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'interrupted')),
                pid INTEGER NOT NULL,
                trigger TEXT NOT NULL,
                accounts INTEGER NOT NULL DEFAULT 0,
                new_posts INTEGER NOT NULL DEFAULT 0,
                failures INTEGER NOT NULL DEFAULT 0
            );

            CREATE TABLE evidence_body (
                sha256 TEXT PRIMARY KEY NOT NULL,
                size INTEGER NOT NULL,
                compressed BLOB NOT NULL,
                stored_at TEXT NOT NULL
            );

            CREATE TABLE fetch (
                id INTEGER PRIMARY KEY NOT NULL,
                scan_id INTEGER NOT NULL REFERENCES scan(id),
                account_id TEXT NOT NULL REFERENCES account(id),
                fetched_at TEXT NOT NULL,
                url TEXT NOT NULL,
                final_url TEXT,
                http_status INTEGER,
                headers TEXT NOT NULL DEFAULT '[]',
                body_sha256 TEXT,
                body_size INTEGER,
                not_modified INTEGER NOT NULL DEFAULT 0,
                failure TEXT,
                failure_message TEXT,
                attempts INTEGER NOT NULL DEFAULT 1,
                duration_ms INTEGER NOT NULL DEFAULT 0,
                document_kind TEXT,
                charset TEXT,
                items INTEGER,
                problems TEXT NOT NULL DEFAULT '[]'
            );
            CREATE INDEX fetch_account ON fetch(account_id, id);
            CREATE INDEX fetch_scan ON fetch(scan_id);
            CREATE INDEX fetch_body ON fetch(body_sha256);

            CREATE TABLE fetch_state (
                account_id TEXT PRIMARY KEY NOT NULL REFERENCES account(id),
                etag TEXT,
                last_modified TEXT,
                last_fetch_id INTEGER REFERENCES fetch(id),
                last_success_at TEXT,
                consecutive_failures INTEGER NOT NULL DEFAULT 0
            );

            CREATE TABLE post (
                id INTEGER PRIMARY KEY NOT NULL,
                account_id TEXT NOT NULL REFERENCES account(id),
                key TEXT NOT NULL,
                title TEXT NOT NULL,
                url TEXT,
                guid TEXT,
                date_text TEXT,
                published_at INTEGER,
                summary TEXT,
                first_seen_at INTEGER NOT NULL,
                fetch_id INTEGER NOT NULL REFERENCES fetch(id),
                UNIQUE (account_id, key)
            );
            CREATE INDEX post_account_published ON post(account_id, published_at);
            """)
    }

    /// Triggers that refuse UPDATE and DELETE, so a ledger can only grow; the hash chain
    /// catches whoever drops the triggers first.
    static func appendOnly(_ db: Database, table: String, label: String) throws {
        try db.execute(sql: """
            CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
            BEGIN SELECT RAISE(ABORT, '\(label) are append-only: UPDATE refused'); END;
            CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
            BEGIN SELECT RAISE(ABORT, '\(label) are append-only: DELETE refused'); END;
            """)
    }
}
