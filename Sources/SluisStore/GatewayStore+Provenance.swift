import Foundation
public import SluisCovenant
public import SQLKit

/// Case references per party, facts with provenance and the forums a case is in (the facts a
/// disclosure decision rests on: `GatewayStore+DecisionFacts`).
extension GatewayStore {
    // MARK: Case references (unlinkability)

    /// The internal case id behind a party's own reference, if the party takes part.
    public func caseID(ref: String, party: String) async throws -> String? {
        try await sql.raw("SELECT case_id FROM case_parties WHERE ref = \(bind: ref) AND party = \(bind: party)").first()?
            .decode(column: "case_id", as: String.self)
    }

    /// A party's own reference for a case (nil when it does not take part).
    public func ref(caseID: String, party: String) async throws -> String? {
        try await Self.ref(caseID: caseID, party: party, on: sql)
    }

    public static func ref(caseID: String, party: String, on sql: any SQLDatabase) async throws -> String? {
        try await sql.raw("SELECT ref FROM case_parties WHERE case_id = \(bind: caseID) AND party = \(bind: party)").first()?
            .decode(column: "ref", as: String?.self)
    }

    /// Inside a disclosure's commit: `ref` becomes the party's reference for the case if it has
    /// none; true when the party's reference is `ref` afterwards (false: another was claimed
    /// meanwhile). One read when the party takes part already — the common case.
    public static func claim(ref: String, party: String, toCase id: String, on sql: any SQLDatabase) async throws -> Bool {
        if let existing = try await Self.ref(caseID: id, party: party, on: sql) { return existing == ref }
        try await add(party: party, toCase: id, ref: ref, on: sql)
        return try await Self.ref(caseID: id, party: party, on: sql) == ref
    }

    // MARK: Facts with provenance (art. 3.4 sub c, art. 8.1)

    /// Sets a party's own value for a field (one statement: insert, or replace that party's value).
    public func put(fact record: FactRecord) async throws {
        try await Self.put(fact: record, on: sql)
    }

    /// The same, on `sql` (a rectification: in one commit with its notices, convenant art. 8.1).
    public static func put(fact record: FactRecord, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO case_facts (case_id, party, field, value_cipher, supplied_by, supplied_at)
            VALUES (\(bind: record.caseID), \(bind: record.party), \(bind: record.field), \(bind: record.valueCipher),
                    \(bind: record.suppliedBy), \(bind: record.suppliedAt))
            ON CONFLICT (case_id, party, field) DO UPDATE SET value_cipher = excluded.value_cipher,
                supplied_by = excluded.supplied_by, supplied_at = excluded.supplied_at
            """).run()
    }

    /// The values one party supplied about a case.
    public func facts(caseID: String, party: String) async throws -> [FactRecord] {
        try await Self.facts(caseID: caseID, party: party, on: sql)
    }

    public static func facts(caseID: String, party: String, on sql: any SQLDatabase) async throws -> [FactRecord] {
        try await sql.raw("""
            SELECT \(unsafeRaw: FactRecord.CodingKeys.list) FROM case_facts WHERE case_id = \(bind: caseID) AND party = \(bind: party) ORDER BY field
            """).all().map { try $0.decode(FactRecord.self, table: "case_facts") }
    }

    // MARK: Notices

    /// The ids of the disclosures and thuiszitterstafel deliveries to a party (and role) that
    /// rested on a consent (exact ids, through `disclosure_consents`, `tafel_delivery_consents`).
    public func disclosures(recipient: String, role: PartyRole?, consent id: String) async throws -> [String] {
        let roleMatches: SQLQueryString = role.map { "d.recipient_role = \(bind: $0.rawValue)" } ?? "d.recipient_role IS NULL"
        let deliveryRole: SQLQueryString = role.map { "t.recipient_role = \(bind: $0.rawValue)" } ?? "t.recipient_role IS NULL"
        return try await sql.raw("""
            SELECT id FROM (
                SELECT d.id AS id, d.created AS created FROM disclosure_consents c JOIN disclosures d ON d.id = c.disclosure_id
                WHERE c.consent_id = \(bind: id) AND d.recipient = \(bind: recipient) AND \(roleMatches)
                UNION SELECT t.id AS id, t.created AS created FROM tafel_delivery_consents c JOIN tafel_deliveries t ON t.id = c.delivery_id
                WHERE c.consent_id = \(bind: id) AND t.recipient = \(bind: recipient) AND \(deliveryRole)
            ) covered ORDER BY created, id
            """).all().map { try $0.decode(column: "id", as: String.self) }
    }

    // MARK: Forums

    /// Records that the case is in a forum (from the first disclosure there).
    public static func add(forum: Forum, toCase id: String, since: String, on sql: any SQLDatabase) async throws {
        try await sql.raw(forumInsertion(forum, toCase: id, since: since)).run()
    }

    static func forumInsertion(_ forum: Forum, toCase id: String, since: String) -> SQLQueryString {
        """
            INSERT INTO case_forums (case_id, forum, since) SELECT \(bind: id), \(bind: forum.rawValue), \(bind: since)
            WHERE NOT EXISTS (SELECT 1 FROM case_forums WHERE case_id = \(bind: id) AND forum = \(bind: forum.rawValue))
            """
    }

    public func forums(caseID: String) async throws -> [Forum] {
        try await sql.raw("SELECT forum FROM case_forums WHERE case_id = \(bind: caseID) ORDER BY forum").all()
            .map { try $0.decode(CaseForum.self, table: "case_forums").forum }
    }

    private struct CaseForum: Decodable {
        var forum: Forum
    }
}
