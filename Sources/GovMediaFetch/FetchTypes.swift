import Foundation
import GovMediaCore

/// One URL to fetch for one caller key (usually an account id), with the validators the
/// caller remembered from the last successful fetch so the server can answer 304.
public struct FetchRequest: Sendable, Hashable {
    /// The caller's key, e.g. the account id; returned unchanged in the result.
    public var id: String
    /// The absolute http or https URL to fetch.
    public var url: String
    /// The ETag of the last stored copy, sent as `If-None-Match`.
    public var etag: String?
    /// The Last-Modified of the last stored copy, sent as `If-Modified-Since`.
    public var lastModified: String?
    /// Headers to send besides the validators, e.g. a feed bridge's token. A request that
    /// carries any is never redirected: a credential must reach the host it was meant for
    /// and no other.
    public var headers: [FetchHeader]
    /// A body to POST (a CMS's list form or JSON query); nil for GET.
    public var postBody: [UInt8]?
    /// Whether this request may connect to an internal address whatever the configuration
    /// says: true for a feed bridge the operator configured (they run beside govmedia, on
    /// the intranet), never for an account's own address, which comes from the register.
    /// Such a request follows no redirect and uses a connection of its own, closed after it.
    public var allowsInternalAddress = false

    /// Creates a request; pass the validators from the previous fetch to make it conditional.
    public init(id: String, url: String, etag: String? = nil, lastModified: String? = nil, headers: [FetchHeader] = [],
                postBody: [UInt8]? = nil) {
        self.id = id
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.headers = headers
        self.postBody = postBody
    }
}

/// A classified fetch failure with a message an officer can act on.
public struct FetchFailure: Error, Sendable, Hashable {
    /// The class of failure.
    public var kind: FetchFailureKind
    /// A Chinese message naming the URL and what curl (or the server) said.
    public var message: String
    /// What curl itself reported, if the failure came from curl.
    public var curlMessage: String?
    /// The server's Retry-After, in seconds, when it asked for a wait longer than allowed.
    public var retryAfter: TimeInterval?

    /// Creates a failure; the fetcher builds these, tests and callers may too.
    public init(kind: FetchFailureKind, message: String, curlMessage: String? = nil, retryAfter: TimeInterval? = nil) {
        self.kind = kind
        self.message = message
        self.curlMessage = curlMessage
        self.retryAfter = retryAfter
    }
}

/// One response header line, in the order the server sent it.
public struct FetchHeader: Sendable, Hashable {
    /// The header name as sent.
    public var name: String
    /// The value, trimmed of surrounding whitespace.
    public var value: String

    /// Creates a header.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// What became of a request, for callers that switch on it.
public enum FetchOutcome: String, Sendable, Hashable {
    /// A 2xx response with a body.
    case fetched
    /// The server answered 304: the stored copy is still current.
    case notModified = "not-modified"
    /// See `FetchResult.failure`.
    case failed
}

/// The result of one request: exactly one per request, success or not.
public struct FetchResult: Sendable {
    /// The request this answers.
    public var request: FetchRequest
    /// The URL of the last response, after redirects.
    public var finalURL: String
    /// The HTTP status of the last response; 0 when no response arrived.
    public var status: Int
    /// The headers of the last response only (not of redirect hops).
    public var headers: [FetchHeader]
    /// The decoded body; empty for 304 and for most failures.
    public var body: Data
    /// When the first attempt started.
    public var startedAt: Date
    /// From the first attempt's start to the final outcome, waits between retries included.
    public var duration: TimeInterval
    /// How many attempts were made (1 when no retry was needed).
    public var attempts: Int
    /// How many redirects the last attempt followed.
    public var redirectCount: Int
    /// Why the fetch failed; nil on success and on 304.
    public var failure: FetchFailure?

    /// Creates a result; the fetcher builds these.
    public init(
        request: FetchRequest, finalURL: String, status: Int, headers: [FetchHeader], body: Data,
        startedAt: Date, duration: TimeInterval, attempts: Int, redirectCount: Int, failure: FetchFailure?
    ) {
        self.request = request
        self.finalURL = finalURL
        self.status = status
        self.headers = headers
        self.body = body
        self.startedAt = startedAt
        self.duration = duration
        self.attempts = attempts
        self.redirectCount = redirectCount
        self.failure = failure
    }

    /// Fetched, not modified, or failed.
    public var outcome: FetchOutcome {
        if failure != nil { return .failed }
        return status == 304 ? .notModified : .fetched
    }

    /// The first header with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The response's ETag, to send back next time.
    public var etag: String? { header("ETag") }
    /// The response's Last-Modified, to send back next time.
    public var lastModified: String? { header("Last-Modified") }
    /// The response's Content-Type, for picking a parser and a charset.
    public var contentType: String? { header("Content-Type") }
}

/// Limits, timeouts and politeness settings for a `Fetcher`. The defaults suit a scan of a
/// few thousand government sites from one host.
public struct FetchConfiguration: Sendable {
    /// Transfers in flight at once, over all hosts.
    public var maxConcurrentTransfers: Int = 16
    /// Transfers in flight at once to one host (by the requested URL's host name), so one
    /// slow county site cannot take every slot and no site sees more than a visitor's load.
    public var maxConcurrentPerHost: Int = 2
    /// Seconds allowed for DNS plus TCP plus TLS.
    public var connectTimeout: TimeInterval = 10
    /// Seconds allowed for a whole attempt, redirects included.
    public var totalTimeout: TimeInterval = 60
    /// Abort when the rate stays below this many bytes per second…
    public var lowSpeedLimit: Int = 100
    /// …for this many seconds: a trickling server must not hold a slot until the total timeout.
    public var lowSpeedTime: Int = 20
    /// Largest body accepted, counted after decompression while it arrives.
    public var maxBodyBytes: Int = 10 * 1024 * 1024
    /// A body past this many bytes is a large one: only `maxLargeBodies` transfers may hold
    /// one at a time, the others pause (curl keeps their socket, and a paused transfer is not
    /// checked for low speed) until a slot frees. Bytes held in flight are then at most
    /// `maxLargeBodies × maxBodyBytes + maxConcurrentTransfers × largeBodyBytes`, whatever the
    /// sites send (bodies without a Content-Length cannot be refused before they arrive).
    public var largeBodyBytes: Int = 1024 * 1024
    /// Transfers that may hold a large body at once (at least one, so the scan goes on).
    public var maxLargeBodies: Int = 3
    /// Redirects followed before failing with `too-many-redirects`.
    public var maxRedirects: Int = 5
    /// The User-Agent, naming govmedia so site operators know who is calling.
    public var userAgent: String = "govmedia/0.1 (+government new-media compliance monitor)"
    /// Permit loopback, private and link-local addresses. Off in production: a register entry
    /// or a redirect must not make the monitor probe the internal network. Tests turn it on.
    public var allowPrivateAddresses: Bool = false
    /// When and how often to try again.
    public var retry: RetryPolicy = RetryPolicy()

    /// The defaults described on each property.
    public init() {}
}
