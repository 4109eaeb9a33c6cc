import Foundation

/// An absolute `http` or `https` address, read and checked once where it comes in (the
/// register, a 三审 ledger, the config, the command line, the fetcher) and passed on as
/// this type: the one place a URL's scheme, host and port are read.
///
/// The check is what curl needs and what an officer can fix, not a full RFC 3986 parse:
/// a stricter parser would refuse real addresses curl reads (Chinese paths, IPv6 literals,
/// IDN hosts, paging placeholders such as `index{page_suffix}.html`).
public struct WebAddress: Hashable, Sendable, CustomStringConvertible {
    /// The two schemes the monitor fetches.
    public enum Scheme: String, Sendable {
        case http, https
    }

    /// The address as written.
    public let text: String
    public let scheme: Scheme
    /// The host as written (IPv6 literals keep their brackets), lower-cased.
    public let host: String
    /// `host` or `host:port`, lower-cased, without user info: transfers sharing it share
    /// the per-host limit.
    public let authority: String
    /// The path as written, from its `/` (empty when the address has none).
    public let path: String
    /// Whether the address carries a `?query`.
    public let hasQuery: Bool

    /// Reads `text`, or says in Chinese what is wrong with it.
    public init(_ text: String) throws(WebAddressError) {
        try self.init(text, lenient: false)
    }

    /// Reads an address a database row holds. An earlier release may have stored one the
    /// checks above now refuse (a space, credentials, port 99999); the row must still load —
    /// a register that cannot be read stops every command and the service — so only what
    /// makes it no web address at all (scheme, host) is refused here. Fetching it still goes
    /// through the strict reader, so the account shows the problem as a failed fetch, and
    /// `account change --set url=…` can mend it.
    public init(stored text: String) throws(WebAddressError) {
        try self.init(text, lenient: true)
    }

    private init(_ text: String, lenient: Bool) throws(WebAddressError) {
        guard !text.isEmpty else { throw .empty }
        // Errors quote the address without user info: a password must not reach a message.
        let shown = Self.withoutUserInfo(text)
        guard lenient || !text.unicodeScalars.contains(where: { $0.properties.isWhitespace || TerminalSafety.isUnsafe($0.value) })
        else { throw .whitespace(TerminalSafety.text(shown)) }
        guard let parts = Self.split(text) else { throw .notAbsolute(TerminalSafety.text(shown)) }
        guard let scheme = Scheme(rawValue: parts.scheme.lowercased()) else { throw .scheme(parts.scheme, TerminalSafety.text(shown)) }
        // Credentials in an address would be stored, shown and logged with it, and put into
        // every link resolved against it: they are refused (a bridge's secret goes in a file).
        guard lenient || !parts.authority.contains("@") else { throw .userInfo(shown) }
        // curl and browsers read `\` in an authority differently (`x.cn\evil.cn`).
        guard lenient || !parts.authority.contains("\\") else { throw .host(shown) }
        let hostAndPort = String(parts.authority.split(separator: "@", omittingEmptySubsequences: false).last ?? "")
        var host = hostAndPort
        var port: Substring?
        if hostAndPort.hasPrefix("[") {
            guard let close = hostAndPort.firstIndex(of: "]") else { throw .host(shown) }
            host = String(hostAndPort[...close])
            let rest = hostAndPort[hostAndPort.index(after: close)...]
            if !rest.isEmpty {
                guard rest.first == ":" else { throw .host(shown) }
                port = rest.dropFirst()
            }
        } else if let colon = hostAndPort.lastIndex(of: ":") {
            host = String(hostAndPort[..<colon])
            port = hostAndPort[hostAndPort.index(after: colon)...]
        }
        // A colon in a host is an IPv6 literal without its brackets, or a second port.
        guard !host.isEmpty, host != "[]", lenient || host.hasPrefix("[") || !host.contains(":") else { throw .host(shown) }
        var number: Int?
        if let port, !port.isEmpty {
            number = Int(port)
            guard lenient || (port.count <= 5 && port.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) && (1...65_535).contains(number ?? 0))
            else { throw .port(String(port), shown) }
        }
        self.text = text
        self.scheme = scheme
        self.host = host.lowercased()
        // One key per host: `x.cn`, `x.cn:` and `https://x.cn:443` are one server.
        let isDefault = number == nil || (scheme == .http && number == 80) || (scheme == .https && number == 443)
        authority = isDefault ? host.lowercased() : "\(host.lowercased()):\(number!)"
        path = parts.path
        hasQuery = parts.hasQuery
    }

    /// `text` when it is an address the monitor can fetch, else nil.
    public init?(checking text: String) {
        do { try self.init(text) } catch { return nil }
    }

    public var description: String { text }

    /// The address without query or fragment, for log lines (tokens live there).
    public var forLog: String { Self.forLog(text) }

    /// `text` without `user:password@`, for messages about text that may not be a checked
    /// address (a redirect target, a bridge's answer); text that is not an absolute address
    /// comes back as is.
    ///
    /// Looser than the reader, on purpose: any `://` will do, and the user info runs to the
    /// last `@` before the first `/`, since a password may hold `?` or `#`.
    public static func withoutUserInfo(_ text: String) -> String {
        guard let separator = text.range(of: "://") else { return text }
        let rest = text[separator.upperBound...]
        let end = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<end].lastIndex(of: "@") else { return text }
        // `https://evil.cn?@www.gov.cn/` is fetched from evil.cn: showing www.gov.cn would
        // mislead, and a `?` or `#` inside a password cannot be told from one after the host.
        if rest[..<at].contains(where: { $0 == "?" || $0 == "#" }) {
            return String(text[..<separator.upperBound]) + "（含 @ 的地址，已隐去）" + String(rest[end...])
        }
        return String(text[..<separator.upperBound]) + String(rest[rest.index(after: at)...])
    }

    /// `text` without user info, query or fragment.
    public static func forLog(_ text: String) -> String {
        let clean = withoutUserInfo(text)
        guard let cut = clean.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return clean }
        return String(clean[..<cut])
    }

    /// The scheme, the authority and the path of `scheme://authority/path?query#fragment`;
    /// nil when `text` does not start with an RFC 3986 scheme and `://`.
    private static func split(_ text: String) -> (scheme: String, authority: Substring, path: String, hasQuery: Bool)? {
        guard let separator = text.range(of: "://") else { return nil }
        let scheme = text[..<separator.lowerBound]
        func isLetter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
        guard let first = scheme.unicodeScalars.first, isLetter(first),
              scheme.unicodeScalars.allSatisfy({ isLetter($0) || ("0"..."9").contains($0) || $0 == "+" || $0 == "-" || $0 == "." })
        else { return nil }
        let rest = text[separator.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let tail = rest[authorityEnd...]
        let pathEnd = tail.firstIndex { $0 == "?" || $0 == "#" } ?? tail.endIndex
        return (String(scheme), rest[..<authorityEnd], String(tail[..<pathEnd]), tail[pathEnd...].first == "?")
    }
}

/// Why a text is not an address the monitor can fetch.
public enum WebAddressError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case whitespace(String)
    case notAbsolute(String)
    case scheme(String, String)
    case host(String)
    case port(String, String)
    case userInfo(String)

    /// In Chinese, naming the address.
    public var description: String {
        switch self {
        case .empty: "网址为空"
        case .whitespace(let text): "网址中有空格或控制字符：\(text)"
        case .notAbsolute(let text): "不是有效的网址（应以 http:// 或 https:// 开头）：\(text)"
        case .scheme(let scheme, let text): "只支持 http 和 https 网址，不支持 \(scheme)：\(text)"
        case .host(let text): "网址缺少主机名或主机名无效：\(text)"
        case .port(let port, let text): "网址的端口 \(port) 无效：\(text)"
        case .userInfo(let text): "网址不能包含用户名和密码（user:password@），已略去后为：\(text)"
        }
    }
}

extension WebAddress: ExpressibleByStringLiteral {
    /// An address written in the source (the demo's register, tests): a typo there is a
    /// programming error, caught on the first run.
    public init(stringLiteral text: String) {
        do { try self.init(text) } catch { preconditionFailure("\(error)") }
    }
}

extension WebAddress: Comparable {
    public static func < (a: WebAddress, b: WebAddress) -> Bool { a.text < b.text }
}
