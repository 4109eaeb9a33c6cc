import CLibXML2
import Foundation

/// libxml2's process-wide set-up, done once before any parse.
enum LibXML {
    /// `xmlInitParser` must run once, before threads use the library.
    static let initialized: Bool = {
        xmlInitParser()
        return true
    }()
}

/// Collects the messages libxml2 reports while one piece of work runs on this thread.
/// libxml2 keeps the structured-error handler per thread, so parses on other threads
/// are unaffected.
final class XMLErrorLog {
    private(set) var messages: [String] = []
    /// Whether libxml2 stopped at its nesting-depth limit (it halts the whole parse there).
    /// Kept apart from `messages`, which stop at twenty.
    private(set) var depthExceeded = false
    /// Whether libxml2 met an `&` that starts no entity (`A&B`, `&nbsp` without `;`): its
    /// recovery then drops the text after it, so the reader repairs the bytes and reads again.
    private(set) var bareAmpersand = false

    /// Runs `body` with this log receiving libxml2's errors, then restores silence.
    func capture<T>(_ body: () throws -> T) rethrows -> T {
        _ = LibXML.initialized
        let context = Unmanaged.passUnretained(self).toOpaque()
        xmlSetStructuredErrorFunc(context) { ctx, error in
            guard let ctx, let error else { return }
            let log = Unmanaged<XMLErrorLog>.fromOpaque(ctx).takeUnretainedValue()
            // The depth limit is reported as an internal error ("Excessive depth in document:
            // 256 use XML_PARSE_HUGE option", XML and HTML alike); look at those past the cap too.
            let isInternal = error.pointee.code == Int32(XML_ERR_INTERNAL_ERROR.rawValue)
            if [XML_ERR_ENTITYREF_SEMICOL_MISSING, XML_ERR_NAME_REQUIRED].contains(where: { error.pointee.code == Int32($0.rawValue) }) {
                log.bareAmpersand = true
            }
            guard log.messages.count < 20 || isInternal else { return }
            let text = error.pointee.message.map { String(cString: $0) } ?? "未知错误"
            if isInternal, text.contains("Excessive depth") { log.depthExceeded = true }
            guard log.messages.count < 20 else { return }
            let line = error.pointee.line
            log.messages.append((line > 0 ? "第 \(line) 行：" : "") + text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        return try body()
    }
}

/// One XML parse as every XML reader does it (feeds, CMS records, the probe): libxml2 in
/// recover mode without network or entity expansion, and — only when libxml2 met a bare
/// `&`, whose recovery drops it and the word after it (`党建&业务` → `党建`) — the stray
/// ampersands escaped and the bytes parsed again. Well-formed documents are parsed once.
struct XMLParse {
    /// The tree, or nil when libxml2 could not build one; the caller frees it.
    var doc: xmlDocPtr?
    var log: XMLErrorLog
    /// The bytes the tree was parsed from (repaired when `ampersands` > 0).
    var bytes: [UInt8]
    /// How many bare `&` were escaped.
    var ampersands: Int

    init(_ bytes: [UInt8], baseURL: String) {
        var parsed = Self.once(bytes, baseURL: baseURL)
        self.bytes = bytes
        ampersands = 0
        if parsed.log.bareAmpersand {
            var repaired = bytes
            let count = XMLSafety.escapeBareAmpersands(&repaired)
            if count > 0 {
                if let doc = parsed.doc { xmlFreeDoc(doc) }
                parsed = Self.once(repaired, baseURL: baseURL)
                self.bytes = repaired
                ampersands = count
            }
        }
        doc = parsed.doc
        log = parsed.log
    }

    /// The reader's note on the repair, if there was one.
    var notes: [ReadingProblem] { ampersands > 0 ? [.bareAmpersands(count: ampersands)] : [] }

    private static func once(_ bytes: [UInt8], baseURL: String) -> (doc: xmlDocPtr?, log: XMLErrorLog) {
        let log = XMLErrorLog()
        let doc = log.capture {
            bytes.withUnsafeBufferPointer { buf in
                buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                    xmlReadMemory($0, Int32(clamping: buf.count), baseURL, "UTF-8", ParseOptions.xml)
                }
            }
        }
        return (doc, log)
    }
}

/// XPath checks for register validation.
public enum XPathCheck {
    /// Why `expression` does not compile, or nil when libxml2 accepts it.
    @Sendable public static func problem(_ expression: String) -> String? {
        let log = XMLErrorLog()
        let compiled = log.capture { xmlXPathCompile(expression) }
        guard let compiled else { return log.messages.first ?? "语法错误" }
        xmlXPathFreeCompExpr(compiled)
        return nil
    }
}
