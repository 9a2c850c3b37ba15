import SQLKit

/// Migration 10's data step: `duo_meldingen.released`, the identity fields a melding's
/// re-identification released (comma-joined since migration 7), becomes rows of
/// `duo_melding_released` — split as the store split it (`,`, empty pieces dropped: a melding
/// from before migration 7 released nothing), in its order, an element twice kept once. Values
/// move as they are: one outside the field vocabulary is reported when read, not lost here.
enum MeldingListMigration {
    static func move(_ sql: any SQLDatabase) async throws {
        let list = ListMigration.text(StoredLists.duoMeldingReleased)
        for row in try await sql.raw("SELECT id, released FROM duo_meldingen ORDER BY id").all() {
            let old = try row.decode(OldMelding.self, table: "duo_meldingen")
            try await list.insert(ListMigration.elements(old.released), of: old.id, on: sql)
        }
    }

    private struct OldMelding: Decodable {
        var id: String, released: String
    }
}
