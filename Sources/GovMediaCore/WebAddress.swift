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
    /// Whether the address carries `user:password@`.
    public let hasUserInfo: Bool
    /// Whether the address carries a `?query`.
    public let hasQuery: Bool

    /// Reads `text`, or says in Chinese what is wrong with it.
    public init(_ text: String) throws(WebAddressError) {
        guard !text.isEmpty else { throw .empty }
        guard !text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .whitespace(text)
        }
        guard let parts = Self.split(text) else { throw .notAbsolute(text) }
        guard let scheme = Scheme(rawValue: parts.scheme.lowercased()) else { throw .scheme(parts.scheme, text) }
        let hostAndPort = parts.authority.split(separator: "@", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        var host = hostAndPort
        var port: Substring?
        if hostAndPort.hasPrefix("[") {
            guard let close = hostAndPort.firstIndex(of: "]") else { throw .host(text) }
            host = String(hostAndPort[...close])
            let rest = hostAndPort[hostAndPort.index(after: close)...]
            if !rest.isEmpty {
                guard rest.first == ":" else { throw .host(text) }
                port = rest.dropFirst()
            }
        } else if let colon = hostAndPort.lastIndex(of: ":") {
            host = String(hostAndPort[..<colon])
            port = hostAndPort[hostAndPort.index(after: colon)...]
        }
        guard !host.isEmpty, host != "[]" else { throw .host(text) }
        if let port, !port.isEmpty {
            guard port.count <= 5, port.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }), let number = Int(port), number <= 65_535 else {
                throw .port(String(port), text)
            }
        }
        self.text = text
        self.scheme = scheme
        self.host = host.lowercased()
        authority = hostAndPort.lowercased()
        path = parts.path
        hasUserInfo = parts.authority.contains("@")
        hasQuery = parts.hasQuery
    }

    /// `text` when it is an address the monitor can fetch, else nil.
    public init?(checking text: String) {
        do { try self.init(text) } catch { return nil }
    }

    public var description: String { text }

    /// The address without `user:password@`, for messages shown to officers.
    public var withoutUserInfo: String { Self.withoutUserInfo(text) }

    /// The address without user info, query or fragment, for log lines (tokens live there).
    public var forLog: String { Self.forLog(text) }

    /// `text` without `user:password@`; text that is not an absolute address comes back as is.
    public static func withoutUserInfo(_ text: String) -> String {
        guard let parts = split(text), let at = parts.authority.lastIndex(of: "@") else { return text }
        return parts.scheme + "://" + parts.authority[parts.authority.index(after: at)...] + text[parts.afterAuthority...]
    }

    /// `text` without user info, query or fragment.
    public static func forLog(_ text: String) -> String {
        let clean = withoutUserInfo(text)
        guard let cut = clean.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return clean }
        return String(clean[..<cut])
    }

    /// The scheme, the authority and the path of `scheme://authority/path?query#fragment`;
    /// nil when `text` does not start with an RFC 3986 scheme and `://`.
    private static func split(_ text: String) -> (scheme: String, authority: Substring, path: String, hasQuery: Bool, afterAuthority: String.Index)? {
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
        return (String(scheme), rest[..<authorityEnd], String(tail[..<pathEnd]), tail[pathEnd...].first == "?", authorityEnd)
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

    /// In Chinese, naming the address.
    public var description: String {
        switch self {
        case .empty: "网址为空"
        case .whitespace(let text): "网址中有空格或控制字符：\(text)"
        case .notAbsolute(let text): "不是有效的网址（应以 http:// 或 https:// 开头）：\(text)"
        case .scheme(let scheme, let text): "只支持 http 和 https 网址，不支持 \(scheme)：\(text)"
        case .host(let text): "网址缺少主机名：\(text)"
        case .port(let port, let text): "网址的端口 \(port) 无效：\(text)"
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
