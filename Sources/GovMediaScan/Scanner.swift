import Foundation
import GovMediaCore
import GovMediaFetch
import GovMediaParse
import GovMediaStore
import Logging

/// What a scan should read and how.
public struct ScanOptions: Sendable {
    /// Only these accounts (all registered accounts when nil).
    public var accountIDs: [String]?
    public var fetch: FetchConfiguration
    /// Who started it: `manual`, `daemon`, `demo`, `benchmark`.
    public var trigger: String
    /// The feed bridges that read accounts whose source is `bridge`.
    public var bridges = FeedBridges()
    /// Outcomes stored per transaction: larger batches mean fewer commits.
    public var batchSize = 64
    /// Bytes of fetched bodies allowed to wait for parsing and storing before fetching
    /// pauses: the bound on a scan's memory whatever the sites send.
    public var maxWaitingBytes = 24 * 1024 * 1024

    public init(accountIDs: [String]? = nil, fetch: FetchConfiguration = FetchConfiguration(), trigger: String = "manual") {
        self.accountIDs = accountIDs
        self.fetch = fetch
        self.trigger = trigger
    }
}

/// What a scan did, for the summary an officer reads.
public struct ScanSummary: Sendable {
    /// One account that could not be read, and why.
    public struct Failure: Sendable {
        public var accountID: String
        public var kind: FetchFailureKind
        public var message: String
    }

    public var scanID: Int64
    public var accounts = 0
    public var read = 0
    public var notModified = 0
    public var newPosts = 0
    public var failures: [Failure] = []
    /// Earlier scans found unfinished (their process died) and marked interrupted.
    public var interrupted: [Int64] = []
    /// The most body bytes the transfers in flight held at once (results waiting to be
    /// stored are bounded apart, by ``ScanOptions/maxWaitingBytes``).
    public var peakBodyBytesInFlight = 0
}

/// Fetches, parses and stores every account: the scan pipeline shared by `govmedia scan`,
/// the daemon and the demo.
public struct Scanner: Sendable {
    let store: Store
    let logger: Logger

    public init(store: Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Runs one scan. The caller holds the scan lock.
    public func run(_ options: ScanOptions) async throws -> ScanSummary {
        let accounts = try selectedAccounts(options.accountIDs)
        let states = try store.fetchStates()
        let begun = try store.beginScan(trigger: options.trigger)
        var summary = ScanSummary(scanID: begun.id, accounts: accounts.count, interrupted: begun.interrupted)
        var log = logger
        log[metadataKey: "scan"] = "\(begun.id)"
        log.info("scan started", metadata: ["accounts": "\(accounts.count)", "trigger": "\(options.trigger)"])

        let byID = Dictionary(uniqueKeysWithValues: accounts.map { ($0.id, $0) })
        let previousItems = try store.lastReadItemCounts()
        // Bridge accounts are read through the bridge the config gives them; one the config
        // cannot place is recorded as a source failure without a request.
        var requests: [FetchRequest] = []
        var bridgeOf: [String: String] = [:]
        var secretsOf: [String: [String]] = [:]
        var unplaced: [FetchEvidence] = []
        for a in accounts {
            let validators = (etag: states[a.id]?.etag, lastModified: states[a.id]?.lastModified)
            guard case .bridge = a.source else {
                requests += Self.requests(for: a, etag: validators.etag, lastModified: validators.lastModified)
                continue
            }
            switch options.bridges.resolve(a) {
            case let .request(bridge, url, headers):
                bridgeOf[a.id] = bridge
                // The bridge's headers are its secret: kept to be cut out of whatever it answers.
                secretsOf[a.id] = headers.map(\.value)
                var request = FetchRequest(id: a.id, url: url, etag: validators.etag, lastModified: validators.lastModified, headers: headers)
                // The bridge's host is the operator's (from the config), typically on the intranet.
                request.allowsInternalAddress = true
                requests.append(request)
            case let .unavailable(bridge, problem):
                var e = FetchEvidence(accountID: a.id, fetchedAt: Date(), url: a.url.text)
                e.bridge = bridge
                e.failure = .sourceMissing
                e.failureMessage = problem
                unplaced.append(e)
            }
        }
        let (stream, continuation) = AsyncStream.makeStream(of: FetchResult.self)
        let fetcher = Fetcher(configuration: options.fetch, logger: log)
        // Backpressure in bytes and in count: while the results not yet stored hold too much,
        // no new transfer starts; those in flight finish, so storing never stalls them.
        let waiting = WaitingResults(maxBytes: options.maxWaitingBytes, maxCount: options.batchSize * 2)
        let fetching = Task {
            let statistics = await fetcher.fetch(requests, mayStart: { waiting.hasRoom }) { result in
                waiting.add(result.body.count)
                continuation.yield(result)
            }
            continuation.finish()
            return statistics
        }
        // Three stages on their own threads: the fetch thread (libcurl), parsing (as many
        // at once as there are cores) and storing (batched transactions), so a scan uses
        // every core and a slow write holds back only the next transfers.
        let (parsed, parsedContinuation) = AsyncStream.makeStream(of: Parsed.self)
        let storing = Task { [summary, unplaced] () -> (ScanSummary, (any Error)?) in
            var summary = summary
            var batch: [Parsed] = unplaced.map { Parsed(evidence: PreparedEvidence($0), bodyBytes: 0, results: 0) }
            // Bodies held in the batch: stored as soon as they pass the byte bound.
            var batchBytes = 0
            for await item in parsed {
                batch.append(item)
                batchBytes += item.bodyBytes
                guard batch.count >= options.batchSize || batchBytes >= options.maxWaitingBytes else { continue }
                do { try await flush(&batch, into: &summary, waiting: waiting) } catch {
                    // The database refused (full disk, read-only): stop fetching, keep what is stored.
                    fetching.cancel()
                    return (summary, error)
                }
                batchBytes = 0
            }
            do { try await flush(&batch, into: &summary, waiting: waiting) } catch { return (summary, error) }
            return (summary, nil)
        }
        let parallelism = max(1, ProcessInfo.processInfo.activeProcessorCount)
        await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self) { group in
                var parsing = 0
                // A paged list's pages wait here until all have arrived, then are read in order.
                var pagesWaiting: [String: [Int: FetchResult]] = [:]
                for await result in stream {
                    // A stop request is not a failure of the site: cancelled transfers are not recorded.
                    if result.failure?.kind == .cancelled {
                        waiting.release(result.body.count)
                        continue
                    }
                    let (id, page) = Self.pageKey(result.request.id)
                    guard let account = byID[id] else {
                        waiting.release(result.body.count)
                        continue
                    }
                    let pages = account.request?.pages ?? 1
                    var ready = [result]
                    if pages > 1 {
                        pagesWaiting[id, default: [:]][page] = result
                        guard let all = pagesWaiting[id], all.count == pages else { continue }
                        pagesWaiting[id] = nil
                        ready = (1...pages).compactMap { all[$0] }
                    }
                    if parsing >= parallelism {
                        await group.next()
                        parsing -= 1
                    }
                    parsing += 1
                    let bridge = bridgeOf[account.id], secrets = secretsOf[account.id] ?? [], previous = previousItems[account.id] ?? 0
                    let results = ready
                    group.addTask {
                        let evidence = pages > 1 ? Self.pagedEvidence(results, account: account)
                            : [Self.evidence(results[0], account: account, bridge: bridge, secrets: secrets, previousItems: previous)]
                        // The paged evidence carries all its pages' results; release them with the first.
                        for (i, e) in evidence.enumerated() {
                            parsedContinuation.yield(Parsed(evidence: PreparedEvidence(e), bodyBytes: i == 0 ? results.reduce(0) { $0 + $1.body.count } : 0,
                                                            results: i == 0 ? results.count : 0, countsAccount: i == 0))
                        }
                    }
                }
                // Pages of an account whose other pages never came (cancelled): free their room.
                for pages in pagesWaiting.values { for r in pages.values { waiting.release(r.body.count) } }
            }
            parsedContinuation.finish()
        } onCancel: {
            fetching.cancel()
        }
        let statistics = await fetching.value
        let (stored, failure) = await storing.value
        summary = stored
        summary.peakBodyBytesInFlight = statistics.peakBodyBytesInFlight
        if let failure {
            try? store.interruptScan(begun.id)
            log.error("scan stopped: storing failed", metadata: ["error": "\(failure)"])
            throw failure
        }
        if Task.isCancelled {
            try store.interruptScan(begun.id)
            log.notice("scan interrupted", metadata: ["stored": "\(summary.read + summary.failures.count)"])
            throw CancellationError()
        }
        try store.finishScan(begun.id, accounts: summary.accounts, newPosts: summary.newPosts, failures: summary.failures.count)
        log.info("scan finished", metadata: ["read": "\(summary.read)", "new_posts": "\(summary.newPosts)",
                                             "failures": "\(summary.failures.count)",
                                             "peak_in_flight_mb": "\(summary.peakBodyBytesInFlight / 1_048_576)"])
        return summary
    }

    private func selectedAccounts(_ ids: [String]?) throws -> [Account] {
        let all = try store.accounts()
        guard let ids, !ids.isEmpty else { return all }
        let known = Set(all.map(\.id))
        if let unknown = ids.first(where: { !known.contains($0) }) {
            throw StoreError(path: store.path, problem: "台账中没有账号 \(unknown)")
        }
        let wanted = Set(ids)
        return all.filter { wanted.contains($0.id) }
    }

    /// One account's parsed outcome on its way to the store, with the fetched bytes and
    /// results it holds room for until stored.
    struct Parsed: Sendable {
        /// Hashed, compressed and encoded here, on the parsing task, not by the writer.
        var evidence: PreparedEvidence
        var bodyBytes: Int
        var results: Int
        /// False for the later pages of a paged list: the account is counted (read, not
        /// modified, failed) once, by its first page.
        var countsAccount = true
    }

    /// The writer's own thread. A store another process holds makes a write wait up to the
    /// store's busy timeout (60 s); that wait must not occupy a thread of Swift's shared pool,
    /// which has one per core and also runs parsing, the daemon's timers and signal handling.
    private static let writer = DispatchQueue(label: "govmedia.scan.writer", qos: .userInitiated)

    private func flush(_ batch: inout [Parsed], into summary: inout ScanSummary, waiting: WaitingResults) async throws {
        guard !batch.isEmpty else { return }
        let evidence = batch.map(\.evidence), scanID = summary.scanID, store = self.store
        let stored = try await withCheckedThrowingContinuation { (done: CheckedContinuation<[StoredFetch], any Error>) in
            Self.writer.async { done.resume(with: Result { try store.record(evidence, scanID: scanID) }) }
        }
        for item in batch where item.results > 0 {
            waiting.release(item.bodyBytes)
            for _ in 1..<item.results { waiting.release(0) }
        }
        for (item, result) in zip(batch, stored) {
            summary.newPosts += result.newPosts
            guard item.countsAccount else { continue }
            let outcome = item.evidence.evidence
            if let failure = outcome.failure {
                summary.failures.append(.init(accountID: outcome.accountID, kind: failure, message: outcome.failureMessage ?? failure.chineseName))
            } else if outcome.notModified {
                summary.notModified += 1
            } else {
                summary.read += 1
            }
        }
        batch.removeAll(keepingCapacity: true)
    }

    /// Turns a fetch result into what the store keeps, parsing the body when there is one.
    static func evidence(_ r: FetchResult, account: Account, bridge: String? = nil, secrets: [String] = [],
                         previousItems: Int = 0) -> FetchEvidence {
        var e = read(Self.withoutSecrets(secrets, in: r), account: account)
        guard let bridge else { return e }
        e.bridge = bridge
        // A bridge's failure is told apart from the account's: its error page or JSON says
        // why (login expired, blocked), and an empty read after good ones is the bridge's.
        let page = String(decoding: (e.body ?? []).prefix(16_384), as: UTF8.self)
        if let failure = e.failure, failure != .cancelled {
            // Only an answer says why the bridge failed: a TLS error's "certificate has expired"
            // is not an expired login.
            if e.httpStatus != nil || !page.isEmpty,
               let kind = FetchFailureKind.classifySource(status: e.httpStatus, text: page + " " + (e.failureMessage ?? "")) {
                e.failure = kind
                let said = page.isEmpty ? (e.failureMessage ?? "") : Self.gist(page)
                // The class is named wherever the message is shown; the message says what the bridge answered.
                e.failureMessage = "数据源答复\(e.httpStatus.map { " HTTP \($0)" } ?? "")：\(said)（\(e.url)）"
            }
        } else if !e.notModified, (e.posts?.isEmpty ?? true), previousItems > 0 {
            e.failure = .sourceEmpty
            e.failureMessage = "数据源 \(bridge) 本次读取为空（上次成功读取到 \(previousItems) 条）"
        }
        return e
    }

    /// What a bridge answered, with the secret it was sent cut out. Some bridges repeat the
    /// request's headers in their error pages; the token must reach neither the evidence nor
    /// the posts nor a failure message. Each word of the secret is cut too, since a value
    /// like `Bearer …` may be echoed without its scheme.
    static func withoutSecrets(_ secrets: [String], in r: FetchResult) -> FetchResult {
        let words = Set(secrets + secrets.flatMap { $0.split(separator: " ").map(String.init) })
            .filter { $0.utf8.count >= 6 }
            .sorted { $0.utf8.count > $1.utf8.count }
        guard !words.isEmpty else { return r }
        var clean = r
        let hidden = Data("（已隐藏）".utf8)
        for word in words {
            let bytes = Data(word.utf8)
            var from = clean.body.startIndex
            while let found = clean.body.range(of: bytes, in: from..<clean.body.endIndex) {
                clean.body.replaceSubrange(found, with: hidden)
                from = found.lowerBound + hidden.count
            }
            clean.headers = clean.headers.map { FetchHeader(name: $0.name, value: $0.value.replacingOccurrences(of: word, with: "（已隐藏）")) }
            if var failure = clean.failure {
                failure.message = failure.message.replacingOccurrences(of: word, with: "（已隐藏）")
                clean.failure = failure
            }
        }
        return clean
    }

    /// How the readers read a source kind.
    public static func readingProfile(_ source: AccountSource) -> ReadingProfile {
        switch source {
        case .feed, .bridge: .feed
        case .json(let p): .jsonList(p)
        case .xml(let p): .xmlRecords(p)
        case .html(let p): .htmlList(item: p.item, title: p.title, link: p.link, date: p.date)
        }
    }

    /// The register's `source` object for a profile the probe found: what an officer pastes.
    public static func sourceObject(_ profile: ReadingProfile) -> [String: Any] {
        let source: AccountSource = switch profile {
        case .feed: .feed
        case let .htmlList(item, title, link, date): .html(ListProfile(item: item, title: title, link: link, date: date))
        case .jsonList(let p): .json(p)
        case .xmlRecords(let p): .xml(p)
        }
        return Account.sourceObject(source)
    }

    /// The requests that read an account: one GET of its URL, or its `request` (method,
    /// body, headers) for each page, placeholders filled. Paged and POSTed lists are read
    /// unconditionally: validators of one page would not fit the others.
    public static func requests(for a: Account, etag: String?, lastModified: String?) -> [FetchRequest] {
        guard let r = a.request else {
            return [FetchRequest(id: a.id, url: SourceRequest().fill(a.url.text, page: 1), etag: etag, lastModified: lastModified)]
        }
        return (1...r.pages).map { page in
            let body = r.method == .post ? r.body(page: page) : nil
            var headers = r.headers.keys.sorted().map { FetchHeader(name: $0, value: r.fill(r.headers[$0]!, page: page)) }
            if let body, !r.headers.keys.contains(where: { $0.lowercased() == "content-type" }) {
                headers.append(FetchHeader(name: "Content-Type", value: body.contentType))
            }
            let plain = r.pages == 1 && r.method == .get
            return FetchRequest(id: page == 1 ? a.id : "\(a.id)#page\(page)", url: r.fill(a.url.text, page: page),
                                etag: plain ? etag : nil, lastModified: plain ? lastModified : nil, headers: headers,
                                postBody: r.method == .post ? (body?.bytes ?? []) : nil)
        }
    }

    /// The account id and page number of a request id (`ID` is page 1, `ID#pageN` page N).
    static func pageKey(_ requestID: String) -> (String, Int) {
        guard let mark = requestID.range(of: "#page", options: .backwards), let n = Int(requestID[mark.upperBound...]) else { return (requestID, 1) }
        return (String(requestID[..<mark.lowerBound]), n)
    }

    /// A paged list's pages, in order: page 1 as any fetch; each later page stored as a
    /// fetch of its own (its posts keep their own evidence) until the first page that
    /// fails or adds no item not seen on an earlier page.
    static func pagedEvidence(_ results: [FetchResult], account: Account) -> [FetchEvidence] {
        var out: [FetchEvidence] = []
        var seen: Set<String> = []
        for (index, result) in results.enumerated() {
            var e = read(result, account: account)
            let fresh = (e.posts ?? []).filter { !seen.contains($0.key) }
            if index > 0 {
                // Nothing after a page that failed or added nothing is stored.
                guard out.last?.failure == nil, e.failure == nil, !fresh.isEmpty else { break }
                e.etag = nil
                e.lastModified = nil
            }
            seen.formUnion(fresh.map(\.key))
            e.posts = e.posts.map { _ in fresh }
            out.append(e)
        }
        if out.count < results.count, var first = out.first {
            first.problems.append(ReadingProblem.pagingStopped(requested: results.count, read: out.count).description)
            out[0] = first
        }
        return out
    }

    /// The first words of a bridge's error text, without markup, for a message.
    static func gist(_ text: String) -> String {
        // RSSHub's error page puts the reason after "Error Message:", its JSON in "message".
        let start = text.range(of: "Error Message:")?.upperBound ?? text.range(of: "\"message\"")?.lowerBound ?? text.startIndex
        var plain = String(text[start...]).replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
        plain = plain.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return plain.count > 160 ? String(plain.prefix(160)) + "…" : plain
    }

    /// Turns a fetch result into what the store keeps, parsing the body when there is one.
    static func read(_ r: FetchResult, account: Account) -> FetchEvidence {
        var e = FetchEvidence(accountID: account.id, fetchedAt: r.startedAt, url: r.request.url)
        e.finalURL = r.finalURL
        e.httpStatus = r.status == 0 ? nil : r.status
        e.headers = r.headers.map { ($0.name, $0.value) }
        e.attempts = r.attempts
        e.durationMS = Int(r.duration * 1000)
        e.etag = r.etag
        e.lastModified = r.lastModified
        if !r.body.isEmpty { e.body = [UInt8](r.body) }
        if let failure = r.failure {
            e.failure = failure.kind
            e.failureMessage = failure.message
            return e
        }
        if r.outcome == .notModified {
            e.notModified = true
            return e
        }
        let profile = readingProfile(account.source)
        do {
            let doc = try DocumentReader.read(e.body ?? [], contentType: r.contentType, baseURL: r.finalURL,
                                              profile: profile, fetchedAt: r.startedAt)
            e.documentKind = doc.kind.rawValue
            e.charset = doc.charset
            e.problems = doc.problems.map(\.description)
            e.posts = doc.items
        } catch {
            e.failure = .parse
            e.failureMessage = "账号 \(account.id) 的页面 \(r.finalURL) 无法读取：\(error.message)"
        }
        return e
    }
}
