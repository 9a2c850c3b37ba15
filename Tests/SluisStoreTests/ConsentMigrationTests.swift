import Foundation
import SQLKit
import Testing
@testable import SluisStore

/// Migration 8 (issue 10 items 4–5): consents recorded before answers per giver keep their
/// givers, as answers `given` on the day they were recorded, with their evidence.
@Suite("Consent migration")
struct ConsentMigrationTests {
    @Test("Art. 6.1 sub c: a consent from before migration 8 keeps its givers and evidence as answers", arguments: Backend.available)
    func art6_1c_oldConsentsKeepTheirGiversAsAnswers(backend: Backend) async throws {
        let location = try freshLocation(backend)
        let connection = try await StoreConnection.open(location)
        do {
            try await Migrations.apply(connection, through: 7)
            for (id, givers) in [("c-both", "parent,pupil"), ("c-pupil", "pupil"), ("c-parent", "parent")] {
                try await connection.sql.raw("""
                    INSERT INTO consents (id, case_id, holder, given_by, recipients, fields, question, evidence, recorded_by, recorded_at)
                    VALUES (\(bind: id), 'case-1', 'cjg-rijnmond', \(bind: givers), 'swv', 'absence', NULL, 'formulier 2026-11-20', 'd-1',
                            '2026-11-20T09:00:00.000Z')
                    """).run()
            }
            try await Migrations.apply(connection)
            let store = GatewayStore(connection: connection)
            let consents = try await store.consents(caseID: "case-1")
            let answers = Dictionary(uniqueKeysWithValues: consents.map { ($0.id, $0.answers.map(\.giver).sorted()) })
            #expect(answers == ["c-both": ["parent", "pupil"], "c-pupil": ["pupil"], "c-parent": ["parent"]])
            let all = consents.flatMap(\.answers)
            #expect(all.allSatisfy { $0.answer == "given" && $0.answeredOn == "2026-11-20" && $0.evidence == "formulier 2026-11-20" && $0.recordedBy == "d-1" })
            #expect(consents.allSatisfy { $0.endsOn == nil && $0.revokedAt == nil })
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}
