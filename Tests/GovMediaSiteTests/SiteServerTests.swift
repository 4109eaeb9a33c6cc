import Foundation
import GovMediaCore
import GovMediaFetch
import GovMediaSite
import Logging
import Testing

/// The loopback site the demo and the tests serve accounts from, read through the real
/// fetcher (libcurl), as a scan reads it.
@Suite("the loopback site")
struct SiteServerTests {
    private func fetch(_ url: String, headers: [FetchHeader] = [], body: [UInt8]? = nil, etag: String? = nil) async -> FetchResult {
        var configuration = FetchConfiguration()
        configuration.allowPrivateAddresses = true
        configuration.retry = RetryPolicy(maxAttempts: 1)
        return await Fetcher(configuration: configuration, logger: Logger(label: "site.tests") { _ in SwiftLogNoOpLogHandler() })
            .fetch(FetchRequest(id: "t", url: url, etag: etag, headers: headers, postBody: body))
    }

    @Test("a page is served with its status, type and body; set replaces it; an unknown path is 404")
    func servesAndReplaces() async throws {
        let site = try await SiteServer(pages: ["/feed.xml": SitePage("<rss/>", contentType: "application/rss+xml")])
        defer { site.stop() }
        let first = await fetch(site.url("/feed.xml"))
        #expect(first.status == 200 && first.contentType == "application/rss+xml" && first.body == Data("<rss/>".utf8))
        await site.set("/feed.xml", SitePage(status: 503, contentType: "text/html", body: Array("维护中".utf8)))
        let second = await fetch(site.url("/feed.xml"))
        #expect(second.status == 503 && second.failure?.kind == .http5xx)
        #expect(await fetch(site.url("/none")).status == 404)
    }

    @Test("a page with an ETag answers 304 to a client that has it")
    func conditional() async throws {
        var page = SitePage("<rss/>", contentType: "application/rss+xml")
        page.headers["ETag"] = "\"v1\""
        let site = try await SiteServer(pages: ["/f": page])
        defer { site.stop() }
        #expect(await fetch(site.url("/f")).etag == "\"v1\"")
        #expect(await fetch(site.url("/f"), etag: "\"v1\"").outcome == .notModified)
    }

    @Test("a bridge page that needs a token answers 401 without it and the feed with it")
    func requiredHeader() async throws {
        var page = SitePage("<rss/>", contentType: "application/rss+xml")
        page.requiredHeaders = ["Authorization": "Bearer t0ken-123"]
        let site = try await SiteServer(pages: ["/wx.rss": page])
        defer { site.stop() }
        #expect(await fetch(site.url("/wx.rss")).status == 401)
        #expect(await fetch(site.url("/wx.rss"), headers: [FetchHeader(name: "Authorization", value: "Bearer t0ken-123")]).status == 200)
    }

    @Test("a CMS list that needs a POST with its fields refuses a GET and a body without them")
    func requiredPost() async throws {
        var page = SitePage("{\"rows\": []}", contentType: "application/json")
        page.requiredMethod = "POST"
        page.requiredBody = ["columnid=12"]
        let site = try await SiteServer(pages: ["/dataproxy.jsp": page])
        defer { site.stop() }
        #expect(await fetch(site.url("/dataproxy.jsp")).status == 405)
        #expect(await fetch(site.url("/dataproxy.jsp"), body: Array("startrecord=1".utf8)).status == 400)
        #expect(await fetch(site.url("/dataproxy.jsp"), body: Array("columnid=12&startrecord=1".utf8)).status == 200)
    }
}
