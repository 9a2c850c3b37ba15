import Foundation
public import SQLKit
import SluisCovenant

/// A table that holds data about the pupil of a case: its rows of one case, found by its own
/// `case_id` column or through the row they belong to (a consent's lists, a disclosure's lists).
public struct CaseBoundTable: Sendable, Equatable {
    public let table: String
    /// The column that names the case, or the row of `parent` the row belongs to.
    public let column: String
    /// The table whose `parentColumn` `column` names (its rows found by their `case_id`); nil
    /// when `column` names the case itself.
    public let parent: String?
    /// The column of `parent` that `column` names: its `id`, or for an agenda's sealed views the
    /// agenda of the pupil's agenda items (a view holds every pupil of its agenda).
    public let parentColumn: String

    init(_ table: String, _ column: String = "case_id", parent: String? = nil, parentColumn: String = "id") {
        self.table = table
        self.column = column
        self.parent = parent
        self.parentColumn = parentColumn
    }

    /// The condition selecting the rows of case `id`.
    func rows(of id: String) -> SQLQueryString {
        if let parent {
            return "\(ident: column) IN (SELECT \(ident: parentColumn) FROM \(ident: parent) WHERE case_id = \(bind: id))"
        }
        return "\(ident: column) = \(bind: id)"
    }
}

/// Closure and retention (convenant art. 5.5, 9.2, 9.3): the closed cases, the destruction of
/// one case's personal data in one transaction, and the tombstones it leaves (docs/retention.md).
extension GatewayStore {
    /// Every table that holds data about a case's pupil, in the order destruction empties them:
    /// a list before its row (the foreign keys of migrations 5 and 8), the case row (with the
    /// pupil key, the only input to the case's pseudonyms) last. A table added later with a
    /// `case_id` column belongs here — a test compares this list with the schema.
    public static let caseBoundTables: [CaseBoundTable] = [
        CaseBoundTable("disclosure_released", "disclosure_id", parent: "disclosures"),
        CaseBoundTable("disclosure_consents", "disclosure_id", parent: "disclosures"),
        CaseBoundTable("disclosure_justifications", "disclosure_id", parent: "disclosures"),
        CaseBoundTable("disclosures"),
        // A sealed view of an agenda or its minutes holds every pupil of the agenda and cannot be
        // cut: it goes whole with the first of its pupils' cases (docs/retention.md), before the
        // agenda items through which it is found.
        CaseBoundTable("tafel_delivery_consents"),
        CaseBoundTable("tafel_deliveries", "agenda_id", parent: "tafel_agenda_items", parentColumn: "agenda_id"),
        CaseBoundTable("tafel_minutes"),
        CaseBoundTable("tafel_agenda_items"),
        CaseBoundTable("tafel_entries"),
        CaseBoundTable("consent_recipients", "consent_id", parent: "consents"),
        CaseBoundTable("consent_fields", "consent_id", parent: "consents"),
        CaseBoundTable("consent_answers", "consent_id", parent: "consents"),
        CaseBoundTable("notices"),
        CaseBoundTable("rights_requests"),
        CaseBoundTable("case_restrictions"),
        CaseBoundTable("consents"),
        CaseBoundTable("sot_notes"),
        CaseBoundTable("sot_questions"),
        CaseBoundTable("informing"),
        CaseBoundTable("case_facts"),
        CaseBoundTable("case_forums"),
        CaseBoundTable("duo_melding_released", "melding_id", parent: "duo_meldingen"),
        CaseBoundTable("duo_meldingen"),
        CaseBoundTable("verzuimoverleg_links"),
        CaseBoundTable("case_pupil_keys"),
        CaseBoundTable("case_parties"),
        CaseBoundTable("cases", "id"),
    ]

    /// What an answered absence signal points at once its melding is destroyed: the school's
    /// own record that it answered the signal stays (its verzuimregistratie), the link to the
    /// case does not.
    public static let destroyedMelding = "vernietigd"

    /// The closed cases not destroyed yet, oldest closure first: what retention looks at, and
    /// what the thuiszitterstafel list leaves out (issue 11 item 1: closing takes the pupil off).
    public func closedCases() async throws -> [CaseRecord] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.caseColumns) FROM cases WHERE status = \(bind: CaseStatus.closed.rawValue) ORDER BY closed_at, id
            """).all().map { try $0.decode(CaseRecord.self, table: "cases") }
    }

    /// The open cases, oldest first (statistics, the FG's view of cases past the covenant's scope).
    public func openCases() async throws -> [CaseRecord] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.caseColumns) FROM cases WHERE status = \(bind: CaseStatus.open.rawValue) ORDER BY created, id
            """).all().map { try $0.decode(CaseRecord.self, table: "cases") }
    }

    public func tombstones() async throws -> [TombstoneRecord] {
        try await sql.raw("SELECT \(unsafeRaw: TombstoneRecord.CodingKeys.list) FROM case_tombstones ORDER BY closed_on, id").all()
            .map { try $0.decode(TombstoneRecord.self, table: "case_tombstones") }
    }

    /// How many rows of each case-bound table hold data of case `id` (a dry run).
    public func personalDataRows(caseID id: String) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for bound in Self.caseBoundTables {
            counts[bound.table] = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: bound.table) WHERE \(bound.rows(of: id))").first()?
                .decode(column: "n", as: Int.self) ?? 0
        }
        return counts
    }

    /// Why a destruction was not done; nothing was written.
    public enum DestructionRefusal: Error, Sendable, Equatable {
        /// The case is gone already (another instance destroyed it a moment earlier), or it is
        /// not closed, or its closure changed since it was judged due.
        case caseChanged
    }

    /// Destroys the personal data of closed case `id` on `sql` — inside the register append of
    /// its destruction entry, so the entry and every delete commit together or not at all:
    /// every row of `caseBoundTables` of the case is deleted (the case row, with the pupil key,
    /// last), the answered signals of its meldingen point at `destroyedMelding`, the audit log's
    /// lines about it keep who did what and when but no longer name the case, and `tombstone` is
    /// inserted. Checks first that the case is still there, closed at `closedAt`.
    /// Returns the rows deleted per table. Throws `DestructionRefusal.caseChanged`, or the
    /// database's error (a refused delete rolls back everything before it).
    public static func destroy(case id: String, closedAt: String, leaving tombstone: TombstoneRecord,
                               on sql: any SQLDatabase) async throws -> [String: Int] {
        guard let current = try await Self.case(id, on: sql, lock: true), current.status == .closed, current.closedAt == closedAt else {
            throw DestructionRefusal.caseChanged
        }
        try await sql.raw("""
            UPDATE duo_answered_signals SET melding_id = \(bind: destroyedMelding)
            WHERE melding_id IN (SELECT id FROM duo_meldingen WHERE case_id = \(bind: id))
            """).run()
        try await scrubAudit(caseID: id, on: sql)
        var counts: [String: Int] = [:]
        for bound in caseBoundTables {
            counts[bound.table] = try await sql.raw("DELETE FROM \(ident: bound.table) WHERE \(bound.rows(of: id)) RETURNING 1 AS gone").all().count
        }
        try await sql.raw("""
            INSERT INTO case_tombstones (\(unsafeRaw: TombstoneRecord.CodingKeys.list))
            VALUES (\(bind: tombstone.id), \(bind: tombstone.caseType), \(bind: tombstone.closureReason), \(bind: tombstone.openedQuarter),
                    \(bind: tombstone.closedOn), \(bind: tombstone.duration), \(bind: tombstone.destroyedOn))
            """).run()
        return counts
    }

    /// On SQLite, copies the write-ahead log into the database file and truncates it to zero
    /// bytes: the log still holds the pages as they were before a destruction (the file's own
    /// pages were zeroed by `secure_delete`). Nothing on PostgreSQL (docs/retention.md: its dead
    /// rows go with VACUUM). Best effort: a reader holding an old snapshot makes it wait.
    public func truncateWriteAheadLog() async throws {
        guard connection.kind == .sqlite else { return }
        _ = try await sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").all()
    }

    /// The audit log's lines about case `id` (`<action> case <id>[: <ids of its consents, meldingen, …>]`)
    /// become `<action> case vernietigd (convenant art. 9.2)`: who did what and when stays
    /// for the security log (art. 10, Bijlage 2), the link to the case and its rows goes.
    static func scrubAudit(caseID id: String, on sql: any SQLDatabase) async throws {
        let pattern = "%case " + id.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        let rows = try await sql.raw("SELECT id, detail FROM audit_log WHERE detail LIKE \(bind: pattern) ESCAPE '\\'").all()
        for row in rows {
            let detail = try row.decode(column: "detail", as: String.self)
            guard let range = detail.range(of: "case " + id) else { continue }
            try await sql.raw("""
                UPDATE audit_log SET detail = \(bind: String(detail[..<range.lowerBound]) + "case vernietigd (convenant art. 9.2)")
                WHERE id = \(bind: try row.decode(column: "id", as: String.self))
                """).run()
        }
    }
}
