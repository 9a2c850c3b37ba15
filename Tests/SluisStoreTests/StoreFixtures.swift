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

    /// Set and not empty (an empty value is unset, so the PostgreSQL variants are skipped, not failed).
    static var postgresURL: String? { ProcessInfo.processInfo.environment["SLUIS_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 } }

    /// The backends available here; prints once how to enable PostgreSQL when it is not.
    static let available: [Backend] = {
        if postgresURL == nil {
            print("SluisStoreTests: PostgreSQL tests skipped — set SLUIS_TEST_POSTGRES_URL=postgres://user@host:port/db?tlsmode=disable, or run .ci/test, which starts a throwaway server")
            return [.sqlite]
        }
        return [.sqlite, .postgres]
    }()
}

let testSigner = try! CheckpointSigner(name: Checkpoint.origin, key: PrivateKey.generateEd25519())

/// One directory per test process for the SQLite files, removed when the process exits: test
/// databases hold made-up pupils, and 2,000 of them were found left in /tmp.
let storeTestDirectory: URL = {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluis-store-tests-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "sluis-store-tests-\(getpid())") }
    return directory
}()

/// The location of a fresh, empty register on `backend`: a new SQLite file, or a new
/// PostgreSQL schema (so that tests can run side by side on one server).
func freshLocation(_ backend: Backend) throws -> DatabaseLocation {
    switch backend {
    case .sqlite:
        return .sqlite(path: storeTestDirectory.appendingPathComponent("sluis-store-\(UUID().uuidString).sqlite").path)
    case .postgres:
        let url = try #require(Backend.postgresURL)
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        return .postgres(url: url + (url.contains("?") ? "&" : "?") + "schema=\(schema)")
    }
}

/// Runs `body` with a fresh register and closes it afterwards, also when `body` throws.
func withFreshStore<T>(_ backend: Backend, _ body: (RegisterStore, DatabaseLocation) async throws -> T) async throws -> T {
    let location = try freshLocation(backend)
    let store = try await RegisterStore.open(location, signer: testSigner)
    do {
        let result = try await body(store, location)
        try await store.close()
        return result
    } catch {
        try? await store.close()
        throw error
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
