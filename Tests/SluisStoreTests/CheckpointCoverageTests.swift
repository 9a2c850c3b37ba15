import Foundation
import SQLKit
import Testing
@testable import SluisCrypto
@testable import SluisRegister
@testable import SluisStore

/// Every commit signs a checkpoint in the same transaction (`RegisterStore.write`), so an entry
/// no signed checkpoint covers, a non-empty register without checkpoints, or a head no signed
/// checkpoint vouches for can only be tampering (convenant art. 15; C2SP tlog-checkpoint).
/// What `verify` cannot see on its own — a rollback to an earlier signed state, or a rewrite
/// re-signed with the register's key — a checkpoint the FG saved earlier shows (RFC 9162 §2.1.4).
@Suite("Checkpoint coverage", .serialized)
struct CheckpointCoverageTests {
    static let changedSinceSaved = "the entries up to 40 do not hash to the saved checkpoint of size 40 — an entry at or before 39 was changed since it was saved"

    /// Entry 17 edited with its leaf hash, the tree nodes and the head recomputed, and every checkpoint deleted.
    static func rewriteWithoutCheckpoints(_ sql: any SQLDatabase) async throws {
        try await editEntry17(sql)
        try await recomputeTreeAndHead(sql)
        try await sql.raw("DELETE FROM register_checkpoints").run()
    }

    /// The head set back to the signed checkpoint of size 32 (size and root).
    static func headBackTo32(_ sql: any SQLDatabase) async throws {
        let earlier = try #require(try await sql.raw("SELECT root FROM register_checkpoints WHERE size = 32").first())
        try await sql.raw("UPDATE register_head SET size = 32, root = \(bind: try earlier.decode(column: "root", as: String.self)) WHERE id = 1").run()
    }

    @Test("Convenant art. 15: a forged entry appended after the last signed checkpoint, tree nodes and head recomputed, is named",
          arguments: Backend.available)
    func forgedTailEntry(backend: Backend) async throws {
        let outcome = try await tamper(backend) { sql in
            try await forgeEntry(sql, sampleEntry(40), at: 40)
            try await recomputeTreeAndHead(sql)
        }
        #expect(outcome.alone == "entry 40 stands beyond the newest signed checkpoint (size 40) — added outside a commit (forged)")
        #expect(outcome.againstSaved == outcome.alone)
    }

    @Test("Convenant art. 15: several forged tail entries are named as a range", arguments: Backend.available)
    func forgedTailEntries(backend: Backend) async throws {
        let outcome = try await tamper(backend) { sql in
            for index in Int64(40)..<43 { try await forgeEntry(sql, sampleEntry(Int(index)), at: index) }
            try await recomputeTreeAndHead(sql)
        }
        #expect(outcome.alone == "entries 40 to 42 stand beyond the newest signed checkpoint (size 40) — added outside a commit (forged)")
    }

    @Test("Convenant art. 15 and RFC 9162 §2.1.4 consistency: an edited register stripped of all its checkpoints fails on its own, and a saved checkpoint names the rewrite",
          arguments: Backend.available)
    func editedWithCheckpointsDeleted(backend: Backend) async throws {
        let outcome = try await tamper(backend, Self.rewriteWithoutCheckpoints)
        #expect(outcome.alone == "the register holds 40 entries but no signed checkpoint — its checkpoints were deleted")
        #expect(outcome.againstSaved == Self.changedSinceSaved)
    }

    @Test("RFC 9162 §2.1.4 consistency: a rewrite re-signed with the register's key passes on its own but not against a saved checkpoint",
          arguments: Backend.available)
    func rewriteResignedWithTheKey(backend: Backend) async throws {
        let outcome = try await tamper(backend) { sql in
            try await Self.rewriteWithoutCheckpoints(sql)
            let head = try #require(try await sql.raw("SELECT size, root FROM register_head WHERE id = 1").first())
            let root = try #require(Hex.decode(try head.decode(column: "root", as: String.self)))
            let signed = try testSigner.sign(Checkpoint(size: try head.decode(column: "size", as: Int64.self), root: root))
            try await sql.insert(into: "register_checkpoints").columns("size", "root", "signed").values(Int64(40), Hex.encode(root), signed).run()
        }
        #expect(outcome.alone == nil, "whoever holds the signing key can re-sign a rewrite; only a checkpoint saved outside the database shows it")
        #expect(outcome.againstSaved == Self.changedSinceSaved)
    }

    @Test("RFC 9162 §2.1.4 consistency: a rollback to an earlier signed state passes on its own but is named as truncation against a saved checkpoint",
          arguments: Backend.available)
    func rollbackToEarlierCheckpoint(backend: Backend) async throws {
        let outcome = try await tamper(backend) { sql in
            try await sql.raw("DELETE FROM register_entries WHERE idx >= 32").run()
            try await sql.raw("DELETE FROM register_checkpoints WHERE size > 32").run()
            try await Self.headBackTo32(sql)
        }
        #expect(outcome.alone == nil, "a consistent earlier state is indistinguishable without a saved checkpoint")
        #expect(outcome.againstSaved == "the log was truncated: the saved checkpoint covers 40 entries, only 32 are stored")
    }

    @Test("C2SP tlog-checkpoint: a head whose root differs from the signed checkpoint at its size is named", arguments: Backend.available)
    func headRootAltered(backend: Backend) async throws {
        let outcome = try await tamper(backend) { sql in
            try await sql.raw("UPDATE register_head SET root = \(bind: String(repeating: "ab", count: 32)) WHERE id = 1").run()
        }
        #expect(outcome.alone == "the head's root differs from the signed checkpoint at its size (40)")
    }

    @Test("C2SP tlog-checkpoint: a head rolled back behind the newest signed checkpoint is named", arguments: Backend.available)
    func headRolledBack(backend: Backend) async throws {
        let outcome = try await tamper(backend, Self.headBackTo32)
        #expect(outcome.alone == "the head states 32 entries, the newest signed checkpoint covers 40")
    }

    @Test("C2SP tlog-checkpoint: a head moved past the entries, with no checkpoint signed at its size, is named", arguments: Backend.available)
    func headAhead(backend: Backend) async throws {
        let outcome = try await tamper(backend) { sql in
            try await sql.raw("UPDATE register_head SET size = 45 WHERE id = 1").run()
        }
        #expect(outcome.alone == "the head states 45 entries, but no checkpoint is signed at that size — the head was altered")
    }

    @Test("RFC 9162 §2.1.4 consistency: a register that only grew since the saved checkpoint verifies against it", arguments: Backend.available)
    func grownSinceSaved(backend: Backend) async throws {
        try await withFreshStore(backend) { store, _ in
            _ = try await store.append(batch: (0..<13).map { sampleEntry($0) })
            let saved = try #require(try await store.latestCheckpoint())
            for n in 13..<30 { _ = try await store.append(sampleEntry(n)) }
            let report = try await RegisterVerifier.verify(store, verifier: testSigner.verifier, against: saved)
            #expect(report.problem == nil && report.entries == 30 && report.savedCheckpointSize == 13)
        }
    }

    @Test("C2SP tlog-checkpoint: a saved checkpoint signed with another key, or for another log, is named", arguments: Backend.available)
    func foreignSavedCheckpoint(backend: Backend) async throws {
        try await withFreshStore(backend) { store, _ in
            _ = try await store.append(batch: (0..<8).map { sampleEntry($0) })
            let latest = try Checkpoint.verify(try #require(try await store.latestCheckpoint()), verifier: testSigner.verifier)
            let other = try CheckpointSigner(name: Checkpoint.origin, key: PrivateKey.generateEd25519())
            let foreign = try await RegisterVerifier.verify(store, verifier: testSigner.verifier, against: try other.sign(latest))
            #expect(foreign.problem == "the saved checkpoint: the checkpoint carries no signature by \(Checkpoint.origin)")
            let otherLog = try testSigner.sign(Checkpoint(origin: "example.org/other-log", size: latest.size, root: latest.root))
            let elsewhere = try await RegisterVerifier.verify(store, verifier: testSigner.verifier, against: otherLog)
            #expect(elsewhere.problem?.hasPrefix("the saved checkpoint: the checkpoint is for another log (example.org/other-log)") == true, "\(elsewhere.problem ?? "")")
        }
    }

    @Test("Convenant art. 15: verify while another instance appends names no tampering (a commit's checkpoint lands with its entries)",
          arguments: Backend.available)
    func verifyWhileAppending(backend: Backend) async throws {
        try await withFreshStore(backend) { writer, location in
            _ = try await writer.append(batch: (0..<50).map { sampleEntry($0) })
            let reader = try await RegisterStore.open(location, signer: testSigner)
            do {
                let problems = try await withThrowingTaskGroup(of: [String?].self) { group in
                    group.addTask {
                        for n in 0..<300 { _ = try await writer.append(sampleEntry(n)) }
                        return []
                    }
                    group.addTask {
                        var problems: [String?] = []
                        for _ in 0..<15 { problems.append(try await RegisterVerifier.verify(reader, verifier: testSigner.verifier).problem) }
                        return problems
                    }
                    return try await group.reduce(into: [String?]()) { $0 += $1 }
                }
                #expect(problems.allSatisfy { $0 == nil }, "\(problems.compactMap { $0 })")
                try await reader.close()
            } catch {
                try? await reader.close()
                throw error
            }
        }
    }
}
