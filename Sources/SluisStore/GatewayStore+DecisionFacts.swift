import Foundation
public import SluisCovenant
public import SQLKit

/// The facts a disclosure decision rests on, in one statement: read once to decide and again
/// inside the commit (a check and the write it guards in one transaction; convenant art. 6.1,
/// 11.5, 12.1; AVG art. 18 lid 2). One statement instead of six on both databases: on
/// PostgreSQL each is a round trip (docs/performance.md, "PostgreSQL and a second instance").
extension GatewayStore {
    /// Everything a disclosure decision reads from the store about a case and its sender. The
    /// gateway reads it to decide, and reads it again inside the transaction that commits the
    /// disclosure: if anything changed meanwhile (a consent revoked, the case closed, a DUO
    /// melding recorded), the commit is refused and the decision taken again.
    public struct DecisionFacts: Sendable, Equatable {
        public var record: CaseRecord
        /// The sender's consents, oldest first, with their lists and answers (as `consents(caseID:holder:on:)`).
        public var consents: [ConsentRecord]
        /// The case's informing (art. 12.1), as `informing(caseID:on:)`.
        public var informing: [InformingRecord]
        /// The values the sender supplied itself (art. 3.4 sub c), as `facts(caseID:party:on:)`.
        public var facts: [FactRecord]
        /// AVG art. 18 lid 2: a restriction holds on the case (under any request): nothing is disclosed.
        public var restricted: Bool
    }

    /// The facts with what the decision needs besides: the recipient unit's own reference for
    /// the case (nil when it takes no part yet, or when not asked for).
    public struct DecisionRead: Sendable {
        public var facts: DecisionFacts
        public var recipientRef: String?
    }

    /// The read before deciding, in one statement.
    public func decisionRead(caseID: String, sender: String, recipientUnit: String?) async throws -> DecisionRead? {
        try await Self.decisionRead(caseID: caseID, sender: sender, recipientUnit: recipientUnit, on: sql, lock: false)
    }

    /// The facts on `sql`; with `lock` the case row is locked for update on PostgreSQL first
    /// (inside the commit: a change of the case waits for it, and the read sees what it committed).
    public static func decisionFacts(caseID: String, sender: String, on sql: any SQLDatabase, lock: Bool) async throws -> DecisionFacts? {
        try await decisionRead(caseID: caseID, sender: sender, recipientUnit: nil, on: sql, lock: lock)?.facts
    }

    /// The case row and, as columns, its consents held by `sender` (each with its recipients
    /// and fields in written order and its answers), its informing, `sender`'s facts, whether
    /// it is restricted and `recipientUnit`'s reference. The arrays are in the orders of the
    /// one-table queries, so that the read in the commit equals the read before it exactly
    /// when nothing changed.
    static func decisionRead(caseID: String, sender: String, recipientUnit: String?, on sql: any SQLDatabase,
                             lock: Bool) async throws -> DecisionRead? {
        let json = JSONColumns(sql)
        let answer = json.object(columns(ConsentAnswerRecord.CodingKeys.self), of: "a")
        let consent = json.object(columns(ConsentRecord.CodingKeys.self), of: "k", nested: [
            ("recipients", json.array("r.recipient", from: "consent_recipients r", where: "r.consent_id = k.id", order: "r.ordinal")),
            ("fields", json.array("f.field", from: "consent_fields f", where: "f.consent_id = k.id", order: "f.ordinal")),
            ("answers", json.array(answer, from: "consent_answers a", where: "a.consent_id = k.id", order: "a.consent_id, a.recorded_at, a.giver")),
        ])
        let consents = json.array(consent, from: "consents k", where: "k.case_id = cases.id AND k.holder = \(bind: sender)", order: "k.recorded_at, k.id")
        let informing = json.array(json.object(columns(InformingRecord.CodingKeys.self), of: "i"), from: "informing i",
                                   where: "i.case_id = cases.id", order: "i.recorded, i.id")
        let facts = json.array(json.object(columns(FactRecord.CodingKeys.self), of: "v"), from: "case_facts v",
                               where: "v.case_id = cases.id AND v.party = \(bind: sender)", order: "v.field")
        let ref: SQLQueryString = recipientUnit.map {
            "(SELECT p.ref FROM case_parties p WHERE p.case_id = cases.id AND p.party = \(bind: $0))"
        } ?? "NULL"
        var query: SQLQueryString = """
            SELECT \(unsafeRaw: caseColumns), \(json.column(consents, as: "consents_json")), \(json.column(informing, as: "informing_json")),
                \(json.column(facts, as: "facts_json")),
                EXISTS (SELECT 1 FROM case_restrictions x WHERE x.case_id = cases.id) AS restricted, \(ref) AS recipient_ref
            FROM cases WHERE id = \(bind: caseID)
            """
        // The case row is locked first, in a statement of its own: a statement's snapshot is
        // taken before it waits for a row lock, and after the wait PostgreSQL re-checks only the
        // locked row — so a one-statement read would see the consents, facts and restriction as
        // they were before the lock holder committed (a review's finding; READ COMMITTED). The
        // read after the lock sees all of it.
        if lock && json.postgres {
            guard try await !PreparedReads.rows("SELECT id FROM cases WHERE id = \(bind: caseID) FOR UPDATE", on: sql).isEmpty else { return nil }
        }
        // Prepared on PostgreSQL (three texts: with the reference, without it, and the lock).
        guard let row = try await PreparedReads.rows(query, on: sql).first else { return nil }
        let held = try JSONColumns.decode(ConsentColumn.self, try row.decode(column: "consents_json", as: String.self), table: "consents")
        return DecisionRead(
            facts: DecisionFacts(
                record: try row.decode(CaseRecord.self, table: "cases"),
                consents: held.map(\.record),
                informing: try JSONColumns.decode(InformingRecord.self, try row.decode(column: "informing_json", as: String.self), table: "informing"),
                facts: try JSONColumns.decode(FactRecord.self, try row.decode(column: "facts_json", as: String.self), table: "case_facts"),
                restricted: try row.decode(column: "restricted", as: Bool.self)),
            recipientRef: try row.decode(column: "recipient_ref", as: String?.self))
    }

    private static func columns<Key: CaseIterable & RawRepresentable<String>>(_: Key.Type) -> [String] {
        Key.allCases.map(\.rawValue)
    }

    /// A consent as its JSON object: the `consents` row with its lists and answers. A list value
    /// outside its vocabulary is unreadable in its own table, as `StoredList` reads it.
    private struct ConsentColumn: Decodable {
        var record: ConsentRecord

        enum Keys: String, CodingKey { case recipients, fields, answers }

        init(from decoder: any Decoder) throws {
            record = try ConsentRecord(from: decoder)
            let container = try decoder.container(keyedBy: Keys.self)
            record.recipients = try Self.list(StoredLists.consentRecipients, try container.decode([String].self, forKey: .recipients))
            record.fields = try Self.list(StoredLists.consentFields, try container.decode([String].self, forKey: .fields))
            do {
                record.answers = try container.decode([ConsentAnswerRecord].self, forKey: .answers)
            } catch {
                throw StoredRows.unreadable(error, table: "consent_answers", columns: [:], inArray: true)
            }
        }

        static func list<Value>(_ list: StoredList<Value>, _ texts: [String]) throws -> [Value] {
            try texts.map { text in
                guard let value = list.parse(text) else {
                    throw StoreError.unreadable(table: list.table, column: list.column, problem: "holds a value outside its vocabulary or format")
                }
                return value
            }
        }
    }
}
