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
    case sourceItems = "source.items"
    case sourceLinkBase = "source.link_base"
    case sourceHTML = "source.html"
    case sourceRequest = "source.request"
    case responsible
    case contactEmail = "contact_email"
    case notes
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
            "owner_kind": ownerKind.rawValue, "url": url.text, "registered_on": registeredOn.description,
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
        case .json(let p):
            f["source.items"] = p.items
            f.merge(Self.listFields(title: p.title, link: p.link, date: p.date, linkBase: p.linkBase, html: p.html)) { $1 }
        case .xml(let p):
            f["source.item"] = p.item
            f.merge(Self.listFields(title: p.title, link: p.link, date: p.date, linkBase: p.linkBase, html: p.html)) { $1 }
        case .feed:
            break
        }
        f["source.request"] = request.map(NestedSourceField.text)
        f["handle"] = handle
        f["responsible"] = responsible
        f["contact_email"] = contactEmail
        f["notes"] = notes
        f["deregistered_on"] = deregisteredOn?.description
        return f
    }

    /// The fields a JSON or XML list shares; an empty title or link path (taken from the
    /// HTML step instead) is left out.
    private static func listFields(title: String, link: String, date: String?, linkBase: String?, html: HTMLStep?) -> [String: String] {
        var f: [String: String] = [:]
        f["source.title"] = title.isEmpty ? nil : title
        f["source.link"] = link.isEmpty ? nil : link
        f["source.date"] = date
        f["source.link_base"] = linkBase
        f["source.html"] = html.map(NestedSourceField.text)
        return f
    }

    /// The register file's `source` object for a source (and request): what `probe` prints
    /// for an officer to paste, built from the same flat fields the file is read into.
    public static func sourceObject(_ source: AccountSource, request: SourceRequest? = nil) -> [String: Any] {
        var probe = Account(id: "x", name: "x", platform: .website, owner: "x", ownerKind: .department, url: "https://x.invalid/",
                            registeredOn: "2024-01-01", source: source)
        probe.request = request
        var o: [String: Any] = [:]
        for (key, value) in probe.fields where key.hasPrefix("source.") {
            let name = String(key.dropFirst("source.".count))
            o[name] = name == "html" || name == "request" ? (try? JSONSerialization.jsonObject(with: Data(value.utf8))) ?? value : value
        }
        return o
    }

    /// Builds and validates an account from flat fields.
    /// - Parameter xpathProblem: says why an XPath cannot be compiled, or nil when it can;
    ///   the domain has no XPath engine of its own, so the caller lends one.
    /// - Parameter stored: the fields are a database row: addresses are read as
    ///   ``WebAddress/init(stored:)`` reads them, so a row an earlier release accepted loads.
    public init(
        fields f: [String: String], position: Int? = nil, stored: Bool = false,
        xpathProblem: (String) -> String? = { _ in nil }
    ) throws(RegisterError) {
        let v = FieldValidator(fields: f, position: position, stored: stored)
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
        // Which source fields each kind takes; any other is refused, naming it.
        let takes: Set<String> = switch kind {
        case .feed: ["source.request"]
        case .bridge: []
        case .html: ["source.item", "source.title", "source.link", "source.date", "source.request"]
        case .json: ["source.items", "source.title", "source.link", "source.date", "source.link_base", "source.html", "source.request"]
        case .xml: ["source.item", "source.title", "source.link", "source.date", "source.link_base", "source.html", "source.request"]
        }
        for key in ["source.item", "source.title", "source.link", "source.date", "source.items", "source.link_base", "source.html", "source.request"]
        where f[key] != nil && !takes.contains(key) {
            throw v.error(key, "source.kind 为 \(kind.rawValue) 时不应有此字段")
        }
        func nested<T>(_ key: String, _ read: (String) throws(RegisterError) -> T) throws(RegisterError) -> T? {
            guard let text = f[key] else { return nil }
            do { return try read(text) } catch { throw v.error(error.field ?? key, error.problem) }
        }
        let request = try nested("source.request", NestedSourceField.request)
        let htmlStep = try nested("source.html", NestedSourceField.htmlStep)
        func xpath(_ key: String) throws(RegisterError) -> String {
            let expr = try v.text(key, maxLength: 500)
            if let problem = xpathProblem(expr) { throw v.error(key, "XPath 无法编译（\(problem)）：\(expr)") }
            return expr
        }
        if let htmlStep {
            for (key, expr) in [("item", htmlStep.item), ("title", htmlStep.title), ("link", htmlStep.link), ("date", htmlStep.date ?? "")] where !expr.isEmpty {
                if let problem = xpathProblem(expr) { throw v.error("source.html.\(key)", "XPath 无法编译（\(problem)）：\(expr)") }
            }
        }
        switch kind {
        case .json:
            let linkBase = try f["source.link_base"] == nil ? nil : v.httpURL("source.link_base").text
            // With an HTML step the fields come from the HTML; without, title and link are required paths.
            let title = htmlStep == nil ? try v.text("source.title", maxLength: 500) : (try v.optionalText("source.title", maxLength: 500) ?? "")
            let link = htmlStep == nil ? try v.text("source.link", maxLength: 500) : (try v.optionalText("source.link", maxLength: 500) ?? "")
            source = .json(JSONListProfile(items: f["source.items"] ?? "", title: title, link: link,
                                           date: try v.optionalText("source.date", maxLength: 500), linkBase: linkBase, html: htmlStep))
        case .xml:
            let linkBase = try f["source.link_base"] == nil ? nil : v.httpURL("source.link_base").text
            func optionalXPath(_ key: String) throws(RegisterError) -> String? { f[key] == nil ? nil : try xpath(key) }
            let title = htmlStep == nil ? try xpath("source.title") : (try optionalXPath("source.title") ?? "")
            let link = htmlStep == nil ? try xpath("source.link") : (try optionalXPath("source.link") ?? "")
            source = .xml(XMLRecordsProfile(item: try xpath("source.item"), title: title, link: link,
                                            date: try optionalXPath("source.date"), linkBase: linkBase, html: htmlStep))
        case .feed, .bridge:
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
            url: try v.fetchURL("url"), registeredOn: try v.date("registered_on"), status: status,
            source: source, handle: handle, request: request, responsible: try v.optionalText("responsible"),
            contactEmail: try v.optionalEmails("contact_email"), notes: try v.optionalText("notes", maxLength: 2000), deregisteredOn: deregisteredOn)
    }
}

/// The ways to read an account: its feed, its list page, or through a feed bridge.
enum SourceKind: String, CaseIterable { case feed, html, bridge, json, xml }

/// Checks one entry's fields, producing errors that name the entry and field.
private struct FieldValidator {
    let fields: [String: String]
    let position: Int?
    let stored: Bool

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

    func httpURL(_ key: String) throws(RegisterError) -> WebAddress {
        let raw = try text(key, maxLength: stored ? Int.max : 2000)
        do { return try stored ? WebAddress(stored: raw) : WebAddress(raw) } catch { throw self.error(key, error.description) }
    }

    /// The address the monitor fetches: an `http`/`https` URL whose only `{name}`s are the
    /// paging placeholders ({page}, {page_suffix}, {start}, {end}), filled before fetching.
    func fetchURL(_ key: String) throws(RegisterError) -> WebAddress {
        let address = try httpURL(key)
        guard !stored else { return address }
        do { try NestedSourceField.placeholderCheck(address.text, field: key) } catch { throw self.error(key, error.problem) }
        return address
    }

    /// One to five mail addresses separated by `,`, `;`, `，`, `；` or spaces, kept as
    /// `a@x.cn, b@x.cn`: where the owner unit's rectification notices go.
    func optionalEmails(_ key: String) throws(RegisterError) -> String? {
        guard let raw = try optionalText(key, maxLength: 500) else { return nil }
        let parts = raw.split { ",;，； \t".contains($0) }.map(String.init)
        guard !parts.isEmpty else { return nil }
        guard parts.count <= 5 else { throw error(key, "最多填写 5 个邮件地址，现有 \(parts.count) 个") }
        for part in parts where !ContactEmail.isValid(part) {
            throw error(key, "不是有效的邮件地址：\(part)（应形如 zwgk@jingyue.gov.cn）")
        }
        return parts.joined(separator: ", ")
    }

    func date(_ key: String) throws(RegisterError) -> CivilDate {
        let raw = try text(key)
        guard let day = CivilDate(iso: raw) else { throw error(key, "日期应为 YYYY-MM-DD 格式的真实日期：\(raw)") }
        return day
    }

    func optionalDate(_ key: String) throws(RegisterError) -> CivilDate? {
        guard fields[key] != nil else { return nil }
        return try date(key)
    }
}

/// The register's contact addresses (`contact_email`): plain `local@domain` only, so that
/// nothing an officer types can reach a mail header as anything but an address.
public enum ContactEmail {
    /// `local@domain.tld`, ASCII letters, digits and `.-_+` only.
    public static func isValid(_ address: String) -> Bool {
        address.wholeMatch(of: /[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+/) != nil && address.count <= 254
    }

    /// The addresses of a `contact_email` value.
    public static func split(_ value: String?) -> [String] {
        (value ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
