/// How the monitor reads an account's `url`.
public enum AccountSource: Equatable, Hashable, Sendable {
    /// An RSS 0.9x/2.0, RSS 1.0 or Atom feed; the kind is detected from the document.
    case feed
    /// An HTML list page read through XPaths.
    case html(ListProfile)
    /// A feed bridge (RSSHub, a WeChat bridge) named in the config, or the one the config
    /// has for the account's platform when nil: the feed's address is built from the
    /// platform and the account's handle, never written in the register.
    case bridge(String?)
    /// A list served as JSON, JSONP or a JS data file.
    case json(JSONListProfile)
    /// XML records (Hanweb's dataproxy `<recordset>`) read through XPaths.
    case xml(XMLRecordsProfile)

    /// `feed`, `html`, `bridge`, `json` or `xml`, as in the register file.
    public var kind: String {
        switch self {
        case .feed: "feed"
        case .html: "html"
        case .bridge: "bridge"
        case .json: "json"
        case .xml: "xml"
        }
    }
}

/// The XPaths that pick posts out of an HTML list page: `item` is absolute, the others
/// are evaluated relative to each item node.
public struct ListProfile: Equatable, Hashable, Sendable {
    public var item: String
    public var title: String
    public var link: String
    public var date: String

    public init(item: String, title: String, link: String, date: String) {
        self.item = item
        self.title = title
        self.link = link
        self.date = date
    }
}

/// One government new-media account as the register (台账) records it.
public struct Account: Equatable, Sendable, Identifiable {
    public var id: String
    public var name: String
    public var platform: Platform
    public var owner: String
    public var ownerKind: OwnerKind
    /// The address read (a feed, a list page or an API), or the account's page on its
    /// platform when it is read through a bridge; may hold paging placeholders.
    public var url: WebAddress
    /// Filing date (备案日期).
    public var registeredOn: CivilDate
    public var status: AccountStatus
    public var source: AccountSource
    /// The platform's own id of the account (see `PlatformHandle`); required when read
    /// through a bridge.
    public var handle: String?
    /// How the list is requested (method, body, headers, pages), when not a plain GET.
    public var request: SourceRequest?
    public var responsible: String?
    /// Where the owner unit's rectification notices (整改通知) are mailed: `a@x.cn, b@x.cn`.
    /// Set on any of a unit's accounts, it serves the unit.
    public var contactEmail: String?
    public var notes: String?
    /// Date of deregistration, once deregistered.
    public var deregisteredOn: CivilDate?

    public init(
        id: String, name: String, platform: Platform, owner: String, ownerKind: OwnerKind,
        url: WebAddress, registeredOn: CivilDate, status: AccountStatus = .active,
        source: AccountSource = .feed, handle: String? = nil, request: SourceRequest? = nil, responsible: String? = nil,
        contactEmail: String? = nil, notes: String? = nil, deregisteredOn: CivilDate? = nil
    ) {
        self.handle = handle
        self.request = request
        self.id = id
        self.name = name
        self.platform = platform
        self.owner = owner
        self.ownerKind = ownerKind
        self.url = url
        self.registeredOn = registeredOn
        self.status = status
        self.source = source
        self.responsible = responsible
        self.contactEmail = contactEmail
        self.notes = notes
        self.deregisteredOn = deregisteredOn
    }
}

extension Account {
    /// The account as the register stood on `day`: nil when it was not yet filed; still
    /// live when it was deregistered after that day (a past check judges it as it was then).
    public func asRegistered(on day: CivilDate) -> Account? {
        guard registeredOn <= day else { return nil }
        guard status == .deregistered, let on = deregisteredOn, on > day else { return self }
        var live = self
        live.status = .active
        live.deregisteredOn = nil
        return live
    }
}
