import Foundation
import Testing

@Suite("govmedia account, as officers use it")
struct AccountCommandTests {
    let registerFile = CLI.repository.appendingPathComponent("accounts.json").path

    @Test("importing accounts.json lists 39 accounts as JSON")
    func importAndList() async throws {
        let cli = try CLI()
        let imported = try await cli.run("account", "import", registerFile)
        #expect(imported.status == 0, "\(imported.stderr)")
        let list = try await cli.run("account", "list", "--json")
        let accounts = try #require(list.json as? [[String: Any]])
        #expect(accounts.count == 39)
        for key in ["id", "name", "platform", "owner", "owner_kind", "status", "url"] {
            #expect(accounts.allSatisfy { $0[key] is String }, "every account has \(key)")
        }
    }

    @Test("importing the same file twice records nothing the second time")
    func importTwice() async throws {
        let cli = try CLI()
        try await cli.run("account", "import", registerFile)
        let second = try await cli.run("account", "import", registerFile)
        #expect(second.stdout.contains("新开设 0 个，变更 0 个，未变 39 个"))
        let history = try await cli.run("account", "history", "jy-dzb-wx", "--json")
        #expect((history.json as? [Any])?.count == 1)
    }

    @Test("import, export, import changes nothing and the export is the file")
    func exportRoundTrip() async throws {
        let cli = try CLI()
        try await cli.run("account", "import", registerFile)
        let exported = cli.directory.appendingPathComponent("out.json").path
        #expect(try await cli.run("account", "export", exported).status == 0)
        #expect(FileManager.default.contents(atPath: exported) == FileManager.default.contents(atPath: registerFile))
        #expect(try await cli.run("account", "import", exported).stdout.contains("变更 0 个"))
    }

    @Test("add, change, close, deregister give four events in order with their reasons")
    func lifecycle() async throws {
        let cli = try CLI()
        #expect(try await cli.run("account", "add", "--id", "t-1", "--name", "测试号", "--platform", "weibo", "--owner", "财政局",
                            "--owner-kind", "department", "--url", "https://example.gov.cn/f.xml", "--reason", "新开设").status == 0)
        #expect(try await cli.run("account", "change", "t-1", "--set", "name=测试号二", "--reason", "更名").status == 0)
        #expect(try await cli.run("account", "close", "t-1", "--reason", "拟关停").status == 0)
        #expect(try await cli.run("account", "deregister", "t-1", "--reason", "已注销", "--on", "2026-11-20").status == 0)
        let events = try #require(try await cli.run("account", "history", "t-1", "--json").json as? [[String: Any]])
        #expect(events.map { $0["kind"] as? String } == ["registered", "changed", "closing", "deregistered"])
        #expect(events.map { $0["reason"] as? String } == ["新开设", "更名", "拟关停", "已注销"])
        #expect(events.allSatisfy { $0["at"] is String && $0["operator"] is String && $0["changes"] is [Any] })
        let change = try #require((events[1]["changes"] as? [[String: Any]])?.first)
        #expect(change["field"] as? String == "name" && change["before"] as? String == "测试号" && change["after"] as? String == "测试号二")
        let shown = try #require(try await cli.run("account", "show", "t-1", "--json").json as? [String: Any])
        #expect(shown["status"] as? String == "deregistered")
    }

    @Test("a file with one bad entry among good ones exits non-zero, names it, and writes nothing")
    func badEntryWritesNothing() async throws {
        let cli = try CLI()
        try await cli.run("account", "import", registerFile)
        let before = try await cli.run("account", "list", "--json").stdout
        let result = try await cli.run("account", "import", CLI.fixture("one-bad-entry.json"))
        #expect(result.status != 0)
        #expect(result.stderr.contains("第 2 条（id=bad-2）"))
        #expect(result.stderr.contains("platform"))
        #expect(result.stderr.contains("未写入任何内容"))
        #expect(try await cli.run("account", "list", "--json").stdout == before)
    }

    @Test("an XPath libxml2 cannot compile is refused naming the field")
    func badXPath() async throws {
        let cli = try CLI()
        let result = try await cli.run("account", "import", CLI.fixture("bad-xpath.json"))
        #expect(result.status != 0)
        #expect(result.stderr.contains("source.item") && result.stderr.contains("XPath"))
    }

    @Test("the audit fails and names an event altered in the sqlite3 shell")
    func auditAfterTamper() async throws {
        let cli = try CLI()
        try await cli.run("account", "import", registerFile)
        #expect(try await cli.run("audit", "verify").status == 0)
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = ["sqlite3", cli.database, "UPDATE lifecycle_event SET reason = 'x' WHERE seq = 5"]
        sqlite.standardError = Pipe()
        try sqlite.run()
        sqlite.waitUntilExit()
        #expect(sqlite.terminationStatus != 0, "the trigger refuses the UPDATE")
        let drop = Process()
        drop.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        drop.arguments = ["sqlite3", cli.database, "DROP TRIGGER lifecycle_event_no_update; UPDATE lifecycle_event SET reason = 'x' WHERE seq = 5;"]
        try drop.run()
        drop.waitUntilExit()
        let audit = try await cli.run("audit", "verify")
        #expect(audit.status != 0)
        #expect(audit.stdout.contains("第 5 条记录"))
    }

    @Test("a missing database directory gives a clear message, not a crash")
    func missingDirectory() async throws {
        let cli = try CLI()
        let result = try await cli.run("account", "list", "--db", "/nonexistent-dir/govmedia.sqlite")
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("错误：") && result.stderr.contains("目录不存在"))
    }

    @Test("the list table aligns Chinese columns")
    func tableAligned() async throws {
        let cli = try CLI()
        try await cli.run("account", "import", registerFile)
        let lines = try await cli.run("account", "list").stdout.split(separator: "\n").dropLast()
        let widths = Set(lines.dropFirst(2).map { line in
            // The status column (正常/拟关停) is followed by the date, which ends every row.
            line.hasSuffix(String(line.suffix(10))) ? line.count : 0
        })
        #expect(!widths.isEmpty)
        let header = String(lines[0])
        let dateColumn = header.range(of: "备案日期").map { header[..<$0.lowerBound] }.map(String.init) ?? ""
        for line in lines.dropFirst(2) {
            let text = String(line)
            let prefix = String(text.dropLast(10))
            #expect(testDisplayWidth(prefix) == testDisplayWidth(dateColumn), "row: \(text)")
        }
    }
}

/// Independent of the product's own width code: CJK ideographs and full-width forms are two cells.
func testDisplayWidth(_ s: String) -> Int {
    s.unicodeScalars.reduce(0) { w, u in
        let v = u.value
        let wide = (0x2E80...0x9FFF).contains(v) || (0xFF00...0xFF60).contains(v) || (0x3000...0x303F).contains(v)
        return w + (wide ? 2 : 1)
    }
}

@Suite("a database the user may not write")
struct ReadOnlyDatabaseTests {
    /// Runs as `nobody` (tests run as root in CI; skipped where that is not possible).
    func asNobody(_ cli: CLI, _ arguments: String...) async throws -> CLI.Result? {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser"), getpwnam("nobody") != nil else { return nil }
        return try await cli.run(["/usr/sbin/runuser", "-u", "nobody", "--", CLI.binary.path] + arguments, direct: true)
    }

    @Test("writing a database the user may not write gives a clear message, not a crash")
    func readOnly() async throws {
        let cli = try CLI()
        try await cli.run("account", "import", CLI.repository.appendingPathComponent("accounts.json").path)
        guard let write = try await asNobody(cli, "account", "close", "jy-dzb-wx", "--reason", "测试", "--db", cli.database) else { return }
        #expect(write.status == 1)
        #expect(write.stderr.hasPrefix("错误：") && write.stderr.contains("只读"))
        let read = try await asNobody(cli, "account", "list", "--db", cli.database)
        #expect(read?.status == 1)
        #expect(read?.stderr.contains("-shm") == true)
    }
}
