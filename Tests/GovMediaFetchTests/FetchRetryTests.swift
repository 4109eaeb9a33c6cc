import FlyingFox
import Foundation
import GovMediaCore
import GovMediaFetch
import Testing

/// Which failures are tried again, and how long the fetcher waits.
@Suite("Retries")
struct FetchRetryTests {
    @Test func tooManyRequestsWaitsForRetryAfterThenSucceeds() async throws {
        let record = ServerRecord()
        let server = try await LoopbackServer.start { server in
            await server.appendRoute("GET /busy") { request in
                if await record.hit(request) == 1 {
                    return HTTPResponse(statusCode: .tooManyRequests, headers: [HTTPHeader("Retry-After"): "1"] as HTTPHeaders)
                }
                return HTTPResponse(statusCode: .ok, body: Data("ok".utf8))
            }
        }
        defer { server.stop() }

        let result = await Fetcher(configuration: testConfiguration(), logger: quietLogger)
            .fetch(FetchRequest(id: "429", url: server.url("/busy")))

        #expect(result.failure == nil)
        #expect(result.status == 200)
        #expect(result.attempts == 2)
        #expect(result.duration >= 1.0)
        #expect(result.body == Data("ok".utf8))
    }

    @Test func retryAfterBeyondTheCapGivesUpAndRecordsIt() async throws {
        let record = ServerRecord()
        let server = try await LoopbackServer.start { server in
            await server.appendRoute("GET /maintenance") { request in
                _ = await record.hit(request)
                return HTTPResponse(statusCode: .serviceUnavailable, headers: [HTTPHeader("Retry-After"): "3600"] as HTTPHeaders)
            }
        }
        defer { server.stop() }

        let result = await Fetcher(configuration: testConfiguration(), logger: quietLogger)
            .fetch(FetchRequest(id: "503", url: server.url("/maintenance")))

        #expect(result.failure?.kind == .http5xx)
        #expect(result.failure?.retryAfter == 3600)
        #expect(result.attempts == 1)
        #expect(await record.totalHits() == 1)
    }

    @Test func serverErrorIsRetriedThenSucceeds() async throws {
        let record = ServerRecord()
        let server = try await LoopbackServer.start { server in
            await server.appendRoute("GET /flaky") { request in
                await record.hit(request) == 1
                    ? HTTPResponse(statusCode: .internalServerError)
                    : HTTPResponse(statusCode: .ok, body: Data("恢复".utf8))
            }
        }
        defer { server.stop() }

        let result = await Fetcher(configuration: testConfiguration(), logger: quietLogger)
            .fetch(FetchRequest(id: "500", url: server.url("/flaky")))

        #expect(result.failure == nil)
        #expect(result.attempts == 2)
        #expect(result.body == Data("恢复".utf8))
    }

    @Test func persistentServerErrorFailsAfterAllAttempts() async throws {
        let record = ServerRecord()
        let server = try await LoopbackServer.start { server in
            await server.appendRoute("GET /down") { request in
                _ = await record.hit(request)
                return HTTPResponse(statusCode: .badGateway)
            }
        }
        defer { server.stop() }

        let result = await Fetcher(configuration: testConfiguration(), logger: quietLogger)
            .fetch(FetchRequest(id: "502", url: server.url("/down")))

        #expect(result.failure?.kind == .http5xx)
        #expect(result.status == 502)
        #expect(result.attempts == 3)
        #expect(await record.totalHits() == 3)
    }

    @Test func closedPortFailsAsConnectAfterRetries() async throws {
        let port = try closedLoopbackPort()

        let result = await Fetcher(configuration: testConfiguration(), logger: quietLogger)
            .fetch(FetchRequest(id: "closed", url: "http://127.0.0.1:\(port)/"))

        #expect(result.failure?.kind == .connect)
        #expect(result.attempts == 3)
        #expect(result.failure?.curlMessage?.isEmpty == false)
        #expect(result.failure?.message.contains("127.0.0.1:\(port)") == true)
    }
}
