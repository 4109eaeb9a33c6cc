import CLibXML2
import Foundation
import GovMediaCore

/// What a body turned out to be, as ``ListProbe`` saw it.
public enum ProbeFormat: String, Sendable, Codable, Equatable {
    case rss, rss1, atom
    case jsonFeed = "json-feed"
    /// Plain JSON.
    case json
    /// JSONP `name({...})`.
    case jsonp
    /// A JS assignment or `export default …`.
    case javascript = "js"
    /// XML that is no feed (CMS records).
    case xml
    case html

    /// The officers' name for the format.
    public var chineseName: String {
        switch self {
        case .rss: "RSS 2.0 订阅源"
        case .rss1: "RSS 1.0 订阅源"
        case .atom: "Atom 订阅源"
        case .jsonFeed: "JSON Feed"
        case .json: "JSON 数据"
        case .jsonp: "JSONP 数据"
        case .javascript: "JavaScript 数据文件"
        case .xml: "XML 记录"
        case .html: "HTML 页面"
        }
    }
}

/// One list the probe considered, for showing the officer the runners-up.
public struct ProbeCandidate: Sendable, Equatable {
    public var profile: ReadingProfile
    /// Items the profile reads, and how many of them carry a date and a real link.
    public var items: Int
    public var dated: Int
    public var linked: Int
    public var score: Double
    /// The first few titles, to recognise the list by.
    public var sample: [String]
}

/// A TRS WCM page bar, `createPageHTML(8, 0, "index", "html")`: the column has `pages` static
/// pages, `index.html`, `index_1.html` … `index_7.html`.
public struct PageScript: Sendable, Equatable {
    public var pages: Int
    /// This page's number, from 0 (the script's second argument).
    public var current: Int
    /// The file name before the suffix (`index`) and its extension (`html`).
    public var name: String
    public var ext: String
    /// The probed URL with its file name written `index{page_suffix}.html`, for the register;
    /// nil when the page was read from a file or its URL does not end in the script's name.
    public var pagedURL: String?
    /// How many pages to suggest reading: enough to see past one page, not the whole archive
    /// on every scan.
    public var suggestedPages: Int { min(pages, 3) }
}

/// What ``ListProbe/probe(_:contentType:baseURL:fetchedAt:)`` found.
public struct ProbeResult: Sendable, Equatable {
    public var format: ProbeFormat?
    /// The profile to register, nil when no list was found. Given back to
    /// ``DocumentReader/read(_:contentType:baseURL:profile:fetchedAt:)`` it reads ``document``.
    public var profile: ReadingProfile?
    /// What the profile reads in this body (exactly what `DocumentReader.read` returns).
    public var document: ParsedDocument?
    /// Why nothing was found, or what to know about what was.
    public var problems: [ReadingProblem]
    /// The best few other lists, best first.
    public var alternatives: [ProbeCandidate]
    /// The error that stopped the probe (an empty body, malformed JSON), if any.
    public var error: ParseError?
    /// A TRS page bar found on the page: the paging to suggest (`{page_suffix}`).
    public var paging: PageScript?
}

/// Finds the list in a page nobody has described yet: detects what the body is (RSS, Atom,
/// JSON Feed, JSON / JSONP / JS, XML records, HTML) and, for HTML, JSON and XML, looks for
/// repeated structures whose items carry a link and a date:
/// - HTML: sibling elements with the same tag (and class) under one parent, at least three;
/// - JSON: arrays of objects (a field each for title, link and date), and strings holding HTML;
/// - XML: repeated elements with title/link/date children, or with HTML in their text
///   (Hanweb `dataproxy.jsp`).
///
/// Each candidate is turned into a profile and read with the same code as registered
/// profiles are; the reading is scored: dated items count most, items without a date, with
/// very short titles, without a real link or linking to a column index (menus) count
/// against. The best profile is returned with what it reads.
public enum ListProbe {
    /// Candidates read and scored per body, at most (the cheap pre-score picks them).
    static let maxCandidates = 12

    public static func probe(_ body: [UInt8], contentType: String?, baseURL: String, fetchedAt: Date) -> ProbeResult {
        let context = ReadContext(baseURL: baseURL, fetchedAt: fetchedAt)
        var result = ProbeResult(format: nil, profile: nil, document: nil, problems: [], alternatives: [], error: nil, paging: nil)
        let prepared: DocumentReader.Prepared
        do {
            prepared = try DocumentReader.prepare(body, contentType: contentType)
        } catch {
            result.error = error
            result.problems = [.unreadable(error)]
            return result
        }
        let bytes = prepared.bytes
        var found: [Found] = []
        switch sniff(bytes) {
        case .json, .script:
            let parsed: (value: Any, wrapper: String?)
            do {
                parsed = try JSONListReader.parse(bytes)
            } catch {
                result.error = error
                result.problems = [.unreadable(error)]
                return result
            }
            result.format = parsed.wrapper == nil ? .json : parsed.wrapper!.hasPrefix("JSONP") ? .jsonp : .javascript
            if let object = parsed.value as? [String: Any], (object["version"] as? String)?.contains("jsonfeed.org") == true {
                result.format = .jsonFeed
                found = [Found(profile: .feed, score: 0, reading: ListReading())]
            } else {
                found = jsonCandidates(parsed.value, context)
            }
        case .xml:
            let parsed = XMLRecordsReader.parse(bytes, context).parse
            result.problems += parsed.notes
            guard let doc = parsed.doc else {
                let error = ParseError("无法按 XML 解析：\(parsed.log.messages.first ?? "未知错误")")
                result.error = error
                result.problems = [.unreadable(error)]
                return result
            }
            defer { xmlFreeDoc(doc) }
            let root = xmlDocGetRootElement(doc).map(XMLNode.init(raw:))
            if let root, root.named("rss") || root.named("RDF") || root.named("feed") {
                result.format = root.named("rss") ? .rss : root.named("RDF") ? .rss1 : .atom
                found = [Found(profile: .feed, score: 0, reading: ListReading())]
            } else if let root, root.named("html") {
                result.format = .html
                found = htmlPage(bytes, context)
            } else {
                result.format = .xml
                found = xmlCandidates(doc, context)
            }
        case .html:
            result.format = .html
            found = htmlPage(bytes, context)
            // Hanweb JCMS column pages: the first records inline in `<script type="text/xml">`.
            if XMLRecordsReader.inlineDatastore(bytes) != nil {
                let parsed = XMLRecordsReader.parse(bytes, context).parse
                result.problems += parsed.notes
                if let doc = parsed.doc {
                    found += xmlCandidates(doc, context)
                    xmlFreeDoc(doc)
                }
            }
        }
        // Best first; equal scores in the profiles' own order, so a page always gets the same answer.
        found.sort { $0.score != $1.score ? $0.score > $1.score : "\($0.profile)" < "\($1.profile)" }
        result.alternatives = found.dropFirst().prefix(3).map(\.candidate)
        guard let best = found.first else {
            result.problems.append(.noListFound)
            return result
        }
        result.profile = best.profile
        do {
            let doc = try DocumentReader.read(prepared, contentType: contentType, profile: best.profile, context: context)
            result.document = doc
            // What the reader noted (items without a real link, the item cap …) is what a scan
            // with this source would note: the officer sees it before registering.
            // The markup notes of the probe's own parse (a bare &, NULs) come again from the
            // reader's: each once.
            result.problems += doc.problems.filter { !result.problems.contains($0) }
            if case .feed = best.profile {} else {
                let dated = doc.items.filter { $0.publishedAt != nil }.count
                if dated < doc.items.count {
                    result.problems.append(.undatedItems(count: doc.items.count - dated))
                }
            }
        } catch {
            result.error = error
            result.problems.append(.unreadable(error))
        }
        if let script = pageScript(bytes, baseURL: baseURL) {
            result.paging = script
            let url = script.pagedURL ?? "…/\(script.name){page_suffix}.\(script.ext)"
            result.problems.append(.trsPages(pages: script.pages, name: script.name, ext: script.ext, pagedURL: url,
                                             suggestedPages: script.suggestedPages))
        } else if let pages = pageCount(bytes) {
            result.problems.append(.scriptPages(pages: pages))
        }
        return result
    }

    /// The TRS page bar `createPageHTML(pages, current, "name", "ext")` of a page with more
    /// than one page, read from its arguments (name and extension default to `index`, `html`).
    static func pageScript(_ b: [UInt8], baseURL: String) -> PageScript? {
        // `XMLSafety.find` compares the first byte as is: the needles start with what precedes the call.
        let ends = [">", " ", "\n", "\t", ";"].compactMap { c -> Int? in
            let marker = Array((c + "CREATEPAGEHTML(").utf8)
            return XMLSafety.find(marker, in: b, from: 0).map { $0 + marker.count }
        }
        guard let start = ends.min() else { return nil }
        let window = String(decoding: b[start..<min(b.count, start + 200)], as: UTF8.self)
        guard let m = window.firstMatch(of: /^\s*(\d{1,6})\s*(?:,\s*(\d{1,6})\s*(?:,\s*["']([A-Za-z0-9_\-]+)["']\s*,\s*["']([A-Za-z0-9]+)["'])?)?/),
              let pages = Int(m.output.1), pages > 1 else { return nil }
        var script = PageScript(pages: pages, current: m.output.2.flatMap { Int($0) } ?? 0,
                                name: m.output.3.map(String.init) ?? "index", ext: m.output.4.map(String.init) ?? "html")
        // `…/index.html`, `…/index_3.html` or `…/`: the file name becomes `index{page_suffix}.html`.
        if baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://") {
            let path = baseURL.prefix { $0 != "?" && $0 != "#" }
            let file = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
            let paged = "\(script.name){page_suffix}.\(script.ext)"
            if file.isEmpty {
                script.pagedURL = path + paged
            } else if file.wholeMatch(of: /(.+?)(_\d+)?\.([A-Za-z0-9]+)/).map({ $0.output.1 == script.name && $0.output.3 == script.ext }) == true {
                script.pagedURL = path.dropLast(file.count) + paged
            }
        }
        return script
    }

    // MARK: - What the body is

    enum Sniffed { case json, script, xml, html }

    static func sniff(_ b: [UInt8]) -> Sniffed {
        let i = ScriptBody.skipSpaceAndComments(b, 0)
        guard i < b.count else { return .html }
        switch b[i] {
        case UInt8(ascii: "{"), UInt8(ascii: "["): return .json
        case UInt8(ascii: "<"):
            let head = Array(b[i..<min(b.count, i + 4096)])
            if XMLSafety.find(Array("<HTML".utf8), in: head, from: 0) != nil
                || XMLSafety.find(Array("<!DOCTYPE HTML".utf8), in: head, from: 0) != nil
                || XMLSafety.find(Array("<BODY".utf8), in: head, from: 0) != nil
                || XMLSafety.find(Array("<%@".utf8), in: head, from: 0) == 0 {
                return .html
            }
            if head.starts(with: "<?xml".utf8) { return .xml }
            // No prologue: an HTML tag first means an HTML fragment.
            let htmlTags = ["<DIV", "<UL", "<TABLE", "<LI", "<P", "<A ", "<SPAN", "<META", "<HEAD", "<TITLE", "<SCRIPT", "<!--"]
            return htmlTags.contains { XMLSafety.find(Array($0.utf8), in: head, from: 0) == 0 } ? .html : .xml
        default: return .script
        }
    }

    /// The page count a TRS `createPageHTML(n, …)` or a Hanweb `<totalpage>n` states.
    static func pageCount(_ b: [UInt8]) -> Int? {
        // `XMLSafety.find` compares the first byte as is: start the needles with a non-letter.
        for marker in [">CREATEPAGEHTML(", " CREATEPAGEHTML(", "\nCREATEPAGEHTML(", "\tCREATEPAGEHTML(", ";CREATEPAGEHTML(",
                       "<TOTALPAGE>"] {
            guard let at = XMLSafety.find(Array(marker.utf8), in: b, from: 0) else { continue }
            var i = at + marker.utf8.count
            while i < b.count, b[i] == 0x20 || b[i] == UInt8(ascii: "'") || b[i] == UInt8(ascii: "\"") { i += 1 }
            var n = 0
            var digits = 0
            while i < b.count, b[i] &- 0x30 < 10, digits < 6 { n = n * 10 + Int(b[i] - 0x30); i += 1; digits += 1 }
            if digits > 0, n > 1 { return n }
        }
        return nil
    }

    // MARK: - Scoring

    struct Found {
        var profile: ReadingProfile
        var score: Double
        var reading: ListReading

        var candidate: ProbeCandidate {
            ProbeCandidate(profile: profile, items: reading.items.count,
                           dated: reading.items.filter { $0.publishedAt != nil }.count,
                           linked: reading.items.filter { $0.link != nil }.count, score: score,
                           sample: reading.items.prefix(3).map(\.title))
        }
    }

    /// The score of a reading, or nil when it is no list of posts: fewer than `minItems`
    /// dated items, or fewer than half its items dated.
    static func score(_ items: [ListedPost], minItems: Int) -> Double? {
        let dated = items.filter { $0.publishedAt != nil }.count
        guard items.count >= minItems, dated >= minItems, dated * 2 >= items.count else { return nil }
        var score = 0.0
        for item in items {
            score += item.publishedAt != nil ? 10 : -4
            let length = item.title.count
            score += length >= 8 ? 3 : length >= 4 ? 1 : -4
            if length > 150 { score -= 6 }
            if let link = item.link {
                score += 2
                if looksLikeColumnIndex(link) { score -= 4 }
            } else {
                score -= 2
            }
        }
        // Many items with one and the same link are a menu or a pager.
        let links = Set(items.compactMap(\.link))
        if items.count >= 3, links.count * 2 < items.count, links.count > 0 { score -= Double(items.count * 4) }
        return score
    }

    /// A link to a column's index (`/zwgk/`, `/tzgg/index.html`): how menus link.
    static func looksLikeColumnIndex(_ link: String) -> Bool {
        let path = link.split(separator: "?", maxSplits: 1).first.map(String.init) ?? link
        if path.hasSuffix("/") { return true }
        let last = path.split(separator: "/").last.map { $0.lowercased() } ?? ""
        return last.hasPrefix("index.") || last.hasPrefix("default.")
    }

    // MARK: - HTML

    /// The lists of an HTML page (or an HTML string inside JSON / XML), as `.htmlList` profiles.
    static func htmlPage(_ bytes: [UInt8], _ context: ReadContext) -> [Found] {
        let parsed = HTMLListReader.parse(bytes, context)
        guard let doc = parsed.doc else { return [] }
        defer { xmlFreeDoc(doc) }
        return htmlLists(doc, context, minItems: 3).map {
            Found(profile: .htmlList(item: $0.xpaths.item, title: $0.xpaths.title, link: $0.xpaths.link,
                                     date: $0.xpaths.date ?? ""), score: $0.score, reading: $0.reading)
        }
    }

    /// A list found in an HTML tree: its XPaths, the member step (for HTML steps over
    /// fragments), and its reading.
    struct HTMLList {
        var xpaths: ListXPaths
        var memberStep: String
        var score: Double
        var reading: ListReading
    }

    private struct Group {
        var parent: xmlNodePtr
        var members: [xmlNodePtr]
        var tag: String
        var cls: String?
        var prescore: Int
    }

    /// The repeated structures of a parsed HTML tree, read and scored, best first.
    static func htmlLists(_ doc: xmlDocPtr, _ context: ReadContext, minItems: Int) -> [HTMLList] {
        // One walk: the elements whose own text is a date, and the groups of siblings. Every
        // top-level element is walked: text before `<html>` (a JSP directive) can make
        // libxml2 put an element of its own first.
        var dateElements = Set<xmlNodePtr>()
        var groups: [Group] = []
        let skipped: Set<String> = ["script", "style", "head", "select", "option", "noscript", "iframe", "svg"]
        var top = doc.pointee.children
        while let t = top {
            top = t.pointee.next
            guard t.pointee.type == XML_ELEMENT_NODE else { continue }
            XMLNode(raw: t).walkElements { node in
                let tag = node.name.lowercased()
                if skipped.contains(tag) { return .skipChildren }
                if let text = ownText(node.raw), text.utf8.count <= 60, text.contains(where: \.isNumber),
                   context.date(text) != nil {
                    dateElements.insert(node.raw)
                }
                var byKey: [String: [xmlNodePtr]] = [:]
                var byTag: [String: [xmlNodePtr]] = [:]
                var order: [String] = []
                for child in node.children where child.isElement {
                    let t = child.name.lowercased()
                    if skipped.contains(t) || t == "br" || t == "img" || t == "input" { continue }
                    let c = child.attribute("class") ?? ""
                    let key = t + "." + c
                    if byKey[key] == nil { order.append(key) }
                    byKey[key, default: []].append(child.raw)
                    byTag[t, default: []].append(child.raw)
                }
                var seenTags = Set<String>()
                for key in order {
                    let members = byKey[key]!
                    let tag = String(key.prefix { $0 != "." })
                    let cls = String(key.dropFirst(tag.count + 1))
                    if members.count >= minItems {
                        groups.append(Group(parent: node.raw, members: members, tag: tag,
                                        cls: cls.trimmingWhitespace().isEmpty ? nil : cls, prescore: 0))
                    }
                    if !seenTags.contains(tag), let all = byTag[tag], all.count > members.count, all.count >= minItems {
                        seenTags.insert(tag)
                        groups.append(Group(parent: node.raw, members: all, tag: tag, cls: nil, prescore: 0))
                    }
                }
                return .descend
            }
        }
        // Cheap pre-score: members holding both a link and a date.
        for i in groups.indices {
            var n = 0
            for m in groups[i].members.prefix(200) {
                var hasLink = false, hasDate = false
                XMLNode(raw: m).walkElements { e in
                    if e.named("a") || e.attribute("onclick") != nil { hasLink = true }
                    if dateElements.contains(e.raw) { hasDate = true }
                    return hasLink && hasDate ? .stop : .descend
                }
                if hasLink && hasDate { n += 1 }
            }
            groups[i].prescore = n
        }
        let chosen = groups.filter { $0.prescore >= minItems }.sorted { $0.prescore > $1.prescore }.prefix(maxCandidates)
        var lists: [HTMLList] = []
        var tried = Set<ListXPaths>()
        for group in chosen {
            guard let (xpaths, step) = describe(group, doc, dateElements), tried.insert(xpaths).inserted else { continue }
            guard let reading = try? HTMLListReader.items(in: doc, xpaths: xpaths, linkBase: context.baseURL, context),
                  let s = score(reading.items, minItems: minItems) else { continue }
            lists.append(HTMLList(xpaths: xpaths, memberStep: step, score: s, reading: reading))
        }
        return lists.sorted { $0.score > $1.score }
    }

    /// The text of an element's own text children, trimmed; nil when empty.
    static func ownText(_ node: xmlNodePtr) -> String? {
        var out = [UInt8]()
        var cur = node.pointee.children
        while let c = cur {
            if c.pointee.type == XML_TEXT_NODE || c.pointee.type == XML_CDATA_SECTION_NODE, let content = c.pointee.content {
                out.append(contentsOf: UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))))
                if out.count > 200 { break }
            }
            cur = c.pointee.next
        }
        let text = String(decoding: out, as: UTF8.self).trimmingWhitespace()
        return text.isEmpty ? nil : text
    }

    /// The XPaths of a group: the item path from the page, and the title, link and date paths
    /// relative to an item, each the one most members agree on. Nil when the members have no
    /// link.
    private static func describe(_ group: Group, _ doc: xmlDocPtr,
                                 _ dateElements: Set<xmlNodePtr>) -> (ListXPaths, String)? {
        var anchorPaths: [String: Int] = [:]
        var titlePaths: [String: Int] = [:]
        var datePaths: [String: Int] = [:]
        var titleAttrs = 0
        var withAnchor = 0
        var withoutA = 0
        for member in group.members.prefix(100) {
            let m = XMLNode(raw: member)
            // The title anchor: the link with the longest text.
            var anchor: XMLNode?
            var best = -1
            var date: XMLNode?
            var dateInAnchor: XMLNode?
            m.walkElements { e in
                if e.named("a") || (e.attribute("onclick") != nil && anchor == nil) {
                    let length = e.text.trimmingWhitespace().count
                    if length > best { best = length; anchor = e }
                }
                return .descend
            }
            if anchor == nil || !(anchor!.named("a")) { withoutA += 1 }
            var dates: [XMLNode] = []
            m.walkElements { e in
                guard dateElements.contains(e.raw) else { return .descend }
                if let anchor, isAncestor(anchor.raw, of: e.raw) {
                    if dateInAnchor == nil { dateInAnchor = e }
                } else {
                    dates.append(e)
                }
                return .descend
            }
            // An item with several dates (成文日期 and 发布日期 in 公开目录 lists): the one
            // labelled as published, else the first not labelled as written or in force, else
            // the first. The monitor judges when a post went out, not when it was drafted.
            date = dates.first { Self.saysPublished($0.text) } ?? dates.first { !Self.saysNotPublished($0.text) }
                ?? dates.first ?? dateInAnchor
            guard let anchor else { continue }
            withAnchor += 1
            let ap = relativePath(from: member, to: anchor.raw)
            anchorPaths[ap, default: 0] += 1
            if let t = anchor.attribute("title")?.trimmingWhitespace(), !t.isEmpty { titleAttrs += 1 }
            var titleNode = anchor
            if let date, isAncestor(anchor.raw, of: date.raw) {
                // The anchor holds the date too (a whole card is the link): the title is the
                // longest element inside it that does not hold the date.
                var longest = -1
                anchor.walkElements { e in
                    if e.raw == anchor.raw || isAncestor(e.raw, of: date.raw) || e.raw == date.raw { return .descend }
                    let length = e.text.trimmingWhitespace().count
                    if length > longest { longest = length; titleNode = e }
                    return .skipChildren
                }
            }
            titlePaths[relativePath(from: member, to: titleNode.raw), default: 0] += 1
            if let date {
                let dp = date.raw == member ? "text()[normalize-space()][last()]" : relativePath(from: member, to: date.raw)
                datePaths[dp, default: 0] += 1
            }
        }
        guard withAnchor * 2 >= group.members.prefix(100).count, let anchorPath = mode(anchorPaths),
              let titlePath = mode(titlePaths) else { return nil }
        let anchorIsA = withoutA * 2 < group.members.prefix(100).count
        let link = anchorIsA ? join(anchorPath, "@href") : join(anchorPath, "@onclick")
        let title = titlePath == anchorPath && titleAttrs * 5 >= withAnchor * 3 ? join(anchorPath, "@title") : titlePath
        var step = group.tag
        if let cls = group.cls, !cls.contains("'") { step += "[@class='\(cls)']" }
        if anchorIsA, withoutA > 0 || group.cls == nil, !group.tag.elementsEqual("a") { step += "[.//a]" }
        let item = itemPath(group.parent, step: step, doc)
        return (ListXPaths(item: item, title: title, link: link, date: mode(datePaths)), step)
    }

    static func saysPublished(_ text: String) -> Bool {
        ["发布", "公开日期", "发文日期", "上线"].contains { text.contains($0) }
    }

    static func saysNotPublished(_ text: String) -> Bool {
        ["成文", "印发", "生效", "施行", "截止", "废止", "有效期", "更新"].contains { text.contains($0) }
    }

    private static func join(_ path: String, _ tail: String) -> String {
        path == "." ? tail : path + "/" + tail
    }

    private static func mode(_ counts: [String: Int]) -> String? {
        counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
    }

    private static func isAncestor(_ a: xmlNodePtr, of node: xmlNodePtr) -> Bool {
        var cur = node.pointee.parent
        while let c = cur {
            if c == a { return true }
            cur = c.pointee.parent
        }
        return false
    }

    /// A child step naming `node` among its siblings: `tag`, `tag[@class='c']`, with a
    /// position when siblings share it.
    private static func step(_ node: xmlNodePtr) -> String {
        let n = XMLNode(raw: node)
        let tag = n.name.lowercased()
        let cls = n.attribute("class")
        let useClass = cls.map { !$0.trimmingWhitespace().isEmpty && !$0.contains("'") } ?? false
        var base = tag
        if useClass, let cls { base += "[@class='\(cls)']" }
        var index = 0, same = 0
        var cur = node.pointee.parent?.pointee.children
        while let c = cur {
            if c.pointee.type == XML_ELEMENT_NODE {
                let e = XMLNode(raw: c)
                if e.name.lowercased() == tag, !useClass || e.attribute("class") == cls {
                    same += 1
                    if c == node { index = same }
                }
            }
            cur = c.pointee.next
        }
        return same > 1 ? base + "[\(index)]" : base
    }

    /// The child path from `ancestor` down to `node` (`.` for the node itself).
    private static func relativePath(from ancestor: xmlNodePtr, to node: xmlNodePtr) -> String {
        var steps: [String] = []
        var cur: xmlNodePtr? = node
        while let c = cur, c != ancestor {
            steps.append(step(c))
            cur = c.pointee.parent
        }
        return steps.isEmpty ? "." : steps.reversed().joined(separator: "/")
    }

    /// The page-level XPath of a group's items: the parent named by its id, else by its class
    /// (with a position when the class is shared), else by its path from the nearest named
    /// ancestor or the root.
    private static func itemPath(_ parent: xmlNodePtr, step: String, _ doc: xmlDocPtr) -> String {
        var chain: [String] = []
        var cur: xmlNodePtr? = parent
        while let c = cur, c.pointee.type == XML_ELEMENT_NODE {
            let e = XMLNode(raw: c)
            let tag = e.name.lowercased()
            if let id = e.attribute("id"), !id.trimmingWhitespace().isEmpty, !id.contains("'") {
                let expr = "//\(tag)[@id='\(id)']"
                return unique(expr, c, doc) + chain.reversed().map { "/" + $0 }.joined() + "/" + step
            }
            if let cls = e.attribute("class"), !cls.trimmingWhitespace().isEmpty, !cls.contains("'") {
                let expr = "//\(tag)[@class='\(cls)']"
                return unique(expr, c, doc) + chain.reversed().map { "/" + $0 }.joined() + "/" + step
            }
            chain.append(self.step(c))
            cur = c.pointee.parent
        }
        return chain.reversed().map { "/" + $0 }.joined() + "/" + step
    }

    /// `expr`, or `(expr)[k]` when it matches more than `node`.
    private static func unique(_ expr: String, _ node: xmlNodePtr, _ doc: xmlDocPtr) -> String {
        guard let nodes = try? XMLRecordsReader.nodes(expr, in: doc, label: "条目"), nodes.count > 1,
              let k = nodes.firstIndex(of: node) else { return expr }
        return "(\(expr))[\(k + 1)]"
    }

    // MARK: - HTML inside JSON or XML

    /// The HTML step for fragments (each read on its own): the lists of the fragments read
    /// together, turned into an item path that works within any one fragment.
    static func htmlStep(_ fragments: [String], _ context: ReadContext, field: String? = nil) -> HTMLStep? {
        guard !fragments.isEmpty else { return nil }
        let single = fragments.count == 1
        // One string is parsed as it stands (the reader does the same); several are read
        // together to see their common shape, and the step then picks items by their own
        // step (`//li`), which works within any one of them.
        let html = single ? fragments[0] : "<html><body>" + fragments.prefix(50).joined(separator: "\n") + "</body></html>"
        let parsed = HTMLListReader.parse(Array(html.utf8), context)
        guard let doc = parsed.doc else { return nil }
        defer { xmlFreeDoc(doc) }
        let filled = fragments.filter { !$0.trimmingWhitespace().isEmpty }.count
        let lists = htmlLists(doc, context, minItems: single ? 3 : max(1, min(3, filled)))
        guard let best = lists.first else { return nil }
        let item = single ? best.xpaths.item : "//" + best.memberStep
        return HTMLStep(item: item, title: best.xpaths.title, link: best.xpaths.link, date: best.xpaths.date, field: field)
    }

    // MARK: - JSON

    static func jsonCandidates(_ root: Any, _ context: ReadContext) -> [Found] {
        var found: [Found] = []
        var visited = 0
        func consider(_ profile: JSONListProfile) {
            guard let doc = try? JSONListReader.read(root: root, profile: profile, context: context),
                  let s = score(doc.items, minItems: 1) else { return }
            var reading = ListReading()
            reading.items = doc.items
            found.append(Found(profile: .jsonList(profile), score: s, reading: reading))
        }
        func walk(_ value: Any, _ path: JSONPath, depth: Int) {
            visited += 1
            guard depth < 12, visited < 20_000 else { return }
            if let text = value as? String {
                if text.utf8.count > 40, text.contains("<a") || text.contains("<A"),
                   let step = htmlStep([text], context) {
                    consider(JSONListProfile(items: path.text, html: step))
                }
                return
            }
            if let object = value as? [String: Any] {
                for key in object.keys.sorted() { walk(object[key]!, path.appending(.member(key)), depth: depth + 1) }
                return
            }
            guard let array = value as? [Any] else { return }
            let objects = array.prefix(50).compactMap { $0 as? [String: Any] }
            if !objects.isEmpty, objects.count * 2 >= min(array.count, 50) {
                if let fields = JSONFields.pick(objects, context) {
                    consider(JSONListProfile(items: path.text, title: fields.title, link: fields.link, date: fields.date))
                } else if let field = JSONFields.htmlField(objects) {
                    let fragments = objects.compactMap { JSONListReader.text($0[field]) }
                    if let step = htmlStep(fragments, context, field: JSONPath.write([.member(field)])) {
                        consider(JSONListProfile(items: path.text, html: step))
                    }
                }
            }
            // Lists nested in the items (`data[0].list`) are looked for in the first few.
            for (i, element) in array.prefix(3).enumerated() where element is [Any] || element is [String: Any] {
                walk(element, path.appending(.index(i)), depth: depth + 1)
            }
        }
        walk(root, JSONPath.root, depth: 0)
        return found
    }

    // MARK: - XML

    static func xmlCandidates(_ doc: xmlDocPtr, _ context: ReadContext) -> [Found] {
        guard let rootPtr = xmlDocGetRootElement(doc) else { return [] }
        var found: [Found] = []
        var seen = Set<String>()
        func consider(_ profile: XMLRecordsProfile) {
            guard let reading = try? XMLRecordsReader.read(doc, profile: profile, context),
                  let s = score(reading.items, minItems: 1) else { return }
            found.append(Found(profile: .xmlRecords(profile), score: s, reading: reading))
        }
        XMLNode(raw: rootPtr).walkElements { node in
            var byName: [String: [XMLNode]] = [:]
            var order: [String] = []
            for child in node.children where child.isElement {
                if byName[child.name] == nil { order.append(child.name) }
                byName[child.name, default: []].append(child)
            }
            for name in order {
                let members = byName[name]!
                let item = "//\(node.name)/\(name)"
                guard seen.insert(item).inserted else { continue }
                let hasChildren = members.contains { $0.children.contains { $0.isElement } }
                // Records whose fields are attributes (`<record title="…" url="…" date="…"/>`):
                // each attribute is a field, read back with the XPath `@name`.
                let hasAttributes = members.contains { $0.attributes.count >= 2 }
                if hasChildren || hasAttributes {
                    let objects: [[String: Any]] = members.prefix(50).map { m in
                        var o: [String: Any] = [:]
                        for a in m.attributes where a.name.wholeMatch(of: /[A-Za-z_][A-Za-z0-9_\-]*/) != nil { o["@" + a.name] = a.value.trimmingWhitespace() }
                        for c in m.children where c.isElement && o[c.name] == nil { o[c.name] = c.text.trimmingWhitespace() }
                        return o
                    }
                    if let f = JSONFields.pick(objects, context) {
                        consider(XMLRecordsProfile(item: item, title: f.title, link: f.link, date: f.date))
                    }
                }
                // A record's text may still be HTML (attributes such as `id` beside the CDATA).
                if !hasChildren {
                    let texts = members.prefix(50).map { $0.text.trimmingWhitespace() }
                    if texts.contains(where: { $0.contains("<a") || $0.contains("<A") }),
                       let step = htmlStep(texts, context) {
                        consider(XMLRecordsProfile(item: item, html: step))
                    }
                }
            }
            return .descend
        }
        return found
    }
}

/// Picking the title, link and date fields of list items given as objects (JSON items, or
/// XML records' children), by their values first and their names second.
enum JSONFields {
    static let titleNames = ["title", "doctitle", "name", "subject", "bt", "headline", "infotitle", "xxbt", "wzbt", "biaoti"]
    static let linkNames = ["url", "link", "href", "infourl", "docpuburl", "puburl", "linkurl", "path", "weburl", "fwdz"]
    static let dateNames = ["date", "time", "pub", "rel", "day", "fbrq", "fbsj", "rq", "sj", "created", "publish"]
    static let notLinkNames = ["img", "pic", "thumb", "cover", "logo", "icon", "image", "photo", "video", "file"]

    /// The fields' paths (one level of nesting looked into), or nil without a title and a link.
    static func pick(_ objects: [[String: Any]], _ context: ReadContext) -> (title: String, link: String, date: String?)? {
        var columns: [[JSONPath.Step]: [Any]] = [:]
        for o in objects {
            for (k, v) in o {
                if let inner = v as? [String: Any] {
                    for (k2, v2) in inner where !(v2 is [Any]) && !(v2 is [String: Any]) {
                        columns[[.member(k), .member(k2)], default: []].append(v2)
                    }
                } else if !(v is [Any]) {
                    columns[[.member(k)], default: []].append(v)
                }
            }
        }
        let n = Double(objects.count)
        var best: (date: (Double, String)?, link: (Double, String)?, title: (Double, String)?) = (nil, nil, nil)
        // In path order, and a later field must score higher to win: the same body always
        // gives the same fields (a Dictionary's order changes from one process to the next).
        for (path, steps, values) in columns.map({ (JSONPath.write($0.key), $0.key, $0.value) }).sorted(by: { $0.0 < $1.0 }) {
            guard case .member(let last) = steps.last! else { continue }
            let name = last.lowercased()
            let texts = values.compactMap { JSONListReader.text($0) }.filter { !$0.isEmpty }
            guard Double(texts.count) >= n * 0.6 else { continue }
            let dates = values.filter { JSONListReader.dateValue($0, context).1 != nil }.count
            let isNumber = values.allSatisfy { $0 is NSNumber }
            let nameSaysDate = dateNames.contains { name.contains($0) }
            let urls = texts.filter(looksLikeLink).count
            if Double(urls) >= n * 0.6, !nameSaysDate || linkNames.contains(name), !notLinkNames.contains(where: { name.contains($0) }) {
                let s = Double(urls) + (linkNames.contains(name) ? 5 : 0)
                if best.link == nil || s > best.link!.0 { best.link = (s, path) }
                continue
            }
            if Double(dates) >= n * 0.6, texts.allSatisfy({ $0.count <= 40 }), !isNumber || nameSaysDate || dates == values.count {
                var s = Double(dates) + (nameSaysDate ? 5 : 0)
                if name.contains("pub") || name.contains("rel") || name.contains("infodate") || name.hasPrefix("fb") { s += 3 }
                if name.contains("update") || name.contains("modif") || name.contains("end") { s -= 3 }
                // Shown or published beats written or created (成文日期): the monitor judges when
                // a post went out.
                if name.contains("show") || name.contains("online") || name.contains("issue") { s += 2 }
                if name.contains("create") || name.contains("write") || name.hasPrefix("cw") { s -= 2 }
                if best.date == nil || s > best.date!.0 { best.date = (s, path) }
                continue
            }
            guard !isNumber else { continue }
            let avg = Double(texts.reduce(0) { $0 + $1.count }) / max(1, Double(texts.count))
            guard avg >= 4 else { continue }
            var s = min(avg, 60)
            if titleNames.contains(name) || name.hasSuffix("title") { s += 100 }
            if ["content", "body", "summary", "desc", "abstract", "text", "html", "source", "author"].contains(where: { name.contains($0) }) { s -= 80 }
            if avg > 150 { s -= 50 }
            if best.title == nil || s > best.title!.0 { best.title = (s, path) }
        }
        guard let title = best.title?.1, let link = best.link?.1 else { return nil }
        return (title, link, best.date?.1)
    }

    /// A field whose values hold HTML with links (Hanweb JPaaS items with an `html` member).
    static func htmlField(_ objects: [[String: Any]]) -> String? {
        guard let first = objects.first else { return nil }
        for key in first.keys.sorted() {
            let texts = objects.compactMap { $0[key] as? String }
            if texts.count * 2 >= objects.count, texts.allSatisfy({ $0.contains("<a") || $0.contains("<A") }) { return key }
        }
        return nil
    }

    static func looksLikeLink(_ s: String) -> Bool {
        let lower = s.lowercased()
        guard !lower.contains(" "), lower.count < 500 else { return false }
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("//") { return true }
        if lower.hasPrefix("/") || lower.hasPrefix("./") || lower.hasPrefix("../") { return true }
        return [".html", ".htm", ".shtml", ".jsp", ".aspx", ".php", ".pdf"].contains { lower.contains($0) }
    }
}
