import Foundation
import GovMediaCore

/// Reads a CMS's JSON list (see ``JSONListProfile``): the body is unwrapped from JSONP or JS
/// (``ScriptBody``), parsed by Foundation (or, when it is a JS literal but not strict JSON,
/// by ``JSLiteral``), and read through ``JSONPath``s. HTML inside the
/// JSON goes to the same HTML list reading as list pages (``HTMLListReader``).
enum JSONListReader {
    /// The parsed body: a JSON value, or the text of a JS string literal; and its wrapper.
    static func parse(_ utf8: [UInt8]) throws(ParseError) -> (value: Any, wrapper: String?) {
        let (value, wrapper) = try ScriptBody.unwrap(utf8)
        switch value {
        case .string(let text):
            return (text, wrapper)
        case .json(let slice):
            if let parsed = try? JSONSerialization.jsonObject(with: Data(slice), options: [.fragmentsAllowed]) {
                return (parsed, wrapper)
            }
            // Not strict JSON: JS data files write bare keys, single quotes, trailing commas and
            // comments. The JS reader accepts all JSON too, so when it fails as well its error
            // (the byte where it stopped, and why) is the one to report.
            return (try JSLiteral.parse(slice), wrapper)
        }
    }

    static func read(_ utf8: [UInt8], profile: JSONListProfile, context: ReadContext) throws(ParseError) -> ParsedDocument {
        let root = try parse(utf8).value
        return try read(root: root, profile: profile, context: context)
    }

    /// Compiles a register path, or the parse error naming it.
    static func path(_ text: String, _ label: String) throws(ParseError) -> JSONPath {
        do {
            return try JSONPath(text)
        } catch {
            throw ParseError("\(label)：\(error.description)")
        }
    }

    static func read(root: Any, profile: JSONListProfile, context: ReadContext) throws(ParseError) -> ParsedDocument {
        let itemsPath = try path(profile.items, "条目路径")
        let titlePath = try path(profile.title, "标题路径")
        let linkPath = try path(profile.link, "链接路径")
        var datePath: JSONPath?
        if let d = profile.date, !d.trimmingWhitespace().isEmpty { datePath = try path(d, "日期路径") }
        var fieldPath: JSONPath?
        if let f = profile.html?.field { fieldPath = try path(f, "HTML 字段路径") }
        let linkBase = profile.linkBase.flatMap { LinkResolver.resolve($0, base: context.baseURL) } ?? context.baseURL

        var values: [Any] = []
        for v in itemsPath.select(in: root) {
            if let array = v as? [Any] { values += array } else { values.append(v) }
        }
        var reading = ListReading()
        var skipped = 0
        if let step = profile.html, values.contains(where: { $0 is String }) || fieldPath != nil {
            // HTML inside the JSON: the string(s) at `items`, or each item's `html.field`.
            let xpaths = ListXPaths(step)
            var fragments = 0
            for v in values {
                let html: String?
                if let fieldPath { html = text(fieldPath.first(in: v)) } else { html = v as? String }
                guard let html, !html.isEmpty else { skipped += 1; continue }
                fragments += 1
                var part = try HTMLListReader.readFragment(html, xpaths: xpaths, linkBase: linkBase, context)
                if reading.items.count + part.items.count > DocumentReader.maxItems {
                    part.items = Array(part.items.prefix(DocumentReader.maxItems - reading.items.count))
                }
                reading.add(part)
            }
            var notes = reading.notes(item: step.item, title: step.title, date: step.date, expression: .htmlStepXPath)
            if values.isEmpty { notes = [.itemPathMatchedNothing(path: "\(profile.items)")] }
            else if fragments == 0, let field = step.field { notes = [.htmlFieldEmpty(path: "\(field)")] }
            if skipped > 0, fragments > 0 { notes.append(.itemsWithoutHTML(count: skipped)) }
            return ParsedDocument(kind: .jsonList, items: reading.items, charset: "UTF-8", problems: notes)
        }
        reading.matched = values.count
        for v in values {
            if reading.items.count == DocumentReader.maxItems { break }
            guard v is [String: Any] || v is [Any] else { skipped += 1; continue }
            let post = item(v, title: titlePath, link: linkPath, date: datePath, linkBase: linkBase, context)
            if post.link == nil { reading.linkless += 1 }
            if post.title.isEmpty { reading.untitled += 1 }
            if post.dateText == nil { reading.undated += 1 }
            reading.items.append(post)
        }
        var notes = reading.notes(item: profile.items, title: profile.title, date: profile.date,
                                  expression: .jsonPath)
        if values.count == 1, values.first is String {
            notes.append(.itemPathIsText)
        } else if skipped > 0 {
            notes.append(.nonObjectItems(count: skipped))
        }
        return ParsedDocument(kind: .jsonList, items: reading.items, charset: "UTF-8", problems: notes)
    }

    /// One item as a post.
    static func item(_ v: Any, title: JSONPath, link: JSONPath, date: JSONPath?, linkBase: String,
                     _ context: ReadContext) -> ListedPost {
        let titleText = Markup.title(text(title.first(in: v)) ?? "")
        let linkText = text(link.first(in: v)) ?? ""
        let resolved = ListLink.resolve(linkText, scripts: { [] }, base: linkBase)
        let raw = date.flatMap { $0.first(in: v) }
        let (dateText, publishedAt) = dateValue(raw, context)
        return ListedPost(title: titleText, link: resolved, dateText: dateText, publishedAt: publishedAt)
    }

    /// A string or number member as trimmed text; nil for anything else.
    static func text(_ v: Any?) -> String? {
        switch v {
        case let s as String: return s.trimmingWhitespace()
        case let n as NSNumber where !isBoolean(n): return n.stringValue
        default: return nil
        }
    }

    /// The date of a JSON value: text as every date is read, a number (or a string of 10 or
    /// 13 digits) as epoch seconds, or milliseconds when over 10^11; eight digits (`20261128`)
    /// as a day. The text kept is the value as printed.
    static func dateValue(_ v: Any?, _ context: ReadContext) -> (String?, Date?) {
        switch v {
        case let n as NSNumber where !isBoolean(n):
            // 20261128 as a number is no epoch time (it would be 1970): eight digits are a day.
            return (n.stringValue, epoch(n.doubleValue) ?? ReadContext.compactDate(n.stringValue))
        case let s as String:
            let t = s.trimmingWhitespace()
            guard !t.isEmpty else { return (nil, nil) }
            if (t.count == 10 || t.count == 13), t.allSatisfy({ $0.isASCII && $0.isNumber }), let d = Double(t) {
                return (t, epoch(d))
            }
            return (t, context.date(t))
        default:
            return (nil, nil)
        }
    }

    /// Epoch seconds, or milliseconds when over 10^11; nil outside 1990–2100 (an id, not a time).
    static func epoch(_ value: Double) -> Date? {
        let seconds = value > 1e11 ? value / 1000 : value
        guard seconds >= 631_152_000, seconds < 4_102_444_800 else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }
}
