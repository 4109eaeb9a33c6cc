import FlyingFox
import Foundation
import GovMediaCore
import GovMediaFetch
import Testing

/// What the fetcher refuses: internal addresses, other schemes, endless redirects,
/// oversized bodies and servers that trickle.
@Suite("Safety")
struct FetchSafetyTests {
    @Test func loopbackIsRefusedUnlessAllowed() async throws {
        let record = ServerRecord()
        let server = try await LoopbackServer.start { server in
            await server.appendRoute("GET /internal") { request in
                _ = await record.hit(request)
                return HTTPResponse(statusCode: .ok, body: Data("secret".utf8))
            }
        }
        defer { server.stop() }
        var configuration = testConfiguration()
        configuration.allowPrivateAddresses = false

        let results = await Fetcher(configuration: configuration, logger: quietLogger).fetch([
            FetchRequest(id: "ip", url: server.url("/internal")),
            // A name, so the check has to happen after DNS resolution.
            FetchRequest(id: "name", url: "http://localhost:\(server.port)/internal"),
        ])

        for result in results {
            #expect(result.failure?.kind == .privateAddress)
            #expect(result.body.isEmpty)
            #expect(result.attempts == 1)
        }
        #expect(results[0].failure?.message.contains("127.0.0.1") == true)
        #expect(await record.totalHits() == 0)
    }

    @Test func redirectLoopFailsAsTooManyRedirects() async throws {
        let server = try await LoopbackServer.start { server in
            await server.appendRoute("GET /loop") { _ in HTTPResponse(statusCode: .found, headers: [.location: "/loop"] as HTTPHeaders) }
        }
        defer { server.stop() }

        // Six answers from a server that shares the task pool with every other test: on a
        // loaded machine they can take seconds, which must not turn into a timeout and a retry.
        var configuration = testConfiguration()
        configuration.connectTimeout = 30
        configuration.totalTimeout = 90
        let result = await Fetcher(configuration: configuration, logger: quietLogger)
            .fetch(FetchRequest(id: "loop", url: server.url("/loop")))

        #expect(result.failure?.kind == .tooManyRedirects, "\(result.failure?.message ?? "")")
        #expect(result.attempts == 1)
    }

    @Test func redirectToFileSchemeFailsAsBadScheme() async throws {
        let server = try await LoopbackServer.start { server in
            await server.appendRoute("GET /trap") { _ in HTTPResponse(statusCode: .found, headers: [.location: "file:///etc/passwd"] as HTTPHeaders) }
        }
        defer { server.stop() }

        let result = await Fetcher(configuration: testConfiguration(), logger: quietLogger)
            .fetch(FetchRequest(id: "trap", url: server.url("/trap")))

        #expect(result.failure?.kind == .badScheme)
        #expect(result.body.isEmpty)
        #expect(!String(decoding: result.body, as: UTF8.self).contains("root:"))
    }

    @Test func nonHTTPURLFailsAsBadSchemeWithoutConnecting() async throws {
        let results = await Fetcher(configuration: testConfiguration(), logger: quietLogger).fetch([
            FetchRequest(id: "file", url: "file:///etc/passwd"),
            FetchRequest(id: "ftp", url: "ftp://example.gov.cn/list.txt"),
        ])

        #expect(results.map(\.failure?.kind) == [.badScheme, .badScheme])
        #expect(results.allSatisfy { $0.body.isEmpty && $0.status == 0 })
    }

    @Test func tricklingServerIsAbortedAsTimeout() async throws {
        let server = try await LoopbackServer.start { server in
            await server.appendRoute("GET /slow") { _ in
                let body = ScriptedBody(chunks: [Array("<html>".utf8)], stallAtEnd: true)
                return HTTPResponse(statusCode: .ok, body: HTTPBodySequence(from: body, count: 100_000))
            }
        }
        defer { server.stop() }
        var configuration = testConfiguration()
        configuration.lowSpeedLimit = 1000
        configuration.lowSpeedTime = 1
        configuration.totalTimeout = 3
        configuration.retry.maxAttempts = 1

        let clock = ContinuousClock()
        let start = clock.now
        let result = await Fetcher(configuration: configuration, logger: quietLogger)
            .fetch(FetchRequest(id: "slow", url: server.url("/slow")))
        let elapsed = clock.now - start

        #expect(result.failure?.kind == .timeout)
        #expect(elapsed < .seconds(3.5))
        #expect(elapsed >= .seconds(0.9))
    }

    @Test(arguments: [true, false])
    func oversizeBodyFailsAsTooLargeWhileReceiving(announcesLength: Bool) async throws {
        let megabyte = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
        let server = try await LoopbackServer.start { server in
            await server.appendRoute("GET /big") { _ in
                if announcesLength {
                    return HTTPResponse(statusCode: .ok, body: Data(megabyte))
                }
                // Chunked: no Content-Length, so only the write callback can stop it.
                let pieces = stride(from: 0, to: megabyte.count, by: 16_384).map { Array(megabyte[$0..<min($0 + 16_384, megabyte.count)]) }
                return HTTPResponse(statusCode: .ok, body: HTTPBodySequence(from: ScriptedBody(chunks: pieces, stallAtEnd: false)))
            }
        }
        defer { server.stop() }
        var configuration = testConfiguration()
        configuration.maxBodyBytes = 64 * 1024

        let result = await Fetcher(configuration: configuration, logger: quietLogger)
            .fetch(FetchRequest(id: "big", url: server.url("/big")))

        #expect(result.failure?.kind == .tooLarge)
        #expect(result.body.count <= 64 * 1024)
        #expect(result.attempts == 1)
    }
}
