@testable import GovMediaRules
import Testing

/// A ledger's post address matches the stored link however each spells its non-ASCII.
@Suite("三审 post addresses")
struct ReviewURLTests {
    @Test("percent-escaped and written-out Chinese paths match; scheme, host case, fragment and trailing slash do not matter")
    func escapingDoesNotMatter() {
        let stored = ReviewCheck.normalizedURL("https://www.jingyue.gov.cn/栏目/1.html")
        #expect(ReviewCheck.normalizedURL("https://www.jingyue.gov.cn/%E6%A0%8F%E7%9B%AE/1.html") == stored)
        #expect(ReviewCheck.normalizedURL("http://WWW.JINGYUE.GOV.CN/栏目/1.html/#top") == stored)
        #expect(ReviewCheck.normalizedURL("https://www.jingyue.gov.cn/栏目/2.html") != stored)
    }
}
