import CLibXML2
import Foundation
import GovMediaCore

/// Reads a CMS's XML records (see ``XMLRecordsProfile``), Hanweb JCMS `dataproxy.jsp` above
/// all: libxml2 XML parse with the DOCTYPE blanked (no entity expansion, no network), the item
/// XPath picks each record, and either field XPaths read it or its text is an HTML fragment
/// read with the HTML step.
enum XMLRecordsReader {
    /// A Hanweb JCMS column page carries its first records inline, in
    /// `<script type="text/xml"><datastore>…</datastore></script>`: for an HTML page, that
    /// part (the first `<datastore>` to its close) is the XML; nil when there is none.
    static func inlineDatastore(_ utf8: [UInt8]) -> [UInt8]? {
        guard ListProbe.sniff(utf8) == .html,
              let start = XMLSafety.find(Array("<DATASTORE".utf8), in: utf8, from: 0),
              let close = XMLSafety.find(Array("</DATASTORE>".utf8), in: utf8, from: start) else { return nil }
        return Array(utf8[start..<(close + "</DATASTORE>".utf8.count)])
    }

    /// The parsed XML (DOCTYPE blanked first, bare `&` repaired) and libxml2's messages; the
    /// caller frees it. An HTML page with inline records (``inlineDatastore(_:)``) is read for those.
    static func parse(_ utf8: [UInt8], _ context: ReadContext) -> (parse: XMLParse, doctype: Bool) {
        var bytes = inlineDatastore(utf8) ?? utf8
        let doctype = XMLSafety.blankDoctypes(&bytes)
        return (XMLParse(bytes, baseURL: context.baseURL), doctype)
    }

    static func read(_ utf8: [UInt8], profile: XMLRecordsProfile, context: ReadContext) throws(ParseError) -> ParsedDocument {
        let (parsed, doctype) = parse(utf8, context)
        guard let doc = parsed.doc else {
            throw ParseError("无法按 XML 解析：\(parsed.log.messages.first ?? "未知错误")")
        }
        defer { xmlFreeDoc(doc) }
        var problems: [ReadingProblem] = []
        if doctype { problems.append(.doctypeIgnored) }
        if !parsed.log.messages.isEmpty {
            problems.append(.recoveredXMLErrors(Array(parsed.log.messages.prefix(3))))
        }
        if parsed.log.depthExceeded { problems.append(.nestingHalted) }
        problems += parsed.notes
        let reading = try read(doc, profile: profile, context)
        return ParsedDocument(kind: .xmlRecords, items: reading.items, charset: "UTF-8", problems: problems + reading.problems)
    }

    /// The records of a parsed document as posts, with the notes (used by ``ListProbe`` on
    /// its own parse too).
    static func read(_ doc: xmlDocPtr, profile: XMLRecordsProfile, _ context: ReadContext) throws(ParseError) -> ListReading {
        let linkBase = profile.linkBase.flatMap { LinkResolver.resolve($0, base: context.baseURL) } ?? context.baseURL
        guard let step = profile.html else {
            let xpaths = ListXPaths(item: profile.item, title: profile.title, link: profile.link, date: profile.date)
            var reading = try HTMLListReader.items(in: doc, xpaths: xpaths, linkBase: linkBase, context)
            reading.problems = reading.notes(item: xpaths.item, title: xpaths.title, date: xpaths.date)
            return reading
        }
        let records = try nodes(profile.item, in: doc, label: "条目")
        let xpaths = ListXPaths(step)
        var reading = ListReading()
        var empty = 0
        for record in records {
            if reading.items.count >= DocumentReader.maxItems { break }
            let html = XMLNode(raw: record).text.trimmingWhitespace()
            guard !html.isEmpty else { empty += 1; continue }
            var part = try HTMLListReader.readFragment(html, xpaths: xpaths, linkBase: linkBase, context)
            if reading.items.count + part.items.count > DocumentReader.maxItems {
                part.items = Array(part.items.prefix(DocumentReader.maxItems - reading.items.count))
            }
            reading.add(part)
        }
        var notes: [ReadingProblem]
        if records.isEmpty {
            notes = [.noRecordsMatched(xpath: profile.item)]
        } else {
            notes = reading.notes(item: step.item, title: step.title, date: step.date, expression: .htmlStepXPath)
            if records.count > DocumentReader.maxItems { notes.append(.tooManyItems(limit: DocumentReader.maxItems)) }
            if empty > 0 { notes.append(.emptyRecords(count: empty)) }
        }
        reading.problems = notes
        return reading
    }

    /// The nodes an XPath selects in a document (valid while the document lives).
    static func nodes(_ xpath: String, in doc: xmlDocPtr, label: String) throws(ParseError) -> [xmlNodePtr] {
        let log = XMLErrorLog()
        guard let compiled = log.capture({ xmlXPathCompile(xpath) }) else {
            throw ParseError("\(label) XPath 无法编译：\(xpath)")
        }
        defer { xmlXPathFreeCompExpr(compiled) }
        guard let ctx = xmlXPathNewContext(doc) else { throw ParseError("无法创建 XPath 上下文") }
        defer { xmlXPathFreeContext(ctx) }
        guard let found = xmlXPathCompiledEval(compiled, ctx) else { throw ParseError("\(label) XPath 求值失败：\(xpath)") }
        defer { xmlXPathFreeObject(found) }
        guard found.pointee.type == XPATH_NODESET, let set = found.pointee.nodesetval, let tab = set.pointee.nodeTab else {
            return []
        }
        return (0..<Int(set.pointee.nodeNr)).compactMap { tab[$0] }
    }
}
