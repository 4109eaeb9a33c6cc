import FlyingFox
import Foundation
import GovMediaCore
import GovMediaFetch
import Testing

/// Limits, completeness and cancellation across many requests.
@Suite("Scheduling")
struct FetchSchedulingTests {
    /// A server whose /slow handler takes a while and records how many run at once.
    private func slowServer(_ record: ServerRecord, delay: Duration = .milliseconds(150)) async throws -> LoopbackServer {
        try await LoopbackServer.start { server in
            await server.appendRoute("GET /slow") { request in
                _ = await record.hit(request)
                await record.enter()
                try? await Task.sleep(for: delay)
                await record.leave()
                return HTTPResponse(statusCode: .ok, body: Data("done".utf8))
            }
        }
    }

    @Test func perHostLimitBoundsConcurrentRequests() async throws {
        let record = ServerRecord()
        let server = try await slowServer(record)
        defer { server.stop() }
        var configuration = testConfiguration()
        configuration.maxConcurrentPerHost = 2

        let requests = (0..<8).map { FetchRequest(id: "a\($0)", url: server.url("/slow?n=\($0)")) }
        let results = await Fetcher(configuration: configuration, logger: quietLogger).fetch(requests)

        #expect(results.allSatisfy { $0.failure == nil })
        #expect(await record.maxInFlight <= 2)
        #expect(await record.maxInFlight == 2)
        #expect(await record.totalHits() == 8)
    }

    @Test func globalLimitBoundsConcurrentRequests() async throws {
        let record = ServerRecord()
        let server = try await slowServer(record)
        defer { server.stop() }
        var configuration = testConfiguration()
        configuration.maxConcurrentPerHost = 8
        configuration.maxConcurrentTransfers = 3

        let requests = (0..<9).map { FetchRequest(id: "g\($0)", url: server.url("/slow?n=\($0)")) }
        let results = await Fetcher(configuration: configuration, logger: quietLogger).fetch(requests)

        #expect(results.allSatisfy { $0.failure == nil })
        #expect(await record.maxInFlight <= 3)
    }

    @Test func everyRequestGetsExactlyOneResultInOrder() async throws {
        let server = try await LoopbackServer.start { server in
            await server.appendRoute("GET /item") { request in
                HTTPResponse(statusCode: .ok, body: Data(request.query.first { $0.name == "n" }?.value.utf8 ?? "".utf8))
            }
        }
        defer { server.stop() }
        var configuration = testConfiguration()
        configuration.maxConcurrentPerHost = 8

        let requests = (0..<200).map { FetchRequest(id: "acc-\($0)", url: server.url("/item?n=\($0)")) }
        let results = await Fetcher(configuration: configuration, logger: quietLogger).fetch(requests)

        #expect(results.count == 200)
        #expect(results.map(\.request.id) == requests.map(\.id))
        #expect(results.allSatisfy { $0.failure == nil })
        #expect(results.enumerated().allSatisfy { index, result in result.body == Data("\(index)".utf8) })
    }

    @Test func streamingHandsOverEachResultOnce() async throws {
        let server = try await LoopbackServer.start { server in
            await server.appendRoute("GET /item") { _ in HTTPResponse(statusCode: .ok, body: Data("x".utf8)) }
        }
        defer { server.stop() }
        let seen = LockedIDs()

        let requests = (0..<50).map { FetchRequest(id: "s\($0)", url: server.url("/item?n=\($0)")) }
            + [FetchRequest(id: "bad", url: "gopher://example.gov.cn/")]
        await Fetcher(configuration: testConfiguration(), logger: quietLogger).fetch(requests) { result in
            seen.append(result.request.id)
        }

        let ids = seen.all
        #expect(ids.count == requests.count)
        #expect(Set(ids) == Set(requests.map(\.id)))
    }

    @Test func alreadyCancelledTaskGetsCancelledResultsWithoutFetching() async throws {
        let record = ServerRecord()
        let server = try await slowServer(record)
        defer { server.stop() }
        let fetcher = Fetcher(configuration: testConfiguration(), logger: quietLogger)
        let requests = (0..<4).map { FetchRequest(id: "p\($0)", url: server.url("/slow?n=\($0)")) }

        let results = await Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await fetcher.fetch(requests)
        }.value

        #expect(results.map(\.request.id) == requests.map(\.id))
        #expect(results.allSatisfy { $0.failure?.kind == .cancelled })
        #expect(await record.totalHits() == 0)
    }

    @Test func cancellationEndsTransfersPromptly() async throws {
        let record = ServerRecord()
        // The server holds each answer for 30 s; a cancelled fetch must not wait for it.
        let server = try await slowServer(record, delay: .seconds(30))
        defer { server.stop() }
        let fetcher = Fetcher(configuration: testConfiguration(), logger: quietLogger)
        let requests = (0..<3).map { FetchRequest(id: "c\($0)", url: server.url("/slow?n=\($0)")) }

        let clock = ContinuousClock()
        let task = Task { await fetcher.fetch(requests) }
        try await Task.sleep(for: .milliseconds(300))
        let cancelledAt = clock.now
        task.cancel()
        let results = await task.value
        let elapsed = clock.now - cancelledAt

        // Measured from the cancel, with room for a loaded 2-core CI machine (it took
        // 3.2 s there once while other suites ran); a fetch that waited for the server
        // would take the full 30 s.
        #expect(elapsed < .seconds(8))
        #expect(results.count == 3)
        #expect(results.allSatisfy { $0.failure?.kind == .cancelled })
    }
}

/// Ids collected from the fetch thread's callbacks.
private final class LockedIDs: @unchecked Sendable {
    // Every access holds the lock.
    private let lock = NSLock()
    private var ids: [String] = []

    func append(_ id: String) { lock.withLock { ids.append(id) } }
    var all: [String] { lock.withLock { ids } }
}
