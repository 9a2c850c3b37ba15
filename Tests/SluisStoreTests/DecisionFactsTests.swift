import Foundation
import SQLKit
import SluisCovenant
import Testing
@testable import SluisStore

/// Issue 14 item 4: the facts a disclosure decision rests on (convenant art. 6.1, 12.1, 3.4
/// sub c; AVG art. 18 lid 2) read in one statement must be exactly what the one-table reads
/// give — the same records in the same order — or the re-read inside the commit would call
/// unchanged facts stale, or changed ones unchanged.
@Suite("Decision facts in one statement", .serialized)
struct DecisionFactsTests {
    func withGatewayStore(_ backend: Backend, _ body: (GatewayStore) async throws -> Void) async throws {
        let store = try await GatewayStore.open(try freshLocation(backend))
        do {
            try await body(store)
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }

    static let time = "2026-11-30T09:00:00.000Z"

    func answer(_ consent: String, _ giver: ConsentAnswerer, _ answer: ConsentAnswer, at: String) -> ConsentAnswerRecord {
        ConsentAnswerRecord(consentID: consent, giver: giver, answer: answer, answeredOn: "2026-11-30", evidence: "formulier \(consent)",
                            recordedBy: "delegate-1", recordedAt: at)
    }

    /// A case with consents of two holders (lists out of alphabetical order, answers recorded at
    /// different times), informing by two parties and facts of two parties.
    func fill(_ store: GatewayStore) async throws {
        try await store.create(case: CaseRecord(id: "case-1", pupilKey: "k", dataCipher: "00", owner: "sovogo", status: .open, closureReason: nil,
                                                closedAt: nil, phase: "intake", caseType: "verzuim", duoMelding: false, created: Self.time),
                               parties: ["swv-go", "ggd"])
        try await store.create(case: CaseRecord(id: "case-2", pupilKey: "k2", dataCipher: "00", owner: "sovogo", status: .open, closureReason: nil,
                                                closedAt: nil, phase: "intake", caseType: nil, duoMelding: false, created: Self.time), parties: [])
        let consents = [
            ConsentRecord(id: "c-b", caseID: "case-1", holder: "sovogo", recipients: [.swv, .gemeente, .jgz], fields: [.name, .absence, .birthDate],
                          question: nil, endsOn: "2027-06-30",
                          answers: [answer("c-b", .pupil, .given, at: "2026-11-30T09:02:00.000Z"), answer("c-b", .parent, .given, at: "2026-11-30T09:01:00.000Z")],
                          recordedBy: "delegate-1", recordedAt: "2026-11-30T09:00:00.000Z"),
            // Recorded at the same time as c-b: ordered by id after it.
            ConsentRecord(id: "c-a", caseID: "case-1", holder: "sovogo", recipients: [.gemeente], fields: [.absence],
                          question: "q-1", answers: [answer("c-a", .parent, .refused, at: "2026-11-30T09:03:00.000Z")],
                          recordedBy: "delegate-1", recordedAt: "2026-11-30T09:00:00.000Z", revokedAt: "2026-11-30T10:00:00.000Z", revokedBy: "delegate-2"),
            ConsentRecord(id: "c-0", caseID: "case-1", holder: "sovogo", recipients: [.swv], fields: [.lastSchool], question: nil, answers: [],
                          recordedBy: "delegate-1", recordedAt: "2026-11-30T11:00:00.000Z"),
            ConsentRecord(id: "c-other", caseID: "case-1", holder: "ggd", recipients: [.swv], fields: [.absence], question: nil,
                          answers: [answer("c-other", .parent, .given, at: Self.time)], recordedBy: "delegate-3", recordedAt: Self.time),
        ]
        for consent in consents { try await store.add(consent: consent) }
        for (id, party, recorded) in [("i-2", "ggd", "2026-11-30T08:00:00.000Z"), ("i-1", "sovogo", "2026-11-30T08:00:00.000Z"),
                                      ("i-0", "sovogo", "2026-11-30T12:00:00.000Z")] {
            try await store.add(informing: InformingRecord(id: id, caseID: "case-1", party: party, delegate: "delegate-1", informedAt: "2026-11-29",
                                                           method: .gesprek, recorded: recorded))
        }
        for (party, field) in [("sovogo", "name"), ("sovogo", "absence"), ("ggd", "supportFacts"), ("sovogo", "birthDate")] {
            try await store.put(fact: FactRecord(caseID: "case-1", party: party, field: field, valueCipher: "\(party)-\(field)", suppliedBy: "delegate-1",
                                                 suppliedAt: Self.time))
        }
    }

    /// What the one-table reads give.
    func separately(_ store: GatewayStore, _ caseID: String, sender: String) async throws -> GatewayStore.DecisionFacts? {
        guard let record = try await store.case(caseID) else { return nil }
        return GatewayStore.DecisionFacts(record: record, consents: try await GatewayStore.consents(caseID: caseID, holder: sender, on: store.sql),
                                          informing: try await store.informing(caseID: caseID), facts: try await store.facts(caseID: caseID, party: sender),
                                          restricted: try await store.restriction(caseID: caseID) != nil)
    }

    @Test("Art. 6.1, 12.1, 3.4 sub c: the one statement reads what the one-table reads read, in their order; the recipient's reference; AVG art. 18 lid 2: the restriction",
          arguments: Backend.available)
    func oneStatementEqualsTheTableReads(backend: Backend) async throws {
        try await withGatewayStore(backend) { store in
            try await fill(store)
            for sender in ["sovogo", "ggd", "swv-go"] {
                let read = try #require(try await store.decisionRead(caseID: "case-1", sender: sender, recipientUnit: "swv-go"))
                let expected = try #require(try await separately(store, "case-1", sender: sender))
                #expect(read.facts == expected, "\(sender)")
                #expect(read.recipientRef == (try await store.ref(caseID: "case-1", party: "swv-go")))
            }
            let read = try #require(try await store.decisionRead(caseID: "case-1", sender: "sovogo", recipientUnit: nil)).facts
            #expect(read.consents.map(\.id) == ["c-a", "c-b", "c-0"])
            #expect(read.consents[1].recipients == [.swv, .gemeente, .jgz] && read.consents[1].fields == [.name, .absence, .birthDate])
            #expect(read.consents[1].answers.map(\.giver) == [.parent, .pupil])
            #expect(read.informing.map(\.id) == ["i-1", "i-2", "i-0"] && read.facts.map(\.field) == ["absence", "birthDate", "name"])
            #expect(!read.restricted)
            // A party that takes no part has no reference; a case without anything reads empty; no case, nothing.
            #expect(try await store.decisionRead(caseID: "case-1", sender: "sovogo", recipientUnit: "cjg")?.recipientRef == nil)
            let empty = try #require(try await store.decisionRead(caseID: "case-2", sender: "sovogo", recipientUnit: nil)).facts
            #expect(empty == (try await separately(store, "case-2", sender: "sovogo")) && empty.consents.isEmpty && empty.informing.isEmpty && empty.facts.isEmpty)
            #expect(try await store.decisionRead(caseID: "case-3", sender: "sovogo", recipientUnit: nil) == nil)

            // Inside a transaction, locked (FOR UPDATE on PostgreSQL): the same facts.
            let locked = try await store.transaction { sql in try await GatewayStore.decisionFacts(caseID: "case-1", sender: "sovogo", on: sql, lock: true) }
            #expect(locked == read)

            // AVG art. 18 lid 2: restricted under any request.
            _ = try await store.transaction { sql in
                try await GatewayStore.add(restriction: RestrictionRecord(caseID: "case-1", reason: "beperking", requestID: "r-1",
                                                                          restrictedAt: Self.time, restrictedBy: "delegate-1"), on: sql)
            }
            let restricted = try #require(try await store.decisionRead(caseID: "case-1", sender: "sovogo", recipientUnit: nil)).facts
            #expect(restricted.restricted && restricted != read)
            #expect(restricted == (try await separately(store, "case-1", sender: "sovogo")))
        }
    }

    @Test("Art. 5.5, 7.3: a value outside its vocabulary in the one statement is an error naming table and column, never the value",
          arguments: Backend.available)
    func unknownValueIsNamed(backend: Backend) async throws {
        for (update, table, column, value) in [
            ("UPDATE consent_recipients SET recipient = 'kerk' WHERE consent_id = 'c-b' AND recipient = 'jgz'", "consent_recipients", "recipient", "kerk"),
            ("UPDATE consent_fields SET field = 'shoeSize' WHERE consent_id = 'c-0'", "consent_fields", "field", "shoeSize"),
            ("UPDATE consent_answers SET answer = 'misschien' WHERE consent_id = 'c-a'", "consent_answers", "answer", "misschien"),
            ("UPDATE informing SET method = 'duif' WHERE id = 'i-0'", "informing", "method", "duif"),
        ] {
            try await withGatewayStore(backend) { store in
                try await fill(store)
                try await store.sql.raw(SQLQueryString(update)).run()
                do {
                    _ = try await store.decisionRead(caseID: "case-1", sender: "sovogo", recipientUnit: nil)
                    Issue.record("no error for \(table).\(column)")
                } catch let error as StoreError {
                    guard case .unreadable(let namedTable, let namedColumn, _) = error else { Issue.record("another store error: \(error)"); return }
                    #expect(namedTable == table && namedColumn == column, "\(error)")
                    #expect(!error.description.contains(value))
                }
            }
        }
    }
}
