// swift-tools-version: 6.1
// Sluis — privacy-aware data-sharing gateway for the Privacy Convenant Thuiszitters
// Goeree-Overflakkee. Dependencies point one way: from the faces (CLI, later the server)
// to the core (SluisCovenant, SluisCrypto).
import PackageDescription

let package = Package(
    name: "Sluis",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sluis", targets: ["sluis"]),
        .executable(name: "sluis-bench", targets: ["sluis-bench"]),
        .library(name: "SluisCovenant", targets: ["SluisCovenant"]),
        .library(name: "SluisCrypto", targets: ["SluisCrypto"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
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
            dependencies: ["COpenSSL"]
        ),
        // The covenant as data and the pure decision engine. No I/O during evaluation.
        .target(
            name: "SluisCovenant",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // The tamper-evident register: entries, Merkle tree (RFC 6962/9162), proofs, signed
        // checkpoints (C2SP tlog-checkpoint), the art. 30 register. Pure: no I/O.
        .target(
            name: "SluisRegister",
            dependencies: ["SluisCovenant", "SluisCrypto"]
        ),
        // Persistence on SQLite (embedded default) and PostgreSQL, one SQL layer (SQLKit).
        .target(
            name: "SluisStore",
            dependencies: [
                "SluisCovenant",
                "SluisRegister",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
            ]
        ),
        // The use cases: disclose, consent, cases, mailbox, identity and access. Knows no HTTP.
        .target(
            name: "SluisGateway",
            dependencies: ["SluisCovenant", "SluisCrypto", "SluisRegister", "SluisStore"]
        ),
        // The HTTP face: Hummingbird 2, JSON under /v1, problem+json errors.
        .target(
            name: "SluisServer",
            dependencies: [
                "SluisGateway",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("openapi.json")]
        ),
        // Seeded request corpora for the property tests and the benchmark.
        .target(
            name: "SluisCorpus",
            dependencies: ["SluisCovenant"]
        ),
        .executableTarget(
            name: "sluis",
            dependencies: [
                "SluisCovenant",
                "SluisCrypto",
                "SluisRegister",
                "SluisStore",
                "SluisGateway",
                "SluisServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "sluis-bench",
            dependencies: ["SluisCovenant", "SluisCorpus", "SluisCrypto", "SluisRegister", "SluisStore"],
            path: "Sources/sluis-bench"
        ),
        .testTarget(
            name: "SluisCovenantTests",
            dependencies: ["SluisCovenant", "SluisCorpus"]
        ),
        .testTarget(
            name: "SluisCryptoTests",
            dependencies: ["SluisCrypto", "CHeapStats"]
        ),
        // Test-only C helper: the allocator's bytes in use, for the fuzz test's leak check.
        .target(name: "CHeapStats", path: "Tests/CHeapStats"),
        .testTarget(
            name: "SluisRegisterTests",
            dependencies: ["SluisRegister", "SluisCrypto", "SluisCovenant"]
        ),
        .testTarget(
            name: "SluisStoreTests",
            dependencies: ["SluisStore", "SluisRegister", "SluisCrypto", "SluisCovenant"]
        ),
        .testTarget(
            name: "SluisServerTests",
            dependencies: [
                "SluisServer", "SluisGateway", "SluisStore", "SluisCrypto", "SluisCovenant",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "SluisCLITests",
            dependencies: ["sluis"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
