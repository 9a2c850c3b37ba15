import Foundation
import SQLKit
import Testing
@testable import SluisCrypto
@testable import SluisRegister
@testable import SluisStore

/// What `verify` says about a register changed behind the store's back: on its own, and
/// against the checkpoint the FG saved before the change (`sluis register verify --against`).
struct TamperOutcome {
    var alone: String?
    var againstSaved: String?
}

/// A register of 40 entries in five commits (signed checkpoints at 8, 16, 24, 32 and 40), the
/// checkpoint of size 40 saved as the FG would, then `change` through raw SQL.
func tamper(_ backend: Backend, _ change: (any SQLDatabase) async throws -> Void) async throws -> TamperOutcome {
    try await withFreshStore(backend) { store, _ in
        for batch in 0..<5 { _ = try await store.append(batch: (0..<8).map { sampleEntry(batch * 8 + $0) }) }
        #expect(try await RegisterVerifier.verify(store, verifier: testSigner.verifier).problem == nil)
        let saved = try #require(try await store.latestCheckpoint())
        try await change(store.connection.sql)
        return TamperOutcome(alone: try await RegisterVerifier.verify(store, verifier: testSigner.verifier).problem,
                             againstSaved: try await RegisterVerifier.verify(store, verifier: testSigner.verifier, against: saved).problem)
    }
}

/// What an attacker with write access does after changing entries: recompute every tree node
/// and the head from the stored leaves, so that only a signed root can tell.
func recomputeTreeAndHead(_ sql: any SQLDatabase) async throws {
    let hasher = try SHA256Hasher()
    var frontier = MerkleFrontier()
    try await sql.raw("DELETE FROM register_nodes").run()
    for row in try await sql.raw("SELECT leaf FROM register_entries ORDER BY idx").all() {
        let leaf = try #require(Hex.decode(try row.decode(column: "leaf", as: String.self)))
        for node in frontier.append(leafHash: leaf, hasher) {
            try await sql.insert(into: "register_nodes").columns("level", "idx", "hash").values(node.level, node.index, Hex.encode(node.hash)).run()
        }
    }
    try await sql.raw("UPDATE register_head SET size = \(bind: frontier.size), root = \(bind: Hex.encode(frontier.root(hasher))) WHERE id = 1").run()
}

/// Writes `entry` at `index` with its columns and leaf hash, as the store would — but without a commit's checkpoint.
func forgeEntry(_ sql: any SQLDatabase, _ draft: RegisterEntry, at index: Int64) async throws {
    var entry = draft
    entry.index = index
    let body = entry.canonicalJSON
    let leaf = MerkleTree.leafHash(body, try SHA256Hasher())
    try await sql.insert(into: "register_entries")
        .columns("idx", "time", "trace_id", "activity", "activity_version", "operation", "sender", "recipient", "decision", "subject", "leaf", "body")
        .values(index, entry.time, entry.traceID, entry.activity, entry.activityVersion, entry.operation, entry.sender, entry.recipient,
                entry.decision, entry.subject, Hex.encode(leaf), String(decoding: body, as: UTF8.self))
        .run()
}

/// Changes entry 17's decision and rewrites its leaf hash to match (the tree is left to the caller).
func editEntry17(_ sql: any SQLDatabase) async throws {
    let body = try await sql.raw("SELECT body FROM register_entries WHERE idx = 17").first()!.decode(column: "body", as: String.self)
    let edited = body.replacingOccurrences(of: "\"decision\":\"permit\"", with: "\"decision\":\"deny\"")
    let leaf = Hex.encode(MerkleTree.leafHash(Array(edited.utf8), try SHA256Hasher()))
    try await sql.raw("UPDATE register_entries SET body = \(bind: edited), decision = 'deny', leaf = \(bind: leaf) WHERE idx = 17").run()
}
