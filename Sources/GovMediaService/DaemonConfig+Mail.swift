import Foundation
import GovMediaMail

extension DaemonConfig {
    /// The mail settings of the config's `mail` section (password from `password_file`
    /// when given), validated; nil when no mail server is configured.
    public func mailSettings() throws(ConfigError) -> MailSettings? {
        guard let url = mail["url"], let from = mail["from"] else { return nil }
        var password = mail["password"]
        if let file = mail["password_file"] {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ConfigError(path: file, field: "mail.password_file", problem: "无法读取邮件密码文件")
            }
            password = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let settings = MailSettings(url: url, from: from, to: mailRecipients, username: mail["username"], password: password,
                                    starttls: mail["starttls"] == "true", outbox: mail["outbox"] ?? reportDirectory + "/outbox")
        do { try settings.validate() } catch { throw ConfigError(path: "", field: error.field, problem: error.problem) }
        return settings
    }
}
