import ArgumentParser
import Foundation
import GovMediaCore
import GovMediaFetch
import GovMediaParse
import GovMediaScan
import Logging

/// `govmedia probe`: what a column page is and where its list is, so officers write no
/// XPath. Fetches the URL (same fetcher, same address policy) or reads a saved file, finds
/// the list by itself (or reads it with `--source`), and prints the posts it would read and
/// the `source` to paste into the register. Nothing is stored.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe", abstract: "识别栏目页面的类型并自动找到文章列表，打印将读取的帖子与可直接登记的 source（不保存任何内容）。")
    @Argument(help: "栏目网址（http/https），或已保存的页面文件") var target: String
    @Option(help: "按此 source（JSON，与台账中的 source 相同，可含 request）读取，而不是自动查找") var source: String?
    @Option(help: "文件的 Content-Type（读取文件时；默认按内容判断）") var contentType: String?
    @Option(help: "读取文件时相对链接的基准网址（http/https，通常是保存该页面时的网址）") var baseURL: String?
    @Flag(help: "允许访问内网、回环和链路本地地址（内网站点与测试用）") var allowPrivateAddresses = false
    @Flag(help: "以 JSON 输出 {kind, source, posts, problems}") var json = false
    @OptionGroup var config: ConfigOptions

    /// The target and `--base-url` checked as the register checks addresses; a refusal is an
    /// officer's error like any other (`错误：…`, exit 1), not a usage error.
    private func checkAddresses() throws {
        if isURL {
            do { _ = try WebAddress(target) } catch { throw CLIFailure("\(error)") }
        }
        guard let baseURL else { return }
        guard !isURL else { throw CLIFailure("--base-url 只用于读取已保存的文件；网址会按实际抓取到的地址解析相对链接") }
        do { _ = try WebAddress(baseURL) } catch { throw CLIFailure("--base-url 应为 http 或 https 网址：\(error)") }
    }

    /// An address (`scheme://…`) rather than a saved file.
    private var isURL: Bool { target.contains("://") }

    func run() async throws {
        try checkAddresses()
        let given = try source.map(Self.parseSource)
        let (body, type, base) = try await load(given)
        let fetchedAt = Date()
        // The code scripts read (`--json`) and the name officers read.
        var kind: (code: String, name: String)
        var sourceObject: [String: Any]?
        var document: ParsedDocument?
        var problems: [ReadingProblem] = []
        var paging: PageScript?
        if let given {
            do {
                let doc = try DocumentReader.read(body, contentType: type, baseURL: base, profile: Scanner.readingProfile(given.source), fetchedAt: fetchedAt)
                document = doc
                kind = (doc.kind.rawValue, doc.kind.chineseName)
                problems = doc.problems
            } catch {
                throw CLIFailure("按给定的 source 无法读取 \(target)：\(error.message)")
            }
            sourceObject = try JSONSerialization.jsonObject(with: Data(source!.utf8)) as? [String: Any]
        } else {
            let result = ListProbe.probe(body, contentType: type, baseURL: base, fetchedAt: fetchedAt)
            kind = result.format.map { ($0.rawValue, $0.chineseName) } ?? ("unknown", "无法识别")
            document = result.document
            // The probe lists its own read error among its problems: once is enough.
            problems = result.problems
            sourceObject = result.profile.map(Scanner.sourceObject)
            paging = result.paging
        }
        let posts = document?.items ?? []
        if !isURL, baseURL == nil, posts.contains(where: { $0.link?.hasPrefix("file:") == true }) {
            problems.append(.relativeLinksAsFiles)
        }
        let unreadable = posts.isEmpty && problems.contains { if case .unreadable = $0 { true } else { false } }
        if json {
            var out: [String: Any] = [
                "kind": kind.code, "source": sourceObject ?? NSNull(), "problems": problems.map(\.description),
                "posts": posts.map { p -> [String: Any] in
                    ["title": p.cappedTitle, "link": p.link ?? NSNull(), "published_at": p.publishedAt.map(ChinaTime.iso8601) ?? NSNull(),
                     "date_text": p.dateText ?? NSNull()]
                },
            ]
            // The TRS paging to add by hand: `source` stays what reads this one page.
            if let paging {
                out["paging"] = ["pages": paging.pages, "url": paging.pagedURL ?? NSNull(), "request": ["pages": paging.suggestedPages]] as [String: Any]
            }
            let data = try JSONSerialization.data(withJSONObject: out, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            FileHandle.standardOutput.write(TerminalSafety.json(data + Data("\n".utf8)))
            if unreadable { throw ExitCode(1) }
            return
        }
        var text = "类型：\(kind.code == "unknown" ? kind.name : "\(kind.name)（\(kind.code)）")\n"
        if posts.isEmpty {
            text += "没有找到文章列表。\n"
        } else {
            var table = TextTable(headers: ["日期", "标题", "链接"], maxCellWidth: 60)
            for p in posts { table.append([p.publishedAt.map(ChinaTime.short) ?? (p.dateText.map { "（无法识别：\($0)）" } ?? "（无日期）"), p.cappedTitle, p.link ?? "（无链接）"]) }
            text += "将读取 \(posts.count) 条（有日期 \(posts.filter { $0.publishedAt != nil }.count) 条）：\n" + table.render()
        }
        // The TRS paging note is said below, with the source to register, when there is one.
        let pagingBelow = sourceObject != nil && given == nil && paging != nil
        let listed = problems.filter { if case .trsPages = $0 { !pagingBelow } else { true } }
        if !listed.isEmpty { text += "\n问题：\n" + listed.map { "  - \($0)\n" }.joined() }
        if let sourceObject, given == nil {
            let data = try JSONSerialization.data(withJSONObject: sourceObject, options: [.sortedKeys, .withoutEscapingSlashes])
            text += "\n登记时使用的 source（可直接粘贴进台账，或 govmedia account add --source '…'）：\n  \(String(decoding: data, as: UTF8.self))\n"
            if let paging {
                var paged = sourceObject
                paged["request"] = ["method": "GET", "pages": paging.suggestedPages]
                let pagedData = try JSONSerialization.data(withJSONObject: paged, options: [.sortedKeys, .withoutEscapingSlashes])
                text += "\n栏目共 \(paging.pages) 页（TRS 静态分页）。要每次读取前 \(paging.suggestedPages) 页，登记网址写成\n  \(paging.pagedURL ?? "…/\(paging.name){page_suffix}.\(paging.ext)")\n"
                    + "并使用\n  \(String(decoding: pagedData, as: UTF8.self))\n"
            }
        }
        output(text)
        // Nothing readable at all (empty, truncated, not a list format): said above, and the
        // exit status tells a script, as `probe --source` does.
        if unreadable { throw ExitCode(1) }
    }

    /// A `source` object, validated as the register would (with its `request`, if any).
    static func parseSource(_ text: String) throws -> Account {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw CLIFailure("--source 不是 JSON 对象：\(text.prefix(80))")
        }
        let entry: [String: Any] = ["id": "probe", "name": "probe", "platform": "website", "owner": "probe", "owner_kind": "department",
                                    "url": "https://probe.invalid/", "registered_on": "2024-01-01", "status": "active", "source": object]
        let data = try JSONSerialization.data(withJSONObject: ["accounts": [entry]])
        do { return try RegisterFile.decode(data, xpathProblem: XPathCheck.problem)[0] } catch {
            throw CLIFailure("--source 无效：\(error.problem)" + (error.field.map { "（字段 \($0)）" } ?? ""))
        }
    }

    /// The body, its Content-Type and the base URL, from the network or a file.
    private func load(_ given: Account?) async throws -> ([UInt8], String?, String) {
        guard isURL else {
            guard let data = FileManager.default.contents(atPath: target) else {
                // `www.x.gov.cn/…` is an address without its scheme more often than a file name.
                let hint = target.contains(".") && !target.hasPrefix("/") && !target.hasPrefix(".") && target.contains("/")
                    ? "；如果是网址，请以 https:// 或 http:// 开头" : ""
                throw CLIFailure("无法读取文件“\(target)”（不存在、是目录或无权限）\(hint)")
            }
            return ([UInt8](data), contentType, baseURL ?? URL(fileURLWithPath: target).absoluteString)
        }
        // The config's fetch settings (user agent, timeouts, address policy), as a scan uses them.
        let fetch = self.config.fetchConfiguration(try self.config.load(), allowPrivateAddresses: allowPrivateAddresses)
        var logger = Logger(label: "govmedia-probe")
        logger.logLevel = .critical
        let address = try WebAddress(target)
        var account = given ?? Account(id: "probe", name: "probe", platform: .website, owner: "probe", ownerKind: .department,
                                       url: address, registeredOn: "2024-01-01")
        account.url = address
        let request = Scanner.requests(for: account, etag: nil, lastModified: nil)[0]
        let result = await Fetcher(configuration: fetch, logger: logger).fetch(request)
        // The message opens with 抓取 … 失败; the class follows as the code the README lists.
        if let failure = result.failure { throw CLIFailure("\(failure.message)［\(failure.kind.label)］") }
        return ([UInt8](result.body), result.contentType, result.finalURL)
    }

}
