// swift-tools-version: 6.1
// Coverage-guided fuzzers (libFuzzer) over Sluis's parsers of outside input: the sealed bundle,
// the signed checkpoint and the school's absence CSV (issue 14 item 5; docs/security.md).
// A package of its own so that the sanitizer flags touch only what it builds; `.ci/fuzz` builds
// it with `-sanitize=fuzzer,address -parse-as-library` (without them the fuzzers do not link).
import PackageDescription

let package = Package(
    name: "SluisFuzz",
    dependencies: [.package(name: "Sluis", path: "..")],
    targets: [
        // libFuzzer's driver behind SwiftPM's renamed entry point (`<module>_main`).
        .target(name: "FuzzDriver"),
        .executableTarget(
            name: "FuzzBundle",
            dependencies: ["FuzzDriver", .product(name: "SluisCrypto", package: "Sluis")]
        ),
        .executableTarget(
            name: "FuzzCheckpoint",
            dependencies: ["FuzzDriver", .product(name: "SluisRegister", package: "Sluis")]
        ),
        .executableTarget(
            name: "FuzzAbsenceCSV",
            dependencies: ["FuzzDriver", .product(name: "SluisCovenant", package: "Sluis")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
