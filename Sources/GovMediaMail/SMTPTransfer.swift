import CCurl
import Foundation

/// One SMTP conversation through one libcurl easy handle. This class is the handle's only
/// owner: it creates it, sets it up, performs once and frees it (and the recipient list)
/// in `deinit`. Nothing of libcurl leaves this file.
final class SMTPTransfer {
    private let handle: UnsafeMutableRawPointer
    private var recipients: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    /// The message bytes and how far libcurl has read them; handed to the read callback.
    private let reader: MessageReader

    /// libcurl must be initialised once per process before any handle is made.
    private static let globalInit: CURLcode = ccurl_global_init_default()

    init(message: [UInt8]) throws(SMTPError) {
        guard Self.globalInit == CURLE_OK, let h = curl_easy_init() else {
            throw SMTPError(recipient: "", problem: "libcurl 初始化失败", permanent: true)
        }
        handle = h
        reader = MessageReader(message)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_easy_cleanup(handle)
        if let recipients { curl_slist_free_all(recipients) }
        errorBuffer.deallocate()
    }

    /// Sends the message to one recipient; returns the server's last reply code.
    func send(settings: MailSettings, recipient: String) throws(SMTPError) {
        let fail = { (problem: String, permanent: Bool) in SMTPError(recipient: recipient, problem: problem, permanent: permanent) }
        guard MailAddress.isValid(recipient), MailAddress.isValid(settings.from) else {
            throw fail("邮件地址无效：\(recipient)", true)
        }
        recipients = curl_slist_append(nil, "<\(recipient)>")
        let userdata = Unmanaged.passUnretained(reader).toOpaque()
        var codes: [(String, CURLcode)] = [
            ("URL", ccurl_setopt_string(handle, CURLOPT_URL, settings.url)),
            ("MAIL_FROM", ccurl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(settings.from)>")),
            ("MAIL_RCPT", ccurl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients)),
            ("UPLOAD", ccurl_setopt_long(handle, CURLOPT_UPLOAD, 1)),
            ("READFUNCTION", ccurl_setopt_data_callback(handle, CURLOPT_READFUNCTION, messageReadCallback)),
            ("READDATA", ccurl_setopt_ptr(handle, CURLOPT_READDATA, userdata)),
            ("NOSIGNAL", ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)),
            ("CONNECTTIMEOUT", ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, 15)),
            ("TIMEOUT", ccurl_setopt_long(handle, CURLOPT_TIMEOUT, settings.timeoutSeconds)),
            ("ERRORBUFFER", ccurl_setopt_ptr(handle, CURLOPT_ERRORBUFFER, errorBuffer)),
            // Only SMTP: a config pointing elsewhere must not turn into another protocol.
            ("PROTOCOLS_STR", ccurl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps")),
        ]
        if settings.starttls {
            codes.append(("USE_SSL", ccurl_setopt_long(handle, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))))
        }
        if let user = settings.username, let password = settings.password {
            codes.append(("USERNAME", ccurl_setopt_string(handle, CURLOPT_USERNAME, user)))
            codes.append(("PASSWORD", ccurl_setopt_string(handle, CURLOPT_PASSWORD, password)))
        }
        if let bad = codes.first(where: { $0.1 != CURLE_OK }) {
            throw fail("libcurl 设置 \(bad.0) 失败：\(String(cString: curl_easy_strerror(bad.1)))", true)
        }
        let result = curl_easy_perform(handle)
        guard result != CURLE_OK else { return }
        var reply = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &reply)
        let detail = String(cString: errorBuffer)
        let text = String(cString: curl_easy_strerror(result)) + (detail.isEmpty ? "" : "：\(detail)")
            + (reply > 0 ? "（服务器应答 \(reply)）" : "")
        // 5xx replies and refused logins will not change by trying again in a minute.
        let permanent = (500...599).contains(reply) || result == CURLE_LOGIN_DENIED || result == CURLE_UNSUPPORTED_PROTOCOL
        throw fail(text, permanent)
    }
}

/// The bytes libcurl uploads, read in pieces by `messageReadCallback`.
private final class MessageReader {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }
}

/// libcurl's read callback: copies the next piece of the message into its buffer; 0 ends it.
private func messageReadCallback(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?) -> Int {
    guard let buffer, let userdata else { return 0 }
    let reader = Unmanaged<MessageReader>.fromOpaque(userdata).takeUnretainedValue()
    let n = min(size * count, reader.bytes.count - reader.offset)
    guard n > 0 else { return 0 }
    reader.bytes.withUnsafeBufferPointer { source in
        UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + reader.offset, byteCount: n)
    }
    reader.offset += n
    return n
}
