import CLibXML2

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
        return xmlStrcasecmp(p, n) == 0
    }

    var namespaceURI: String? {
        raw.pointee.ns.flatMap { $0.pointee.href.map { String(cString: $0) } }
    }

    var children: XMLChildren { XMLChildren(first: raw.pointee.children) }

    func child(_ n: String) -> XMLNode? { children.first { $0.isElement && $0.named(n) } }

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
        var out = [UInt8]()
        XMLNode.collect(raw, into: &out, depth: 0, skipping: skipped)
        return String(decoding: out, as: UTF8.self)
    }

    private static func collect(_ node: xmlNodePtr, into out: inout [UInt8], depth: Int, skipping skipped: [String]) {
        guard depth < 64 else { return }
        var cur = node.pointee.children
        while let c = cur {
            switch c.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = c.pointee.content {
                    out.append(contentsOf: UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))))
                }
            case XML_ELEMENT_NODE:
                let element = XMLNode(raw: c)
                if skipped.isEmpty || !skipped.contains(where: element.named) {
                    collect(c, into: &out, depth: depth + 1, skipping: skipped)
                }
            default:
                break
            }
            cur = c.pointee.next
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

    func makeIterator() -> AnyIterator<XMLNode> {
        var cur = first
        return AnyIterator {
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
        guard let built = xmlBuildURI(trimmed, base) else { return trimmed }
        defer { cxml_free(built) }
        return String(cString: built)
    }
}

extension String {
    /// Leading and trailing whitespace (including full-width spaces and NBSP) removed.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
