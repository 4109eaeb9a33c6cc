import Foundation

/// Runs the real `govmedia` binary, as an officer would, in a scratch directory.
struct CLI {
    let directory: URL
    var database: String { directory.appendingPathComponent("govmedia.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("govmedia-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// The output and exit status of one command.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
    }

    /// The built binary sits beside the test bundle in the build products directory.
    static let binary: URL = {
        let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [products, products.deletingLastPathComponent()].map { $0.appendingPathComponent("govmedia") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    }

    @discardableResult
    func run(_ arguments: String..., environment: [String: String] = [:]) async throws -> Result {
        try await run(arguments, environment: environment)
    }

    /// Runs the binary on a thread of its own: waiting for a child process must not hold
    /// one of Swift concurrency's few threads, which the loopback site needs to answer it.
    /// - Parameter direct: the first argument is the program to run (e.g. runuser), not a govmedia argument.
    func run(_ arguments: [String], environment: [String: String] = [:], direct: Bool = false) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Swift.Result { try runBlocking(arguments, environment: environment, direct: direct) })
            }.start()
        }
    }

    private func runBlocking(_ arguments: [String], environment: [String: String], direct: Bool) throws -> Result {
        let process = Process()
        process.executableURL = direct ? URL(fileURLWithPath: arguments[0]) : Self.binary
        process.arguments = direct ? Array(arguments.dropFirst()) : arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["GOVMEDIA_DB"] = database
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so a large output cannot fill the pipe and stall the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}
