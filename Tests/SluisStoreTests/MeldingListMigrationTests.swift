import Foundation
import SQLKit
import SluisCovenant
import Testing
@testable import SluisStore

/// Migration 10 (issue 10): a DUO melding's released fields move from a comma-joined column
/// into `duo_melding_released`, as migration 5 did for the other lists — on SQLite and
/// PostgreSQL, from a database at version 8, whether or not version 9 came first.
@Suite("DUO melding list migration", .serialized)
struct MeldingListMigrationTests {
    /// A melding row as migration 7 wrote it, with `released` comma-joined.
    static func meldingRow(_ id: String, case caseID: String, reference: String, decision: String, released: String) -> String {
        """
        INSERT INTO duo_meldingen (id, case_id, party, kind, date, reference, status, recorded_by, received_at, decision, released, register_index)
        VALUES ('\(id)', '\(caseID)', 'sovogo', 'relatief-verzuim', '2026-11-02', '\(reference)', 'received', 'delegate-1',
                '2026-11-02T10:00:00.000Z', '\(decision)', '\(released)', NULL)
        """
    }

    static let rows = [
        meldingRow("m-1", case: "case-1", reference: "DUO-1", decision: "permit", released: "name,birthDate,bsn,absence"),
        // Migration 7's legacy melding: never decided, released nothing.
        meldingRow("m-2", case: "case-1", reference: "DUO-2", decision: "none", released: ""),
        // A repeated element and an empty piece, as `fieldUnlist` read them: kept once, dropped.
        meldingRow("m-3", case: "case-2", reference: "DUO-3", decision: "permit", released: "name,,name,absence"),
    ]

    /// A database at `location` migrated through version 8 (and `also`), holding `rows`.
    func versionEight(_ location: DatabaseLocation, _ rows: [String], also: (StoreConnection) async throws -> Void = { _ in }) async throws {
        let connection = try await StoreConnection.open(location)
        do {
            try await Migrations.apply(connection, through: 8)
            for row in rows { try await connection.sql.raw(SQLQueryString(row)).run() }
            try await also(connection)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    func check(_ location: DatabaseLocation) async throws {
        let store = try await GatewayStore.open(location)
        do {
            let first = try await store.meldingen(caseID: "case-1")
            #expect(first.map(\.id) == ["m-1", "m-2"])
            #expect(first.map(\.released) == [[.name, .birthDate, .bsn, .absence], []], "in the order written")
            #expect(try await store.melding("m-3")?.released == [.name, .absence])
            // The comma-joined column is gone: one source of truth.
            await #expect(throws: (any Error).self) { try await store.sql.raw("SELECT released FROM duo_meldingen").run() }
            let versions = try await store.sql.raw("SELECT version FROM sluis_migrations ORDER BY version").all()
                .map { try $0.decode(column: "version", as: Int.self) }
            #expect(versions == Migrations.all.map(\.version) && versions.contains(10))
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }

    @Test("Migration 10, protocol 5.4: a version-8 database's meldingen keep the fields their re-identification released, in order, from a join table",
          arguments: Backend.available)
    func protocol5_4_releasedFieldsMoveToAJoinTable(backend: Backend) async throws {
        let location = try freshLocation(backend)
        try await versionEight(location, Self.rows)
        try await check(location)
    }

    @Test("Migration 10 does not depend on version 9: applied before 9 (a database that got 10 first), the result is the same",
          arguments: Backend.available)
    func migration10BeforeOrAfter9(backend: Backend) async throws {
        let location = try freshLocation(backend)
        try await versionEight(location, Self.rows) { connection in
            try await Migrations.apply(connection, through: 10, skipping: [9])
        }
        try await check(location)
    }

    @Test("Migration 10 moves values as they are: one outside the field vocabulary is refused when read, naming table and column, never the value",
          arguments: Backend.available)
    func valueOutsideTheVocabularyIsNamedWhenRead(backend: Backend) async throws {
        let location = try freshLocation(backend)
        try await versionEight(location, [Self.meldingRow("m-9", case: "case-9", reference: "DUO-9", decision: "permit", released: "name,schoolhuis")])
        let store = try await GatewayStore.open(location)
        do {
            await #expect {
                try await store.meldingen(caseID: "case-9")
            } throws: { error in
                let text = (error as? StoreError)?.description ?? ""
                return text.contains("duo_melding_released") && text.contains("field") && !text.contains("schoolhuis")
            }
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }
}
