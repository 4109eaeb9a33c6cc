import Foundation

/// Finds the figures the report's prose states (受理…477件, 答复率98.7%, 政务新媒体39个 …),
/// each with the sentence it came from.
///
/// A figure is taken only from its own clause (up to the next comma or full stop) and only
/// when the clause is about disclosure requests, so 收到群众诉求348件 is not read as requests.
enum NarrativeReader {
    private struct Pattern {
        var kind: NarrativeKind
        var keywords: [String]
        var unit: Unicode.Scalar
        var window: Int
        /// The clause must contain one of these.
        var clauseNeeds: [String] = []
        /// The sentence must contain one of these.
        var sentenceNeeds: [String] = []
        /// The clause must contain none of these.
        var clauseExcludes: [String] = []
    }

    private static let offTopic = ["复议", "诉讼", "诉求", "信访", "举报", "投诉", "来访", "来电", "咨询", "留言", "热线", "建议", "提案"]

    private static let patterns: [Pattern] = [
        Pattern(kind: .requestsReceived, keywords: ["受理", "收到", "接收", "新收"], unit: "件", window: 40,
                clauseNeeds: ["申请"], clauseExcludes: offTopic + ["上年结转", "结转下"]),
        // 其中本年新收300件: the clause itself does not say 申请, the sentence does.
        Pattern(kind: .requestsReceived, keywords: ["本年新收", "本年度新收"], unit: "件", window: 12,
                sentenceNeeds: ["申请"], clauseExcludes: offTopic + ["上年结转", "结转下"]),
        Pattern(kind: .requestsAnswered, keywords: ["答复", "办结"], unit: "件", window: 20,
                clauseExcludes: offTopic),
        Pattern(kind: .answerRate, keywords: ["答复率"], unit: "%", window: 8),
        Pattern(kind: .carriedForward, keywords: ["剩余", "结转"], unit: "件", window: 15,
                clauseExcludes: offTopic + ["上年结转", "上年度结转", "上一年度结转"]),
        Pattern(kind: .carriedOver, keywords: ["上年结转", "上年度结转", "上一年度结转"], unit: "件", window: 15,
                clauseExcludes: offTopic),
        Pattern(kind: .newMediaAccounts, keywords: ["政务新媒体"], unit: "个", window: 8,
                clauseExcludes: ["注销", "关停", "开设", "新增", "整合", "关闭", "下线", "迁移"]),
        Pattern(kind: .newMediaPassRate, keywords: ["达标率", "合格率"], unit: "%", window: 6,
                sentenceNeeds: ["新媒体"]),
        Pattern(kind: .proactiveItems, keywords: ["主动公开"], unit: "条", window: 20, clauseNeeds: ["信息"],
                clauseExcludes: ["应主动公开"]),
        Pattern(kind: .reconsiderationCases, keywords: ["行政复议"], unit: "件", window: 8),
        Pattern(kind: .litigationCases, keywords: ["行政诉讼"], unit: "件", window: 8),
    ]

    private static let clauseStops: Set<Unicode.Scalar> = [",", "。", ";", "!", "?", ":", "\u{2026}"]
    private static let sentenceStops: Set<Unicode.Scalar> = ["。", ";", "!", "?"]

    /// Figures in the given compact ranges (the text outside the tables).
    static func figures(in ranges: [Range<Int>], source: SourceText) -> [NarrativeFigure] {
        var figures: [(Int, NarrativeFigure)] = []
        var taken = Set<String>()
        for range in ranges where !range.isEmpty {
            for pattern in patterns {
                for keyword in pattern.keywords {
                    for hit in source.compactOccurrences(of: keyword, in: range) {
                        let after = hit + keyword.unicodeScalars.count
                        guard let number = figure(after: after, unit: pattern.unit, window: pattern.window, in: range, source: source)
                        else { continue }
                        let clause = clauseRange(around: hit, end: number.end, in: range, source: source)
                        let clauseText = source.compactString(clause)
                        if !pattern.clauseNeeds.isEmpty, !pattern.clauseNeeds.contains(where: clauseText.contains) { continue }
                        if pattern.clauseExcludes.contains(where: clauseText.contains) { continue }
                        let sentence = sentenceRange(around: hit, in: range, source: source)
                        let sentenceText = source.compactString(sentence)
                        if !pattern.sentenceNeeds.isEmpty, !pattern.sentenceNeeds.contains(where: sentenceText.contains) { continue }
                        let kind = pattern.kind == .requestsReceived
                            && includesCarryOver(after: number.end, sentence: sentence, source: source)
                            ? NarrativeKind.requestsReceivedWithCarryOver : pattern.kind
                        // Keyed by position alone for requests, so 本年新收 read by both
                        // request patterns is one figure.
                        let key = "\(kind == .requestsReceivedWithCarryOver ? NarrativeKind.requestsReceived.rawValue : kind.rawValue)@\(number.start)"
                        guard !taken.contains(key) else { continue }
                        taken.insert(key)
                        figures.append((number.start, NarrativeFigure(
                            kind: kind, text: printed(number.start..<number.end, source: source),
                            value: number.value, decimals: number.decimals,
                            sentence: printed(sentence, source: source), line: source.line(atCompact: number.start))))
                    }
                }
            }
        }
        return figures.sorted { $0.0 < $1.0 }.map(\.1)
    }

    private static let carryOverWords = ["上年结转", "上年度结转", "上一年度结转"]

    /// Whether a received figure counts last year's carry-over too, by the wording
    /// 共收到…申请305件，其中本年新收300件、上年结转5件: the rest of the sentence breaks the
    /// figure down (其中) into parts that include 上年结转.
    private static func includesCarryOver(after end: Int, sentence: Range<Int>, source: SourceText) -> Bool {
        guard end < sentence.upperBound else { return false }
        let rest = source.compactString(end..<sentence.upperBound)
        guard let breakdown = rest.range(of: "其中") else { return false }
        let parts = rest[breakdown.upperBound...]
        return carryOverWords.contains { parts.contains($0) }
    }

    /// The first number followed by `unit` within the clause after a keyword.
    private static func figure(after start: Int, unit: Unicode.Scalar, window: Int, in range: Range<Int>, source: SourceText)
        -> (start: Int, end: Int, value: Decimal, decimals: Int)? {
        let compact = source.compact
        var index = start
        let limit = min(range.upperBound, start + window)
        while index < limit {
            let scalar = compact[index]
            if clauseStops.contains(scalar) { return nil }
            if unit != "%", scalar == "%" || scalar == "率" { return nil }
            guard SourceText.isDigit(scalar) else {
                index += 1
                continue
            }
            let numberStart = index
            var decimals = 0
            var sawDot = false
            while index < range.upperBound, index - numberStart < 24 {
                let next = compact[index]
                if SourceText.isDigit(next) {
                    if sawDot { decimals += 1 }
                } else if next == ".", !sawDot, index + 1 < range.upperBound, SourceText.isDigit(compact[index + 1]) {
                    sawDot = true
                } else {
                    break
                }
                index += 1
            }
            if index < range.upperBound, compact[index] == unit || (unit == "%" && compact[index] == "％") {
                let text = source.compactString(numberStart..<index)
                guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
                return (numberStart, index + 1, value, decimals)
            }
        }
        return nil
    }

    private static func clauseRange(around hit: Int, end: Int, in range: Range<Int>, source: SourceText) -> Range<Int> {
        var start = hit
        while start > range.lowerBound, hit - start < 60, !clauseStops.contains(source.compact[start - 1]) { start -= 1 }
        return start..<end
    }

    private static func sentenceRange(around hit: Int, in range: Range<Int>, source: SourceText) -> Range<Int> {
        var start = hit
        while start > range.lowerBound, hit - start < 200, !sentenceStops.contains(source.compact[start - 1]) { start -= 1 }
        var end = hit
        while end < range.upperBound, end - hit < 200, !sentenceStops.contains(source.compact[end]) { end += 1 }
        if end < range.upperBound { end += 1 }
        return start..<end
    }

    /// Original characters for a compact range (spaces and line breaks left out).
    private static func printed(_ range: Range<Int>, source: SourceText) -> String {
        var view = String.UnicodeScalarView()
        for index in range.clamped(to: 0..<source.compact.count) {
            view.append(source.original[source.compactToOriginal[index]])
        }
        return String(view)
    }
}
