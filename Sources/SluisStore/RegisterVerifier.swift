import SluisCrypto
public import SluisRegister
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
        /// The size of the saved checkpoint the register was checked against, when it matched.
        public var savedCheckpointSize: Int64? = nil
        /// The recomputed tree's right edge after `entries`: where a later check resumes.
        public var frontier = MerkleFrontier()
    }

    public static let pageSize = 20_000

    struct CheckedRow: Sendable {
        let index: Int64
        let leaf: [UInt8]
        let problem: String?
    }

    static func fetchPage(_ sql: any SQLDatabase, after: Int64) async throws -> [any SQLRow] {
        try await sql.raw("""
            SELECT idx, time, trace_id, activity, activity_version, operation, sender, recipient, decision, subject, leaf, body,
                   conflict_of_duties
            FROM register_entries WHERE idx > \(bind: after) ORDER BY idx LIMIT \(bind: pageSize)
            """).all()
    }

    /// Checks each row on its own: its body is a register entry for this position, its
    /// columns say what its body says, and its stored leaf hash is the body's.
    static func checkRows(_ rows: [any SQLRow]) async throws -> [CheckedRow] {
        let hasher = try SHA256Hasher()
        return try rows.map { row in
            let index = try row.decode(column: "idx", as: Int64.self)
            let body = Array(try row.decode(column: "body", as: String.self).utf8)
            let leaf = MerkleTree.leafHash(body, hasher)
            func problem(_ text: String) -> CheckedRow { CheckedRow(index: index, leaf: leaf, problem: text) }
            let entry: RegisterEntry
            do {
                // The body's bytes are hashed into signed checkpoints: re-encoding is not needed here.
                entry = try RegisterEntry.decode(canonical: body, checkCanonical: false)
            } catch {
                return problem("entry \(index): its content is not a valid register entry (\(error)) — edited")
            }
            if entry.index != index {
                return problem("entry \(index) holds the content of entry \(entry.index) — entries swapped or moved")
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
                // Art. 6.1 sub e: cleared, it would hide a conflict of duties from the FG's filter.
                ("conflict_of_duties", try row.decode(column: "conflict_of_duties", as: String?.self), entry.conflictOfDutiesColumn),
            ]
            for (column, stored, content) in columns where stored != content {
                return problem("entry \(index): column \(column) differs from the entry's hashed content — edited")
            }
            if Hex.encode(leaf) != (try row.decode(column: "leaf", as: String.self)) {
                return problem("entry \(index): content does not match its leaf hash — edited")
            }
            return CheckedRow(index: index, leaf: leaf, problem: nil)
        }
    }

    /// Verifies the register; with `saved` (the signed text of a checkpoint the FG kept, as
    /// `sluis register checkpoint` prints it), also that the register still holds the history
    /// it signed: the first `saved.size` entries hash to its root (RFC 9162 §2.1.4 — by
    /// recomputation, so nothing the database stores is trusted).
    ///
    /// `resuming`: an earlier report that found nothing — the check goes on from its `entries`
    /// and `frontier`, reading only the entries and checkpoints added since (each view of the
    /// FG's integrity page; docs/pages.md). What it already covered is not read again, so an
    /// entry edited in place before that point shows only in a whole check; ignored with `saved`.
    public static func verify(_ store: RegisterStore, verifier: CheckpointSigner.Verifier, against saved: String? = nil,
                              resuming earlier: Report? = nil) async throws -> Report {
        let sql = await store.sql
        let hasher = try SHA256Hasher()
        let start = saved == nil && earlier?.problem == nil ? earlier : nil
        var frontier = start?.frontier ?? MerkleFrontier()
        var report = Report(entries: 0, checkpoints: 0, root: [], problem: nil)
        func fail(_ problem: String) -> Report {
            report.problem = problem
            report.root = frontier.root(hasher)
            return report
        }

        // The saved checkpoint and every stored one must carry the register's signature.
        var savedCheckpoint: Checkpoint?
        if let saved {
            switch checkSaved(saved, verifier: verifier) {
            case .success(let checkpoint): savedCheckpoint = checkpoint
            case .failure(let finding): return fail(finding.text)
            }
        }
        var checkpoints: [Int64: Checkpoint] = [:]
        if let finding = try await readCheckpoints(store, verifier, after: start?.entries ?? -1, into: &checkpoints) { return fail(finding) }
        let newestAtStart = checkpoints.keys.max() ?? start?.entries ?? 0
        // The recomputed root at `size` against the stored and the saved checkpoint of that size.
        func mismatch(at size: Int64) -> String? {
            let signed = checkpoints[size], kept = savedCheckpoint?.size == size ? savedCheckpoint : nil
            guard signed != nil || kept != nil else { return nil }
            let root = frontier.root(hasher)
            if let signed, signed.root != root {
                return "the entries up to \(size) do not hash to the signed checkpoint at size \(size) — an entry at or before \(size - 1) was changed"
            }
            if let kept, kept.root != root {
                return "the entries up to \(size) do not hash to the saved checkpoint of size \(size) — an entry at or before \(size - 1) was changed since it was saved"
            }
            return nil
        }
        var expected: Int64 = start?.entries ?? 0
        if let finding = mismatch(at: expected) { return fail(finding) }

        // Then every entry in order: position, body, columns, leaf, and the tree as it grows.
        // Rows are checked on both cores while the next page is read; the tree is built in order.
        var page = try await fetchPage(sql, after: expected - 1)
        while !page.isEmpty {
            let lastIndex = try page[page.count - 1].decode(column: "idx", as: Int64.self)
            async let nextPage = fetchPage(sql, after: lastIndex)
            let half = page.count / 2
            let firstHalf = Array(page[..<half]), secondHalf = Array(page[half...])
            async let checkedFirst = checkRows(firstHalf)
            async let checkedSecond = checkRows(secondHalf)
            let checked = try await checkedFirst + checkedSecond
            for row in checked {
                if row.index != expected {
                    return fail(row.index > expected ? "entry \(expected) is missing (deleted)" : "entry \(row.index) appears twice")
                }
                if let problem = row.problem { return fail(problem) }
                _ = frontier.append(leafHash: row.leaf, hasher)
                expected += 1
                if let finding = mismatch(at: expected) { return fail(finding) }
            }
            page = try await nextPage
        }
        report.entries = expected

        // Entries committed while the scan ran brought their checkpoint in the same transaction.
        if expected > newestAtStart {
            if let finding = try await readCheckpoints(store, verifier, after: newestAtStart, through: expected, into: &checkpoints) {
                return fail(finding)
            }
            if let finding = mismatch(at: expected) { return fail(finding) }
        }
        report.checkpoints = (start?.checkpoints ?? 0) + checkpoints.count
        // Every entry under a signed checkpoint, no checkpoint beyond the entries, and a head
        // that a signed checkpoint vouches for.
        if let finding = coverageProblem(entries: expected, newest: checkpoints.keys.max() ?? start?.entries, saved: savedCheckpoint?.size) {
            return fail(finding)
        }
        if let finding = try await headProblem(sql, verifier, entries: expected, root: frontier.root(hasher)) { return fail(finding) }
        // The stored tree nodes must agree with the recomputation.
        let stored = try await store.fetchNodes(MerkleFrontier.requiredSubtrees(size: expected))
        if (try? MerkleFrontier(size: expected, stored)) != frontier {
            return fail("the stored tree nodes differ from the recomputed tree")
        }
        report.root = frontier.root(hasher)
        report.savedCheckpointSize = savedCheckpoint?.size
        report.frontier = frontier
        return report
    }
}
