import FlyingFox
import FlyingSocks
import Foundation
import GovMediaFetch
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real HTTP server on 127.0.0.1 with a port the kernel picked, one per test, so tests
/// run in parallel without sharing state.
struct LoopbackServer {
    let server: HTTPServer
    let task: Task<Void, any Error>
    let port: UInt16

    /// Starts the server after `routes` registered its handlers.
    static func start(_ routes: (HTTPServer) async -> Void) async throws -> LoopbackServer {
        let server = HTTPServer(address: try sockaddr_in.inet(ip4: "127.0.0.1", port: 0), timeout: 30, logger: .disabled)
        await routes(server)
        let task = Task { try await server.run() }
        try await server.waitUntilListening()
        guard case let .ip4(_, port) = await server.listeningAddress else {
            task.cancel()
            throw SocketError.unsupportedAddress
        }
        return LoopbackServer(server: server, task: task, port: port)
    }

    /// An absolute URL on this server.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Stops the server and every handler still running.
    func stop() { task.cancel() }
}

/// What the server saw: hits per path, the headers of the last request, and how many
/// requests were being handled at once.
actor ServerRecord {
    private(set) var hits: [String: Int] = [:]
    private(set) var lastUserAgent: String?
    private(set) var inFlight = 0
    private(set) var maxInFlight = 0

    /// Counts a request and returns how many that path has had, this one included.
    func hit(_ request: HTTPRequest) -> Int {
        hits[request.path, default: 0] += 1
        lastUserAgent = request.headers[HTTPHeader("User-Agent")]
        return hits[request.path]!
    }

    func totalHits() -> Int { hits.values.reduce(0, +) }

    func enter() {
        inFlight += 1
        maxInFlight = max(maxInFlight, inFlight)
    }

    func leave() { inFlight -= 1 }
}

/// A body the server sends in scripted pieces: `chunks`, then end or stall.
struct ScriptedBody: AsyncBufferedSequence {
    typealias Element = UInt8
    let chunks: [[UInt8]]
    /// Hang after the last chunk instead of ending, like a server that stops sending.
    let stallAtEnd: Bool

    func makeAsyncIterator() -> Iterator { Iterator(remaining: chunks[...], stallAtEnd: stallAtEnd) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var remaining: ArraySlice<[UInt8]>
        let stallAtEnd: Bool
        var current: ArraySlice<UInt8> = []

        mutating func next() async throws -> UInt8? {
            try await nextBuffer(suggested: 1)?.first
        }

        mutating func nextBuffer(suggested count: Int) async throws -> ArraySlice<UInt8>? {
            if current.isEmpty {
                guard let chunk = remaining.popFirst() else {
                    if stallAtEnd { try await Task.sleep(for: .seconds(60)) }
                    return nil
                }
                current = chunk[...]
            }
            let piece = current.prefix(Swift.max(1, count))
            current = current.dropFirst(piece.count)
            return piece
        }
    }
}

/// A logger that drops everything: the fetcher's log lines are not under test here.
let quietLogger = Logger(label: "govmedia.fetch.tests") { _ in SwiftLogNoOpLogHandler() }

/// Loopback allowed, short timeouts, near-instant backoff: the settings most tests use.
func testConfiguration() -> FetchConfiguration {
    var configuration = FetchConfiguration()
    configuration.allowPrivateAddresses = true
    configuration.connectTimeout = 2
    configuration.totalTimeout = 10
    configuration.retry = RetryPolicy(maxAttempts: 3, baseDelay: 0.01, maxDelay: 0.05, maxRetryAfter: 5)
    return configuration
}

/// A loopback port nothing listens on: bound once by the kernel's choice, then closed.
func closedLoopbackPort() throws -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw SocketError.failed(type: "socket", errno: errno, message: "socket") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw SocketError.failed(type: "bind", errno: errno, message: "bind") }
    return UInt16(bigEndian: address.sin_port)
}
