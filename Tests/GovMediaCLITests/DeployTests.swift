import Foundation
import Testing

@Suite("deploy/")
struct DeployTests {
    let unit = CLI.repository.appendingPathComponent("deploy/govmedia.service")

    @Test("the unit asks for notify, a watchdog, restarts, its own user, a state directory and a sandbox")
    func unitDirectives() throws {
        let text = try String(contentsOf: unit, encoding: .utf8)
        for line in ["Type=notify", "WatchdogSec=", "Restart=on-failure", "User=govmedia", "StateDirectory=govmedia",
                     "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "NoNewPrivileges=yes",
                     "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6", "ExecReload=/bin/kill -HUP $MAINPID"] {
            #expect(text.contains(line), "missing \(line)")
        }
    }

    @Test("systemd-analyze verify passes on the unit, where the tool exists")
    func systemdAnalyze() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze") else { return }
        let cli = try CLI()
        let copy = cli.directory.appendingPathComponent("govmedia.service")
        let text = try String(contentsOf: unit, encoding: .utf8).replacingOccurrences(of: "/usr/local/bin/govmedia", with: CLI.binary.path)
        try text.write(to: copy, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        p.arguments = ["verify", copy.path]
        let err = Pipe()
        p.standardError = err
        try p.run()
        let output = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(output)")
    }

    @Test("the example config is valid")
    func exampleConfig() async throws {
        let cli = try CLI()
        let result = try await cli.run("daemon", "--config", CLI.repository.appendingPathComponent("deploy/govmedia.yaml").path, "--check-config")
        #expect(result.status == 0, "\(result.stderr)")
    }
}
