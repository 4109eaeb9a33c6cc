import CLibXML2
import Foundation
import GovMediaCore

/// RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 1.0, told apart by the root element.
///
/// Broken feeds are read the way libxml2's recovery leaves them. An unclosed tag inside an
/// item (`<description><p>正文</item>`) makes libxml2 nest every later item inside the
/// earlier one, so items are looked for at any depth, and an item's fields are looked for
/// below it (not inside the items nested in it) when they are not its direct children.
enum FeedReader {
    static func read(_ utf8: [UInt8], context: ReadContext) throws(ParseError) -> ParsedDocument {
        _ = LibXML.initialized
        let first = parse(utf8, context)
        guard first.log.depthExceeded else { return try read(first, context, utf8) }
        // libxml2 halted at its depth limit: everything after the deep element is lost. Read
        // again with the too-deep tags blanked, and keep whichever reading gives more items.
        var flat = utf8
        let (blanked, firstOffset) = XMLSafety.flattenDeepNesting(&flat, html: false)
        var halted: ParsedDocument
        do {
            halted = try read(first, context, utf8)
        } catch {
            guard blanked > 0 else { throw error }
            return try readFlattened(flat, blanked: blanked, line: line(of: firstOffset, in: utf8), context)
        }
        halted.problems.append(ParseNote.nestingHalted)
        guard blanked > 0,
              let doc = try? readFlattened(flat, blanked: blanked, line: line(of: firstOffset, in: utf8), context),
              doc.items.count >= halted.items.count else { return halted }
        return doc
    }

    /// The document read again after ``XMLSafety/flattenDeepNesting(_:html:)``, noted.
    private static func readFlattened(_ flat: [UInt8], blanked: Int, line: Int,
                                      _ context: ReadContext) throws(ParseError) -> ParsedDocument {
        let second = parse(flat, context)
        let stillTooDeep = second.log.depthExceeded
        var doc = try read(second, context, flat)
        doc.problems.append(ParseNote.nestingFlattened(blanked, line: line, limit: XMLSafety.maxDepth))
        if stillTooDeep { doc.problems.append(ParseNote.nestingHalted) }
        return doc
    }

    /// The 1-based line of byte `offset`, for notes that point into the page.
    static func line(of offset: Int, in bytes: [UInt8]) -> Int {
        bytes[..<min(offset, bytes.count)].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
    }

    /// One libxml2 parse and the messages it reported. The tree is freed by `read`.
    private static func parse(_ utf8: [UInt8], _ context: ReadContext) -> (doc: xmlDocPtr?, log: XMLErrorLog) {
        let log = XMLErrorLog()
        let doc = log.capture {
            utf8.withUnsafeBufferPointer { buf in
                buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                    xmlReadMemory($0, Int32(clamping: buf.count), context.baseURL, "UTF-8", ParseOptions.xml)
                }
            }
        }
        return (doc, log)
    }

    /// The feed in a parsed tree; frees the tree.
    private static func read(_ parsed: (doc: xmlDocPtr?, log: XMLErrorLog), _ context: ReadContext,
                             _ utf8: [UInt8]) throws(ParseError) -> ParsedDocument {
        let log = parsed.log
        guard let doc = parsed.doc else {
            throw ParseError("无法按 XML 解析：\(log.messages.first ?? "未知错误")")
        }
        defer { xmlFreeDoc(doc) }
        guard let rootPtr = xmlDocGetRootElement(doc) else {
            throw ParseError("不是 RSS/Atom 订阅源：没有根元素")
        }
        let root = XMLNode(raw: rootPtr)
        var problems = log.messages.isEmpty ? [] : ["XML 有错误，已尽量恢复：" + log.messages.prefix(3).joined(separator: "；")]
        let kind: DocumentKind
        var items: [ListedPost]
        let element: String
        if root.named("rss") {
            kind = .rss
            element = "item"
            items = itemNodes(root, "item").map { rssItem($0, context) }
        } else if root.named("RDF") {
            kind = .rdf
            element = "item"
            items = itemNodes(root, "item").map { rssItem($0, context) }
        } else if root.named("feed") {
            kind = .atom
            element = "entry"
            items = itemNodes(root, "entry").map { atomEntry($0, context) }
        } else {
            throw ParseError("不是 RSS/Atom 订阅源：根元素是 <\(root.name)>")
        }
        if items.count > DocumentReader.maxItems {
            problems.append(ParseNote.tooManyItems(DocumentReader.maxItems))
            items = Array(items.prefix(DocumentReader.maxItems))
        } else if !log.messages.isEmpty || log.depthExceeded {
            // Only a broken document can lose items; count its tags to say so.
            let tags = tagCount(element, in: utf8)
            if tags > items.count {
                problems.append(ParseNote.itemsMissing(tags: tags, read: items.count, element: element))
            }
        }
        return ParsedDocument(kind: kind, items: items, charset: "UTF-8", problems: problems)
    }

    /// Every `name` element under `root`, in document order, at any depth (see the type's
    /// notes), at most one past ``DocumentReader/maxItems`` so the caller can tell.
    private static func itemNodes(_ root: XMLNode, _ name: String) -> [XMLNode] {
        var found: [XMLNode] = []
        root.walkElements { node in
            if node.named(name) {
                found.append(node)
                if found.count > DocumentReader.maxItems { return .stop }
            }
            return .descend
        }
        return found
    }

    /// How many `<name` start tags (followed by a blank, `>` or `/`) the bytes hold.
    static func tagCount(_ name: String, in utf8: [UInt8]) -> Int {
        let needle = Array(("<" + name).uppercased().utf8)
        var count = 0
        var from = 0
        while let at = XMLSafety.find(needle, in: utf8, from: from) {
            let after = at + needle.count
            if after < utf8.count, [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ">"), UInt8(ascii: "/")].contains(utf8[after]) {
                count += 1
            }
            from = after
        }
        return count
    }

    /// The fields of an item: its direct children first, then, for a field still missing,
    /// the elements of its names below the item, outside nested items. `groups` lists each
    /// field's names (a date can be `pubDate`, `dc:date`, …).
    private static func fields(of node: XMLNode, item: String, groups: [[String]], _ body: (String, XMLNode) -> Void) {
        var seen = Set<String>()
        for field in node.children where field.isElement {
            let name = field.name.lowercased()
            seen.insert(name)
            body(name, field)
        }
        let missing = Set(groups.filter { $0.allSatisfy { !seen.contains($0) } }.joined())
        guard !missing.isEmpty else { return }
        node.walkElements { element in
            if element.raw == node.raw { return .descend }
            if element.named(item) { return .skipChildren }
            let name = element.name.lowercased()
            if missing.contains(name) { body(name, element) }
            return .descend
        }
    }

    private static let rssFields = [["title"], ["link"], ["guid"], ["pubdate", "date", "published", "issued"],
                                    ["description", "encoded"]]
    private static let atomFields = [["title"], ["link"], ["id"], ["published", "issued", "updated", "modified"],
                                     ["summary", "content"]]

    private static func rssItem(_ node: XMLNode, _ context: ReadContext) -> ListedPost {
        var title: String?, link: String?, guid: String?, dateText: String?, summary: String?
        fields(of: node, item: "item", groups: rssFields) { name, field in
            switch name {
            case "title": title = title ?? field.fieldText.trimmingWhitespace()
            case "link": link = link ?? LinkResolver.resolve(field.fieldText, base: context.baseURL)
            case "guid": guid = guid ?? field.fieldText.trimmingWhitespace()
            case "pubdate", "date", "published", "issued": dateText = dateText ?? field.fieldText.trimmingWhitespace()
            case "description", "encoded": summary = summary ?? Markup.plainText(field.fieldText)
            default: break
            }
        }
        // RSS 1.0 names the item by rdf:about.
        if guid == nil || guid == "" { guid = node.attribute("about") }
        return ListedPost(title: title ?? "", link: link, guid: guid?.isEmpty == true ? nil : guid,
                          dateText: dateText, publishedAt: context.date(dateText), summary: summary)
    }

    private static func atomEntry(_ node: XMLNode, _ context: ReadContext) -> ListedPost {
        var title: String?, link: String?, guid: String?, published: String?, updated: String?, summary: String?
        fields(of: node, item: "entry", groups: atomFields) { name, field in
            switch name {
            case "title": title = title ?? field.fieldText.trimmingWhitespace()
            case "link":
                let rel = field.attribute("rel") ?? "alternate"
                if rel == "alternate", link == nil, let href = field.attribute("href") {
                    link = LinkResolver.resolve(href, base: context.baseURL)
                }
            case "id": guid = guid ?? field.fieldText.trimmingWhitespace()
            case "published", "issued": published = published ?? field.fieldText.trimmingWhitespace()
            case "updated", "modified": updated = updated ?? field.fieldText.trimmingWhitespace()
            case "summary", "content": summary = summary ?? Markup.plainText(field.fieldText)
            default: break
            }
        }
        let dateText = published ?? updated
        return ListedPost(title: title ?? "", link: link, guid: guid?.isEmpty == true ? nil : guid,
                          dateText: dateText, publishedAt: context.date(dateText), summary: summary)
    }
}

extension XMLNode {
    /// Elements that belong to an item, not to a field's text: in a broken feed libxml2 can
    /// leave the rest of the item (and later items) inside an unclosed title.
    fileprivate static let itemLevelNames: [String] = [
        "item", "entry", "title", "link", "guid", "pubdate", "date", "published", "issued", "updated", "modified",
        "description", "encoded", "summary", "content", "id", "author", "category", "comments", "enclosure",
    ]

    /// A field's text: as ``text``, without the item-level elements nested in it.
    fileprivate var fieldText: String {
        text(skipping: XMLNode.itemLevelNames)
    }
}

/// Strips tags from escaped HTML in feed descriptions, for word matching only.
enum Markup {
    static let maxSummary = 4000
    /// How long a title taken from an item's text may be: a short line, as a headline is.
    static let maxDerivedTitle = 80

    static func plainText(_ html: String) -> String? {
        strip(html, lineBreaks: false)
    }

    /// The first line of an item's HTML text, at most ``maxDerivedTitle`` characters, for an
    /// item that has no title (Kuaishou via RSSHub gives only `content_html`). Block tags
    /// (`<br>`, `<p>`, `<div>`, …) end a line here, where ``plainText(_:)`` makes them spaces:
    /// a Weibo post's first line is its headline, and the body after it is no title.
    static func titleLine(fromHTML html: String) -> String? {
        strip(html, lineBreaks: true).flatMap(titleLine(fromText:))
    }

    /// The first non-blank line of plain text, at most ``maxDerivedTitle`` characters.
    static func titleLine(fromText text: String) -> String? {
        let line = text.split(whereSeparator: \.isNewline).lazy
            .map { String($0).trimmingWhitespace() }
            .first { !$0.isEmpty }
        return line.map { String($0.prefix(maxDerivedTitle)).trimmingWhitespace() }
    }

    /// Tags that start a new line of text when HTML is shown.
    private static let lineBreakTags: Set<String> = [
        "br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "article", "hr",
    ]

    /// The text of `html` with its tags removed, at most ``maxSummary`` scalars. Each tag
    /// becomes a space, or with `lineBreaks` a newline when it is a block tag.
    private static func strip(_ html: String, lineBreaks: Bool) -> String? {
        var out = String.UnicodeScalarView()
        var inTag = false
        var tagName = ""
        var nameDone = false
        var count = 0
        for s in html.unicodeScalars {
            if s == "<" {
                inTag = true
                tagName = ""
                nameDone = false
                continue
            }
            if s == ">" {
                inTag = false
                out.append(lineBreaks && lineBreakTags.contains(tagName.lowercased()) ? "\n" : " ")
                continue
            }
            if inTag {
                // Only the name is needed (`</p>`, `<br/>`, `<div class=…>`), and only for lines.
                if lineBreaks, !nameDone {
                    if s == "/", tagName.isEmpty { continue }
                    if s.isASCII, s.properties.isAlphabetic || ("0"..."9").contains(s) {
                        tagName.unicodeScalars.append(s)
                    } else {
                        nameDone = true
                    }
                }
                continue
            }
            out.append(s)
            count += 1
            if count >= maxSummary { break }
        }
        let text = String(out).trimmingWhitespace()
        return text.isEmpty ? nil : text
    }
}
