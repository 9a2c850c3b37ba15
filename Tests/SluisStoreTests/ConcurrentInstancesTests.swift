import Foundation
import SQLKit
import Testing
@testable import SluisCrypto
@testable import SluisRegister
@testable import SluisStore

/// Two gateway instances on one database append at the same time (issue 14 item 4; art. 15:
/// the register loses nothing, and a disclosure is on it with its delivery in one commit).
@Suite("Two instances appending concurrently", .serialized)
struct ConcurrentInstancesTests {
    @Test("Art. 15: two register stores on one database appending concurrently give contiguous indices, each entry once with its companion's row, shared commits, proofs against each receipt's own checkpoint, and a tree that verifies",
          arguments: Backend.available)
    func twoStoresConcurrently(backend: Backend) async throws {
        try await withFreshStore(backend) { first, location in
            let second = try await RegisterStore.open(location, signer: testSigner)
            do {
                // The companion stands for the mailbox delivery: a row naming the entry's index,
                // written in the entry's commit.
                try await first.connection.sql.raw("CREATE TABLE test_delivery (idx BIGINT PRIMARY KEY, trace TEXT NOT NULL)").run()
                let perInstance = 120  // 240 entries: sampleEntry's trace ids are distinct below 256
                let receipts = try await withThrowingTaskGroup(of: (Int, RegisterStore.AppendReceipt).self) { group in
                    for n in 0..<(2 * perInstance) {
                        let store = n % 2 == 0 ? first : second
                        let trace = sampleEntry(n).traceID
                        group.addTask {
                            (n, try await store.append(sampleEntry(n)) { sql, index in
                                try await sql.raw("INSERT INTO test_delivery (idx, trace) VALUES (\(bind: index), \(bind: trace))").run()
                            })
                        }
                    }
                    return try await group.reduce(into: [(Int, RegisterStore.AppendReceipt)]()) { $0.append($1) }
                }
                #expect(receipts.map(\.1.index).sorted() == Array(0..<Int64(2 * perInstance)), "contiguous, none lost, none twice")
                let hasher = try SHA256Hasher()
                for (n, receipt) in receipts {
                    let stored = try #require(try await first.entry(receipt.index))
                    #expect(stored.entry.traceID == sampleEntry(n).traceID, "the entry at its receipt's index is its own")
                    let own = try Checkpoint.verify(receipt.checkpoint, verifier: testSigner.verifier)
                    // Proven by either instance, whichever appended it.
                    let proof = try await (n % 2 == 0 ? second : first).inclusionProof(index: receipt.index, size: own.size)
                    #expect(MerkleTree.verifyInclusion(index: receipt.index, size: own.size, leafHash: receipt.leafHash, proof: proof, root: own.root, hasher))
                }
                let rows = try await first.connection.sql.raw("SELECT idx, trace FROM test_delivery ORDER BY idx").all()
                let delivered = try rows.map { (try $0.decode(column: "idx", as: Int64.self), try $0.decode(column: "trace", as: String.self)) }
                #expect(delivered.map(\.0) == Array(0..<Int64(2 * perInstance)), "each entry's delivery committed with it")
                let byIndex = Dictionary(uniqueKeysWithValues: receipts.map { ($0.1.index, sampleEntry($0.0).traceID) })
                #expect(delivered.allSatisfy { byIndex[$0.0] == $0.1 }, "each delivery names its own entry's index")
                let commits = try await first.checkpoints().count
                #expect(commits < 2 * perInstance, "appends share commits (group commit), also with two instances: \(commits) commits")
                for store in [first, second] {
                    let report = try await RegisterVerifier.verify(store, verifier: testSigner.verifier)
                    #expect(report.problem == nil && report.entries == Int64(2 * perInstance))
                }
                try await second.close()
            } catch {
                try? await second.close()
                throw error
            }
        }
    }

    @Test("A pooled PostgreSQL connection runs no transaction: BEGIN and COMMIT could reach different connections (fail closed)")
    func pooledConnectionRefusesTransactions() async throws {
        guard Backend.available.contains(.postgres) else { return }
        guard case .postgres(let url) = try freshLocation(.postgres) else { return }
        let pooled = try await StoreConnection.open(.postgres(url: url + "&connections=3"), pooled: true)
        #expect(pooled.members.count == 3)
        await #expect(throws: StoreError.self) { try await pooled.transaction { () async throws -> Void in } }
        try await pooled.close()
        let single = try await StoreConnection.open(.postgres(url: url + "&connections=3"))
        #expect(single.members.count == 1, "a register's connection is never pooled")
        try await single.transaction { () async throws -> Void in }
        try await single.close()
    }

    @Test("The PostgreSQL URL's connections is a number from 1 to 64, else a configuration error naming it", arguments: ["0", "65", "four"])
    func poolSizeIsChecked(value: String) async throws {
        guard Backend.available.contains(.postgres) else { return }
        guard case .postgres(let url) = try freshLocation(.postgres) else { return }
        await #expect { try await StoreConnection.open(.postgres(url: url + "&connections=\(value)"), pooled: true) } throws: { error in
            "\(error)".contains("connections")
        }
    }
}
