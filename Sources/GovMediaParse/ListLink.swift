import Foundation

/// Links that are not links. Government list pages often print `<a href="javascript:void(0);"
/// onclick="window.open('/art/2026/11/28/art_1.html')">` or `href="#"` with the target in the
/// item's `onclick`. Such a value, stored as the link, made every item of the page one post
/// (they all had the key `link:javascript:void(0);`). Every list reader (HTML, JSON, XML)
/// goes through ``resolve(_:scripts:base:)``.
enum ListLink {
    /// Whether `value` names no address: empty, a fragment (`#`, `#top`) or `javascript:…`.
    static func isPseudo(_ value: String) -> Bool {
        let v = value.trimmingWhitespace()
        if v.isEmpty || v.hasPrefix("#") { return true }
        return v.prefix(11).lowercased() == "javascript:"
    }

    /// Whether `value` is script rather than an address (`window.open('…')` read from an
    /// `onclick` attribute by a profile's link XPath).
    private static func looksLikeScript(_ value: String) -> Bool {
        // Addresses never hold quotes; script that navigates always quotes its target.
        guard value.contains("'") || value.contains("\"") else { return false }
        let v = value.lowercased()
        return v.contains("open(") || v.contains("location")
    }

    /// The absolute link of an item, or nil when it has none: `value` resolved against
    /// `base` when it is an address; else the address in its own script
    /// (`javascript:window.open('…')`), else the first address found in `scripts()` (the
    /// `onclick` of the link element and of the item, asked for only when needed).
    static func resolve(_ value: String, scripts: () -> [String], base: String) -> String? {
        let v = value.trimmingWhitespace()
        if !isPseudo(v), !looksLikeScript(v) { return LinkResolver.resolve(v, base: base) }
        let candidates = [v] + scripts()
        for script in candidates {
            if let target = target(inScript: script), !isPseudo(target) {
                return LinkResolver.resolve(target, base: base)
            }
        }
        return nil
    }

    /// The address a piece of script navigates to: the first quoted string after
    /// `open(` (`window.open('…')`), `location =`, `location.href =`, `location.assign(` or
    /// `location.replace(`. Nil when it names none (`showDetail(42)`, `return false`).
    static func target(inScript script: String) -> String? {
        let s = Array(script.utf8)
        guard !s.isEmpty else { return nil }
        let lower = s.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        for marker in [Array("open(".utf8), Array("location".utf8)] {
            var from = 0
            while let at = find(marker, in: lower, from: from) {
                from = at + marker.count
                var i = from
                if marker.last == UInt8(ascii: "n") {
                    // location[.href] = '…' | location.assign('…') | location.replace('…')
                    for suffix in [".href", ".assign", ".replace"] where lower[i...].starts(with: suffix.utf8) {
                        i += suffix.utf8.count
                        break
                    }
                    while i < s.count, s[i] == 0x20 { i += 1 }
                    guard i < s.count, s[i] == UInt8(ascii: "=") || s[i] == UInt8(ascii: "(") else { continue }
                    if s[i] == UInt8(ascii: "="), i + 1 < s.count, s[i + 1] == UInt8(ascii: "=") { continue }
                    i += 1
                }
                while i < s.count, s[i] == 0x20 { i += 1 }
                guard i < s.count, s[i] == UInt8(ascii: "'") || s[i] == UInt8(ascii: "\"") else { continue }
                let quote = s[i]
                var j = i + 1
                while j < s.count, s[j] != quote { j += 1 }
                guard j < s.count else { continue }
                let text = String(decoding: s[(i + 1)..<j], as: UTF8.self).trimmingWhitespace()
                if !text.isEmpty { return text }
            }
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard needle.count <= hay.count else { return nil }
        var i = from
        while i + needle.count <= hay.count {
            if hay[i] == needle[0], hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
