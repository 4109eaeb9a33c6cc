import Foundation
import GovMediaCore
import GovMediaFetch
import GovMediaScan
import GovMediaStore
import GRDB
import Logging
import Testing

@Suite("the scan's memory with large bodies")
struct LargeBodiesTests {
    /// An RSS feed with one post and `padding` bytes of comment: large, yet under the cap.
    static func paddedFeed(_ id: String, padding: Int) -> [[UInt8]] {
        let head = Array("""
            <?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>\(id)</title>
            <item><title>\(id) 大文件</title><link>https://example.gov.cn/\(id)/1.html</link>
            <pubDate>Mon, 30 Nov 2026 09:00:00 +0800</pubDate></item><!--
            """.utf8)
        let piece = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
        return [head] + Array(repeating: piece, count: padding / piece.count) + [Array("--></channel></rss>".utf8)]
    }

    /// Issue 11's case: accounts on many hosts answering bodies over the 10 MiB cap without a
    /// Content-Length (so nothing can refuse them before they arrive), beside large bodies
    /// that are fine. Sixteen transfers in flight once held up to 16 × 10 MiB (a scan peaked
    /// at 318 MB); now only three may hold a large body, the rest pause until one finishes.
    @Test(.timeLimit(.minutes(3)))
    func largeBodiesInFlightAreBounded() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gm-large-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        let oversized = [[UInt8]](repeating: [UInt8](repeating: UInt8(ascii: "y"), count: 64 * 1024), count: 176)  // 11 MiB
        // Sixteen hosts: 127.0.0.2 … 127.0.0.17, each its own server.
        let servers = try (2...17).map { n in
            try ThreadedSlowServer(address: "127.0.0.\(n)", closeDelimited: true) { id in
                (id.hasPrefix("big") ? oversized : Self.paddedFeed(id, padding: 3 * 1024 * 1024), 0)
            }
        }
        defer { servers.forEach { $0.stop() } }

        let store = try Store(path: dir.appendingPathComponent("govmedia.sqlite").path)
        var ids: [String] = []
        for i in 0..<48 {
            let server = servers[i % servers.count], host = "127.0.0.\(2 + i % servers.count)"
            let id = (i % 2 == 0 ? "big-" : "ok-") + String(format: "%02d", i)
            ids.append(id)
            try store.add(Account(id: id, name: "账号\(id)", platform: .website, owner: "测试单位", ownerKind: .department,
                                  url: try WebAddress("http://\(host):\(server.port)/feed/\(id)"), registeredOn: "2026-01-05"),
                          by: Attribution(operator: "test", reason: "测试"))
        }

        var fetch = FetchConfiguration()
        fetch.allowPrivateAddresses = true
        fetch.retry.maxAttempts = 1
        let summary = try await Scanner(store: store, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
            .run(ScanOptions(fetch: fetch, trigger: "manual"))

        // Every account answered for: the large ones under the cap read, the oversized ones
        // refused as too large — none cut off as slow or timed out while it waited its turn.
        let failures = Dictionary(uniqueKeysWithValues: summary.failures.map { ($0.accountID, $0.kind) })
        #expect(summary.read == 24, "\(summary.failures.map { "\($0.accountID): \($0.kind) \($0.message)" })")
        for id in ids where id.hasPrefix("big") { #expect(failures[id] == .tooLarge, "\(id): \(failures[id]?.rawValue ?? "read")") }
        let posts = try await DatabaseQueue(path: dir.appendingPathComponent("govmedia.sqlite").path).read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM post") ?? 0
        }
        #expect(posts == 24)

        // Held in flight: at most three bodies up to the cap, the others up to the threshold
        // (plus what curl hands over in one call).
        let bound = fetch.maxLargeBodies * fetch.maxBodyBytes + fetch.maxConcurrentTransfers * (fetch.largeBodyBytes + 256 * 1024)
        #expect(summary.peakBodyBytesInFlight <= bound,
                "held \(summary.peakBodyBytesInFlight / 1_048_576) MiB in flight, bound \(bound / 1_048_576) MiB")
        #expect(summary.peakBodyBytesInFlight > fetch.maxBodyBytes, "the test did hold large bodies")
    }
}
