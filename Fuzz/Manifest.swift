// swift-tools-version:6.0
// The fuzz package's manifest. Not a package of its own where it lies: `scripts/fuzz` copies it
// as Package.swift into .build-fuzz/package/, next to links to the govmedia modules under
// test (Sources/…) and to the harnesses (Fuzz/Targets/…), and builds it there with
// libFuzzer and AddressSanitizer. The main package never sees it, so `swift build` and
// `swift test` are unchanged. Keep the module targets' settings as in ../Package.swift.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// A harness: a main.swift defining `LLVMFuzzerTestOneInput` and handing it to libFuzzer's
/// driver (SwiftPM gives every executable its own `main`, so libFuzzer's cannot be used).
func harness(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: ["CFuzzer"] + dependencies, path: "Sources/\(name)",
                      swiftSettings: strict)
}

let package = Package(
    name: "govmedia-fuzz",
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        // The modules under test, as the main package builds them.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0"),
        .systemLibrary(name: "CMalloc"),
        .target(name: "GovMediaCore", dependencies: ["CMalloc", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: strict),
        .target(name: "GovMediaParse", dependencies: ["CLibXML2", "GovMediaCore"], swiftSettings: strict),
        .target(name: "GovMediaDisclosure", swiftSettings: strict),

        // libFuzzer's driver entry point, declared for Swift.
        .systemLibrary(name: "CFuzzer"),

        // One harness per reader.
        harness("FuzzDocument", ["GovMediaParse", "GovMediaCore"]),
        harness("FuzzCMS", ["GovMediaParse", "GovMediaCore"]),
        harness("FuzzDecode", ["GovMediaParse"]),
        harness("FuzzDate", ["GovMediaCore"]),
        harness("FuzzReview", ["GovMediaCore"]),
        harness("FuzzRegister", ["GovMediaCore", "GovMediaParse"]),
        harness("FuzzDisclosure", ["GovMediaDisclosure", "GovMediaParse"]),
    ]
)
