import Yams

/// Popularity is never scored: a rule that counts followers, reads, likes or shares is
/// refused when the rule files load (国办函〔2026〕12号 forbids judging government new media
/// by such figures; they reward chasing traffic, not serving the public).
///
/// A rule is looked at as written, before its keys are validated, so the refusal names what
/// it found whichever key carries it: the id, a threshold's name, an unknown key such as
/// `metric:`, or a value. The `source` is not looked at (it may quote a document that
/// mentions such figures), and the title only for the Chinese names of the figures.
enum PopularityMetrics {
    /// The document that forbids it, as every refusal cites it.
    static let citation = "国办函〔2026〕12号"

    /// English words in ids, threshold names and values (whole words between `.`, `-`, `_`).
    static let englishWords: [String: String] = [
        "followers": "粉丝数", "follower": "粉丝数", "fans": "粉丝数", "fan": "粉丝数", "subscribers": "粉丝数",
        "reads": "阅读量", "read": "阅读量", "views": "阅读量", "view": "阅读量", "pageviews": "阅读量", "pv": "阅读量",
        "plays": "播放量", "clicks": "点击量", "likes": "点赞数", "like": "点赞数",
        "shares": "转发数", "share": "转发数", "forwards": "转发数", "reposts": "转发数", "retweets": "转发数",
        "popularity": "人气", "engagement": "互动量",
    ]

    /// Chinese names of the figures, found anywhere in a title, id, key or value.
    static let chineseTerms = ["粉丝", "阅读量", "阅读数", "浏览量", "播放量", "点击量", "点赞", "在看数", "转发量", "转发数",
                               "分享量", "分享数", "关注人数", "订阅数", "人气"]

    /// Throws when the rule at `node` uses a popularity figure.
    static func refuse(in node: Node, source: YAMLSource) throws(RuleFileError) {
        guard let mapping = node.mapping else { return }
        for (key, value) in mapping {
            let name = key.scalar?.string ?? ""
            if let found = figure(in: name, english: true) { throw refusal(key, name, found, source) }
            switch name {
            case "source":
                continue
            case "title":
                if let text = value.scalar?.string, let found = figure(in: text, english: false) {
                    throw refusal(value, text, found, source)
                }
            default:
                try refuse(inValue: value, source: source)
            }
        }
    }

    /// Every scalar under a value: threshold names and numbers, lists, nested mappings.
    private static func refuse(inValue node: Node, source: YAMLSource) throws(RuleFileError) {
        switch node {
        case .scalar(let scalar):
            if let found = figure(in: scalar.string, english: true) { throw refusal(node, scalar.string, found, source) }
        case .mapping(let mapping):
            for (key, value) in mapping {
                if let text = key.scalar?.string, let found = figure(in: text, english: true) {
                    throw refusal(key, text, found, source)
                }
                try refuse(inValue: value, source: source)
            }
        case .sequence(let sequence):
            for item in sequence { try refuse(inValue: item, source: source) }
        case .alias:
            return
        }
    }

    /// The figure `text` names, in Chinese, or nil.
    static func figure(in text: String, english: Bool) -> String? {
        if let term = chineseTerms.first(where: text.contains) { return term }
        guard english else { return nil }
        let words = text.lowercased().split { !($0.isLetter && $0.isASCII) }
        return words.lazy.compactMap { englishWords[String($0)] }.first
    }

    private static func refusal(_ node: Node, _ text: String, _ figure: String, _ source: YAMLSource) -> RuleFileError {
        source.error(node, "不能按“人气”指标评分：「\(text)」是\(figure)一类的指标。\(citation)要求不以粉丝数、阅读量、"
                     + "点赞数、转发数等评价政务新媒体，这条规则不能加载；请删除它，或改为考核更新、内容、审核等实际工作")
    }
}
