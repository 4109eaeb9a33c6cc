import Foundation
import GovMediaSite
import Testing

@Suite("the daemon and the register file", .serialized)
struct DaemonRegisterTests {
    /// A daemon config with `register:` pointing at the loopback site's register file.
    private func start(_ cli: CLI, register: String) throws -> DaemonProcess {
        try DaemonProcess(cli: cli, config: try writeConfig(cli, interval: 60, extra: "register: \(register)"))
    }

    private func stop(_ daemon: DaemonProcess) async {
        daemon.signal(SIGTERM)
        _ = await daemon.waitForExit(10)
    }

    @Test("after an officer closes and deregisters an account, the daemon starts again, keeps the officer's change and says so")
    func officerChangeSurvivesRestart() async throws {
        let cli = try CLI()
        let site = try await LoopbackAccounts.start((0..<3).map { ("r\($0)", "/r\($0).xml", LoopbackAccounts.feed([("台账\($0)", 1)]), false) },
                                                    in: cli.directory)
        defer { site.site.stop() }
        let first = try start(cli, register: site.registerPath)
        #expect(await first.wait(15) { first.notifications.contains("READY=1") }, "\(first.log)")
        #expect(sqlite(cli.database, "SELECT COUNT(*) FROM account") == "3")
        await stop(first)

        #expect(try await cli.run("account", "close", "r0", "--reason", "并入").status == 0)
        #expect(try await cli.run("account", "deregister", "r0", "--reason", "已注销备案").status == 0)

        // An unchanged file is not applied again: the restart neither fails nor undoes anything.
        let second = try start(cli, register: site.registerPath)
        #expect(await second.wait(15) { second.notifications.contains("READY=1") }, "\(second.log)")
        #expect(sqlite(cli.database, "SELECT status FROM account WHERE id = 'r0'") == "deregistered")
        #expect(second.log.contains("register file and database differ"))

        // An edited file is applied where it changed; the deregistered entry stays as the officer left it.
        var text = try String(contentsOfFile: site.registerPath, encoding: .utf8)
        text = text.replacingOccurrences(of: "测试账号1", with: "改名账号1")
        try text.write(toFile: site.registerPath, atomically: true, encoding: .utf8)
        second.signal(SIGHUP)
        #expect(await second.wait(10) { second.log.contains("reloaded") }, "\(second.log)")
        #expect(sqlite(cli.database, "SELECT name FROM account WHERE id = 'r1'") == "改名账号1")
        #expect(sqlite(cli.database, "SELECT status FROM account WHERE id = 'r0'") == "deregistered")
        #expect(second.process.isRunning)
        await stop(second)

        let status = try await cli.run("status", "--rules", CLI.repository.appendingPathComponent("rules").path)
        #expect(status.stdout.contains("注意：台账文件") && status.stdout.contains("r0") && status.stdout.contains("以数据库为准"), "\(status.stdout)")
        #expect(try await cli.run("audit", "verify").status == 0)
    }

    @Test("a register file that cannot be read does not stop the daemon")
    func unreadableRegister() async throws {
        let cli = try CLI()
        let daemon = try start(cli, register: cli.directory.appendingPathComponent("missing.json").path)
        #expect(await daemon.wait(15) { daemon.notifications.contains("READY=1") }, "\(daemon.log)")
        #expect(daemon.log.contains("register file not applied"))
        await stop(daemon)
    }

    @Test("a config without rules: judges with the same rules the command line falls back to")
    func noRulesInConfig() async throws {
        let cli = try CLI()
        let site = try await LoopbackAccounts.start([("n0", "/n0.xml", LoopbackAccounts.feed([("无规则目录", 1)]), false)], in: cli.directory)
        defer { site.site.stop() }
        #expect(try await cli.run("account", "import", site.registerPath).status == 0)
        let config = cli.directory.appendingPathComponent("norules.yaml").path
        try """
            database: \(cli.database)
            schedule:
              interval_seconds: 60
              jitter_seconds: 0
            fetch:
              allow_private_addresses: true
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(cli: cli, config: config)
        #expect(await daemon.wait(15) { daemon.notifications.contains("READY=1") }, "\(daemon.log)")
        #expect(await daemon.wait(20) { sqlite(cli.database, "SELECT COUNT(*) FROM evaluation_run WHERE trigger = 'daemon'") != "0" }, "\(daemon.log)")
        #expect(sqlite(cli.database, "SELECT verdict FROM evaluation WHERE account_id = 'n0'") == "pass")
        // The chains' heads were anchored beside the database.
        let anchors = try String(contentsOfFile: cli.database + ".anchors", encoding: .utf8)
        #expect(anchors.contains("lifecycle_event=1:"))
        await stop(daemon)
    }
}

@Suite("the daemon and its feed bridges", .serialized)
struct DaemonBridgeTests {
    @Test("after base_url is changed and the daemon reloaded, every account of that bridge is read from the new address")
    func reloadMovesBridge() async throws {
        let cli = try CLI()
        let bridge = try await LoopbackBridge.start(in: cli.directory)
        defer { bridge.site.stop() }
        #expect(try await cli.run("account", "import", bridge.registerPath).status == 0)
        let moved = try await LoopbackBridge.start(in: cli.directory.appendingPathComponent("moved", isDirectory: true).creatingDirectory())
        defer { moved.site.stop() }
        // The daemon's config: the bridges, this database, the repository's rules, a short interval.
        func write(_ base: String) throws {
            try bridge.writeConfig(baseURL: base)
            var text = try String(contentsOfFile: bridge.configPath, encoding: .utf8)
            text = """
                database: \(cli.database)
                rules: \(CLI.repository.appendingPathComponent("rules").path)
                schedule:
                  interval_seconds: 1
                  jitter_seconds: 0

                """ + text
            try text.write(toFile: bridge.configPath, atomically: true, encoding: .utf8)
        }
        try write(bridge.site.url(""))
        let daemon = try DaemonProcess(cli: cli, config: bridge.configPath)
        #expect(await daemon.wait(15) { sqlite(cli.database, "SELECT COUNT(*) FROM fetch WHERE bridge = 'rsshub'") != "0" }, "\(daemon.log)")
        try write(moved.site.url(""))
        daemon.signal(SIGHUP)
        #expect(await daemon.wait(10) { daemon.log.contains("reloaded") }, "\(daemon.log)")
        let port = String(moved.site.port)
        #expect(await daemon.wait(15) {
            sqlite(cli.database, "SELECT COUNT(DISTINCT account_id) FROM fetch WHERE bridge = 'rsshub' AND url LIKE '%:\(port)/%'") == "5"
        }, "\(daemon.log)")
        #expect(!daemon.log.contains(LoopbackBridge.token))
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(10).status == 0)
    }
}
