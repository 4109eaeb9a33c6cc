import Foundation

/// Where and how the weekly report is mailed: the `mail` section of the config file.
///
/// ```json
/// {"mail": {"url": "smtp://127.0.0.1:2525", "from": "govmedia@jingyue.gov.cn",
///           "to": ["a@jingyue.gov.cn"], "username": null, "password": null,
///           "starttls": false, "outbox": "outbox"}}
/// ```
/// `attempts` (default 3) and `retry_delay_seconds` (default 2, doubled after each failure)
/// tune retries; `timeout_seconds` (default 60) bounds one SMTP conversation.
public struct MailSettings: Codable, Sendable, Equatable {
    /// `smtp://host[:port]` (plain or STARTTLS) or `smtps://host[:port]` (TLS from the start).
    public var url: String
    /// The sender, as in the From header and the SMTP envelope.
    public var from: String
    /// Every recipient; each gets the message in a conversation of its own.
    public var to: [String]
    public var username: String?
    public var password: String?
    /// Require STARTTLS on an `smtp://` URL (refuse to send in clear if the server lacks it).
    public var starttls: Bool
    /// The outbox directory; relative paths are taken from the config file's directory.
    public var outbox: String
    /// Tries per recipient in one sending pass.
    public var attempts: Int
    /// Wait before the second try; doubled before each later one.
    public var retryDelaySeconds: Double
    /// The most one SMTP conversation may take.
    public var timeoutSeconds: Int

    public init(url: String, from: String, to: [String], username: String? = nil, password: String? = nil,
                starttls: Bool = false, outbox: String = "outbox", attempts: Int = 3, retryDelaySeconds: Double = 2,
                timeoutSeconds: Int = 60) {
        self.url = url
        self.from = from
        self.to = to
        self.username = username
        self.password = password
        self.starttls = starttls
        self.outbox = outbox
        self.attempts = attempts
        self.retryDelaySeconds = retryDelaySeconds
        self.timeoutSeconds = timeoutSeconds
    }

    enum CodingKeys: String, CodingKey {
        case url, from, to, username, password, starttls, outbox, attempts
        case retryDelaySeconds = "retry_delay_seconds"
        case timeoutSeconds = "timeout_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        url = try c.decode(String.self, forKey: .url)
        from = try c.decode(String.self, forKey: .from)
        to = try c.decode([String].self, forKey: .to)
        username = try c.decodeIfPresent(String.self, forKey: .username)
        password = try c.decodeIfPresent(String.self, forKey: .password)
        starttls = try c.decodeIfPresent(Bool.self, forKey: .starttls) ?? false
        outbox = try c.decodeIfPresent(String.self, forKey: .outbox) ?? "outbox"
        attempts = try c.decodeIfPresent(Int.self, forKey: .attempts) ?? 3
        retryDelaySeconds = try c.decodeIfPresent(Double.self, forKey: .retryDelaySeconds) ?? 2
        timeoutSeconds = try c.decodeIfPresent(Int.self, forKey: .timeoutSeconds) ?? 60
    }

    /// Checks every field, naming the first bad one (`mail.to[1]`).
    public func validate() throws(MailSettingsError) {
        let lower = url.lowercased()
        guard lower.hasPrefix("smtp://") || lower.hasPrefix("smtps://") else {
            throw MailSettingsError(field: "mail.url", problem: "应以 smtp:// 或 smtps:// 开头：\(url)")
        }
        let rest = url.drop(while: { $0 != "/" }).dropFirst(2)
        guard let host = rest.split(separator: "/", omittingEmptySubsequences: false).first, !host.isEmpty,
              !url.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 } ?? false }) else {
            throw MailSettingsError(field: "mail.url", problem: "缺少服务器地址或含有空白字符：\(url)")
        }
        guard MailAddress.isValid(from) else {
            throw MailSettingsError(field: "mail.from", problem: "不是有效的邮件地址：\(from)")
        }
        guard !to.isEmpty else { throw MailSettingsError(field: "mail.to", problem: "至少需要一个收件人") }
        for (i, address) in to.enumerated() where !MailAddress.isValid(address) {
            throw MailSettingsError(field: "mail.to[\(i)]", problem: "不是有效的邮件地址：\(address)")
        }
        if Set(to.map { $0.lowercased() }).count != to.count {
            throw MailSettingsError(field: "mail.to", problem: "收件人重复")
        }
        if (username == nil) != (password == nil) {
            throw MailSettingsError(field: username == nil ? "mail.username" : "mail.password", problem: "用户名与密码须同时填写或同时为 null")
        }
        for (field, value) in [("mail.username", username), ("mail.password", password)] {
            if let value, value.isEmpty || value.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
                throw MailSettingsError(field: field, problem: "不能为空，也不能含换行或 NUL 字符")
            }
        }
        if starttls, lower.hasPrefix("smtps://") {
            throw MailSettingsError(field: "mail.starttls", problem: "smtps:// 已全程加密，starttls 只用于 smtp://；请二选一")
        }
        guard !outbox.isEmpty else { throw MailSettingsError(field: "mail.outbox", problem: "不能为空") }
        guard (1...10).contains(attempts) else { throw MailSettingsError(field: "mail.attempts", problem: "应在 1 到 10 之间：\(attempts)") }
        guard retryDelaySeconds >= 0, retryDelaySeconds <= 600 else {
            throw MailSettingsError(field: "mail.retry_delay_seconds", problem: "应在 0 到 600 之间：\(retryDelaySeconds)")
        }
        guard (1...3600).contains(timeoutSeconds) else {
            throw MailSettingsError(field: "mail.timeout_seconds", problem: "应在 1 到 3600 之间：\(timeoutSeconds)")
        }
    }

    /// Reads and validates the `mail` section of a JSON config file; a relative `outbox`
    /// comes back resolved against the file's directory.
    public static func load(configFile path: String) throws(MailSettingsError) -> MailSettings {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MailSettingsError(field: "", problem: "无法读取配置文件 \(path)（不存在或无权限）")
        }
        var settings: MailSettings
        do {
            settings = try JSONDecoder().decode(ConfigFile.self, from: data).mail
        } catch let error as DecodingError {
            throw MailSettingsError(error, file: path)
        } catch {
            throw MailSettingsError(field: "", problem: "配置文件 \(path) 无法读取：\(error)")
        }
        try settings.validate()
        if !settings.outbox.hasPrefix("/") {
            settings.outbox = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(settings.outbox).path
        }
        return settings
    }

    /// The file's shape: other sections (the daemon's) are ignored here.
    private struct ConfigFile: Decodable { var mail: MailSettings }
}

/// A bad mail setting: which field, and what is wrong with it.
public struct MailSettingsError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The field's path, `mail.to[1]`; empty for problems with the file as a whole.
    public var field: String
    public var problem: String

    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    init(_ error: DecodingError, file: String) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.reduce("") { acc, key in key.intValue.map { acc + "[\($0)]" } ?? (acc.isEmpty ? key.stringValue : acc + "." + key.stringValue) }
        }
        switch error {
        case .keyNotFound(let key, let context):
            self.init(field: path(context.codingPath + [key]), problem: "缺少此字段")
        case .typeMismatch(let type, let context):
            self.init(field: path(context.codingPath), problem: "类型不对（应为 \(Self.typeName(type))）")
        case .valueNotFound(let type, let context):
            self.init(field: path(context.codingPath), problem: "不能为 null（应为 \(Self.typeName(type))）")
        case .dataCorrupted(let context):
            self.init(field: path(context.codingPath), problem: "配置文件 \(file) 不是有效的 JSON")
        @unknown default:
            self.init(field: "", problem: "配置文件 \(file) 无法读取")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "字符串"
        case is Bool.Type: "true 或 false"
        case is Int.Type, is Double.Type: "数字"
        case is [String].Type, is [Any].Type: "字符串数组"
        default: "\(type)"
        }
    }

    public var description: String { field.isEmpty ? "邮件配置：\(problem)" : "邮件配置 \(field)：\(problem)" }
}

/// Mail address checks kept deliberately narrow: ASCII `local@domain` only, because the
/// address goes into SMTP commands and headers, where anything looser could inject.
public enum MailAddress {
    /// Whether `address` is a plain ASCII `local@domain.tld` with no spaces, brackets or controls.
    public static func isValid(_ address: String) -> Bool {
        guard address.utf8.count <= 254, address.allSatisfy({ $0.isASCII }) else { return false }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        let forbidden = Set("<>()[]\\,;:\" \t\r\n")
        return !address.contains { forbidden.contains($0) || ($0.asciiValue ?? 0) < 0x21 || $0.asciiValue == 0x7F }
    }

    /// The part after `@`, lower-cased.
    public static func domain(of address: String) -> String {
        address.split(separator: "@").last.map { $0.lowercased() } ?? "localhost"
    }
}
