import Foundation
import GovMediaCore
import Logging

/// Fetches many URLs at once over libcurl's multi interface, politely and safely: global
/// and per-host limits, timeouts, a body cap enforced while receiving, conditional GET,
/// retries for transient failures, and no connections to internal addresses.
///
/// Each `fetch` call runs its own curl multi handle on its own thread, so limits and
/// connection reuse apply within one call; a scan should pass all its requests to one call.
/// Every request gets exactly one `FetchResult`, whatever happens.
public final class Fetcher: Sendable {
    /// The limits and timeouts every fetch uses.
    public let configuration: FetchConfiguration
    private let logger: Logger

    /// Creates a fetcher; `logger` receives one line per finished request.
    public init(configuration: FetchConfiguration = FetchConfiguration(), logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Fetches all requests and returns their results in request order.
    ///
    /// Holds every body until the end; for large scans use
    /// `fetch(_:onResult:)`, which hands each result over as it completes.
    /// If the calling task is cancelled, transfers stop promptly and the unfinished requests
    /// come back with a `cancelled` failure.
    public func fetch(_ requests: [FetchRequest]) async -> [FetchResult] {
        let collected = ResultSlots(count: requests.count)
        await run(requests) { index, result in collected.store(result, at: index) }
        return collected.results(for: requests)
    }

    /// Fetches one request.
    public func fetch(_ request: FetchRequest) async -> FetchResult {
        await fetch([request])[0]
    }

    /// Fetches all requests, calling `onResult` once per request as soon as it finishes (on
    /// the fetch thread, in completion order). The fetcher keeps no result after the call, so
    /// memory does not grow with the number of requests. Returns when every request has been
    /// reported. Cancellation works as for `fetch(_:)`.
    public func fetch(_ requests: [FetchRequest], onResult: @escaping @Sendable (FetchResult) -> Void) async {
        await run(requests) { _, result in onResult(result) }
    }

    /// As `fetch(_:onResult:)`, asking `mayStart` (on the fetch thread, cheaply) before each
    /// new transfer: while it says no, new transfers wait and those in flight carry on, so
    /// a slow consumer never makes a transfer stall and time out.
    /// Returns what the run held in memory, for the scan's log and the tests of its bound.
    @discardableResult
    public func fetch(_ requests: [FetchRequest], mayStart: @escaping @Sendable () -> Bool,
                      onResult: @escaping @Sendable (FetchResult) -> Void) async -> FetchRunStatistics {
        await run(requests, mayStart: mayStart) { _, result in onResult(result) }
    }

    @discardableResult
    private func run(_ requests: [FetchRequest], mayStart: @escaping @Sendable () -> Bool = { true },
                     deliver: @escaping @Sendable (Int, FetchResult) -> Void) async -> FetchRunStatistics {
        guard !requests.isEmpty else { return FetchRunStatistics(peakBodyBytesInFlight: 0) }
        let loop: FetchLoop
        do {
            loop = try FetchLoop(requests: requests, configuration: configuration, logger: logger, mayStart: mayStart, deliver: deliver)
        } catch {
            // Without a multi handle nothing can be fetched; still, one result per request.
            for (index, request) in requests.enumerated() {
                deliver(index, FetchResult(
                    request: request, finalURL: request.url, status: 0, headers: [], body: Data(),
                    startedAt: Date(), duration: 0, attempts: 0, redirectCount: 0,
                    failure: FetchFailure(
                        kind: .protocol,
                        message: "抓取 \(WebAddress.withoutUserInfo(request.url)) 失败：无法初始化 libcurl（curl：\(error.description)）",
                        curlMessage: error.curlMessage
                    )
                ))
            }
            return FetchRunStatistics(peakBodyBytesInFlight: 0)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // A dedicated thread, because the loop blocks in curl_multi_poll and must not
                // hold one of the cooperative pool's few threads.
                let thread = Thread {
                    loop.run()
                    continuation.resume()
                }
                thread.name = "govmedia-fetch"
                thread.start()
            }
        } onCancel: {
            loop.cancel()
        }
        return FetchRunStatistics(peakBodyBytesInFlight: loop.peakBodyBytes)
    }
}

/// What one fetch run held: the most body bytes its transfers in flight held at once
/// (bounded by the large-body slots of ``FetchConfiguration``).
public struct FetchRunStatistics: Sendable {
    public var peakBodyBytesInFlight: Int
}

/// Results gathered from the fetch thread for the array-returning `fetch`.
private final class ResultSlots: @unchecked Sendable {
    // Written from the fetch thread, read after it finished; the lock covers both.
    private let lock = NSLock()
    private var slots: [FetchResult?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ result: FetchResult, at index: Int) {
        lock.withLock { slots[index] = result }
    }

    func results(for requests: [FetchRequest]) -> [FetchResult] {
        lock.withLock {
            zip(slots, requests).map { slot, request in
                // The loop reports every request; this fallback only guards the promise.
                slot ?? FetchResult(
                    request: request, finalURL: request.url, status: 0, headers: [], body: Data(),
                    startedAt: Date(), duration: 0, attempts: 0, redirectCount: 0,
                    failure: FetchFailure(kind: .protocol, message: "抓取 \(WebAddress.withoutUserInfo(request.url)) 失败：未得到结果（内部错误）")
                )
            }
        }
    }
}
