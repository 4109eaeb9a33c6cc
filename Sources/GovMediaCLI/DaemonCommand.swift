import ArgumentParser
import Foundation
import GovMediaMail
import GovMediaReport
import GovMediaService
import GovMediaStore
import Logging
import ServiceLifecycle
import UnixSignals

/// `govmedia daemon`: the systemd service.
struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "以服务方式运行：按计划扫描与评判，按时发送周报；SIGHUP 重新加载，SIGTERM 平稳退出。")
    static let defaultConfig = "/etc/govmedia/govmedia.yaml"
    @Option(help: "配置文件（YAML，示例见 deploy/govmedia.yaml；默认 /etc/govmedia/govmedia.yaml，不存在时用默认设置）") var config: String?
    @Option(help: "数据库文件，优先于配置文件（默认 $GOVMEDIA_DB）") var db: String?
    @Option(help: "规则目录，优先于配置文件") var rules: String?
    @Option(help: "扫描间隔（秒），优先于配置文件的 schedule") var interval: Int?
    @Flag(help: "允许访问内网、回环和链路本地地址，优先于配置文件") var allowPrivateAddresses = false
    @Flag(help: "只检查配置文件并退出") var checkConfig = false

    func run() async throws {
        if let interval, interval < 1 { throw CLIFailure("--interval 应为正整数（秒）") }
        let path = config ?? (FileManager.default.fileExists(atPath: Self.defaultConfig) ? Self.defaultConfig : nil)
        let database = db ?? ProcessInfo.processInfo.environment["GOVMEDIA_DB"].flatMap { $0.isEmpty ? nil : $0 }
        var loaded: DaemonConfig
        do { loaded = try path.map { path throws(ConfigError) in try DaemonConfig.load(path: path) } ?? .defaults(database: database ?? "govmedia.sqlite") } catch {
            throw CLIFailure(error.description)
        }
        let overrides = DaemonOverrides(database: database, rules: rules,
                                        intervalSeconds: interval, allowPrivateAddresses: allowPrivateAddresses)
        overrides.apply(to: &loaded)
        if checkConfig { return output("配置\(path.map { "文件 \($0) " } ?? "（默认设置）")有效。\n") }
        var logger = Logger(label: "govmedia")
        logger.logLevel = Logger.Level(rawValue: loaded.logLevel) ?? .info
        let daemon = Daemon(configPath: path, overrides: overrides, logger: logger)
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
