import Foundation

/// One step of an account's lifecycle as filed (开设 / 变更 / 关停 / 注销). Events are
/// appended, never changed, and chained by hash.
public struct LifecycleEvent: Equatable, Sendable {
    /// What happened. An officer's flag (the no-interaction veto) is set and cleared in the
    /// same chain as the register, so deleting a flag is caught like editing an account.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case registered, changed, closing, deregistered, flagged, unflagged

        /// The officers' word for the step.
        public var chineseName: String {
            switch self {
            case .registered: "开设"
            case .changed: "变更"
            case .closing: "关停"
            case .deregistered: "注销"
            case .flagged: "标记"
            case .unflagged: "解除标记"
            }
        }
    }

    /// One field's value before and after (nil: absent).
    public struct Change: Codable, Equatable, Sendable {
        public var field: String
        public var before: String?
        public var after: String?

        public init(field: String, before: String?, after: String?) {
            self.field = field
            self.before = before
            self.after = after
        }
    }

    /// Position in the register's chain, from 1.
    public var seq: Int64
    public var accountID: String
    public var kind: Kind
    /// When it was recorded, ISO 8601 with offset (kept as text: it is what the hash covers).
    public var at: String
    /// The OS user who ran the command.
    public var `operator`: String
    public var reason: String
    public var changes: [Change]
    /// The changes exactly as stored and hashed: verification hashes this text, not a
    /// re-encoding that a newer Foundation might spell differently.
    public var changesJSON: String
    public var previousHash: String
    public var hash: String

    public init(seq: Int64, accountID: String, kind: Kind, at: String, operator: String, reason: String,
                changes: [Change], changesJSON: String? = nil, previousHash: String, hash: String = "") {
        self.seq = seq
        self.accountID = accountID
        self.kind = kind
        self.at = at
        self.operator = `operator`
        self.reason = reason
        self.changes = changes
        self.changesJSON = changesJSON ?? Self.encodeChanges(changes)
        self.previousHash = previousHash
        self.hash = hash
        if hash.isEmpty { self.hash = computedHash }
    }

    /// The hash these fields call for; differs from `hash` when a row was edited.
    public var computedHash: String {
        AuditHash.link(previous: previousHash, fields: [
            "lifecycle.v1", String(seq), accountID, kind.rawValue, at, `operator`, reason, changesJSON,
        ])
    }

    public static func encodeChanges(_ changes: [Change]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(changes)) ?? Data("[]".utf8), as: UTF8.self)
    }

    public static func decodeChanges(_ json: String) -> [Change]? {
        try? JSONDecoder().decode([Change].self, from: Data(json.utf8))
    }

    /// The change a flag event records: the field `flag:NAME`, with the reason it was set as
    /// the value while it stands.
    public static func flagChange(_ flag: String, set reason: String?, cleared previous: String?) -> Change {
        Change(field: flagFieldPrefix + flag, before: previous, after: reason)
    }

    /// Flag events name their flag in a field with this prefix; register fields never have it.
    public static let flagFieldPrefix = "flag:"

    /// The field-by-field differences between two versions of an account, in field order;
    /// a first registration (`old` nil) lists every field, so replaying an account's
    /// events rebuilds it.
    public static func diff(_ old: Account?, _ new: Account) -> [Change] {
        let a = old?.fields ?? [:]
        let b = new.fields
        return AccountField.allCases.map(\.rawValue).compactMap { key in
            a[key] == b[key] ? nil : Change(field: key, before: a[key], after: b[key])
        }
    }
}
