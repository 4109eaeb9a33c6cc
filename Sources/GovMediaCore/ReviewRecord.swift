import Foundation

/// A stage of the three-review sign-off (三审).
public enum ReviewStage: String, Sendable, Codable, CaseIterable, Comparable {
    case first = "初审"
    case second = "复审"
    case final = "终审"

    /// Reads a stage, accepting the synonyms real units use (一审/二审/三审, 审核, 审发).
    public init?(label: String) {
        switch label.trimmingCharacters(in: .whitespaces) {
        case "初审", "一审": self = .first
        case "复审", "二审", "审核": self = .second
        case "终审", "三审", "审发": self = .final
        default: return nil
        }
    }

    var order: Int { ReviewStage.allCases.firstIndex(of: self)! }
    public static func < (a: ReviewStage, b: ReviewStage) -> Bool { a.order < b.order }
}

/// A reviewer's opinion.
public enum ReviewOpinion: String, Sendable, Codable, CaseIterable {
    case approve = "同意"
    case returned = "退回"

    /// Reads an opinion, accepting common synonyms (通过, 不同意, 驳回).
    public init?(label: String) {
        switch label.trimmingCharacters(in: .whitespaces) {
        case "同意", "通过", "同意发布": self = .approve
        case "退回", "不同意", "驳回": self = .returned
        default: return nil
        }
    }
}

/// One signature in the 三审 ledger. Records are appended, never changed, and chained
/// by hash like the register's events.
public struct ReviewRecord: Sendable, Equatable {
    public var seq: Int64
    public var accountID: String
    /// The post's link as published, when the record names it.
    public var postURL: String?
    public var postTitle: String
    public var stage: ReviewStage
    public var reviewer: String
    /// When the stage was signed, as recorded (ISO 8601 with offset: the text is hashed).
    public var signedAt: String
    public var opinion: ReviewOpinion
    /// When and by whom it entered govmedia, and from where (`file.csv:12`, `review add`).
    public var recordedAt: String
    public var recordedBy: String
    public var origin: String
    public var previousHash: String
    public var hash: String

    public init(seq: Int64, accountID: String, postURL: String?, postTitle: String, stage: ReviewStage, reviewer: String,
                signedAt: String, opinion: ReviewOpinion, recordedAt: String, recordedBy: String, origin: String,
                previousHash: String, hash: String = "") {
        self.seq = seq
        self.accountID = accountID
        self.postURL = postURL
        self.postTitle = postTitle
        self.stage = stage
        self.reviewer = reviewer
        self.signedAt = signedAt
        self.opinion = opinion
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
        self.origin = origin
        self.previousHash = previousHash
        self.hash = hash
        if hash.isEmpty { self.hash = computedHash }
    }

    /// The hash these fields call for; differs from `hash` when a row was edited.
    public var computedHash: String {
        AuditHash.link(previous: previousHash, fields: [
            "review.v1", String(seq), accountID, postURL ?? "", postTitle, stage.rawValue, reviewer, signedAt,
            opinion.rawValue, recordedAt, recordedBy, origin,
        ])
    }

    /// The signing time as an instant.
    public var signedInstant: Date? { TextDate.readExact(signedAt) }
}
