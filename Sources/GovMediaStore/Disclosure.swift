import Foundation
import GovMediaCore
import GovMediaDisclosure
import GRDB

/// One stored version of an annual disclosure report (政府信息公开年报) of an org and year.
public struct StoredDisclosure: Sendable {
    /// Row id; later imports get larger ids.
    public var id: Int64
    /// The organisation the report is for, as given on import (e.g. 净月高新区).
    public var org: String
    /// The year reported on, as given on import.
    public var year: Int
    /// When it was imported.
    public var importedAt: Date
    /// Who imported it (the OS user).
    public var importedBy: String
    /// Why it was imported (e.g. 导入 FILE, or the reason for a replacement).
    public var reason: String
    /// The file it was read from, as named on import.
    public var sourceFile: String
    /// SHA-256 of the file's bytes as read (before any GB18030 → UTF-8 conversion).
    public var sourceSHA256: String
    /// The later version that replaced this one, or nil when this is the current version.
    public var supersededBy: Int64?
    /// The report as read.
    public var report: DisclosureReport
}

/// A report that cannot be stored or read back, said in Chinese: an import refused before
/// anything was written, or a stored version that no longer decodes.
public struct DisclosureStoreError: Error, CustomStringConvertible, Sendable {
    /// The problem, for officers.
    public var description: String

    /// A problem with its message.
    public init(_ description: String) { self.description = description }
}

extension Store {
    // MARK: Importing

    /// Stores a report read from `text` as the current version for (org, year), with its
    /// cells and narrative figures as rows, in one transaction: on any error nothing is stored.
    ///
    /// When (org, year) already has a version, the import is refused unless `replace` is
    /// set; then the earlier version is kept and marked `superseded_by` the new one.
    ///
    /// - Parameter sourceSHA256: hash of the file's bytes; defaults to the hash of `text`
    ///   as UTF-8 (the same thing for a UTF-8 file).
    /// - Returns: the new version's id.
    @discardableResult
    public func importDisclosure(
        _ report: DisclosureReport, text: String, org: String, year: Int, sourceFile: String, sourceSHA256: String? = nil,
        replace: Bool, by who: Attribution
    ) throws(StoreError) -> Int64 {
        let org = org.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !org.isEmpty else { throw StoreError(path: path, DisclosureStoreError("年报所属单位（--org）不能为空；未保存任何内容")) }
        guard (1990...2200).contains(year) else {
            throw StoreError(path: path, DisclosureStoreError("年度 \(year) 不像是年报的年度（应为四位年份，如 2021）；未保存任何内容"))
        }
        let reportJSON: String
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            reportJSON = String(decoding: try encoder.encode(report), as: UTF8.self)
        } catch {
            throw StoreError(path: path, problem: "年报无法编码为 JSON：\(error)")
        }
        let hash = sourceSHA256 ?? AuditHash.sha256(Data(text.utf8))
        let at = ChinaTime.iso8601(who.at)
        return try write { db in
            let current = try Int64.fetchOne(db, sql: """
                SELECT id FROM disclosure_report WHERE org = ? AND year = ? AND superseded_by IS NULL
                """, arguments: [org, year])
            if let current, !replace {
                throw DisclosureStoreError(
                    "\(org) \(year) 年报已导入（版本 #\(current)）；如要以新文件替换，加 --replace（旧版本会保留）；未保存任何内容")
            }
            // The unique index allows one current version per (org, year), and superseded_by
            // must name an existing row: so the old version first points at itself, the new
            // one is inserted, then the old one points at the new — all inside this transaction.
            if let current {
                try db.execute(sql: "UPDATE disclosure_report SET superseded_by = id WHERE id = ?", arguments: [current])
            }
            try db.execute(sql: """
                INSERT INTO disclosure_report (org, year, imported_at, imported_by, reason, source_file, source_sha256, text,
                                               report_json, layout)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [org, year, at, who.operator, who.reason, sourceFile, hash, text, reportJSON, report.layout.rawValue])
            let id = db.lastInsertedRowID
            if let current {
                try db.execute(sql: "UPDATE disclosure_report SET superseded_by = ? WHERE id = ?", arguments: [id, current])
            }
            try Self.insertCells(db, report, id: id)
            try Self.insertFigures(db, report, id: id)
            return id
        }
    }

    private static func insertCells(_ db: Database, _ report: DisclosureReport, id: Int64) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO disclosure_cell (report_id, table_code, row_position, row_code, row_label, column_position, column_code,
                                         column_label, value, text, status, line)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for table in report.tables {
            for (rowIndex, row) in table.rows.enumerated() {
                for (columnIndex, (cell, column)) in zip(row.cells, table.columns).enumerated() {
                    // The exact decimal as text: SQLite's REAL would turn 451.726 into a binary fraction.
                    try insert.execute(arguments: [
                        id, table.id.rawValue, rowIndex + 1, row.code, row.label, columnIndex + 1, column.code, column.label,
                        cell.value.map { "\($0)" }, cell.text, cell.status.rawValue, cell.line,
                    ])
                }
            }
        }
    }

    private static func insertFigures(_ db: Database, _ report: DisclosureReport, id: Int64) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO disclosure_figure (report_id, position, kind, value, text, decimals, sentence, line)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (index, figure) in report.narrative.enumerated() {
            try insert.execute(arguments: [id, index + 1, figure.kind.rawValue, "\(figure.value)", figure.text, figure.decimals,
                                           figure.sentence, figure.line])
        }
    }

    // MARK: Reading

    /// The current version of an org's report for a year, or nil when none was imported.
    public func disclosure(org: String, year: Int) throws(StoreError) -> StoredDisclosure? {
        let org = org.trimmingCharacters(in: .whitespacesAndNewlines)
        return try read { db in
            try Row.fetchOne(db, sql: """
                SELECT * FROM disclosure_report WHERE org = ? AND year = ? AND superseded_by IS NULL
                """, arguments: [org, year]).map(Self.storedDisclosure)
        }
    }

    /// Current versions, by org then year, optionally of one org and/or one year.
    public func disclosures(org: String? = nil, year: Int? = nil) throws(StoreError) -> [StoredDisclosure] {
        let org = org?.trimmingCharacters(in: .whitespacesAndNewlines)
        return try read { db in
            var clauses = ["superseded_by IS NULL"]
            var arguments: [(any DatabaseValueConvertible)?] = []
            if let org { clauses.append("org = ?"); arguments.append(org) }
            if let year { clauses.append("year = ?"); arguments.append(year) }
            return try Row.fetchAll(db, sql: """
                SELECT * FROM disclosure_report WHERE \(clauses.joined(separator: " AND ")) ORDER BY org, year
                """, arguments: StatementArguments(arguments)).map(Self.storedDisclosure)
        }
    }

    /// Every version of an org's report for a year, oldest first (the last is current).
    public func disclosureVersions(org: String, year: Int) throws(StoreError) -> [StoredDisclosure] {
        let org = org.trimmingCharacters(in: .whitespacesAndNewlines)
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM disclosure_report WHERE org = ? AND year = ? ORDER BY id",
                             arguments: [org, year]).map(Self.storedDisclosure)
        }
    }

    /// The original text of a stored version, exactly as imported (after decoding to UTF-8).
    public func disclosureText(id: Int64) throws(StoreError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT text FROM disclosure_report WHERE id = ?", arguments: [id]) }
    }

    private static func storedDisclosure(_ row: Row) throws -> StoredDisclosure {
        let json: String = row["report_json"]
        let report: DisclosureReport
        do {
            report = try JSONDecoder().decode(DisclosureReport.self, from: Data(json.utf8))
        } catch {
            let id: Int64 = row["id"]
            throw DisclosureStoreError("年报版本 #\(id) 的存储内容无法读取（\(error)）；可用 disclosure import --replace 重新导入原文件")
        }
        let id: Int64 = row["id"]
        return StoredDisclosure(
            id: id, org: row["org"], year: row["year"],
            importedAt: try StoredValue.instant(row["imported_at"], table: "disclosure_report", row: "年报版本 #\(id)", column: "imported_at"),
            importedBy: row["imported_by"],
            reason: row["reason"], sourceFile: row["source_file"], sourceSHA256: row["source_sha256"],
            supersededBy: row["superseded_by"], report: report)
    }

    // MARK: The monitor's own figures

    /// What the monitor knows of a year, to hold a report's new-media claims against.
    ///
    /// - accounts: accounts filed (`registered_on`) by 31 December of the year and not
    ///   deregistered before that day. The register keeps each account's current state, so
    ///   an account deregistered and later reopened counts from its current dates.
    /// - pass rate: passing ÷ judged × 100 from the latest evaluation run whose check time
    ///   falls in the year (China time); nil when there was none (then only the count can
    ///   be compared) or when it judged no account.
    public func monitorFigures(year: Int) throws(StoreError) -> MonitorFigures {
        let yearEnd = String(format: "%04d-12-31", year)
        let run = try latestRun(inYear: year)
        let accounts = try read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM account
                WHERE registered_on <= ? AND (deregistered_on IS NULL OR deregistered_on >= ?)
                """, arguments: [yearEnd, yearEnd]) ?? 0
        }
        let passRate = run.flatMap { run -> Decimal? in
            guard run.accounts > 0 else { return nil }
            return Decimal(run.passing) * 100 / Decimal(run.accounts)
        }
        return MonitorFigures(accounts: accounts, passRate: passRate)
    }

    /// The latest evaluation run whose check time falls in the year (China time), if any.
    public func latestRun(inYear year: Int) throws(StoreError) -> EvaluationRun? {
        guard let first = CivilDate(year: year, month: 1, day: 1), let next = CivilDate(year: year + 1, month: 1, day: 1) else {
            return nil
        }
        return try latestRun(checkedFrom: ChinaTime.instant(first), before: ChinaTime.instant(next))
    }
}
