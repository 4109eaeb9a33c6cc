import GRDB

extension Schema {
    /// Annual disclosure reports (政府信息公开年报): every imported version with its original
    /// text, and its cells and narrative figures as rows, so the report's figures can be
    /// queried in SQL beside the monitor's own register and scores.
    ///
    /// A version is never deleted or rewritten: a re-import marks the earlier version
    /// `superseded_by` the new one, and the current version of an (org, year) is the one not
    /// superseded — enforced by a unique partial index.
    static func disclosure(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE disclosure_report (
                id INTEGER PRIMARY KEY NOT NULL,
                org TEXT NOT NULL,
                year INTEGER NOT NULL,
                imported_at TEXT NOT NULL,
                imported_by TEXT NOT NULL,
                reason TEXT NOT NULL,
                source_file TEXT NOT NULL,
                source_sha256 TEXT NOT NULL,
                text TEXT NOT NULL,
                report_json TEXT NOT NULL,
                layout TEXT NOT NULL,
                superseded_by INTEGER REFERENCES disclosure_report(id)
            );
            CREATE UNIQUE INDEX disclosure_report_current ON disclosure_report(org, year) WHERE superseded_by IS NULL;
            CREATE INDEX disclosure_report_org_year ON disclosure_report(org, year, id);

            CREATE TABLE disclosure_cell (
                report_id INTEGER NOT NULL REFERENCES disclosure_report(id),
                table_code TEXT NOT NULL,
                row_position INTEGER NOT NULL,
                row_code TEXT NOT NULL,
                row_label TEXT NOT NULL,
                column_position INTEGER NOT NULL,
                column_code TEXT NOT NULL,
                column_label TEXT NOT NULL,
                value TEXT,
                text TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('number', 'blank', 'unresolved')),
                line INTEGER NOT NULL
            );
            CREATE INDEX disclosure_cell_report ON disclosure_cell(report_id, table_code, row_code, column_code);

            CREATE TABLE disclosure_figure (
                report_id INTEGER NOT NULL REFERENCES disclosure_report(id),
                position INTEGER NOT NULL,
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                text TEXT NOT NULL,
                decimals INTEGER NOT NULL,
                sentence TEXT NOT NULL,
                line INTEGER NOT NULL
            );
            CREATE INDEX disclosure_figure_report ON disclosure_figure(report_id, kind);

            -- A version is evidence of what was published: it may only be marked superseded.
            CREATE TRIGGER disclosure_report_no_delete BEFORE DELETE ON disclosure_report
            BEGIN SELECT RAISE(ABORT, 'disclosure reports are kept: DELETE refused'); END;
            CREATE TRIGGER disclosure_report_no_rewrite
            BEFORE UPDATE OF id, org, year, imported_at, imported_by, reason, source_file, source_sha256, text, report_json, layout
            ON disclosure_report
            BEGIN SELECT RAISE(ABORT, 'disclosure reports are kept as imported: UPDATE refused'); END;
            -- Once replaced, a version stays replaced by that one version (the self-reference is the
            -- transient state of a replacement in progress, see Store.importDisclosure).
            CREATE TRIGGER disclosure_report_superseded_once BEFORE UPDATE OF superseded_by ON disclosure_report
            WHEN OLD.superseded_by IS NOT NULL AND OLD.superseded_by <> OLD.id
            BEGIN SELECT RAISE(ABORT, 'disclosure report already superseded: UPDATE refused'); END;
            """)
        try appendOnly(db, table: "disclosure_cell", label: "disclosure cells")
        try appendOnly(db, table: "disclosure_figure", label: "disclosure figures")
    }
}
