import Foundation
import SQLKit
import Testing
@testable import SluisCrypto
@testable import SluisRegister
@testable import SluisStore

/// Art. 15: nobody, the operator included, edits, reorders or drops an entry without `verify`
/// saying so — and saying what.
@Suite("Tamper detection", .serialized)
struct TamperDetectionTests {
    /// A register of 40 entries in several commits, and its raw SQL.
    func tampered(_ backend: Backend, _ change: (any SQLDatabase) async throws -> Void) async throws -> String? {
        try await tamper(backend, change).alone
    }

    @Test("Art. 15: a register whose stored tree was emptied does not open — it is reported, never a crash", arguments: Backend.available)
    func emptiedTreeIsReported(backend: Backend) async throws {
        try await withFreshStore(backend) { store, location in
            _ = try await store.append(batch: (0..<5).map { sampleEntry($0) })
            try await store.connection.sql.raw("DELETE FROM register_nodes").run()
            await #expect(throws: MerkleError.self) { _ = try await RegisterStore.open(location, signer: testSigner) }
        }
    }

    @Test("An edited entry is named", arguments: Backend.available)
    func editedEntry(backend: Backend) async throws {
        let problem = try await tampered(backend) { sql in
            let body = try await sql.raw("SELECT body FROM register_entries WHERE idx = 17").first()!.decode(column: "body", as: String.self)
            let edited = body.replacingOccurrences(of: "\"decision\":\"permit\"", with: "\"decision\":\"deny\"")
            try await sql.raw("UPDATE register_entries SET body = \(bind: edited), decision = 'deny' WHERE idx = 17").run()
        }
        #expect(problem == "entry 17: content does not match its leaf hash — edited")
    }

    @Test("An edited entry whose leaf hash and tree were recomputed too is caught by the signed checkpoints", arguments: Backend.available)
    func editedWithRecomputedHashes(backend: Backend) async throws {
        let problem = try await tampered(backend, editEntry17)
        #expect(problem == "the entries up to 24 do not hash to the signed checkpoint at size 24 — an entry at or before 23 was changed")
    }

    @Test("An edited filter column is named", arguments: Backend.available)
    func editedColumn(backend: Backend) async throws {
        let problem = try await tampered(backend) { sql in
            try await sql.raw("UPDATE register_entries SET recipient = 'horizon' WHERE idx = 9").run()
        }
        #expect(problem == "entry 9: column recipient differs from the entry's hashed content — edited")
    }

    @Test("Art. 6.1 sub e: a conflict-of-duties column set on an entry without the mark (or cleared on one with it) is named — the FG's filter reads it",
          arguments: Backend.available)
    func art6_1e_editedConflictOfDutiesColumn(backend: Backend) async throws {
        let problem = try await tampered(backend) { sql in
            try await sql.raw("UPDATE register_entries SET conflict_of_duties = 'healthData' WHERE idx = 9").run()
        }
        #expect(problem == "entry 9: column conflict_of_duties differs from the entry's hashed content — edited")
    }

    @Test("A deleted entry is named", arguments: Backend.available)
    func deletedEntry(backend: Backend) async throws {
        let problem = try await tampered(backend) { sql in try await sql.raw("DELETE FROM register_entries WHERE idx = 12").run() }
        #expect(problem == "entry 12 is missing (deleted)")
    }

    @Test("Swapped entries are named", arguments: Backend.available)
    func swappedEntries(backend: Backend) async throws {
        let problem = try await tampered(backend) { sql in
            let rows = try await sql.raw("SELECT idx, body, leaf FROM register_entries WHERE idx IN (20, 21) ORDER BY idx").all()
            let a = (try rows[0].decode(column: "body", as: String.self), try rows[0].decode(column: "leaf", as: String.self))
            let b = (try rows[1].decode(column: "body", as: String.self), try rows[1].decode(column: "leaf", as: String.self))
            try await sql.raw("UPDATE register_entries SET body = \(bind: b.0), leaf = \(bind: b.1) WHERE idx = 20").run()
            try await sql.raw("UPDATE register_entries SET body = \(bind: a.0), leaf = \(bind: a.1) WHERE idx = 21").run()
        }
        #expect(problem == "entry 20 holds the content of entry 21 — entries swapped or moved")
    }

    @Test("A truncated log is named, even with the head and checkpoints rolled back in step but one", arguments: Backend.available)
    func truncated(backend: Backend) async throws {
        let problem = try await tampered(backend) { sql in
            try await sql.raw("DELETE FROM register_entries WHERE idx >= 30").run()
            try await sql.raw("UPDATE register_head SET size = 30 WHERE id = 1").run()
        }
        #expect(problem == "the log was truncated: a signed checkpoint covers 40 entries, only 30 are stored")
    }

    @Test("A forged checkpoint is named", arguments: Backend.available)
    func forgedCheckpoint(backend: Backend) async throws {
        let problem = try await tampered(backend) { sql in
            let signed = try await sql.raw("SELECT signed FROM register_checkpoints WHERE size = 16").first()!.decode(column: "signed", as: String.self)
            let lines = signed.split(separator: "\n", omittingEmptySubsequences: false)
            let forgedRoot = Data([UInt8](repeating: 0xAB, count: 32)).base64EncodedString()
            let forged = ([lines[0], lines[1], Substring(forgedRoot)] + lines[3...]).joined(separator: "\n")
            try await sql.raw("UPDATE register_checkpoints SET signed = \(bind: forged) WHERE size = 16").run()
        }
        #expect(problem == "checkpoint at size 16: the checkpoint's signature is not valid (forged or altered)")
    }

    @Test("A checkpoint signed with another key is named", arguments: Backend.available)
    func foreignCheckpoint(backend: Backend) async throws {
        let other = try CheckpointSigner(name: Checkpoint.origin, key: PrivateKey.generateEd25519())
        let problem = try await tampered(backend) { sql in
            let text = try other.sign(Checkpoint(size: 16, root: [UInt8](repeating: 1, count: 32)))
            try await sql.raw("UPDATE register_checkpoints SET signed = \(bind: text) WHERE size = 16").run()
        }
        #expect(problem == "checkpoint at size 16: the checkpoint carries no signature by \(Checkpoint.origin)")
    }
}
