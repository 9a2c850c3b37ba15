import Foundation
import SluisCrypto
public import SluisRegister
public import SQLKit

/// The processing register on disk (art. 15): append-only entries under a Merkle tree, with a
/// signed checkpoint after every commit. Appends are group-committed: callers wait until their
/// entry is durably committed (fsync on SQLite), and entries arriving meanwhile share the next
/// commit. An entry that cannot be written is never acknowledged — the caller must then not
/// disclose (fail closed).
public actor RegisterStore {
    public let connection: StoreConnection
    /// On PostgreSQL a second connection for the inclusion proofs of receipts: on `connection`
    /// they would queue between the statements of the open append transaction, lengthening the
    /// time the head row is locked (docs/performance.md, "PostgreSQL and a second instance").
    private var reader: StoreConnection?
    private let signer: CheckpointSigner
    private let hasher: SHA256Hasher
    private var frontier = MerkleFrontier()
    /// The size of the newest tree known committed (the frontier runs ahead inside a commit).
    private var committedSize: Int64 = 0
    private var pending: [(entries: [RegisterEntry], companion: GroupCompanion?, continuation: CheckedContinuation<[AppendReceipt], any Error>)] = []

    /// Work that must commit together with an entry, or not at all — e.g. placing a bundle in
    /// the recipient's mailbox (a disclosure whose entry cannot be written is not delivered),
    /// or re-checking the facts a decision rested on. It runs inside the append's transaction on
    /// the register's connection, with the entry's index, in a savepoint of its own: if it
    /// throws, its writes are rolled back, its entry is not appended and its caller gets the
    /// error; the other entries of the same commit are not affected. Register transactions are
    /// serialized (the head row is locked; SQLite takes the write lock at BEGIN), so what a
    /// companion checks cannot change before its commit — also across gateway instances.
    public typealias Companion = @Sendable (any SQLDatabase, Int64) async throws -> Void
    /// The companion of a group of entries (`append(group:companion:)`): the same, with the
    /// indices of all the group's entries, in order.
    public typealias GroupCompanion = @Sendable (any SQLDatabase, [Int64]) async throws -> Void
    private var flushing = false
    public static let maxBatch = 1000

    /// What an append returns: the entry's position, leaf hash and the signed checkpoint of the
    /// commit that included it. `inclusionProof(index:size:)` proves it against that checkpoint.
    public struct AppendReceipt: Sendable, Equatable {
        public let index: Int64
        public let leafHash: [UInt8]
        public let treeSize: Int64
        public let root: [UInt8]
        public let checkpoint: String
    }

    public static func open(_ location: DatabaseLocation, signer: CheckpointSigner) async throws -> RegisterStore {
        let connection = try await StoreConnection.open(location)
        // A register that cannot be opened (a damaged tree, say) is reported, and its
        // connection closed: never left to a deinit that traps.
        do {
            try await Migrations.apply(connection)
            let store = try RegisterStore(connection: connection, signer: signer)
            try await store.reloadFrontier()
            if connection.kind == .postgres { await store.setReader(try await StoreConnection.open(location)) }
            return store
        } catch {
            try? await connection.close()
            throw error
        }
    }

    init(connection: StoreConnection, signer: CheckpointSigner) throws {
        self.connection = connection
        self.signer = signer
        hasher = try SHA256Hasher()
    }

    private func setReader(_ reader: StoreConnection) { self.reader = reader }

    public func close() async throws {
        try? await reader?.close()
        reader = nil
        try await connection.close()
    }

    var sql: any SQLDatabase { connection.sql }

    // MARK: Appending

    /// Appends one entry (its `index` is assigned here) and returns once it is committed.
    public func append(_ entry: RegisterEntry, companion: Companion? = nil) async throws -> AppendReceipt {
        try await append(group: [entry], companion: Self.group(companion))[0]
    }

    /// A one-entry companion as the companion of a group of one.
    public static func group(_ companion: Companion?) -> GroupCompanion? {
        guard let companion else { return nil }
        return { sql, indices in try await companion(sql, indices[0]) }
    }

    /// Appends entries that stand or fall together — e.g. one list disclosed to two recipients
    /// (Bijlage 3.1 sub 1): numbered consecutively in the same commit, with one companion that
    /// gets all their indices. If the companion throws, none of them is appended and the caller
    /// gets the error; otherwise all are, and the receipts come in the order given.
    public func append(group entries: [RegisterEntry], companion: GroupCompanion? = nil) async throws -> [AppendReceipt] {
        guard !entries.isEmpty else { return [] }
        return try await withCheckedThrowingContinuation { continuation in
            pending.append((entries, companion, continuation))
            if !flushing {
                flushing = true
                Task { await self.flush() }
            }
        }
    }

    /// Appends many entries in one commit (imports, benchmarks).
    public func append(batch entries: [RegisterEntry]) async throws -> [AppendReceipt] {
        try await write(entries.map { ([$0], nil) }).map { try $0.get()[0] }
    }

    private func flush() async {
        while !pending.isEmpty {
            // Up to `maxBatch` entries a commit, and at least one group (a group is never split).
            var count = 0
            let batch = Array(pending.prefix { group in
                defer { count += group.entries.count }
                return count == 0 || count + group.entries.count <= Self.maxBatch
            })
            pending.removeFirst(batch.count)
            do {
                let results = try await write(batch.map { ($0.entries, $0.companion) })
                for (item, result) in zip(batch, results) { item.continuation.resume(with: result) }
            } catch {
                for item in batch { item.continuation.resume(throwing: error) }
            }
        }
        flushing = false
    }

    private func write(_ items: [(entries: [RegisterEntry], companion: GroupCompanion?)]) async throws -> [Result<[AppendReceipt], any Error>] {
        guard !items.isEmpty else { return [] }
        let results: [Result<[AppendReceipt], any Error>] = try await connection.transaction {
            // Another gateway instance may have appended since: the head row decides.
            let lock = connection.kind == .postgres ? " FOR UPDATE" : ""
            let head = try await sql.raw(SQLQueryString("SELECT size FROM register_head WHERE id = 1" + lock)).first()
            let size = try head?.decode(column: "size", as: Int64.self) ?? 0
            if size != frontier.size { try await reloadFrontier(size: size) }
            // Companions first, in order, each in its own savepoint: a group whose companion
            // refuses is left out whole, and the entries after it move up. A savepoint is not
            // released: the next one of the same name nests in it and ROLLBACK TO undoes only the
            // newest (SQLite and PostgreSQL alike), COMMIT keeps all — a statement less per
            // companion inside the head row's lock (docs/performance.md).
            var failures: [Int: any Error] = [:]
            var entries: [RegisterEntry] = []
            for (position, item) in items.enumerated() {
                if let companion = item.companion {
                    try await sql.raw("SAVEPOINT sluis_companion").run()
                    do {
                        try await companion(sql, item.entries.indices.map { size + Int64(entries.count + $0) })
                    } catch {
                        try await sql.raw("ROLLBACK TO SAVEPOINT sluis_companion").run()
                        failures[position] = error
                        continue
                    }
                }
                entries.append(contentsOf: item.entries)
            }
            var working = frontier
            var rows: [[any SQLExpression]] = [], nodeRows: [[any SQLExpression]] = []
            var leaves: [[UInt8]] = []
            for (offset, draft) in entries.enumerated() {
                var entry = draft
                entry.index = size + Int64(offset)
                let body = entry.canonicalJSON
                let leaf = MerkleTree.leafHash(body, hasher)
                leaves.append(leaf)
                let values: [any Encodable & Sendable] = [
                    entry.index, entry.time, entry.traceID, entry.activity, entry.activityVersion, entry.operation,
                    entry.sender, entry.recipient, entry.decision, entry.subject, Hex.encode(leaf), String(decoding: body, as: UTF8.self),
                    entry.conflictOfDutiesColumn,
                ]
                rows.append(values.map { SQLBind($0) })
                for node in working.append(leafHash: leaf, hasher) {
                    nodeRows.append([SQLBind(node.level), SQLBind(node.index), SQLBind(Hex.encode(node.hash))])
                }
            }
            // Stay well below both databases' bind-parameter limits.
            for chunk in stride(from: 0, to: rows.count, by: 500) {
                try await sql.insert(into: "register_entries")
                    .columns("idx", "time", "trace_id", "activity", "activity_version", "operation", "sender", "recipient",
                             "decision", "subject", "leaf", "body", "conflict_of_duties")
                    .rows(rows[chunk..<min(chunk + 500, rows.count)])
                    .run()
            }
            for chunk in stride(from: 0, to: nodeRows.count, by: 1000) {
                try await sql.insert(into: "register_nodes").columns("level", "idx", "hash")
                    .rows(nodeRows[chunk..<min(chunk + 1000, nodeRows.count)]).run()
            }
            guard !entries.isEmpty else { return items.indices.map { .failure(failures[$0]!) } }
            let root = working.root(hasher)
            let signed = try signer.sign(Checkpoint(size: working.size, root: root))
            try await sql.insert(into: "register_checkpoints").columns("size", "root", "signed")
                .values(working.size, Hex.encode(root), signed).run()
            try await sql.raw("UPDATE register_head SET size = \(bind: working.size), root = \(bind: Hex.encode(root)) WHERE id = 1").run()
            frontier = working
            var receipts = leaves.enumerated().map { offset, leaf in
                AppendReceipt(index: size + Int64(offset), leafHash: leaf, treeSize: working.size, root: root, checkpoint: signed)
            }.makeIterator()
            return items.enumerated().map { position, item in
                failures[position].map { .failure($0) } ?? .success(item.entries.map { _ in receipts.next()! })
            }
        }
        committedSize = frontier.size
        return results
    }

    private func reloadFrontier(size: Int64? = nil) async throws {
        let current: Int64
        if let size {
            current = size
        } else {
            current = try await sql.raw("SELECT size FROM register_head WHERE id = 1").first()?.decode(column: "size", as: Int64.self) ?? 0
        }
        let source = try await fetchNodes(MerkleFrontier.requiredSubtrees(size: current))
        frontier = try MerkleFrontier(size: current, source)
        committedSize = max(committedSize, current)
    }

    // MARK: Reading

    /// The verifier key of the register's signer.
    public nonisolated func signerVerifier() -> CheckpointSigner.Verifier { signer.verifier }

    /// `RegisterVerifier.verify` with this store's own verifier key.
    public func verifyAll() async throws -> RegisterVerifier.Report {
        try await RegisterVerifier.verify(self, verifier: signer.verifier)
    }

    public var size: Int64 { frontier.size }

    /// The latest signed checkpoint, or nil for an empty register.
    public func latestCheckpoint() async throws -> String? {
        try await sql.raw("SELECT signed FROM register_checkpoints ORDER BY size DESC LIMIT 1").first()?
            .decode(column: "signed", as: String.self)
    }

    /// The stored checkpoints with `after < size ≤ through` (default: all), by size.
    public func checkpoints(after: Int64 = -1, through: Int64 = .max) async throws -> [(size: Int64, signed: String)] {
        try await sql.raw("""
            SELECT size, signed FROM register_checkpoints WHERE size > \(bind: after) AND size <= \(bind: through) ORDER BY size
            """).all().map {
            (try $0.decode(column: "size", as: Int64.self), try $0.decode(column: "signed", as: String.self))
        }
    }

    /// Fetches the given perfect subtrees in one query (on `sql`, default the register's connection).
    func fetchNodes(_ wanted: [(level: Int, index: Int64)], on sql: (any SQLDatabase)? = nil) async throws -> DictionarySubtreeSource {
        let sql = sql ?? self.sql
        var source = DictionarySubtreeSource()
        for chunk in stride(from: 0, to: wanted.count, by: 200) {
            let part = wanted[chunk..<min(chunk + 200, wanted.count)]
            var query = SQLQueryString("SELECT level, idx, hash FROM register_nodes WHERE ")
            for (offset, node) in part.enumerated() {
                if offset > 0 { query.appendLiteral(" OR ") }
                query.appendInterpolation(unsafeRaw: "(level = ")
                query.appendInterpolation(bind: node.level)
                query.appendInterpolation(unsafeRaw: " AND idx = ")
                query.appendInterpolation(bind: node.index)
                query.appendInterpolation(unsafeRaw: ")")
            }
            for row in try await sql.raw(query).all() {
                guard let hash = Hex.decode(try row.decode(column: "hash", as: String.self)) else {
                    throw StoreError.integrity("a stored tree node is not hex")
                }
                source.nodes[.init(level: try row.decode(column: "level", as: Int.self), index: try row.decode(column: "idx", as: Int64.self))] = hash
            }
        }
        return source
    }

    /// The inclusion proof of entry `index` in the tree of `size` entries (default: current).
    public func inclusionProof(index: Int64, size: Int64? = nil) async throws -> [[UInt8]] {
        let size = size ?? frontier.size
        let recorder = RecordingSubtreeSource()
        _ = try MerkleTree.inclusionProof(index: index, size: size, recorder, hasher)
        // Committed nodes only (size ≤ a committed checkpoint's), so the reader sees them all.
        let nodes = try await fetchNodes(recorder.requested, on: size <= committedSize ? reader?.sql : nil)
        return try MerkleTree.inclusionProof(index: index, size: size, nodes, hasher)
    }

    /// The consistency proof from a tree of `old` entries to one of `new` (default: current).
    public func consistencyProof(old: Int64, new: Int64? = nil) async throws -> [[UInt8]] {
        let new = new ?? frontier.size
        let recorder = RecordingSubtreeSource()
        _ = try MerkleTree.consistencyProof(old: old, new: new, recorder, hasher)
        return try MerkleTree.consistencyProof(old: old, new: new, try await fetchNodes(recorder.requested), hasher)
    }

    /// One stored entry and its leaf hash, by index.
    public func entry(_ index: Int64) async throws -> (entry: RegisterEntry, leaf: [UInt8])? {
        guard let row = try await sql.raw("SELECT body, leaf FROM register_entries WHERE idx = \(bind: index)").first() else { return nil }
        let body = Array(try row.decode(column: "body", as: String.self).utf8)
        guard let leaf = Hex.decode(try row.decode(column: "leaf", as: String.self)) else { throw StoreError.integrity("leaf of entry \(index)") }
        return (try RegisterEntry.decode(canonical: body), leaf)
    }
}

extension MerkleFrontier {
    /// The perfect subtrees that make up the right edge of a tree of `size` leaves.
    public static func requiredSubtrees(size: Int64) -> [(level: Int, index: Int64)] {
        (0..<64).filter { (size >> $0) & 1 == 1 }.map { level in (level, ((size >> (level + 1)) << (level + 1)) >> level) }
    }
}
