import FlyingFox
import Foundation
import GovMediaCore
import GovMediaFetch
import Testing

/// How the fetcher reports what servers answer: bodies, headers, 304s, redirects, encodings.
@Suite("Responses")
struct FetchResponseTests {
    @Test func okResponseCarriesBodyHeadersAndTiming() async throws {
        let record = ServerRecord()
        let page = Data("<html><body>某县人民政府门户网站</body></html>".utf8)
        let server = try await LoopbackServer.start { server in
            await server.appendRoute("GET /page") { request in
                _ = await record.hit(request)
                return HTTPResponse(statusCode: .ok, headers: [
                    .contentType: "text/html; charset=utf-8",
                    .eTag: "\"v1\"",
                    .lastModified: "Tue, 01 Apr 2025 08:00:00 GMT",
                ] as HTTPHeaders, body: page)
            }
        }
        defer { server.stop() }

        let before = Date()
        let result = await Fetcher(configuration: testConfiguration(), logger: quietLogger)
            .fetch(FetchRequest(id: "acc-1", url: server.url("/page")))
        let after = Date()

        #expect(result.failure == nil)
        #expect(result.outcome == .fetched)
        #expect(result.status == 200)
        #expect(result.body == page)
        #expect(result.etag == "\"v1\"")
        #expect(result.lastModified == "Tue, 01 Apr 2025 08:00:00 GMT")
        #expect(result.contentType == "text/html; charset=utf-8")
        #expect(result.request.id == "acc-1")
        #expect(result.finalURL == server.url("/page"))
        #expect(result.attempts == 1)
        #expect(result.redirectCount == 0)
        #expect(result.startedAt >= before.addingTimeInterval(-0.01))
        // Within the call, however long a loaded machine made it (a fixed bound failed once at 15 s).
        #expect(result.duration >= 0 && result.startedAt.addingTimeInterval(result.duration) <= after.addingTimeInterval(0.01))
        #expect(await record.lastUserAgent?.hasPrefix("govmedia/") == true)
    }

    @Test func matchingETagIsReportedAsNotModified() async throws {
        let server = try await LoopbackServer.start { server in
            await server.appendRoute("GET /feed") { request in
                if request.headers[.ifNoneMatch] == "\"v7\"" && request.headers[.ifModifiedSince] != nil {
                    return HTTPResponse(statusCode: .notModified, headers: [.eTag: "\"v7\""] as HTTPHeaders)
                }
                return HTTPResponse(statusCode: .ok, headers: [.eTag: "\"v7\""] as HTTPHeaders, body: Data("full".utf8))
            }
        }
        defer { server.stop() }
        let fetcher = Fetcher(configuration: testConfiguration(), logger: quietLogger)

        let results = await fetcher.fetch([
            FetchRequest(id: "stored", url: server.url("/feed"), etag: "\"v7\"", lastModified: "Tue, 01 Apr 2025 08:00:00 GMT"),
            FetchRequest(id: "fresh", url: server.url("/feed")),
        ])

        #expect(results[0].outcome == .notModified)
        #expect(results[0].status == 304)
        #expect(results[0].failure == nil)
        #expect(results[0].body.isEmpty)
        #expect(results[1].outcome == .fetched)
        #expect(results[1].body == Data("full".utf8))
    }

    @Test func redirectChainIsFollowedAndFinalURLReported() async throws {
        let server = try await LoopbackServer.start { server in
            await server.appendRoute("GET /old") { _ in HTTPResponse(statusCode: .movedPermanently, headers: [.location: "/moved"] as HTTPHeaders) }
            await server.appendRoute("GET /moved") { _ in HTTPResponse(statusCode: .found, headers: [.location: "/final"] as HTTPHeaders) }
            await server.appendRoute("GET /final") { _ in
                HTTPResponse(statusCode: .ok, headers: [.eTag: "\"final\""] as HTTPHeaders, body: Data("终点".utf8))
            }
        }
        defer { server.stop() }

        let result = await Fetcher(configuration: testConfiguration(), logger: quietLogger)
            .fetch(FetchRequest(id: "r", url: server.url("/old")))

        #expect(result.failure == nil)
        #expect(result.finalURL == server.url("/final"))
        #expect(result.redirectCount == 2)
        #expect(result.body == Data("终点".utf8))
        // Only the last response's headers: the redirects' Location is gone.
        #expect(result.etag == "\"final\"")
        #expect(result.header("Location") == nil)
    }

    @Test func gzipResponseIsDecoded() async throws {
        // gzip of the text below, made once with Python's gzip.compress(mtime=0).
        let gzipped = Data(base64Encoded: "H4sIAAAAAAACA3s2Zf/TroXPpm14umrSk72Tn07oeLG85fnsic+2dr/fM+vF/pnPZqx/sqPh2bqtLxatVkivyixQeNrX/XzPyuezWoBqXqyf+mzt4mfT2h83ND0bNWrUqFGjRo0aNWpwGAUAbmRMr9wFAAA=")!
        let text = String(repeating: "政务新媒体合规监测：这是一段被 gzip 压缩的测试正文。", count: 20)
        let server = try await LoopbackServer.start { server in
            await server.appendRoute("GET /gz") { request in
                #expect(request.headers[HTTPHeader("Accept-Encoding")]?.contains("gzip") == true)
                return HTTPResponse(statusCode: .ok, headers: [.contentEncoding: "gzip", .contentType: "text/plain; charset=utf-8"] as HTTPHeaders, body: gzipped)
            }
        }
        defer { server.stop() }

        let result = await Fetcher(configuration: testConfiguration(), logger: quietLogger)
            .fetch(FetchRequest(id: "gz", url: server.url("/gz")))

        #expect(result.failure == nil)
        #expect(String(decoding: result.body, as: UTF8.self) == text)
    }

    @Test func notFoundFailsAsHTTP4xxWithoutRetry() async throws {
        let record = ServerRecord()
        let server = try await LoopbackServer.start { server in
            await server.appendRoute("GET /gone") { request in
                _ = await record.hit(request)
                return HTTPResponse(statusCode: .notFound)
            }
        }
        defer { server.stop() }

        let result = await Fetcher(configuration: testConfiguration(), logger: quietLogger)
            .fetch(FetchRequest(id: "404", url: server.url("/gone")))

        #expect(result.failure?.kind == .http4xx)
        #expect(result.status == 404)
        #expect(result.attempts == 1)
        #expect(result.failure?.message.contains(server.url("/gone")) == true)
        #expect(result.failure?.message.contains("404") == true)
        #expect(await record.totalHits() == 1)
    }
}
