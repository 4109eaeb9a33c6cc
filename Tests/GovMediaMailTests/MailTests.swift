import Foundation
import GovMediaMail
import Testing

@Suite("MIME messages and mail settings")
struct MailTests {
    @Test("CR and LF in data never start a new header")
    func headerInjection() {
        let line = HeaderEncoding.header("Subject", "周报\r\nBcc: evil@example.com\n")
        #expect(!line.contains("\nBcc") && !line.contains("\r\nBcc"))
        let ascii = HeaderEncoding.header("Subject", "weekly\r\nBcc: evil@example.com")
        #expect(ascii == "Subject: weekly  Bcc: evil@example.com")
        let message = MailMessage(from: "a@b.cn", to: ["c@d.cn\r\nBcc: e@f.cn"], subject: "x", date: Date(timeIntervalSince1970: 0),
                                  messageID: "id\r\nX: y@z", text: "正文", attachments: [])
        let text = String(decoding: message.encoded(), as: UTF8.self)
        #expect(!text.contains("\r\nBcc:") && !text.contains("\r\nX: y"))
    }

    @Test("a Chinese subject becomes encoded words of whole characters, folded under 76 characters")
    func subjectWords() throws {
        let subject = "政务新媒体合规周报 2026年第6周：达标率 92.3%（合格 36/39），不合格 3 个"
        let header = HeaderEncoding.header("Subject", subject)
        let lines = header.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.count <= 76 } && lines.count > 1)
        var decoded = Data()
        for word in header.dropFirst("Subject: ".count).components(separatedBy: "\r\n ") {
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            let chunk = try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))))
            #expect(String(data: chunk, encoding: .utf8) != nil)
            decoded += chunk
        }
        #expect(String(decoding: decoded, as: UTF8.self) == subject)
    }

    @Test("a Chinese filename is an RFC 2231 parameter in continuations")
    func filename() {
        let p = HeaderEncoding.parameter("filename", "净月高新区政务新媒体合规周报-2026-W06-账号明细.csv")
        #expect(p.hasPrefix(";\r\n filename*0*=UTF-8''%E5%87%80%E6%9C%88"))
        #expect(p.components(separatedBy: "\r\n").allSatisfy { $0.count <= 76 })
        #expect(HeaderEncoding.parameter("filename", "report.csv") == ";\r\n filename=\"report.csv\"")
    }

    @Test("the date is RFC 5322 at +0800")
    func date() {
        #expect(HeaderEncoding.date(Date(timeIntervalSince1970: 1_770_595_200)) == "Mon, 09 Feb 2026 08:00:00 +0800")
    }

    @Test("settings name the bad field")
    func settings() {
        var s = MailSettings(url: "smtp://127.0.0.1:2525", from: "g@jingyue.gov.cn", to: ["a@jingyue.gov.cn", "not an address"])
        #expect(throws: MailSettingsError(field: "mail.to[1]", problem: "不是有效的邮件地址：not an address")) { try s.validate() }
        s.to = ["a@jingyue.gov.cn"]
        s.username = "u"
        #expect((try? s.validate()) == nil)
        s.password = "p"
        s.url = "http://x"
        #expect(throws: MailSettingsError.self) { try s.validate() }
        #expect(MailAddress.isValid("a@b.cn") && !MailAddress.isValid("a@b") && !MailAddress.isValid("<a@b.cn>") && !MailAddress.isValid("张@b.cn"))
    }

    @Test("a config file missing a field says which")
    func loadErrors() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mail-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try #"{"mail": {"url": "smtp://h:25", "to": ["a@b.cn"]}}"#.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: MailSettingsError(field: "mail.from", problem: "缺少此字段")) { try MailSettings.load(configFile: path) }
        try #"{"mail": {"url": "smtp://h:25", "from": "g@b.cn", "to": "a@b.cn"}}"#.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: MailSettingsError(field: "mail.to", problem: "类型不对（应为 字符串数组）")) { try MailSettings.load(configFile: path) }
        try #"{"mail": {"url": "smtp://h:25", "from": "g@b.cn", "to": ["a@b.cn"]}}"#.write(toFile: path, atomically: true, encoding: .utf8)
        let loaded = try MailSettings.load(configFile: path)
        #expect(loaded.outbox.hasSuffix("/outbox") && loaded.outbox.hasPrefix("/") && loaded.attempts == 3)
    }

    @Test("nothing listens: one try per attempt, then a failure naming the recipient")
    func refused() async {
        let client = SMTPClient(settings: MailSettings(url: "smtp://127.0.0.1:9", from: "g@b.cn", to: ["a@b.cn"], attempts: 2,
                                                       retryDelaySeconds: 0.05, timeoutSeconds: 5))
        let outcome = await client.deliver(Array("Subject: x\r\n\r\nbody\r\n".utf8), to: "a@b.cn")
        #expect(!outcome.delivered && outcome.attempts == 2 && outcome.lastError?.isEmpty == false)
    }
}
