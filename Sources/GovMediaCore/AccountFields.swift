import Foundation

/// The register's fields in one flat, ordered vocabulary (`source.item` and so on), shared
/// by the JSON file, `account change --set`, change events and the database, so that every
/// way in is validated by the same code.
public enum AccountField: String, CaseIterable, Sendable {
    case id, name, platform, owner
    case ownerKind = "owner_kind"
    case url
    case handle
    case registeredOn = "registered_on"
    case status
    case sourceKind = "source.kind"
    case sourceItem = "source.item"
    case sourceTitle = "source.title"
    case sourceLink = "source.link"
    case sourceDate = "source.date"
    case sourceBridge = "source.bridge"
    case responsible, notes
    case deregisteredOn = "deregistered_on"

    /// Fields an officer may set with `account change`: identity and lifecycle fields
    /// move only through their own commands, so their events say what happened.
    public static let changeable: [AccountField] = allCases.filter {
        ![.id, .status, .deregisteredOn].contains($0)
    }
}

extension Account {
    /// The account as flat `field → value` pairs; absent optional fields are left out.
    public var fields: [String: String] {
        var f: [String: String] = [
            "id": id, "name": name, "platform": platform.rawValue, "owner": owner,
            "owner_kind": ownerKind.rawValue, "url": url, "registered_on": registeredOn,
            "status": status.rawValue, "source.kind": source.kind,
        ]
        switch source {
        case .html(let p):
            f["source.item"] = p.item
            f["source.title"] = p.title
            f["source.link"] = p.link
            f["source.date"] = p.date
        case .bridge(let name):
            f["source.bridge"] = name
        case .feed:
            break
        }
        f["handle"] = handle
        f["responsible"] = responsible
        f["notes"] = notes
        f["deregistered_on"] = deregisteredOn
        return f
    }

    /// Builds and validates an account from flat fields.
    /// - Parameter xpathProblem: says why an XPath cannot be compiled, or nil when it can;
    ///   the domain has no XPath engine of its own, so the caller lends one.
    public init(
        fields f: [String: String], position: Int? = nil,
        xpathProblem: (String) -> String? = { _ in nil }
    ) throws(RegisterError) {
        let v = FieldValidator(fields: f, position: position)
        for key in f.keys where AccountField(rawValue: key) == nil {
            throw v.error(key, "未知字段")
        }
        let id = try v.identifier()
        let kind = try v.enumValue("source.kind", of: SourceKind.self)
        let source: AccountSource
        let platform = try v.enumValue("platform", of: Platform.self)
        let handle = try v.optionalText("handle", maxLength: 160)
        if let handle, let problem = PlatformHandle.problem(handle, platform: platform) { throw v.error("handle", problem) }
        if kind != .bridge, f["source.bridge"] != nil { throw v.error("source.bridge", "只有 source.kind 为 bridge 时才能指定数据源") }
        switch kind {
        case .feed, .bridge:
            for key in ["source.item", "source.title", "source.link", "source.date"] where f[key] != nil {
                throw v.error(key, "source.kind 为 \(kind.rawValue) 时不应有此字段")
            }
            if kind == .feed {
                source = .feed
            } else {
                guard platform != .website else { throw v.error("source.kind", "网站栏目没有平台账号，不能通过数据源桥读取；请用 feed 或 html") }
                guard handle != nil else { throw v.error("handle", "source.kind 为 bridge 时必须填写平台账号标识（\(PlatformHandle.format(platform))）") }
                let name = try v.optionalText("source.bridge", maxLength: 64)
                if let name, name.wholeMatch(of: /[A-Za-z0-9_\-]+/) == nil { throw v.error("source.bridge", "数据源名称只能由字母、数字、- 和 _ 组成：\(name)") }
                source = .bridge(name)
            }
        case .html:
            func xpath(_ key: String) throws(RegisterError) -> String {
                let expr = try v.text(key)
                if let problem = xpathProblem(expr) { throw v.error(key, "XPath 无法编译（\(problem)）：\(expr)") }
                return expr
            }
            source = .html(ListProfile(
                item: try xpath("source.item"), title: try xpath("source.title"),
                link: try xpath("source.link"), date: try xpath("source.date")))
        }
        let status = try v.enumValue("status", of: AccountStatus.self)
        let deregisteredOn = try v.optionalDate("deregistered_on")
        if deregisteredOn != nil && status != .deregistered {
            throw v.error("deregistered_on", "只有 status 为 deregistered 的账号才有注销日期")
        }
        self.init(
            id: id, name: try v.text("name"), platform: platform,
            owner: try v.text("owner"), ownerKind: try v.enumValue("owner_kind", of: OwnerKind.self),
            url: try v.httpURL("url"), registeredOn: try v.date("registered_on"), status: status,
            source: source, handle: handle, responsible: try v.optionalText("responsible"),
            notes: try v.optionalText("notes", maxLength: 2000), deregisteredOn: deregisteredOn)
    }
}

/// The ways to read an account: its feed, its list page, or through a feed bridge.
enum SourceKind: String, CaseIterable { case feed, html, bridge }

/// Checks one entry's fields, producing errors that name the entry and field.
private struct FieldValidator {
    let fields: [String: String]
    let position: Int?

    func error(_ field: String, _ problem: String) -> RegisterError {
        RegisterError(position: position, accountID: fields["id"], field: field, problem: problem)
    }

    func identifier() throws(RegisterError) -> String {
        let id = try text("id", maxLength: 64)
        let allowed = id.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)
        }
        guard allowed else { throw error("id", "只能由字母、数字和 - _ . 组成：\(id)") }
        return id
    }

    func text(_ key: String, maxLength: Int = 200) throws(RegisterError) -> String {
        guard let raw = fields[key] else { throw error(key, "缺少必填字段") }
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { throw error(key, "不能为空") }
        guard value.count <= maxLength else { throw error(key, "超过 \(maxLength) 个字符") }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw error(key, "含有控制字符")
        }
        return value
    }

    func optionalText(_ key: String, maxLength: Int = 200) throws(RegisterError) -> String? {
        guard let raw = fields[key], !raw.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        if key == "notes" {
            // Notes may span lines; only other control characters are refused.
            let bad = raw.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\n" }
            if bad { throw error(key, "含有控制字符") }
            guard raw.count <= maxLength else { throw error(key, "超过 \(maxLength) 个字符") }
            return raw.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return try text(key, maxLength: maxLength)
    }

    func enumValue<E: CaseIterable & RawRepresentable>(_ key: String, of: E.Type) throws(RegisterError) -> E
    where E.RawValue == String {
        let raw = try text(key)
        guard let value = E(rawValue: raw) else {
            throw error(key, "取值 \(raw) 无效，应为 \(E.allowedList)")
        }
        return value
    }

    func httpURL(_ key: String) throws(RegisterError) -> String {
        let raw = try text(key, maxLength: 2000)
        guard let c = URLComponents(string: raw), let scheme = c.scheme?.lowercased() else {
            throw error(key, "不是有效的网址：\(raw)")
        }
        guard scheme == "http" || scheme == "https" else {
            throw error(key, "只支持 http 和 https 网址，不支持 \(scheme)：\(raw)")
        }
        guard let host = c.host, !host.isEmpty else { throw error(key, "网址缺少主机名：\(raw)") }
        return raw
    }

    func date(_ key: String) throws(RegisterError) -> String {
        let raw = try text(key)
        guard CivilDate(iso: raw) != nil else { throw error(key, "日期应为 YYYY-MM-DD 格式的真实日期：\(raw)") }
        return raw
    }

    func optionalDate(_ key: String) throws(RegisterError) -> String? {
        guard fields[key] != nil else { return nil }
        return try date(key)
    }
}
