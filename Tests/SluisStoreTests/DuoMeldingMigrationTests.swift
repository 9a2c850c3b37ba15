import Foundation
import SQLKit
import Testing
@testable import SluisStore

/// Migration 7 turns the DUO melding a case held in its own columns (issue 8) into the first
/// melding event, never decided by the engine (decision `none`: it re-identifies nobody).
@Suite("DUO melding migration")
struct DuoMeldingMigrationTests {
    @Test("Migration 7, convenant art. 4.3: a melding recorded before it becomes a relatief-verzuim melding with decision none; a case without one gets none",
          arguments: Backend.available)
    func art4_3_legacyMeldingBecomesUndecidedRelatiefVerzuimMelding(backend: Backend) async throws {
        let connection = try await StoreConnection.open(try freshLocation(backend))
        do {
            try await Migrations.apply(connection)
            // Back to the schema before migration 7 (and 10, which builds on its table), with two cases of that time.
            for statement in ["DROP TABLE duo_melding_released", "DROP TABLE verzuimoverleg_links", "DROP TABLE duo_meldingen", "DROP TABLE duo_answered_signals",
                              "DELETE FROM sluis_migrations WHERE version IN (7, 10)"] {
                try await connection.sql.raw(SQLQueryString(statement)).run()
            }
            for (id, melding) in [("case-met", true), ("case-zonder", false)] {
                try await connection.sql.raw("""
                    INSERT INTO cases (id, pupil_key, data_cipher, owner, status, phase, duo_melding, created, duo_melding_date,
                                       duo_melding_reference, duo_melding_party)
                    VALUES (\(bind: id), 'k', 'c', 'sovogo', 'open', 'intake', \(bind: melding ? 1 : 0), '2026-11-01T08:00:00.000Z',
                            \(bind: melding ? "2026-11-02" : nil), \(bind: melding ? "VL-OUD" : nil), \(bind: melding ? "sovogo" : nil))
                    """).run()
            }
            try await Migrations.apply(connection)
            let rows = try await connection.sql.raw("SELECT case_id, party, kind, date, reference, status, decision, register_index FROM duo_meldingen")
                .all()
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(try row.decode(column: "case_id", as: String.self) == "case-met")
            #expect(try row.decode(column: "kind", as: String.self) == "relatief-verzuim")
            #expect(try row.decode(column: "reference", as: String.self) == "VL-OUD" && row.decode(column: "date", as: String.self) == "2026-11-02")
            #expect(try row.decode(column: "status", as: String.self) == "received" && row.decode(column: "decision", as: String.self) == "none")
            #expect(try row.decode(column: "register_index", as: Int64?.self) == nil)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
