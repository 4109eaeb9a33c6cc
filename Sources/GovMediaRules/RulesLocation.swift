import Foundation
import GovMediaCore

/// Where the rules come from, decided in one place for every door (the CLI, the daemon,
/// the demo): the directory given (`--rules`, the config's `rules:`), else an installed
/// one (`$GOVMEDIA_RULES`, `./rules`, `/etc/govmedia/rules`, beside the binary), else the
/// rules compiled into the binary — so a service never fails to start for want of a
/// rules directory that the command line would not have needed either.
public enum RulesLocation {
    /// The rule files compiled into the binary, by their path under `rules/`.
    public static var builtIn: [String: [UInt8]] {
        ["national.yaml": PackageResources.national_yaml, "local.yaml": PackageResources.local_yaml,
         "words/serious-errors.txt": PackageResources.words_serious_errors_txt, "words/forbidden.txt": PackageResources.words_forbidden_txt,
         "words/typos.txt": PackageResources.words_typos_txt, "calendar.yaml": PackageResources.calendar_yaml]
    }

    /// The directory to load: `explicit` when given (a missing one is then an error when
    /// loading, never a silent fallback), else an installed one, else the built-in rules
    /// written once to a cache directory named by their content.
    public static func resolve(explicit: String? = nil) -> String {
        if let explicit { return explicit }
        if let installed = installed() { return installed }
        let files = builtIn
        let digest = AuditHash.sha256(files.keys.sorted().flatMap { Array($0.utf8) + files[$0]! })
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("govmedia-rules-\(digest.prefix(16))")
        if !FileManager.default.fileExists(atPath: root.appendingPathComponent("local.yaml").path) {
            for (path, bytes) in files {
                let url = root.appendingPathComponent(path)
                try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try? Data(bytes).write(to: url, options: .atomic)
            }
        }
        return root.path
    }

    /// `$GOVMEDIA_RULES`, `./rules`, `/etc/govmedia/rules`, or beside the installed or built
    /// binary; nil when none of them has rule files.
    public static func installed() -> String? {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["GOVMEDIA_RULES"], !env.isEmpty { candidates.append(env) }
        candidates += ["rules", "/etc/govmedia/rules"]
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        candidates += ["../share/govmedia/rules", "../../rules", "../../../rules"].map { exe.appendingPathComponent($0).standardized.path }
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/local.yaml") }
    }
}
