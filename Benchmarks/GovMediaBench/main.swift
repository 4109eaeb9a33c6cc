import Foundation
import GovMediaCore
import GovMediaFetch
import GovMediaParse
import GovMediaScan
import GovMediaStore
import Logging

// govmedia-bench: the speed targets of BENCHMARKS.md, measured on a generated corpus in a
// release build. Each mode prints one line of figures; `all` runs parse, list and scan.
ProcessMemory.configure()
let args = CommandLine.arguments.dropFirst()
let mode = args.first ?? "all"

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Peak resident set size of this process (VmHWM), in MB.
func peakRSS() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
    return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
}

func option(_ name: String, default value: Int) -> Int {
    guard let i = args.firstIndex(of: name), args.index(after: i) < args.endIndex else { return value }
    return Int(args[args.index(after: i)]) ?? value
}

func benchFeeds() throws {
    let feeds = (0..<2000).map { Corpus.rss($0) } + (0..<500).map { Corpus.atom($0) }
    let bytes = feeds.reduce(0) { $0 + $1.count }
    var entries = 0
    let t = try seconds {
        for feed in feeds {
            entries += try DocumentReader.read(feed, contentType: "application/xml", baseURL: "https://www.example.gov.cn/feed.xml",
                                               profile: .feed, fetchedAt: Corpus.base).items.count
        }
    }
    print(String(format: "feeds: %d feeds, %d entries, %.1f MB in %.3f s = %.0f entries/s (target ≥ 65000)",
                 feeds.count, entries, Double(bytes) / 1e6, t, Double(entries) / t))
}

func benchLists() throws {
    let pages = (0..<500).map { Corpus.listPage($0, gbk: $0 % 2 == 0) }
    let p = Corpus.listProfile
    let profile = ReadingProfile.htmlList(item: p.item, title: p.title, link: p.link, date: p.date)
    var items = 0
    var dated = 0
    let t = try seconds {
        for (i, page) in pages.enumerated() {
            let doc = try DocumentReader.read(page, contentType: i % 2 == 0 ? "text/html" : "text/html; charset=utf-8",
                                              baseURL: "https://www.example.gov.cn/list/index.html", profile: profile, fetchedAt: Corpus.base)
            items += doc.items.count
            dated += doc.items.filter { $0.publishedAt != nil }.count
        }
    }
    let avg = pages.reduce(0) { $0 + $1.count } / pages.count
    print(String(format: "lists: %d pages (avg %d KB, half GBK), %d items (%d dated) in %.3f s = %.0f items/s (target ≥ 15000)",
                 pages.count, avg / 1024, items, dated, t, Double(items) / t))
}

/// Serves the scan corpus from a child process, so the scanner's memory is measured alone.
func serve(accounts n: Int) throws -> Never {
    var pages: [String: (contentType: String, body: [UInt8])] = [:]
    let bodyMB = option("--body-mb", default: 0)
    // With --body-mb every account answers the same oversized body (one shared buffer).
    let large = bodyMB > 0 ? Array(repeating: UInt8(ascii: "x"), count: bodyMB << 20) : []
    for i in 0..<n { pages["/f/\(i).xml"] = ("application/rss+xml", bodyMB > 0 ? large : Corpus.rss(i)) }
    let site = try LoopbackSite(pages: pages)
    FileHandle.standardOutput.write(Data("\(site.port)\n".utf8))
    // Serve until the parent closes our stdin.
    while readLine() != nil {}
    exit(0)
}

func startSite(accounts n: Int, bodyMB: Int = 0) throws -> (port: UInt16, process: Process) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    p.arguments = ["serve", "--accounts", String(n), "--body-mb", String(bodyMB)]
    let out = Pipe()
    p.standardOutput = out
    p.standardInput = Pipe()
    try p.run()
    var line = [UInt8]()
    while let byte = try out.fileHandleForReading.read(upToCount: 1)?.first, byte != 10 { line.append(byte) }
    guard let port = UInt16(String(decoding: line, as: UTF8.self)) else { throw POSIXError(.EIO) }
    return (port, p)
}

func benchScan(accounts n: Int, bodyMB: Int = 0) async throws {
    let (port, server) = try startSite(accounts: n, bodyMB: bodyMB)
    defer { server.terminate() }
    let site = (port: port, ())
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("govmedia-bench-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let store = try Store(path: dir.appendingPathComponent("bench.sqlite").path)
    let accounts = (0..<n).map {
        Account(id: "b-\($0)", name: "账号\($0)", platform: .wechat, owner: "单位\($0 % 40)", ownerKind: .department,
                url: WebAddress(checking: "http://127.0.0.1:\(site.port)/f/\($0).xml")!, registeredOn: "2024-01-01")
    }
    _ = try store.importAccounts(accounts, by: Attribution(operator: "bench", reason: "benchmark"))
    var config = FetchConfiguration()
    config.allowPrivateAddresses = true
    // One host serves every account here, so the per-host limit is raised to the global one.
    config.maxConcurrentPerHost = config.maxConcurrentTransfers
    var options = ScanOptions(fetch: config, trigger: "benchmark")
    options.batchSize = 128
    var logger = Logger(label: "bench")
    logger.logLevel = .error
    let before = peakRSS()
    var summary: ScanSummary?
    let start = DispatchTime.now().uptimeNanoseconds
    summary = try await Scanner(store: store, logger: logger).run(options)
    let t = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let s = summary!
    print(String(format: "scan: %d accounts, %d read, %d new posts, %d failures in %.3f s = %.0f accounts/s (target ≥ 1000); peak RSS %.1f MB (before scan %.1f MB; target ≤ 150)",
                 n, s.read, s.newPosts, s.failures.count, t, Double(n) / t, peakRSS(), before))
}

switch mode {
// With --list FILE: the peers' corpus (gen.py), read file by file as xmlx reads it.
case "feeds" where args.contains("--list"): try PeerCorpus.run(lists: false, args: args)
case "lists" where args.contains("--list"): try PeerCorpus.run(lists: true, args: args)
case "feeds": try benchFeeds()
case "lists": try benchLists()
case "scan" where args.contains("--list"): try await NginxScan.run(args: args)
case "scan": try await benchScan(accounts: option("--accounts", default: 3000), bodyMB: option("--body-mb", default: 0))
case "report": try await benchReport()
case "json": try benchJSON()
case "probe": benchProbe()
case "serve": try serve(accounts: option("--accounts", default: 3000))
case "evaluate": try benchEvaluate(accounts: option("--accounts", default: 10_000))
case "all":
    try benchFeeds()
    try benchLists()
    try await benchScan(accounts: option("--accounts", default: 3000))
default:
    print("usage: govmedia-bench [feeds [--list FILE [--verify OUT.tsv]]|lists [--list FILE [--item X --title X --link X --date X] [--verify OUT.tsv]]|scan [--accounts N] [--body-mb M]|scan --list FILE [--accounts N] [--nginx PATH]|evaluate [--accounts N]|report|json|probe|all]")
    exit(2)
}
