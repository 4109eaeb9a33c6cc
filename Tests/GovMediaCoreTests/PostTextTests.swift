import Foundation
import GovMediaCore
import Testing

@Suite("PostTitle and PostText")
struct PostTextTests {
    @Test("normalisation drops whitespace, folds full-width forms and lower-cases")
    func normalisation() {
        #expect(PostTitle.normalized(" 关于 Ａ１ 项目（ＸＹ）的\u{3000}通知\n") == "关于a1项目(xy)的通知")
        #expect(PostTitle.normalized("GovMedia ÉTÉ Σ") == "govmediaétéσ")
        #expect(PostTitle.normalized("") == "")
    }

    @Test("normalisation agrees with the per-scalar reference on mixed text")
    func normalisationMatchesReference() {
        let text = "Ａｂｃ ＡＢＣ İstanbul ǅ Straße ΣΑΣ 政务 😀 \t x\u{00A0}y \u{2003}Ω"
        var reference = String.UnicodeScalarView()
        for s in text.unicodeScalars where !s.properties.isWhitespace {
            var v = s.value
            if (0xFF01...0xFF5E).contains(v) { v -= 0xFEE0 }
            reference.append(contentsOf: String(Unicode.Scalar(v)!).lowercased().unicodeScalars)
        }
        #expect(PostTitle.normalized(text) == String(reference))
    }

    @Test("a 5 MB title normalises (linear, so it finishes)")
    func fiveMegabyteTitle() {
        let unit = "净月高新区 Notice ２０２６ "
        let title = String(repeating: unit, count: 5_000_000 / unit.utf8.count + 1)
        let normalized = PostTitle.normalized(title)
        #expect(normalized.hasPrefix("净月高新区notice2026净月"))
        #expect(normalized.utf8.count < title.utf8.count)
    }

    @Test("a title up to the cap is shown whole")
    func shortTitleIsWhole() {
        let title = String(repeating: "政", count: PostText.titleCap)
        #expect(PostText.cappedTitle(title) == title)
        #expect(!PostText.isTitleTooLong(title))
    }

    @Test("a title over the cap is cut to the cap with a note")
    func longTitleIsCut() {
        let title = String(repeating: "政", count: PostText.titleCap + 1)
        let shown = PostText.cappedTitle(title)
        #expect(shown == String(repeating: "政", count: PostText.titleCap) + PostText.titleTruncationNote)
        #expect(shown.contains("标题过长，已截断，全文见证据"))
        #expect(PostText.isTitleTooLong(title))
    }

    @Test("a summary over its cap is cut with its own note; the post keeps the full text")
    func longSummaryIsCut() {
        let summary = String(repeating: "a", count: PostText.summaryCap + 10)
        let post = ListedPost(title: "t", summary: summary)
        #expect(post.cappedSummary == String(repeating: "a", count: PostText.summaryCap) + PostText.summaryTruncationNote)
        #expect(post.summary == summary)
        #expect(post.cappedTitle == "t")
    }

    @Test("the cut never splits a character")
    func cutKeepsGraphemes() {
        let flag = "🇨🇳"
        let title = String(repeating: flag, count: PostText.titleCap + 1)
        #expect(PostText.cappedTitle(title).hasPrefix(String(repeating: flag, count: PostText.titleCap) + "…"))
    }
}
