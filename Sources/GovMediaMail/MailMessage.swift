import Foundation

/// A file attached to a message.
public struct MailAttachment: Sendable, Equatable {
    /// Shown to the reader; may be Chinese (sent per RFC 2231).
    public var filename: String
    /// `text/html; charset=UTF-8`, `text/csv; charset=UTF-8`, …
    public var contentType: String
    public var data: [UInt8]

    public init(filename: String, contentType: String, data: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }
}

/// An RFC 5322 message: a UTF-8 text part and attachments in `multipart/mixed`. Every
/// byte follows from the fields, so the same fields always give the same `.eml`.
public struct MailMessage: Sendable, Equatable {
    public var from: String
    public var to: [String]
    /// Any text; written as RFC 2047 encoded words when not ASCII, with CR/LF removed.
    public var subject: String
    public var date: Date
    /// Without angle brackets: `weekly-2026-W05.3fa2c1d9@govmedia.jingyue.gov.cn`.
    public var messageID: String
    public var text: String
    public var attachments: [MailAttachment]

    public init(from: String, to: [String], subject: String, date: Date, messageID: String, text: String,
                attachments: [MailAttachment]) {
        self.from = from
        self.to = to
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.text = text
        self.attachments = attachments
    }

    /// The boundary: fixed text plus the message id's hash part. `=_` never occurs in
    /// base64, and every part here is base64, so the boundary cannot occur in a body.
    var boundary: String {
        let token = messageID.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) && $0.isASCII }
        return "=_govmedia_" + String(String.UnicodeScalarView(token.suffix(40)))
    }

    /// The message as CRLF-terminated bytes, ready for the outbox and for SMTP.
    public func encoded() -> [UInt8] {
        let b = boundary
        let clean = { (s: String) in HeaderEncoding.sanitise(s).filter { $0 != "<" && $0 != ">" && $0 != " " } }
        var lines: [String] = [
            HeaderEncoding.header("From", clean(from)),
            HeaderEncoding.header("To", to.map(clean).joined(separator: ", ")),
            HeaderEncoding.header("Subject", subject),
            "Date: " + HeaderEncoding.date(date),
            "Message-ID: <\(clean(messageID))>",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed;\r\n boundary=\"\(b)\"",
            "",
            "This is a multi-part message in MIME format.",
            "",
            "--\(b)",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "",
            HeaderEncoding.base64Lines(Array(text.utf8)),
        ]
        for a in attachments {
            let type = HeaderEncoding.sanitise(a.contentType)
            lines += [
                "--\(b)",
                "Content-Type: \(type)" + HeaderEncoding.parameter("name", a.filename),
                "Content-Transfer-Encoding: base64",
                "Content-Disposition: attachment" + HeaderEncoding.parameter("filename", a.filename),
                "",
                HeaderEncoding.base64Lines(a.data),
            ]
        }
        lines += ["--\(b)--", ""]
        return Array(lines.joined(separator: "\r\n").utf8)
    }
}

/// What the sender needs from a message already in the outbox: read from its own headers
/// so that a message waits in the outbox as one self-describing file.
public struct OutboxMessage: Sendable, Equatable {
    public var path: String
    public var messageID: String
    public var recipients: [String]
    public var bytes: [UInt8]

    /// Reads an `.eml` written by `MailMessage.encoded()`.
    public init(path: String) throws(OutboxError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OutboxError(path: path, problem: "无法读取（不存在或无权限）")
        }
        self.path = path
        bytes = Array(data)
        let text = String(decoding: data, as: UTF8.self)
        let head = text.components(separatedBy: "\r\n\r\n").first ?? ""
        // Unfold continuation lines, then read the two headers we need.
        let unfolded = head.replacingOccurrences(of: "\r\n ", with: " ").components(separatedBy: "\r\n")
        func value(_ name: String) -> String? {
            unfolded.first { $0.lowercased().hasPrefix(name.lowercased() + ":") }
                .map { String($0.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces) }
        }
        guard let id = value("Message-ID"), id.hasPrefix("<"), id.hasSuffix(">") else {
            throw OutboxError(path: path, problem: "缺少 Message-ID")
        }
        messageID = String(id.dropFirst().dropLast())
        recipients = (value("To") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !recipients.isEmpty, recipients.allSatisfy(MailAddress.isValid) else {
            throw OutboxError(path: path, problem: "收件人（To）缺失或无效")
        }
    }
}

/// An outbox file that cannot be sent as it is.
public struct OutboxError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "发件箱文件 \(path)：\(problem)" }
}
