import Foundation
import GovMediaCore
import GovMediaFetch
import GovMediaScan
import GovMediaStore
import GRDB
import Logging
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// An RSS feed with one dated post, cut into four pieces.
func feedPieces(_ id: String) -> [[UInt8]] {
    let text = """
    <?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>\(id)</title>
    <item><title>\(id) 通知</title><link>https://example.gov.cn/\(id)/1.html</link>
    <pubDate>Mon, 30 Nov 2026 09:00:00 +0800</pubDate></item></channel></rss>
    """
    let bytes = Array(text.utf8)
    let quarter = bytes.count / 4 + 1
    return stride(from: 0, to: bytes.count, by: quarter).map { Array(bytes[$0..<min($0 + quarter, bytes.count)]) }
}

@Suite("the scan pipeline under a slow store")
struct HeldStoreTests {
    /// The case: another process holds the database's write lock for 30 s while
    /// transfers are in flight. Transfers must go on being driven (the fetch thread never
    /// waits for the store): each takes its own time, none is frozen into a timeout or a
    /// low-speed abort that would blame the site. (Before the pipeline, one took 35 s here.)
    @Test(.timeLimit(.minutes(3)))
    func storeHeldThirtySecondsStallsNoTransfer() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gm-held-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("govmedia.sqlite").path

        // A slow site: transfers of different lengths (0.4 to 2 s) at a few hundred bytes a
        // second, so some are always half-way when the pipeline fills up. The server runs on
        // threads of its own, so nothing but the scan can hold its transfers up.
        let server = try ThreadedSlowServer { id in
            (feedPieces(id), UInt32(100_000 * (1 + (Int(id.suffix(2)) ?? 0) % 5)))
        }
        defer { server.stop() }
        let port = server.port

        let store = try Store(path: path)
        let ids = (1...24).map { String(format: "held-%02d", $0) }
        for id in ids {
            try store.add(Account(id: id, name: "账号\(id)", platform: .website, owner: "测试单位", ownerKind: .department,
                                  url: try WebAddress("http://127.0.0.1:\(port)/feed/\(id)"), registeredOn: "2026-01-05"),
                          by: Attribution(operator: "test", reason: "测试"))
        }

        // Another writer (a second process in real life) takes the write lock as soon as the
        // scan has begun and keeps it 30 s. It runs on its own thread: sleeping in a task
        // would take a thread from the pool the server and the scan share.
        let held = DispatchSemaphore(value: 0)
        let released = DispatchSemaphore(value: 0)
        let locker = Thread {
            defer { released.signal() }
            // A busy timeout: the scan may be writing at the moment the lock is asked for, and
            // without one BEGIN IMMEDIATE fails at once and the test holds nothing.
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return }
            while ((try? queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM scan") ?? 0 }) ?? 0) == 0 {
                usleep(5_000)
            }
            try? queue.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                held.signal()
                sleep(30)
                try db.execute(sql: "COMMIT")
            }
        }
        locker.start()

        var fetch = FetchConfiguration()
        fetch.allowPrivateAddresses = true
        fetch.connectTimeout = 2
        fetch.totalTimeout = 8
        // Slower than 2,000 bytes/s for 5 s is "too slow": every transfer here is under that
        // speed but done within 2 s, so only a transfer left undriven for seconds trips it.
        fetch.lowSpeedLimit = 2000
        fetch.lowSpeedTime = 5
        fetch.maxConcurrentTransfers = 6
        fetch.maxConcurrentPerHost = 6
        var options = ScanOptions(fetch: fetch, trigger: "manual")
        // Two results may wait: the store's lock fills that at once, so most of the 30 s
        // passes with the pipeline full and transfers still in flight.
        options.batchSize = 1
        let started = ContinuousClock.now
        let summary = try await Scanner(store: store, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }).run(options)
        let took = ContinuousClock.now - started
        released.wait()

        #expect(held.wait(timeout: .now()) == .success, "the lock was taken while the scan ran")
        #expect(took >= .seconds(29), "the scan waited for the held store (took \(took))")
        #expect(summary.failures.map { "\($0.accountID): \($0.kind) \($0.message)" } == [])
        #expect(summary.read == ids.count)
        let stored = try await DatabaseQueue(path: path).read {
            try Int.fetchOne($0, sql: "SELECT count(DISTINCT account_id) FROM post") ?? 0
        }
        #expect(stored == ids.count)
        // Each transfer took its own time (at most 2 s), not the store's 30 s.
        let longest = try await DatabaseQueue(path: path).read {
            try Int.fetchOne($0, sql: "SELECT max(duration_ms) FROM fetch") ?? 0
        }
        #expect(longest < 6_000, "the longest transfer took \(longest) ms")
        // And none was cut off and tried again (a retry would hide a low-speed abort).
        let retried = try await DatabaseQueue(path: path).read {
            try String.fetchAll($0, sql: "SELECT account_id FROM fetch WHERE attempts > 1 ORDER BY account_id")
        }
        #expect(retried == [])
    }
}
