import CLibXML2
import Foundation
import GovMediaCore

/// The account's XPaths for a list page (or an ``HTMLStep``); `date` nil: the list prints none.
struct ListXPaths: Hashable {
    let item, title, link: String
    let date: String?

    init(item: String, title: String, link: String, date: String?) {
        self.item = item
        self.title = title
        self.link = link
        self.date = date.flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0 }
    }

    init(_ step: HTMLStep) {
        self.init(item: step.item, title: step.title, link: step.link, date: step.date)
    }
}

/// The posts a list reader took from one document (or fragment), with what it counted on
/// the way; the notes are written once per body by ``notes``.
struct ListReading {
    var items: [ListedPost] = []
    /// Items the item XPath (or path) matched, before the cap.
    var matched = 0
    /// Items left without a real link (see ``ListLink``).
    var linkless = 0
    /// Items whose title / date expression gave nothing.
    var untitled = 0
    var undated = 0
    var problems: [ReadingProblem] = []

    mutating func add(_ other: ListReading) {
        items += other.items
        matched += other.matched
        linkless += other.linkless
        untitled += other.untitled
        undated += other.undated
        problems += other.problems
    }

    /// The notes for the whole body: the cap, linkless items, and field expressions that
    /// gave nothing for every item (naming them). `hasDate`: the profile reads dates.
    func notes(item: String, title: String, date: String?, expression: ReadingProblem.ListExpression = .xpath) -> [ReadingProblem] {
        var notes = problems
        if matched == 0 {
            notes.append(.noItemsMatched(expression: expression, item: item))
            return notes
        }
        if matched > DocumentReader.maxItems { notes.append(.tooManyItems(limit: DocumentReader.maxItems)) }
        let n = items.count
        if n > 0, untitled == n { notes.append(.fieldEmptyEverywhere(field: .title, expression: expression, count: n, value: title)) }
        if let date, n > 0, undated == n { notes.append(.fieldEmptyEverywhere(field: .date, expression: expression, count: n, value: date)) }
        if linkless > 0 { notes.append(.linklessItems(count: linkless, of: n)) }
        return notes
    }
}

/// Reads an HTML list page: the item XPath picks each post, and title, link and date are
/// the string values of XPaths evaluated relative to it.
enum HTMLListReader {
    static func read(_ utf8: [UInt8], xpaths: ListXPaths, context: ReadContext) throws(ParseError) -> ParsedDocument {
        let first = parse(utf8, context)
        guard first.log.depthExceeded else { return try read(first, xpaths: xpaths, context) }
        // libxml2 halted at its depth limit, losing the rest of the page: read again with the
        // too-deep tags blanked, and keep whichever reading lists more items.
        var flat = utf8
        let (blanked, firstOffset) = XMLSafety.flattenDeepNesting(&flat, html: true)
        var halted = try read(first, xpaths: xpaths, context)
        halted.problems.append(.nestingHalted)
        guard blanked > 0 else { return halted }
        let second = parse(flat, context)
        let stillTooDeep = second.log.depthExceeded
        guard var doc = try? read(second, xpaths: xpaths, context), doc.items.count >= halted.items.count else {
            return halted
        }
        doc.problems.append(.nestingFlattened(count: blanked, line: FeedReader.line(of: firstOffset, in: utf8),
                                              limit: XMLSafety.maxDepth))
        if stillTooDeep { doc.problems.append(.nestingHalted) }
        return doc
    }

    /// One libxml2 HTML parse and the messages it reported. The caller frees the tree.
    static func parse(_ utf8: [UInt8], _ context: ReadContext) -> (doc: htmlDocPtr?, log: XMLErrorLog) {
        _ = LibXML.initialized
        let log = XMLErrorLog()
        guard !utf8.isEmpty else { return (nil, log) }
        let doc = log.capture {
            utf8.withUnsafeBufferPointer { buf in
                buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                    htmlReadMemory($0, Int32(clamping: buf.count), context.baseURL, "UTF-8", ParseOptions.html)
                }
            }
        }
        return (doc, log)
    }

    /// The items of a parsed page; frees the tree.
    private static func read(_ parsed: (doc: htmlDocPtr?, log: XMLErrorLog), xpaths: ListXPaths,
                             _ context: ReadContext) throws(ParseError) -> ParsedDocument {
        let log = parsed.log
        guard let doc = parsed.doc else { throw ParseError("无法按 HTML 解析：\(log.messages.first ?? "未知错误")") }
        defer { xmlFreeDoc(doc) }
        let reading = try items(in: doc, xpaths: xpaths, linkBase: context.baseURL, context)
        let problems = reading.notes(item: xpaths.item, title: xpaths.title, date: xpaths.date)
        return ParsedDocument(kind: .htmlList, items: reading.items, charset: "UTF-8", problems: problems)
    }

    /// The posts of an HTML fragment (the HTML inside a JSON string or an XML record), read
    /// with `xpaths`; an empty fragment has none.
    static func readFragment(_ html: String, xpaths: ListXPaths, linkBase: String,
                             _ context: ReadContext) throws(ParseError) -> ListReading {
        var bytes = Array(html.utf8)
        _ = DocumentReader.removeNULs(&bytes)
        guard !bytes.isEmpty else { return ListReading() }
        let parsed = parse(bytes, context)
        guard let doc = parsed.doc else { return ListReading() }
        defer { xmlFreeDoc(doc) }
        return try items(in: doc, xpaths: xpaths, linkBase: linkBase, context)
    }

    /// The posts `xpaths` read in a parsed tree (not freed here): every reader of HTML and
    /// ``ListProbe`` go through this one function, so a probed profile reads what the probe saw.
    static func items(in doc: xmlDocPtr, xpaths: ListXPaths, linkBase: String,
                      _ context: ReadContext) throws(ParseError) -> ListReading {
        let compiled = try CompiledXPaths(xpaths)
        defer { compiled.free() }
        guard let ctx = xmlXPathNewContext(doc) else { throw ParseError("无法创建 XPath 上下文") }
        defer { xmlXPathFreeContext(ctx) }
        guard let found = xmlXPathCompiledEval(compiled.item, ctx) else {
            throw ParseError("条目 XPath 求值失败：\(xpaths.item)")
        }
        defer { xmlXPathFreeObject(found) }
        var reading = ListReading()
        let nodes = nodeSet(found)
        reading.matched = nodes.count
        for node in nodes.prefix(DocumentReader.maxItems) {
            let title = stringValue(compiled.title, at: node, ctx).value
            let (linkText, linkNode) = stringValue(compiled.link, at: node, ctx)
            let dateText = compiled.date.map { stringValue($0, at: node, ctx).value } ?? ""
            let link = ListLink.resolve(linkText, scripts: { scripts(from: linkNode, item: node) }, base: linkBase)
            if link == nil { reading.linkless += 1 }
            if title.isEmpty { reading.untitled += 1 }
            if dateText.isEmpty { reading.undated += 1 }
            reading.items.append(ListedPost(
                title: title, link: link,
                dateText: dateText.isEmpty ? nil : dateText, publishedAt: context.date(dateText)))
        }
        return reading
    }

    /// The scripts that may hold an item's target: the `onclick` (and `data-url`,
    /// `data-href`) of the link element and its ancestors up to the item, then of the first
    /// elements inside the item that have one.
    static func scripts(from linkNode: xmlNodePtr?, item: xmlNodePtr) -> [String] {
        let names = ["onclick", "data-url", "data-href"]
        var out: [String] = []
        var cur: xmlNodePtr? = linkNode
        if let n = cur, n.pointee.type == XML_ATTRIBUTE_NODE { cur = n.pointee.parent }
        var steps = 0
        while let n = cur, steps < 16 {
            let node = XMLNode(raw: n)
            if node.isElement {
                for name in names { if let v = node.attribute(name) { out.append(v) } }
            }
            if n == item { break }
            cur = n.pointee.parent
            steps += 1
        }
        if !out.isEmpty { return out }
        XMLNode(raw: item).walkElements { element in
            for name in names { if let v = element.attribute(name) { out.append(v) } }
            return out.count >= 4 ? .stop : .descend
        }
        return out
    }

    private static func nodeSet(_ object: xmlXPathObjectPtr) -> [xmlNodePtr] {
        guard object.pointee.type == XPATH_NODESET, let set = object.pointee.nodesetval,
              let tab = set.pointee.nodeTab else { return [] }
        return (0..<Int(set.pointee.nodeNr)).compactMap { tab[$0] }
    }

    /// The XPath string value of an expression evaluated at `node`, whitespace-trimmed, and
    /// the first node it selected (for a link's `onclick`).
    private static func stringValue(_ expr: xmlXPathCompExprPtr, at node: xmlNodePtr,
                                    _ ctx: xmlXPathContextPtr) -> (value: String, node: xmlNodePtr?) {
        ctx.pointee.node = node
        guard let result = xmlXPathCompiledEval(expr, ctx) else { return ("", nil) }
        defer { xmlXPathFreeObject(result) }
        let first = nodeSet(result).first
        guard let s = xmlXPathCastToString(result) else { return ("", first) }
        defer { cxml_free(s) }
        return (String(cString: s).trimmingWhitespace(), first)
    }
}

/// The four XPaths compiled once per page (compiling is cheap next to parsing, and the
/// compiled form is not safe to share across threads).
private struct CompiledXPaths {
    let item, title, link: xmlXPathCompExprPtr
    let date: xmlXPathCompExprPtr?

    init(_ x: ListXPaths) throws(ParseError) {
        // Those compiled before one that fails are freed: the probe tries XPaths made from a
        // page's own element names, which may not compile (found by the cms fuzz target).
        var compiled: [xmlXPathCompExprPtr] = []
        func compile(_ e: String, _ label: String) throws(ParseError) -> xmlXPathCompExprPtr {
            let log = XMLErrorLog()
            guard let c = log.capture({ xmlXPathCompile(e) }) else {
                compiled.forEach { xmlXPathFreeCompExpr($0) }
                throw ParseError("\(label) XPath 无法编译：\(e)")
            }
            compiled.append(c)
            return c
        }
        item = try compile(x.item, "条目")
        title = try compile(x.title, "标题")
        link = try compile(x.link, "链接")
        if let d = x.date { date = try compile(d, "日期") } else { date = nil }
    }

    func free() {
        for e in [item, title, link, date].compactMap({ $0 }) { xmlXPathFreeCompExpr(e) }
    }
}
