import Foundation
import SQLKit
import Testing
@testable import SluisCrypto
@testable import SluisRegister
@testable import SluisStore

/// The same storage suite on SQLite and PostgreSQL (art. 15: the register; fail closed, lose nothing).
@Suite("Register store", .serialized)
struct RegisterStoreTests {
    @Test("Appends are numbered, durable, proven and checkpointed", arguments: Backend.available)
    func appendAndProve(backend: Backend) async throws {
        try await withFreshStore(backend) { store, _ in
            let hasher = try SHA256Hasher()
            var receipts: [RegisterStore.AppendReceipt] = []
            for n in 0..<37 { receipts.append(try await store.append(sampleEntry(n))) }
            #expect(receipts.map(\.index) == Array(0..<37))
            let latest = try Checkpoint.verify(try #require(try await store.latestCheckpoint()), verifier: testSigner.verifier)
            #expect(latest.size == 37)
            for receipt in receipts {
                let proof = try await store.inclusionProof(index: receipt.index, size: 37)
                #expect(MerkleTree.verifyInclusion(index: receipt.index, size: 37, leafHash: receipt.leafHash, proof: proof, root: latest.root, hasher))
                // And against the checkpoint in its own receipt.
                let own = try Checkpoint.verify(receipt.checkpoint, verifier: testSigner.verifier)
                let ownProof = try await store.inclusionProof(index: receipt.index, size: own.size)
                #expect(MerkleTree.verifyInclusion(index: receipt.index, size: own.size, leafHash: receipt.leafHash, proof: ownProof, root: own.root, hasher))
            }
            let stored = try #require(try await store.entry(5))
            #expect(stored.entry.subject == sampleEntry(5).subject && stored.entry.index == 5)
            let report = try await RegisterVerifier.verify(store, verifier: testSigner.verifier)
            #expect(report.problem == nil && report.entries == 37)
        }
    }

    @Test("Concurrent appends are group-committed without gaps or duplicates", arguments: Backend.available)
    func concurrentAppends(backend: Backend) async throws {
        try await withFreshStore(backend) { store, _ in
            let indexes = try await withThrowingTaskGroup(of: Int64.self) { group in
                for n in 0..<400 { group.addTask { try await store.append(sampleEntry(n)).index } }
                return try await group.reduce(into: [Int64]()) { $0.append($1) }
            }
            #expect(indexes.sorted() == Array(0..<400))
            let checkpoints = try await store.checkpoints()
            #expect(checkpoints.count < 400, "entries share commits")
            #expect(try await RegisterVerifier.verify(store, verifier: testSigner.verifier).problem == nil)
        }
    }

    @Test("Bijlage 3.1 sub 1 (one list, two recipients): a group of entries commits whole or not at all — a failing companion leaves none of its entries, the others in the same commit stand",
          arguments: Backend.available)
    func groupsCommitWholeOrNotAtAll(backend: Backend) async throws {
        try await withFreshStore(backend) { (store: RegisterStore, _: DatabaseLocation) -> Void in
            try await store.connection.sql.raw("CREATE TABLE test_companion (idx BIGINT PRIMARY KEY)").run()
            // Concurrently: groups that succeed, single entries, and groups whose companion fails after writing.
            let results = await withTaskGroup(of: GroupOutcome.self) { tasks -> [GroupOutcome] in
                for n in 0..<30 { tasks.addTask { await Self.appendGroup(n, to: store) } }
                var outcomes: [GroupOutcome] = []
                for await outcome in tasks { outcomes.append(outcome) }
                return outcomes.sorted { $0.n < $1.n }
            }
            var appended: [Int64] = []
            for outcome in results {
                guard let indices = outcome.indices else {
                    #expect(outcome.n % 5 == 4, "only the groups whose companion refused failed")
                    continue
                }
                #expect(outcome.n % 5 != 4 && indices.count == outcome.n % 3 + 1)
                #expect(indices == Array(indices[0]..<indices[0] + Int64(indices.count)), "a group's entries are consecutive")
                for (offset, index) in indices.enumerated() {
                    let stored = try await store.entry(index)
                    #expect(stored?.entry.traceID == sampleEntry(outcome.n * 10 + offset).traceID, "in the order given")
                }
                appended += indices
            }
            #expect(appended.sorted() == Array(0..<Int64(appended.count)), "no gaps: a refused group left no index behind")
            let rows = try await store.connection.sql.raw("SELECT idx FROM test_companion ORDER BY idx").all()
            let written = try rows.map { try $0.decode(column: "idx", as: Int64.self) }
            #expect(written == appended.sorted(), "what a refused companion wrote was rolled back")
            #expect(try await RegisterVerifier.verify(store, verifier: testSigner.verifier).problem == nil)
        }
    }

    struct GroupOutcome: Sendable {
        let n: Int
        /// The indices appended, nil when the group was refused.
        let indices: [Int64]?
    }

    struct Refused: Error {}

    /// Group `n`: 1–3 entries whose companion records their indices; every fifth group's
    /// companion refuses after writing.
    static func appendGroup(_ n: Int, to store: RegisterStore) async -> GroupOutcome {
        let entries = (0..<(n % 3 + 1)).map { sampleEntry(n * 10 + $0) }
        let refuses = n % 5 == 4
        let companion: RegisterStore.GroupCompanion = { sql, indices in
            for index in indices { try await sql.raw("INSERT INTO test_companion (idx) VALUES (\(bind: index))").run() }
            if refuses { throw Refused() }
        }
        do {
            return GroupOutcome(n: n, indices: try await store.append(group: entries, companion: companion).map(\.index))
        } catch {
            return GroupOutcome(n: n, indices: error is Refused ? nil : [-1])
        }
    }

    @Test("Consistency proofs between every stored checkpoint and the latest verify", arguments: Backend.available)
    func consistency(backend: Backend) async throws {
        try await withFreshStore(backend) { store, _ in
            let hasher = try SHA256Hasher()
            for batch in 0..<9 { _ = try await store.append(batch: (0..<(batch * 7 + 1)).map { sampleEntry($0) }) }
            let latest = try Checkpoint.verify(try #require(try await store.latestCheckpoint()), verifier: testSigner.verifier)
            for (_, signed) in try await store.checkpoints() {
                let old = try Checkpoint.verify(signed, verifier: testSigner.verifier)
                let proof = try await store.consistencyProof(old: old.size, new: latest.size)
                #expect(MerkleTree.verifyConsistency(old: old.size, new: latest.size, oldRoot: old.root, newRoot: latest.root, proof: proof, hasher))
            }
        }
    }

    @Test("Two gateway instances on one database append into one consistent log", arguments: Backend.available)
    func twoInstances(backend: Backend) async throws {
        try await withFreshStore(backend) { first, location in
            let second = try await RegisterStore.open(location, signer: testSigner)
            do {
                for n in 0..<30 { _ = try await (n % 2 == 0 ? first : second).append(sampleEntry(n)) }
                #expect(try await RegisterVerifier.verify(first, verifier: testSigner.verifier).problem == nil)
                #expect(try await RegisterVerifier.verify(second, verifier: testSigner.verifier).entries == 30)
                try await second.close()
            } catch {
                try? await second.close()
                throw error
            }
        }
    }

    @Test("FG inspection: filters, paging and the cap", arguments: Backend.available)
    func listing(backend: Backend) async throws {
        try await withFreshStore(backend) { store, _ in
            _ = try await store.append(batch: (0..<60).map { n in
                sampleEntry(n, sender: n % 3 == 0 ? "horizon" : "sovogo", recipient: n % 4 == 0 ? "horizon" : "swv-go",
                            decision: n % 5 == 0 ? "deny" : "permit", subject: n == 42 ? "ps1-special" : nil)
            })
            let horizon = try await store.list(RegisterFilter(party: "horizon", limit: 1000)).entries
            #expect(horizon.map(\.index) == (0..<60).filter { $0 % 3 == 0 || $0 % 4 == 0 }.map(Int64.init))
            #expect(try await store.list(RegisterFilter(decision: "deny")).entries.count == 12)
            #expect(try await store.list(RegisterFilter(subject: "ps1-special")).entries.map(\.index) == [42])
            #expect(try await store.list(RegisterFilter(from: "2026-11-05", to: "2026-11-06")).entries.allSatisfy { $0.time.hasPrefix("2026-11-05") })
            // Paging: 25 per page covers all 60, in order, without overlap.
            var seen: [Int64] = [], after: Int64?
            repeat {
                let page = try await store.list(RegisterFilter(after: after, limit: 25))
                seen += page.entries.map(\.index)
                after = page.next
            } while after != nil
            #expect(seen == Array(0..<60))
            #expect(try await store.list(RegisterFilter(limit: 100_000)).entries.count == 60)
        }
    }

    @Test("Art. 30: activity versions are recorded and old versions kept", arguments: Backend.available)
    func activities(backend: Backend) async throws {
        try await withFreshStore(backend) { store, _ in
            let one = ProcessingActivity(id: "a", name: "A", purposes: ["p"], legalBases: ["b"], dataSubjects: ["s"], dataCategories: ["d"],
                                         recipients: ["r"], retention: "t", security: ["x"], article: "art. 15")
            var two = one
            two.retention = "u"
            try await store.record(activities: [one])
            try await store.record(activities: [one, two])
            let versions = try await store.storedActivityVersions()
            #expect(versions.count == 2 && Set(versions.map(\.version)) == [one.version, two.version])
        }
    }
}
