import Foundation
import Testing
@testable import GovMediaDisclosure

private func readError(_ text: String) -> DisclosureError? {
    do {
        _ = try DisclosureReader.read(text: text)
        return nil
    } catch {
        return error
    }
}

/// What is not a report, or not a well-formed one, is refused with the line and what was expected.
@Suite struct BadInputTests {
    @Test func pageThatIsNotAReportIsRefused() throws {
        let error = try #require(readError(try fixture("not-a-report.html")))
        #expect(error.kind == .notAReport)
        #expect(error.line == 1)
        #expect(error.message.contains("不像是政府信息公开年报"))
    }

    @Test func wordInANumberCellNamesItsLine() throws {
        let error = try #require(readError(try fixture("jingyue-2021-not-a-number.flattened.txt")))
        #expect(error.kind == .notANumber)
        #expect(error.line == 67)
        #expect(error.found == "四")
        #expect(error.message.hasPrefix("第67行：应为数字"))
    }

    @Test func missingRowNamesTheRowAndWhereItBelongs() throws {
        let error = try #require(readError(try fixture("jingyue-2021-missing-row.flattened.txt")))
        #expect(error.kind == .missingRow)
        #expect(error.line == 65)
        #expect(error.expected.contains("二、上年结转政府信息公开申请数量"))
    }

    @Test func missingAppealTableIsRefused() throws {
        let seed = try fixture("jingyue-2021.flattened.txt")
        let text = seed.replacingOccurrences(of: "四、政府信息公开行政复议、行政诉讼情况", with: "")
        let error = try #require(readError(text))
        #expect(error.kind == .missingTable)
        #expect(error.expected.contains("行政复议"))
    }

    @Test func decimalCountIsRefused() throws {
        let text = try fixture("jingyue-2021.flattened.txt").replacingOccurrences(of: "473 |", with: "47.3 |")
        let error = try #require(readError(text))
        #expect(error.kind == .notANumber)
        #expect(error.line == 66)
    }

    @Test func extraNumberInASpacedRowIsRefused() throws {
        let text = try fixture("hongze-2024.pdftext.txt")
            .replacingOccurrences(of: "（一）予以公开 50 0 0 0 0 0 50", with: "（一）予以公开 50 0 0 0 0 0 0 50")
        let error = try #require(readError(text))
        #expect(error.kind == .wrongCellCount)
        #expect(error.line == 68)
    }

    @Test func randomBytesNeverCrash() {
        var generator = SeededGenerator(seed: 2021)
        for _ in 0..<40 {
            let bytes = (0..<4_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(readError(text) != nil)
        }
    }

    @Test func hugeLineOfDigitsNeverCrashes() throws {
        let seed = try fixture("jingyue-2021.flattened.txt")
        let digits = String(repeating: "9", count: 300_000)
        let text = seed.replacingOccurrences(of: "473 |", with: digits)
        _ = readError(text)
        let inHeadings = "二、主动公开政府信息情况 " + digits + " 三、收到和处理政府信息公开申请情况 " + digits + " 四、政府信息公开行政复议、行政诉讼情况 " + digits
        #expect(readError(inHeadings) != nil)
    }

    @Test func textTooLargeIsRefused() {
        let error = readError(String(repeating: "年", count: 2_000_000))
        #expect(error?.kind == .tooLarge)
    }

    @Test func headingsWithNothingUnderThemAreRefused() {
        let text = "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n"
        #expect(readError(text) != nil)
        let repeated = String(repeating: "第二十条第(一)项 (七)总计 3.其他 || | \t 0 | 1.2.3 -- 四、 ", count: 2_000)
        #expect(readError("二、主动公开政府信息情况" + repeated + "三、收到和处理政府信息公开申请情况" + repeated) != nil)
    }
}

/// A small deterministic generator so the fuzz cases are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
