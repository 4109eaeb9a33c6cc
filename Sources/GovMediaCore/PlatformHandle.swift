import Foundation

/// The platform's own id of an account (Weibo uid, Douyin sec_uid, Toutiao token, Kuaishou
/// principal id, Baijiahao app id, WeChat `__biz` or `gh_` id, Channels finder id): what
/// a feed bridge builds the account's feed from, and what the 台账 records anyway.
public enum PlatformHandle {
    /// Why `handle` does not fit the platform's format, or nil when it does.
    public static func problem(_ handle: String, platform: Platform) -> String? {
        let ok: Bool = switch platform {
        case .weibo: handle.wholeMatch(of: /[1-9][0-9]{4,10}/) != nil
        case .douyin, .toutiao: handle.wholeMatch(of: /MS4wLjABAAAA[A-Za-z0-9_\-]{20,120}/) != nil
        case .kuaishou: handle.wholeMatch(of: /[A-Za-z0-9_\-]{3,40}/) != nil
        case .baijiahao: handle.wholeMatch(of: /[0-9]{1,20}/) != nil
        case .wechat: isBiz(handle) || handle.wholeMatch(of: /gh_[0-9a-f]{12}/) != nil || handle.wholeMatch(of: /MP_WXS_[0-9]{5,10}/) != nil
        case .channels: handle.wholeMatch(of: /sph[A-Za-z0-9]{6,24}/) != nil
        case .website: false
        }
        guard !ok else { return nil }
        return platform == .website ? "网站栏目没有平台账号标识，应删除 handle" : "不符合\(platform.chineseName)账号标识的格式（\(format(platform))）：\(handle)"
    }

    /// The format officers are told about, per platform.
    public static func format(_ platform: Platform) -> String {
        switch platform {
        case .weibo: "微博 uid，5–11 位数字"
        case .douyin: "抖音 sec_uid，以 MS4wLjABAAAA 开头"
        case .toutiao: "头条号 token，以 MS4wLjABAAAA 开头"
        case .kuaishou: "快手 principal id，3–40 位字母、数字、- 或 _"
        case .baijiahao: "百家号 app_id，数字"
        case .wechat: "公众号 __biz（如 MzI1NjA0MDg2Mw==）、原始 ID（gh_ 加 12 位十六进制）或 MP_WXS_ 加数字"
        case .channels: "视频号 finder id，以 sph 开头"
        case .website: "无"
        }
    }

    /// A WeChat `__biz`: base64 of the account's decimal number.
    static func isBiz(_ s: String) -> Bool {
        guard s.wholeMatch(of: /M[zTjD][A-Za-z0-9+\/]{6,14}={0,2}/) != nil, let data = Data(base64Encoded: s) else { return false }
        return String(decoding: data, as: UTF8.self).wholeMatch(of: /[0-9]{5,10}/) != nil
    }

    /// The feed id WeChat bridges (we-mp-rss, wewe-rss) give an account: `MP_WXS_` and the
    /// decimal number inside its `__biz`; the handle itself when it already is one.
    public static func wechatFeedID(_ handle: String) -> String? {
        if handle.hasPrefix("MP_WXS_") { return handle }
        guard isBiz(handle), let data = Data(base64Encoded: handle) else { return nil }
        return "MP_WXS_" + String(decoding: data, as: UTF8.self)
    }
}
