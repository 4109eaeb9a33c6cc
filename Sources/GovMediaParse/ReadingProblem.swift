import Foundation

/// A problem a reader met in a body, and what it did about it: a charset label the bytes
/// contradict, broken markup it recovered, items it skipped or capped, an expression that
/// matched nothing. Typed so that tests and callers ask which problem it was, never match
/// wording; worded for officers once, here (``description``), since they read it beside the
/// evidence. A fetch stores the sentence it was shown (`fetch.problems`), as it stores a
/// failure message: the record says what the officer was told at the time.
public enum ReadingProblem: Sendable, Hashable, CustomStringConvertible {
    // MARK: Charset (``TextDecoding``)

    /// The body starts with a byte-order mark for another charset than the header's.
    case byteOrderMarkOverridesHeader(header: String, bom: String)
    /// A charset label no converter knows, in the header or the page.
    case unknownCharset(label: String, place: CharsetPlace)
    /// A label readable as ASCII that says UTF-16, which it cannot be.
    case asciiLabelSaysUTF16(label: String, place: CharsetPlace)
    /// The header's ISO-8859-1 (a server default) gave way to the page's own label.
    case defaultHeaderDeferredToPage(header: String, page: String)
    /// An ISO-8859-1 / windows-1252 header over bytes that are not Latin text.
    case defaultHeaderIgnored(label: String, readAs: String)
    /// Labelled UTF-8 but not valid UTF-8: read as GB18030.
    case labelledUTF8NotUTF8(label: String)
    /// A header saying UTF-16 over bytes without the NULs UTF-16 markup is full of.
    case headerUTF16NotUTF16(label: String, readAs: String)
    /// Labelled with a legacy charset but valid, Chinese-looking UTF-8: read as UTF-8.
    case legacyLabelButUTF8(label: String)
    /// No label; the bytes look like UTF-16 without a byte-order mark.
    case unlabelledUTF16(charset: String)
    /// No usable label and not UTF-8: read as GB18030, a guess an officer should see.
    case unlabelledReadAsGB18030
    /// iconv cannot convert the charset on this system.
    case noConverter(charset: String)
    /// Bytes that do not decode in the charset became U+FFFD.
    case undecodableBytes(count: Int, charset: String)

    // MARK: Markup

    /// NUL bytes were removed before parsing: libxml2 stops reading at a NUL, which silently
    /// dropped every item after it.
    case nulBytesRemoved(count: Int)
    /// Bare `&` (not starting an entity) were read as the character: libxml2's recovery drops
    /// the `&` and the word after it ("党建&业务" would be stored as "党建").
    case bareAmpersands(count: Int)
    /// A DOCTYPE was blanked before parsing: no entity is expanded, nothing external is read.
    case doctypeIgnored
    /// libxml2 recovered from errors; its first messages.
    case recoveredXMLErrors([String])
    /// Tags nested deeper than the reader's limit were dropped (their text kept) so the rest
    /// of the document could be read; `line` is where the first one was.
    case nestingFlattened(count: Int, line: Int, limit: Int)
    /// libxml2 stopped at its depth limit and the document could not be flattened: items
    /// after that point are missing.
    case nestingHalted
    /// More items than ``DocumentReader/maxItems``; the rest were not read.
    case tooManyItems(limit: Int)
    /// The body has more item tags than the tree gave items: broken markup swallowed some.
    case itemsMissing(tags: Int, read: Int, element: String)

    // MARK: JSON Feed

    /// A JSON body without JSON Feed's version, read as one because the Content-Type said so.
    case jsonFeedUnversioned
    /// One item skipped, with why (the first few are named one by one).
    case jsonFeedItemSkipped(index: Int, reason: SkippedItem)
    /// How many more items were skipped than were named.
    case moreItemsSkipped(count: Int)
    /// Items without a title took the first line of their text.
    case titlesFromText(count: Int, maxLength: Int)

    // MARK: Lists (HTML list pages, CMS JSON lists, XML records)

    /// The item expression matched nothing.
    case noItemsMatched(expression: ListExpression, item: String)
    /// The item path matched nothing at all in the JSON.
    case itemPathMatchedNothing(path: String)
    /// The HTML field path gave no text for any item.
    case htmlFieldEmpty(path: String)
    /// The item XPath matched no XML record.
    case noRecordsMatched(xpath: String)
    /// A field expression gave nothing for every one of `count` items.
    case fieldEmptyEverywhere(field: ListField, expression: ListExpression, count: Int, value: String)
    /// Items left without a real link (see ``ListLink``).
    case linklessItems(count: Int, of: Int)
    /// JSON items whose HTML field was empty.
    case itemsWithoutHTML(count: Int)
    /// The item path holds one string, not a list: it may be HTML needing an `html` step.
    case itemPathIsText
    /// JSON items that are not objects.
    case nonObjectItems(count: Int)
    /// XML records without text.
    case emptyRecords(count: Int)

    // MARK: Probe and paging

    /// The probe found no list of at least three dated, linked items.
    case noListFound
    /// Items of the found list without a date.
    case undatedItems(count: Int)
    /// The found list could not be read with the profile the probe chose.
    case unreadable(ParseError)
    /// A TRS column with `pages` pages (its `createPageHTML` bar), and how to read more.
    case trsPages(pages: Int, name: String, ext: String, pagedURL: String, suggestedPages: Int)
    /// A column with `pages` pages by another paging script.
    case scriptPages(pages: Int)
    /// A saved file read without `--base-url`: its relative links point into the file system.
    case relativeLinksAsFiles
    /// A paged read stopped early: page `read + 1` was empty, failed or added nothing.
    case pagingStopped(requested: Int, read: Int)

    /// Where an in-page charset label was.
    public enum CharsetPlace: Sendable, Hashable {
        case header, xmlDeclaration, meta
    }

    /// Why a JSON Feed item was skipped.
    public enum SkippedItem: Sendable, Hashable {
        case notAnObject
        /// Fields that should be strings but are not.
        case notStrings([String])
        case empty
    }

    /// The kind of expression a list reader was given, for naming it.
    public enum ListExpression: Sendable, Hashable {
        /// An XPath of an HTML list page or XML records.
        case xpath
        /// A JSON path of a CMS list.
        case jsonPath
        /// The item XPath of the `html` step inside JSON or XML records.
        case htmlStepXPath
    }

    /// The field of a list item an expression reads.
    public enum ListField: Sendable, Hashable {
        case title, date
    }

    /// A libxml2 message on one line: some quote the broken line of the document, newline
    /// and all, which would break a list of problems apart.
    static func oneLine(_ message: String) -> String {
        let flat = message.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : String($0) }.joined()
        let words = flat.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return words.count > 160 ? String(words.prefix(160)) + "…" : words
    }

    public var description: String {
        switch self {
        case let .byteOrderMarkOverridesHeader(header, bom):
            "HTTP 头声明 \(header)，但内容以 \(bom) 字节顺序标记开头，按 \(bom) 读取"
        case let .unknownCharset(label, place):
            "无法识别 \(place.name)中的字符集“\(label)”，已忽略"
        case let .asciiLabelSaysUTF16(label, place):
            "\(place.name)中的字符集为 \(label)，但内容与 ASCII 兼容，不可能是 UTF-16，已忽略"
        case let .defaultHeaderDeferredToPage(header, page):
            "HTTP 头声明 \(header)（常见的服务器默认值），按页面内声明的 \(page) 读取"
        case let .defaultHeaderIgnored(label, charset):
            "HTTP 头声明 \(label)（常见的服务器默认值），但内容是 \(charset) 编码，已忽略该声明，按 \(charset) 读取"
        case let .labelledUTF8NotUTF8(label):
            "声明为 \(label)，但内容不是有效 UTF-8，按 GB18030 读取"
        case let .headerUTF16NotUTF16(label, charset):
            "HTTP 头声明为 \(label)，但内容不像 UTF-16，按 \(charset) 读取"
        case let .legacyLabelButUTF8(label):
            "声明为 \(label)，但内容是有效 UTF-8，按 UTF-8 读取"
        case let .unlabelledUTF16(charset):
            "未声明字符集，内容像 \(charset)，按 \(charset) 读取"
        case .unlabelledReadAsGB18030:
            "未声明可用的字符集，内容不是有效 UTF-8，按 GB18030 读取"
        case let .noConverter(charset):
            "系统无法转换 \(charset)（iconv 不可用），非 ASCII 字节已替换为 U+FFFD"
        case let .undecodableBytes(count, charset):
            "有 \(count) 处无法按 \(charset) 解码的字节，已替换为 U+FFFD"
        case let .nulBytesRemoved(count):
            "内容含 \(count) 个 NUL（0x00）字节，已删除后再解析（否则其后的条目会全部丢失）"
        case let .bareAmpersands(count):
            "内容含 \(count) 个未转义的 &（应写作 &amp;），已按字面读取（否则 & 及其后的文字会丢失）"
        case .doctypeIgnored:
            "文档含 DOCTYPE 声明，已忽略（不展开实体、不读取外部实体）"
        case let .recoveredXMLErrors(messages):
            "XML 有错误，已尽量恢复：" + messages.prefix(3).map(Self.oneLine).joined(separator: "；")
        case let .nestingFlattened(count, line, limit):
            "嵌套过深：第 \(line) 行起有 \(count) 个标签超过 \(limit) 层，已忽略这些标签（文字保留）后继续读取，该处条目的标题、日期或摘要可能不完整"
        case .nestingHalted:
            "嵌套过深：文档嵌套超过 libxml2 的层数上限，解析在该处停止，该条目的内容和其后的条目可能缺失"
        case let .tooManyItems(limit):
            "条目超过 \(limit) 个，只读取前 \(limit) 个"
        case let .itemsMissing(tags, read, element):
            "原文中有 \(tags) 个 <\(element)> 标签，只读出 \(read) 个条目：XML 损坏处的条目可能缺失"
        case .jsonFeedUnversioned:
            "JSON 内容未声明 JSON Feed 版本（version），按 JSON Feed 读取"
        case let .jsonFeedItemSkipped(index, reason):
            "第 \(index + 1) 个条目（items[\(index)]）\(reason.text)，已跳过"
        case let .moreItemsSkipped(count):
            "另有 \(count) 个条目因格式错误被跳过"
        case let .titlesFromText(count, maxLength):
            "\(count) 个条目没有标题，已取正文第一行（最多 \(maxLength) 字）作为标题"
        case let .noItemsMatched(expression, item):
            "\(expression.itemLabel)没有匹配到任何条目：\(item)"
        case let .itemPathMatchedNothing(path):
            "条目路径没有匹配到任何内容：\(path)"
        case let .htmlFieldEmpty(path):
            "HTML 字段路径在全部条目中都没有取到文本：\(path)"
        case let .noRecordsMatched(xpath):
            "条目 XPath 没有匹配到任何记录：\(xpath)"
        case let .fieldEmptyEverywhere(field, expression, count, value):
            "\(field == .title ? "标题" : "日期")\(expression.fieldLabel)在全部 \(count) 个条目中都没有取到值：\(value)"
        case let .linklessItems(count, total):
            "\(count) 个条目（共 \(total) 个）没有真实链接（链接为 javascript:、# 或空，onclick 中也没有地址）：这些条目按标题和日期识别"
        case let .itemsWithoutHTML(count):
            "\(count) 个条目没有 HTML 文本，已跳过"
        case .itemPathIsText:
            "条目路径处是文本而不是条目列表：若其中是 HTML，请配置 html 步骤（条目、标题、链接、日期的 XPath）"
        case let .nonObjectItems(count):
            "\(count) 个条目不是 JSON 对象，已跳过"
        case let .emptyRecords(count):
            "\(count) 条记录没有文本，已跳过"
        case .noListFound:
            "未找到带链接和日期的条目列表（至少 3 条），请手工配置读取方式"
        case let .undatedItems(count):
            "找到的列表中有 \(count) 个条目没有日期，请核对"
        case let .unreadable(error):
            error.message
        case let .trsPages(pages, name, ext, url, suggested):
            "栏目共 \(pages) 页（TRS 分页脚本 createPageHTML，第 1 页 \(name).\(ext)，第 2 页 \(name)_1.\(ext)……），监测只读取本页；"
                + "如需多读几页，网址写成 \(url)，source 中加 \"request\": {\"pages\": \(suggested)}（页数 1—20）"
        case let .scriptPages(pages):
            "栏目共 \(pages) 页（分页脚本），监测只读取本页"
        case .relativeLinksAsFiles:
            "未给 --base-url：相对链接按本地文件解析（file://…），请用 --base-url 指定该页面的原网址"
        case let .pagingStopped(requested, read):
            "分页读取：共请求 \(requested) 页，第 \(read + 1) 页为空、失败或没有新条目，读到第 \(read) 页为止"
        }
    }
}

extension ReadingProblem.CharsetPlace {
    var name: String {
        switch self {
        case .header: "HTTP 头"
        case .xmlDeclaration: "XML 声明"
        case .meta: "<meta> 标签"
        }
    }
}

extension ReadingProblem.SkippedItem {
    var text: String {
        switch self {
        case .notAnObject: "不是 JSON 对象"
        case .notStrings(let fields): "的 " + fields.joined(separator: "、") + " 不是字符串"
        case .empty: "没有标题、链接、编号或正文"
        }
    }
}

extension ReadingProblem.ListExpression {
    var itemLabel: String {
        switch self {
        case .xpath: "条目 XPath "
        case .jsonPath: "条目路径"
        case .htmlStepXPath: "HTML 步骤的条目 XPath "
        }
    }

    var fieldLabel: String {
        switch self {
        case .xpath, .htmlStepXPath: " XPath "
        case .jsonPath: "路径"
        }
    }
}
