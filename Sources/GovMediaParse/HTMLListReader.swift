import CLibXML2
import Foundation
import GovMediaCore

/// The account's XPaths for a list page.
struct ListXPaths: Hashable {
    let item, title, link, date: String
}

/// Reads an HTML list page: the item XPath picks each post, and title, link and date are
/// the string values of XPaths evaluated relative to it.
enum HTMLListReader {
    static func read(_ utf8: [UInt8], xpaths: ListXPaths, context: ReadContext) throws(ParseError) -> ParsedDocument {
        _ = LibXML.initialized
        let first = parse(utf8, context)
        guard first.log.depthExceeded else { return try read(first, xpaths: xpaths, context) }
        // libxml2 halted at its depth limit, losing the rest of the page: read again with the
        // too-deep tags blanked, and keep whichever reading lists more items.
        var flat = utf8
        let (blanked, firstOffset) = XMLSafety.flattenDeepNesting(&flat, html: true)
        var halted = try read(first, xpaths: xpaths, context)
        halted.problems.append(ParseNote.nestingHalted)
        guard blanked > 0 else { return halted }
        let second = parse(flat, context)
        let stillTooDeep = second.log.depthExceeded
        guard var doc = try? read(second, xpaths: xpaths, context), doc.items.count >= halted.items.count else {
            return halted
        }
        doc.problems.append(ParseNote.nestingFlattened(blanked, line: FeedReader.line(of: firstOffset, in: utf8),
                                                       limit: XMLSafety.maxDepth))
        if stillTooDeep { doc.problems.append(ParseNote.nestingHalted) }
        return doc
    }

    /// One libxml2 HTML parse and the messages it reported. The tree is freed by `read`.
    private static func parse(_ utf8: [UInt8], _ context: ReadContext) -> (doc: htmlDocPtr?, log: XMLErrorLog) {
        let log = XMLErrorLog()
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
        let compiled = try CompiledXPaths(xpaths)
        defer { compiled.free() }
        guard let ctx = xmlXPathNewContext(doc) else { throw ParseError("无法创建 XPath 上下文") }
        defer { xmlXPathFreeContext(ctx) }
        guard let found = xmlXPathCompiledEval(compiled.item, ctx) else {
            throw ParseError("条目 XPath 求值失败：\(xpaths.item)")
        }
        defer { xmlXPathFreeObject(found) }
        var problems: [String] = []
        var items: [ListedPost] = []
        let nodes = nodeSet(found)
        if nodes.count > DocumentReader.maxItems {
            problems.append("条目超过 \(DocumentReader.maxItems) 个，只读取前 \(DocumentReader.maxItems) 个")
        }
        for node in nodes.prefix(DocumentReader.maxItems) {
            let title = stringValue(compiled.title, at: node, ctx)
            let link = stringValue(compiled.link, at: node, ctx)
            let dateText = stringValue(compiled.date, at: node, ctx)
            items.append(ListedPost(
                title: title, link: link.isEmpty ? nil : LinkResolver.resolve(link, base: context.baseURL),
                dateText: dateText.isEmpty ? nil : dateText, publishedAt: context.date(dateText)))
        }
        if items.isEmpty { problems.append("条目 XPath 没有匹配到任何条目：\(xpaths.item)") }
        return ParsedDocument(kind: .htmlList, items: items, charset: "UTF-8", problems: problems)
    }

    private static func nodeSet(_ object: xmlXPathObjectPtr) -> [xmlNodePtr] {
        guard object.pointee.type == XPATH_NODESET, let set = object.pointee.nodesetval,
              let tab = set.pointee.nodeTab else { return [] }
        return (0..<Int(set.pointee.nodeNr)).compactMap { tab[$0] }
    }

    /// The XPath string value of an expression evaluated at `node`, whitespace-trimmed.
    private static func stringValue(_ expr: xmlXPathCompExprPtr, at node: xmlNodePtr, _ ctx: xmlXPathContextPtr) -> String {
        ctx.pointee.node = node
        guard let result = xmlXPathCompiledEval(expr, ctx) else { return "" }
        defer { xmlXPathFreeObject(result) }
        guard let s = xmlXPathCastToString(result) else { return "" }
        defer { cxml_free(s) }
        return String(cString: s).trimmingWhitespace()
    }
}

/// The four XPaths compiled once per page (compiling is cheap next to parsing, and the
/// compiled form is not safe to share across threads).
private struct CompiledXPaths {
    let item, title, link, date: xmlXPathCompExprPtr

    init(_ x: ListXPaths) throws(ParseError) {
        func compile(_ e: String, _ label: String) throws(ParseError) -> xmlXPathCompExprPtr {
            let log = XMLErrorLog()
            guard let c = log.capture({ xmlXPathCompile(e) }) else { throw ParseError("\(label) XPath 无法编译：\(e)") }
            return c
        }
        item = try compile(x.item, "条目")
        title = try compile(x.title, "标题")
        link = try compile(x.link, "链接")
        date = try compile(x.date, "日期")
    }

    func free() {
        for e in [item, title, link, date] { xmlXPathFreeCompExpr(e) }
    }
}
