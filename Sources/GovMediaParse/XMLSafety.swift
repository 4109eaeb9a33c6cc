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
    private static func blank(_ bytes: inout [UInt8], at start: Int) -> Int {
        let marker = Array("<!DOCTYPE".utf8)
        var i = start + marker.count
        var depth = 0
        var quote: UInt8 = 0
        while i < bytes.count {
            let b = bytes[i]
            if quote != 0 {
                if b == quote { quote = 0 }
            } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                quote = b
            } else if b == UInt8(ascii: "[") {
                depth += 1
            } else if b == UInt8(ascii: "]") {
                depth -= 1
            } else if b == UInt8(ascii: ">") && depth <= 0 {
                break
            }
            i += 1
        }
        let end = min(i, bytes.count - 1)
        for k in start...end where bytes[k] != 0x0A { bytes[k] = 0x20 }
        return end + 1
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
