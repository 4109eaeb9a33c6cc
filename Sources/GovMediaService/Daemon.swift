import Foundation
import GovMediaCore
import GovMediaMail
import GovMediaReport
import GovMediaRules
import GovMediaScan
import GovMediaStore
import GovMediaWorkflows
import Logging
import ServiceLifecycle
import UnixSignals

/// `govmedia daemon`: scans on a schedule, evaluates after each scan, sends the weekly
/// report, reloads on SIGHUP and stops cleanly on SIGTERM. One instance per database.
public final class Daemon: Service, Sendable {
    /// The config file; nil runs on defaults plus the overrides.
    private let configPath: String?
    private let overrides: DaemonOverrides
    private let logger: Logger
    private let notifier: SystemdNotifier
    private let state: DaemonState

    public init(configPath: String?, overrides: DaemonOverrides = DaemonOverrides(), logger: Logger,
                notifier: SystemdNotifier = SystemdNotifier()) {
        self.configPath = configPath
        self.overrides = overrides
        self.logger = logger
        self.notifier = notifier
        state = DaemonState()
    }

    /// Loads and prepares a configuration: the database opens and migrates, the rules load,
    /// the register file (if any) imports. Any failure leaves the previous one in force.
    func prepare() async throws -> Prepared {
        var config = try configPath.map { path throws(ConfigError) in try DaemonConfig.load(path: path) } ?? DaemonConfig.defaults(database: overrides.database ?? "govmedia.sqlite")
        overrides.apply(to: &config)
        _ = try config.mailSettings()
        let store = try Store(path: config.database)
        let assessment = try Assessment(store: store, rulesDirectory: config.rules)
        if let register = config.register {
            // The register file never stops the service: a file that cannot be read keeps the
            // register as it is, and entries the database keeps its own way are reported.
            do {
                switch try RegisterFileSync(store: store, path: register).run(by: Attribution(operator: "govmedia-daemon", reason: "守护进程加载台账 \(register)")) {
                case .unchanged: break
                case let .applied(summary, refused):
                    logger.info("register loaded", metadata: ["registered": "\(summary.registered.count)", "changed": "\(summary.changed.count)",
                                                             "kept_by_database": "\(refused.count)"])
                }
            } catch let error as RegisterFileError {
                logger.error("register file not applied; the register stays as it is", metadata: ["error": "\(error)"])
            }
            for drift in try store.registerDrift() {
                logger.warning("register file and database differ", metadata: ["account": "\(drift.accountID)", "notice": "\(drift)"])
            }
        }
        return Prepared(config: config, store: store, assessment: assessment)
    }

    public func run() async throws {
        let first = try await prepare()
        await state.install(first)
        anchorChains(first.store)
        // Trapped before READY=1: a reload sent the moment the service is up must not kill it.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        logger.info("daemon ready", metadata: ["database": "\(first.config.database)", "rules_version": "\(first.assessment.rules.version.prefix(12))"])
        notifier.notify("READY=1\nSTATUS=就绪，等待下一次扫描")
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await self.watchdog() }
                    group.addTask { await self.reloadOnHangup(hangups) }
                    group.addTask { try await self.mainLoop() }
                    try await group.next()
                    group.cancelAll()
                }
            }
        } catch is CancellationError {
            // SIGTERM / SIGINT: the group was cancelled, scans stopped; nothing more to do.
        }
        notifier.notify("STOPPING=1")
        logger.info("daemon stopped")
    }

    // MARK: Loops

    private func mainLoop() async throws {
        var backoff = 0.0
        while !Task.isCancelled {
            let current = await state.current!
            let now = Date()
            let due = await state.nextScan(current.config, now: now)
            if now >= due {
                do {
                    try await scanOnce(current)
                    backoff = 0
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    // A full disk, a read-only database, a lost lock: say so, stay up, retry.
                    backoff = min(max(backoff * 2, 30), 900)
                    logger.error("scan failed; retrying", metadata: ["error": "\(error)", "retry_in_s": "\(Int(backoff))"])
                    notifier.status("扫描失败：\(error)；\(Int(backoff)) 秒后重试")
                    await state.delayNextScan(until: Date().addingTimeInterval(backoff))
                }
            }
            do { try await officeMail(current) } catch is CancellationError { throw CancellationError() } catch {
                logger.error("weekly report or mail failed; will retry", metadata: ["error": "\(error)"])
            }
            try await Task.sleep(for: .seconds(1))
        }
    }

    /// The weekly report once its time has passed, then the outbox (the report and the
    /// owner units' notices): undelivered mail is retried every few minutes, never resent
    /// to a recipient who has it.
    private func officeMail(_ p: Prepared) async throws {
        let now = Date()
        let settings = try p.config.mailSettings()
        if let time = p.config.report, now >= ScanSchedule.reportDue(time, weekOf: now) {
            let workflow = WeeklyReportWorkflow(store: p.store, rulesDirectory: p.config.rules, directory: p.config.reportDirectory, mail: settings)
            if let written = try workflow.writeLastWeekIfMissing(now: now, by: "govmedia-daemon") {
                logger.info("weekly report written", metadata: ["week": "\(written.report.week)", "html_sha256": "\(written.htmlSHA256)"])
            }
        }
        guard let settings, try !Outbox(store: p.store, settings: settings).pending().isEmpty, await state.mailAttemptDue(now) else { return }
        for outcome in try await Outbox(store: p.store, settings: settings).sendPending() {
            logger.info("mail sent from the outbox", metadata: ["message": "\(outcome.messageID)", "sent": "\(outcome.sent.count)",
                                                                "failed": "\(outcome.failed.count)", "complete": "\(outcome.complete)"])
        }
    }

    /// After an evaluation: notices of new items, and reminders of items due within one
    /// working day or overdue, to the owner units (never the same item to a unit twice a day).
    private func sendNotices(_ p: Prepared, at: Date) async {
        guard p.config.sendsNotices else { return }
        do {
            let workflow = NoticeWorkflow(store: p.store, rules: p.assessment.rules, mail: try p.config.mailSettings(), issuer: p.config.noticeIssuer,
                                          directory: p.config.reportDirectory + "/notices")
            let outcome = try workflow.run(at: at, selection: .newAndDue, by: "govmedia-daemon")
            for w in outcome.written {
                logger.info("rectification notice written", metadata: ["unit": "\(w.unit)", "items": "\(w.items.count)",
                                                                        "eml": "\(w.emlPath ?? "（未配置邮件，仅 HTML）")"])
            }
            for w in outcome.withoutContact {
                logger.warning("owner unit has no contact_email; notice written as HTML only", metadata: ["unit": "\(w.unit)", "items": "\(w.items.count)",
                                                                                                        "html": "\(w.htmlPath)"])
            }
            if !outcome.written.isEmpty { await state.mailNow() }
        } catch {
            logger.error("rectification notices not written; will try after the next evaluation", metadata: ["error": "\(error)"])
        }
    }

    private func scanOnce(_ p: Prepared) async throws {
        let lock: ScanLock
        do { lock = try ScanLock(databasePath: p.store.path) } catch {
            logger.warning("scan skipped: another scan holds the lock", metadata: ["lock": "\(error)"])
            await state.delayNextScan(until: Date().addingTimeInterval(60))
            return
        }
        defer { withExtendedLifetime(lock) {} }
        await state.scanStarted(Date(), jitter: p.config.jitterSeconds)
        notifier.status("正在扫描…")
        var options = ScanOptions(fetch: p.config.fetch, trigger: "daemon")
        options.bridges = p.config.bridges
        options.batchSize = 64
        let summary = try await Scanner(store: p.store, logger: logger).run(options)
        let outcome = try EvaluationWorkflow(assessment: p.assessment).run(at: Date(), trigger: "daemon", scanID: summary.scanID, by: "govmedia-daemon")
        let (runID, results) = (outcome.runID, outcome.results)
        let r = outcome.rectification
        if let behind = outcome.lookBackBehind {
            // The clock is behind a run already stored: the items wait until it catches up.
            logger.warning("check time earlier than a stored run; rectification items left as they are",
                           metadata: ["run": "\(behind.id)", "check_at": "\(ChinaTime.iso8601(behind.checkAt))"])
        }
        if !(r.opened.isEmpty && r.fixed.isEmpty && r.overdue.isEmpty) {
            logger.info("rectification items", metadata: ["opened": "\(r.opened.count)", "fixed": "\(r.fixed.count)", "overdue": "\(r.overdue.count)"])
        }
        await sendNotices(p, at: Date())
        for warning in try RectificationWarnings.current(p.store) {
            logger.warning("rectification deadlines estimated", metadata: ["notice": "\(warning)"])
        }
        let passing = results.filter { $0.verdict == .pass }.count
        let judged = results.filter { $0.verdict != .notJudged }.count
        try p.store.pruneEvidence(olderThan: Date().addingTimeInterval(-Double(p.config.evidenceRetentionDays) * 86_400))
        anchorChains(p.store)
        for bridge in try p.store.sourceHealth() where bridge.isDown {
            logger.error("feed bridge failing", metadata: ["bridge": "\(bridge.name)", "failing": "\(bridge.failing.count)",
                                                           "problem": "\(bridge.problem ?? "")"])
        }
        logger.info("scan evaluated", metadata: ["scan": "\(summary.scanID)", "run": "\(runID)", "passing": "\(passing)", "judged": "\(judged)"])
        notifier.status("扫描 #\(summary.scanID) 完成：读取 \(summary.read)，失败 \(summary.failures.count)，合格 \(passing)/\(judged)")
    }

    /// Writes the chains' heads to the anchor file beside the database when they moved, so
    /// a later rewrite of the database cannot go unseen. A file that cannot be written is
    /// logged, never a reason to stop.
    private func anchorChains(_ store: Store) {
        do {
            let heads = try store.chainHeads()
            if try AnchorFile(database: store.path).append(heads) {
                logger.info("audit chains anchored", metadata: Dictionary(uniqueKeysWithValues: heads.map {
                    ($0.ledger.rawValue, Logger.MetadataValue.string("\($0.count):\($0.hash.prefix(16))"))
                }))
            }
        } catch {
            logger.error("could not write the anchor file", metadata: ["error": "\(error)"])
        }
    }

    private func watchdog() async throws {
        guard let interval = notifier.watchdogInterval else { return try await Task.sleep(for: .seconds(1_000_000_000)) }
        while !Task.isCancelled {
            notifier.notify("WATCHDOG=1")
            try await Task.sleep(for: interval)
        }
    }

    private func reloadOnHangup(_ hangups: UnixSignalsSequence) async {
        for await _ in hangups {
            logger.info("SIGHUP: reloading configuration, rules and register")
            do {
                let next = try await prepare()
                await state.install(next)
                logger.info("reloaded", metadata: ["rules_version": "\(next.assessment.rules.version.prefix(12))"])
                notifier.status("已重新加载配置")
            } catch {
                logger.error("reload failed; keeping the previous configuration", metadata: ["error": "\(error)"])
                notifier.status("重新加载失败，继续使用原配置：\(error)")
            }
        }
    }
}

/// A configuration ready to use.
struct Prepared: Sendable {
    let config: DaemonConfig
    let store: Store
    let assessment: Assessment
}

/// The daemon's mutable state: the configuration in force and when the next scan is due.
actor DaemonState {
    private(set) var current: Prepared?
    private var lastScanStart: Date?
    private var jitter: TimeInterval = 0
    private var notBefore: Date?

    func install(_ p: Prepared) { current = p }

    func nextScan(_ config: DaemonConfig, now: Date) -> Date {
        let scheduled = ScanSchedule.next(config.schedule, after: lastScanStart, now: now).addingTimeInterval(lastScanStart == nil ? 0 : jitter)
        // After a failure or a busy lock the retry time decides, not the next regular slot.
        return notBefore ?? scheduled
    }

    func scanStarted(_ at: Date, jitter seconds: Int) {
        lastScanStart = at
        jitter = seconds > 0 ? TimeInterval(Int.random(in: 0...seconds)) : 0
        notBefore = nil
    }

    func delayNextScan(until date: Date) { notBefore = date }

    private var lastMailAttempt: Date?

    /// Spaces out outbox attempts, so an SMTP server that is down is not asked every second.
    func mailAttemptDue(_ now: Date) -> Bool {
        if let last = lastMailAttempt, now.timeIntervalSince(last) < 300 { return false }
        lastMailAttempt = now
        return true
    }

    /// New mail was written: the next pass sends it without waiting for the retry interval.
    func mailNow() { lastMailAttempt = nil }
}
