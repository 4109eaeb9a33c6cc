import Foundation
import GovMediaCore
import GovMediaSite
import Testing

@Suite("what a hostile page cannot do to an officer's terminal")
struct HostileOutputTests {
    let rules = CLI.repository.appendingPathComponent("rules").path
    /// 8-bit CSI, right-to-left override, ESC: each would make a terminal act or reorder.
    let hostile = "通知\u{9B}31m红字\u{202E}txt.exe\u{1B}[2J完"

    @Test("C1, bidirectional and escape controls from a post title are shown, never sent raw, in tables and in --json")
    func controlsNeutralised() async throws {
        let cli = try CLI()
        let site = try await LoopbackAccounts.start([("h", "/h.xml", LoopbackAccounts.feed([(hostile, 1)]), false)], in: cli.directory)
        defer { site.site.stop() }
        #expect(try await cli.run("account", "import", site.registerPath).status == 0)
        #expect(try await cli.run("scan", "--allow-private-addresses", "--rules", rules).status == 0)
        for args in [["posts", "--account", "h"], ["posts", "--account", "h", "--json"], ["explain", "h", "--rules", rules],
                     ["status", "--json"], ["findings", "--json"]] {
            let result = try await cli.run(args)
            for bad: UInt32 in [0x9B, 0x202E, 0x1B] {
                #expect(!result.stdout.unicodeScalars.contains { $0.value == bad }, "\(args) printed U+\(String(bad, radix: 16)) raw")
            }
        }
        let text = try await cli.run("posts", "--account", "h")
        #expect(text.stdout.contains("<U+009B>") && text.stdout.contains("<U+202E>"))
        // The JSON still carries the title exactly: escaped, not altered.
        let posts = try #require(try await cli.run("posts", "--account", "h", "--json").json as? [[String: Any]])
        let title = try #require(posts.first?["title"] as? String)
        #expect(title.unicodeScalars.contains { $0.value == 0x202E })
    }
}

@Suite("a title of megabytes")
struct LongTitleTests {
    let rules = CLI.repository.appendingPathComponent("rules").path

    @Test("a 2 MB title is stored and shown capped with a note; scan, evaluate and explain finish; the evidence keeps it whole")
    func longTitle() async throws {
        let cli = try CLI()
        let title = String(repeating: "长标题", count: 700_000)
        let page = LoopbackAccounts.feed([(title, 1), ("正常标题", 2)])
        let site = try await LoopbackAccounts.start([("long", "/long.xml", page, false)], in: cli.directory)
        defer { site.site.stop() }
        #expect(try await cli.run("account", "import", site.registerPath).status == 0)
        #expect(try await cli.run("scan", "--allow-private-addresses", "--rules", rules).status == 0)
        #expect(try await cli.run("evaluate", "--rules", rules).status == 0)
        let explain = try await cli.run("explain", "long", "--rules", rules)
        #expect(explain.status == 0)
        #expect(explain.stdout.utf8.count < 100_000)
        let posts = try #require(try await cli.run("posts", "--account", "long", "--json").json as? [[String: Any]])
        let stored = try #require(posts.compactMap { $0["title"] as? String }.first { $0.hasPrefix("长标题") })
        #expect(stored.count == PostText.titleCap + PostText.titleTruncationNote.count)
        #expect(stored.hasSuffix(PostText.titleTruncationNote))
        let evidence = try await cli.run("evidence", "show", AuditHash.sha256(page.body))
        #expect(evidence.stdout.contains(title))
    }
}

@Suite("stored values the code does not know")
struct UnknownStoredValueTests {
    @Test("a stored verdict edited to an unknown value makes status exit non-zero naming the table, row and column")
    func unknownVerdict() async throws {
        let cli = try CLI()
        let rules = CLI.repository.appendingPathComponent("rules").path
        let site = try await LoopbackAccounts.start([("v", "/v.xml", LoopbackAccounts.feed([("正常", 1)]), false)], in: cli.directory)
        defer { site.site.stop() }
        #expect(try await cli.run("account", "import", site.registerPath).status == 0)
        #expect(try await cli.run("scan", "--allow-private-addresses", "--rules", rules).status == 0)
        _ = sqlite(cli.database, "UPDATE evaluation SET verdict = 'excellent'")
        let status = try await cli.run("status")
        #expect(status.status != 0)
        #expect(status.stderr.contains("evaluation") && status.stderr.contains("账号 v") && status.stderr.contains("verdict")
                && status.stderr.contains("excellent"), "\(status.stderr)")
    }
}
