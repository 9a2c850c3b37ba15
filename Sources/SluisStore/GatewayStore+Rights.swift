import Foundation
public import SluisCovenant
public import SQLKit

/// Rights requests (convenant art. 13; AVG art. 12 lid 3) and restrictions (AVG art. 18): the
/// rows of migration 14, written by the gateway inside the register append of their entry.
extension GatewayStore {
    public static func add(rightsRequest record: RightsRequestRecord, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO rights_requests (\(unsafeRaw: RightsRequestRecord.CodingKeys.list)) VALUES (
                \(bind: record.id), \(bind: record.caseID), \(bind: record.handler), \(bind: record.kind.rawValue), \(bind: record.requester.rawValue),
                \(bind: record.requesterCipher), \(bind: record.identityCheck.rawValue), \(bind: record.identityNoteCipher), \(bind: record.receivedOn),
                \(bind: record.dueOn), \(bind: record.status.rawValue), \(bind: record.extendedAt), \(bind: record.extensionCipher),
                \(bind: record.decidedAt), \(bind: record.decisionCipher), \(bind: record.refusalGround), \(bind: record.deliveredAt),
                \(bind: record.recordedBy), \(bind: record.recordedAt))
            """).run()
    }

    public func rightsRequest(_ id: String) async throws -> RightsRequestRecord? {
        try await Self.rightsRequest(id, on: sql)
    }

    public static func rightsRequest(_ id: String, on sql: any SQLDatabase) async throws -> RightsRequestRecord? {
        try await sql.raw("SELECT \(unsafeRaw: RightsRequestRecord.CodingKeys.list) FROM rights_requests WHERE id = \(bind: id)").first()?
            .decode(RightsRequestRecord.self, table: "rights_requests")
    }

    /// The requests about the cases a unit takes part in, oldest receipt first, at most `limit`.
    /// Undecided requests first, soonest deadline first, then decided ones newest first: a
    /// capped list never hides an open request behind old ones (an attacker filled the cap).
    public func rightsRequests(party unit: String, limit: Int) async throws -> [RightsRequestRecord] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.prefixed("r", RightsRequestRecord.CodingKeys.list)) FROM rights_requests r
            JOIN case_parties p ON p.case_id = r.case_id WHERE p.party = \(bind: unit) ORDER BY CASE WHEN r.status IN ('open', 'extended') THEN 0 ELSE 1 END, CASE WHEN r.status IN ('open', 'extended') THEN r.due_on ELSE '' END, r.decided_at DESC, r.id LIMIT \(bind: limit)
            """).all().map { try $0.decode(RightsRequestRecord.self, table: "rights_requests") }
    }

    /// The requests about the cases any unit of `party` takes part in (the FG's view, art. 15.2).
    public func rightsRequests(ofParty party: String, limit: Int) async throws -> [RightsRequestRecord] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.prefixed("r", RightsRequestRecord.CodingKeys.list)) FROM rights_requests r
            WHERE r.case_id IN (SELECT case_id FROM case_parties WHERE party = \(bind: party) OR party LIKE \(bind: party + "/%"))
            ORDER BY CASE WHEN r.status IN ('open', 'extended') THEN 0 ELSE 1 END, CASE WHEN r.status IN ('open', 'extended') THEN r.due_on ELSE '' END, r.decided_at DESC, r.id LIMIT \(bind: limit)
            """).all().map { try $0.decode(RightsRequestRecord.self, table: "rights_requests") }
    }

    /// Every request not decided yet (the overdue sweep).
    public func undecidedRightsRequests() async throws -> [RightsRequestRecord] {
        try await sql.raw("""
            SELECT \(unsafeRaw: RightsRequestRecord.CodingKeys.list) FROM rights_requests
            WHERE status IN (\(bind: RightsRequestStatus.open.rawValue), \(bind: RightsRequestStatus.extended.rawValue)) ORDER BY due_on, id
            """).all().map { try $0.decode(RightsRequestRecord.self, table: "rights_requests") }
    }

    /// Moves a request from `expected` to the record's state in one conditional statement: false
    /// when it changed meanwhile (nothing written).
    public static func update(rightsRequest record: RightsRequestRecord, from expected: RightsRequestStatus, on sql: any SQLDatabase) async throws -> Bool {
        try await !sql.raw("""
            UPDATE rights_requests SET status = \(bind: record.status.rawValue), due_on = \(bind: record.dueOn),
                extended_at = \(bind: record.extendedAt), extension_cipher = \(bind: record.extensionCipher), decided_at = \(bind: record.decidedAt),
                decision_cipher = \(bind: record.decisionCipher), refusal_ground = \(bind: record.refusalGround), delivered_at = \(bind: record.deliveredAt)
            WHERE id = \(bind: record.id) AND status = \(bind: expected.rawValue) RETURNING id
            """).all().isEmpty
    }

    /// Replaces a case's sealed identity document (a rectification by the party that brought
    /// the pupil in, convenant art. 8.1).
    public static func update(caseData cipher: String, of id: String, on sql: any SQLDatabase) async throws {
        try await sql.update("cases").set("data_cipher", to: cipher).where("id", .equal, id).run()
    }

    // MARK: Restriction (AVG art. 18)

    public func restriction(caseID: String) async throws -> RestrictionRecord? {
        try await Self.restriction(caseID: caseID, on: sql)
    }

    /// The restriction the request `requestID` set on the case, if it holds.
    public func restriction(caseID: String, requestID: String) async throws -> RestrictionRecord? {
        try await sql.raw("""
            SELECT \(unsafeRaw: RestrictionRecord.CodingKeys.list) FROM case_restrictions WHERE case_id = \(bind: caseID) AND request_id = \(bind: requestID)
            """).first()?.decode(RestrictionRecord.self, table: "case_restrictions")
    }

    /// The case's first restriction (it is restricted while any holds), read on `sql`: inside a
    /// disclosure's or a send's commit, which the register's head lock serializes with the
    /// restriction's own (a check and the write it guards).
    public static func restriction(caseID: String, on sql: any SQLDatabase) async throws -> RestrictionRecord? {
        try await sql.raw("""
            SELECT \(unsafeRaw: RestrictionRecord.CodingKeys.list) FROM case_restrictions WHERE case_id = \(bind: caseID)
            ORDER BY restricted_at, request_id LIMIT 1
            """).first()?.decode(RestrictionRecord.self, table: "case_restrictions")
    }

    /// Restricts a case under a request; false when that request restricted it already (nothing written).
    public static func add(restriction record: RestrictionRecord, on sql: any SQLDatabase) async throws -> Bool {
        try await !sql.insert(into: "case_restrictions").columns("case_id", "reason", "request_id", "restricted_at", "restricted_by")
            .values(record.caseID, record.reason, record.requestID, record.restrictedAt, record.restrictedBy)
            .ignoringConflicts(with: ["case_id", "request_id"]).returning("case_id").all().isEmpty
    }

    /// Lifts the restriction that `restriction.requestID` set — not another request's (an
    /// attacker's finding: a refused objection of the SWV lifted the school's); false when it had none.
    public static func lift(_ restriction: RestrictionRecord, on sql: any SQLDatabase) async throws -> Bool {
        try await !sql.raw("""
            DELETE FROM case_restrictions WHERE case_id = \(bind: restriction.caseID) AND request_id = \(bind: restriction.requestID) RETURNING case_id
            """).all().isEmpty
    }

    /// `a, b` → `r.a, r.b`.
    static func prefixed(_ alias: String, _ list: String) -> String {
        list.split(separator: ",").map { "\(alias).\($0.trimmingCharacters(in: .whitespaces))" }.joined(separator: ", ")
    }
}
