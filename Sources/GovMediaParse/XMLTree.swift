import CLibXML2
import GovMediaCore

/// Read-only helpers over libxml2's tree, kept in one place so the readers never touch
/// raw pointers beyond these few calls.
struct XMLNode {
    let raw: xmlNodePtr

    var isElement: Bool { raw.pointee.type == XML_ELEMENT_NODE }

    /// The local name (no prefix).
    var name: String { raw.pointee.name.map { String(cString: $0) } ?? "" }

    /// Whether the local name matches, ignoring case (feeds in the wild vary).
    func named(_ n: String) -> Bool {
        guard let p = raw.pointee.name else { return false }
        // As xmlStrcasecmp compares (only A–Z fold), without making a C string of `n`.
        var i = 0
        for c in n.utf8 {
            let b = p[i]
            if b == 0 || XMLNode.foldASCII(b) != XMLNode.foldASCII(c) { return false }
            i += 1
        }
        return p[i] == 0
    }

    @inline(__always)
    static func foldASCII(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }

    var namespaceURI: String? {
        raw.pointee.ns.flatMap { $0.pointee.href.map { String(cString: $0) } }
    }

    var children: XMLChildren { XMLChildren(first: raw.pointee.children) }

    func child(_ n: String) -> XMLNode? { children.first { $0.isElement && $0.named(n) } }

    /// The element's attributes, name and value, in document order.
    var attributes: [(name: String, value: String)] {
        var out: [(String, String)] = []
        var cur = raw.pointee.properties
        while let a = cur {
            if let name = a.pointee.name.map({ String(cString: $0) }), let v = xmlGetProp(raw, a.pointee.name) {
                out.append((name, String(cString: v)))
                cxml_free(v)
            }
            cur = a.pointee.next
        }
        return out
    }

    func attribute(_ n: String) -> String? {
        guard let v = xmlGetProp(raw, n) else { return nil }
        defer { cxml_free(v) }
        return String(cString: v)
    }

    /// The text of this node and its descendants: text and CDATA only. Entity references
    /// are skipped on purpose — following them is how entity expansion attacks work.
    var text: String { text(skipping: []) }

    /// ``text`` without the subtrees of descendant elements named in `skipped` (compared
    /// ignoring case, in C, so a description full of markup allocates nothing per element).
    func text(skipping skipped: [String]) -> String {
        // The usual field, `<title>text</title>` or one CDATA section: its bytes become the
        // String directly (one UTF-8 validation), without a buffer in between.
        if let only = raw.pointee.children, only.pointee.next == nil,
           only.pointee.type == XML_TEXT_NODE || only.pointee.type == XML_CDATA_SECTION_NODE {
            guard let content = only.pointee.content else { return "" }
            return String(decoding: UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))), as: UTF8.self)
        }
        var out = [UInt8]()
        XMLNode.collect(raw, into: &out, skipping: skipped)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the text under `node` in document order. Walked without recursion (down to
    /// the first child, on to the next sibling, back up through the parents), so a title
    /// nested as deep as libxml2 allows keeps its text and no depth can exhaust the stack.
    private static func collect(_ node: xmlNodePtr, into out: inout [UInt8], skipping skipped: [String]) {
        var cur = node.pointee.children
        while let c = cur {
            switch c.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = c.pointee.content {
                    out.append(contentsOf: UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))))
                }
            case XML_ELEMENT_NODE:
                if let first = c.pointee.children, skipped.isEmpty || !skipped.contains(where: XMLNode(raw: c).named) {
                    cur = first
                    continue
                }
            default:
                break
            }
            // The next node: a sibling, or the sibling of the nearest ancestor below `node` that has one.
            var done = c
            while done.pointee.next == nil {
                guard let parent = done.pointee.parent, parent != node else { return }
                done = parent
            }
            cur = done.pointee.next
        }
    }
}

/// What ``XMLNode/walkElements(_:)`` does after visiting an element.
enum WalkStep {
    case descend, skipChildren, stop
}

extension XMLNode {
    /// Visits this element and the elements below it in document order, without recursion
    /// (a broken or hostile document can nest hundreds deep). Only elements are entered:
    /// an entity reference's children are the entity's declaration, never followed.
    func walkElements(_ visit: (XMLNode) -> WalkStep) {
        var current: xmlNodePtr? = raw
        while let node = current {
            var step = WalkStep.skipChildren
            if node.pointee.type == XML_ELEMENT_NODE {
                step = visit(XMLNode(raw: node))
                if step == .stop { return }
            }
            if step == .descend, node.pointee.type == XML_ELEMENT_NODE, let child = node.pointee.children {
                current = child
                continue
            }
            // Next sibling, else the nearest ancestor's next sibling, never leaving the subtree.
            var up: xmlNodePtr? = node
            current = nil
            while let u = up, u != raw {
                if let sibling = u.pointee.next {
                    current = sibling
                    break
                }
                up = u.pointee.parent
            }
        }
    }
}

/// The element and text children of a node, in order.
struct XMLChildren: Sequence {
    let first: xmlNodePtr?

    func makeIterator() -> Iterator { Iterator(cur: first) }

    /// A plain struct, not `AnyIterator`: no closure box allocated per walk.
    struct Iterator: IteratorProtocol {
        var cur: xmlNodePtr?

        mutating func next() -> XMLNode? {
            guard let c = cur else { return nil }
            cur = c.pointee.next
            return XMLNode(raw: c)
        }
    }
}

/// Resolves links against a base URL with libxml2's RFC 3986 resolver.
enum LinkResolver {
    static func resolve(_ link: String, base: String) -> String? {
        let trimmed = link.trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        // A link with a scheme comes back from xmlBuildURI unchanged (libxml2 returns an
        // absolute reference as it is, and nil, meaning `trimmed`, when it does not parse), so
        // the two URI parses are skipped. Not with a NUL in it: C would see a shorter string.
        if hasScheme(trimmed) { return trimmed }
        // libxml2's parser refuses what pages and registers hold and browsers take: non-ASCII
        // (a Chinese path, an IDN host) and a few ASCII characters (space, `{`, `|`); with
        // such a base it hands the link back unresolved. Escaped, they parse; the non-ASCII
        // comes back as written, the ASCII stays escaped.
        guard trimmed.utf8.contains(where: mustEscape) || base.utf8.contains(where: mustEscape) else {
            return build(trimmed, base) ?? trimmed
        }
        guard let built = build(escaped(trimmed), escaped(base)) else { return trimmed }
        return unescapingNonASCII(built)
    }

    private static func build(_ link: String, _ base: String) -> String? {
        guard let built = xmlBuildURI(link, base) else { return nil }
        defer { cxml_free(built) }
        return String(cString: built)
    }

    /// A byte libxml2's URI parser refuses: non-ASCII, space and controls, and `"<>\^`{|}`.
    private static func mustEscape(_ byte: UInt8) -> Bool {
        switch byte {
        case 0...0x20, 0x80...0xFF, UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\\"), UInt8(ascii: "^"),
             UInt8(ascii: "`"), UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"): true
        default: false
        }
    }

    /// `text` with bytes libxml2's URI parser refuses written as `%XX`; `%` itself is kept.
    static func escaped(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            if mustEscape(byte) {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `%XX` escapes of bytes 0x80 and above written back as the characters they spell, when
    /// the result is UTF-8 and none of them is a space or a control (`%C2%A0`, `%E2%80%AE`
    /// stay escaped: the address would be refused or act on a terminal); else `text` as it is.
    static func unescapingNonASCII(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        func hexValue(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: b - 0x30
            case 0x41...0x46: b - 0x41 + 10
            case 0x61...0x66: b - 0x61 + 10
            default: nil
            }
        }
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2]),
               high >= 8 {
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        guard let decoded = String(validating: out, as: UTF8.self),
              !decoded.unicodeScalars.contains(where: { $0.properties.isWhitespace || TerminalSafety.isUnsafe($0.value) })
        else { return text }
        return decoded
    }

    /// Whether `link` starts with an RFC 3986 scheme and a colon (`ALPHA *( ALPHA / DIGIT /
    /// "+" / "-" / "." ) ":"`) and holds no NUL.
    static func hasScheme(_ link: String) -> Bool {
        var link = link
        link.makeContiguousUTF8()
        return link.utf8.withContiguousStorageIfAvailable { p -> Bool in
            guard let first = p.first, (first | 0x20) &- 0x61 < 26 else { return false }
            var i = 1
            while i < p.count {
                let b = p[i]
                if b == UInt8(ascii: ":") { break }
                guard (b | 0x20) &- 0x61 < 26 || b &- 0x30 < 10 || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
                        || b == UInt8(ascii: ".") else { return false }
                i += 1
            }
            guard i < p.count else { return false }
            return !p.contains(0)
        } ?? false
    }
}

extension String {
    /// Leading and trailing whitespace (including full-width spaces and NBSP) removed.
    ///
    /// Read from the UTF-8 bytes at both ends; the usual string, with nothing to trim, is
    /// returned as it is, and otherwise the kept part is copied once, without decoding it.
    func trimmingWhitespace() -> String {
        var s = self
        s.makeContiguousUTF8()
        let kept = s.utf8.withContiguousStorageIfAvailable { p -> (Int, Int) in
            let n = p.count
            var lo = 0
            while lo < n {
                let (v, length) = Self.scalar(in: p, at: lo)
                guard Self.isWhitespace(v) else { break }
                lo += length
            }
            guard lo < n else { return (0, 0) }
            var hi = n
            while hi > lo {
                var start = hi - 1
                while start > lo, p[start] & 0xC0 == 0x80 { start -= 1 }
                guard Self.isWhitespace(Self.scalar(in: p, at: start).value) else { break }
                hi = start
            }
            return (lo, hi)
        } ?? (0, 0)
        if kept.0 == 0 && kept.1 == s.utf8.count { return s }
        if kept.0 == kept.1 { return "" }
        let u = s.utf8
        return String(s[u.index(u.startIndex, offsetBy: kept.0)..<u.index(u.startIndex, offsetBy: kept.1)])
    }

    /// The scalar starting at `i` of valid UTF-8, and its length in bytes.
    @inline(__always)
    private static func scalar(in p: UnsafeBufferPointer<UInt8>, at i: Int) -> (value: UInt32, length: Int) {
        let b = UInt32(p[i])
        if b < 0x80 { return (b, 1) }
        if b < 0xE0 { return ((b & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F), 2) }
        if b < 0xF0 { return ((b & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F), 3) }
        return ((b & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12 | UInt32(p[i + 2] & 0x3F) << 6 | UInt32(p[i + 3] & 0x3F), 4)
    }

    /// Unicode's White_Space property (`Unicode.Scalar.Properties.isWhitespace`), spelt out:
    /// the set has not changed since Unicode 6.3, and a table lookup per end was the cost.
    @inline(__always)
    static func isWhitespace(_ v: UInt32) -> Bool {
        switch v {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

}
