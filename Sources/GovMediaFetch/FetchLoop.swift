import CCurl
import DequeModule
import Foundation
import GovMediaCore
import HeapModule
import Logging

/// A request on its way through the loop: queued, in flight, or waiting to retry.
struct Job {
    let index: Int
    let request: FetchRequest
    /// The request's URL read once: its authority keys the per-host queue, and a URL that
    /// is not an http(s) address fails before curl sees it.
    let address: Result<WebAddress, WebAddressError>
    var authority: String { (try? address.get())?.authority ?? "" }
    var attempts = 0
    var startedAt: Date?
    var startedInstant: ContinuousClock.Instant?
}

/// A job waiting to retry, ordered by when it may start: the heap's minimum is the next due.
struct DelayedJob: Comparable {
    let job: Job
    let due: ContinuousClock.Instant

    static func < (a: DelayedJob, b: DelayedJob) -> Bool { (a.due, a.job.index) < (b.due, b.job.index) }
    static func == (a: DelayedJob, b: DelayedJob) -> Bool { a.due == b.due && a.job.index == b.job.index }
}

/// One `fetch` call's worth of work: owns the curl multi handle and drives every transfer
/// on one dedicated thread.
///
/// Thread rules: everything here belongs to the loop thread, except `cancel()`, which any
/// thread may call — it sets a flag under a lock and calls `curl_multi_wakeup`, the one multi
/// function libcurl allows from another thread. The multi handle is freed in `deinit`, so it
/// outlives every `cancel()` caller holding a reference. Hence `@unchecked Sendable`.
final class FetchLoop: @unchecked Sendable {
    private let configuration: FetchConfiguration
    private let logger: Logger
    private let deliver: @Sendable (Int, FetchResult) -> Void
    /// Asked before each new transfer starts: false holds new transfers back (the consumer
    /// has too much waiting) while those in flight go on, so none of them stalls.
    private let mayStart: @Sendable () -> Bool
    /// New transfers were held back on the last pass: poll briefly to look again.
    private var heldBack = false
    /// The `CURLM *` this loop owns.
    private let multi: UnsafeMutableRawPointer

    private let cancelLock = NSLock()
    private var cancelRequested = false

    // Loop-thread state.
    private var queues: [String: Deque<Job>] = [:]
    /// Authorities with queued jobs and a free per-host slot, served round-robin.
    private var readyHosts = Deque<String>()
    private var readySet: Set<String> = []
    private var inFlight: [String: Int] = [:]
    private var delayed = Heap<DelayedJob>()
    private var active: [UnsafeMutableRawPointer: (job: Job, transfer: Transfer)] = [:]
    private let largeBodies: LargeBodySlots

    /// Makes the multi handle; `deliver` receives each request's single result with its index.
    init(
        requests: [FetchRequest], configuration: FetchConfiguration, logger: Logger,
        mayStart: @escaping @Sendable () -> Bool = { true },
        deliver: @escaping @Sendable (Int, FetchResult) -> Void
    ) throws(CurlCallError) {
        try Curl.ensureInitialized()
        guard let multi = curl_multi_init() else {
            throw CurlCallError(easyCode: nil, operation: "curl_multi_init", curlMessage: "out of memory")
        }
        self.multi = multi
        self.configuration = configuration
        self.logger = logger
        self.deliver = deliver
        self.mayStart = mayStart
        self.largeBodies = LargeBodySlots(configuration.maxLargeBodies)
        // A connection ceiling matching the transfer ceiling; the per-host limit on transfers
        // is enforced by the queues below, which CURLMOPT_MAX_HOST_CONNECTIONS cannot do.
        try Curl.check(
            ccurl_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, max(1, configuration.maxConcurrentTransfers)),
            "CURLMOPT_MAX_TOTAL_CONNECTIONS"
        )
        for (index, request) in requests.enumerated() {
            enqueue(Job(index: index, request: request, address: Result { () throws(WebAddressError) in try WebAddress(request.url) }))
        }
    }

    deinit {
        // Transfers are removed and freed before the loop returns; this frees the multi handle.
        curl_multi_cleanup(multi)
    }

    /// Asks the loop to abort every transfer and report the rest as cancelled. Any thread.
    func cancel() {
        cancelLock.withLock { cancelRequested = true }
        do {
            try Curl.check(curl_multi_wakeup(multi), "curl_multi_wakeup")
        } catch {
            // The loop still sees the flag within its one-second poll timeout.
            logger.warning("could not wake the fetch loop", metadata: ["error": "\(error)"])
        }
    }

    /// The most body bytes the transfers in flight held at once; read after `run` returned.
    var peakBodyBytes: Int { largeBodies.peakHeld }

    private var isCancelled: Bool { cancelLock.withLock { cancelRequested } }

    /// Runs until every request has had its result delivered. Blocks; loop thread only.
    func run() {
        do {
            try loop()
        } catch {
            finishEverything(kind: .protocol, reason: "抓取循环出错：\(error)")
        }
    }

    private func loop() throws(CurlCallError) {
        while true {
            if isCancelled {
                finishEverything(kind: .cancelled, reason: "抓取已取消")
                return
            }
            startReadyTransfers()
            resumePausedTransfers()
            if active.isEmpty && delayed.isEmpty && queues.isEmpty { return }

            var running: Int32 = 0
            try Curl.check(curl_multi_perform(multi, &running), "curl_multi_perform")
            // A completion frees a slot or schedules a retry: go round again before waiting.
            if try collectCompleted() > 0 { continue }
            try Curl.check(curl_multi_poll(multi, nil, 0, pollTimeoutMilliseconds(), nil), "curl_multi_poll")
        }
    }

    /// At most a second, so the loop notices due retries; curl shortens it for its own timers.
    private func pollTimeoutMilliseconds() -> Int32 {
        let now = ContinuousClock.now
        // Held back: look again soon, since room frees without any socket activity here.
        var timeout = heldBack ? Duration.milliseconds(5) : Duration.seconds(1)
        if let next = delayed.min { timeout = min(timeout, max(.zero, next.due - now)) }
        let (seconds, attoseconds) = timeout.components
        return Int32(seconds * 1000 + attoseconds / 1_000_000_000_000_000) + 1
    }

    /// Resumes transfers paused for a large-body slot while slots are free, oldest first.
    /// A resumed transfer takes its slot when curl next offers it bytes; one that finds the
    /// slots taken again pauses again at the back of the line.
    private func resumePausedTransfers() {
        while largeBodies.free > 0, let handle = largeBodies.waiting.popFirst() {
            guard let transfer = active[handle]?.transfer, transfer.pausedForSlot else { continue }
            transfer.pausedForSlot = false
            // CURLPAUSE_CONT is 0: receiving and sending both resume.
            _ = curl_easy_pause(handle, 0)
        }
    }

    // MARK: Scheduling

    private func enqueue(_ job: Job) {
        queues[job.authority, default: Deque()].append(job)
        markReadyIfPossible(job.authority)
    }

    private func markReadyIfPossible(_ authority: String) {
        guard !readySet.contains(authority),
              inFlight[authority, default: 0] < max(1, configuration.maxConcurrentPerHost),
              let queue = queues[authority], !queue.isEmpty else { return }
        readySet.insert(authority)
        readyHosts.append(authority)
    }

    private func startReadyTransfers() {
        let now = ContinuousClock.now
        while let next = delayed.min, next.due <= now { enqueue(delayed.removeMin().job) }
        heldBack = false
        while active.count < max(1, configuration.maxConcurrentTransfers), !readyHosts.isEmpty {
            guard mayStart() else {
                heldBack = true
                return
            }
            let authority = readyHosts.removeFirst()
            readySet.remove(authority)
            guard inFlight[authority, default: 0] < max(1, configuration.maxConcurrentPerHost),
                  let job = queues[authority]?.popFirst() else { continue }
            if queues[authority]?.isEmpty == true { queues[authority] = nil }
            start(job)
            markReadyIfPossible(authority)
        }
    }

    private func start(_ queued: Job) {
        var job = queued
        job.attempts += 1
        if job.startedAt == nil {
            job.startedAt = Date()
            job.startedInstant = .now
        }
        if case .failure(let problem) = job.address {
            let failure = FetchFailure(
                kind: .badScheme,
                message: "抓取 \(WebAddress.withoutUserInfo(job.request.url)) 失败：\(problem)"
            )
            finish(job, outcome: nil, failure: failure)
            return
        }
        do {
            let transfer = try Transfer(request: job.request, configuration: configuration, largeBodies: largeBodies)
            try Curl.check(curl_multi_add_handle(multi, transfer.handle), "curl_multi_add_handle")
            active[transfer.handle] = (job, transfer)
            inFlight[job.authority, default: 0] += 1
        } catch {
            let failure = FetchFailure(
                kind: .protocol,
                message: "抓取 \(WebAddress.withoutUserInfo(job.request.url)) 失败：无法开始传输（curl：\(error.description)）",
                curlMessage: error.curlMessage
            )
            finish(job, outcome: nil, failure: failure)
        }
    }

    /// Detaches a transfer from the multi handle and gives back its host slot.
    private func detach(_ handle: UnsafeMutableRawPointer) -> (job: Job, transfer: Transfer)? {
        guard let entry = active.removeValue(forKey: handle) else { return nil }
        do {
            try Curl.check(curl_multi_remove_handle(multi, handle), "curl_multi_remove_handle")
        } catch {
            // curl_easy_cleanup (in Transfer.deinit) detaches the handle itself, so go on.
            logger.error("could not detach transfer", metadata: ["error": "\(error)"])
        }
        largeBodies.drop(entry.transfer.body.count)
        if entry.transfer.holdsLargeSlot { largeBodies.release() }
        if entry.transfer.pausedForSlot { largeBodies.waiting.removeAll { $0 == handle } }
        inFlight[entry.job.authority, default: 1] -= 1
        if inFlight[entry.job.authority] == 0 { inFlight[entry.job.authority] = nil }
        markReadyIfPossible(entry.job.authority)
        return entry
    }

    /// Handles every finished transfer curl reports; returns how many.
    private func collectCompleted() throws(CurlCallError) -> Int {
        var completed = 0
        var pending: Int32 = 0
        while let message = curl_multi_info_read(multi, &pending) {
            guard ccurl_msg_is_done(message) != 0, let handle = message.pointee.easy_handle else { continue }
            // Read the message before detaching: detaching invalidates it.
            let code = ccurl_msg_result(message)
            guard let (job, transfer) = detach(handle) else { continue }
            completed += 1
            settle(job, outcome: transfer.outcome(code: code))
        }
        return completed
    }

    /// Decides between retrying and reporting.
    private func settle(_ job: Job, outcome: AttemptOutcome) {
        let policy = configuration.retry
        guard var failure = outcome.failure, RetryPolicy.isTransient(failure.kind, status: outcome.status) else {
            finish(job, outcome: outcome, failure: outcome.failure)
            return
        }
        let retryAfter = outcome.status == 429 || outcome.status == 503
            ? RetryPolicy.parseRetryAfter(outcome.header("Retry-After")) : nil
        if let retryAfter, retryAfter > policy.maxRetryAfter {
            failure.retryAfter = retryAfter
            failure.message += "；服务器要求 \(Int(retryAfter.rounded(.up))) 秒后重试，超过上限 \(Int(policy.maxRetryAfter)) 秒，放弃"
            finish(job, outcome: outcome, failure: failure)
            return
        }
        guard job.attempts < policy.maxAttempts else {
            if job.attempts > 1 { failure.message += "（已尝试 \(job.attempts) 次）" }
            finish(job, outcome: outcome, failure: failure)
            return
        }
        let wait = retryAfter ?? policy.backoff(afterAttempt: job.attempts)
        let due = ContinuousClock.now + .milliseconds(Int((wait * 1000).rounded(.up)))
        delayed.insert(DelayedJob(job: job, due: due))
        logger.debug("fetch will retry", metadata: [
            "url": "\(WebAddress.forLog(job.request.url))", "failure": "\(failure.kind.rawValue)",
            "attempt": "\(job.attempts)", "wait_s": "\(String(format: "%.2f", wait))",
        ])
    }

    /// Builds the single result for a job, logs it and hands it over; nothing is kept.
    private func finish(_ job: Job, outcome: AttemptOutcome?, failure: FetchFailure?) {
        let startedAt = job.startedAt ?? Date()
        let duration = job.startedInstant.map { (ContinuousClock.now - $0) } ?? .zero
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        let result = FetchResult(
            request: job.request,
            finalURL: outcome?.finalURL ?? job.request.url,
            status: outcome?.status ?? 0,
            headers: outcome?.headers ?? [],
            body: outcome?.body ?? Data(),
            startedAt: startedAt,
            duration: seconds,
            attempts: job.attempts,
            redirectCount: outcome?.redirectCount ?? 0,
            failure: failure
        )
        var metadata: Logger.Metadata = [
            "id": "\(job.request.id)",
            "url": "\(WebAddress.forLog(job.request.url))",
            "outcome": "\(result.outcome.rawValue)",
            "status": "\(result.status)",
            "attempts": "\(result.attempts)",
            "ms": "\(Int(seconds * 1000))",
            "bytes": "\(result.body.count)",
        ]
        if let failure {
            metadata["failure"] = "\(failure.kind.rawValue)"
            logger.warning("fetch failed", metadata: metadata)
        } else {
            logger.info("fetch done", metadata: metadata)
        }
        deliver(job.index, result)
    }

    /// Ends every transfer and queued job with one failure; used on cancellation and if the
    /// multi handle itself fails, so no request is left without a result.
    private func finishEverything(kind: FetchFailureKind, reason: String) {
        for handle in Array(active.keys) {
            guard let (job, transfer) = detach(handle) else { continue }
            let partial = transfer.outcome(code: CURLE_ABORTED_BY_CALLBACK)
            var outcome = partial
            outcome.body = Data()
            let failure = FetchFailure(kind: kind, message: "抓取 \(WebAddress.withoutUserInfo(job.request.url)) 失败：\(reason)")
            finish(job, outcome: outcome, failure: failure)
        }
        var leftovers = delayed.unordered.map(\.job)
        delayed = Heap()
        for queue in queues.values { leftovers += queue }
        queues = [:]
        readyHosts = Deque()
        readySet = []
        for job in leftovers.sorted(by: { $0.index < $1.index }) {
            let failure = FetchFailure(kind: kind, message: "抓取 \(WebAddress.withoutUserInfo(job.request.url)) 失败：\(reason)")
            finish(job, outcome: nil, failure: failure)
        }
    }
}
