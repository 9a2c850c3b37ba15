// swift-tools-version: 6.1
// Sluis — privacy-aware data-sharing gateway for the Privacy Convenant Thuiszitters
// Goeree-Overflakkee. Dependencies point one way: from the faces (CLI, later the server)
// to the core (SluisCovenant, SluisCrypto).
import PackageDescription

/// Hummingbird 2's strict compiler settings (its Package.swift at 2.28.1), on every target of
/// ours: `any` spelled out for existentials (SE-0335), members visible only from modules a file
/// imports (SE-0444), imports internal unless marked `public` (SE-0409). Strict concurrency is
/// complete already in the Swift 6 language mode. Hummingbird's AvailabilityMacro names its own
/// platforms and has no counterpart here.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Sluis",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sluis", targets: ["sluis"]),
        .executable(name: "sluis-bench", targets: ["sluis-bench"]),
        .executable(name: "sluis-bundle", targets: ["sluis-bundle"]),
        .library(name: "SluisCovenant", targets: ["SluisCovenant"]),
        .library(name: "SluisCrypto", targets: ["SluisCrypto"]),
        // For the libFuzzer harnesses in Fuzz/ (the checkpoint parser; docs/security.md).
        .library(name: "SluisRegister", targets: ["SluisRegister"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        // No package traits: Sluis uses neither swift-configuration (ConfigurationSupport) nor the
        // URL-encoded form coders (FullFoundation). With both on, `swift test` and `swift run`
        // passed their -D flags to Hummingbird in a different order, so every switch between
        // the two recompiled Hummingbird, HummingbirdCore and HummingbirdTLS (issue 9 item 7).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        // Imported directly (not only through the packages above), so declared as products.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Templates (logic-less, HTML-escaping every value they insert): the web pages (issue 13)
        // and the inzage report's HTML (convenant art. 13.1 sub a; docs/rights.md).
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // multipart/form-data (RFC 7578): the school's absence file uploaded from a page (docs/pages.md).
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
    ],
    targets: [
        // The system OpenSSL 3 (Debian: libssl-dev). Only SluisCrypto imports it.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        .target(
            name: "SluisCrypto",
            dependencies: ["COpenSSL"],
            swiftSettings: strict
        ),
        // The covenant as data and the pure decision engine. No I/O during evaluation.
        .target(
            name: "SluisCovenant",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        // The tamper-evident register: entries, Merkle tree (RFC 6962/9162), proofs, signed
        // checkpoints (C2SP tlog-checkpoint), the art. 30 register. Pure: no I/O.
        .target(
            name: "SluisRegister",
            dependencies: ["SluisCovenant", "SluisCrypto"],
            swiftSettings: strict
        ),
        // Persistence on SQLite (embedded default) and PostgreSQL, one SQL layer (SQLKit).
        .target(
            name: "SluisStore",
            dependencies: [
                "SluisCrypto",
                "SluisCovenant",
                "SluisRegister",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // The use cases: disclose, consent, cases, mailbox, identity and access. Knows no HTTP.
        .target(
            name: "SluisGateway",
            dependencies: [
                "SluisCovenant", "SluisCrypto", "SluisRegister", "SluisStore",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: strict
        ),
        // The HTTP face: Hummingbird 2, JSON under /v1, problem+json errors.
        .target(
            name: "SluisServer",
            dependencies: [
                "SluisCovenant", "SluisCrypto", "SluisRegister", "SluisStore", "SluisGateway",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ],
            resources: [.copy("openapi.json"), .copy("Pages/Templates"), .copy("Pages/Static")],
            swiftSettings: strict
        ),
        // Seeded request corpora for the property tests and the benchmark.
        .target(
            name: "SluisCorpus",
            dependencies: ["SluisCovenant"],
            swiftSettings: strict
        ),
        // The bundle commands and the helpers all commands share, for `sluis` and `sluis-bundle`.
        .target(
            name: "SluisBundleCLI",
            dependencies: ["SluisCrypto", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),
        // `sluis-bundle seal|open|inspect`: the bundle commands without the server's libraries and
        // with the Swift runtime linked in, so that it starts nearly like a C tool (issue 14;
        // docs/performance.md). `-static-stdlib` here so that a plain `swift build` gives it.
        .executableTarget(
            name: "sluis-bundle",
            dependencies: ["SluisBundleCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict + [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux]))],
            linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux]))]
        ),
        .executableTarget(
            name: "sluis",
            dependencies: [
                "SluisBundleCLI",
                "SluisCovenant",
                "SluisCrypto",
                "SluisRegister",
                "SluisStore",
                "SluisGateway",
                "SluisServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // What `sluis-bench all` writes besides its tables: the SVG plot and the marked section.
        .target(name: "SluisBenchReport", swiftSettings: strict),
        .executableTarget(
            name: "sluis-bench",
            dependencies: ["SluisCovenant", "SluisCorpus", "SluisCrypto", "SluisRegister", "SluisStore", "SluisGateway", "SluisBenchReport"],
            path: "Sources/sluis-bench",
            swiftSettings: strict
        ),
        .testTarget(
            name: "SluisCovenantTests",
            dependencies: ["SluisCovenant", "SluisCorpus"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SluisCryptoTests",
            dependencies: ["SluisCrypto", "CHeapStats"],
            swiftSettings: strict
        ),
        // Test-only C helper: the allocator's bytes in use, for the fuzz test's leak check.
        .target(name: "CHeapStats", path: "Tests/CHeapStats"),
        .testTarget(
            name: "SluisRegisterTests",
            dependencies: ["SluisRegister", "SluisCrypto", "SluisCovenant"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SluisStoreTests",
            dependencies: [
                "SluisStore", "SluisRegister", "SluisCrypto", "SluisCovenant",
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SluisServerTests",
            dependencies: [
                "SluisServer", "SluisGateway", "SluisStore", "SluisRegister", "SluisCrypto", "SluisCovenant",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SluisBenchReportTests",
            dependencies: ["SluisBenchReport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SluisCLITests",
            // Not "sluis-bundle": its static linking would reach the test bundle's link (which
            // then looks for static XCTest and Testing libraries); `swift test` builds it anyway.
            dependencies: ["sluis"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
