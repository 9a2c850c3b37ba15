import SQLKit

/// Migration 5's data step (issue 9 item 6): the comma-joined lists of `consents` (`given_by`,
/// `recipients`, `fields`) and `disclosures` (`released`, `consents`) become rows of their join
/// tables, in the same transaction as the tables' creation and the columns' removal. Split as
/// the store split them before (`,`, empty pieces dropped), each list in its order, an element
/// that was there twice kept once (the lists were sets). Values are moved as they are: one
/// outside its vocabulary is reported when read (`StoreError.unreadable`), not lost here.
enum ListMigration {
    static func move(_ sql: any SQLDatabase) async throws {
        var consentIDs = Set<String>()
        for row in try await sql.raw("SELECT id, given_by, recipients, fields FROM consents ORDER BY id").all() {
            let old = try row.decode(OldConsent.self, table: "consents")
            consentIDs.insert(old.id)
            try await text(StoredLists.consentGivers).insert(elements(old.givenBy), of: old.id, on: sql)
            try await text(StoredLists.consentRecipients).insert(elements(old.recipients), of: old.id, on: sql)
            try await text(StoredLists.consentFields).insert(elements(old.fields), of: old.id, on: sql)
        }
        for row in try await sql.raw("SELECT id, released, consents FROM disclosures ORDER BY id").all() {
            let old = try row.decode(OldDisclosure.self, table: "disclosures")
            let consents = elements(old.consents)
            // Ids, not personal data: the message may name them.
            if let missing = consents.first(where: { !consentIDs.contains($0) }) {
                throw StoreError.database("migration 5: disclosure \(old.id) rests on consent \(missing), which is not in consents")
            }
            try await text(StoredLists.disclosureReleased).insert(elements(old.released), of: old.id, on: sql)
            try await StoredLists.disclosureConsents.insert(consents, of: old.id, on: sql)
        }
    }

    /// The elements of a comma-joined list, in order, each once.
    static func elements(_ joined: String) -> [String] {
        var seen = Set<String>()
        return joined.split(separator: ",").map(String.init).filter { seen.insert($0).inserted }
    }

    /// The same join table, written with the stored text as it is.
    static func text<Value>(_ list: StoredList<Value>) -> StoredList<String> {
        StoredList<String>(table: list.table, owner: list.owner, column: list.column, order: list.order)
    }

    private struct OldConsent: Decodable {
        var id: String, givenBy: String, recipients: String, fields: String

        enum CodingKeys: String, CodingKey { case id, givenBy = "given_by", recipients, fields }
    }

    private struct OldDisclosure: Decodable {
        var id: String, released: String, consents: String
    }
}
