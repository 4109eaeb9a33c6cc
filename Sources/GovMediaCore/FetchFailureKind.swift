import Foundation

/// Why reading an account failed, in the classes the scan, the rules and the officers act
/// on: the fetcher's transport classes, a body that could not be read, and a feed bridge's
/// own failures (told apart so that an account is never blamed for a broken bridge).
///
/// One type from the fetcher to the report: the raw values are stable (they are the
/// `fetch.failure` column), and reading back a value this release does not know is an error
/// naming the row. The Chinese names are here and nowhere else.
public enum FetchFailureKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// The host name could not be resolved.
    case dns
    /// No TCP connection could be made (refused, unreachable).
    case connect
    /// TLS handshake or certificate verification failed.
    case tls
    /// Connect timeout, total timeout or the low-speed abort.
    case timeout
    /// The final response was 4xx (429 included once retries are used up).
    case http4xx = "http-4xx"
    /// The final response was 5xx after retries.
    case http5xx = "http-5xx"
    /// The body exceeded the configured cap.
    case tooLarge = "too-large"
    /// The URL, or a redirect target, is not http or https.
    case badScheme = "bad-scheme"
    /// The host resolved to a loopback, private, link-local or otherwise internal address.
    case privateAddress = "private-address"
    /// More redirects than allowed, or a redirect loop.
    case tooManyRedirects = "too-many-redirects"
    /// Any other transfer error curl reported.
    case `protocol`
    /// The calling task was cancelled before the transfer finished.
    case cancelled
    /// The body came back but is not a page or feed the account's reading profile can read.
    case parse
    /// A feed bridge's login or cookie expired (HTTP 401, 403, 432, or a page that says so).
    case sourceAuth = "source-auth"
    /// The platform blocked the bridge (anti-bot, WAF, rate limit).
    case sourceBlocked = "source-blocked"
    /// The bridge read no items where it read some before.
    case sourceEmpty = "source-empty"
    /// The config has no bridge for the account (none named, or none with a route for its platform).
    case sourceMissing = "source-missing"

    /// The officers' name for the class.
    public var chineseName: String {
        switch self {
        case .dns: "域名无法解析"
        case .connect: "无法连接"
        case .tls: "TLS/证书错误"
        case .timeout: "超时"
        case .http4xx: "网页返回 4xx 错误"
        case .http5xx: "服务器 5xx 错误"
        case .tooLarge: "内容过大"
        case .badScheme: "网址协议不支持"
        case .privateAddress: "指向内网地址"
        case .tooManyRedirects: "重定向过多"
        case .protocol: "传输错误"
        case .cancelled: "已取消"
        case .parse: "内容无法解析"
        case .sourceAuth: "登录或 Cookie 失效"
        case .sourceBlocked: "被平台拦截"
        case .sourceEmpty: "读取为空"
        case .sourceMissing: "未配置数据源"
        }
    }

    /// The name with its code, for tables and errors: officers read the name, operators
    /// search the README and the logs by the code (`超时（timeout）`).
    public var label: String { "\(chineseName)（\(rawValue)）" }

    /// The class of a bridge's error text, when it says why (cookie expired, blocked).
    public static func classifySource(status: Int?, text: String) -> FetchFailureKind? {
        if let status, [401, 403, 432].contains(status) { return .sourceAuth }
        let lower = text.lowercased()
        let auth = ["cookie", "expired", "login", "unauthorized", "invalid session", "过期", "失效", "登录", "扫码", "授权"]
        let blocked = ["waf", "captcha", "cooling down", "anti-crawler", "rate limit", "too many requests", "验证码", "频繁", "拦截", "风控"]
        if auth.contains(where: lower.contains) { return .sourceAuth }
        if blocked.contains(where: lower.contains) { return .sourceBlocked }
        return nil
    }
}
