/// How to read a list served as JSON, JSONP or JavaScript by a government CMS.
///
/// The body is unwrapped first (see ``ScriptBody``): plain JSON, JSONP `name({...})` /
/// `name({...});`, `var x = {...};`, `let`/`const`, `window.x = {...}`, `x = {...}` and
/// `export default …`. A JS string or template literal (`export default \`<ul>…</ul>\``)
/// gives a string: the HTML ``html`` step reads it.
///
/// - `items`: a ``JSONPath`` to the list (`custom.data`, `data.list[*]`, `result.rows`;
///   empty or `$` for the root). A selected array stands for its elements. When the value
///   there is a string, it is HTML and ``html`` reads it.
/// - `title`, `link`, `date`: ``JSONPath``s relative to one item (`title`, `infourl`,
///   `attrs.pubDate`). `date` may be nil (the list prints none). A string date is read the
///   way every other date is (`PublishedDate`); a number is epoch seconds, or milliseconds
///   when it is over 10^11 (told apart by size: 10^11 seconds is the year 5138).
/// - `linkBase`: what relative links resolve against (itself resolved against the page's
///   final URL); nil: the page's final URL.
/// - `html`: the HTML step, for HTML inside the JSON (see ``HTMLStep``).
public struct JSONListProfile: Sendable, Equatable, Hashable, Codable {
    public var items: String
    public var title: String
    public var link: String
    public var date: String?
    public var linkBase: String?
    public var html: HTMLStep?

    public init(items: String, title: String = "", link: String = "", date: String? = nil,
                linkBase: String? = nil, html: HTMLStep? = nil) {
        self.items = items
        self.title = title
        self.link = link
        self.date = date
        self.linkBase = linkBase
        self.html = html
    }
}

/// How to read a CMS's XML records (Hanweb JCMS `dataproxy.jsp`:
/// `<datastore><recordset><record><![CDATA[<li>…</li>]]></record>…</recordset></datastore>`).
///
/// The XML is parsed by libxml2 with the network off and no entity expansion (any DOCTYPE is
/// blanked first, as for feeds). `item` is an XPath picking each record; `title`, `link`
/// and `date` are XPaths relative to a record (string values; `date` may be nil). With
/// ``html``, each record's text is an HTML fragment (usually in CDATA) read with the step,
/// and `title`, `link`, `date` are not used (leave them empty).
public struct XMLRecordsProfile: Sendable, Equatable, Hashable, Codable {
    public var item: String
    public var title: String
    public var link: String
    public var date: String?
    public var linkBase: String?
    public var html: HTMLStep?

    public init(item: String, title: String = "", link: String = "", date: String? = nil,
                linkBase: String? = nil, html: HTMLStep? = nil) {
        self.item = item
        self.title = title
        self.link = link
        self.date = date
        self.linkBase = linkBase
        self.html = html
    }
}

/// Reading HTML that arrives inside JSON or XML: `item` picks each post in the fragment
/// (`//li`), and `title`, `link`, `date` are XPaths relative to it, as for an HTML list
/// page (`a/@title`, `a/@href`, `span`).
///
/// Where the HTML is:
/// - XML records: each record's text;
/// - JSON, `field` nil: the string at the profile's `items` path (`data.html`, or the whole
///   body for `export default \`…\``);
/// - JSON, `field` set: a ``JSONPath`` relative to each item naming its HTML string; each
///   item's HTML is read on its own.
public struct HTMLStep: Sendable, Equatable, Hashable, Codable {
    public var item: String
    public var title: String
    public var link: String
    public var date: String?
    public var field: String?

    public init(item: String, title: String, link: String, date: String? = nil, field: String? = nil) {
        self.item = item
        self.title = title
        self.link = link
        self.date = date
        self.field = field
    }
}
