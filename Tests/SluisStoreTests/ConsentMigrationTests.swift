import Foundation
import SQLKit
import SluisCovenant
import Testing
@testable import SluisStore

/// Migration 8 (issue 10 items 4–5): consents recorded before answers per giver keep their
/// givers (migration 5's `consent_givers`), as answers `given` on the day they were recorded,
/// with the consent's evidence; the old table and column are gone.
@Suite("Consent migration", .serialized)
struct ConsentMigrationTests {
    @Test("Art. 6.1 sub c: a consent from before migration 8 keeps its givers and evidence as answers", arguments: Backend.available)
    func art6_1c_oldConsentsKeepTheirGiversAsAnswers(backend: Backend) async throws {
        let location = try freshLocation(backend)
        let old = try await StoreConnection.open(location)
        do {
            try await Migrations.apply(old, through: 7)
            for (id, givers) in [("c-both", ["parent", "pupil"]), ("c-pupil", ["pupil"]), ("c-parent", ["parent"])] {
                try await old.sql.raw("""
                    INSERT INTO consents (id, case_id, holder, question, evidence, recorded_by, recorded_at)
                    VALUES (\(bind: id), 'case-1', 'cjg-rijnmond', NULL, 'formulier 2026-11-20', 'd-1', '2026-11-20T09:00:00.000Z')
                    """).run()
                for (ordinal, giver) in givers.enumerated() {
                    try await old.sql.raw("INSERT INTO consent_givers (consent_id, ordinal, giver) VALUES (\(bind: id), \(bind: ordinal), \(bind: giver))").run()
                }
                try await old.sql.raw("INSERT INTO consent_recipients (consent_id, ordinal, recipient) VALUES (\(bind: id), 0, 'swv')").run()
                try await old.sql.raw("INSERT INTO consent_fields (consent_id, ordinal, field) VALUES (\(bind: id), 0, 'absence')").run()
            }
            try await old.close()
        } catch {
            try? await old.close()
            throw error
        }
        let store = try await GatewayStore.open(location)
        do {
            let consents = try await store.consents(caseID: "case-1")
            var givers: [String: [ConsentAnswerer]] = [:]
            for consent in consents { givers[consent.id] = consent.answers.map(\.giver) }
            #expect(givers == ["c-both": [.parent, .pupil], "c-pupil": [.pupil], "c-parent": [.parent]])
            let answers = consents.flatMap(\.answers)
            #expect(answers.count == 4)
            #expect(answers.allSatisfy { $0.answer == .given && $0.answeredOn == "2026-11-20" && $0.evidence == "formulier 2026-11-20" })
            #expect(answers.allSatisfy { $0.recordedBy == "d-1" })
            #expect(consents.allSatisfy { $0.endsOn == nil && $0.revokedAt == nil && $0.recipients == [.swv] && $0.fields == [.absence] })
            // One source of truth: the answers hold who gave and the evidence.
            await #expect(throws: (any Error).self) { try await store.sql.raw("SELECT 1 FROM consent_givers").run() }
            await #expect(throws: (any Error).self) { try await store.sql.raw("SELECT evidence FROM consents").run() }
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }
}
