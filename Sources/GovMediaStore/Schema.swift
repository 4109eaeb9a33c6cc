import GRDB

/// The schema's history. Each migration is applied once, in order; never edit one that
/// has shipped — add the next.
enum Schema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-register", migrate: register)
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
