import Foundation
import GovMediaCore
import GovMediaFetch
import GovMediaScan
import GovMediaStore
import GRDB
import Logging

/// The scan measured on the peers' corpus served by a real web server:
///
///     govmedia-bench scan --list feeds.list [--accounts N] [--nginx /usr/sbin/nginx]
///
/// A loopback nginx (its own process, one worker, keep-alive, ETag and Last-Modified as it
/// serves any static file) serves the files named in the list; N accounts (default: one per
/// file) are registered, account i reading file i mod the file count as `…?a=i`, so more
/// accounts than files are still distinct addresses. Three passes, each timed alone:
/// 1. fetch only (libcurl multi through `Fetcher`, bodies dropped): the transport's floor;
/// 2. the first scan: fetch, parse, compress and store every body and post;
/// 3. a second scan: every account sends its validators and nginx answers 304.
/// Printed: accounts/s, peak RSS of this process (nginx is not counted), and the evidence
/// table's size, then one `RESULT {…}` line.
enum NginxScan {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func run(args: ArraySlice<String>) async throws {
        guard let list = PeerCorpus.string("--list", in: args) else { throw Failure(description: "scan --list FILE") }
        let nginx = PeerCorpus.string("--nginx", in: args) ?? "/usr/sbin/nginx"
        guard FileManager.default.isExecutableFile(atPath: nginx) else {
            throw Failure(description: "\(nginx) not found: apt-get install nginx-light, or pass --nginx PATH")
        }
        let files = try PeerCorpus.files(list).map(\.path)
        guard !files.isEmpty else { throw Failure(description: "\(list) names no files") }
        let n = option("--accounts", default: files.count)
        let root = commonDirectory(files)

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("govmedia-bench-nginx-\(getpid())")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("tmp"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let port = try freePort()
        let server = try startNginx(nginx, root: root, port: port, dir: dir)
        defer { server.terminate(); server.waitUntilExit() }

        let store = try Store(path: dir.appendingPathComponent("bench.sqlite").path)
        let accounts = (0..<n).map { i in
            let rel = String(files[i % files.count].dropFirst(root.count))
            return Account(id: "p-\(i)", name: "账号\(i)", platform: .website, owner: "单位\(i % 40)", ownerKind: .department,
                           url: WebAddress(checking: "http://127.0.0.1:\(port)/\(rel)?a=\(i)")!, registeredOn: "2020-01-01")
        }
        _ = try store.importAccounts(accounts, by: Attribution(operator: "bench", reason: "benchmark"))
        var config = FetchConfiguration()
        config.allowPrivateAddresses = true
        // One host serves every account here, so the per-host limit is raised to the global one.
        config.maxConcurrentPerHost = config.maxConcurrentTransfers
        var logger = Logger(label: "bench")
        logger.logLevel = .error

        // 1. Fetch only: what libcurl and nginx cost without parsing or storing.
        let requests = accounts.map { FetchRequest(id: $0.id, url: $0.url.text) }
        let fetchStart = DispatchTime.now().uptimeNanoseconds
        let fetched = Counter()
        await Fetcher(configuration: config, logger: logger).fetch(requests) { result in
            fetched.add(result.failure == nil ? result.body.count : -1)
        }
        let fetchSecs = elapsed(since: fetchStart)

        // 2. The first scan: everything read and stored.
        var options = ScanOptions(fetch: config, trigger: "benchmark")
        options.batchSize = 128
        let scanner = Scanner(store: store, logger: logger)
        let firstStart = DispatchTime.now().uptimeNanoseconds
        let first = try await scanner.run(options)
        let firstSecs = elapsed(since: firstStart)
        let firstRSS = peakRSS()
        let evidence = try evidenceSize(dir.appendingPathComponent("bench.sqlite").path)

        // 3. The second scan: nothing changed, every answer a 304.
        let secondStart = DispatchTime.now().uptimeNanoseconds
        let second = try await scanner.run(options)
        let secondSecs = elapsed(since: secondStart)
        let after = try evidenceSize(dir.appendingPathComponent("bench.sqlite").path)

        print(String(format: "fetch only: %d accounts, %.1f MB, %d failures in %.3f s = %.0f accounts/s",
                     n, Double(fetched.bytes) / 1e6, fetched.failures, fetchSecs, Double(n) / fetchSecs))
        print(String(format: "scan: %d accounts from %d files, %d read, %d new posts, %d failures in %.3f s = %.0f accounts/s (target ≥ 1000); peak RSS %.1f MB (target ≤ 150)",
                     n, files.count, first.read, first.newPosts, first.failures.count, firstSecs, Double(n) / firstSecs, firstRSS))
        print(String(format: "second scan: %d not modified, %d read, %d failures in %.3f s = %.0f accounts/s (target ≥ 5000); peak RSS %.1f MB",
                     second.notModified, second.read, second.failures.count, secondSecs, Double(n) / secondSecs, peakRSS()))
        print(String(format: "evidence: %d bodies, %.1f MB as fetched, %.1f MB stored compressed (%.0f %%); database %.1f MB after the first scan, +%.2f MB after the second",
                     evidence.bodies, Double(evidence.raw) / 1e6, Double(evidence.compressed) / 1e6,
                     evidence.raw > 0 ? 100 * Double(evidence.compressed) / Double(evidence.raw) : 0,
                     Double(evidence.database) / 1e6, Double(after.database - evidence.database) / 1e6))
        for f in first.failures.prefix(5) { print("  failure \(f.accountID): \(f.kind) \(f.message)") }
        print(String(format: "RESULT {\"accounts\":%d,\"fetch_secs\":%.3f,\"scan_secs\":%.3f,\"rescan_secs\":%.3f,\"peak_rss_mb\":%.1f,\"failures\":%d,\"not_modified\":%d,\"evidence_compressed_bytes\":%d,\"database_bytes\":%d}",
                     n, fetchSecs, firstSecs, secondSecs, peakRSS(), first.failures.count + second.failures.count, second.notModified,
                     evidence.compressed, evidence.database))
    }

    /// Bytes and failures seen by the fetch-only pass (called from the fetch thread).
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var bytes = 0
        private(set) var failures = 0
        func add(_ size: Int) {
            lock.withLock { if size < 0 { failures += 1 } else { bytes += size } }
        }
    }

    static func elapsed(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

    /// The folder every file is under, with a trailing slash: nginx's root.
    static func commonDirectory(_ paths: [String]) -> String {
        var prefix = URL(fileURLWithPath: paths[0]).deletingLastPathComponent().path + "/"
        for p in paths where !p.hasPrefix(prefix) {
            while !p.hasPrefix(prefix), prefix.count > 1 {
                prefix = URL(fileURLWithPath: String(prefix.dropLast())).deletingLastPathComponent().path
                if !prefix.hasSuffix("/") { prefix += "/" }
            }
        }
        return prefix
    }

    /// A loopback port the kernel picked, closed again for nginx to take.
    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard ok else { throw Failure(description: "no free loopback port") }
        return UInt16(bigEndian: addr.sin_port)
    }

    /// nginx in the foreground with its own prefix (pid, logs, temp files in `dir`).
    static func startNginx(_ binary: String, root: String, port: UInt16, dir: URL) throws -> Process {
        let d = dir.path
        let conf = """
            worker_processes 1;
            error_log \(d)/error.log warn;
            pid \(d)/nginx.pid;
            events { worker_connections 4096; }
            http {
                access_log off;
                sendfile on;
                tcp_nodelay on;
                keepalive_requests 1000000;
                keepalive_timeout 60s;
                client_body_temp_path \(d)/tmp/body;
                proxy_temp_path \(d)/tmp/proxy;
                fastcgi_temp_path \(d)/tmp/fastcgi;
                uwsgi_temp_path \(d)/tmp/uwsgi;
                scgi_temp_path \(d)/tmp/scgi;
                types { application/rss+xml xml; text/html html; }
                default_type application/octet-stream;
                server {
                    listen 127.0.0.1:\(port);
                    root \(root);
                }
            }
            """
        let confPath = dir.appendingPathComponent("nginx.conf").path
        try conf.write(toFile: confPath, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["-p", d, "-c", confPath, "-g", "daemon off;"]
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try p.run()
        // Ready once it accepts a connection.
        for _ in 0..<500 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = port.bigEndian
            let connected = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            close(fd)
            if connected { return p }
            guard p.isRunning else { break }
            usleep(10_000)
        }
        p.terminate()
        let log = (try? String(contentsOfFile: "\(d)/error.log", encoding: .utf8)) ?? ""
        throw Failure(description: "nginx did not start on 127.0.0.1:\(port): \(log)")
    }

    /// The evidence bodies stored (distinct bodies, their raw and compressed bytes) and the
    /// database's size on disk with its WAL.
    static func evidenceSize(_ path: String) throws -> (bodies: Int, raw: Int, compressed: Int, database: Int) {
        let queue = try DatabaseQueue(path: path)
        let row = try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT count(*) AS n, coalesce(sum(size), 0) AS raw, coalesce(sum(length(compressed)), 0) AS packed FROM evidence_body")
        }
        let size = { (p: String) in ((try? FileManager.default.attributesOfItem(atPath: p)[.size]) as? Int) ?? 0 }
        return (row?["n"] ?? 0, row?["raw"] ?? 0, row?["packed"] ?? 0, size(path) + size(path + "-wal"))
    }
}
