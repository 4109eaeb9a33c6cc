import Foundation

/// A rectification item (整改事项): one failing problem of one account under one rule, from
/// the evaluation that first found it until a later one no longer finds it (fixed, with that
/// evaluation as proof) or an officer waives it. Every change is a `RectificationEvent`.
public struct RectificationItem: Sendable, Equatable {
    /// Where an item stands. `overdue` is not a state: it is an open item past its deadline.
    public enum State: String, Sendable, Codable, CaseIterable {
        case open, fixed, waived

        public var chineseName: String {
            switch self {
            case .open: "待整改"
            case .fixed: "已整改"
            case .waived: "已豁免"
            }
        }
    }

    public var id: Int64
    public var accountID: String
    public var accountName: String
    public var rule: String
    public var severity: Severity
    /// The owner unit (主办单位) and the responsible person, as the register had them when found.
    public var owner: String
    public var responsible: String?
    /// The check time of the evaluation that found it.
    public var foundAt: Date
    public var foundRunID: Int64
    /// The findings that prove it, as that evaluation stored them.
    public var evidence: [Finding]
    /// The last day to fix it (the end of that day, China time).
    public var deadline: CivilDate
    /// Counted partly by weekends only: a year the calendar does not cover (按周末估算).
    public var deadlineEstimated: Bool
    public var state: State
    /// Whether the overdue event has been recorded for the current deadline.
    public var overdueRecorded: Bool
    /// Fixed: the check time and run of the evaluation that no longer found it; waived: the
    /// time of the officer's decision and their reason.
    public var closedAt: Date?
    public var closedRunID: Int64?
    public var closeReason: String?

    public init(id: Int64, accountID: String, accountName: String, rule: String, severity: Severity, owner: String,
                responsible: String?, foundAt: Date, foundRunID: Int64, evidence: [Finding], deadline: CivilDate,
                deadlineEstimated: Bool, state: State, overdueRecorded: Bool = false, closedAt: Date? = nil,
                closedRunID: Int64? = nil, closeReason: String? = nil) {
        self.id = id
        self.accountID = accountID
        self.accountName = accountName
        self.rule = rule
        self.severity = severity
        self.owner = owner
        self.responsible = responsible
        self.foundAt = foundAt
        self.foundRunID = foundRunID
        self.evidence = evidence
        self.deadline = deadline
        self.deadlineEstimated = deadlineEstimated
        self.state = state
        self.overdueRecorded = overdueRecorded
        self.closedAt = closedAt
        self.closedRunID = closedRunID
        self.closeReason = closeReason
    }

    /// The first instant past the deadline.
    public var deadlineEnd: Date { ChinaTime.instant(deadline.adding(days: 1)) }

    /// Open and past its deadline at `at`.
    public func isOverdue(at: Date) -> Bool { state == .open && at >= deadlineEnd }

    /// 待整改, 已逾期, 已整改 or 已豁免 at `at`.
    public func stateName(at: Date) -> String { isOverdue(at: at) ? "已逾期" : state.chineseName }

    /// `overdue` at `at` when open and past the deadline, else the state.
    public func stateCode(at: Date) -> String { isOverdue(at: at) ? "overdue" : state.rawValue }

    /// The deadline as shown: `2026-02-26`, or `2027-01-12（按周末估算）`.
    public var deadlineText: String {
        deadline.description + (deadlineEstimated ? "（\(WorkCalendar.estimatedNote)）" : "")
    }

    /// What was found, in one line: the first finding's message, and how many more.
    public var summary: String {
        guard let first = evidence.first else { return rule }
        return first.message + (evidence.count > 1 ? "（另 \(evidence.count - 1) 处）" : "")
    }
}

/// One change of a rectification item, append-only and hash-chained like the register's events.
public struct RectificationEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case opened, fixed, overdue, extended, waived

        public var chineseName: String {
            switch self {
            case .opened: "开立"
            case .fixed: "已整改"
            case .overdue: "逾期"
            case .extended: "延期"
            case .waived: "豁免"
            }
        }
    }

    public var seq: Int64
    public var itemID: Int64
    public var accountID: String
    public var rule: String
    public var kind: Kind
    /// ISO 8601 (+08:00): the evaluation's check time, or when the officer acted.
    public var at: String
    public var `operator`: String
    public var reason: String
    /// Sorted-key JSON of what changed (`deadline`, `estimated`, `run`, …).
    public var details: String
    public var previousHash: String
    public var hash: String

    public init(seq: Int64, itemID: Int64, accountID: String, rule: String, kind: Kind, at: String, operator: String,
                reason: String, details: String, previousHash: String, hash: String? = nil) {
        self.seq = seq
        self.itemID = itemID
        self.accountID = accountID
        self.rule = rule
        self.kind = kind
        self.at = at
        self.operator = `operator`
        self.reason = reason
        self.details = details
        self.previousHash = previousHash
        self.hash = ""
        self.hash = hash ?? computedHash
    }

    /// The hash its fields and the previous hash give.
    public var computedHash: String {
        AuditHash.link(previous: previousHash, fields: [String(seq), String(itemID), accountID, rule, kind.rawValue, at,
                                                        `operator`, reason, details])
    }

    /// The details as a dictionary (empty when unreadable).
    public var detailValues: [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(details.utf8))) ?? [:]
    }

    /// Encodes details as the stored, hashed JSON text (keys sorted).
    public static func encode(_ details: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(details)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

/// A failing problem an evaluation found, ready to open an item: what the workflow hands the store.
public struct RectificationProblem: Sendable, Equatable {
    public var accountID: String
    public var rule: String
    public var severity: Severity
    public var deadline: CivilDate
    public var deadlineEstimated: Bool
    public var evidence: [Finding]

    public init(accountID: String, rule: String, severity: Severity, deadline: CivilDate, deadlineEstimated: Bool, evidence: [Finding]) {
        self.accountID = accountID
        self.rule = rule
        self.severity = severity
        self.deadline = deadline
        self.deadlineEstimated = deadlineEstimated
        self.evidence = evidence
    }
}

/// A rectification step refused: unknown id, a deadline before the finding, no reason, an
/// item already closed. Nothing is written.
public struct RectificationError: Error, CustomStringConvertible, Sendable {
    public var itemID: Int64?
    public var problem: String

    public init(itemID: Int64?, problem: String) {
        self.itemID = itemID
        self.problem = problem
    }

    public var description: String { (itemID.map { "整改事项 #\($0)：" } ?? "整改：") + problem }
}
