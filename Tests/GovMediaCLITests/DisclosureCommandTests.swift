import Foundation
import Testing

/// The finding objects of `disclosure check --json`.
private func findings(_ result: CLI.Result) throws -> [[String: Any]] {
    try #require(result.json as? [[String: Any]], "stdout: \(result.stdout) stderr: \(result.stderr)")
}

/// The cell at (row code, column code) of a table in `disclosure show --json`.
private func cell(_ report: [String: Any], table: String, row: String, column: String) -> String? {
    let tables = [report["requests"], report["appeals"]].compactMap { $0 as? [String: Any] }
        + ((report["proactive"] as? [[String: Any]]) ?? [])
    guard let found = tables.first(where: { $0["id"] as? String == table }),
          let columns = found["columns"] as? [[String: Any]],
          let index = columns.firstIndex(where: { $0["code"] as? String == column }),
          let rows = found["rows"] as? [[String: Any]],
          let match = rows.first(where: { $0["code"] as? String == row }),
          let cells = match["cells"] as? [[String: Any]], index < cells.count else { return nil }
    return cells[index]["value"] as? String
}

@Suite("govmedia disclosure, as officers use it")
struct DisclosureCommandTests {
    let seed = CLI.fixture("disclosure-jingyue-2021.txt")
    let registerFile = CLI.repository.appendingPathComponent("accounts.json").path

    /// A scratch directory with the seed imported as 净月高新区's 2021 report.
    func seeded() async throws -> CLI {
        let cli = try CLI()
        let imported = try await cli.run("disclosure", "import", seed, "--org", "净月高新区", "--year", "2021")
        try #require(imported.status == 0, "\(imported.stderr)")
        return cli
    }

    @Test("importing the seed reads every table and suggests the check")
    func importSeed() async throws {
        let cli = try CLI()
        let result = try await cli.run("disclosure", "import", seed, "--org", "净月高新区", "--year", "2021")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("已导入 净月高新区 2021 年报（版本 #1"))
        #expect(result.stdout.contains("读取表格 6 张"))
        #expect(result.stdout.contains("govmedia disclosure check --org 净月高新区 --year 2021"))
    }

    @Test("show --json gives back the seed's figures exactly")
    func showJSONFigures() async throws {
        let cli = try await seeded()
        let result = try await cli.run("disclosure", "show", "--org", "净月高新区", "--year", "2021", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(result.json as? [String: Any])
        #expect(cell(report, table: "requests", row: "new", column: "total") == "477")
        #expect(cell(report, table: "requests", row: "total", column: "total") == "471")
        #expect(cell(report, table: "requests", row: "carried_forward", column: "total") == "6")
        #expect(cell(report, table: "proactive.licensing", row: "licensing", column: "decisions") == "2737")
        #expect(cell(report, table: "proactive.fees", row: "fees", column: "amount") == "451.726")
        let narrative = try #require(report["narrative"] as? [[String: Any]])
        let value = { (kind: String) in narrative.first { $0["kind"] as? String == kind }?["value"] as? String }
        #expect(value("new_media_accounts") == "39")
        #expect(value("new_media_pass_rate") == "100")
    }

    @Test("show prints the tables aligned, blank cells blank, and the text's figures with their sentences")
    func showText() async throws {
        let cli = try CLI()
        try await cli.run("disclosure", "import", CLI.fixture("disclosure-jingyue-2022.txt"), "--org", "净月高新区", "--year", "2022")
        let result = try await cli.run("disclosure", "show", "--org", "净月高新区", "--year", "2022")
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout
        for figure in ["477", "471", "12", "2737", "451.726", "39个", "100%"] {
            #expect(out.contains(figure), "show names \(figure)")
        }
        #expect(out.contains("表二（八） 第二十条第（八）项"))
        #expect(out.contains("正文所述政务新媒体数量：39个"))
        #expect(out.contains("原句："))
        let lines = out.components(separatedBy: "\n")
        // Right-aligned numbers end in the same terminal column as their header (总计).
        let header = try #require(lines.first { $0.hasPrefix("信息内容") && $0.hasSuffix("总计") })
        let newRow = try #require(lines.first { $0.hasPrefix("一、本年新收") })
        #expect(displayWidth(header) == displayWidth(newRow))
        #expect(newRow.hasSuffix(" 477"))
    }

    @Test("the seed passes every arithmetic check, and says so plainly")
    func seedChecksClean() async throws {
        let cli = try await seeded()
        let json = try await cli.run("disclosure", "check", "--json")
        #expect(json.status == 0, "\(json.stderr)")
        #expect(try findings(json).isEmpty)
        let text = try await cli.run("disclosure", "check")
        #expect(text.stdout.hasPrefix("净月高新区 2021 年报：算术核对全部通过，未发现问题。"))
        // With no register at all there is nothing to hold the claims against, and it says so.
        #expect(text.stdout.contains("未与监测台账比对"))
    }

    @Test("with the repository's register the seed's 39 accounts match; two deregistered in 2021 make it a monitor_mismatch")
    func seedAgainstRegister() async throws {
        let cli = try await seeded()
        #expect(try await cli.run("account", "import", registerFile).status == 0)
        let matching = try await cli.run("disclosure", "check", "--year", "2021", "--json")
        #expect(matching.status == 0, "\(matching.stderr)")
        #expect(try findings(matching).isEmpty)
        #expect(matching.stderr.contains("2021 年没有评判记录，未核对达标率"))
        for id in ["jy-wlj-wx2", "jy-tyjr-wx"] {
            #expect(try await cli.run("account", "deregister", id, "--reason", "合并", "--on", "2021-06-30").status == 0)
        }
        let result = try await cli.run("disclosure", "check", "--year", "2021", "--json")
        let found = try findings(result)
        // At the end of 2021 the register held 37 live accounts, so the report's 39 is the only thing to check.
        #expect(found.map { $0["check"] as? String } == ["monitor_mismatch"])
        #expect(found.first?["expected"] as? Int == 37)
        #expect(found.first?["actual"] as? Int == 39)
        // No arithmetic finding: leaving the monitor out leaves nothing.
        let arithmetic = try await cli.run("disclosure", "check", "--year", "2021", "--no-monitor", "--json")
        #expect(try findings(arithmetic).isEmpty)
    }

    @Test("a report naming the register's 39 accounts matches it, and the unscored pass rate is not compared")
    func registerCountMatches() async throws {
        let cli = try CLI()
        #expect(try await cli.run("account", "import", registerFile).status == 0)
        try await cli.run("disclosure", "import", seed, "--org", "净月高新区", "--year", "2021")
        try await cli.run("disclosure", "import", CLI.fixture("disclosure-jingyue-2022.txt"), "--org", "净月高新区", "--year", "2022")
        let result = try await cli.run("disclosure", "check", "--year", "2022")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("净月高新区 2022 年报：算术核对全部通过，未发现问题。"))
        #expect(result.stdout.contains("监测台账 2022 年末登记的政务新媒体为 39 个"))
        #expect(result.stdout.contains("2022 年没有评判记录，未核对达标率，只核对了政务新媒体数量"))
    }

    @Test("a pass rate is held against the year's last evaluation run, and the notice names the run")
    func passRateAgainstEvaluation() async throws {
        let cli = try await seeded()
        #expect(try await cli.run("account", "import", registerFile).status == 0)
        let rules = CLI.repository.appendingPathComponent("rules").path
        // No posts stored: every account is unverifiable, so the run's pass rate is 0%.
        #expect(try await cli.run("evaluate", "--at", "2021-12-20", "--rules", rules).status == 0)
        let result = try await cli.run("disclosure", "check", "--year", "2021", "--json")
        let rate = try #require(try findings(result).first { $0["row"] as? String == "政务新媒体达标率" })
        #expect(rate["check"] as? String == "monitor_mismatch")
        #expect(rate["expected"] as? Int == 0)
        #expect(rate["actual"] as? Int == 100)
        #expect(result.stderr.contains("达标率取自 2021-12-20 00:00 的评判 #1"))
    }

    @Test("a web-page report with run-together digits lists the rows to split by hand and does not claim a clean pass")
    func runTogetherReport() async throws {
        let cli = try CLI()
        let imported = try await cli.run("disclosure", "import", CLI.fixture("disclosure-pingtan-2023.page.txt"),
                                         "--org", "平潭综合实验区", "--year", "2023")
        #expect(imported.status == 0, "\(imported.stderr)")
        // Two of the three rows the row totals could not settle are settled by the column sums.
        #expect(imported.stdout.contains("数字无法确定 3 格"))
        #expect(imported.stdout.components(separatedBy: "无法拆分，请人工核对").count - 1 == 1)
        #expect(imported.stdout.contains("另有 25 行数字连写已自动拆分"))
        let check = try await cli.run("disclosure", "check")
        #expect(check.stdout.hasPrefix("平潭综合实验区 2023 年报：可核对的算术全部通过；另有 3 格数字连写无法确定"))
        let show = try await cli.run("disclosure", "show", "--org", "平潭综合实验区", "--year", "2023")
        #expect(show.stdout.contains("“行政规范性文件”行（第 10 行）原文为 77132470，无法确定拆分"))
        #expect(show.stdout.contains("5949.088667"))
    }

    @Test("a year different from the one the text names is stored as given, with a notice")
    func yearMismatchNotice() async throws {
        let cli = try CLI()
        let result = try await cli.run("disclosure", "import", seed, "--org", "净月高新区", "--year", "2022")
        #expect(result.status == 0)
        #expect(result.stdout.contains("提示：正文看来是 2021 年的年报，与 --year 2022 不同"))
    }

    @Test("a broken total is exactly one finding, in JSON with numbers and in an aligned table")
    func brokenFixtureGetsItsFinding() async throws {
        let cli = try CLI()
        try await cli.run("disclosure", "import", CLI.fixture("disclosure-jingyue-2021-appeal-total.txt"), "--org", "净月高新区", "--year", "2021")
        let json = try await cli.run("disclosure", "check", "--org", "净月高新区", "--json")
        #expect(json.status == 0, "findings are the product, not an error")
        let found = try findings(json)
        #expect(found.count == 1)
        let finding = try #require(found.first)
        #expect(finding["check"] as? String == "appeal_total")
        #expect(finding["table_code"] as? String == "appeals")
        #expect(finding["row"] as? String == "行政复议")
        #expect(finding["column"] as? String == "总计")
        #expect(finding["expected"] as? Int == 22)
        #expect(finding["actual"] as? Int == 23)
        #expect(finding["line"] as? Int == 321)
        #expect(finding["org"] as? String == "净月高新区")
        #expect(finding["year"] as? Int == 2021)
        #expect(finding["message"] as? String != nil)
        for key in ["row_code", "column_code", "check_name", "report_id", "table"] { #expect(finding[key] != nil, "has \(key)") }

        let text = try await cli.run("disclosure", "check")
        #expect(text.stdout.contains("发现 1 项需要核实"))
        let lines = text.stdout.components(separatedBy: "\n")
        let header = try #require(lines.first { $0.hasPrefix("检查") })
        let row = try #require(lines.first { $0.hasPrefix("复议诉讼合计") })
        #expect(header.contains("应为") && header.contains("实为") && header.contains("说明"))
        #expect(row.contains("表四"))
        // 应为 and 实为 are right-aligned under their headers.
        let expectedEnd = displayWidth(String(header[..<header.range(of: "应为")!.upperBound]))
        #expect(displayWidth(String(row[..<row.range(of: "22")!.upperBound])) == expectedEnd)

        let strict = try await cli.run("disclosure", "check", "--fail-on-findings")
        #expect(strict.status == 2)
    }

    @Test("last year's carried-forward differing from this year's carried-over is a cross-year finding per column")
    func crossYearCarryover() async throws {
        let cli = try await seeded()
        try await cli.run("disclosure", "import", CLI.fixture("disclosure-jingyue-2022-carried-over-5.txt"),
                          "--org", "净月高新区", "--year", "2022")
        let result = try await cli.run("disclosure", "check", "--year", "2022", "--json")
        let found = try findings(result)
        #expect(found.map { $0["check"] as? String } == ["cross_year_carryover", "cross_year_carryover"])
        #expect(found.map { $0["column_code"] as? String } == ["natural_person", "total"])
        #expect(found.allSatisfy { $0["expected"] as? Int == 6 && $0["actual"] as? Int == 5 })
        #expect(found.allSatisfy { $0["row_code"] as? String == "carried_over" })
        // Without last year's report there is nothing to compare, and the check says so.
        let alone = try await cli.run("disclosure", "check", "--year", "2021")
        #expect(alone.stdout.contains("未导入 净月高新区 2020 年报，未核对跨年结转"))
    }

    @Test("re-importing needs --replace; replacing keeps the earlier version")
    func replaceFlow() async throws {
        let cli = try await seeded()
        let broken = CLI.fixture("disclosure-jingyue-2021-appeal-total.txt")
        let refused = try await cli.run("disclosure", "import", broken, "--org", "净月高新区", "--year", "2021")
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("错误："))
        #expect(refused.stderr.contains("--replace"))
        #expect(refused.stderr.contains("未保存任何内容"))
        #expect(try findings(try await cli.run("disclosure", "check", "--json")).isEmpty, "the first version is still current")

        let replaced = try await cli.run("disclosure", "import", broken, "--org", "净月高新区", "--year", "2021", "--replace",
                                         "--reason", "发布版本更正")
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(replaced.stdout.contains("已替换版本 #1"))
        #expect(try findings(try await cli.run("disclosure", "check", "--json")).map { $0["check"] as? String } == ["appeal_total"])

        let versions = try #require(try await cli.run("disclosure", "show", "--org", "净月高新区", "--year", "2021", "--versions", "--json")
            .json as? [[String: Any]])
        #expect(versions.map { $0["id"] as? Int } == [1, 2])
        #expect(versions[0]["superseded_by"] as? Int == 2)
        #expect(versions[0]["current"] as? Bool == false)
        #expect(versions[1]["superseded_by"] is NSNull)
        #expect(versions[1]["reason"] as? String == "发布版本更正")
    }

    @Test("a word where a number belongs names the file and line, exits 1, and stores nothing")
    func badInputNamesTheLine() async throws {
        let cli = try CLI()
        let file = CLI.fixture("disclosure-jingyue-2021-not-a-number.txt")
        let result = try await cli.run("disclosure", "import", file, "--org", "净月高新区", "--year", "2021")
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("错误：\(file) 第 67 行：应为数字"))
        #expect(result.stderr.contains("实为“四”"))
        #expect(result.stderr.hasSuffix("；未保存任何内容\n"))
        #expect(result.stdout.isEmpty)
        // The file is refused before the database is even opened.
        #expect(!FileManager.default.fileExists(atPath: cli.database))
        // And with a database, a refused file leaves it without any report.
        #expect(try await cli.run("account", "import", registerFile).status == 0)
        #expect(try await cli.run("disclosure", "import", file, "--org", "净月高新区", "--year", "2021").status == 1)
        let check = try await cli.run("disclosure", "check")
        #expect(check.status == 1)
        #expect(check.stderr.contains("没有已导入的年报"))
    }

    @Test("a page that is not a report is refused from its first line")
    func notAReport() async throws {
        let cli = try CLI()
        let file = cli.directory.appendingPathComponent("page.txt")
        try Data("关于开展政务公开培训的通知\n各单位：请按时参加。\n".utf8).write(to: file)
        let result = try await cli.run("disclosure", "import", file.path, "--org", "净月高新区", "--year", "2021")
        #expect(result.status == 1)
        #expect(result.stderr.contains("第 1 行起：应有"))
        #expect(result.stderr.contains("不像是政府信息公开年报"))
    }

    @Test("a GBK (GB18030) text reads the same as its UTF-8 original")
    func gbkImport() async throws {
        let cli = try CLI()
        let result = try await cli.run("disclosure", "import", CLI.fixture("disclosure-jingyue-2021.gbk.txt"),
                                       "--org", "净月高新区", "--year", "2021")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("已按 GB18030 读取"))
        let gbk = try await cli.run("disclosure", "show", "--org", "净月高新区", "--year", "2021", "--json")
        let utf8 = try await (try await seeded()).run("disclosure", "show", "--org", "净月高新区", "--year", "2021", "--json")
        #expect(gbk.stdout == utf8.stdout)
    }
}

/// Terminal cells: CJK characters take two.
private func displayWidth(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { width, scalar in
        let v = scalar.value
        let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v)
        return width + (wide ? 2 : 1)
    }
}
