import Foundation
import SQLKit
import SluisCovenant
import Testing
@testable import SluisStore

/// Migration 5 (issue 9 item 6): a database at version 4 with comma-joined lists migrates to
/// join tables with the same meaning — on SQLite and PostgreSQL.
@Suite("List migration", .serialized)
struct ListMigrationTests {
    /// A version-4 database at `location` holding `rows` (SQL statements).
    func versionFour(_ location: DatabaseLocation, _ rows: [String]) async throws {
        let old = try await StoreConnection.open(location)
        do {
            try await Migrations.apply(old, through: 4)
            for row in rows { try await old.sql.raw(SQLQueryString(row)).run() }
            try await old.close()
        } catch {
            try? await old.close()
            throw error
        }
    }

    static func consentRow(_ id: String, givenBy: String, recipients: String, fields: String, revokedAt: String = "NULL") -> String {
        """
        INSERT INTO consents (id, case_id, holder, given_by, recipients, fields, question, evidence, recorded_by, recorded_at, revoked_at, revoked_by)
        VALUES ('\(id)', 'case-1', 'sovogo', '\(givenBy)', '\(recipients)', '\(fields)', NULL, 'formulier', 'delegate-1',
                '2026-11-01T09:00:\(id.count)0.000Z', \(revokedAt), NULL)
        """
    }

    static func disclosureRow(_ id: String, to recipient: String, role: String = "NULL", released: String, consents: String) -> String {
        """
        INSERT INTO disclosures (id, case_id, sender, recipient, forum, purpose, released, consents, register_index, bundle, bundle_digest,
                                 created, fetched_at, acknowledged_at, recipient_role)
        VALUES ('\(id)', 'case-1', 'sovogo', '\(recipient)', 'casusoverleg', '3.1.a', '\(released)', '\(consents)', 0, '', 'digest',
                '2026-11-02T10:00:00.000Z', NULL, NULL, \(role))
        """
    }

    @Test("Migration 5: version-4 consents and disclosures keep their lists, in order, and the revocation look-up finds the same recipients",
          arguments: Backend.available)
    func movesListsWithTheirMeaning(backend: Backend) async throws {
        let location = try freshLocation(backend)
        try await versionFour(location, [
            Self.consentRow("c-1", givenBy: "parent,pupil", recipients: "swv,gemeente", fields: "absence,name"),
            Self.consentRow("c-10", givenBy: "pupil", recipients: "jgz", fields: "healthData", revokedAt: "'2026-11-03T00:00:00.000Z'"),
            // An empty piece and a repeated element, as `unlist` read them: dropped, and kept once.
            Self.consentRow("c-100", givenBy: "parent,parent", recipients: "swv,,gemeente", fields: "lastSchool"),
            Self.disclosureRow("d-1", to: "swv-go", released: "name,absence", consents: "c-1"),
            Self.disclosureRow("d-2", to: "gemeente-go", role: "'leerplicht'", released: "healthData", consents: "c-10,c-1"),
            Self.disclosureRow("d-3", to: "lucas", released: "lastSchool", consents: ""),
        ])
        let store = try await GatewayStore.open(location)
        do {
            let consents = try await store.consents(caseID: "case-1")
            #expect(consents.map(\.id) == ["c-1", "c-10", "c-100"])
            #expect(consents.map(\.givenBy) == [[.parent, .pupil], [.pupil], [.parent]])
            #expect(consents.map(\.recipients) == [[.swv, .gemeente], [.jgz], [.swv, .gemeente]])
            #expect(consents.map(\.fields) == [[.absence, .name], [.healthData], [.lastSchool]])
            #expect(consents[1].revokedAt == "2026-11-03T00:00:00.000Z")
            let disclosures = try await store.disclosures(caseID: "case-1").sorted { $0.id < $1.id }
            #expect(disclosures.map(\.released) == [[.name, .absence], [.healthData], [.lastSchool]])
            #expect(disclosures.map(\.consents) == [["c-1"], ["c-10", "c-1"], []])
            #expect(disclosures[1].recipientRole == .leerplicht)
            let reached = try await GatewayStore.recipients(ofConsent: "c-1", on: store.sql)
            #expect(reached.map(\.party).sorted() == ["gemeente-go", "swv-go"])
            #expect(try await GatewayStore.recipients(ofConsent: "c-100", on: store.sql).isEmpty)
            // The comma-joined columns are gone: nothing can read or write the old form any more.
            for (table, column) in [("consents", "given_by"), ("consents", "recipients"), ("consents", "fields"),
                                    ("disclosures", "released"), ("disclosures", "consents")] {
                await #expect(throws: (any Error).self, "\(table).\(column)") {
                    try await store.sql.raw("SELECT \(ident: column) FROM \(ident: table)").run()
                }
            }
            let versions = try await store.sql.raw("SELECT version FROM sluis_migrations ORDER BY version").all()
                .map { try $0.decode(column: "version", as: Int.self) }
            #expect(versions == Migrations.all.map(\.version), "every migration applied, 5 among them")
            #expect(versions.contains(5))
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }

    @Test("Migration 5 fails closed: a disclosure resting on a consent that does not exist stops it, named, and nothing of it stays",
          arguments: Backend.available)
    func orphanConsentStopsTheMigration(backend: Backend) async throws {
        let location = try freshLocation(backend)
        try await versionFour(location, [
            Self.consentRow("c-1", givenBy: "parent", recipients: "swv", fields: "absence"),
            Self.disclosureRow("d-1", to: "swv-go", released: "absence", consents: "c-1,c-gone"),
        ])
        do {
            let store = try await GatewayStore.open(location)
            try? await store.close()
            Issue.record("the migration went through")
        } catch let error as StoreError {
            #expect(error.description.contains("d-1") && error.description.contains("c-gone"))
        }
        // Still version 4, with its comma-joined columns and no join table.
        let connection = try await StoreConnection.open(location)
        do {
            let versions = try await connection.sql.raw("SELECT version FROM sluis_migrations ORDER BY version").all()
                .map { try $0.decode(column: "version", as: Int.self) }
            #expect(versions == [1, 2, 3, 4])
            #expect(try await connection.sql.raw("SELECT consents FROM disclosures").first()?.decode(column: "consents", as: String.self) == "c-1,c-gone")
            await #expect(throws: (any Error).self) { try await connection.sql.raw("SELECT 1 FROM disclosure_consents").run() }
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
