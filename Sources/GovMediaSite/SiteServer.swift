import FlyingFox
import FlyingSocks
import Foundation

/// One page of a loopback site: what a path answers.
public struct SitePage: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]
    public var headers: [String: String]
    /// How long the server waits before answering: a slow site.
    public var delay: Duration
    /// Headers the request must carry (a bridge's token): without them the answer is 401.
    public var requiredHeaders: [String: String] = [:]
    /// The method the request must use (a CMS's POST list), else 405.
    public var requiredMethod: String?
    /// Text the request body must contain (a form field), else 400.
    public var requiredBody: [String] = []

    public init(status: Int = 200, contentType: String, body: [UInt8], headers: [String: String] = [:], delay: Duration = .zero) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.headers = headers
        self.delay = delay
    }

    public init(_ text: String, contentType: String = "text/html; charset=utf-8") {
        self.init(contentType: contentType, body: Array(text.utf8))
    }
}

/// A small HTTP site on 127.0.0.1 (FlyingFox), serving fixed pages: the demo's sample
/// site for the 39 accounts, and the loopback site tests scan. Pages can be replaced
/// while it runs, so a test can make an account go stale or come back.
public final class SiteServer: Sendable {
    private let server: HTTPServer
    private let task: Task<Void, any Error>
    private let pages: PageTable
    public let port: UInt16

    /// Starts serving `pages` on a port the kernel picks.
    public init(pages initial: [String: SitePage]) async throws {
        let table = PageTable(initial)
        pages = table
        server = HTTPServer(address: try sockaddr_in.inet(ip4: "127.0.0.1", port: 0), timeout: 30, logger: .disabled,
                            handler: PageHandler(table: table))
        let server = server
        task = Task { try await server.run() }
        try await server.waitUntilListening()
        guard case let .ip4(_, port) = await server.listeningAddress else {
            task.cancel()
            throw SocketError.unsupportedAddress
        }
        self.port = port
    }

    /// The absolute URL of a path on this site.
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Replaces or adds a page.
    public func set(_ path: String, _ page: SitePage) async { await pages.set(path, page) }

    /// Stops serving.
    public func stop() { task.cancel() }
}

/// Answers each request from the page table; 304 when the client's ETag still matches.
private struct PageHandler: HTTPHandler {
    let table: PageTable

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let page = await table.page(request.path) else {
            return HTTPResponse(statusCode: .notFound, body: Data("未找到".utf8))
        }
        if page.delay > .zero { try await Task.sleep(for: page.delay) }
        if let method = page.requiredMethod, request.method.rawValue != method {
            return HTTPResponse(statusCode: HTTPStatusCode(405, phrase: "Method Not Allowed"), body: Data("method".utf8))
        }
        if !page.requiredBody.isEmpty {
            let body = String(decoding: try await request.bodyData, as: UTF8.self)
            if let missing = page.requiredBody.first(where: { !body.contains($0) }) {
                return HTTPResponse(statusCode: .badRequest, body: Data("missing \(missing)".utf8))
            }
        }
        for (name, value) in page.requiredHeaders where request.headers[HTTPHeader(name)] != value {
            return HTTPResponse(statusCode: .unauthorized, headers: [HTTPHeader("Content-Type"): "application/json"],
                                body: Data(#"{"detail":"token invalid or missing"}"#.utf8))
        }
        var headers: [HTTPHeader: String] = [HTTPHeader("Content-Type"): page.contentType]
        for (k, v) in page.headers { headers[HTTPHeader(k)] = v }
        if let etag = page.headers["ETag"], request.headers[HTTPHeader("If-None-Match")] == etag {
            return HTTPResponse(statusCode: .notModified, headers: headers)
        }
        return HTTPResponse(statusCode: HTTPStatusCode(page.status, phrase: "Status"), headers: headers, body: Data(page.body))
    }
}

/// The pages, shared between the handler and whoever changes them.
private actor PageTable {
    var pages: [String: SitePage]
    init(_ pages: [String: SitePage]) { self.pages = pages }
    func page(_ path: String) -> SitePage? { pages[path] }
    func set(_ path: String, _ page: SitePage) { pages[path] = page }
}
