import SluisCovenant
import SQLKit

/// A list that belongs to a record, kept in a join table of its own: one row per element,
/// `(owner, ordinal, value)`, the primary key `(owner, value)` (no element twice) and `ordinal`
/// its position, so that a list reads back in the order it was written. Written on the same
/// connection and in the same transaction as its record; read for a whole page of records in one
/// query per table, never one query per record.
struct StoredList<Value: Decodable & Sendable>: Sendable {
    /// The join table, the column naming the record it belongs to, and the column of the value.
    let table: String, owner: String, column: String
    /// The column a list is ordered by: its position, or (a set) the value itself.
    var order = "ordinal"
    /// The value as stored (an enum's raw value).
    let text: @Sendable (Value) -> String

    /// Ids per query: well under SQLite's and PostgreSQL's limits on bound parameters.
    static var chunk: Int { 500 }

    /// Inserts the list of `owner` in one statement (nothing for an empty list).
    func insert(_ values: [Value], of owner: String, on sql: any SQLDatabase) async throws {
        guard !values.isEmpty else { return }
        let insert = sql.insert(into: table).columns(self.owner, "ordinal", column)
        for (ordinal, value) in values.enumerated() { insert.values(owner, ordinal, text(value)) }
        try await insert.run()
    }

    /// The lists of `owners`, each in its written order; an owner without rows has none here.
    func load(_ owners: [String], on sql: any SQLDatabase) async throws -> [String: [Value]] {
        var lists: [String: [Value]] = [:]
        let (table, owner, column, order) = (self.table, self.owner, self.column, self.order)
        for start in stride(from: 0, to: owners.count, by: Self.chunk) {
            let ids = Array(owners[start..<min(start + Self.chunk, owners.count)])
            let rows = try await sql.select().columns(owner, column).from(table).where(owner, .in, ids)
                .orderBy(owner).orderBy(order).all()
            for row in rows {
                let item = try row.decode(Item.self, table: table) { $0 == "owner" ? owner : column }
                lists[item.owner, default: []].append(item.value)
            }
        }
        return lists
    }

    private struct Item: Decodable {
        var owner: String
        var value: Value
    }
}

/// The join tables of migration 5, which replaced comma-joined columns.
enum StoredLists {
    /// Who gave a consent (art. 1.4, fn 28).
    static let consentGivers = StoredList<ConsentGiver>(table: "consent_givers", owner: "consent_id", column: "giver") { $0.rawValue }
    /// The party kinds a consent allows disclosure to (art. 6.1).
    static let consentRecipients = StoredList<PartyKind>(table: "consent_recipients", owner: "consent_id", column: "recipient") { $0.rawValue }
    /// The fields a consent covers (art. 5.1, 6.1).
    static let consentFields = StoredList<Field>(table: "consent_fields", owner: "consent_id", column: "field") { $0.rawValue }
    /// The fields a disclosure released, in the engine's order (request order).
    static let disclosureReleased = StoredList<Field>(table: "disclosure_released", owner: "disclosure_id", column: "field") { $0.rawValue }
    /// The consents a disclosure rested on (art. 11.5: their revocation reaches its recipient).
    static let disclosureConsents = StoredList<String>(table: "disclosure_consents", owner: "disclosure_id", column: "consent_id") { $0 }
    /// The parties that approved an accession (art. 18.1), by party id (a set: written one by one).
    static let accessionApprovals = StoredList<String>(table: "accession_approvals", owner: "accession_id", column: "party", order: "party") { $0 }
}
