import Foundation
import GovMediaCore
import GovMediaSite
import Testing

/// A `govmedia daemon` child process with a notify socket the test owns.
final class DaemonProcess: @unchecked Sendable {
    let process = Process()
    let logPath: String
    private let socketFD: Int32
    private let lock = NSLock()
    private var messages: [String] = []

    convenience init(cli: CLI, config: String, watchdogUSec: Int? = nil) throws {
        try self.init(cli: cli, arguments: ["daemon", "--config", config], watchdogUSec: watchdogUSec)
    }

    init(cli: CLI, arguments: [String], watchdogUSec: Int? = nil) throws {
        let socketPath = cli.directory.appendingPathComponent("notify-\(UUID().uuidString.prefix(8)).sock").path
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in socketPath.utf8.enumerated() { raw[i] = b }
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        precondition(bound == 0, "bind notify socket")
        socketFD = fd
        logPath = cli.directory.appendingPathComponent("daemon-\(UUID().uuidString.prefix(8)).log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = CLI.binary
        process.arguments = arguments
        // Relative paths in a config (report.out defaults to ./reports) land in the test's folder.
        process.currentDirectoryURL = cli.directory
        var env = ProcessInfo.processInfo.environment
        env["NOTIFY_SOCKET"] = socketPath
        if let watchdogUSec { env["WATCHDOG_USEC"] = String(watchdogUSec) }
        process.environment = env
        process.standardError = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        Thread { [weak self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                guard n > 0, let self else { return }
                let text = String(decoding: buffer[0..<n], as: UTF8.self)
                self.lock.withLock { self.messages += text.split(separator: "\n").map(String.init) }
            }
        }.start()
    }

    deinit {
        if process.isRunning { process.terminate() }
        close(socketFD)
    }

    var notifications: [String] { lock.withLock { messages } }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Polls `condition` every 100 ms for up to `seconds`.
    func wait(_ seconds: Double, until condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return condition()
    }

    func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// Waits for exit; returns the status and how long it took.
    func waitForExit(_ seconds: Double) async -> (status: Int32?, elapsed: Double) {
        let start = Date()
        let exited = await wait(seconds) { !process.isRunning }
        return (exited ? process.terminationStatus : nil, Date().timeIntervalSince(start))
    }
}

/// Runs sqlite3 on the test database and returns its output.
func sqlite(_ db: String, _ sql: String) -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["sqlite3", db, sql]
    let out = Pipe()
    p.standardOutput = out
    try? p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

func writeConfig(_ cli: CLI, interval: Int = 1, rules: String? = nil, extra: String = "") throws -> String {
    let path = cli.directory.appendingPathComponent("govmedia.yaml").path
    let text = """
        database: \(cli.database)
        rules: \(rules ?? CLI.repository.appendingPathComponent("rules").path)
        schedule:
          interval_seconds: \(interval)
          jitter_seconds: 0
        fetch:
          allow_private_addresses: true
          retry_attempts: 1
        log_level: info
        \(extra)
        """
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

@Suite("govmedia daemon as a real process", .serialized)
struct DaemonTests {
    func site(_ cli: CLI, accounts: Int = 3, delay: Duration = .zero) async throws -> LoopbackAccounts {
        let entries = (0..<accounts).map { i in
            (id: "d\(i)", path: "/d\(i).xml", page: { () -> SitePage in
                var p = LoopbackAccounts.feed([("守护进程测试\(i)", 1)])
                p.delay = delay
                return p
            }(), html: false)
        }
        let site = try await LoopbackAccounts.start(entries, in: cli.directory)
        #expect(try await cli.run("account", "import", site.registerPath).status == 0)
        return site
    }

    @Test("starts, says READY=1, scans on schedule, and exits 0 within 10 s of SIGTERM with STOPPING=1")
    func lifecycle() async throws {
        let cli = try CLI()
        let s = try await site(cli)
        defer { s.site.stop() }
        let daemon = try DaemonProcess(cli: cli, config: try writeConfig(cli), watchdogUSec: 400_000)
        #expect(await daemon.wait(10) { daemon.notifications.contains("READY=1") }, "\(daemon.log)")
        #expect(await daemon.wait(20) { (Int(sqlite(cli.database, "SELECT COUNT(*) FROM scan WHERE status='finished'")) ?? 0) >= 2 })
        #expect(daemon.notifications.contains("WATCHDOG=1"))
        #expect(daemon.notifications.contains { $0.hasPrefix("STATUS=扫描 #") })
        #expect((Int(sqlite(cli.database, "SELECT COUNT(*) FROM evaluation_run WHERE trigger='daemon'")) ?? 0) >= 1)
        daemon.signal(SIGTERM)
        let exit = await daemon.waitForExit(10)
        #expect(exit.status == 0)
        #expect(exit.elapsed < 10)
        #expect(daemon.notifications.contains("STOPPING=1"))
        #expect(sqlite(cli.database, "PRAGMA integrity_check") == "ok")
    }

    @Test("SIGHUP reloads a good config, keeps the old one on a bad config, and keeps scanning")
    func reload() async throws {
        let cli = try CLI()
        let s = try await site(cli)
        defer { s.site.stop() }
        let config = try writeConfig(cli, interval: 2)
        let daemon = try DaemonProcess(cli: cli, config: config)
        #expect(await daemon.wait(10) { daemon.notifications.contains("READY=1") })
        daemon.signal(SIGHUP)
        #expect(await daemon.wait(10) { daemon.log.contains("reloaded") }, "\(daemon.log)")
        try "database: [unclosed\n".write(toFile: config, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(await daemon.wait(10) { daemon.log.contains("reload failed; keeping the previous configuration") })
        let before = Int(sqlite(cli.database, "SELECT COUNT(*) FROM scan WHERE status='finished'")) ?? 0
        #expect(await daemon.wait(15) { (Int(sqlite(cli.database, "SELECT COUNT(*) FROM scan WHERE status='finished'")) ?? 0) > before })
        #expect(daemon.process.isRunning)
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(10).status == 0)
    }

    @Test("a manual scan while the daemon scans is refused with a clear message")
    func overlappingScan() async throws {
        let cli = try CLI()
        let s = try await site(cli, accounts: 4, delay: .seconds(3))
        defer { s.site.stop() }
        let daemon = try DaemonProcess(cli: cli, config: try writeConfig(cli, interval: 60))
        #expect(await daemon.wait(10) { daemon.notifications.contains("STATUS=正在扫描…") })
        let manual = try await cli.run("scan", "--allow-private-addresses")
        #expect(manual.status != 0)
        #expect(manual.stderr.contains("另一个扫描正在进行"))
        // Officers' reads are not blocked by the scan.
        #expect(try await cli.run("account", "list", "--json").status == 0)
        daemon.signal(SIGTERM)
        let exit = await daemon.waitForExit(10)
        #expect(exit.status == 0 && exit.elapsed < 10, "\(exit) \(daemon.process.terminationReason.rawValue) \(daemon.log)")
        #expect(sqlite(cli.database, "SELECT status FROM scan ORDER BY id DESC LIMIT 1") == "interrupted")
    }

    @Test("SIGKILL mid-scan leaves the database consistent; the next start marks the scan interrupted and carries on")
    func killMidScan() async throws {
        let cli = try CLI()
        let s = try await site(cli, accounts: 6, delay: .seconds(2))
        defer { s.site.stop() }
        let config = try writeConfig(cli, interval: 60)
        let first = try DaemonProcess(cli: cli, config: config)
        #expect(await first.wait(10) { first.notifications.contains("STATUS=正在扫描…") })
        try await Task.sleep(for: .milliseconds(2500))
        first.signal(SIGKILL)
        _ = await first.waitForExit(5)
        #expect(sqlite(cli.database, "PRAGMA integrity_check") == "ok")
        #expect(sqlite(cli.database, "SELECT status FROM scan ORDER BY id DESC LIMIT 1") == "running")
        #expect(sqlite(cli.database, "SELECT COUNT(*) FROM scan WHERE status='finished'") == "0")
        for id in 0..<6 { await s.site.set("/d\(id).xml", LoopbackAccounts.feed([("恢复后\(id)", 1)])) }
        let second = try DaemonProcess(cli: cli, config: config)
        #expect(await second.wait(20) { sqlite(cli.database, "SELECT COUNT(*) FROM scan WHERE status='finished'") == "1" }, "\(second.log)")
        #expect(sqlite(cli.database, "SELECT status FROM scan ORDER BY id LIMIT 1") == "interrupted")
        #expect(sqlite(cli.database, "PRAGMA integrity_check") == "ok")
        second.signal(SIGTERM)
        #expect(await second.waitForExit(10).status == 0)
    }

    @Test("a bad config file is refused at start with its field and line")
    func badConfigAtStart() async throws {
        let cli = try CLI()
        let config = try writeConfig(cli, extra: "colour: red")
        let result = try await cli.run("daemon", "--config", config)
        #expect(result.status == 1)
        #expect(result.stderr.contains("colour") && result.stderr.contains("未知字段"))
    }
}

@Suite("the daemon's weekly report", .serialized)
struct DaemonWeeklyReportTests {
    @Test("once the report time has passed, last week's report is written and mailed to every recipient, once")
    func weeklyReportOnce() async throws {
        let cli = try CLI()
        let site = try await LoopbackAccounts.start([("w0", "/w0.xml", LoopbackAccounts.feed([("周报测试", 1)]), false)], in: cli.directory)
        defer { site.site.stop() }
        #expect(try await cli.run("account", "import", site.registerPath).status == 0)
        #expect(try await cli.run("scan", "--allow-private-addresses", "--no-evaluate").status == 0)
        // A run checked inside last week, as the daemon would have stored a week ago.
        let lastWeek = ChinaTime.iso8601(Date().addingTimeInterval(-7 * 86_400))
        #expect(try await cli.run("evaluate", "--at", lastWeek, "--rules", CLI.repository.appendingPathComponent("rules").path).status == 0)
        let port = try Python.freePort()
        let sink = try SMTPSink(port: port, in: cli.directory)
        defer { sink.stop() }
        let extra = """
            report:
              weekday: 1
              time: "00:00"
              out: \(cli.directory.path)/reports
            mail:
              url: smtp://127.0.0.1:\(port)
              from: govmedia@jingyue.gov.cn
              to: [zwgkb@jingyue.gov.cn, leader@jingyue.gov.cn]
              outbox: \(cli.directory.path)/outbox
            """
        let config = try writeConfig(cli, interval: 3600, extra: extra)
        let daemon = try DaemonProcess(cli: cli, config: config)
        #expect(await daemon.wait(20) { sink.recipients().count == 2 }, "\(daemon.log)")
        #expect(sink.recipients() == ["leader@jingyue.gov.cn", "zwgkb@jingyue.gov.cn"])
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(10).status == 0)
        // A restart within the same week sends nothing again.
        let again = try DaemonProcess(cli: cli, config: config)
        #expect(await again.wait(10) { again.notifications.contains("READY=1") })
        try await Task.sleep(for: .seconds(3))
        again.signal(SIGTERM)
        #expect(await again.waitForExit(10).status == 0)
        #expect(sink.messages().count == 2)
        #expect(sqlite(cli.database, "SELECT COUNT(*) FROM weekly_report") == "1")
    }
}

@Suite("the daemon without a config file")
struct DaemonWithoutConfigTests {
    @Test("--db, --interval and --allow-private-addresses run it on defaults")
    func commandLineOnly() async throws {
        let cli = try CLI()
        let site = try await LoopbackAccounts.start([("c0", "/c0.xml", LoopbackAccounts.feed([("无配置运行", 1)]), false)], in: cli.directory)
        defer { site.site.stop() }
        #expect(try await cli.run("account", "import", site.registerPath).status == 0)
        // An explicit config that does not exist is an error…
        let missing = try await cli.run("daemon", "--config", cli.directory.appendingPathComponent("missing.yaml").path)
        #expect(missing.status == 1 && missing.stderr.contains("无法读取"))
        // …while no config at all runs on defaults and the command line.
        let daemon = try DaemonProcess(cli: cli, arguments: ["daemon", "--db", cli.database, "--interval", "1", "--allow-private-addresses",
                                                             "--rules", CLI.repository.appendingPathComponent("rules").path])
        #expect(await daemon.wait(10) { daemon.notifications.contains("READY=1") }, "\(daemon.log)")
        #expect(await daemon.wait(15) { sqlite(cli.database, "SELECT COUNT(*) FROM scan WHERE status='finished'") != "0" })
        #expect(sqlite(cli.database, "SELECT COUNT(*) FROM post WHERE title='无配置运行'") == "1")
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(10).status == 0)
    }
}
