import GovMediaCore
import GovMediaRules
import Testing

/// A matcher over bare terms, for short tests.
private func matcher(_ terms: [String]) -> WordMatcher {
    WordMatcher(WordList(file: "test.txt", entries: terms.map { WordEntry(term: $0) }))
}

/// The matched terms, in order.
private func found(_ terms: [String], in text: String) -> [String] {
    matcher(terms).matches(in: text).map(\.entry.term)
}

/// Leftmost-longest, non-overlapping, the slow obvious way: the reference the automaton
/// is checked against.
private func bruteForce(_ terms: [String], in text: String) -> [(term: String, start: Int)] {
    let bytes = Array(text.utf8)
    let patterns = terms.filter { !$0.isEmpty }.map { Array($0.utf8) }
    var out: [(String, Int)] = []
    var i = 0
    while i < bytes.count {
        let best = patterns.filter { i + $0.count <= bytes.count && Array(bytes[i..<i + $0.count]) == $0 }
            .max { $0.count < $1.count }
        if let best {
            out.append((String(decoding: best, as: UTF8.self), i))
            i += best.count
        } else {
            i += 1
        }
    }
    return out
}

/// Deterministic generator so a failing random case can be rerun.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("word matcher")
struct WordMatcherTests {
    @Test("he/she/his/hers: leftmost wins, then longest, no overlaps")
    func classic() {
        let terms = ["he", "she", "his", "hers"]
        #expect(found(terms, in: "ushers") == ["she"])
        #expect(found(terms, in: "hishers") == ["his", "hers"])
        #expect(found(terms, in: "hers") == ["hers"])
        #expect(found(terms, in: "ahe his") == ["he", "his"])
        #expect(found(terms, in: "xyz") == [])
    }

    @Test("Chinese terms sharing a prefix: the longest at a position wins")
    func chinesePrefixes() {
        let terms = ["截止", "截止目前", "截止到目前"]
        #expect(found(terms, in: "截止目前，已完成。截止到目前为止；报名截止日期") == ["截止目前", "截止到目前", "截止"])
    }

    @Test("the longest entry at a position is preferred")
    func longest() {
        #expect(found(["ab", "abc", "abcd"], in: "xabcde") == ["abcd"])
        #expect(found(["网络", "网络赌博", "网络赌博平台"], in: "某网络赌博平台和网络赌博") == ["网络赌博平台", "网络赌博"])
    }

    @Test("an earlier start beats a longer entry that starts later")
    func leftmostFirst() {
        #expect(found(["abcde", "bcd"], in: "abcdX") == ["bcd"])
        #expect(found(["abcde", "bcd"], in: "abcde") == ["abcde"])
        // A short match found early must not hide a later one while a longer candidate
        // is still open.
        #expect(found(["abcde", "b", "cd"], in: "abcdX") == ["b", "cd"])
        #expect(found(["bc", "abcd"], in: "abce") == ["bc"])
    }

    @Test("matches at the very start and end of the text")
    func edges() {
        #expect(found(["裸聊"], in: "裸聊") == ["裸聊"])
        #expect(found(["裸聊", "赌场"], in: "裸聊与赌场") == ["裸聊", "赌场"])
        let m = matcher(["裸聊"]).matches(in: "开头裸聊")
        #expect(m.first?.utf8Offsets == 6..<12)
    }

    @Test("empty text, empty list and empty terms")
    func empties() {
        #expect(found(["a"], in: "") == [])
        #expect(found([], in: "任何文字") == [])
        #expect(found(["", "赌"], in: "赌博") == ["赌"])
        #expect(matcher([]).firstMatch(in: "x") == nil)
        #expect(matcher(["a"]).firstMatch(in: "") == nil)
    }

    @Test("repeated and adjacent matches do not overlap")
    func adjacency() {
        #expect(found(["aa"], in: "aaaaa") == ["aa", "aa"])
        #expect(found(["台湾国"], in: "台湾国台湾国") == ["台湾国", "台湾国"])
    }

    @Test("duplicate terms in a hand-built list: the first entry wins")
    func duplicates() {
        let list = WordList(file: "t", entries: [WordEntry(term: "x", definedAt: "1"), WordEntry(term: "x", definedAt: "2")])
        #expect(WordMatcher(list).matches(in: "x").map(\.entry.definedAt) == ["1"])
    }

    @Test("ranges index the searched string and agree with the byte offsets")
    func ranges() {
        let text = "🙂 今年截止目前，e\u{301}已必竟完成"
        let list = WordList(file: "typos.txt", entries: [
            WordEntry(term: "截止目前", correction: "截至目前", definedAt: "words/typos.txt:2"),
            WordEntry(term: "必竟", correction: "毕竟", definedAt: "words/typos.txt:3"),
        ])
        let matches = WordMatcher(list).matches(in: text)
        #expect(matches.count == 2)
        for match in matches {
            #expect(String(text[match.range]) == match.entry.term)
            let bytes = Array(text.utf8)[match.utf8Offsets]
            #expect(String(decoding: bytes, as: UTF8.self) == match.entry.term)
        }
        #expect(matches.map(\.entry.correction) == ["截至目前", "毕竟"])
        #expect(matches[0].excerpt(in: text, radius: 3) == "… 今年【截止目前】，e\u{301}已…")
        #expect(WordMatcher(list).firstMatch(in: text) == matches.first)
    }

    @Test("firstMatch agrees with matches(in:).first")
    func first() {
        let terms = ["he", "she", "his", "hers"]
        for text in ["ushers", "hishers", "xx", "ahe his"] {
            #expect(matcher(terms).firstMatch(in: text) == matcher(terms).matches(in: text).first)
        }
    }

    @Test("random lists and texts agree with the brute-force reference")
    func randomised() {
        var rng = SplitMix64(state: 20_260_401)
        let alphabet: [Character] = ["a", "b", "c", "政", "务", "审"]
        func word(_ range: ClosedRange<Int>) -> String {
            String((0..<Int.random(in: range, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
        }
        for round in 0..<400 {
            let terms = (0..<Int.random(in: 1...8, using: &rng)).map { _ in word(1...4) }
            let text = word(0...40)
            let expected = bruteForce(terms, in: text)
            let actual = matcher(terms).matches(in: text)
            #expect(actual.map(\.entry.term) == expected.map(\.term), "round \(round): \(terms) in \(text)")
            #expect(actual.map(\.utf8Offsets.lowerBound) == expected.map(\.start), "round \(round)")
        }
    }

    @Test("a 10,000-entry list over 1 MB of text finds exactly the planted entries")
    func large() {
        var rng = SplitMix64(state: 42)
        // Entries from one block of CJK; filler from ASCII, which no entry contains, so the
        // planted entries are the only possible matches.
        let pool = (0x4E00..<0x4E00 + 600).map { Character(Unicode.Scalar($0)!) }
        var terms: [String] = []
        var seen = Set<String>()
        while terms.count < 10_000 {
            let term = String((0..<Int.random(in: 2...6, using: &rng)).map { _ in pool.randomElement(using: &rng)! })
            if seen.insert(term).inserted { terms.append(term) }
        }
        let list = WordList(file: "big.txt", entries: terms.map { WordEntry(term: $0) })
        let matcher = WordMatcher(list)

        var text = ""
        var planted: [String] = []
        let filler = Array("abcdefghij klmnop.,;")
        while text.utf8.count < 1_000_000 {
            text += String((0..<Int.random(in: 1...24, using: &rng)).map { _ in filler.randomElement(using: &rng)! })
            let term = terms.randomElement(using: &rng)!
            text += term
            planted.append(term)
        }
        let matches = matcher.matches(in: text)
        #expect(matches.count == planted.count)
        #expect(matches.map(\.entry.term) == planted)
        #expect(matcher.firstMatch(in: text)?.entry.term == planted.first)
    }
}
