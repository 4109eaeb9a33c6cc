/// A platform a government account publishes on. Raw values are the register's codes;
/// officers see `chineseName`.
public enum Platform: String, CaseIterable, Codable, Sendable {
    case wechat, weibo, douyin, toutiao, kuaishou, channels, baijiahao, website

    /// The name officers use for the platform.
    public var chineseName: String {
        switch self {
        case .wechat: "微信公众号"
        case .weibo: "微博"
        case .douyin: "抖音"
        case .toutiao: "头条号"
        case .kuaishou: "快手"
        case .channels: "视频号"
        case .baijiahao: "百家号"
        case .website: "网站栏目"
        }
    }
}

/// The kind of unit that owns an account (主办单位).
public enum OwnerKind: String, CaseIterable, Codable, Sendable {
    case department, town, subdistrict

    /// The Chinese name of the kind of unit.
    public var chineseName: String {
        switch self {
        case .department: "区直部门"
        case .town: "镇"
        case .subdistrict: "街道"
        }
    }
}

/// Where an account stands in its lifecycle (开设 / 关停 / 注销).
public enum AccountStatus: String, CaseIterable, Codable, Sendable {
    /// Open and monitored.
    case active
    /// Closure announced (拟关停): still monitored until deregistered.
    case closing
    /// Deregistered (注销): no longer judged, only watched for publishing after the fact.
    case deregistered

    /// The Chinese name of the status.
    public var chineseName: String {
        switch self {
        case .active: "正常"
        case .closing: "拟关停"
        case .deregistered: "已注销"
        }
    }
}

extension CaseIterable where Self: RawRepresentable, RawValue == String {
    /// The raw values joined with `|`, for messages that list what is allowed.
    public static var allowedList: String { allCases.map(\.rawValue).joined(separator: "|") }
}
