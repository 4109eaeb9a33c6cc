// swift-tools-version:6.0
import PackageDescription

/// Settings every Swift target shares: the anchors' strictness, kept on from the first line.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "govmedia",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "govmedia", targets: ["govmedia"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/swhitty/FlyingFox.git", from: "0.27.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
    ],
    targets: [
        // C, in thin system-library targets only.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CMalloc"),

        // The domain, no I/O.
        .target(
            name: "GovMediaCore",
            dependencies: ["CMalloc", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        // libxml2: feeds, list pages, XPath checks.
        .target(name: "GovMediaParse", dependencies: ["CLibXML2", "GovMediaCore"], swiftSettings: strict),
        // libcurl: the fetcher (of govmedia, only the domain: its WebAddress reads every request URL).
        .target(name: "GovMediaFetch", dependencies: ["CCurl", "GovMediaCore", .product(name: "Logging", package: "swift-log"),
                                                      .product(name: "DequeModule", package: "swift-collections"),
                                                      .product(name: "HeapModule", package: "swift-collections")], swiftSettings: strict),
        // Rule files, word lists and the evaluator: pure, no I/O beyond reading rules/.
        .target(
            name: "GovMediaRules",
            dependencies: ["GovMediaCore", .product(name: "Yams", package: "Yams")],
            // The rules compiled into the binary: used when no rules directory is installed.
            resources: [.embedInCode("Resources/national.yaml"), .embedInCode("Resources/local.yaml"),
                        .embedInCode("Resources/words-serious-errors.txt"), .embedInCode("Resources/words-forbidden.txt"),
                        .embedInCode("Resources/words-typos.txt"), .embedInCode("Resources/calendar.yaml")],
            swiftSettings: strict
        ),
        // The annual disclosure report (政府信息公开年报): reading its layouts, checking its arithmetic.
        .target(name: "GovMediaDisclosure", swiftSettings: strict),
        // The workflows: each one owns its orchestration over the store, the rules and the
        // readers, and returns typed results; the CLI, the daemon and the demo only call them.
        .target(name: "GovMediaWorkflows", dependencies: ["GovMediaCore", "GovMediaStore", "GovMediaRules", "GovMediaScan", "GovMediaReport", "GovMediaDisclosure",
                                                          "GovMediaMail"], swiftSettings: strict),
        // The daemon: config, schedule, signals, sd_notify, the scan loop.
        .target(
            name: "GovMediaService",
            dependencies: ["GovMediaCore", "GovMediaFetch", "GovMediaStore", "GovMediaScan", "GovMediaRules", "GovMediaMail", "GovMediaWorkflows",
                           "GovMediaReport",
                           .product(name: "Yams", package: "Yams"), .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "UnixSignals", package: "swift-service-lifecycle")],
            swiftSettings: strict
        ),
        // The demo: its sample site and the embedded register, rules and annual report.
        .target(
            name: "GovMediaDemo",
            dependencies: ["GovMediaCore", "GovMediaParse", "GovMediaSite", "GovMediaRules"],
            resources: [.embedInCode("Resources/accounts.json"), .embedInCode("Resources/annual-report-2021.txt")],
            swiftSettings: strict
        ),
        // A loopback HTTP site (FlyingFox): the demo's sample site and the tests' site.
        .target(name: "GovMediaSite", dependencies: [.product(name: "FlyingFox", package: "FlyingFox")], swiftSettings: strict),
        // The scan pipeline: fetch → parse → store, shared by the CLI, the daemon and the demo.
        .target(
            name: "GovMediaScan",
            dependencies: ["GovMediaCore", "GovMediaFetch", "GovMediaParse", "GovMediaStore", "GovMediaRules",
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // SQLite through GRDB: migrations, records, audit chains, evidence.
        .target(
            name: "GovMediaStore",
            dependencies: ["GovMediaCore", "GovMediaDisclosure", "CZlib", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        // Mail: MIME messages and SMTP delivery through libcurl (no other govmedia module).
        .target(name: "GovMediaMail", dependencies: ["CCurl", "GovMediaCore"], swiftSettings: strict),
        // The weekly compliance report: from stored results to HTML, CSV and the .eml in the outbox.
        .target(
            name: "GovMediaReport",
            dependencies: ["GovMediaCore", "GovMediaStore", "GovMediaMail", "GovMediaDisclosure",
                           .product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: strict
        ),
        // The commands, as a library so tests drive them directly.
        .target(
            name: "GovMediaCLI",
            dependencies: [
                "GovMediaCore", "GovMediaStore", "GovMediaParse", "GovMediaFetch", "GovMediaScan", "GovMediaRules",
                "GovMediaService", "GovMediaSite", "GovMediaDisclosure", "GovMediaDemo", "GovMediaReport", "GovMediaMail", "GovMediaWorkflows",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "govmedia", dependencies: ["GovMediaCLI", "GovMediaCore"], swiftSettings: strict),
        // Speed targets, measured in a release build (see BENCHMARKS.md), never in a test.
        .executableTarget(
            name: "govmedia-bench",
            dependencies: ["GovMediaCore", "GovMediaParse", "GovMediaFetch", "GovMediaStore", "GovMediaScan", "GovMediaRules",
                           "GovMediaReport", "GovMediaWorkflows",
                           .product(name: "Logging", package: "swift-log"), .product(name: "GRDB", package: "GRDB.swift")],
            path: "Benchmarks/GovMediaBench",
            swiftSettings: strict
        ),

        .testTarget(name: "GovMediaCoreTests", dependencies: ["GovMediaCore"], swiftSettings: strict),
        .testTarget(name: "GovMediaDisclosureTests", dependencies: ["GovMediaDisclosure"],
                    resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "GovMediaRulesTests", dependencies: ["GovMediaRules", "GovMediaCore"],
                    resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "GovMediaParseTests", dependencies: ["GovMediaParse", "GovMediaCore"],
                    resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(
            name: "GovMediaScanTests",
            dependencies: ["GovMediaScan", "GovMediaStore", "GovMediaFetch", "GovMediaCore",
                           .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(name: "GovMediaFetchTests", dependencies: ["GovMediaFetch", "GovMediaCore", .product(name: "FlyingFox", package: "FlyingFox")],
                    swiftSettings: strict),
        .testTarget(
            name: "GovMediaStoreTests",
            dependencies: ["GovMediaStore", "GovMediaCore", "GovMediaDisclosure", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "GovMediaReportTests",
            dependencies: ["GovMediaReport", "GovMediaMail", "GovMediaStore", "GovMediaCore"],
            swiftSettings: strict
        ),
        .testTarget(name: "GovMediaMailTests", dependencies: ["GovMediaMail"], swiftSettings: strict),
        .testTarget(name: "GovMediaSiteTests", dependencies: ["GovMediaSite", "GovMediaFetch", "GovMediaCore",
                                                              .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        .testTarget(name: "GovMediaDemoTests", dependencies: ["GovMediaDemo", "GovMediaCore", "GovMediaParse", "GovMediaScan", "GovMediaSite"],
                    swiftSettings: strict),
        .testTarget(name: "GovMediaServiceTests", dependencies: ["GovMediaService", "GovMediaFetch", "GovMediaCore"], swiftSettings: strict),
        .testTarget(
            name: "GovMediaWorkflowsTests",
            dependencies: ["GovMediaWorkflows", "GovMediaReport", "GovMediaStore", "GovMediaDisclosure", "GovMediaCore"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "GovMediaCLITests",
            dependencies: ["GovMediaCLI", "GovMediaStore", "GovMediaCore", "GovMediaParse", "GovMediaSite", "govmedia"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
    ]
)
