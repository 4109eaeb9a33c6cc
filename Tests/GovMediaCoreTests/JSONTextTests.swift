import Foundation
import GovMediaCore
import Testing

/// Hand-written JSON strings: valid JSON that reads back whole, with nothing a terminal acts on.
@Suite("JSON strings")
struct JSONTextTests {
    @Test("plain, escaped and hostile text reads back unchanged", arguments: [
        "净月高新区关于2026年冬季供暖的通告", "“引号”与《书名》", "a\"b\\c", "换行\n回车\r制表\t", "\u{0}\u{1}\u{1F}\u{7F}",
        "8-bit CSI \u{9B}31m", "RLO \u{202E}txt.exe", "ALM \u{061C} LRM \u{200E} isolate \u{2066}x\u{2069}", "emoji 🇨🇳", "",
    ])
    func roundTrip(text: String) throws {
        let quoted = JSONText.quote(text)
        let back = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
        #expect(back == [text])
        #expect(!quoted.unicodeScalars.contains { TerminalSafety.isUnsafe($0.value) && $0 != "\n" && $0 != "\t" })
        #expect(!quoted.contains("\n"))
    }
}
