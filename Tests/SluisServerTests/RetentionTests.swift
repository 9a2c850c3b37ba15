import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing
@testable import SluisCovenant
@testable import SluisGateway
import SluisRegister
@testable import SluisServer
@testable import SluisStore

/// Issue 11 items 4–5: a case closes with a reason of art. 5.5, by the party with authority, for
/// good; at the end of the term of art. 9.2 its personal data is destroyed — every row about the
/// pupil, the pupil key with it — in one transaction with its own register entry, leaving a
/// tombstone; the register keeps verifying and the FG sees what is held past its term.
@Suite("Closure and retention (art. 5.5, 9.2)", .serialized)
struct RetentionTests {
    /// Every place the gateway keeps something about a case, written out here apart from
    /// `GatewayStore.caseBoundTables`: (table, condition on the case id `?`).
    static let rawTables: [(String, String)] = [
        ("cases", "id = ?"), ("case_parties", "case_id = ?"), ("case_facts", "case_id = ?"), ("case_forums", "case_id = ?"),
        ("informing", "case_id = ?"), ("consents", "case_id = ?"),
        ("consent_answers", "consent_id IN (SELECT id FROM consents WHERE case_id = ?)"),
        ("consent_recipients", "consent_id IN (SELECT id FROM consents WHERE case_id = ?)"),
        ("consent_fields", "consent_id IN (SELECT id FROM consents WHERE case_id = ?)"),
        ("disclosures", "case_id = ?"), ("disclosure_released", "disclosure_id IN (SELECT id FROM disclosures WHERE case_id = ?)"),
        ("disclosure_consents", "disclosure_id IN (SELECT id FROM disclosures WHERE case_id = ?)"),
        ("notices", "case_id = ?"), ("sot_questions", "case_id = ?"), ("sot_notes", "case_id = ?"), ("duo_meldingen", "case_id = ?"),
        // The thuiszitterstafel (Bijlage 3.3): the list entry, the agenda item, the minutes, and
        // every sealed view of an agenda the pupil was on (a view cannot be cut).
        ("tafel_entries", "case_id = ?"), ("tafel_agenda_items", "case_id = ?"), ("tafel_minutes", "case_id = ?"), ("tafel_delivery_consents", "case_id = ?"),
        ("tafel_deliveries", "agenda_id IN (SELECT agenda_id FROM tafel_agenda_items WHERE case_id = ?)"),
    ]

    /// The rows each raw table holds about case `id`, and the audit lines that name it.
    static func rawRows(_ fixture: ServerFixture, _ id: String) async throws -> [String: Int] {
        let sql = fixture.gateway.store.sql
        var counts: [String: Int] = [:]
        for (table, condition) in rawTables {
            let query = SQLQueryString("SELECT COUNT(*) AS n FROM \(table) WHERE " + condition.replacingOccurrences(of: "?", with: "'\(id)'"))
            counts[table] = try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? -1
        }
        counts["audit_log"] = try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE detail LIKE \(bind: "%" + id + "%")").first()?
            .decode(column: "n", as: Int.self) ?? -1
        return counts
    }

    struct RichCase {
        let ref: String, id: String, pupilKey: String, subject: String
        let zco: String, swv: String
    }

    /// A school case with everything a case can hold: identity and facts (two parties),
    /// informing, a disclosure at the thuiszitterstafel (a sealed bundle in the SWV's mailbox), a
    /// consent with its answers, a SOT question with its consent and a note, a notice, a DUO
    /// melding answering an absence signal, the pupil on the thuiszitterstafel list with an
    /// agenda and minutes sent (Bijlage 3.3) — then closed by the school (art. 5.5).
    /// `zco`: the school's token when the test logged in already (a TOTP code is used once).
    static func richClosedCase(_ fixture: ServerFixture, _ client: some TestClientProtocol, reason: String = "buiten-de-regio",
                               zco loggedIn: String? = nil) async throws -> RichCase {
        let swv = try await client.login(fixture, "swv")
        var zco = loggedIn ?? ""
        if loggedIn == nil { zco = try await client.login(fixture, "zco") }
        let ref = try await DisclosureFlowTests().createInformedCase(client, zco)
        let table = try await client.call(.post, "/v1/disclosures", token: zco, json: """
            {"caseId":"\(ref)","recipient":"swv-go","forum":"thuiszitterstafel","purpose":"3.1.d","fields":["absence"]}
            """)
        #expect(table.status == .created, "\(table.body)")
        let swvRef = try await client.newestCaseRef(swv)
        #expect(try await client.call(.patch, "/v1/cases/\(swvRef)", token: swv, json: #"{"facts":{"supportFacts":"begeleiding thuis"}}"#).status == .ok)
        let consent = try await client.call(.post, "/v1/cases/\(ref)/consents", token: zco, json: """
            {"recipients":["swv"],"fields":["absence"],"givers":[\(ServerFixture.given("parent")),\(ServerFixture.given("pupil"))]}
            """)
        #expect(consent.status == .created, "\(consent.body)")
        let asked = try await client.call(.post, "/v1/cases/\(ref)/sot-questions", token: zco, json: #"{"question":"Welke ondersteuning helpt thuis?"}"#)
        let question = try #require(jsonObject(asked.body)["id"] as? String, "\(asked.body)")
        #expect(try await client.call(.post, "/v1/cases/\(ref)/consents", token: zco, json: """
            {"recipients":["swv"],"fields":["absence"],"sotQuestion":"\(question)","givers":[\(ServerFixture.given("parent")),\(ServerFixture.given("pupil"))]}
            """).status == .created)
        let note = try await client.call(.post, "/v1/cases/\(ref)/sot-questions/\(question)/notes", token: zco, json: #"{"text":"Afspraak: rooster."}"#)
        #expect(note.status == .created, "\(note.body)")
        let melding = try await client.call(.post, "/v1/cases/\(ref)/duo-meldingen", token: zco, json: """
            {"date":"2026-11-02","kind":"relatief-verzuim","reference":"DUO-RET-1","signal":{"pupil":"L-0042","signal":"relatief-verzuim","since":"2026-10-20"}}
            """)
        #expect(melding.status == .created, "\(melding.body)")
        // The thuiszitterstafel: on the list, an agenda and minutes sent (Bijlage 3.3 sub 1, 4, 5).
        let listed = try await client.call(.post, "/v1/thuiszitterstafel/entries", token: swv, json: #"{"caseId":"\#(swvRef)","caseType":"verzuim","summary":"Korte beschrijving"}"#)
        let entry = try #require(jsonObject(listed.body)["id"] as? String, "\(listed.body)")
        let meeting = CalendarDate.amsterdam(fixture.clock.now())
        let agenda = try #require(jsonObject(try await client.call(.post, "/v1/thuiszitterstafel/agendas", token: swv, json: #"{"meeting":"\#(meeting)"}"#).body)["id"] as? String)
        for (write, path) in [(nil, "/v1/thuiszitterstafel/agendas/\(agenda)"),
                              (#"{"items":[{"entry":"\#(entry)","decisions":"Besluit"}]}"#, "/v1/thuiszitterstafel/agendas/\(agenda)/minutes/1")] {
            if let write { #expect(try await client.call(.post, "/v1/thuiszitterstafel/agendas/\(agenda)/minutes", token: swv, json: write).status == .created) }
            let etag = try #require(try await client.call(.get, path + "/preview", token: swv).headers[.eTag])
            let sent = try await client.call(.post, path + "/send", token: swv, headers: [.ifMatch: etag])
            #expect(sent.status == .created && (jsonObject(sent.body)["deliveries"] as? [Any])?.isEmpty == false, "\(sent.body)")
        }
        let id = try #require(try await fixture.gateway.store.caseID(ref: ref, party: "sovogo"))
        try await fixture.gateway.store.add(notice: NoticeRecord(id: UUID().uuidString.lowercased(), party: "swv-go", caseID: id, kind: .consentRevoked,
                                                                 consentID: nil, created: "2026-11-30T00:00:00.000Z"))
        let closed = try await client.call(.patch, "/v1/cases/\(ref)", token: zco, json: #"{"closureReason":"\#(reason)"}"#)
        #expect(closed.status == .ok, "\(closed.body)")
        let record = try #require(try await fixture.gateway.store.case(id))
        return RichCase(ref: ref, id: id, pupilKey: record.pupilKey, subject: try fixture.gateway.registerSubject(record), zco: zco, swv: swv)
    }

    /// The day the case's term ends (art. 9.2): closed today on the gateway's clock.
    static func dueDay(_ fixture: ServerFixture) -> CalendarDate {
        RetentionTerm(months: fixture.gateway.policy.retention.destroyWithinMonths).dueOn(closedOn: fixture.gateway.today)
    }

    @Test("Art. 5.5: a case closes with each reason of the policy — the reason, when and by whom are recorded — and closing is final",
          arguments: ServerFixture.databases)
    func art5_5_closureWithEachReasonIsFinal(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let reasons = fixture.gateway.policy.retention.closureReasons.map(\.id)
            #expect(reasons == ["een-jaar-onafgebroken-onderwijs", "buiten-de-regio", "overleden", "einde-leerplicht"])
            for reason in reasons {
                let ref = try await DisclosureFlowTests().createInformedCase(client, zco)
                let closed = try await client.call(.patch, "/v1/cases/\(ref)", token: zco, json: #"{"closureReason":"\#(reason)"}"#)
                #expect(closed.status == .ok, "\(reason): \(closed.body)")
                let view = jsonObject(closed.body)
                #expect(view["status"] as? String == "closed" && view["closureReason"] as? String == reason)
                #expect(view["closedBy"] as? String == "sovogo" && (view["closedAt"] as? String)?.hasPrefix(fixture.gateway.today.description.prefix(4)) == true)
                // Final: no second closure, no change, no disclosure (the engine refuses a closed case).
                for body in [#"{"closureReason":"overleden"}"#, #"{"phase":"triage"}"#, #"{"facts":{"supportFacts":"x"}}"#] {
                    let again = try await client.call(.patch, "/v1/cases/\(ref)", token: zco, json: body)
                    #expect(again.status == .conflict && jsonObject(again.body)["code"] as? String == "sluis:case-closed", "\(body): \(again.body)")
                }
                let disclosed = try await client.call(.post, "/v1/disclosures", token: zco, json: """
                    {"caseId":"\(ref)","recipient":"swv-go","forum":"thuiszitterstafel","purpose":"3.1.d","fields":["absence"]}
                    """)
                #expect(disclosed.status == .forbidden, "\(disclosed.body)")
            }
            let ref = try await DisclosureFlowTests().createInformedCase(client, zco)
            let unknown = try await client.call(.patch, "/v1/cases/\(ref)", token: zco, json: #"{"closureReason":"weer-naar-school"}"#)
            #expect(unknown.status == .badRequest && jsonObject(unknown.body)["field"] as? String == "closureReason", "\(unknown.body)")
        }
    }

    @Test("Art. 5.5, interpretation (closing is final): a pupil who stays home again is a new case, under new pseudonyms unlinked to the closed one",
          arguments: ServerFixture.databases)
    func art5_5_interpretation_returningPupilIsANewCase(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let first = try await DisclosureFlowTests().createInformedCase(client, zco)
            let before = jsonObject(try await client.call(.get, "/v1/cases/\(first)", token: zco).body)["pseudonym"] as? String
            #expect(try await client.call(.patch, "/v1/cases/\(first)", token: zco, json: #"{"closureReason":"een-jaar-onafgebroken-onderwijs"}"#).status == .ok)
            let second = try await DisclosureFlowTests().createInformedCase(client, zco)
            let after = jsonObject(try await client.call(.get, "/v1/cases/\(second)", token: zco).body)
            #expect(after["status"] as? String == "open" && after["pseudonym"] as? String != before && before != nil)
        }
    }

    @Test("Art. 5.5: only the party that brought the case in, or the forum's convener, closes it; a participant, an FG and an outsider cannot",
          arguments: ServerFixture.databases)
    func art5_5_onlyThePartyWithAuthorityCloses(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let ref = try await DisclosureFlowTests().createInformedCase(client, zco)
            for (username, status) in [("jvk", HTTPResponse.Status.forbidden), ("lpa", .forbidden), ("fg-own", .forbidden), ("zco-other", .notFound)] {
                let token = try await client.login(fixture, username)
                let own = username == "zco-other" || username == "fg-own" ? ref : try await client.newestCaseRef(token)
                let answer = try await client.call(.patch, "/v1/cases/\(own)", token: token, json: #"{"closureReason":"overleden"}"#)
                #expect(answer.status == status, "\(username): \(answer.body)")
            }
            #expect(jsonObject(try await client.call(.get, "/v1/cases/\(ref)", token: zco).body)["status"] as? String == "open")
        }
    }

    @Test("Art. 9.2: before its term a closed case is kept; a dry run on the due day counts it and changes nothing; the run destroys it",
          arguments: ServerFixture.databases)
    func art9_2_retentionBeforeAndAfterTheTerm(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let rich = try await Self.richClosedCase(fixture, client)
            let due = Self.dueDay(fixture)
            let held = try await Self.rawRows(fixture, rich.id)
            #expect(held["cases"] == 1 && held["disclosures"] == 1 && held["sot_notes"] == 1 && held["consent_answers"] == 4 && held["duo_meldingen"] == 1)
            #expect(held["tafel_entries"] == 1 && held["tafel_agenda_items"] == 1 && held["tafel_minutes"] == 1 && (held["tafel_deliveries"] ?? 0) >= 2)
            let size = await fixture.gateway.register.size
            let early = try await fixture.gateway.runRetention(today: due.adding(days: -1))
            #expect(early.closedCases == 1 && early.due == 0 && early.destroyed == 0)
            let dry = try await fixture.gateway.runRetention(today: due, dryRun: true)
            #expect(dry.due == 1 && dry.destroyed == 0 && dry.rows["cases"] == 1 && dry.rows["case_facts"] == held["case_facts"])
            #expect(try await Self.rawRows(fixture, rich.id) == held, "a dry run changes nothing")
            #expect(await fixture.gateway.register.size == size, "and registers nothing")
            let run = try await fixture.gateway.runRetention(today: due)
            #expect(run.due == 1 && run.destroyed == 1 && run.failed == 0 && run.rows["disclosures"] == 1)
            #expect(await fixture.gateway.register.size == size + 1, "one register entry for the destruction")
            let again = try await fixture.gateway.runRetention(today: due)
            #expect(again.closedCases == 0 && again.destroyed == 0, "a destroyed case is gone: a second run finds nothing")
        }
    }

    @Test("Art. 9.2: after the run every row about the pupil is gone (raw tables), the pupil key with it; the tombstone names no case; register verify passes; the FG report is empty",
          arguments: ServerFixture.databases)
    func art9_2_afterTheRunThePersonalDataIsGone(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let rich = try await Self.richClosedCase(fixture, client, reason: "overleden")
            let entries = try await fixture.gateway.register.list(RegisterFilter(subject: rich.subject, limit: 1000)).entries
            #expect(entries.count >= 2, "the case's disclosure and re-identification are on the register under its pseudonym")
            let file = Self.sqliteFile(fixture)
            if let file { #expect(try Self.fileContains(file, rich.pupilKey), "the pupil key is in the file before (the scan can see it)") }
            let run = try await fixture.gateway.runRetention(today: Self.dueDay(fixture))
            #expect(run.destroyed == 1, "\(run)")
            let left = try await Self.rawRows(fixture, rich.id)
            #expect(left.values.allSatisfy { $0 == 0 }, "left: \(left.filter { $0.value != 0 })")
            if let file { #expect(try !Self.fileContains(file, rich.pupilKey), "the pupil key is gone from the database file and its log") }
            // The school's own record that it answered its signal stays, pointing at no case.
            let answered = try await fixture.gateway.store.answeredSignals(unit: "sovogo")
            #expect(answered.count == 1 && answered[0].meldingID == GatewayStore.destroyedMelding)
            // The register: unchanged entries, one more for the destruction, and it verifies.
            let after = try await fixture.gateway.register.list(RegisterFilter(subject: rich.subject, limit: 1000)).entries
            #expect(Array(after.prefix(entries.count)) == entries)
            let destruction = try #require(after.last)
            #expect(destruction.operation == "destroy" && destruction.activity == ProcessingActivities.retention && destruction.sender == "sovogo")
            #expect(!destruction.basis.joined().contains("overleden"), "the closure reason stays off the register")
            let report = try await fixture.gateway.register.verifyAll()
            #expect(report.problem == nil, "\(report)")
            // The tombstone: the case existed, closed when and why, destroyed when; nothing else.
            let tombstones = try await fixture.gateway.store.tombstones()
            let tombstone = try #require(tombstones.first)
            #expect(tombstones.count == 1 && tombstone.closureReason == "overleden" && tombstone.caseType == "verzuim")
            #expect(tombstone.closedOn == fixture.gateway.today.description && tombstone.destroyedOn == Self.dueDay(fixture).description)
            #expect(![tombstone.id, tombstone.openedQuarter, tombstone.duration].contains { $0.contains(rich.id) || $0.contains(rich.subject) })
            // The parties' references lead nowhere; the FG has nothing past its term.
            #expect(try await client.call(.get, "/v1/cases/\(rich.ref)", token: rich.zco).status == .notFound)
            fixture.clock.advance(by: 400 * 86_400)
            let fg = try await client.login(fixture, "fg-own")
            let view = jsonObject(try await client.call(.get, "/v1/retention", token: fg).body)
            #expect((view["items"] as? [Any])?.isEmpty == true, "\(view)")
        }
    }

    @Test("Art. 9.2: a destruction that fails half-way (a real refusal by the database on the last delete) leaves the case whole, registers nothing and is done by the next run",
          arguments: ServerFixture.databases)
    func art9_2_aFailedDestructionLeavesNothingHalfDestroyed(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let rich = try await Self.richClosedCase(fixture, client)
            let held = try await Self.rawRows(fixture, rich.id)
            let sql = fixture.gateway.store.sql
            let postgres = sql.dialect.name == "postgresql"
            let refuse: [SQLQueryString] = postgres ? [
                "CREATE FUNCTION refuse_delete() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER refuse_case_delete BEFORE DELETE ON cases FOR EACH ROW EXECUTE FUNCTION refuse_delete()",
            ] : ["CREATE TRIGGER refuse_case_delete BEFORE DELETE ON cases BEGIN SELECT RAISE(ABORT, 'injected failure'); END"]
            for statement in refuse { try await sql.raw(statement).run() }
            let size = await fixture.gateway.register.size
            let failed = try await fixture.gateway.runRetention(today: Self.dueDay(fixture))
            #expect(failed.due == 1 && failed.destroyed == 0 && failed.failed == 1 && failed.failures == ["sluis:register-unavailable"], "\(failed)")
            #expect(try await Self.rawRows(fixture, rich.id) == held, "the deletes before the refused one were rolled back")
            #expect(try await fixture.gateway.store.answeredSignals(unit: "sovogo").first?.meldingID != GatewayStore.destroyedMelding)
            #expect(try await fixture.gateway.store.tombstones().isEmpty)
            #expect(await fixture.gateway.register.size == size, "no entry for a destruction that did not happen")
            try await sql.raw("DROP TRIGGER refuse_case_delete\(unsafeRaw: postgres ? " ON cases" : "")").run()
            let retried = try await fixture.gateway.runRetention(today: Self.dueDay(fixture))
            #expect(retried.destroyed == 1)
            #expect(try await Self.rawRows(fixture, rich.id).values.allSatisfy { $0 == 0 })
        }
    }

    @Test("Art. 9.2, 15.2: the FG sees its own party's closed cases past their term by register pseudonym, and why; the view is on the register; after a run it is empty",
          arguments: ServerFixture.databases)
    func art9_2_fgSeesWhatIsHeldPastItsTerm(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let rich = try await Self.richClosedCase(fixture, client)
            let due = Self.dueDay(fixture)
            let fg = try await client.login(fixture, "fg-own")
            #expect((jsonObject(try await client.call(.get, "/v1/retention", token: fg).body)["items"] as? [Any])?.isEmpty == true, "within its term")
            #expect(try await client.call(.get, "/v1/retention", token: rich.zco).status == .forbidden)
            // A parameter the view does not take is refused, naming it — not silently ignored (a newcomer's finding).
            let ahead = try await client.call(.get, "/v1/retention?today=2030-01-01", token: fg)
            #expect(ahead.status == .badRequest && jsonObject(ahead.body)["field"] as? String == "today", "\(ahead.body)")
            fixture.clock.advance(by: 400 * 86_400)
            let fgLater = try await client.login(fixture, "fg-own"), other = try await client.login(fixture, "fg-other")
            let size = await fixture.gateway.register.size
            let answer = try await client.call(.get, "/v1/retention", token: fgLater)
            #expect(answer.status == .ok, "\(answer.body)")
            let items = try #require(jsonObject(answer.body)["items"] as? [[String: Any]])
            #expect(items.count == 1 && items[0]["kind"] as? String == "closed-past-term" && items[0]["subject"] as? String == rich.subject)
            #expect(items[0]["dueOn"] as? String == due.description && (items[0]["daysPastDue"] as? Int ?? -1) > 0)
            #expect(items[0]["article"] as? String == "convenant art. 9.2" && !answer.body.contains("Testnaam") && !answer.body.contains("123456782"))
            #expect(await fixture.gateway.register.size == size + 1, "the FG's view is an inspection on the register")
            let inspection = try #require(try await fixture.gateway.register.list(RegisterFilter(after: size - 1, limit: 1)).entries.first)
            #expect(inspection.operation == "inspect" && inspection.basis.joined().contains("bewaartermijnen; getoond: 1"))
            #expect((jsonObject(try await client.call(.get, "/v1/retention", token: other).body)["items"] as? [Any])?.isEmpty == true,
                    "another party's FG sees none of it")
            _ = try await fixture.gateway.runRetention()
            #expect((jsonObject(try await client.call(.get, "/v1/retention", token: fgLater).body)["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("Art. 5.5, interpretation (art. 1.11, 9.1: end of compulsory education closes a case): the FG sees an open case of a pupil past the scope until a party closes it with einde-leerplicht",
          arguments: ServerFixture.databases)
    func art5_5_interpretation_endOfCompulsoryEducationClosesTheCase(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let birth = CalendarDate.amsterdam(fixture.clock.now()).adding(days: -(17 * 366 + 300))
            let created = try await client.call(.post, "/v1/cases", token: zco, json: #"{"name":"Bijna Volwassen","birthDate":"\#(birth)"}"#)
            #expect(created.status == .created, "\(created.body)")
            let ref = try #require(jsonObject(created.body)["id"] as? String)
            fixture.clock.advance(by: 120 * 86_400)
            let fg = try await client.login(fixture, "fg-own"), zcoLater = try await client.login(fixture, "zco")
            let items = jsonObject(try await client.call(.get, "/v1/retention", token: fg).body)["items"] as? [[String: Any]] ?? []
            #expect(items.count == 1 && items.first?["kind"] as? String == "open-past-scope", "\(items)")
            #expect(try await client.call(.patch, "/v1/cases/\(ref)", token: zcoLater, json: #"{"closureReason":"einde-leerplicht"}"#).status == .ok)
            #expect((jsonObject(try await client.call(.get, "/v1/retention", token: fg).body)["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("Art. 9.2, interpretation (the school's own records follow their own term): the school's absence registrations stay, and its signal stays answered, pointing at no case",
          arguments: ServerFixture.databases)
    func art9_2_interpretation_schoolsOwnRecordsFollowTheirOwnTerm(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            #expect(try await client.upload(VerzuimoverlegTests.file(fixture), token: zco).status == .created)
            let registrations = try await fixture.gateway.store.sql.raw("SELECT COUNT(*) AS n FROM absence_registrations").first()?
                .decode(column: "n", as: Int.self)
            let rich = try await Self.richClosedCase(fixture, client, zco: zco)
            #expect(try await fixture.gateway.answeredSignals(unit: "sovogo").isAnswered(pupil: "L-0042", signal: "relatief-verzuim", since: "2026-10-20"))
            #expect(try await fixture.gateway.runRetention(today: Self.dueDay(fixture)).destroyed == 1)
            #expect(try await Self.rawRows(fixture, rich.id)["duo_meldingen"] == 0)
            #expect(try await fixture.gateway.store.sql.raw("SELECT COUNT(*) AS n FROM absence_registrations").first()?
                .decode(column: "n", as: Int.self) == registrations && (registrations ?? 0) > 0)
            #expect(try await fixture.gateway.answeredSignals(unit: "sovogo").isAnswered(pupil: "L-0042", signal: "relatief-verzuim", since: "2026-10-20"),
                    "the school reported it; the report stays done in its own list")
            #expect(try await fixture.gateway.store.answeredSignals(unit: "sovogo").map(\.meldingID) == [GatewayStore.destroyedMelding])
        }
    }

    // MARK: The database file (SQLite)

    static func sqliteFile(_ fixture: ServerFixture) -> String? {
        if case .sqlite(let path) = fixture.configuration.database { return path }
        return nil
    }

    /// Whether the SQLite file or its write-ahead log holds `text` anywhere, deleted space included.
    static func fileContains(_ path: String, _ text: String) throws -> Bool {
        let needle = Data(text.utf8)
        for file in [path, path + "-wal"] where FileManager.default.fileExists(atPath: file) {
            if try Data(contentsOf: URL(fileURLWithPath: file)).range(of: needle) != nil { return true }
        }
        return false
    }
}
