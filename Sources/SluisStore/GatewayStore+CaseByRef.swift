public import SluisCovenant
import SQLKit

/// A case as one party knows it: by the party's own reference (unlinkability, art. 7.3).
extension GatewayStore {
    /// A case with the forums it is in: what every use case on a case reads first to see how
    /// the party stands to it (participant, owner, convener; `Gateway.caseAccess`).
    public struct CaseWithForums: Sendable {
        public var record: CaseRecord
        /// As `forums(caseID:)`: by name.
        public var forums: [Forum]
    }

    /// The case behind a party's own reference with its forums, in one statement (nil when the
    /// party takes no part in a case of that reference) — instead of three: on PostgreSQL each
    /// is a round trip (docs/performance.md, "PostgreSQL and a second instance").
    public func `case`(ref: String, party: String) async throws -> CaseWithForums? {
        let json = JSONColumns(sql)
        let forums = json.array("f.forum", from: "case_forums f", where: "f.case_id = cases.id", order: "f.forum")
        // Prepared on PostgreSQL: read by every use case on a case.
        guard let row = try await PreparedReads.rows("""
            SELECT \(unsafeRaw: Self.caseColumns), \(json.column(forums, as: "forums_json"))
            FROM case_parties JOIN cases ON cases.id = case_parties.case_id
            WHERE case_parties.ref = \(bind: ref) AND case_parties.party = \(bind: party)
            """, on: sql).first else { return nil }
        let names = try JSONColumns.decode(String.self, try row.decode(column: "forums_json", as: String.self), table: "case_forums")
        return CaseWithForums(record: try row.decode(CaseRecord.self, table: "cases"), forums: try names.map { name in
            guard let forum = Forum(rawValue: name) else {
                throw StoreError.unreadable(table: "case_forums", column: "forum", problem: "holds a value outside its vocabulary or format")
            }
            return forum
        })
    }
}
