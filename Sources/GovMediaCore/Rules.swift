import Foundation

/// How much a rule weighs.
public enum Severity: String, Sendable, Codable, CaseIterable {
    /// 单项否决: one hit fails the account whatever its score.
    case veto
    /// 扣分: points off the local profile's total, up to the rule's cap.
    case deduction
    /// Recorded and shown, no effect on the verdict.
    case info

    /// The officers' word for it.
    public var chineseName: String {
        switch self {
        case .veto: "单项否决"
        case .deduction: "扣分"
        case .info: "提示"
        }
    }
}

/// One rule as a rule file states it.
public struct Rule: Sendable, Equatable {
    /// Stable id, e.g. `national.stale-2w`; findings carry it.
    public var id: String
    /// Chinese title shown to officers.
    public var title: String
    public var severity: Severity
    /// Points off per occurrence (deductions only).
    public var points: Int
    /// The most this rule can take off in one evaluation (deductions only; nil: no cap).
    public var cap: Int?
    /// Named thresholds, e.g. `days: 14`, `scans: 3`.
    public var threshold: [String: Int]
    /// Where the rule comes from (a document number, a local notice).
    public var source: String
    /// The word list it matches against, a file under `rules/words/`, when it has one.
    public var words: String?
    /// The file and line that defined it, for explaining a result.
    public var definedAt: String
    /// Whether a finding opens a rectification item (整改): nil means the default, which is
    /// yes for vetoes and no otherwise (`rectify: true` in the rule file).
    public var rectify: Bool?
    /// Working days the owner unit has to fix it (`rectify_days`); nil: the profile's.
    public var rectifyDays: Int?

    public init(id: String, title: String, severity: Severity, points: Int = 0, cap: Int? = nil,
                threshold: [String: Int] = [:], source: String, words: String? = nil, definedAt: String = "",
                rectify: Bool? = nil, rectifyDays: Int? = nil) {
        self.rectify = rectify
        self.rectifyDays = rectifyDays
        self.id = id
        self.title = title
        self.severity = severity
        self.points = points
        self.cap = cap
        self.threshold = threshold
        self.source = source
        self.words = words
        self.definedAt = definedAt
    }
}

/// A profile: the national veto items, or the district's scored scheme.
public struct RuleProfile: Sendable, Equatable {
    /// `national` or `local`.
    public var name: String
    public var title: String
    public var source: String
    /// The score an account starts from (local profile).
    public var total: Int?
    /// The score an account needs to pass (local profile).
    public var passMark: Int?
    /// Posts published within this many days before the check time are checked for
    /// 三审 records and word lists.
    public var windowDays: Int?
    /// Working days to fix an item of this profile's rules, unless a rule says otherwise.
    public var rectifyDays: Int?
    public var rules: [Rule]

    public init(name: String, title: String, source: String, total: Int? = nil, passMark: Int? = nil,
                windowDays: Int? = nil, rectifyDays: Int? = nil, rules: [Rule]) {
        self.rectifyDays = rectifyDays
        self.name = name
        self.title = title
        self.source = source
        self.total = total
        self.passMark = passMark
        self.windowDays = windowDays
        self.rules = rules
    }
}

/// One entry of a word list: the term, and for typos the correct form.
public struct WordEntry: Sendable, Equatable {
    public var term: String
    public var correction: String?
    /// Where the entry is, `words/typos.txt:12`.
    public var definedAt: String

    public init(term: String, correction: String? = nil, definedAt: String = "") {
        self.term = term
        self.correction = correction
        self.definedAt = definedAt
    }
}

/// A word list by its file name under `rules/words/`.
public struct WordList: Sendable, Equatable {
    public var file: String
    public var entries: [WordEntry]

    public init(file: String, entries: [WordEntry]) {
        self.file = file
        self.entries = entries
    }
}

/// What an evaluation found, down to the post and the page it rests on.
public struct Finding: Sendable, Equatable, Codable {
    public var rule: String
    public var severity: Severity
    /// Points actually taken off (after the rule's cap); 0 for vetoes and info.
    public var points: Int
    /// Chinese, complete enough to act on without looking anything up.
    public var message: String
    public var postID: Int64?
    public var postTitle: String?
    public var postURL: String?
    /// The fetch whose stored body shows it.
    public var fetchID: Int64?
    public var evidenceSHA256: String?
    /// The dates that prove a pattern finding (the gaps, the days out of compliance); nil
    /// for findings that rest on a post or a page. Optional so that findings stored before
    /// it existed read as they were written, and findings without it are stored unchanged.
    public var spans: [DateSpan]?

    /// The names `status --json`, the report and rectification evidence use.
    enum CodingKeys: String, CodingKey {
        case rule, severity, points, message
        case postID = "post_id", postTitle = "post_title", postURL = "post_url", fetchID = "fetch_id"
        case evidenceSHA256 = "evidence_sha256"
        case spans
    }

    public init(rule: String, severity: Severity, points: Int = 0, message: String, postID: Int64? = nil,
                postTitle: String? = nil, postURL: String? = nil, fetchID: Int64? = nil, evidenceSHA256: String? = nil,
                spans: [DateSpan]? = nil) {
        self.spans = spans
        self.rule = rule
        self.severity = severity
        self.points = points
        self.message = message
        self.postID = postID
        self.postTitle = postTitle
        self.postURL = postURL
        self.fetchID = fetchID
        self.evidenceSHA256 = evidenceSHA256
    }
}

extension Finding {
    /// Findings as JSON, in the one form `status --json`, the report and rectification
    /// evidence use: keys sorted, absent values left out, read back by `Decodable`.
    /// Written by hand: `status --json` writes 144,000 findings for 10,000 accounts, and the
    /// generic encoder took a second of it.
    public static func json(_ findings: [Finding]) -> String {
        var out = ""
        appendJSON(findings, to: &out)
        return out
    }

    /// ``json(_:)`` appended to `out`, field by field, without intermediate strings.
    public static func appendJSON(_ findings: [Finding], to out: inout String) {
        out += "["
        for (index, f) in findings.enumerated() {
            out += index == 0 ? "{" : ",{"
            if let v = f.evidenceSHA256 { out += "\"evidence_sha256\":"; out += JSONText.quote(v); out += "," }
            if let v = f.fetchID { out += "\"fetch_id\":\(v)," }
            out += "\"message\":"; out += JSONText.quote(f.message)
            out += ",\"points\":\(f.points)"
            if let v = f.postID { out += ",\"post_id\":\(v)" }
            if let v = f.postTitle { out += ",\"post_title\":"; out += JSONText.quote(v) }
            if let v = f.postURL { out += ",\"post_url\":"; out += JSONText.quote(v) }
            out += ",\"rule\":"; out += JSONText.quote(f.rule)
            out += ",\"severity\":\"\(f.severity.rawValue)\""
            if let spans = f.spans { out += ",\"spans\":" + DateSpan.json(spans) }
            out += "}"
        }
        out += "]"
    }
}

/// The outcome for one account at one check time.
public enum Verdict: String, Sendable, Codable, CaseIterable {
    case pass
    case fail
    /// Could not be read, or read with no dated posts: never counted as passing.
    case unverifiable
    /// Deregistered accounts are not judged.
    case notJudged = "not-judged"

    public var chineseName: String {
        switch self {
        case .pass: "合格"
        case .fail: "不合格"
        case .unverifiable: "无法核实"
        case .notJudged: "不评判"
        }
    }
}

/// One file of a rule set: its path relative to the rules directory and its bytes.
public struct RuleFile: Sendable, Equatable {
    public var path: String
    public var data: Data

    public init(path: String, data: Data) {
        self.path = path
        self.data = data
    }
}
