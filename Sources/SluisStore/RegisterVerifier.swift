import SluisCrypto
import SluisRegister
import SQLKit

/// Recomputes the whole register from the stored entries and checks it against everything the
/// store claims — stored leaf hashes, stored tree nodes, the head, and every signed checkpoint
/// — and names the first thing that does not match (`sluis register verify`).
public struct RegisterVerifier {
    public struct Report: Sendable, Equatable {
        public var entries: Int64
        public var checkpoints: Int
        public var root: [UInt8]
        /// Nil when everything matched.
        public var problem: String?
    }

    public static let pageSize = 10_000

    public static func verify(_ store: RegisterStore, verifier: CheckpointSigner.Verifier) async throws -> Report {
        let sql = await store.sql
        let hasher = try SHA256Hasher()
        var frontier = MerkleFrontier()
        var report = Report(entries: 0, checkpoints: 0, root: [], problem: nil)
        func fail(_ problem: String) -> Report {
            report.problem = problem
            report.root = frontier.root(hasher)
            return report
        }

        // Checkpoints first: each must carry a valid signature.
        var checkpoints: [Int64: Checkpoint] = [:]
        for (size, signed) in try await store.checkpoints() {
            do {
                let checkpoint = try Checkpoint.verify(signed, verifier: verifier)
                guard checkpoint.size == size else { return fail("checkpoint stored at size \(size) states size \(checkpoint.size) (forged)") }
                checkpoints[size] = checkpoint
            } catch {
                return fail("checkpoint at size \(size): \(error)")
            }
        }
        report.checkpoints = checkpoints.count

        // Then every entry in order: position, canonical body, leaf, and the tree as it grows.
        var expected: Int64 = 0
        while true {
            let rows = try await sql.raw("""
                SELECT idx, time, trace_id, activity, activity_version, operation, sender, recipient, decision, subject, leaf, body
                FROM register_entries WHERE idx >= \(bind: expected) ORDER BY idx LIMIT \(bind: pageSize)
                """).all()
            if rows.isEmpty { break }
            for row in rows {
                let index = try row.decode(column: "idx", as: Int64.self)
                if index != expected {
                    return fail(index > expected ? "entry \(expected) is missing (deleted)" : "entry \(index) appears twice")
                }
                let body = Array(try row.decode(column: "body", as: String.self).utf8)
                let entry: RegisterEntry
                do {
                    entry = try RegisterEntry.decode(canonical: body)
                } catch {
                    return fail("entry \(index): its content is not a valid register entry (\(error)) — edited")
                }
                if entry.index != index {
                    return fail("entry \(index) holds the content of entry \(entry.index) — entries swapped or moved")
                }
                let columns: [(String, String?, String?)] = [
                    ("time", try row.decode(column: "time", as: String?.self), entry.time),
                    ("trace_id", try row.decode(column: "trace_id", as: String?.self), entry.traceID),
                    ("activity", try row.decode(column: "activity", as: String?.self), entry.activity),
                    ("activity_version", try row.decode(column: "activity_version", as: String?.self), entry.activityVersion),
                    ("operation", try row.decode(column: "operation", as: String?.self), entry.operation),
                    ("sender", try row.decode(column: "sender", as: String?.self), entry.sender),
                    ("recipient", try row.decode(column: "recipient", as: String?.self), entry.recipient),
                    ("decision", try row.decode(column: "decision", as: String?.self), entry.decision),
                    ("subject", try row.decode(column: "subject", as: String?.self), entry.subject),
                ]
                for (column, stored, content) in columns where stored != content {
                    return fail("entry \(index): column \(column) differs from the entry's hashed content — edited")
                }
                let leaf = MerkleTree.leafHash(body, hasher)
                if Hex.encode(leaf) != (try row.decode(column: "leaf", as: String.self)) {
                    return fail("entry \(index): content does not match its leaf hash — edited")
                }
                _ = frontier.append(leafHash: leaf, hasher)
                expected += 1
                if let checkpoint = checkpoints[expected], checkpoint.root != frontier.root(hasher) {
                    return fail("the entries up to \(expected) do not hash to the signed checkpoint at size \(expected) — an entry at or before \(expected - 1) was changed")
                }
            }
        }
        report.entries = expected

        // A checkpoint for more entries than exist means the log was cut short.
        if let largest = checkpoints.keys.max(), largest > expected {
            return fail("the log was truncated: a signed checkpoint covers \(largest) entries, only \(expected) are stored")
        }
        // The stored head and tree nodes must agree with the recomputation.
        let head = try await sql.raw("SELECT size, root FROM register_head WHERE id = 1").first()
        let headSize = try head?.decode(column: "size", as: Int64.self) ?? 0
        let headRoot = try head?.decode(column: "root", as: String.self) ?? ""
        if headSize != expected { return fail("the head states \(headSize) entries, \(expected) are stored") }
        if headRoot != Hex.encode(frontier.root(hasher)) { return fail("the head's root differs from the recomputed root") }
        let stored = try await store.fetchNodes(MerkleFrontier.requiredSubtrees(size: expected))
        if (try? MerkleFrontier(size: expected, stored)) != frontier {
            return fail("the stored tree nodes differ from the recomputed tree")
        }
        report.root = frontier.root(hasher)
        return report
    }
}
