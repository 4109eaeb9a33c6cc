import CLibXML2
import Foundation
import GovMediaCore

/// RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 1.0, told apart by the root element.
enum FeedReader {
    static func read(_ utf8: [UInt8], context: ReadContext) throws(ParseError) -> ParsedDocument {
        _ = LibXML.initialized
        let log = XMLErrorLog()
        let doc = log.capture {
            utf8.withUnsafeBufferPointer { buf in
                buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                    xmlReadMemory($0, Int32(clamping: buf.count), context.baseURL, "UTF-8", ParseOptions.xml)
                }
            }
        }
        guard let doc else {
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
        if root.named("rss") {
            kind = .rss
            items = rssItems(root.child("channel")?.children ?? root.children, context)
        } else if root.named("RDF") {
            kind = .rdf
            items = rssItems(root.children, context)
        } else if root.named("feed") {
            kind = .atom
            items = atomEntries(root, context)
        } else {
            throw ParseError("不是 RSS/Atom 订阅源：根元素是 <\(root.name)>")
        }
        if items.count > DocumentReader.maxItems {
            problems.append("条目超过 \(DocumentReader.maxItems) 个，只读取前 \(DocumentReader.maxItems) 个")
            items = Array(items.prefix(DocumentReader.maxItems))
        }
        return ParsedDocument(kind: kind, items: items, charset: "UTF-8", problems: problems)
    }

    private static func rssItems(_ nodes: XMLChildren, _ context: ReadContext) -> [ListedPost] {
        var items: [ListedPost] = []
        for node in nodes where node.isElement && node.named("item") {
            guard items.count <= DocumentReader.maxItems else { break }
            var title = "", link: String?, guid: String?, dateText: String?, summary: String?
            for field in node.children where field.isElement {
                switch field.name.lowercased() {
                case "title": title = field.text.trimmingWhitespace()
                case "link": link = link ?? LinkResolver.resolve(field.text, base: context.baseURL)
                case "guid": guid = field.text.trimmingWhitespace()
                case "pubdate", "date", "published", "issued": dateText = dateText ?? field.text.trimmingWhitespace()
                case "description", "encoded": summary = summary ?? Markup.plainText(field.text)
                default: break
                }
            }
            // RSS 1.0 names the item by rdf:about.
            if guid == nil || guid == "" { guid = node.attribute("about") }
            items.append(ListedPost(title: title, link: link, guid: guid?.isEmpty == true ? nil : guid,
                                    dateText: dateText, publishedAt: context.date(dateText), summary: summary))
        }
        return items
    }

    private static func atomEntries(_ root: XMLNode, _ context: ReadContext) -> [ListedPost] {
        var items: [ListedPost] = []
        for node in root.children where node.isElement && node.named("entry") {
            guard items.count <= DocumentReader.maxItems else { break }
            var title = "", link: String?, guid: String?, published: String?, updated: String?, summary: String?
            for field in node.children where field.isElement {
                switch field.name.lowercased() {
                case "title": title = field.text.trimmingWhitespace()
                case "link":
                    let rel = field.attribute("rel") ?? "alternate"
                    if rel == "alternate", link == nil, let href = field.attribute("href") {
                        link = LinkResolver.resolve(href, base: context.baseURL)
                    }
                case "id": guid = field.text.trimmingWhitespace()
                case "published", "issued": published = field.text.trimmingWhitespace()
                case "updated", "modified": updated = field.text.trimmingWhitespace()
                case "summary", "content": summary = summary ?? Markup.plainText(field.text)
                default: break
                }
            }
            let dateText = published ?? updated
            items.append(ListedPost(title: title, link: link, guid: guid?.isEmpty == true ? nil : guid,
                                    dateText: dateText, publishedAt: context.date(dateText), summary: summary))
        }
        return items
    }
}

/// Strips tags from escaped HTML in feed descriptions, for word matching only.
enum Markup {
    static let maxSummary = 4000

    static func plainText(_ html: String) -> String? {
        var out = String.UnicodeScalarView()
        var inTag = false
        var count = 0
        for s in html.unicodeScalars {
            if s == "<" { inTag = true; continue }
            if s == ">" { inTag = false; out.append(" "); continue }
            if inTag { continue }
            out.append(s)
            count += 1
            if count >= maxSummary { break }
        }
        let text = String(out).trimmingWhitespace()
        return text.isEmpty ? nil : text
    }
}
