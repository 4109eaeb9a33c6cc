import Foundation

/// The latest fetch of an account as of a check time.
public struct FetchSummary: Sendable, Equatable {
    public var fetchID: Int64
    public var fetchedAt: Date
    public var url: String
    /// The failure class, nil when the page was read.
    public var failure: FetchFailureKind?
    public var failureMessage: String?
    public var evidenceSHA256: String?
    /// The feed bridge the fetch went through, when it did.
    public var bridge: String?

    public init(fetchID: Int64, fetchedAt: Date, url: String, failure: FetchFailureKind?, failureMessage: String?, evidenceSHA256: String?,
                bridge: String? = nil) {
        self.bridge = bridge
        self.fetchID = fetchID
        self.fetchedAt = fetchedAt
        self.url = url
        self.failure = failure
        self.failureMessage = failureMessage
        self.evidenceSHA256 = evidenceSHA256
    }
}

/// A post with the evidence it came from, as the evaluator sees it.
public struct EvidencedPost: Sendable, Equatable {
    public var post: StoredPost
    public var evidenceSHA256: String?

    public init(post: StoredPost, evidenceSHA256: String?) {
        self.post = post
        self.evidenceSHA256 = evidenceSHA256
    }
}

/// An officer's flag on an account (e.g. no working interaction, 互动回应差).
public struct AccountFlag: Sendable, Equatable {
    public var accountID: String
    public var flag: String
    public var reason: String
    public var setAt: Date
    public var setBy: String

    public init(accountID: String, flag: String, reason: String, setAt: Date, setBy: String) {
        self.accountID = accountID
        self.flag = flag
        self.reason = reason
        self.setAt = setAt
        self.setBy = setBy
    }
}

/// Everything the evaluator needs to judge one account at one check time, read from the
/// store in bulk so that judging itself does no I/O.
public struct AccountSnapshot: Sendable {
    public var account: Account
    /// The newest post with a date at or before the check time.
    public var newestDatedPost: EvidencedPost?
    /// Dated posts published within the window before the check time, newest first.
    public var windowPosts: [EvidencedPost]
    /// For deregistered accounts: posts published after the deregistration day.
    public var postsAfterDeregistration: [EvidencedPost]
    /// How many posts are stored at all (dated or not).
    public var storedPosts: Int
    /// The latest fetch at or before the check time.
    public var lastFetch: FetchSummary?
    /// Whether any fetch at or before the check time read the page.
    public var everRead: Bool
    /// Failed fetches since the last successful one.
    public var consecutiveFailures: Int
    /// 三审 records that may belong to the window's posts.
    public var reviews: [ReviewRecord]
    /// Active officer flags.
    public var flags: [AccountFlag]
    /// Other accounts (not deregistered) of the same owner on the same platform.
    public var samePlatformSiblings: [String]
    /// Publication times of the dated posts over the update-pattern rules' history before
    /// the check time, and the newest one before that history (it bounds the first gap),
    /// oldest first. Empty when no pattern rule asked for history.
    public var postTimes: [Date] = []

    public init(account: Account, newestDatedPost: EvidencedPost? = nil, windowPosts: [EvidencedPost] = [],
                postsAfterDeregistration: [EvidencedPost] = [], storedPosts: Int = 0, lastFetch: FetchSummary? = nil,
                everRead: Bool = false, consecutiveFailures: Int = 0, reviews: [ReviewRecord] = [],
                flags: [AccountFlag] = [], samePlatformSiblings: [String] = []) {
        self.account = account
        self.newestDatedPost = newestDatedPost
        self.windowPosts = windowPosts
        self.postsAfterDeregistration = postsAfterDeregistration
        self.storedPosts = storedPosts
        self.lastFetch = lastFetch
        self.everRead = everRead
        self.consecutiveFailures = consecutiveFailures
        self.reviews = reviews
        self.flags = flags
        self.samePlatformSiblings = samePlatformSiblings
    }
}

/// One account's result at one check time.
public struct AccountEvaluation: Sendable, Equatable {
    public var accountID: String
    public var verdict: Verdict
    /// The local profile's score (nil for accounts not judged).
    public var score: Int?
    /// Vetoes first, then deductions by points, then information.
    public var findings: [Finding]
    public var lastPostAt: Date?
    public var daysSinceUpdate: Int?
    /// Share of the window's posts with a complete, valid 三审 record (nil: no posts).
    public var reviewCoverage: Double?
    public var postsInWindow: Int
    public var reviewedPosts: Int

    public init(accountID: String, verdict: Verdict, score: Int?, findings: [Finding], lastPostAt: Date?,
                daysSinceUpdate: Int?, reviewCoverage: Double?, postsInWindow: Int, reviewedPosts: Int) {
        self.accountID = accountID
        self.verdict = verdict
        self.score = score
        self.findings = findings
        self.lastPostAt = lastPostAt
        self.daysSinceUpdate = daysSinceUpdate
        self.reviewCoverage = reviewCoverage
        self.postsInWindow = postsInWindow
        self.reviewedPosts = reviewedPosts
    }

    /// The finding an officer should read first.
    public var mainFinding: Finding? { findings.first { $0.severity != .info } ?? findings.first }
}

