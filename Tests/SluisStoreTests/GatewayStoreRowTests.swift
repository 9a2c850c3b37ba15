import Foundation
import SQLKit
import SluisCovenant
import Testing
@testable import SluisStore

/// Issue 9 item 6: the gateway's rows read as Codable records with typed vocabularies, and the
/// lists of consents and disclosures as join tables — on SQLite and PostgreSQL.
@Suite("Gateway store rows and lists", .serialized)
struct GatewayStoreRowTests {
    /// A fresh gateway store on `backend`, closed afterwards, also when `body` throws.
    func withGatewayStore<T>(_ backend: Backend, _ body: (GatewayStore) async throws -> T) async throws -> T {
        let store = try await GatewayStore.open(try freshLocation(backend))
        do {
            let result = try await body(store)
            try await store.close()
            return result
        } catch {
            try? await store.close()
            throw error
        }
    }

    func consent(_ id: String, givenBy: [ConsentGiver] = [.parent], recipients: [PartyKind] = [.swv], fields: [Field] = [.absence]) -> ConsentRecord {
        ConsentRecord(id: id, caseID: "case-1", holder: "sovogo", givenBy: givenBy, recipients: recipients, fields: fields, question: nil,
                      evidence: "formulier", recordedBy: "delegate-1", recordedAt: "2026-11-30T09:00:00.000Z")
    }

    func disclosure(_ id: String, to recipient: String, role: PartyRole? = nil, released: [Field] = [.absence], consents: [String]) -> DisclosureRecord {
        DisclosureRecord(id: id, caseID: "case-1", sender: "sovogo", recipient: recipient, forum: .casusoverleg, purpose: "3.1.a",
                         released: released, consents: consents, registerIndex: 0, bundle: "", bundleDigest: String(repeating: "0", count: 64),
                         created: "2026-11-30T10:00:00.000Z", recipientRole: role)
    }

    @Test("Every record's coding keys are columns of its table: a wrong key for an optional column would read as nil, silently",
          arguments: Backend.available)
    func codingKeysAreColumns(backend: Backend) async throws {
        try await withGatewayStore(backend) { store in
            func check<Key: CodingKey & CaseIterable & RawRepresentable<String>>(_ keys: Key.Type, _ table: String) async throws {
                // Fails, naming the column, when one of the keys is not a column of the table.
                _ = try await store.sql.select().columns(Key.allCases.map(\.rawValue)).from(table).limit(0).all()
            }
            try await check(PartyRecord.CodingKeys.self, "parties")
            try await check(DelegateRecord.CodingKeys.self, "delegates")
            try await check(SessionRecord.CodingKeys.self, "sessions")
            try await check(CaseRecord.CodingKeys.self, "cases")
            try await check(InformingRecord.CodingKeys.self, "informing")
            try await check(ConsentRecord.CodingKeys.self, "consents")
            try await check(DisclosureRecord.CodingKeys.self, "disclosures")
            try await check(NoticeRecord.CodingKeys.self, "notices")
            try await check(AuditRecord.CodingKeys.self, "audit_log")
            try await check(AccessionRecord.CodingKeys.self, "accessions")
            try await check(FactRecord.CodingKeys.self, "case_facts")
        }
    }

    @Test("Art. 11.5: a revocation reaches exactly the disclosures that rested on the consent — c-1 is not c-10, C-1 or c_1",
          arguments: Backend.available)
    func revocationLookupIsExact(backend: Backend) async throws {
        try await withGatewayStore(backend) { store in
            for id in ["c-1", "c-10", "C-1", "cx1", "c_1"] { try await store.add(consent: consent(id)) }
            try await store.transaction { sql in
                // The old comma-joined column was matched with LIKE: `_` is a wildcard there and
                // SQLite's LIKE ignores case, so c_1 matched cx1 and c-1 matched C-1.
                try await GatewayStore.add(disclosure: disclosure("d-1", to: "swv-go", consents: ["c-1"]), on: sql)
                try await GatewayStore.add(disclosure: disclosure("d-10", to: "jgz-zhz", consents: ["c-10"]), on: sql)
                try await GatewayStore.add(disclosure: disclosure("d-both", to: "gemeente-go", role: .leerplicht, consents: ["c-10", "c-1"]), on: sql)
                try await GatewayStore.add(disclosure: disclosure("d-upper", to: "sovogo-2", consents: ["C-1", "cx1"]), on: sql)
                try await GatewayStore.add(disclosure: disclosure("d-none", to: "lucas", consents: []), on: sql)
            }
            let reached = try await GatewayStore.recipients(ofConsent: "c-1", on: store.sql)
            #expect(reached.map(\.party).sorted() == ["gemeente-go", "swv-go"])
            #expect(reached.first { $0.party == "gemeente-go" }?.role == .leerplicht)
            #expect(try await GatewayStore.recipients(ofConsent: "c-10", on: store.sql).map(\.party).sorted() == ["gemeente-go", "jgz-zhz"])
            #expect(try await GatewayStore.recipients(ofConsent: "c_1", on: store.sql).isEmpty)
            #expect(try await GatewayStore.recipients(ofConsent: "C-1", on: store.sql).map(\.party) == ["sovogo-2"])
            #expect(try await store.disclosures(recipient: "gemeente-go", role: .leerplicht, consent: "c-1") == ["d-both"])
            #expect(try await store.disclosures(recipient: "gemeente-go", role: nil, consent: "c-1").isEmpty)
        }
    }

    @Test("Lists round-trip in the order written: released fields as the engine released them (request order), not sorted",
          arguments: Backend.available)
    func listsKeepTheirOrder(backend: Backend) async throws {
        try await withGatewayStore(backend) { store in
            let written = consent("c-order", givenBy: [.pupil, .parent], recipients: [.swv, .gemeente, .jgz], fields: [.supportFacts, .absence, .name])
            try await store.add(consent: written)
            #expect(try await store.consent("c-order") == written)
            #expect(try await store.consents(caseID: "case-1") == [written])
            let released: [Field] = [.schoolInterventions, .absence, .birthDate, .name]
            try await store.transaction { sql in
                try await GatewayStore.add(disclosure: disclosure("d-order", to: "swv-go", released: released, consents: ["c-order"]), on: sql)
                try await GatewayStore.add(disclosure: disclosure("d-other", to: "swv-go", released: [.lastSchool], consents: []), on: sql)
            }
            let read = try #require(try await store.disclosure("d-order"))
            #expect(read.released == released && read.consents == ["c-order"] && read.forum == .casusoverleg)
            let page = try await store.mailbox(party: "swv-go", role: nil, limit: 10)
            #expect(page.map(\.id).sorted() == ["d-order", "d-other"])
            #expect(page.first { $0.id == "d-other" }?.released == [.lastSchool])
            #expect(page.first { $0.id == "d-order" }?.released == released)
        }
    }

    @Test("A consent and its lists are one transaction: when a list row fails, no consent row is left (fail closed)",
          arguments: Backend.available)
    func consentWriteIsAtomic(backend: Backend) async throws {
        try await withGatewayStore(backend) { store in
            // A field twice breaks the join table's primary key after the consent row was inserted.
            await #expect(throws: (any Error).self) { try await store.add(consent: consent("c-twice", fields: [.absence, .absence])) }
            #expect(try await store.consent("c-twice") == nil)
            #expect(try await store.consents(caseID: "case-1").isEmpty)
            try await store.add(consent: consent("c-after"))
            #expect(try await store.consent("c-after") != nil)
        }
    }

    @Test("Art. 5.5, 7.3: a value outside a column's vocabulary is an error naming table and column — not a crash, not a default",
          arguments: Backend.available)
    func unknownValueIsNamed(backend: Backend) async throws {
        try await withGatewayStore(backend) { store in
            let record = CaseRecord(id: "case-1", pupilKey: "k", dataCipher: "00", owner: "sovogo", status: .closed, closureReason: "weer-naar-school",
                                    closedAt: "2026-11-30T09:00:00.000Z", phase: "intake", caseType: "verzuim", duoMelding: true,
                                    created: "2026-11-30T08:00:00.000Z", duoMeldingDate: "2026-11-29", duoMeldingReference: "DUO-1",
                                    duoMeldingParty: "sovogo")
            try await store.create(case: record, parties: [])
            #expect(try await store.case("case-1") == record)
            try await store.sql.raw("UPDATE cases SET status = 'paused' WHERE id = 'case-1'").run()
            await expectUnreadable(table: "cases", column: "status", hiding: "paused") { _ = try await store.case("case-1") }

            try await store.upsert(party: PartyRecord(id: "sovogo", kind: .schoolbestuur, name: "SOVOGO", status: .active), created: "2026-11-30")
            try await store.sql.raw("UPDATE parties SET kind = 'kerk' WHERE id = 'sovogo'").run()
            await expectUnreadable(table: "parties", column: "kind", hiding: "kerk") { _ = try await store.parties() }

            try await store.add(consent: consent("c-1"))
            try await store.sql.raw("UPDATE consent_fields SET field = 'shoeSize' WHERE consent_id = 'c-1'").run()
            await expectUnreadable(table: "consent_fields", column: "field", hiding: "shoeSize") { _ = try await store.consent("c-1") }

            try await store.add(notice: NoticeRecord(id: "n-1", party: "swv-go", caseID: "case-1", kind: .consentRevoked, consentID: "c-1",
                                                     created: "2026-11-30T11:00:00.000Z", role: nil))
            try await store.sql.raw("UPDATE notices SET role = 'wethouder' WHERE id = 'n-1'").run()
            await expectUnreadable(table: "notices", column: "role", hiding: "wethouder") { _ = try await store.notice("n-1") }
        }
    }

    /// `body` throws `StoreError.unreadable` for `table`.`column`, and its text does not show the stored value.
    func expectUnreadable(table: String, column: String, hiding value: String, sourceLocation: SourceLocation = #_sourceLocation,
                          _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("no error for \(table).\(column)", sourceLocation: sourceLocation)
        } catch let error as StoreError {
            guard case .unreadable(let namedTable, let namedColumn, _) = error else {
                Issue.record("another store error: \(error)", sourceLocation: sourceLocation)
                return
            }
            #expect(namedTable == table && namedColumn == column, sourceLocation: sourceLocation)
            #expect(!error.description.contains(value), "the stored value stays out of the error", sourceLocation: sourceLocation)
        } catch {
            Issue.record("not a store error: \(error)", sourceLocation: sourceLocation)
        }
    }
}
