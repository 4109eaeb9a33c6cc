import GovMediaCore

/// A loaded, validated rule set and its version.
///
/// Made by `RuleFiles.load(directory:)`; every evaluation stores `version`, so a result can
/// always be traced back to the exact rule and word files it was computed with.
public struct RuleSet: Sendable {
    /// The national veto items (国办秘函〔2019〕19号), from `national.yaml`.
    public var national: RuleProfile
    /// The district's scored scheme, from `local.yaml`.
    public var local: RuleProfile
    /// Every list under `words/`, by file name (`typos.txt`), referenced or not.
    public var wordLists: [String: WordList]
    /// sha256 over every rule and word file (path + content, sorted by path): stored with every evaluation.
    public var version: String
    /// Holidays and make-up working days (`calendar.yaml`), for rectification deadlines.
    public var calendar: WorkCalendar
    /// Exactly the files `version` hashes, as read: stored with the first evaluation made
    /// under this version, so a past result can be traced to the rules that made it.
    public var files: [RuleFile]

    /// Assembles a rule set; tests of the evaluator build one by hand with this.
    public init(national: RuleProfile, local: RuleProfile, wordLists: [String: WordList], version: String,
                calendar: WorkCalendar = WorkCalendar(), files: [RuleFile] = []) {
        self.calendar = calendar
        self.files = files
        self.national = national
        self.local = local
        self.wordLists = wordLists
        self.version = version
    }

    /// The rule with this id in either profile (ids are unique across both).
    public func rule(_ id: String) -> Rule? {
        // Fifteen-odd rules: a scan is cheaper than keeping an index in step with `var` profiles.
        national.rules.first { $0.id == id } ?? local.rules.first { $0.id == id }
    }

    /// Working days to fix a finding of this rule, or nil when its findings open no
    /// rectification item: vetoes always do (unless `rectify: false`), deductions only when
    /// the rule says `rectify: true`, notes never. Defaults: the profile's `rectify_days`,
    /// else 5 for vetoes and 10 for the rest.
    public func rectifyDays(_ id: String) -> Int? {
        guard let rule = rule(id), rule.severity != .info else { return nil }
        let wanted = rule.rectify ?? (rule.severity == .veto)
        guard wanted else { return nil }
        let profile = national.rules.contains { $0.id == id } ? national : local
        return rule.rectifyDays ?? profile.rectifyDays ?? (rule.severity == .veto ? 5 : 10)
    }

    /// National rules first, then local, each in file order.
    public var allRules: [Rule] { national.rules + local.rules }

    /// The word list a rule names in `words:`, if it names one.
    public func wordList(for rule: Rule) -> WordList? {
        rule.words.flatMap { wordLists[$0] }
    }
}

