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

/// A report cut short says so (截断), with where it stops, rather than blaming the charset
/// or a missing table.
@Suite struct TruncationTests {
    @Test func utf8CutInsideTheLastCharacterIsTruncatedWithTheByteCount() throws {
        // "…年报" with the last byte of 报 (three bytes in UTF-8) missing.
        let whole = Array("标题: 年度报告\n一、总体情况\n年报".utf8)
        let cut = Array(whole.dropLast())
        let error = try #require(TruncatedBytes.diagnose(cut))
        #expect(error.kind == .truncated)
        #expect(error.line == 3)
        #expect(error.message.contains("截断"))
        #expect(error.message.contains("共\(cut.count)字节"))
        #expect(error.message.contains("末尾2个字节是不完整的UTF-8字符"))
    }

    @Test func gb18030CutInsideTheLastCharacterIsTruncated() throws {
        // 年报 in GBK is C4 EA B1 A8; the file stops after B1.
        let error = try #require(TruncatedBytes.diagnose([0x41, 0x0A, 0xC4, 0xEA, 0xB1]))
        #expect(error.kind == .truncated)
        #expect(error.message.contains("共5字节"))
        #expect(error.message.contains("末尾1个字节是不完整的GB18030"))
        // A four-byte GB18030 character cut after three bytes.
        #expect(TruncatedBytes.diagnose([0xC4, 0xEA, 0x81, 0x30, 0x81])?.message.contains("末尾3个字节") == true)
    }

    @Test func wholeFilesAndBadBytesInTheMiddleAreNotCalledTruncated() {
        #expect(TruncatedBytes.diagnose(Array("年报完整。".utf8)) == nil)
        #expect(TruncatedBytes.diagnose([0xC4, 0xEA, 0xB1, 0xA8]) == nil)
        // 0xFF is never part of UTF-8 or GB18030: a charset problem, not a cut.
        #expect(TruncatedBytes.diagnose([0x41, 0xFF, 0x41, 0xE5, 0xB9]) == nil)
        #expect(TruncatedBytes.diagnose([]) == nil)
    }

    @Test func byteOrderMarkIsNotCountedAsContent() throws {
        let error = try #require(TruncatedBytes.diagnose([0xEF, 0xBB, 0xBF] + Array("年".utf8).dropLast()))
        #expect(error.message.contains("共5字节"))
    }

    @Test func textStoppingInTableThreeNamesTableThree() throws {
        let lines = try fixture("jingyue-2021.flattened.txt").components(separatedBy: "\n")
        let error = try #require(readError(lines[0..<125].joined(separator: "\n")))
        #expect(error.kind == .truncated)
        #expect(error.line == 125)
        #expect(error.message.contains("“三、收到和处理政府信息公开申请情况”（表三）中途结束"))
        #expect(error.message.contains("截断"))
    }

    @Test func textStoppingInTableFourNamesTableFour() throws {
        let lines = try fixture("jingyue-2021.flattened.txt").components(separatedBy: "\n")
        let error = try #require(readError(lines[0..<322].joined(separator: "\n")))
        #expect(error.kind == .truncated)
        #expect(error.message.contains("（表四）中途结束"))
    }

    @Test func textStoppingInSectionTwoNamesSectionTwo() throws {
        let lines = try fixture("jingyue-2021.flattened.txt").components(separatedBy: "\n")
        let error = try #require(readError(lines[0..<30].joined(separator: "\n")))
        #expect(error.kind == .truncated)
        #expect(error.message.contains("“二、主动公开政府信息情况”中途结束"))
    }

    @Test func runOnPageCutInsideTableFourNamesTableFour() throws {
        // 平潭 2023 is one long line; cut after ten of table 四's fifteen digits.
        let page = try fixture("pingtan-2023.page.txt")
        let end = try #require(page.range(of: "尚未审结总计1100240015"))
        let error = try #require(readError(String(page[..<end.upperBound])))
        #expect(error.kind == .truncated)
        #expect(error.message.contains("（表四）中途结束"))
    }

    @Test func tableLeftOutWithLaterPartsPresentIsStillAMissingTable() throws {
        // Not cut: 五 and 六 follow, so the missing 表四 heading is reported as before.
        let text = try fixture("jingyue-2021.flattened.txt").replacingOccurrences(of: "四、政府信息公开行政复议、行政诉讼情况", with: "")
        #expect(readError(text)?.kind == .missingTable)
    }
}
