import SQLKit
import SluisCovenant

/// The SWV's thuiszitterstafel list (Bijlage 3.3; verzuimprotocol hoofdstuk 5): putting a pupil
/// on it, reading it, changing an entry and taking a pupil off (afschaling). A pupil whose case
/// closed is off the list (issue 11 item 4): every read and change of the list looks at open
/// cases only, so closure needs nothing of its own here.
extension GatewayStore {
    /// What putting a pupil on the list came to; anything but `registered` wrote nothing.
    public enum TafelRegistration: Sendable, Equatable {
        case registered(TafelEntryRecord)
        /// The case is closed (art. 5.5) or gone.
        case caseClosed
        /// The pupil is on the list already (one entry on the list per case).
        case listedAlready
        /// The case has another case type; the list records the case's own.
        case caseTypeDiffers(String)
        /// The case has no type yet and the registrar may not set one (`mayTypeCase` false).
        case caseTypeMissing
    }

    /// Puts `entry` on the list (its `number` is given here) in one transaction that checks
    /// what it relies on — the case is open, not on the list, of `caseType` or of none yet
    /// (then it gets `caseType`) — and brings the case to the thuiszitterstafel: the forum, and
    /// the `conveners` (the SWV, which keeps the list) taking part with references of their own.
    /// The list numbers are handed out one at a time: on PostgreSQL the table is locked for the
    /// transaction, SQLite's write transaction is exclusive already.
    /// `mayTypeCase`: whether the registrar may give a case without a type its type (the
    /// authority to change a case's type, verzuimprotocol hoofdstuk 5); else such a case is refused.
    public func register(tafelEntry entry: TafelEntryRecord, caseType: String, mayTypeCase: Bool, conveners: [String]) async throws -> TafelRegistration {
        try await transaction { sql in
            if sql.dialect.name == "postgresql" { try await sql.raw("LOCK TABLE tafel_entries IN SHARE ROW EXCLUSIVE MODE").run() }
            guard let record = try await Self.case(entry.caseID, on: sql, lock: true), record.status == .open else { return .caseClosed }
            if let existing = record.caseType, existing != caseType { return .caseTypeDiffers(existing) }
            if record.caseType == nil && !mayTypeCase { return .caseTypeMissing }
            let listed = try await sql.raw("""
                SELECT id FROM tafel_entries WHERE case_id = \(bind: entry.caseID) AND left_at IS NULL
                """).first()
            guard listed == nil else { return .listedAlready }
            if record.caseType == nil {
                try await sql.raw("UPDATE cases SET case_type = \(bind: caseType) WHERE id = \(bind: record.id)").run()
            }
            var numbered = entry
            numbered.number = try await sql.raw("SELECT COALESCE(MAX(number), 0) + 1 AS n FROM tafel_entries").first()?
                .decode(column: "n", as: Int64.self) ?? 1
            try await sql.raw("""
                INSERT INTO tafel_entries (\(unsafeRaw: TafelEntryRecord.CodingKeys.list))
                VALUES (\(bind: numbered.id), \(bind: numbered.caseID), \(bind: numbered.number), \(bind: numbered.registeredBy),
                        \(bind: numbered.registeredDelegate), \(bind: numbered.registeredAt), \(bind: numbered.procesbewaker),
                        \(bind: numbered.summaryCipher), \(bind: numbered.summaryBy), \(bind: numbered.progressCipher), \(bind: numbered.progressBy),
                        NULL, NULL, NULL)
                """).run()
            try await Self.add(forum: .thuiszitterstafel, toCase: entry.caseID, since: entry.registeredAt, on: sql)
            for convener in conveners { try await Self.add(party: convener, toCase: entry.caseID, on: sql) }
            return .registered(numbered)
        }
    }

    /// The entries on the list of the open cases `unit` takes part in, by list number.
    public func tafelEntries(unit: String) async throws -> [TafelEntryRecord] {
        try await sql.raw("""
            SELECT \(unsafeRaw: TafelEntryRecord.CodingKeys.list) FROM tafel_entries
            WHERE left_at IS NULL AND case_id IN (
                SELECT c.id FROM cases c JOIN case_parties p ON p.case_id = c.id WHERE c.status = 'open' AND p.party = \(bind: unit))
            ORDER BY number
            """).all().map { try $0.decode(TafelEntryRecord.self, table: "tafel_entries") }
    }

    /// One entry, on the list or not.
    public func tafelEntry(_ id: String) async throws -> TafelEntryRecord? {
        try await Self.tafelEntry(id, on: sql)
    }

    static func tafelEntry(_ id: String, on sql: any SQLDatabase) async throws -> TafelEntryRecord? {
        try await sql.raw("SELECT \(unsafeRaw: TafelEntryRecord.CodingKeys.list) FROM tafel_entries WHERE id = \(bind: id)").first()?
            .decode(TafelEntryRecord.self, table: "tafel_entries")
    }

    /// What a change to an entry sets; nil leaves a column as it is.
    public struct TafelEntryChange: Sendable {
        public var summary: (cipher: String, by: String)?
        public var progress: (cipher: String, by: String)?
        /// A delegate id.
        public var procesbewaker: String?
        /// Afschaling: the reason, when and by which delegate.
        public var leaving: (reason: String, at: String, by: String)?

        public init() {}
    }

    /// Changes an entry in one statement that checks what it relies on: the entry is on the
    /// list and its case open, and a text changed is the writer's own — the description always
    /// has an author, the progress may have none yet (convenant art. 3.4 sub c: the supplier
    /// keeps control of its data). False when that does not hold: nothing was written.
    public func change(tafelEntry id: String, _ change: TafelEntryChange) async throws -> Bool {
        let update = sql.update("tafel_entries")
        if let summary = change.summary {
            update.set("summary_cipher", to: summary.cipher).set("summary_by", to: summary.by).where("summary_by", .equal, summary.by)
        }
        if let progress = change.progress {
            update.set("progress_cipher", to: progress.cipher).set("progress_by", to: progress.by)
                .where(group: { $0.where("progress_by", .is, SQLLiteral.null).orWhere("progress_by", .equal, progress.by) })
        }
        if let procesbewaker = change.procesbewaker { update.set("procesbewaker", to: procesbewaker) }
        if let leaving = change.leaving {
            update.set("left_reason", to: leaving.reason).set("left_at", to: leaving.at).set("left_by", to: leaving.by)
        }
        update.where("id", .equal, id).where("left_at", .is, SQLLiteral.null)
            .where(SQLRaw("case_id IN (SELECT id FROM cases WHERE status = 'open')"))
        return try await !update.returning("id").all().isEmpty
    }
}
