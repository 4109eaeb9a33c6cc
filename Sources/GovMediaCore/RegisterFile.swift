import Foundation

/// The register file, `{"accounts": [ … ]}` (see docs/register-format.md and
/// docs/accounts.schema.json): reading with errors that name entry and field, and writing
/// back in the same shape.
public enum RegisterFile {
    /// Reads and validates every entry; the first problem is thrown, so an import writes
    /// nothing unless the whole file is good.
    public static func decode(_ data: Data, xpathProblem: (String) -> String? = { _ in nil }) throws(RegisterError) -> [Account] {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw RegisterError(problem: "不是有效的 JSON（\(JSONLocation.describe(error, in: data))）")
        }
        guard let object = root as? [String: Any] else {
            throw RegisterError(problem: "顶层应为对象 {\"accounts\": [ … ]}")
        }
        for key in object.keys where key != "accounts" && key != "$schema" {
            throw RegisterError(field: key, problem: "未知的顶层字段")
        }
        guard let entries = object["accounts"] as? [Any] else {
            throw RegisterError(field: "accounts", problem: "缺少账号数组 accounts")
        }
        var seen: [String: Int] = [:]
        var accounts: [Account] = []
        for (index, entry) in entries.enumerated() {
            let position = index + 1
            let fields = try flatten(entry, position: position)
            let account = try Account(fields: fields, position: position, xpathProblem: xpathProblem)
            if let first = seen[account.id] {
                throw RegisterError(position: position, accountID: account.id, field: "id",
                                    problem: "与第 \(first) 条重复")
            }
            seen[account.id] = position
            accounts.append(account)
        }
        return accounts
    }

    /// The file text for a register: the documented key order, two-space indent, a final
    /// newline. Written by hand because JSONEncoder on Linux does not keep key order, and
    /// an exported register should read like the file an officer wrote.
    public static func encode(_ accounts: [Account]) -> Data {
        let entries = accounts.map { account -> String in
            let f = account.fields
            var lines: [String] = []
            for key in ["id", "name", "platform", "owner", "owner_kind", "url", "handle", "registered_on", "status"] where key != "handle" || f[key] != nil {
                lines.append("      \(quote(key)): \(quote(f[key] ?? ""))")
            }
            let sourceKeys = ["kind", "bridge", "items", "item", "title", "link", "date", "link_base", "html", "request"]
                .filter { f["source.\($0)"] != nil }
            // Nested objects are written as the canonical JSON they are kept as.
            let source = sourceKeys.map { key in
                "        \(quote(key)): " + (key == "html" || key == "request" ? f["source.\(key)"]! : quote(f["source.\(key)"]!))
            }
            lines.append("      \"source\": {\n" + source.joined(separator: ",\n") + "\n      }")
            for key in ["responsible", "contact_email", "notes", "deregistered_on"] {
                if let value = f[key] { lines.append("      \(quote(key)): \(quote(value))") }
            }
            return "    {\n" + lines.joined(separator: ",\n") + "\n    }"
        }
        let body = entries.isEmpty ? "[]" : "[\n" + entries.joined(separator: ",\n") + "\n  ]"
        return Data("{\n  \"accounts\": \(body)\n}\n".utf8)
    }

    /// A JSON string literal, escaped by JSONEncoder (which never fails on a String).
    static func quote(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
    }

    /// Turns one JSON entry into flat fields, refusing wrong types by name.
    static func flatten(_ entry: Any, position: Int) throws(RegisterError) -> [String: String] {
        guard let object = entry as? [String: Any] else {
            throw RegisterError(position: position, problem: "应为对象，实际是\(typeName(entry))")
        }
        let id = object["id"] as? String
        var flat: [String: String] = [:]
        for (key, value) in object {
            if value is NSNull { continue }
            if key == "source" {
                guard let source = value as? [String: Any] else {
                    throw RegisterError(position: position, accountID: id, field: key, problem: "应为对象，实际是\(typeName(value))")
                }
                for (sub, subValue) in source where !(subValue is NSNull) {
                    // `html` and `request` are objects: kept as canonical JSON text, read strictly later.
                    if sub == "html" || sub == "request", subValue is [String: Any] {
                        flat["source.\(sub)"] = NestedSourceField.canonical(subValue)
                        continue
                    }
                    flat["source.\(sub)"] = try string(subValue, field: "source.\(sub)", position: position, id: id)
                }
            } else {
                flat[key] = try string(value, field: key, position: position, id: id)
            }
        }
        if object["source"] == nil { flat["source.kind"] = nil }
        return flat
    }

    private static func string(_ value: Any, field: String, position: Int, id: String?) throws(RegisterError) -> String {
        guard let s = value as? String else {
            throw RegisterError(position: position, accountID: id, field: field, problem: "应为字符串，实际是\(typeName(value))")
        }
        return s
    }

    static func typeName(_ value: Any) -> String {
        switch value {
        case is String: "字符串"
        case is [Any]: "数组"
        case is [String: Any]: "对象"
        case is NSNumber: "数字或布尔值"
        default: "null"
        }
    }
}

/// An account in the register file's JSON shape (also what `--json` prints).
public struct AccountJSON: Codable, Equatable, Sendable {
    public struct Source: Codable, Equatable, Sendable {
        public var kind: String
        public var bridge: String?
        public var items: String?
        public var item, title, link, date: String?
        public var link_base: String?
        public var html: [String: String]?
    }

    /// How the list is requested, when not a plain GET.
    public struct Request: Codable, Equatable, Sendable {
        public var method: String
        public var form: [String: String]?
        public var json: String?
        public var headers: [String: String]?
        public var pages: Int?
        public var page_size: Int?
    }

    public var id, name, platform: String
    public var platform_name: String?
    public var owner, owner_kind, url, registered_on, status: String
    public var handle: String?
    public var source: Source
    public var request: Request?
    public var responsible, contact_email, notes, deregistered_on: String?

    public init(_ a: Account, withPlatformName: Bool = false) {
        id = a.id
        name = a.name
        platform = a.platform.rawValue
        platform_name = withPlatformName ? a.platform.chineseName : nil
        owner = a.owner
        owner_kind = a.ownerKind.rawValue
        url = a.url.text
        registered_on = a.registeredOn.description
        status = a.status.rawValue
        switch a.source {
        case .feed: source = Source(kind: "feed")
        case .html(let p): source = Source(kind: "html", item: p.item, title: p.title, link: p.link, date: p.date)
        case .bridge(let name): source = Source(kind: "bridge", bridge: name)
        case .json(let p):
            source = Source(kind: "json", items: p.items, title: p.title, link: p.link, date: p.date, link_base: p.linkBase,
                            html: p.html.map(NestedSourceField.fields))
        case .xml(let p):
            source = Source(kind: "xml", item: p.item, title: p.title, link: p.link, date: p.date, link_base: p.linkBase,
                            html: p.html.map(NestedSourceField.fields))
        }
        request = a.request.map {
            Request(method: $0.method.rawValue, form: $0.form, json: $0.json, headers: $0.headers.isEmpty ? nil : $0.headers,
                    pages: $0.pages == 1 ? nil : $0.pages, page_size: $0.pages == 1 ? nil : $0.pageSize)
        }
        handle = a.handle
        responsible = a.responsible
        contact_email = a.contactEmail
        notes = a.notes
        deregistered_on = a.deregisteredOn?.description
    }
}

/// Finds the line and column of a JSON syntax error, which Foundation reports only as a
/// byte offset (or not at all on some platforms).
enum JSONLocation {
    static func describe(_ error: any Error, in data: Data) -> String {
        let ns = error as NSError
        let detail = (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
        // Darwin puts the offset in userInfo; Linux only says "around character N".
        let offset = (ns.userInfo["NSJSONSerializationErrorIndex"] as? Int) ?? characterOffset(in: detail)
        if let offset {
            let (line, column) = lineColumn(offset, in: data)
            return "第 \(line) 行第 \(column) 列：\(detail)"
        }
        return detail
    }

    static func characterOffset(in message: String) -> Int? {
        guard let range = message.range(of: "character ") else { return nil }
        return Int(message[range.upperBound...].prefix { $0.isNumber })
    }

    static func lineColumn(_ offset: Int, in data: Data) -> (Int, Int) {
        var line = 1
        var column = 1
        for byte in data.prefix(offset) {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }
}
