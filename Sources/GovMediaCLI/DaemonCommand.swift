import ArgumentParser
import Foundation
import GovMediaService
import Logging
import ServiceLifecycle
import UnixSignals

/// `govmedia daemon`: the systemd service.
struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "以服务方式运行：按计划扫描与评判，按时发送周报；SIGHUP 重新加载，SIGTERM 平稳退出。")
    @Option(help: "配置文件（YAML，示例见 deploy/govmedia.yaml）") var config = "/etc/govmedia/govmedia.yaml"
    @Flag(help: "只检查配置文件并退出") var checkConfig = false

    func run() async throws {
        let loaded: DaemonConfig
        do { loaded = try DaemonConfig.load(path: config) } catch { throw CLIFailure(error.description) }
        if checkConfig { return output("配置文件 \(config) 有效。\n") }
        var logger = Logger(label: "govmedia")
        logger.logLevel = Logger.Level(rawValue: loaded.logLevel) ?? .info
        let daemon = Daemon(configPath: config, logger: logger, weeklyReport: WeeklyReportHook.job)
        var groupConfig = ServiceGroupConfiguration(services: [.init(service: daemon)], logger: logger)
        groupConfig.gracefulShutdownSignals = [.sigterm, .sigint]
        groupConfig.maximumGracefulShutdownDuration = .seconds(8)
        do {
            try await ServiceGroup(configuration: groupConfig).run()
        } catch {
            throw CLIFailure("守护进程退出：\(error)")
        }
    }
}

/// Where the daemon's weekly report step comes from (the report module, once wired).
enum WeeklyReportHook {
    static let job: WeeklyReportJob? = nil
}
