import Foundation

/// The little the fetcher needs to read from a URL before curl sees it: the scheme, to
/// refuse anything but http and https up front, and the authority, as the key for the
/// per-host limit. Plain string work, so odd but valid URLs (IDN hosts, IPv6 literals)
/// are not rejected by a stricter parser than curl's.
enum RequestURL {
    /// Whether the URL starts with http:// or https:// (any case).
    static func hasAllowedScheme(_ url: String) -> Bool {
        let lower = url.prefix(8).lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// "host:port" in lower case, without user info: transfers sharing it share a limit.
    static func authority(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return "" }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPart = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? authority
        return hostPart.lowercased()
    }
}

/// Keeps secrets out of logs and messages: user info (`user:password@`) never appears,
/// and logs also drop the query string, where API tokens usually live.
enum LogRedaction {
    /// The URL without user info, for messages shown to officers.
    static func forMessage(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + String(rest[rest.index(after: at)...])
    }

    /// The URL without user info, query or fragment, for log lines.
    static func forLog(_ url: String) -> String {
        let clean = forMessage(url)
        guard let cut = clean.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return clean }
        return String(clean[..<cut])
    }
}
