import GovMediaCore

/// One hit of a word list in a text.
///
/// A match is reported two ways: `range`, indices into the searched `String` (for slicing
/// and quoting it), and `utf8Offsets`, byte offsets from the text's start (plain integers
/// that can be stored with a finding and used without the original `String` value). Both
/// fall on Unicode scalar boundaries, because the matcher compares whole UTF-8 sequences.
public struct WordMatch: Sendable, Equatable {
    /// The list entry that matched; for typos it carries the correction.
    public var entry: WordEntry
    /// Where the term sits in the searched text.
    public var range: Range<String.Index>
    /// The same span as UTF-8 byte offsets.
    public var utf8Offsets: Range<Int>

    /// Makes a match; the matcher is the usual source of these.
    public init(entry: WordEntry, range: Range<String.Index>, utf8Offsets: Range<Int>) {
        self.entry = entry
        self.range = range
        self.utf8Offsets = utf8Offsets
    }

    /// The match with up to `radius` characters either side, line breaks flattened, and
    /// `…` where the text was cut: enough for an officer to judge the hit in context (a
    /// forbidden term inside a "严厉打击…" notice is not a violation).
    public func excerpt(in text: String, radius: Int = 12) -> String {
        let lower = text.index(range.lowerBound, offsetBy: -radius, limitedBy: text.startIndex) ?? text.startIndex
        let upper = text.index(range.upperBound, offsetBy: radius, limitedBy: text.endIndex) ?? text.endIndex
        var out = lower == text.startIndex ? "" : "…"
        out += text[lower..<range.lowerBound] + "【" + text[range] + "】" + text[range.upperBound..<upper]
        if upper != text.endIndex { out += "…" }
        return String(out.map { $0.isNewline ? " " : $0 })
    }
}

/// Finds the entries of a word list in a text in one pass, however long the list.
///
/// An Aho–Corasick automaton over UTF-8 bytes, built once per list: matching costs one
/// transition per byte of text (amortised) plus the matches found, independent of the
/// number of entries. Matches are leftmost-longest and non-overlapping: scanning from the
/// left, the earliest-starting entry wins, the longest if several start there, and the
/// scan resumes after it. That is what an officer expects: in 截止目前 the longer typo
/// entry is reported, not a shorter one inside it.
public struct WordMatcher: Sendable {
    /// Entries in list order, one per distinct non-empty term (the first wins).
    private let entries: [WordEntry]
    /// Root transitions, dense: the root is visited on nearly every byte.
    private let rootNext: [Int32]
    /// Other states' transitions, compressed sparse rows sorted by byte:
    /// state s owns `edgeBytes[edgeStart[s]..<edgeStart[s + 1]]`.
    private let edgeStart: [Int32]
    private let edgeBytes: [UInt8]
    private let edgeTargets: [Int32]
    /// Failure link: the state for the longest proper suffix that is also a trie prefix.
    private let fail: [Int32]
    /// Bytes from the root, i.e. the length of the prefix a state stands for.
    private let depth: [Int32]
    /// The entry ending exactly at this state, or -1.
    private let output: [Int32]
    /// The nearest state along the failure chain (not itself) with an output, or -1:
    /// walking these lists every entry that ends at the current byte, longest first.
    private let outputLink: [Int32]

    /// Builds the automaton for `list` (cost proportional to the total length of its terms).
    public init(_ list: WordList) {
        self.init(entries: list.entries)
    }

    /// Builds one automaton over several lists' entries, when one pass should find them all.
    public init(entries allEntries: [WordEntry]) {
        var kept: [WordEntry] = []
        var rootNext = [Int32](repeating: 0, count: 256)
        // Trie under construction: per state, (byte, target) pairs (the root's live in rootNext).
        var children: [[(UInt8, Int32)]] = [[]]
        var depth: [Int32] = [0]
        var output: [Int32] = [-1]
        var seen = Set<String>()
        for entry in allEntries where !entry.term.isEmpty && seen.insert(entry.term).inserted {
            var state: Int32 = 0
            for byte in entry.term.utf8 {
                let found: Int32? = state == 0
                    ? (rootNext[Int(byte)] != 0 ? rootNext[Int(byte)] : nil)
                    : children[Int(state)].first { $0.0 == byte }?.1
                if let found {
                    state = found
                } else {
                    let new = Int32(children.count)
                    children.append([])
                    depth.append(depth[Int(state)] + 1)
                    output.append(-1)
                    if state == 0 { rootNext[Int(byte)] = new } else { children[Int(state)].append((byte, new)) }
                    state = new
                }
            }
            output[Int(state)] = Int32(kept.count)
            kept.append(entry)
        }

        let count = children.count
        for byte in 0..<256 where rootNext[byte] != 0 {
            children[0].append((UInt8(byte), rootNext[byte]))
        }
        func step(_ state: Int32, _ byte: UInt8) -> Int32? {
            state == 0 ? rootNext[Int(byte)] : children[Int(state)].first { $0.0 == byte }?.1
        }
        // Breadth-first, so a state's failure target (shallower) is finished before it.
        var fail = [Int32](repeating: 0, count: count)
        var outputLink = [Int32](repeating: -1, count: count)
        var queue: [Int32] = children[0].map(\.1)
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            for (byte, target) in children[Int(state)] {
                queue.append(target)
                var candidate = fail[Int(state)]
                while true {
                    if let next = step(candidate, byte), next != 0 {
                        fail[Int(target)] = next
                        break
                    }
                    if candidate == 0 { break }
                    candidate = fail[Int(candidate)]
                }
                let f = Int(fail[Int(target)])
                outputLink[Int(target)] = output[f] >= 0 ? Int32(f) : outputLink[f]
            }
        }

        var edgeStart: [Int32] = [0]
        var edgeBytes: [UInt8] = []
        var edgeTargets: [Int32] = []
        edgeStart.reserveCapacity(count + 1)
        for state in 0..<count {
            if state != 0 {
                for (byte, target) in children[state].sorted(by: { $0.0 < $1.0 }) {
                    edgeBytes.append(byte)
                    edgeTargets.append(target)
                }
            }
            edgeStart.append(Int32(edgeBytes.count))
        }

        self.entries = kept
        self.rootNext = rootNext
        self.edgeStart = edgeStart
        self.edgeBytes = edgeBytes
        self.edgeTargets = edgeTargets
        self.fail = fail
        self.depth = depth
        self.output = output
        self.outputLink = outputLink
    }

    /// Every match in `text`, leftmost-longest and non-overlapping, in order of position.
    public func matches(in text: String) -> [WordMatch] {
        resolve(spans(in: text, firstOnly: false), in: text)
    }

    /// The leftmost(-longest) match, stopping the scan as soon as it is certain.
    public func firstMatch(in text: String) -> WordMatch? {
        resolve(spans(in: text, firstOnly: true), in: text).first
    }

    /// Byte spans of the matches, and the entry each found.
    private func spans(in text: String, firstOnly: Bool) -> [(start: Int, end: Int, entry: Int32)] {
        guard !entries.isEmpty, !text.isEmpty else { return [] }
        var text = text
        return text.withUTF8 { bytes in
            rootNext.withUnsafeBufferPointer { rootNext in
            edgeStart.withUnsafeBufferPointer { edgeStart in
            edgeBytes.withUnsafeBufferPointer { edgeBytes in
            edgeTargets.withUnsafeBufferPointer { edgeTargets in
            fail.withUnsafeBufferPointer { fail in
            depth.withUnsafeBufferPointer { depth in
            output.withUnsafeBufferPointer { output in
            outputLink.withUnsafeBufferPointer { outputLink in
                var found: [(start: Int, end: Int, entry: Int32)] = []
                // Candidates not yet certain, sorted by start; at most one per start (the
                // longest so far, since a later end for the same start is a longer entry).
                var pending: [(start: Int, end: Int, entry: Int32)] = []
                var lastEnd = 0
                var state: Int32 = 0

                /// Commits pending candidates that start before `frontier`: no entry starting
                /// there can still be growing, so the leftmost-longest choice is final.
                func settle(before frontier: Int) -> Bool {
                    var taken = 0
                    while taken < pending.count, pending[taken].start < frontier {
                        let candidate = pending[taken]
                        taken += 1
                        if candidate.start >= lastEnd {
                            found.append(candidate)
                            lastEnd = candidate.end
                            if firstOnly { return true }
                        }
                    }
                    pending.removeFirst(taken)
                    return false
                }

                for position in 0..<bytes.count {
                    let byte = bytes[position]
                    // Transition, following failure links while the state has no edge.
                    var s = state
                    while true {
                        if s == 0 { s = rootNext[Int(byte)]; break }
                        let lo = Int(edgeStart[Int(s)]), hi = Int(edgeStart[Int(s) + 1])
                        var hit: Int32 = -1
                        if hi - lo <= 8 {
                            for e in lo..<hi where edgeBytes[e] == byte { hit = edgeTargets[e]; break }
                        } else {
                            var a = lo, b = hi
                            while a < b {
                                let mid = (a + b) / 2
                                if edgeBytes[mid] < byte { a = mid + 1 } else { b = mid }
                            }
                            if a < hi, edgeBytes[a] == byte { hit = edgeTargets[a] }
                        }
                        if hit >= 0 { s = hit; break }
                        s = fail[Int(s)]
                    }
                    state = s
                    let end = position + 1

                    // Every entry ending here, longest (earliest start) first.
                    var o = output[Int(s)] >= 0 ? s : outputLink[Int(s)]
                    while o >= 0 {
                        let start = end - Int(depth[Int(o)])
                        if start >= lastEnd {
                            let candidate = (start: start, end: end, entry: output[Int(o)])
                            var i = pending.count
                            while i > 0, pending[i - 1].start > start { i -= 1 }
                            if i > 0, pending[i - 1].start == start {
                                pending[i - 1] = candidate
                            } else {
                                pending.insert(candidate, at: i)
                            }
                        }
                        o = outputLink[Int(o)]
                    }
                    // The state spells the longest text suffix that can still grow into an
                    // entry; starts before it are finished.
                    if !pending.isEmpty, settle(before: end - Int(depth[Int(s)])) { return found }
                }
                _ = settle(before: Int.max)
                return found
            }}}}}}}}
        }
    }

    private func resolve(_ spans: [(start: Int, end: Int, entry: Int32)], in text: String) -> [WordMatch] {
        var result: [WordMatch] = []
        result.reserveCapacity(spans.count)
        let utf8 = text.utf8
        // Spans are in order, so indices advance incrementally: linear in the text overall.
        var index = utf8.startIndex
        var offset = 0
        for span in spans {
            index = utf8.index(index, offsetBy: span.start - offset)
            let upper = utf8.index(index, offsetBy: span.end - span.start)
            offset = span.end
            result.append(WordMatch(entry: entries[Int(span.entry)], range: index..<upper,
                                    utf8Offsets: span.start..<span.end))
            index = upper
        }
        return result
    }
}
