import Foundation
import SluisCrypto
import SluisRegister
import SluisStore

// The register benchmark: `sluis-bench register [--entries N] [--verify-entries M] [--postgres URL]`.
// Durable appends per second (acknowledged only after the commit), verify time, proof sizes.

func benchEntry(_ n: Int) -> RegisterEntry {
    RegisterEntry(
        time: RegisterTime.format(Date(timeIntervalSince1970: 1_795_000_000 + Double(n))),
        traceID: String(format: "%032x", n), spanID: String(format: "%016x", n), activity: "verstrekking-casusoverleg",
        activityVersion: "0123456789abcdef", operation: "disclose", sender: "sovogo", actor: "delegate-\(n % 40)",
        recipient: "gemeente-goeree-overflakkee", forum: "casusoverleg", purpose: "3.1.a", decision: n % 7 == 0 ? "deny" : "permit",
        released: ["absence", "schoolInterventions"], withheld: ["name", "birthDate"],
        basis: ["6(1)(e); Leerplichtwet art. 16; convenant art. 4.3"], policyHash: String(repeating: "ab", count: 32),
        subject: "ps1-" + String(format: "%032x", n % 5000).prefix(32), bundleDigest: String(repeating: "cd", count: 32))
}

func runRegisterBenchmark(_ arguments: [String]) async throws {
    var entries = 100_000, verifyEntries = 1_000_000, concurrency = 256
    var postgres = ProcessInfo.processInfo.environment["SLUIS_TEST_POSTGRES_URL"]
    var iterator = arguments.makeIterator()
    while let option = iterator.next() {
        guard let value = iterator.next() else { throw UsageError(option) }
        switch option {
        case "--entries": entries = try Options.number(value, option)
        case "--verify-entries": verifyEntries = try Options.number(value, option)
        case "--concurrency": concurrency = try Options.number(value, option)
        case "--postgres": postgres = value
        default: throw UsageError(option)
        }
    }
    let signer = try CheckpointSigner(name: Checkpoint.origin, key: PrivateKey.generateEd25519())
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("sluis-bench-register-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: work) }

    /// `count` single appends from `concurrency` concurrent writers: each waits for its own commit.
    let total = entries, writers = concurrency
    func appendRate(_ location: DatabaseLocation) async throws -> (perSecond: Double, commits: Int) {
        let store = try await RegisterStore.open(location, signer: signer)
        let start = now()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<writers {
                group.addTask {
                    var n = worker
                    while n < total {
                        _ = try await store.append(benchEntry(n))
                        n += writers
                    }
                }
            }
            try await group.waitForAll()
        }
        let seconds = Double(now() - start) / 1e9
        let commits = try await store.checkpoints().count
        try await store.close()
        return (Double(entries) / seconds, commits)
    }

    print("sluis-bench register — \(entries) durable appends from \(concurrency) concurrent writers; verify over \(verifyEntries) entries")
    print("")
    print("| measure | value |")
    print("| --- | --- |")
    let sqlite = try await appendRate(.sqlite(path: work.appendingPathComponent("appends.sqlite").path))
    print("| SQLite (WAL, synchronous=FULL): durable appends/s | \(String(format: "%.0f", sqlite.perSecond)) (\(sqlite.commits) commits, \(entries / max(1, sqlite.commits)) entries per commit) |")
    if let postgres {
        let schema = "bench_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let url = postgres + (postgres.contains("?") ? "&" : "?") + "schema=\(schema)"
        let result = try await appendRate(.postgres(url: url))
        print("| PostgreSQL (synchronous_commit on): durable appends/s | \(String(format: "%.0f", result.perSecond)) (\(result.commits) commits) |")
    } else {
        print("| PostgreSQL | not measured: pass --postgres URL or set SLUIS_TEST_POSTGRES_URL |")
    }

    // Verify over a large register, filled in batches of 1,000.
    let big = try await RegisterStore.open(.sqlite(path: work.appendingPathComponent("verify.sqlite").path), signer: signer)
    let fillStart = now()
    var n = 0
    while n < verifyEntries {
        let count = min(1000, verifyEntries - n)
        _ = try await big.append(batch: (n..<(n + count)).map(benchEntry))
        n += count
    }
    let fillSeconds = Double(now() - fillStart) / 1e9
    print("| SQLite: batch appends/s (1,000 per commit, filling \(verifyEntries)) | \(String(format: "%.0f", Double(verifyEntries) / fillSeconds)) |")
    let verifyStart = now()
    let report = try await RegisterVerifier.verify(big, verifier: signer.verifier)
    let verifySeconds = Double(now() - verifyStart) / 1e9
    guard report.problem == nil, report.entries == Int64(verifyEntries) else {
        throw CLIBenchFailure(description: "verify failed: \(report.problem ?? "wrong count")")
    }
    print("| verify \(verifyEntries) entries (\(report.checkpoints) checkpoints) | \(String(format: "%.2f s", verifySeconds)) |")
    let size = Int64(verifyEntries)
    var largest = 0
    for index in stride(from: Int64(0), to: size, by: Int(max(1, size / 97))) {
        largest = max(largest, try await big.inclusionProof(index: index, size: size).count * 32)
    }
    print("| largest inclusion proof at \(verifyEntries) entries (97 samples) | \(largest) bytes |")
    let consistency = try await big.consistencyProof(old: size / 3, new: size).count * 32
    print("| consistency proof \(size / 3) → \(size) | \(consistency) bytes |")
    let databaseBytes = (try? FileManager.default.attributesOfItem(atPath: work.appendingPathComponent("verify.sqlite").path)[.size] as? Int) ?? 0
    print("| SQLite file for \(verifyEntries) entries | \(databaseBytes / 1_048_576) MiB |")
    try await big.close()
}
