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
        let parsed = XMLParse(utf8, baseURL: context.baseURL)
        var doc = try read(parsed: (parsed.doc, parsed.log), parsed.bytes, context)
        doc.problems += parsed.notes
        return doc
    }

    /// A parse's document, read again with deep nesting flattened when libxml2 halted.
    private static func read(parsed first: (doc: xmlDocPtr?, log: XMLErrorLog), _ utf8: [UInt8],
                             _ context: ReadContext) throws(ParseError) -> ParsedDocument {
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
        halted.problems.append(.nestingHalted)
        guard blanked > 0,
              let doc = try? readFlattened(flat, blanked: blanked, line: line(of: firstOffset, in: utf8), context),
              doc.items.count >= halted.items.count else { return halted }
        return doc
    }

    /// The document read again after ``XMLSafety/flattenDeepNesting(_:html:)``, noted.
    private static func readFlattened(_ flat: [UInt8], blanked: Int, line: Int,
                                      _ context: ReadContext) throws(ParseError) -> ParsedDocument {
        let reparsed = XMLParse(flat, baseURL: context.baseURL)
        let second = (doc: reparsed.doc, log: reparsed.log)
        let stillTooDeep = second.log.depthExceeded
        var doc = try read(second, context, flat)
        doc.problems += reparsed.notes
        doc.problems.append(.nestingFlattened(count: blanked, line: line, limit: XMLSafety.maxDepth))
        if stillTooDeep { doc.problems.append(.nestingHalted) }
        return doc
    }

    /// The 1-based line of byte `offset`, for notes that point into the page.
    static func line(of offset: Int, in bytes: [UInt8]) -> Int {
        bytes[..<min(offset, bytes.count)].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
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
        var problems: [ReadingProblem] = log.messages.isEmpty ? [] : [.recoveredXMLErrors(Array(log.messages.prefix(3)))]
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
            problems.append(.tooManyItems(limit: DocumentReader.maxItems))
            items = Array(items.prefix(DocumentReader.maxItems))
        } else if !log.messages.isEmpty || log.depthExceeded {
            // Only a broken document can lose items; count its tags to say so.
            let tags = tagCount(element, in: utf8)
            if tags > items.count {
                problems.append(.itemsMissing(tags: tags, read: items.count, element: element))
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

    /// The field names of one feed format, lower-case, each with the group it belongs to
    /// (a date can be `pubDate`, `dc:date`, …): a field is looked for below the item only
    /// when no name of its group is a direct child.
    fileprivate struct FieldNames {
        let names: [String]
        let groups: [Int]
        /// Each name's length and its bytes packed into two words, for ``index(of:)``.
        private let packed: [(count: Int, word: (UInt64, UInt64))]

        init(_ groups: [[String]]) {
            names = groups.flatMap { $0 }
            self.groups = groups.enumerated().flatMap { g, names in names.map { _ in g } }
            packed = names.map { name in
                var word: (UInt64, UInt64) = (0, 0)
                for (i, b) in name.utf8.enumerated() {
                    precondition(i < 16)
                    if i < 8 { word.0 |= UInt64(b) << (8 * i) } else { word.1 |= UInt64(b) << (8 * (i - 8)) }
                }
                return (name.utf8.count, word)
            }
        }

        /// The index in ``names`` of an element's local name, ignoring case: compared in
        /// bytes, without a String per element. A name with a non-ASCII byte is lower-cased
        /// as a String, as before (Unicode case folding can map it onto an ASCII name).
        func index(of node: XMLNode) -> Int? {
            guard let p = node.raw.pointee.name else { return nil }
            var folded: (UInt64, UInt64) = (0, 0)
            var n = 0
            while p[n] != 0 {
                let b = p[n]
                if b >= 0x80 {
                    let name = node.name.lowercased()
                    return names.firstIndex(of: name)
                }
                // Longer than every field name: no match (still checked for non-ASCII above).
                if n < 16 {
                    let lower = UInt64(b &- 0x41 < 26 ? b | 0x20 : b)
                    if n < 8 { folded.0 |= lower << (8 * n) } else { folded.1 |= lower << (8 * (n - 8)) }
                }
                n += 1
            }
            guard n <= 16 else { return nil }
            for (k, name) in packed.enumerated() where name.count == n && name.word == folded {
                return k
            }
            return nil
        }
    }

    /// The fields of an item: its direct children first, then, for a field still missing,
    /// the elements of its names below the item, outside nested items. `body` gets the index
    /// of the element's name in `fields.names`.
    private static func fields(of node: XMLNode, item: String, _ fields: FieldNames, _ body: (Int, XMLNode) -> Void) {
        var seen: UInt64 = 0
        for field in node.children where field.isElement {
            guard let k = fields.index(of: field) else { continue }
            seen |= 1 << fields.groups[k]
            body(k, field)
        }
        let all: UInt64 = fields.groups.reduce(0) { $0 | 1 << $1 }
        guard seen != all else { return }
        node.walkElements { element in
            if element.raw == node.raw { return .descend }
            if element.named(item) { return .skipChildren }
            if let k = fields.index(of: element), seen & (1 << fields.groups[k]) == 0 { body(k, element) }
            return .descend
        }
    }

    private static let rssFields = FieldNames([["title"], ["link"], ["guid"], ["pubdate", "date", "published", "issued"],
                                               ["description", "encoded"]])
    private static let atomFields = FieldNames([["title"], ["link"], ["id"], ["published", "issued", "updated", "modified"],
                                                ["summary", "content"]])

    private static func rssItem(_ node: XMLNode, _ context: ReadContext) -> ListedPost {
        var title: String?, link: String?, guid: String?, dateText: String?, summary: String?
        let names = rssFields.names
        fields(of: node, item: "item", rssFields) { k, field in
            switch names[k] {
            case "title": title = title ?? Markup.title(field.fieldText)
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
        let names = atomFields.names
        fields(of: node, item: "entry", atomFields) { k, field in
            switch names[k] {
            case "title": title = title ?? Markup.title(field.fieldText)
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

    /// A title as shown: markup some CMSes put in titles (`<font color="red">【置顶】</font>…`
    /// in CDATA, Atom's `type="html"`, HTML in JSON fields) taken out. Tags are dropped without
    /// a space in their place (`流感季<b>疫苗</b>` is one word in Chinese); runs of white space
    /// become one space.
    static func title(_ raw: String) -> String {
        let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">")
        guard raw.utf8.contains(lt) else { return raw.trimmingWhitespace() }
        var out: [UInt8] = []
        out.reserveCapacity(raw.utf8.count)
        var inTag = false
        for b in raw.utf8 {
            if inTag {
                if b == gt { inTag = false }
            } else if b == lt {
                inTag = true
            } else if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D {
                if out.last != 0x20 { out.append(0x20) }
            } else {
                out.append(b)
            }
        }
        // An unclosed `<` (a title like "A < B" with no tag) keeps the text as it was.
        if inTag { return raw.trimmingWhitespace() }
        return String(decoding: out, as: UTF8.self).trimmingWhitespace()
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
    /// becomes a space, or with `lineBreaks` a newline when it is a block tag; leading and
    /// trailing whitespace is trimmed.
    ///
    /// One pass over the UTF-8 bytes (`<` and `>` are ASCII, never inside a multibyte
    /// character), eight at a time where there is no `<` or `>`. The text between tags is
    /// appended to the result as whole runs of the (already valid) string, never scalar by
    /// scalar and never decoded again; scalars are counted only once the text could reach the
    /// cap. Separators are held back until more text follows, so the leading and trailing
    /// ones the trim would remove are never written.
    private static func strip(_ html: String, lineBreaks: Bool) -> String? {
        var html = html
        html.makeContiguousUTF8()
        let source = html
        let result = source.utf8.withContiguousStorageIfAvailable { p in
            strip(p, of: source, lineBreaks: lineBreaks)
        }
        return result ?? nil
    }

    private static func strip(_ p: UnsafeBufferPointer<UInt8>, of html: String, lineBreaks: Bool) -> String? {
        let n = p.count
        guard let base = p.baseAddress, n > 0 else { return nil }
        var out = ""
        out.reserveCapacity(n)
        var pending = ""          // separators waiting for the next text
        var separators = 0        // separator bytes written to `out`
        var textBytes = 0         // text bytes written to `out`
        var count = 0             // text scalars written, exact once `counting`
        var counting = false
        var done = false
        let utf8 = html.utf8

        /// Appends `p[from..<to]`, a run of text; false once the cap is reached.
        func text(_ from: Int, _ to: Int) -> Bool {
            guard to > from else { return true }
            var end = to
            if !counting && textBytes + (to - from) > maxSummary {
                // Scalars are at most bytes, so only now can the cap be near: count exactly.
                counting = true
                count = 0
                for b in out.utf8 where b & 0xC0 != 0x80 { count += 1 }
                count -= separators
            }
            if counting {
                var k = from
                while k < to {
                    if base[k] & 0xC0 != 0x80 {
                        if count == maxSummary { break }
                        count += 1
                    }
                    k += 1
                }
                end = k
            }
            if end > from {
                if !pending.isEmpty {
                    if !out.isEmpty {
                        out.append(pending)
                        separators += pending.utf8.count
                    }
                    pending = ""
                }
                out.append(contentsOf: html[utf8.index(utf8.startIndex, offsetBy: from)..<utf8.index(utf8.startIndex, offsetBy: end)])
                textBytes += end - from
            }
            return !(counting && count == maxSummary)
        }

        var inTag = false
        var tagName = ""
        var nameDone = false
        var runStart = 0
        var i = 0
        scan: while i < n {
            // Eight bytes without `<` or `>` (b | 2 == '>' only for those two) are skipped
            // whole, unless a tag name is being read.
            if i + 8 <= n, !(lineBreaks && inTag && !nameDone) {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) | 0x0202_0202_0202_0202
                let x = w ^ 0x3E3E_3E3E_3E3E_3E3E
                if (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    continue
                }
            }
            let b = base[i]
            if b == UInt8(ascii: "<") {
                if !inTag, !text(runStart, i) {
                    done = true
                    break scan
                }
                inTag = true
                tagName = ""
                nameDone = false
            } else if b == UInt8(ascii: ">") {
                if !inTag, !text(runStart, i) {
                    done = true
                    break scan
                }
                inTag = false
                runStart = i + 1
                // Nothing written yet: a leading separator would be trimmed anyway.
                if !out.isEmpty {
                    pending.append(lineBreaks && lineBreakTags.contains(tagName.lowercased()) ? "\n" : " ")
                }
            } else if inTag, lineBreaks, !nameDone {
                // Only the name is needed (`</p>`, `<br/>`, `<div class=…>`), and only for lines.
                if b == UInt8(ascii: "/"), tagName.isEmpty {
                } else if b < 0x80, (b | 0x20) &- 0x61 < 26 || b &- 0x30 < 10 {
                    tagName.unicodeScalars.append(Unicode.Scalar(b))
                } else {
                    nameDone = true
                }
            }
            i += 1
        }
        if !done, !inTag { _ = text(runStart, n) }
        let trimmed = out.trimmingWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }
}
