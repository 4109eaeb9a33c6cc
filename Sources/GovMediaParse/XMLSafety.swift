/// Defuses document type declarations before libxml2 sees the bytes. Entities declared
/// in a DTD are how billion-laughs and external-entity attacks work; feeds have no use
/// for them, so the declaration is blanked out (newlines kept, so line numbers in
/// libxml2's messages still match the page) and references to its entities become
/// recoverable "undefined entity" errors that cost nothing.
enum XMLSafety {
    /// Blanks every DOCTYPE; returns whether there was one.
    static func blankDoctypes(_ bytes: inout [UInt8]) -> Bool {
        var found = false
        var from = 0
        while let start = find(Array("<!DOCTYPE".utf8), in: bytes, from: from) {
            from = blank(&bytes, at: start)
            found = true
        }
        return found
    }

    /// Blanks one declaration starting at `start`; returns the index after it.
    ///
    /// Inside the declaration, quoted literals, comments and processing instructions are
    /// stepped over whole: a `]` or `>` in `<!-- a ] b -->` or in `"x>y"` ends nothing, and an
    /// apostrophe in a comment (`<!-- don't -->`) opens no quote. Otherwise the declaration
    /// would end early and its tail (`]>`) would be left in front of the root element.
    private static func blank(_ bytes: inout [UInt8], at start: Int) -> Int {
        let marker = Array("<!DOCTYPE".utf8)
        let n = bytes.count
        var i = start + marker.count
        var depth = 0
        while i < n {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                var j = i + 1
                while j < n, bytes[j] != b { j += 1 }
                i = j + 1
                continue
            }
            if b == UInt8(ascii: "<"), i + 3 < n, bytes[i + 1] == UInt8(ascii: "!"),
               bytes[i + 2] == UInt8(ascii: "-"), bytes[i + 3] == UInt8(ascii: "-") {
                i = skip(past: Array("-->".utf8), in: bytes, from: i + 4)
                continue
            }
            if b == UInt8(ascii: "<"), i + 1 < n, bytes[i + 1] == UInt8(ascii: "?") {
                i = skip(past: Array("?>".utf8), in: bytes, from: i + 2)
                continue
            }
            if b == UInt8(ascii: "[") {
                depth += 1
            } else if b == UInt8(ascii: "]") {
                depth -= 1
            } else if b == UInt8(ascii: ">") && depth <= 0 {
                break
            }
            i += 1
        }
        let end = min(i, n - 1)
        for k in start...end where bytes[k] != 0x0A { bytes[k] = 0x20 }
        return end + 1
    }

    /// The index just after the first `terminator` at or after `from`, or the end.
    private static func skip(past terminator: [UInt8], in bytes: [UInt8], from: Int) -> Int {
        var i = from
        while i + terminator.count <= bytes.count {
            if bytes[i] == terminator[0], bytes[i..<(i + terminator.count)].elementsEqual(terminator) {
                return i + terminator.count
            }
            i += 1
        }
        return bytes.count
    }

    /// The first occurrence of the upper-case ASCII `needle`, ignoring case, from `from`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        let limit = haystack.count - needle.count
        guard from <= limit else { return nil }
        return haystack.withUnsafeBufferPointer { h -> Int? in
            var i = from
            while i <= limit {
                // Cheap first-byte test: '<' is rare enough in text to make this fast.
                if h[i] == needle[0] {
                    var j = 1
                    while j < needle.count {
                        var c = h[i + j]
                        if c >= 97, c <= 122 { c -= 32 }
                        if c != needle[j] { break }
                        j += 1
                    }
                    if j == needle.count { return i }
                }
                i += 1
            }
            return nil
        }
    }
}

// MARK: - Deep nesting

extension XMLSafety {
    /// How deep the flattened document may nest: below libxml2's own limit of 256 (which
    /// halts the whole parse, losing every later item), with room for the feed's own levels.
    static let maxDepth = 200

    /// HTML elements that never take an end tag: they do not nest, whatever the markup says.
    private static let voidElements: Set<[UInt8]> = Set(
        ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
         "track", "wbr"].map { Array($0.utf8) })

    /// Blanks the start tags that would nest deeper than ``maxDepth`` and as many end tags of
    /// the same names, so libxml2 reads the rest of the document instead of halting at its
    /// depth limit. The text inside stays (only the tags go), newlines are kept so line
    /// numbers still match, and the depth is counted the way libxml2 recovers: every end tag
    /// closes one element, whatever its name. Returns how many start tags were blanked and
    /// the offset of the first.
    ///
    /// Run only after libxml2 has reported excessive depth, so ordinary documents are never
    /// touched.
    static func flattenDeepNesting(_ bytes: inout [UInt8], html: Bool) -> (count: Int, first: Int) {
        let n = bytes.count
        var depth = 0
        var blankedStarts = 0
        var first = n
        // Per name, start tags blanked and not yet matched by a blanked end tag.
        var pending: [[UInt8]: Int] = [:]
        var i = 0
        while i < n {
            guard bytes[i] == UInt8(ascii: "<"), i + 1 < n else {
                i += 1
                continue
            }
            let next = bytes[i + 1]
            if next == UInt8(ascii: "!") {
                if i + 3 < n, bytes[i + 2] == UInt8(ascii: "-"), bytes[i + 3] == UInt8(ascii: "-") {
                    i = skip(past: Array("-->".utf8), in: bytes, from: i + 4)
                } else if i + 8 < n, bytes[(i + 2)..<(i + 9)].elementsEqual("[CDATA[".utf8) {
                    i = skip(past: Array("]]>".utf8), in: bytes, from: i + 9)
                } else {
                    i = skip(past: [UInt8(ascii: ">")], in: bytes, from: i + 2)
                }
                continue
            }
            if next == UInt8(ascii: "?") {
                i = skip(past: Array("?>".utf8), in: bytes, from: i + 2)
                continue
            }
            let isEnd = next == UInt8(ascii: "/")
            let nameStart = isEnd ? i + 2 : i + 1
            guard nameStart < n, isNameStart(bytes[nameStart]) else {
                i += 1
                continue
            }
            var nameEnd = nameStart
            while nameEnd < n, isNameByte(bytes[nameEnd]) { nameEnd += 1 }
            // The tag's end: the first `>` outside quoted attribute values.
            var j = nameEnd
            var quote: UInt8 = 0
            while j < n {
                let b = bytes[j]
                if quote != 0 {
                    if b == quote { quote = 0 }
                } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                    quote = b
                } else if b == UInt8(ascii: ">") || b == UInt8(ascii: "<") {
                    break
                }
                j += 1
            }
            let tagEnd = j < n && bytes[j] == UInt8(ascii: ">") ? j + 1 : j
            var name = Array(bytes[nameStart..<nameEnd])
            if html { name = name.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } }
            if isEnd {
                if let count = pending[name], count > 0 {
                    pending[name] = count - 1
                    blankTag(&bytes, i, tagEnd)
                } else {
                    depth = max(depth - 1, 0)
                }
            } else {
                let selfClosing = tagEnd >= 2 && bytes[tagEnd - 2] == UInt8(ascii: "/") && bytes[tagEnd - 1] == UInt8(ascii: ">")
                if !selfClosing && !(html && voidElements.contains(name)) {
                    if depth >= maxDepth {
                        pending[name, default: 0] += 1
                        if blankedStarts == 0 { first = i }
                        blankedStarts += 1
                        blankTag(&bytes, i, tagEnd)
                    } else {
                        depth += 1
                    }
                }
            }
            i = max(tagEnd, i + 1)
        }
        return (blankedStarts, first)
    }

    private static func blankTag(_ bytes: inout [UInt8], _ from: Int, _ to: Int) {
        for k in from..<to where bytes[k] != 0x0A { bytes[k] = 0x20 }
    }

    /// Letters, `_`, `:` and any non-ASCII byte (names in UTF-8) start a tag name.
    private static func isNameStart(_ b: UInt8) -> Bool {
        (b | 0x20) &- 0x61 < 26 || b == UInt8(ascii: "_") || b == UInt8(ascii: ":") || b >= 0x80
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        isNameStart(b) || b &- 0x30 < 10 || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
    }

    /// Writes every `&` that starts no entity or character reference as `&amp;`, outside
    /// CDATA sections, comments and processing instructions (where `&` is literal already).
    /// Returns how many were escaped. Linear; used only when libxml2 reported such an `&`.
    static func escapeBareAmpersands(_ bytes: inout [UInt8]) -> Int {
        let amp = UInt8(ascii: "&"), lt = UInt8(ascii: "<")
        guard bytes.contains(amp) else { return 0 }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        var escaped = 0
        var i = 0
        let n = bytes.count
        func starts(_ s: StaticString, at j: Int) -> Bool {
            let count = s.utf8CodeUnitCount
            guard j + count <= n else { return false }
            return s.withUTF8Buffer { p in (0..<count).allSatisfy { bytes[j + $0] == p[$0] } }
        }
        func skip(to end: StaticString, from j: Int) -> Int {
            var k = j
            while k < n, !starts(end, at: k) { k += 1 }
            return min(n, k + end.utf8CodeUnitCount)
        }
        while i < n {
            let b = bytes[i]
            if b == lt {
                let end = starts("<![CDATA[", at: i) ? skip(to: "]]>", from: i + 9)
                    : starts("<!--", at: i) ? skip(to: "-->", from: i + 4)
                    : starts("<?", at: i) ? skip(to: "?>", from: i + 2) : i + 1
                out.append(contentsOf: bytes[i..<end])
                i = end
                continue
            }
            if b == amp, !Self.startsReference(bytes, at: i) {
                out.append(contentsOf: Array("&amp;".utf8))
                escaped += 1
            } else {
                out.append(b)
            }
            i += 1
        }
        if escaped > 0 { bytes = out }
        return escaped
    }

    /// Whether the `&` at `i` starts `&name;`, `&#digits;` or `&#xhex;` (names up to 64 bytes).
    private static func startsReference(_ bytes: [UInt8], at i: Int) -> Bool {
        var j = i + 1
        let limit = min(bytes.count, i + 66)
        guard j < limit else { return false }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66) }
        func isNameStart(_ c: UInt8) -> Bool { (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || c == 0x5F || c == 0x3A }
        if bytes[j] == UInt8(ascii: "#") {
            j += 1
            let hex = j < limit && bytes[j] | 0x20 == UInt8(ascii: "x")
            if hex { j += 1 }
            let start = j
            while j < limit, hex ? isHex(bytes[j]) : isDigit(bytes[j]) { j += 1 }
            return j > start && j < limit && bytes[j] == UInt8(ascii: ";")
        }
        guard isNameStart(bytes[j]) else { return false }
        j += 1
        while j < limit, isNameStart(bytes[j]) || isDigit(bytes[j]) || bytes[j] == 0x2D || bytes[j] == 0x2E { j += 1 }
        return j < limit && bytes[j] == UInt8(ascii: ";")
    }
}
