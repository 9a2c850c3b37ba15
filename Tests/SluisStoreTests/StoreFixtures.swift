import Foundation
import SQLKit
import Testing
@testable import SluisCrypto
@testable import SluisRegister
@testable import SluisStore

/// The backends the storage suite runs against: SQLite always; PostgreSQL when
/// `SLUIS_TEST_POSTGRES_URL` names a server (`.ci/test` starts one; see docs/register.md).
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static var postgresURL: String? { ProcessInfo.processInfo.environment["SLUIS_TEST_POSTGRES_URL"] }

    /// The backends available here; prints once how to enable PostgreSQL when it is not.
    static let available: [Backend] = {
        if postgresURL == nil {
            print("SluisStoreTests: PostgreSQL tests skipped — set SLUIS_TEST_POSTGRES_URL=postgres://user@host:port/db?tlsmode=disable, or run .ci/test, which starts a throwaway server")
            return [.sqlite]
        }
        return [.sqlite, .postgres]
    }()
}

let testSigner = try! CheckpointSigner(name: "sluis-test-register", key: PrivateKey.generateEd25519())

/// A fresh, empty register on `backend`; the PostgreSQL schema is emptied first.
func freshStore(_ backend: Backend) async throws -> RegisterStore {
    switch backend {
    case .sqlite:
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluis-store-\(UUID().uuidString).sqlite").path
        return try await RegisterStore.open(.sqlite(path: path), signer: testSigner)
    case .postgres:
        let url = try #require(Backend.postgresURL)
        let connection = try await StoreConnection.open(.postgres(url: url))
        for table in ["register_entries", "register_nodes", "register_checkpoints", "register_head", "processing_activities", "sluis_migrations"] {
            try await connection.sql.raw(SQLQueryString("DROP TABLE IF EXISTS \(table)")).run()
        }
        try await connection.close()
        return try await RegisterStore.open(.postgres(url: url), signer: testSigner)
    }
}

func sampleEntry(_ n: Int, sender: String = "sovogo", recipient: String = "swv-go", decision: String = "permit",
                 time: String? = nil, subject: String? = nil) -> RegisterEntry {
    RegisterEntry(
        time: time ?? "2026-11-\(String(format: "%02d", 1 + n % 28))T10:00:00.000Z", traceID: Hex.encode([UInt8](repeating: UInt8(n % 256), count: 16)),
        spanID: Hex.encode([UInt8](repeating: 7, count: 8)), activity: "verstrekking-casusoverleg", activityVersion: "0123456789abcdef",
        operation: decision == "permit" ? "disclose" : "refuse", sender: sender, actor: "delegate-\(n % 5)", recipient: recipient,
        forum: "casusoverleg", purpose: "3.1.a", decision: decision, released: decision == "permit" ? ["absence"] : [],
        withheld: ["name"], basis: ["6(1)(e); Leerplichtwet art. 16; convenant art. 4.3"], policyHash: String(repeating: "c", count: 64),
        subject: subject ?? "ps1-test\(n % 17)", bundleDigest: nil)
}
