import SluisCovenant
import SQLKit

/// A list that belongs to a record, kept in a join table of its own: one row per element,
/// `(owner, ordinal, value)`, the primary key `(owner, value)` (no element twice) and `ordinal`
/// its position, so that a list reads back in the order it was written. Written on the same
/// connection and in the same transaction as its record; read for a whole page of records at
/// once (`StoredLists.texts`), never one query per record.
struct StoredList<Value: Sendable>: Sendable {
    /// The join table, the column naming the record it belongs to, and the column of the value.
    let table: String, owner: String, column: String
    /// The column a list is ordered by: its position, or (a set) the value itself.
    var order = "ordinal"
    /// The value as stored (an enum's raw value), and back; nil for text outside the vocabulary.
    let text: @Sendable (Value) -> String
    let parse: @Sendable (String) -> Value?

    /// Inserts the list of `owner` in one statement (nothing for an empty list).
    func insert(_ values: [Value], of owner: String, on sql: any SQLDatabase) async throws {
        guard let insert = insertion(values, of: owner) else { return }
        try await sql.raw(insert).run()
    }

    /// The statement that inserts the list of `owner`; nil for an empty list.
    func insertion(_ values: [Value], of owner: String) -> SQLQueryString? {
        guard !values.isEmpty else { return nil }
        var insert: SQLQueryString = "INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: self.owner), ordinal, \(unsafeRaw: column)) VALUES "
        for (ordinal, value) in values.enumerated() {
            insert.appendInterpolation("\(unsafeRaw: ordinal == 0 ? "" : ", ")(\(bind: owner), \(literal: ordinal), \(bind: text(value)))" as SQLQueryString)
        }
        return insert
    }

    /// Where and how the list is stored, for `StoredLists.texts`.
    var place: StoredLists.Place { (table, owner, column, order) }

    /// The lists of `owners`, each in its written order; an owner without rows has none here.
    func load(_ owners: [String], on sql: any SQLDatabase) async throws -> [String: [Value]] {
        try values(in: try await StoredLists.texts([place], of: owners, on: sql))
    }

    /// This list's part of what `StoredLists.texts` read; text outside the vocabulary is an
    /// error naming table and column.
    func values(in texts: [String: [String: [String]]]) throws -> [String: [Value]] {
        try (texts[table] ?? [:]).mapValues { list in
            try list.map { text in
                guard let value = parse(text) else {
                    throw StoreError.unreadable(table: table, column: column, problem: "holds a value outside its vocabulary or format")
                }
                return value
            }
        }
    }
}

extension StoredList where Value: RawRepresentable<String> {
    /// A list of vocabulary values, stored as their raw values.
    init(table: String, owner: String, column: String) {
        self.init(table: table, owner: owner, column: column, text: \.rawValue, parse: Value.init(rawValue:))
    }
}

extension StoredList where Value == String {
    /// A list of ids, stored as they are.
    init(table: String, owner: String, column: String, order: String = "ordinal") {
        self.init(table: table, owner: owner, column: column, order: order, text: { $0 }, parse: { $0 })
    }
}

/// The join tables of migrations 5 and 10, which replaced comma-joined columns.
enum StoredLists {
    /// Who gave a consent (art. 1.4, fn 28): migration 5 only; migration 8 moves it into `consent_answers`.
    static let consentGivers = StoredList<ConsentGiver>(table: "consent_givers", owner: "consent_id", column: "giver")
    /// The party kinds a consent allows disclosure to (art. 6.1).
    static let consentRecipients = StoredList<PartyKind>(table: "consent_recipients", owner: "consent_id", column: "recipient")
    /// The fields a consent covers (art. 5.1, 6.1).
    static let consentFields = StoredList<Field>(table: "consent_fields", owner: "consent_id", column: "field")
    /// The fields a disclosure released, in the engine's order (request order).
    static let disclosureReleased = StoredList<Field>(table: "disclosure_released", owner: "disclosure_id", column: "field")
    /// The consents a disclosure rested on (art. 11.5: their revocation reaches its recipient).
    static let disclosureConsents = StoredList<String>(table: "disclosure_consents", owner: "disclosure_id", column: "consent_id")
    /// The identity fields (and `absence`) a DUO melding's re-identification released to the
    /// leerplicht (protocol 5.4), in the engine's order (migration 10).
    static let duoMeldingReleased = StoredList<Field>(table: "duo_melding_released", owner: "melding_id", column: "field")
    /// The parties that approved an accession (art. 18.1), by party id (a set: written one by one).
    static let accessionApprovals = StoredList<String>(table: "accession_approvals", owner: "accession_id", column: "party", order: "party")

    /// Ids per query: well under SQLite's and PostgreSQL's limits on bound parameters.
    static let chunk = 300

    /// A join table: its name, owner column, value column and the column it is ordered by.
    typealias Place = (table: String, owner: String, column: String, order: String)

    /// The stored text of several lists of the same `owners`, in one query per chunk of owners
    /// (UNION ALL): table → owner → the list in its order. A consent's three lists are read so on
    /// every disclosure decision, twice, once inside the register's write lock.
    static func texts(_ lists: [Place], of owners: [String], on sql: any SQLDatabase) async throws -> [String: [String: [String]]] {
        var result: [String: [String: [String]]] = [:]
        for start in stride(from: 0, to: owners.count, by: chunk) {
            let ids: [any Encodable & Sendable] = Array(owners[start..<min(start + chunk, owners.count)])
            var query: SQLQueryString = ""
            for (index, list) in lists.enumerated() {
                if index > 0 { query.appendLiteral(" UNION ALL ") }
                query.appendInterpolation("""
                    SELECT \(ident: list.owner) AS owner, \(literal: index) AS list, \(ident: list.column) AS value, \(ident: list.order) AS position
                    FROM \(ident: list.table) WHERE \(ident: list.owner) IN (\(binds: ids))
                    """ as SQLQueryString)
            }
            query.appendLiteral(" ORDER BY list, owner, position")
            for row in try await sql.raw(query).all() {
                let item = try row.decode(Item.self, table: lists.map(\.table).joined(separator: ", "))
                guard lists.indices.contains(item.list) else { throw StoreError.database("a list query answered for a list it did not ask") }
                result[lists[item.list].table, default: [:]][item.owner, default: []].append(item.value)
            }
        }
        return result
    }

    private struct Item: Decodable {
        var owner: String, list: Int, value: String
    }
}
