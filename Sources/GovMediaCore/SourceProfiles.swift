import Foundation

/// How to read a list served as JSON, JSONP or JavaScript by a government CMS.
///
/// The body is unwrapped first (see ``ScriptBody``): plain JSON, JSONP `name({...})` /
/// `name({...});`, `var x = {...};`, `let`/`const`, `window.x = {...}`, `x = {...}` and
/// `export default …`. A JS string or template literal (`export default \`<ul>…</ul>\``)
/// gives a string: the HTML ``html`` step reads it.
///
/// - `items`: a ``JSONPath`` to the list (`custom.data`, `data.list[*]`, `result.rows`;
///   empty or `$` for the root). A selected array stands for its elements. When the value
///   there is a string, it is HTML and ``html`` reads it.
/// - `title`, `link`, `date`: ``JSONPath``s relative to one item (`title`, `infourl`,
///   `attrs.pubDate`). `date` may be nil (the list prints none). A string date is read the
///   way every other date is (`TextDate`); a number is epoch seconds, or milliseconds
///   when it is over 10^11 (told apart by size: 10^11 seconds is the year 5138).
/// - `linkBase`: what relative links resolve against (itself resolved against the page's
///   final URL); nil: the page's final URL.
/// - `html`: the HTML step, for HTML inside the JSON (see ``HTMLStep``).
public struct JSONListProfile: Sendable, Equatable, Hashable, Codable {
    public var items: String
    public var title: String
    public var link: String
    public var date: String?
    public var linkBase: String?
    public var html: HTMLStep?

    public init(items: String, title: String = "", link: String = "", date: String? = nil,
                linkBase: String? = nil, html: HTMLStep? = nil) {
        self.items = items
        self.title = title
        self.link = link
        self.date = date
        self.linkBase = linkBase
        self.html = html
    }
}

/// How to read a CMS's XML records (Hanweb JCMS `dataproxy.jsp`:
/// `<datastore><recordset><record><![CDATA[<li>…</li>]]></record>…</recordset></datastore>`).
///
/// The XML is parsed by libxml2 with the network off and no entity expansion (any DOCTYPE is
/// blanked first, as for feeds). `item` is an XPath picking each record; `title`, `link`
/// and `date` are XPaths relative to a record (string values; `date` may be nil). With
/// ``html``, each record's text is an HTML fragment (usually in CDATA) read with the step,
/// and `title`, `link`, `date` are not used (leave them empty).
public struct XMLRecordsProfile: Sendable, Equatable, Hashable, Codable {
    public var item: String
    public var title: String
    public var link: String
    public var date: String?
    public var linkBase: String?
    public var html: HTMLStep?

    public init(item: String, title: String = "", link: String = "", date: String? = nil,
                linkBase: String? = nil, html: HTMLStep? = nil) {
        self.item = item
        self.title = title
        self.link = link
        self.date = date
        self.linkBase = linkBase
        self.html = html
    }
}

/// Reading HTML that arrives inside JSON or XML: `item` picks each post in the fragment
/// (`//li`), and `title`, `link`, `date` are XPaths relative to it, as for an HTML list
/// page (`a/@title`, `a/@href`, `span`).
///
/// Where the HTML is:
/// - XML records: each record's text;
/// - JSON, `field` nil: the string at the profile's `items` path (`data.html`, or the whole
///   body for `export default \`…\``);
/// - JSON, `field` set: a ``JSONPath`` relative to each item naming its HTML string; each
///   item's HTML is read on its own.
public struct HTMLStep: Sendable, Equatable, Hashable, Codable {
    public var item: String
    public var title: String
    public var link: String
    public var date: String?
    public var field: String?

    public init(item: String, title: String, link: String, date: String? = nil, field: String? = nil) {
        self.item = item
        self.title = title
        self.link = link
        self.date = date
        self.field = field
    }
}

/// How an account's list is requested: the method, a form or JSON body, headers a CMS
/// wants (Referer, X-Requested-With …), and paging. `{page}` (1, 2, …), `{start}` and
/// `{end}` (1-based record numbers: 1 and K, then K+1 and 2K …) and `{page_suffix}` (empty,
/// then `_1`, `_2` …: TRS WCM's `index.html`, `index_1.html` …) are filled in the URL, the
/// form values, the header values and the JSON body.
public struct SourceRequest: Equatable, Hashable, Sendable {
    public enum Method: String, Sendable, CaseIterable { case get = "GET", post = "POST" }

    public var method: Method
    public var form: [String: String]?
    /// JSON body text (with placeholders).
    public var json: String?
    public var headers: [String: String]
    public var pages: Int
    public var pageSize: Int

    public init(method: Method = .get, form: [String: String]? = nil, json: String? = nil, headers: [String: String] = [:],
                pages: Int = 1, pageSize: Int = 15) {
        self.method = method
        self.form = form
        self.json = json
        self.headers = headers
        self.pages = pages
        self.pageSize = pageSize
    }

    /// The placeholders ``fill(_:page:)`` knows; any other `{name}` in a URL, form, header
    /// or JSON body is refused at import, so a misspelt one is not sent to the site as written.
    public static let placeholders: Set<String> = ["{page}", "{start}", "{end}", "{page_suffix}"]

    /// `text` with the placeholders of page `page` (1-based) filled in.
    public func fill(_ text: String, page: Int) -> String {
        // TRS WCM names page 1 `index.html` and page n `index_{n-1}.html` (its createPageHTML).
        text.replacingOccurrences(of: "{page}", with: String(page))
            .replacingOccurrences(of: "{page_suffix}", with: page == 1 ? "" : "_\(page - 1)")
            .replacingOccurrences(of: "{start}", with: String((page - 1) * pageSize + 1))
            .replacingOccurrences(of: "{end}", with: String(page * pageSize))
    }

    /// The first `{name}` in `text` that is not one of ``placeholders``, or nil.
    public static func unknownPlaceholder(in text: String) -> String? {
        text.matches(of: /\{[A-Za-z_][A-Za-z0-9_]*\}/).map { String($0.output) }.first { !placeholders.contains($0) }
    }

    /// The body of page `page`: the form, URL-encoded, or the JSON text.
    public func body(page: Int) -> (bytes: [UInt8], contentType: String)? {
        if let json { return (Array(fill(json, page: page).utf8), "application/json; charset=utf-8") }
        guard let form else { return nil }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let pairs = form.keys.sorted().map { key in
            "\(key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key)="
                + "\(fill(form[key]!, page: page).addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }
        return (Array(pairs.joined(separator: "&").utf8), "application/x-www-form-urlencoded; charset=utf-8")
    }
}

/// Reading the register's nested source objects (`source.html`, `source.request`), kept as
/// canonical JSON text in the flat field vocabulary: unknown keys and wrong types are
/// refused naming the key.
enum NestedSourceField {
    static func object(_ text: String, field: String, allowed: Set<String>) throws(RegisterError) -> [String: Any] {
        guard let data = text.data(using: .utf8), let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw RegisterError(field: field, problem: "应为对象")
        }
        for key in object.keys where !allowed.contains(key) {
            throw RegisterError(field: "\(field).\(key)", problem: "未知字段（可用：\(allowed.sorted().joined(separator: ", "))）")
        }
        return object
    }

    static func string(_ o: [String: Any], _ key: String, field: String, required: Bool = true) throws(RegisterError) -> String? {
        guard let value = o[key], !(value is NSNull) else {
            if required { throw RegisterError(field: "\(field).\(key)", problem: "缺少必填字段") }
            return nil
        }
        guard let s = value as? String, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RegisterError(field: "\(field).\(key)", problem: "应为非空字符串")
        }
        return s
    }

    static func htmlStep(_ text: String) throws(RegisterError) -> HTMLStep {
        let f = "source.html"
        let o = try object(text, field: f, allowed: ["item", "title", "link", "date", "field"])
        return HTMLStep(item: try string(o, "item", field: f)!, title: try string(o, "title", field: f)!,
                        link: try string(o, "link", field: f)!, date: try string(o, "date", field: f, required: false),
                        field: try string(o, "field", field: f, required: false))
    }

    static func request(_ text: String) throws(RegisterError) -> SourceRequest {
        let f = "source.request"
        let o = try object(text, field: f, allowed: ["method", "form", "json", "headers", "pages", "page_size"])
        var r = SourceRequest()
        if let m = try string(o, "method", field: f, required: false) {
            guard let method = SourceRequest.Method(rawValue: m.uppercased()) else { throw RegisterError(field: "\(f).method", problem: "应为 GET 或 POST：\(m)") }
            r.method = method
        }
        func map(_ key: String) throws(RegisterError) -> [String: String]? {
            guard let value = o[key] else { return nil }
            guard let m = value as? [String: Any] else { throw RegisterError(field: "\(f).\(key)", problem: "应为对象（名称 → 字符串）") }
            var out: [String: String] = [:]
            for (k, v) in m {
                guard let s = (v as? String) ?? (v as? NSNumber).map({ "\($0)" }), !(v is Bool) else {
                    throw RegisterError(field: "\(f).\(key).\(k)", problem: "应为字符串")
                }
                guard !s.contains(where: \.isNewline), !k.contains(where: \.isNewline) else {
                    throw RegisterError(field: "\(f).\(key).\(k)", problem: "不能含换行")
                }
                try placeholderCheck(s, field: "\(f).\(key).\(k)")
                out[k] = s
            }
            return out
        }
        r.form = try map("form")
        r.headers = try map("headers") ?? [:]
        for name in r.headers.keys where name.wholeMatch(of: /[A-Za-z0-9\-]+/) == nil {
            throw RegisterError(field: "\(f).headers.\(name)", problem: "不是有效的 HTTP 头名称")
        }
        if let json = o["json"] {
            guard json is [String: Any], let data = try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]) else {
                throw RegisterError(field: "\(f).json", problem: "应为 JSON 对象")
            }
            r.json = String(decoding: data, as: UTF8.self)
            try placeholderCheck(r.json!, field: "\(f).json")
        }
        if r.form != nil && r.json != nil { throw RegisterError(field: "\(f).json", problem: "form 与 json 只能选一个") }
        if (r.form != nil || r.json != nil) && r.method == .get { throw RegisterError(field: "\(f).method", problem: "有请求体（form 或 json）时 method 应为 POST") }
        func int(_ key: String, _ range: ClosedRange<Int>) throws(RegisterError) -> Int? {
            guard let value = o[key] else { return nil }
            guard let n = value as? Int, !(value is Bool), range.contains(n) else {
                throw RegisterError(field: "\(f).\(key)", problem: "应为 \(range.lowerBound)…\(range.upperBound) 之间的整数")
            }
            return n
        }
        r.pages = try int("pages", 1...20) ?? 1
        r.pageSize = try int("page_size", 1...500) ?? 15
        return r
    }

    /// Refuses a `{name}` that ``SourceRequest/fill(_:page:)`` would leave as written.
    static func placeholderCheck(_ text: String, field: String) throws(RegisterError) {
        guard let unknown = SourceRequest.unknownPlaceholder(in: text) else { return }
        throw RegisterError(field: field, problem: "未知的占位符 \(unknown)（可用：\(SourceRequest.placeholders.sorted().joined(separator: "、"))）")
    }

    /// Canonical JSON text of a request, as stored and compared.
    static func text(_ r: SourceRequest) -> String {
        var o: [String: Any] = ["method": r.method.rawValue]
        if let form = r.form { o["form"] = form }
        if let json = r.json, let value = try? JSONSerialization.jsonObject(with: Data(json.utf8)) { o["json"] = value }
        if !r.headers.isEmpty { o["headers"] = r.headers }
        if r.pages != 1 { o["pages"] = r.pages }
        // {start}/{end} depend on the page size even when one page is read.
        if r.pages != 1 || r.pageSize != SourceRequest().pageSize { o["page_size"] = r.pageSize }
        return canonical(o)
    }

    static func text(_ h: HTMLStep) -> String { canonical(fields(h)) }

    /// The step as the register file's `--json` shows it.
    static func fields(_ h: HTMLStep) -> [String: String] {
        var o = ["item": h.item, "title": h.title, "link": h.link]
        o["date"] = h.date
        o["field"] = h.field
        return o
    }

    static func canonical(_ o: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
