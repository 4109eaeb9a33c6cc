import Foundation
import GovMediaCore
import GovMediaFetch

/// A feed bridge the operators run beside govmedia (RSSHub, a WeChat bridge): the accounts
/// of the platforms it serves are read from `base_url` + a route built from the account's
/// handle. Moving a bridge is one edit of `baseURL`; the register does not change.
public struct FeedBridge: Sendable, Equatable {
    public var name: String
    /// `http(s)://host[:port][/prefix]`, without a trailing slash.
    public var baseURL: String
    /// Path templates by platform; `{handle}` is the account's handle and `{wechat_feed_id}`
    /// the `MP_WXS_…` id WeChat bridges give an account.
    public var routes: [Platform: String]
    /// The header the secret is sent in, when the bridge wants one.
    public var secretHeader: String?
    /// Read from the bridge's `secret_file`; never printed, logged or stored.
    public var secret: Secret?

    /// RSSHub's own routes, the default for a bridge of kind `rsshub`.
    public static let rsshubRoutes: [Platform: String] = [
        .weibo: "/weibo/user/{handle}", .douyin: "/douyin/user/{handle}", .toutiao: "/toutiao/user/token/{handle}",
        .kuaishou: "/kuaishou/profile/{handle}", .baijiahao: "/baidu/baijiahao/{handle}",
    ]

    public init(name: String, baseURL: String, routes: [Platform: String], secretHeader: String? = nil, secret: Secret? = nil) {
        self.name = name
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.routes = routes
        self.secretHeader = secretHeader
        self.secret = secret
    }

    /// The feed address of `handle` on `platform`, or nil when the bridge has no route for it.
    public func url(platform: Platform, handle: String) -> String? {
        guard let route = routes[platform] else { return nil }
        // A handle may hold `/`, `+` or `=` (a WeChat __biz): each is one path segment.
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/+=?#&")
        let encode = { (s: String) in s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s }
        let path = route.replacingOccurrences(of: "{handle}", with: encode(handle))
            .replacingOccurrences(of: "{wechat_feed_id}", with: encode(PlatformHandle.wechatFeedID(handle) ?? handle))
        return baseURL + (path.hasPrefix("/") ? path : "/" + path)
    }

    /// The headers a request to the bridge carries.
    public var headers: [FetchHeader] {
        guard let secretHeader, let secret else { return [] }
        return [FetchHeader(name: secretHeader, value: secret.value)]
    }
}

/// A secret read from a file: its text is reachable only as `value`, and every way of
/// printing it shows a placeholder, so it cannot slip into a log line or an error.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String

    public init(_ value: String) { self.value = value }

    public var description: String { "（已隐藏）" }
    public var debugDescription: String { "（已隐藏）" }
}

/// The bridges of a config, and which one reads an account.
public struct FeedBridges: Sendable, Equatable {
    /// In the config's order.
    public var bridges: [FeedBridge]

    public init(_ bridges: [FeedBridge] = []) { self.bridges = bridges }

    /// Where a bridge account is read: the bridge, the URL and the headers; or why it cannot be.
    public enum Resolution: Sendable, Equatable {
        case request(bridge: String, url: String, headers: [FetchHeader])
        case unavailable(bridge: String?, problem: String)
    }

    /// The named bridge, else the first in the config with a route for the platform.
    public func resolve(_ account: Account) -> Resolution {
        guard case .bridge(let name) = account.source, let handle = account.handle else {
            return .unavailable(bridge: nil, problem: "账号 \(account.id) 不是通过数据源桥读取的账号")
        }
        let bridge: FeedBridge
        if let name {
            guard let named = bridges.first(where: { $0.name == name }) else {
                return .unavailable(bridge: name, problem: "配置文件中没有名为 \(name) 的数据源（bridges.\(name)）")
            }
            bridge = named
        } else {
            guard let first = bridges.first(where: { $0.routes[account.platform] != nil }) else {
                return .unavailable(bridge: nil, problem: "配置文件中没有能读取\(account.platform.chineseName)的数据源（bridges: 下为该平台配置路由）")
            }
            bridge = first
        }
        guard let url = bridge.url(platform: account.platform, handle: handle) else {
            return .unavailable(bridge: bridge.name, problem: "数据源 \(bridge.name) 没有\(account.platform.chineseName)的路由（bridges.\(bridge.name).routes.\(account.platform.rawValue)）")
        }
        return .request(bridge: bridge.name, url: url, headers: bridge.headers)
    }
}
