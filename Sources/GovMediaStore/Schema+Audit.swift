import Foundation
import GovMediaCore
import GRDB

extension Schema {
    /// Officers' flags join the register's hash chain (the event kinds `flagged` and
    /// `unflagged`; flags set before this version are recorded once, in time order), and the
    /// register file last applied is remembered, so a restart never re-applies a file over
    /// what officers did since.
    static func auditAndSync(_ db: Database) throws {
        // SQLite cannot widen a CHECK in place: the ledger is copied row for row (hashes do
        // not depend on the table), and its append-only triggers come back on the new table.
        try db.execute(sql: """
            DROP TRIGGER lifecycle_event_no_update;
            DROP TRIGGER lifecycle_event_no_delete;
            CREATE TABLE lifecycle_event_v7 (
                seq INTEGER PRIMARY KEY NOT NULL,
                account_id TEXT NOT NULL REFERENCES account(id),
                kind TEXT NOT NULL CHECK (kind IN ('registered', 'changed', 'closing', 'deregistered', 'flagged', 'unflagged')),
                at TEXT NOT NULL,
                operator TEXT NOT NULL,
                reason TEXT NOT NULL,
                changes TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL UNIQUE
            );
            INSERT INTO lifecycle_event_v7 SELECT seq, account_id, kind, at, operator, reason, changes, prev_hash, hash FROM lifecycle_event;
            DROP TABLE lifecycle_event;
            ALTER TABLE lifecycle_event_v7 RENAME TO lifecycle_event;
            CREATE INDEX lifecycle_event_account ON lifecycle_event(account_id, seq);

            CREATE TABLE register_sync (
                path TEXT PRIMARY KEY NOT NULL,
                digest TEXT NOT NULL,
                applied_at TEXT NOT NULL,
                accounts TEXT NOT NULL
            );
            """)
        try appendOnly(db, table: "lifecycle_event", label: "lifecycle events")

        // Flags already set are entered in the chain now, oldest step first, with the
        // officer, reason and time each was recorded with.
        var steps: [(at: String, id: String, kind: LifecycleEvent.Kind, change: LifecycleEvent.Change, by: String, reason: String)] = []
        for row in try Row.fetchAll(db, sql: "SELECT * FROM account_flag ORDER BY id") {
            let flag: String = row["flag"]
            let reason: String = row["reason"]
            steps.append((row["set_at"], row["account_id"], .flagged, LifecycleEvent.flagChange(flag, set: reason, cleared: nil),
                          row["set_by"], reason))
            if let clearedAt: String = row["cleared_at"] {
                steps.append((clearedAt, row["account_id"], .unflagged, LifecycleEvent.flagChange(flag, set: nil, cleared: reason),
                              row["cleared_by"] ?? "?", row["clear_reason"] ?? ""))
            }
        }
        for step in steps.sorted(by: { $0.at < $1.at }) {
            try Store.append(db, step.kind, [step.change], step.id,
                             Attribution(operator: step.by, reason: step.reason, at: TextDate.readExact(step.at) ?? Date()),
                             atText: step.at)
        }
    }
}

extension Schema {
    /// Accounts read through feed bridges (the platform handle, the bridge's name, the
    /// `bridge` source kind) and CMS lists served as JSON or XML records, with how they are
    /// requested (method, body, headers, pages); and each fetch remembers the bridge it went through, so source
    /// health is told from stored fetches without the config.
    static func bridges(_ db: Database) throws {
        try db.execute(sql: """
            DROP TABLE IF EXISTS account_v9;
            CREATE TABLE account_v9 (
                id TEXT PRIMARY KEY NOT NULL,
                position INTEGER NOT NULL,
                name TEXT NOT NULL,
                platform TEXT NOT NULL,
                owner TEXT NOT NULL,
                owner_kind TEXT NOT NULL,
                url TEXT NOT NULL,
                handle TEXT,
                registered_on TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('active', 'closing', 'deregistered')),
                source_kind TEXT NOT NULL CHECK (source_kind IN ('feed', 'html', 'bridge', 'json', 'xml')),
                source_item TEXT, source_title TEXT, source_link TEXT, source_date TEXT, source_bridge TEXT,
                source_items TEXT, source_link_base TEXT, source_html TEXT, source_request TEXT,
                responsible TEXT, notes TEXT, deregistered_on TEXT
            );
            INSERT INTO account_v9 (id, position, name, platform, owner, owner_kind, url, registered_on, status, source_kind,
                                    source_item, source_title, source_link, source_date, responsible, notes, deregistered_on)
                SELECT id, position, name, platform, owner, owner_kind, url, registered_on, status, source_kind,
                       source_item, source_title, source_link, source_date, responsible, notes, deregistered_on FROM account;
            DROP TABLE account;
            ALTER TABLE account_v9 RENAME TO account;
            CREATE INDEX account_owner ON account(owner);
            ALTER TABLE fetch ADD COLUMN bridge TEXT;
            """)
    }
}
