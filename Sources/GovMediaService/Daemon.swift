import Foundation
import GovMediaCore
import GovMediaRules
import GovMediaScan
import GovMediaStore
import GovMediaWorkflows
import Logging
import ServiceLifecycle
import UnixSignals

/// The weekly report step, supplied by the caller (the report module sits above this one):
/// it decides whether a report is due and not yet delivered, and delivers it.
public typealias WeeklyReportJob = @Sendable (_ config: DaemonConfig, _ store: Store, _ now: Date, _ logger: Logger) async throws -> Void

/// `govmedia daemon`: scans on a schedule, evaluates after each scan, sends the weekly
/// report, reloads on SIGHUP and stops cleanly on SIGTERM. One instance per database.
public final class Daemon: Service, Sendable {
    /// The config file; nil runs on defaults plus the overrides.
    private let configPath: String?
    private let overrides: DaemonOverrides
    private let logger: Logger
    private let notifier: SystemdNotifier
    private let weeklyReport: WeeklyReportJob?
    private let state: DaemonState

    public init(configPath: String?, overrides: DaemonOverrides = DaemonOverrides(), logger: Logger,
                notifier: SystemdNotifier = SystemdNotifier(), weeklyReport: WeeklyReportJob? = nil) {
        self.configPath = configPath
        self.overrides = overrides
        self.logger = logger
        self.notifier = notifier
        self.weeklyReport = weeklyReport
        state = DaemonState()
    }

    /// Loads and prepares a configuration: the database opens and migrates, the rules load,
    /// the register file (if any) imports. Any failure leaves the previous one in force.
    func prepare() async throws -> Prepared {
        var config = try configPath.map(DaemonConfig.load) ?? DaemonConfig.defaults(database: overrides.database ?? "govmedia.sqlite")
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
            if let job = weeklyReport, current.config.report != nil {
                do { try await job(current.config, current.store, Date(), logger) } catch is CancellationError { throw CancellationError() } catch {
                    logger.error("weekly report failed; will retry", metadata: ["error": "\(error)"])
                }
            }
            try await Task.sleep(for: .seconds(1))
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
        if !(r.opened.isEmpty && r.fixed.isEmpty && r.overdue.isEmpty) {
            logger.info("rectification items", metadata: ["opened": "\(r.opened.count)", "fixed": "\(r.fixed.count)", "overdue": "\(r.overdue.count)"])
        }
        for warning in try RectificationNotices.current(p.store) {
            logger.warning("rectification deadlines estimated", metadata: ["notice": "\(warning)"])
        }
        let passing = results.filter { $0.verdict == .pass }.count
        let judged = results.filter { $0.verdict != .notJudged }.count
        try p.store.pruneEvidence(olderThan: Date().addingTimeInterval(-Double(p.config.evidenceRetentionDays) * 86_400))
        anchorChains(p.store)
        for bridge in try p.store.sourceHealth() where bridge.isDown {
            logger.error("feed bridge failing", metadata: ["bridge": "\(bridge.bridge)", "failing": "\(bridge.failing.count)",
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
}
