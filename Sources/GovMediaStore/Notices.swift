import Foundation
import GovMediaCore
import GRDB

/// Why an item is in a unit's rectification notice (整改通知).
public enum NoticeReason: String, Sendable, CaseIterable, Codable {
    /// First notice of a newly opened item.
    case opened
    /// A reminder: due within one working day.
    case due
    /// A reminder: past its deadline.
    case overdue
    /// An officer's `govmedia notify` of an open item.
    case open

    public var chineseName: String {
        switch self {
        case .opened: "新发现"
        case .due: "即将到期"
        case .overdue: "已逾期"
        case .open: "待整改"
        }
    }
}

/// One item of one notice as recorded (a row of `rectification_notice`): the unit was told
/// about the item on that day. Read strictly: a day, reason or writing time this release
/// cannot read is an error naming the row, never a row left out of the count.
public struct NoticeRecord: Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "rectification_notice"

    public var itemID: Int64
    public var unit: String
    /// The China day the notice was written.
    public var day: CivilDate
    public var reason: NoticeReason
    public var recipients: [String]
    public var messageID: String
    public var htmlPath: String
    public var emlPath: String
    public var writtenAt: Date
    public var writtenBy: String

    public init(itemID: Int64, unit: String, day: CivilDate, reason: NoticeReason, recipients: [String], messageID: String,
                htmlPath: String, emlPath: String, writtenAt: Date, writtenBy: String) {
        self.itemID = itemID
        self.unit = unit
        self.day = day
        self.reason = reason
        self.recipients = recipients
        self.messageID = messageID
        self.htmlPath = htmlPath
        self.emlPath = emlPath
        self.writtenAt = writtenAt
        self.writtenBy = writtenBy
    }

    public init(row: Row) throws {
        let id: Int64 = row["id"]
        let at = "通知 id \(id)"
        let dayText: String = row["day"], writtenText: String = row["written_at"]
        guard let day = CivilDate(iso: dayText) else {
            throw StoredValueError(table: Self.databaseTableName, row: at, column: "day", value: dayText)
        }
        let written = try StoredValue.instant(writtenText, table: Self.databaseTableName, row: at, column: "written_at")
        self.init(itemID: row["item_id"], unit: row["unit"], day: day,
                  reason: try StoredValue.decode(row["reason"], as: NoticeReason.self, table: Self.databaseTableName, row: at, column: "reason"),
                  recipients: ContactEmail.split(row["recipients"]), messageID: row["message_id"], htmlPath: row["html_path"],
                  emlPath: row["eml_path"], writtenAt: written, writtenBy: row["written_by"])
    }

    public func encode(to container: inout PersistenceContainer) {
        container["item_id"] = itemID
        container["unit"] = unit
        container["day"] = day.description
        container["reason"] = reason.rawValue
        container["recipients"] = recipients.joined(separator: ", ")
        container["message_id"] = messageID
        container["html_path"] = htmlPath
        container["eml_path"] = emlPath
        container["written_at"] = ChinaTime.iso8601(writtenAt)
        container["written_by"] = writtenBy
    }
}

extension Store {
    /// Each owner unit's contact addresses: the `contact_email` of its accounts that are
    /// not deregistered, in register order, without repeats. A unit with none is absent.
    public func unitContacts() throws(StoreError) -> [String: [String]] {
        try read { db in
            var contacts: [String: [String]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT owner, contact_email FROM account
                WHERE status != 'deregistered' AND contact_email IS NOT NULL ORDER BY position
                """) {
                let owner: String = row["owner"]
                for address in ContactEmail.split(row["contact_email"]) where !(contacts[owner] ?? []).contains(address) {
                    contacts[owner, default: []].append(address)
                }
            }
            return contacts
        }
    }

    /// The items each unit was already told about on `day`.
    public func noticedItems(on day: CivilDate) throws(StoreError) -> Set<NoticeKey> {
        try read { db in
            Set(try Row.fetchAll(db, sql: "SELECT item_id, unit FROM rectification_notice WHERE day = ?", arguments: [day.description])
                .map { NoticeKey(itemID: $0["item_id"], unit: $0["unit"]) })
        }
    }

    /// Every item any unit was ever told about.
    public func everNoticedItemIDs() throws(StoreError) -> Set<Int64> {
        try read { db in Set(try Int64.fetchAll(db, sql: "SELECT DISTINCT item_id FROM rectification_notice")) }
    }

    /// Records a written notice's items, in one transaction. An item already recorded for
    /// the unit that day is refused by the table, so a notice is never counted twice.
    public func recordNotices(_ records: [NoticeRecord]) throws(StoreError) {
        try write { db in
            for r in records { try r.insert(db) }
        }
    }

    /// Notices written from `start` (inclusive) to `end` (exclusive), oldest first.
    public func notices(from start: Date, to end: Date) throws(StoreError) -> [NoticeRecord] {
        try read { db in
            // Every row is read (and so checked), then filtered by time: a writing time that
            // cannot be read must fail loudly, not drop the notice from the week's count.
            try NoticeRecord.fetchAll(db, sql: "SELECT * FROM rectification_notice ORDER BY id")
                .filter { $0.writtenAt >= start && $0.writtenAt < end }
        }
    }
}

/// An item and the unit told about it.
public struct NoticeKey: Hashable, Sendable {
    public var itemID: Int64
    public var unit: String

    public init(itemID: Int64, unit: String) {
        self.itemID = itemID
        self.unit = unit
    }
}
