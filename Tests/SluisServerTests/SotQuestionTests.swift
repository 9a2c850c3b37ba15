import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SluisRegister
import SluisStore
import Testing
@testable import SluisCrypto
@testable import SluisGateway
@testable import SluisServer

/// The SOT's support questions (Bijlage 3.2 sub 4; issue 10 item 4), over HTTP on SQLite and
/// PostgreSQL: a question is a thing with its own id, consents bind to it, SOT disclosures name
/// it, and its notes are for the SOT's members only.
@Suite("SOT support questions", .serialized)
struct SotQuestionTests {
    static func ask(_ client: some TestClientProtocol, _ token: String, case ref: String, _ question: String) async throws -> String {
        let asked = try await client.call(.post, "/v1/cases/\(ref)/sot-questions", token: token, json: #"{"question":"\#(question)"}"#)
        #expect(asked.status == .created, "\(asked.body)")
        return try #require(jsonObject(asked.body)["id"] as? String)
    }

    /// Two questions the school asks the SOT about the case: A and B.
    static func twoQuestions(_ client: some TestClientProtocol, _ c: ConsentCaseworkTests.Case) async throws -> (String, String) {
        (try await ask(client, c.zco, case: c.school, "Welke ondersteuning helpt bij de terugkeer naar school?"),
         try await ask(client, c.zco, case: c.school, "Is er hulp thuis nodig naast de begeleiding op school?"))
    }

    /// A case, its two questions, and the school's consent on the first naming only the JGZ (the CJG), for the absence.
    static func consentToTheJgzOnQuestionA(_ fixture: ServerFixture, _ client: some TestClientProtocol) async throws
        -> (ConsentCaseworkTests.Case, String, [String: Any]) {
        let c = try await ConsentCaseworkTests.setUp(fixture, client)
        let (a, _) = try await twoQuestions(client, c)
        let consent = try await ConsentCaseworkTests.consent(client, c.zco, case: c.school, to: #"["jgz"]"#, fields: #"["absence"]"#,
                                                             givers: [ServerFixture.given("parent"), ServerFixture.given("pupil")],
                                                             extra: #","sotQuestion":"\#(a)""#)
        return (c, a, consent)
    }

    static func sotDisclosure(_ ref: String, question: String?) -> String {
        #"{"caseId":"\#(ref)","recipient":"cjg-rijnmond","forum":"sot","purpose":"3.1.d","fields":["absence"]"#
            + (question.map { #","sotQuestion":"\#($0)"}"# } ?? "}")
    }

    @Test("Bijlage 3.2 sub 4: a SOT disclosure with consent for question A goes; for question B it is refused — a new question needs new consent",
          arguments: ServerFixture.databases)
    func bijlage3_2_consentForQuestionAIsNoConsentForQuestionB(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let c = try await ConsentCaseworkTests.setUp(fixture, client)
            let (a, b) = try await Self.twoQuestions(client, c)
            let consent = try await ConsentCaseworkTests.consent(client, c.zco, case: c.school, to: #"["jgz"]"#, fields: #"["absence"]"#,
                                                                 givers: [ServerFixture.given("parent"), ServerFixture.given("pupil")],
                                                                 extra: #","sotQuestion":"\#(a)""#)
            #expect(consent["sotQuestion"] as? String == a && consent["state"] as? String == "given")
            let forA = try await client.call(.post, "/v1/disclosures", token: c.zco, json: Self.sotDisclosure(c.school, question: a))
            #expect(forA.status == .created, "\(forA.body)")
            let forB = try await client.call(.post, "/v1/disclosures", token: c.zco, json: Self.sotDisclosure(c.school, question: b))
            #expect(forB.status == .forbidden && ConsentCaseworkTests.withheldRule(jsonObject(forB.body), "absence") == "sot-question-consent")
            let none = try await client.call(.post, "/v1/disclosures", token: c.zco, json: Self.sotDisclosure(c.school, question: nil))
            #expect(none.status == .forbidden && (jsonObject(none.body)["answer"] as? [String: Any]).flatMap { $0["reasons"] as? [[String: Any]] }?
                        .contains { $0["rule"] as? String == "sot-question-missing" } == true)
            // The disclosure names the question, in the mailbox and in the sealed bundle.
            let item = try #require((jsonObject(try await client.call(.get, "/v1/mailbox", token: c.jvk).body)["disclosures"] as? [[String: Any]])?.first)
            #expect(item["sotQuestion"] as? String == a && item["forum"] as? String == "sot")
            let fetched = try await client.execute(uri: "/v1/mailbox/\(item["id"] as! String)/bundle", method: .get,
                                                   headers: [.authorization: "Bearer \(c.jvk)"]) { $0 }
            let credentials = try fixture.gateway.credentials.credentials("cjg-rijnmond")
            let opened = try SealedBundle.open(Array(buffer: fetched.body), recipient: credentials.certificate, key: credentials.key,
                                               trust: fixture.gateway.trust, expectedSigner: try fixture.gateway.credentials.certificate("sovogo"))
            #expect(jsonObject(String(decoding: opened.plaintext.bytes, as: UTF8.self))["sotQuestion"] as? String == a)
            // Question ids, not free text: an id of no question of this case is refused, and only in the SOT.
            for (body, field) in [(Self.sotDisclosure(c.school, question: "welke hulp"), "sotQuestion"),
                                  (#"{"caseId":"\#(c.school)","recipient":"swv-go","forum":"casusoverleg","purpose":"3.1.d","fields":["absence"],"sotQuestion":"\#(a)"}"#,
                                   "sotQuestion")] {
                let bad = try await client.call(.post, "/v1/disclosures", token: c.zco, json: body)
                #expect(bad.status == .badRequest && jsonObject(bad.body)["field"] as? String == field, "\(bad.body)")
            }
            let unbound = try await client.call(.post, "/v1/cases/\(c.school)/consents", token: c.zco,
                                                json: #"{"recipients":["jgz"],"fields":["absence"],"givers":[],"sotQuestion":"vrije tekst"}"#)
            #expect(unbound.status == .badRequest && jsonObject(unbound.body)["field"] as? String == "sotQuestion")
        }
    }

    @Test("Bijlage 3.2 sub 1 and 4: the SOT's notes on a question are visible only to its members in the case, and written only with consent",
          arguments: ServerFixture.databases)
    func bijlage3_2_notesOnlyForSotMembers(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let c = try await ConsentCaseworkTests.setUp(fixture, client)
            let (a, b) = try await Self.twoQuestions(client, c)
            _ = try await ConsentCaseworkTests.consent(client, c.zco, case: c.school, to: #"["jgz","swv","gemeente"]"#, fields: #"["absence"]"#,
                                                       givers: [ServerFixture.given("parent"), ServerFixture.given("pupil")], extra: #","sotQuestion":"\#(a)""#)
            let note = "Besproken: aangepast rooster, 8 weken; de jeugdverpleegkundige nodigt uit."
            let written = try await client.call(.post, "/v1/cases/\(c.school)/sot-questions/\(a)/notes", token: c.zco, json: #"{"text":"\#(note)"}"#)
            #expect(written.status == .created, "\(written.body)")
            let withoutConsent = try await client.call(.post, "/v1/cases/\(c.school)/sot-questions/\(b)/notes", token: c.zco, json: #"{"text":"x"}"#)
            #expect(withoutConsent.status == .conflict, "\(withoutConsent.body)")
            #expect(jsonObject(withoutConsent.body)["code"] as? String == "sluis:sot-consent-missing")
            // Members: school, SWV, CJG, the gemeente's jeugd en gezin — each on its own case reference.
            let jeg = try await client.login(fixture, "jeg")
            for (token, name) in [(c.zco, "zco"), (c.swv, "swv"), (c.jvk, "jvk"), (jeg, "jeg")] {
                let ref = name == "zco" ? c.school : try await client.newestCaseRef(token)
                let notes = try await client.call(.get, "/v1/cases/\(ref)/sot-questions/\(a)/notes", token: token)
                #expect(notes.status == .ok && jsonArray(notes.body).map { $0["text"] as? String } == [note], "\(name): \(notes.body)")
                let questions = jsonArray(try await client.call(.get, "/v1/cases/\(ref)/sot-questions", token: token).body)
                #expect(Set(questions.compactMap { $0["id"] as? String }) == [a, b], "\(name)")
            }
            // The leerplichtambtenaar takes part in the case but not in the SOT: 403; an outsider: 404.
            let lpa = try await client.login(fixture, "lpa")
            let lpaRef = try await client.newestCaseRef(lpa)
            #expect(try await client.call(.get, "/v1/cases/\(lpaRef)/sot-questions/\(a)/notes", token: lpa).status == .forbidden)
            #expect(try await client.call(.get, "/v1/cases/\(lpaRef)/sot-questions", token: lpa).status == .forbidden)
            let other = try await client.login(fixture, "zco-other")
            #expect(try await client.call(.get, "/v1/cases/\(c.school)/sot-questions/\(a)/notes", token: other).status == .notFound)
            let unknown = try await client.call(.get, "/v1/cases/\(c.school)/sot-questions/onbekend/notes", token: c.zco)
            #expect(unknown.status == .notFound && jsonObject(unknown.body)["code"] as? String == "sluis:sot-question-not-found")
            // On the register: who wrote and read, never the text.
            let entries = try await fixture.gateway.register.list(.init(limit: 100)).entries
            #expect(entries.filter { $0.operation == "sot-note" }.count == 1 && entries.filter { $0.operation == "sot-notes-read" }.count == 4)
            #expect(entries.allSatisfy { !$0.basis.joined().contains("rooster") })
        }
    }

    @Test("Bijlage 3.2 sub 4: notes on a question are read and written only by the members its consent names (and the school that holds it); an author keeps reading its own",
          arguments: ServerFixture.databases)
    func bijlage3_2_notesOnlyForTheRecipientsTheConsentNames(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let (c, a, consent) = try await Self.consentToTheJgzOnQuestionA(fixture, client)
            // The consent does not name the SWV: the school's disclosure to it on the question is refused …
            let disclosure = #"{"caseId":"\#(c.school)","recipient":"swv-go","forum":"sot","purpose":"3.1.d","fields":["absence"],"sotQuestion":"\#(a)"}"#
            #expect(try await client.call(.post, "/v1/disclosures", token: c.zco, json: disclosure).status == .forbidden)
            // … and so are the notes: the jeugdverpleegkundige's note is not the SWV's (nor the gemeente's) to read or add to.
            let note = "Besproken met de jeugdverpleegkundige; vervolg over 8 weken."
            let path = { (ref: String) in "/v1/cases/\(ref)/sot-questions/\(a)/notes" }
            #expect(try await client.call(.post, path(c.cjg), token: c.jvk, json: #"{"text":"\#(note)"}"#).status == .created)
            let jeg = try await client.login(fixture, "jeg")
            for token in [c.swv, jeg] {
                let ref = try await client.newestCaseRef(token)
                for response in [try await client.call(.get, path(ref), token: token),
                                 try await client.call(.post, path(ref), token: token, json: #"{"text":"Eigen aantekening."}"#)] {
                    #expect(response.status == .conflict && jsonObject(response.body)["code"] as? String == "sluis:sot-consent-missing", "\(response.body)")
                }
            }
            // The school holds the consent, the CJG is named: both read it.
            for (token, ref) in [(c.zco, c.school), (c.jvk, c.cjg)] {
                let read = try await client.call(.get, path(ref), token: token)
                #expect(read.status == .ok && jsonArray(read.body).map { $0["text"] as? String } == [note], "\(read.body)")
            }
            // After the revocation nobody adds a note; the author still reads its own, the school no longer reads it.
            let consentID = try #require(consent["id"] as? String)
            #expect(try await client.call(.post, "/v1/consents/\(consentID)/revoke", token: c.zco).status == .ok)
            #expect(try await client.call(.post, path(c.cjg), token: c.jvk, json: #"{"text":"Nog een."}"#).status == .conflict)
            let own = try await client.call(.get, path(c.cjg), token: c.jvk)
            #expect(own.status == .ok && jsonArray(own.body).map { $0["text"] as? String } == [note], "\(own.body)")
            #expect(try await client.call(.get, path(c.school), token: c.zco).status == .conflict)
            let entries = try await fixture.gateway.register.list(.init(limit: 1000)).entries
            #expect(entries.filter { $0.operation == "sot-note" }.count == 1 && entries.filter { $0.operation == "sot-notes-read" }.count == 3)
        }
    }

    @Test("Art. 6.1 sub d, Bijlage 3.2 sub 4: a revocation racing 48 note writes — each note is written before the revocation or refused, none after it",
          arguments: ServerFixture.databases)
    func art6_1d_noteRacingARevocationIsWrittenBeforeOrRefused(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let (c, a, consent) = try await Self.consentToTheJgzOnQuestionA(fixture, client)
            let consentID = try #require(consent["id"] as? String)
            let (path, token) = ("/v1/cases/\(c.school)/sot-questions/\(a)/notes", c.zco)
            // The revocation is sent while the note writes are under way, so some notes come before it and some after.
            async let revocation = { () async throws -> HTTPResponse.Status in
                try await Task.sleep(for: .milliseconds(2))
                return try await client.call(.post, "/v1/consents/\(consentID)/revoke", token: token).status
            }()
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for round in 0..<48 {
                    group.addTask {
                        let response = try await client.call(.post, path, token: token, json: #"{"text":"Aantekening \#(round)."}"#)
                        return "\(response.status.code) \(jsonObject(response.body)["code"] as? String ?? "")"
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(try await revocation == .ok)
            #expect(outcomes.count == 48 && outcomes.allSatisfy { $0 == "201 " || $0 == "409 sluis:sot-consent-missing" }, "\(Set(outcomes))")
            let entries = try await fixture.gateway.register.list(.init(limit: 1000)).entries
            let revokedAt = try #require(entries.first { $0.operation == "consent-revoked" }?.index)
            let written = entries.filter { $0.operation == "sot-note" }
            #expect(written.filter { $0.index > revokedAt }.isEmpty, "sot-note entries after the revocation: \(written.filter { $0.index > revokedAt }.count)")
            // Every accepted note is stored and on the register, and no refused one is: the author reads back exactly its accepted writes.
            // Under load the revocation may land before every write: then the author holds no note
            // and no consent covers it, and reading answers 409 (no note is no reading: interpretation
            // in SotQuestions.sotNotes) — the same count, zero.
            let own = try await client.call(.get, path, token: token)
            let accepted = outcomes.filter { $0 == "201 " }.count
            let stored = own.status == .ok ? jsonArray(own.body).count : 0
            #expect(own.status == (accepted == 0 ? .conflict : .ok) && stored == accepted && written.count == stored,
                    "\(own.status): \(stored) stored, \(written.count) registered, \(accepted) accepted")
            #expect(try await fixture.gateway.register.verifyAll().problem == nil)
        }
    }

    @Test("Bijlage 3.2 sub 3–4: only the school asks the SOT a question, and it is a short, clearly described text", arguments: ServerFixture.databases)
    func bijlage3_2_theSchoolAsksAClearlyDescribedQuestion(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let c = try await ConsentCaseworkTests.setUp(fixture, client)
            for text in ["Help?", String(repeating: "vraag ", count: 100), "Vraag met\\u0000nul"] {
                let bad = try await client.call(.post, "/v1/cases/\(c.school)/sot-questions", token: c.zco, json: #"{"question":"\#(text)"}"#)
                #expect(bad.status == .badRequest && jsonObject(bad.body)["field"] as? String == "question", "\(bad.body)")
            }
            let byCjg = try await client.call(.post, "/v1/cases/\(c.cjg)/sot-questions", token: c.jvk, json: #"{"question":"Welke hulp past bij de leerling?"}"#)
            #expect(byCjg.status == .forbidden && jsonObject(byCjg.body)["article"] as? String == "Bijlage 3.2 sub 3–4")
            #expect(jsonArray(try await client.call(.get, "/v1/cases/\(c.school)/sot-questions", token: c.zco).body).isEmpty)
        }
    }
}
