import Foundation
import Testing

/// Runs the sqlite3 shell on the CLI's database; returns its exit status.
@discardableResult
private func sqlite3(_ cli: CLI, _ sql: String) async throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sqlite3", cli.database, sql]
    process.standardError = Pipe()
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}

@Suite("govmedia review, as officers use it")
struct ReviewCommandTests {
    let registerFile = CLI.repository.appendingPathComponent("accounts.json").path

    /// A scratch directory with the repository's register imported.
    func registered() async throws -> CLI {
        let cli = try CLI()
        let imported = try await cli.run("account", "import", registerFile)
        try #require(imported.status == 0, "\(imported.stderr)")
        return cli
    }

    @Test("importing a CSV with BOM, CRLF, quotes and synonyms records every row")
    func importGood() async throws {
        let cli = try await registered()
        let result = try await cli.run("review", "import", CLI.fixture("reviews-good.csv"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("记录 4 条，跳过重复 0 条"))
        let records = try #require(try await cli.run("review", "list", "--json").json as? [[String: Any]])
        #expect(records.map { $0["stage"] as? String } == ["初审", "复审", "终审", "初审"])
        #expect(records.map { $0["opinion"] as? String } == ["同意", "同意", "同意", "退回"])
        #expect(records[1]["signed_at"] as? String == "2026-11-05T10:20:00+08:00")
        #expect(records[0]["post_title"] as? String == "净月区召开\"三审三校\"推进会，部署年度工作")
        #expect(records[3]["post_title"] as? String == "关于冬季供暖的提示\r\n（第二版）")
        #expect(records[3]["post_url"] is NSNull)
        for key in ["account_id", "post_title", "stage", "reviewer", "signed_at", "opinion", "hash"] {
            #expect(records.allSatisfy { $0[key] is String }, "every record has \(key)")
        }
        #expect(records.allSatisfy { $0["seq"] is Int })
    }

    @Test("re-importing the same file skips every row as a duplicate")
    func reimportSkips() async throws {
        let cli = try await registered()
        try await cli.run("review", "import", CLI.fixture("reviews-good.csv"))
        let second = try await cli.run("review", "import", CLI.fixture("reviews-good.csv"))
        #expect(second.status == 0)
        #expect(second.stdout.contains("记录 0 条，跳过重复 4 条"))
        #expect((try await cli.run("review", "list", "--json").json as? [Any])?.count == 4)
    }

    @Test("a bad stage among good rows exits 1, names line and column, and writes nothing")
    func badRowWritesNothing() async throws {
        let cli = try await registered()
        let result = try await cli.run("review", "import", CLI.fixture("reviews-bad-stage.csv"))
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("错误："))
        #expect(result.stderr.contains("第 3 行 stage 列：取值“四审”无效，应为 初审|复审|终审"))
        #expect(result.stderr.contains("未写入任何内容"))
        #expect((try await cli.run("review", "list", "--json").json as? [Any])?.isEmpty == true)
    }

    @Test("an account not in the register is refused by line, and nothing is written")
    func unknownAccount() async throws {
        let cli = try await registered()
        let result = try await cli.run("review", "import", CLI.fixture("reviews-unknown-account.csv"))
        #expect(result.status == 1)
        #expect(result.stderr.contains("第 3 行 account_id 列") && result.stderr.contains("no-such-account"))
        #expect(result.stderr.contains("未写入任何内容"))
        #expect((try await cli.run("review", "list", "--json").json as? [Any])?.isEmpty == true)
    }

    @Test("a CSV saved as GB18030 by a spreadsheet is read")
    func gb18030File() async throws {
        let cli = try await registered()
        let result = try await cli.run("review", "import", CLI.fixture("reviews-gb18030.csv"))
        #expect(result.status == 0, "\(result.stderr)")
        let records = try #require(try await cli.run("review", "list", "--json").json as? [[String: Any]])
        #expect(records.first?["reviewer"] as? String == "张三")
    }

    @Test("review add records one sign-off, and adding it again records nothing")
    func addOne() async throws {
        let cli = try await registered()
        let args = ["review", "add", "--account", "jy-dzb-wx", "--title", "区长调研企业", "--url", "https://www.jingyue.gov.cn/n/1.html",
                    "--stage", "复审", "--reviewer", "李四", "--signed-at", "2026-11-05 10:20", "--opinion", "同意"]
        let first = try await cli.run(args)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("已登记"))
        #expect(try await cli.run(args).stdout.contains("未登记"))
        let records = try #require(try await cli.run("review", "list", "--account", "jy-dzb-wx", "--json").json as? [[String: Any]])
        #expect(records.count == 1)
        #expect(records.first?["origin"] as? String == "review add")
        #expect(records.first?["post_url"] as? String == "https://www.jingyue.gov.cn/n/1.html")
    }

    @Test("review add with a bad value names the option")
    func addBadValue() async throws {
        let cli = try await registered()
        let result = try await cli.run("review", "add", "--account", "jy-dzb-wx", "--title", "标题", "--stage", "四审",
                                 "--reviewer", "李四", "--signed-at", "2026-02-30", "--opinion", "同意")
        #expect(result.status == 1)
        #expect(result.stderr.contains("--stage：取值“四审”无效"))
        #expect(result.stderr.contains("--signed-at："))
    }

    @Test("review list filters by account and aligns its Chinese table")
    func listTable() async throws {
        let cli = try await registered()
        try await cli.run("review", "import", CLI.fixture("reviews-good.csv"))
        let list = try await cli.run("review", "list", "--account", "jy-dzb-wx")
        #expect(list.status == 0)
        #expect(list.stdout.contains("共 3 条三审记录"))
        #expect(!list.stdout.contains("jy-dzb-wb"))
        let lines = list.stdout.split(separator: "\n").map(String.init)
        let header = lines[0]
        // The opinion column is last; every row's opinion starts where its header does.
        let opinionColumn = try #require(header.range(of: "意见")).lowerBound
        let expected = testDisplayWidth(String(header[..<opinionColumn]))
        for line in lines.dropFirst(2).dropLast() {
            #expect(testDisplayWidth(String(line.dropLast(2))) == expected, "row: \(line)")
        }
    }

    @Test("review list for an account not in the register fails plainly")
    func listUnknownAccount() async throws {
        let cli = try await registered()
        let result = try await cli.run("review", "list", "--account", "nobody")
        #expect(result.status == 1)
        #expect(result.stderr.contains("台账中没有账号 nobody"))
    }

    @Test("audit verify fails and names a review record altered in the sqlite3 shell")
    func auditAfterTamper() async throws {
        let cli = try await registered()
        try await cli.run("review", "import", CLI.fixture("reviews-good.csv"))
        #expect(try await cli.run("audit", "verify").status == 0)
        #expect(try await sqlite3(cli, "UPDATE review_record SET reviewer = '张三' WHERE seq = 3") != 0, "the trigger refuses the UPDATE")
        try await sqlite3(cli, "DROP TRIGGER review_record_no_update; UPDATE review_record SET reviewer = '张三' WHERE seq = 3;")
        let audit = try await cli.run("audit", "verify")
        #expect(audit.status != 0)
        #expect(audit.stdout.contains("三审记录 第 3 条记录"))
        #expect(audit.stdout.contains("jy-dzb-wx") && audit.stdout.contains("三审三校"))
    }
}
