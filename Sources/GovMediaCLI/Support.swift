import ArgumentParser
import Foundation
import GovMediaCore
import GovMediaFetch
import GovMediaParse
import GovMediaService
import GovMediaStore

/// Options every command that touches the database shares.
struct DatabaseOptions: ParsableArguments {
    /// Where the database lives.
    @Option(name: .customLong("db"), help: "数据库文件（默认 $GOVMEDIA_DB，否则 ./govmedia.sqlite）")
    var path: String?

    var resolvedPath: String {
        path ?? ProcessInfo.processInfo.environment["GOVMEDIA_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "govmedia.sqlite"
    }

    /// Opens the store for writing.
    func open() throws -> Store { try Store(path: resolvedPath) }

    /// Opens the store for reading only: an officer with read access can query.
    func openForReading() throws -> Store {
        if FileManager.default.isWritableFile(atPath: resolvedPath) { return try Store(path: resolvedPath) }
        return try Store(path: resolvedPath, readOnly: true)
    }
}

/// A failure to tell the officer in plain words; exits non-zero.
struct CLIFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The OS user running the command, recorded as the operator of every event.
func currentOperator() -> String {
    if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
    return ProcessInfo.processInfo.environment["USER"] ?? "uid-\(geteuid())"
}

/// A reason is required for every register step, and must say something.
func requireReason(_ reason: String) throws -> String {
    let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else { throw CLIFailure("必须用 --reason 说明原因") }
    return trimmed
}

/// Writes JSON (pretty, stable key order, slashes unescaped) to stdout.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    FileHandle.standardOutput.write(TerminalSafety.json(try encoder.encode(value)))
    FileHandle.standardOutput.write(Data("\n".utf8))
}

/// Prints text to stdout, with control and bidirectional characters shown, not obeyed.
func output(_ text: String) {
    FileHandle.standardOutput.write(Data(TerminalSafety.text(text).utf8))
}

/// Prints text to stderr, made safe like `output`.
func outputError(_ text: String) {
    FileHandle.standardError.write(Data(TerminalSafety.text(text).utf8))
}

/// Reads a whole file, with an error naming it.
func readFile(_ path: String) throws -> Data {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw CLIFailure("无法读取文件 \(path)（不存在或无权限）")
    }
    return data
}

/// `--config FILE`: the daemon's YAML config, for its feed bridges and fetch settings.
/// Default: `$GOVMEDIA_CONFIG`, else `/etc/govmedia/govmedia.yaml` when it exists, else none.
struct ConfigOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: "配置文件（YAML，用其中的数据源 bridges 与抓取设置；默认 $GOVMEDIA_CONFIG，否则 /etc/govmedia/govmedia.yaml，存在时）")
    var path: String?

    var resolvedPath: String? {
        if let path { return path }
        if let env = ProcessInfo.processInfo.environment["GOVMEDIA_CONFIG"], !env.isEmpty { return env }
        return FileManager.default.fileExists(atPath: DaemonCommand.defaultConfig) ? DaemonCommand.defaultConfig : nil
    }

    /// The config's fetch settings (defaults without a config), with `--allow-private-addresses`
    /// turning that one on: what every command that fetches uses.
    func fetchConfiguration(_ loaded: DaemonConfig?, allowPrivateAddresses: Bool) -> FetchConfiguration {
        var fetch = loaded?.fetch ?? FetchConfiguration()
        if allowPrivateAddresses { fetch.allowPrivateAddresses = true }
        return fetch
    }

    /// The config, or nil when there is none; a bad one is an error naming field and line.
    func load() throws -> DaemonConfig? {
        guard let path = resolvedPath else { return nil }
        do { return try DaemonConfig.load(path: path, requiringDatabase: false) } catch { throw CLIFailure(error.description) }
    }
}
