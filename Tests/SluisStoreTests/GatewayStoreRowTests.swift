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

    /// A consent with an answer `given` from each of `givenBy` (migration 8: answers per giver).
    func consent(_ id: String, givenBy: [ConsentAnswerer] = [.parent], recipients: [PartyKind] = [.swv], fields: [Field] = [.absence]) -> ConsentRecord {
        ConsentRecord(id: id, caseID: "case-1", holder: "sovogo", recipients: recipients, fields: fields, question: nil,
                      answers: givenBy.map {
                          ConsentAnswerRecord(consentID: id, giver: $0, answer: .given, answeredOn: "2026-11-30", evidence: "formulier",
                                              recordedBy: "delegate-1", recordedAt: "2026-11-30T09:00:00.000Z")
                      },
                      recordedBy: "delegate-1", recordedAt: "2026-11-30T09:00:00.000Z")
    }

    func disclosure(_ id: String, to recipient: String, role: PartyRole? = nil, released: [Field] = [.absence], consents: [String]) -> DisclosureRecord {
        DisclosureRecord(id: id, caseID: "case-1", sender: "sovogo", recipient: recipient, forum: .casusoverleg, purpose: "3.1.a",
                         released: released, consents: consents, registerIndex: 0, bundle: "", bundleDigest: String(repeating: "0", count: 64),
                         created: "2026-11-30T10:00:00.000Z", recipientRole: role)
    }

    @Test("Every record's coding keys are exactly the columns of its table: a key missing for an optional column would read as nil, silently",
          arguments: Backend.available)
    func codingKeysAreColumns(backend: Backend) async throws {
        try await withGatewayStore(backend) { store in
            func check<Key: CodingKey & CaseIterable & RawRepresentable<String>>(_ keys: Key.Type, _ table: String, unread: Set<String> = []) async throws {
                let query: SQLQueryString = store.sql.dialect.name == "sqlite"
                    ? "SELECT name FROM pragma_table_info(\(bind: table))"
                    : "SELECT column_name AS name FROM information_schema.columns WHERE table_name = \(bind: table) AND table_schema = current_schema()"
                let columns = Set(try await store.sql.raw(query).all().map { try $0.decode(column: "name", as: String.self) })
                // `unread`: columns a record leaves out on purpose, each named at its call.
                #expect(Set(Key.allCases.map(\.rawValue)).union(unread) == columns, "\(table): keys and columns differ")
            }
            // When a party or delegate was made is only ever shown through the audit log.
            try await check(PartyRecord.CodingKeys.self, "parties", unread: ["created"])
            try await check(DelegateRecord.CodingKeys.self, "delegates", unread: ["created"])
            // A session is found by its token's hash, never read back.
            try await check(SessionRecord.CodingKeys.self, "sessions", unread: ["token_hash"])
            try await check(CaseRecord.CodingKeys.self, "cases")
            try await check(InformingRecord.CodingKeys.self, "informing")
            try await check(ConsentRecord.CodingKeys.self, "consents")
            try await check(DisclosureRecord.CodingKeys.self, "disclosures")
            try await check(NoticeRecord.CodingKeys.self, "notices")
            try await check(AuditRecord.CodingKeys.self, "audit_log")
            try await check(AccessionRecord.CodingKeys.self, "accessions")
            try await check(FactRecord.CodingKeys.self, "case_facts")
            try await check(ConsentAnswerRecord.CodingKeys.self, "consent_answers")
            try await check(SotQuestionRecord.CodingKeys.self, "sot_questions")
            try await check(SotNoteRecord.CodingKeys.self, "sot_notes")
            try await check(JustificationRecord.CodingKeys.self, "disclosure_justifications")
            try await check(TombstoneRecord.CodingKeys.self, "case_tombstones")
            try await check(RightsRequestRecord.CodingKeys.self, "rights_requests")
            try await check(RestrictionRecord.CodingKeys.self, "case_restrictions")
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
            // Answers recorded at one moment read back by giver; the lists in the order written.
            let written = consent("c-order", givenBy: [.parent, .pupil], recipients: [.swv, .gemeente, .jgz], fields: [.supportFacts, .absence, .name])
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
            try await store.add(consent: consent("c-2"))
            try await store.sql.raw("UPDATE consent_answers SET answer = 'misschien' WHERE consent_id = 'c-2'").run()
            await expectUnreadable(table: "consent_answers", column: "answer", hiding: "misschien") { _ = try await store.consent("c-2") }

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
