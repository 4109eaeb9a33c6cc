import Foundation
import GovMediaParse
import Testing

/// `通知` in GBK.
private let gbkNotice: [UInt8] = [0xCD, 0xA8, 0xD6, 0xAA]
/// `政务公开` in GBK.
private let gbkDisclosure: [UInt8] = [0xD5, 0xFE, 0xCE, 0xF1, 0xB9, 0xAB, 0xBF, 0xAA]
/// `关于做好政务新媒体检查工作的通知` in GBK.
private let gbkTitle: [UInt8] = [
    0xB9, 0xD8, 0xD3, 0xDA, 0xD7, 0xF6, 0xBA, 0xC3, 0xD5, 0xFE, 0xCE, 0xF1, 0xD0, 0xC2, 0xC3, 0xBD,
    0xCC, 0xE5, 0xBC, 0xEC, 0xB2, 0xE9, 0xB9, 0xA4, 0xD7, 0xF7, 0xB5, 0xC4, 0xCD, 0xA8, 0xD6, 0xAA,
]
private let gbkTitleText = "关于做好政务新媒体检查工作的通知"

private func utf8Bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
private func decodedString(_ d: DecodedText) -> String { String(decoding: d.utf8, as: UTF8.self) }

/// An ASCII page around GBK text, with `head` markup before the title.
private func gbkPage(head: String) -> [UInt8] {
    utf8Bytes("<html><head>\(head)<title>") + gbkTitle + utf8Bytes("</title></head><body><p>") + gbkDisclosure
        + utf8Bytes("</p></body></html>")
}

@Suite("TextDecoding")
struct TextDecodingTests {
    @Test("a GB2312 page with a meta charset is read as GB18030")
    func gb2312Fixture() throws {
        let url = try #require(Bundle.module.url(forResource: "notice_gb2312", withExtension: "html",
                                                 subdirectory: "Fixtures"))
        let body = try [UInt8](Data(contentsOf: url))
        let decoded = TextDecoding.decode(body, contentType: "text/html")
        #expect(decoded.charset == "GB18030")
        #expect(decoded.source == .meta)
        #expect(decoded.notes.isEmpty)
        let string = decodedString(decoded)
        #expect(string.contains("<title>关于做好政务新媒体检查工作的通知</title>"))
        #expect(string.contains("发布日期：2012年9月28日"))
        #expect(string.contains("各街道办事处、区政府各部门："))
        #expect(!string.contains("\u{FFFD}"))
    }

    @Test("the HTTP header's charset wins over the page's meta")
    func headerOverridesMeta() {
        let body = gbkPage(head: "<meta charset=\"utf-8\">")
        let decoded = TextDecoding.decode(body, contentType: "text/html; charset=GBK")
        #expect(decoded.charset == "GB18030")
        #expect(decoded.source == .header)
        #expect(decodedString(decoded).contains(gbkTitleText))
    }

    @Test("header charset parameters are read quoted, spaced and in any case", arguments: [
        "text/html; charset=gbk", "text/html;charset=\"GBK\"", "text/html; CHARSET = 'gb2312'",
        "text/html; foo=bar; charset=x-gbk",
    ])
    func headerForms(contentType: String) {
        let decoded = TextDecoding.decode(gbkPage(head: ""), contentType: contentType)
        #expect(decoded.charset == "GB18030")
        #expect(decoded.source == .header)
    }

    @Test("GB labels all read as GB18030", arguments: ["gb2312", "gbk", "x-gbk", "cp936", "gb_2312-80", "euc-cn", "GB18030"])
    func gbLabels(label: String) {
        let decoded = TextDecoding.decode(gbkPage(head: ""), contentType: "text/html; charset=\(label)")
        #expect(decoded.charset == "GB18030")
        #expect(decodedString(decoded).contains(gbkTitleText))
    }

    @Test("a UTF-8 BOM is honoured and stripped")
    func utf8BOM() {
        let decoded = TextDecoding.decode([0xEF, 0xBB, 0xBF] + utf8Bytes("<p>通知</p>"), contentType: nil)
        #expect(decoded.charset == "UTF-8")
        #expect(decoded.source == .bom)
        #expect(decoded.utf8 == utf8Bytes("<p>通知</p>"))
    }

    @Test("UTF-16 BOMs are honoured", arguments: [true, false])
    func utf16BOM(littleEndian: Bool) {
        let units = Array("<p>通知</p>".utf16)
        var body: [UInt8] = littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
        for u in units {
            let (hi, lo) = (UInt8(u >> 8), UInt8(u & 0xFF))
            body += littleEndian ? [lo, hi] : [hi, lo]
        }
        let decoded = TextDecoding.decode(body, contentType: nil)
        #expect(decoded.charset == (littleEndian ? "UTF-16LE" : "UTF-16BE"))
        #expect(decoded.source == .bom)
        #expect(decodedString(decoded) == "<p>通知</p>")
    }

    @Test("a BOM beats a header that disagrees, with a note")
    func bomBeatsHeader() {
        let decoded = TextDecoding.decode([0xEF, 0xBB, 0xBF] + utf8Bytes("通知"), contentType: "text/html; charset=gbk")
        #expect(decoded.charset == "UTF-8")
        #expect(decoded.source == .bom)
        #expect(decodedString(decoded) == "通知")
        #expect(decoded.notes.count == 1)
    }

    @Test("an XML declaration's encoding is used")
    func xmlDeclaration() {
        let body = utf8Bytes("<?xml version=\"1.0\" encoding=\"gbk\"?>\n<rss><channel><title>") + gbkTitle
            + utf8Bytes("</title></channel></rss>")
        let decoded = TextDecoding.decode(body, contentType: "application/rss+xml")
        #expect(decoded.charset == "GB18030")
        #expect(decoded.source == .xmlDeclaration)
        #expect(decodedString(decoded).contains("<title>\(gbkTitleText)</title>"))
    }

    @Test("a meta charset after a long head (beyond 1 KB) is found")
    func metaAfterLongHead() {
        let filler = String(repeating: "<meta name=\"keywords\" content=\"zwgk tongzhi gonggao\">\n", count: 100)
            + "<style>p { margin: 0 }</style>\n"
        let body = utf8Bytes("<html><head>" + filler)
            + utf8Bytes("<meta charset=gb2312>") + utf8Bytes("<title>") + gbkNotice + utf8Bytes("</title></head></html>")
        #expect(body.count > 4096)
        let decoded = TextDecoding.decode(body, contentType: "text/html")
        #expect(decoded.charset == "GB18030")
        #expect(decoded.source == .meta)
        #expect(decodedString(decoded).hasSuffix("<title>通知</title></head></html>"))
    }

    @Test("meta http-equiv is read with attributes in any order, any case, quoted or not", arguments: [
        "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">",
        "<META HTTP-EQUIV=Content-Type CONTENT=\"text/html; charset=GB2312\">",
        "<meta content='text/html; charset=gbk' http-equiv='content-type' />",
        "<meta\thttp-equiv = \"content-type\"\ncontent = \"text/html;charset=gbk\">",
        "<meta charset=\"GBK\"/>",
        "<Meta Charset=gbk>",
    ])
    func metaForms(meta: String) {
        let decoded = TextDecoding.decode(gbkPage(head: "<meta name=\"x\" content=\"y\">" + meta), contentType: nil)
        #expect(decoded.charset == "GB18030")
        #expect(decoded.source == .meta)
        #expect(decodedString(decoded).contains(gbkTitleText))
    }

    @Test("a meta without http-equiv Content-Type does not declare a charset")
    func metaContentWithoutHTTPEquiv() {
        let decoded = TextDecoding.decode(utf8Bytes("<head><meta name=\"description\" content=\"charset=gbk\">ascii"),
                                          contentType: nil)
        #expect(decoded.source == .default)
        #expect(decoded.charset == "UTF-8")
    }

    @Test("a commented-out meta and a meta in the body are ignored")
    func metaOutsideHead() {
        let commented = TextDecoding.decode(utf8Bytes("<head><!-- <meta charset=big5> --><meta charset=gbk></head>")
            + gbkNotice, contentType: nil)
        #expect(commented.charset == "GB18030")
        let inBody = TextDecoding.decode(utf8Bytes("<head></head><body><meta charset=big5>") + gbkNotice, contentType: nil)
        #expect(inBody.source == .sniffed)
        #expect(inBody.charset == "GB18030")
    }

    @Test("header says UTF-8 but the bytes are GBK: read as GB18030, noted")
    func mislabelledUTF8() {
        let decoded = TextDecoding.decode(gbkPage(head: ""), contentType: "text/html; charset=utf-8")
        #expect(decoded.charset == "GB18030")
        #expect(decoded.source == .sniffed)
        #expect(decodedString(decoded).contains(gbkTitleText))
        #expect(decoded.notes == [.labelledUTF8NotUTF8(label: "utf-8")])
    }

    @Test("meta says gb2312 but the bytes are UTF-8: read as UTF-8, noted")
    func mislabelledGB() {
        let body = utf8Bytes("<html><head><meta charset=gb2312><title>\(gbkTitleText)</title></head></html>")
        let decoded = TextDecoding.decode(body, contentType: "text/html")
        #expect(decoded.charset == "UTF-8")
        #expect(decoded.source == .sniffed)
        #expect(decoded.utf8 == body)
        #expect(decoded.notes == [.legacyLabelButUTF8(label: "gb2312")])
    }

    @Test("a weak ISO-8859-1 header yields to the page's own meta")
    func weakLatin1Header() {
        let decoded = TextDecoding.decode(gbkPage(head: "<meta charset=gbk>"), contentType: "text/html; charset=ISO-8859-1")
        #expect(decoded.charset == "GB18030")
        #expect(decoded.source == .meta)
        #expect(decoded.notes.count == 1)
    }

    @Test("no label: GBK bytes are read as GB18030")
    func unlabelledGBK() {
        let decoded = TextDecoding.decode(gbkPage(head: ""), contentType: nil)
        #expect(decoded.charset == "GB18030")
        #expect(decoded.source == .sniffed)
        #expect(decodedString(decoded).contains(gbkTitleText))
        #expect(decoded.notes == [.unlabelledReadAsGB18030])
        #expect(decoded.notes.texts == ["未声明可用的字符集，内容不是有效 UTF-8，按 GB18030 读取"])
    }

    @Test("no label: UTF-8 bytes are read as UTF-8; ASCII is UTF-8 by default")
    func unlabelledUTF8() {
        let utf8 = TextDecoding.decode(utf8Bytes("<p>\(gbkTitleText)</p>"), contentType: "text/html")
        #expect(utf8.charset == "UTF-8")
        #expect(utf8.source == .sniffed)
        #expect(utf8.utf8 == utf8Bytes("<p>\(gbkTitleText)</p>"))
        #expect(utf8.notes.isEmpty)
        let ascii = TextDecoding.decode(utf8Bytes("<p>hello</p>"), contentType: nil)
        #expect(ascii.charset == "UTF-8")
        #expect(ascii.source == .default)
        #expect(ascii.notes.isEmpty)
    }

    @Test("an unknown label is ignored and the bytes are sniffed, noted")
    func unknownLabel() {
        let decoded = TextDecoding.decode(gbkPage(head: ""), contentType: "text/html; charset=no-such-charset")
        #expect(decoded.charset == "GB18030")
        #expect(decoded.source == .sniffed)
        #expect(decoded.notes.contains { $0 == .unknownCharset(label: "no-such-charset", place: .header) })
    }

    @Test("Big5 and windows-1252 are decoded through iconv")
    func otherCharsets() {
        let big5 = TextDecoding.decode([0xAC, 0x46, 0xB0, 0xC8, 0xA4, 0xBD, 0xB6, 0x7D], contentType: "text/html; charset=big5")
        #expect(big5.charset == "Big5")
        #expect(decodedString(big5) == "政務公開")
        let latin = TextDecoding.decode([0x63, 0x61, 0x66, 0xE9, 0x20, 0x80], contentType: "text/plain; charset=windows-1252")
        #expect(latin.charset == "windows-1252")
        #expect(decodedString(latin) == "café €")
    }

    @Test("other labels iconv knows are decoded too")
    func iconvLabel() {
        // `テスト` in Shift_JIS.
        let decoded = TextDecoding.decode([0x83, 0x65, 0x83, 0x58, 0x83, 0x67], contentType: "text/html; charset=shift_jis")
        #expect(decoded.charset == "SHIFT_JIS")
        #expect(decodedString(decoded) == "テスト")
    }

    @Test("invalid GBK bytes become U+FFFD and the rest survives")
    func invalidGBK() {
        let body = gbkNotice + [0xFF] + utf8Bytes("abc") + gbkDisclosure + [0x81]
        let decoded = TextDecoding.decode(body, contentType: "text/html; charset=gbk")
        #expect(decodedString(decoded) == "通知\u{FFFD}abc政务公开\u{FFFD}")
        #expect(decoded.notes.contains { if case .undecodableBytes = $0 { true } else { false } })
    }

    @Test("a stray byte in a UTF-8 page keeps the page UTF-8, with U+FFFD")
    func strayByteInUTF8() {
        let body = utf8Bytes(String(repeating: gbkTitleText, count: 3)) + [0xC3] + utf8Bytes("结束")
        let decoded = TextDecoding.decode(body, contentType: "text/html; charset=utf-8")
        #expect(decoded.charset == "UTF-8")
        #expect(decodedString(decoded) == String(repeating: gbkTitleText, count: 3) + "\u{FFFD}结束")
    }

    @Test("a UTF-8 body cut inside a character stays UTF-8")
    func truncatedUTF8() {
        let body = utf8Bytes("<p>\(gbkTitleText)") + Array("通".utf8).prefix(2)
        let decoded = TextDecoding.decode(body, contentType: "text/html; charset=gb2312")
        #expect(decoded.charset == "GB18030")  // strictly valid is required to overrule a label
        let unlabelled = TextDecoding.decode(body, contentType: nil)
        #expect(unlabelled.charset == "UTF-8")
        #expect(decodedString(unlabelled) == "<p>\(gbkTitleText)\u{FFFD}")
    }

    @Test("short GBK that happens to be well-formed UTF-8 stays GBK")
    func gbkThatLooksLikeUTF8() {
        // `通知` in GBK is CD A8 D6 AA: valid UTF-8 for two odd non-CJK letters.
        let labelled = TextDecoding.decode(utf8Bytes("<meta charset=gbk>") + gbkNotice, contentType: nil)
        #expect(labelled.charset == "GB18030")
        #expect(decodedString(labelled).hasSuffix("通知"))
        let unlabelled = TextDecoding.decode(utf8Bytes("<p>") + gbkNotice, contentType: nil)
        #expect(unlabelled.charset == "GB18030")
    }

    @Test("an unlabelled UTF-8 page with only a © stays UTF-8")
    func copyrightOnly() {
        let decoded = TextDecoding.decode(utf8Bytes("<p>© 2026</p>"), contentType: nil)
        #expect(decoded.charset == "UTF-8")
        #expect(decodedString(decoded) == "<p>© 2026</p>")
    }

    @Test("an empty body decodes to nothing")
    func emptyBody() {
        let decoded = TextDecoding.decode([], contentType: "text/html; charset=gbk")
        #expect(decoded.utf8.isEmpty)
    }

    @Test("random bytes never crash, never vanish, and always come out as valid UTF-8")
    func fuzz() {
        var generator = SystemRandomNumberGenerator()
        let contentTypes: [String?] = [nil, "text/html; charset=utf-8", "text/html; charset=gbk",
                                       "text/html; charset=big5", "text/html; charset=utf-16le",
                                       "text/html; charset=utf-16be", "text/html; charset=iso-8859-1",
                                       "text/html; charset=\u{0}\u{FFFD}bogus", "text/html; charset="]
        let prefixes: [[UInt8]] = [[], [0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF],
                                   utf8Bytes("<?xml version=\"1.0\" encoding=\"gb2312\"?>"), utf8Bytes("<head><meta charset=gbk"),
                                   utf8Bytes("<head><meta http-equiv=content-type content='charset=")]
        for round in 0..<1000 {
            let length = Int.random(in: 0..<600, using: &generator)
            let random = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let body = prefixes[round % prefixes.count] + random
            let decoded = TextDecoding.decode(body, contentType: contentTypes[round % contentTypes.count])
            #expect(String(validating: decoded.utf8, as: UTF8.self) != nil)
            if body.count > 3 { #expect(!decoded.utf8.isEmpty) }
        }
    }
}
