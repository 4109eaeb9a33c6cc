import Foundation
import GovMediaCore
import GovMediaScan
import GovMediaStore
import GRDB

/// A database shaped like a large province's year: `accounts` accounts, one post a day each
/// for a year (3.6 million posts at 10,000 accounts), one fetch per account, and a complete
/// 三审 record for two recent posts of every tenth account.
enum LargeDatabase {
    static func build(at path: String, accounts n: Int, days: Int, now: Date) throws -> Store {
        let store = try Store(path: path)
        let accounts = (0..<n).map { i in
            Account(id: "acc-\(i)", name: "账号\(i)", platform: Platform.allCases[i % Platform.allCases.count], owner: "单位\(i % 700)",
                    ownerKind: .department, url: WebAddress(checking: "https://example.gov.cn/\(i).xml")!, registeredOn: "2024-01-01")
        }
        _ = try store.importAccounts(accounts, by: Attribution(operator: "bench", reason: "benchmark"))
        let nowTs = Int64(now.timeIntervalSince1970)
        let fetchedAt = ChinaTime.iso8601(now.addingTimeInterval(-600))
        try store.pool.write { db in
            try db.execute(sql: "INSERT INTO scan (id, started_at, finished_at, status, pid, trigger) VALUES (1, ?, ?, 'finished', 0, 'bench')",
                           arguments: [fetchedAt, fetchedAt])
            let fetch = try db.makeStatement(sql: "INSERT INTO fetch (id, scan_id, account_id, fetched_at, url, http_status, body_sha256) VALUES (?, 1, ?, ?, ?, 200, ?)")
            let post = try db.makeStatement(sql: """
                INSERT INTO post (account_id, key, title, url, published_at, first_seen_at, fetch_id) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for i in 0..<n {
                // Every 25th account went quiet three weeks ago: the stale ones.
                let quietDays = i % 25 == 0 ? 21 : 0
                try fetch.execute(arguments: [i + 1, "acc-\(i)", fetchedAt, "https://example.gov.cn/\(i).xml", String(repeating: "a", count: 64)])
                for d in quietDays..<days {
                    let ts = nowTs - Int64(d) * 86_400 - Int64(i % 3600)
                    try post.execute(arguments: ["acc-\(i)", "link:https://example.gov.cn/\(i)/\(d).html", "单位\(i % 700)工作动态第\(d)期",
                                                 "https://example.gov.cn/\(i)/\(d).html", ts, ts, i + 1])
                }
            }
        }
        var reviews: [ReviewInput] = []
        for i in stride(from: 0, to: n, by: 10) {
            for d in 0..<2 {
                let published = Date(timeIntervalSince1970: TimeInterval(nowTs - Int64(d) * 86_400 - Int64(i % 3600)))
                for (k, stage) in ReviewStage.allCases.enumerated() {
                    reviews.append(ReviewInput(accountID: "acc-\(i)", postURL: "https://example.gov.cn/\(i)/\(d).html",
                                               postTitle: "单位\(i % 700)工作动态第\(d)期", stage: stage, reviewer: "审核人\(k)",
                                               signedAt: published.addingTimeInterval(-Double(3 - k) * 3600), opinion: .approve,
                                               source: ReviewSource(name: "bench", line: nil)))
                }
            }
        }
        try store.appendReviews(reviews, by: Attribution(operator: "bench", reason: "benchmark"))
        return store
    }
}

func benchEvaluate(accounts n: Int) throws {
    // --keep DIR keeps the database for profiling `status` by hand.
    let keep = args.firstIndex(of: "--keep").flatMap { args.index(after: $0) < args.endIndex ? args[args.index(after: $0)] : nil }
    let dir = keep.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory.appendingPathComponent("govmedia-bench-eval-\(getpid())")
    try? FileManager.default.removeItem(at: dir)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { if keep == nil { try? FileManager.default.removeItem(at: dir) } }
    let path = dir.appendingPathComponent("large.sqlite").path
    let now = Date()
    var store: Store!
    let build = try seconds { store = try LargeDatabase.build(at: path, accounts: n, days: 360, now: now) }
    let posts = try store.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM post") ?? 0 }
    print(String(format: "evaluate: built %d accounts, %d posts in %.1f s", n, posts, build))
    let rules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../rules").standardized.path
    let assessment = try Assessment(store: store, rulesDirectory: rules)
    var judged = 0
    let t = try seconds { judged = try assessment.run(at: now, trigger: "bench").results.count }
    print(String(format: "evaluate: full evaluation of %d accounts in %.2f s (target < 10 s)", judged, t))

    // status as an officer runs it: the release binary beside this one, a fresh process.
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("govmedia").path
    guard FileManager.default.isExecutableFile(atPath: binary) else {
        print("status: build the govmedia product in the same configuration to time it (swift build -c release)")
        return
    }
    for format in [[], ["--json"]] {
        var best = Double.infinity
        var bytes = 0
        for _ in 0..<5 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = ["status", "--db", path] + format
            let out = Pipe()
            p.standardOutput = out
            let start = DispatchTime.now().uptimeNanoseconds
            try p.run()
            bytes = out.fileHandleForReading.readDataToEndOfFile().count
            p.waitUntilExit()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        print(String(format: "status%@: %d accounts, %d bytes, best of 5 = %.0f ms (target < 200 ms)",
                     format.isEmpty ? "" : " --json", n, bytes, best * 1000))
    }
}
