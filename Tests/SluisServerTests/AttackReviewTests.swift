import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SluisGateway
import SluisRegister
import SluisStore
@testable import SluisServer

/// What the attack review of this session found, each reproduced over HTTP and now refused.
@Suite("Attack review findings", .serialized)
struct AttackReviewTests {
    @Test("Verzuimprotocol 5.4, Lpw art. 21a: naming the duo-melding forum in an ordinary disclosure releases no identity — a melding is recorded, not disclosed",
          arguments: ServerFixture.databases)
    func protocol5_4_duoMeldingForumIsNoDisclosureRoute(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco"), lpa = try await client.login(fixture, "lpa")
            let ref = try await DisclosureFlowTests().createInformedCase(client, zco)
            let answer = try await client.call(.post, "/v1/disclosures", token: zco, json: """
                {"caseId":"\(ref)","recipient":"gemeente-goeree-overflakkee","forum":"duo-melding","purpose":"3.1.e","fields":["name","birthDate","absence"]}
                """)
            #expect(answer.status == .badRequest, "\(answer.body)")
            #expect(!answer.body.contains("Testnaam"))
            let mailbox = jsonObject(try await client.call(.get, "/v1/mailbox", token: lpa).body)
            #expect((mailbox["disclosures"] as? [Any])?.isEmpty == true, "nothing reached the leerplicht")
        }
    }

    @Test("Art. 3.4 sub c, Lpw art. 21a: a school board that did not bring the pupil in cannot record a melding that would unlock another party's identity data",
          arguments: ServerFixture.databases)
    func art3_4c_onlyTheOwningSchoolRecordsTheMelding(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let jvk = try await client.login(fixture, "jvk"), zco = try await client.login(fixture, "zco"), lpa = try await client.login(fixture, "lpa")
            let created = try await client.call(.post, "/v1/cases", token: jvk, json: """
                {"name":"Geheim Kind","birthDate":"2012-05-05","parties":["sovogo","gemeente-goeree-overflakkee"]}
                """)
            #expect(created.status == .created, "\(created.body)")
            let schoolRef = try await client.newestCaseRef(zco)
            let melding = try await client.call(.post, "/v1/cases/\(schoolRef)/duo-meldingen", token: zco,
                                                json: #"{"date":"2026-11-20","kind":"relatief-verzuim","reference":"DUO-FAKE-1"}"#)
            #expect(melding.status == .forbidden, "\(melding.body)")
            let seen = jsonObject(try await client.call(.get, "/v1/cases/\(try await client.newestCaseRef(lpa))", token: lpa).body)
            #expect(seen["identity"] == nil)
        }
    }

    @Test("Bijlage 3.3 sub 5, art. 5.5: the SWV does not become a case's convener by disclosing in the thuiszitterstafel itself, so it cannot close the school's case",
          arguments: ServerFixture.databases)
    func bijlage3_3_disclosingDoesNotMakeTheSwvConvener(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco"), swv = try await client.login(fixture, "swv")
            _ = try await DisclosureFlowTests().createInformedCase(client, zco)
            let ref = try await client.newestCaseRef(swv)
            #expect(try await client.call(.patch, "/v1/cases/\(ref)", token: swv, json: #"{"facts":{"supportFacts":"begeleiding"}}"#).status == .ok)
            #expect(try await client.call(.post, "/v1/cases/\(ref)/informing", token: swv, json: #"{"informedAt":"2026-11-20","method":"brief"}"#).status == .created)
            _ = try await client.call(.post, "/v1/disclosures", token: swv, json: """
                {"caseId":"\(ref)","recipient":"cjg-rijnmond","forum":"thuiszitterstafel","purpose":"3.1.a","fields":["supportFacts"]}
                """)
            let close = try await client.call(.patch, "/v1/cases/\(ref)", token: swv, json: #"{"closureReason":"overleden"}"#)
            #expect(close.status == .forbidden, "\(close.body)")
        }
    }

    @Test("Art. 15: the FG's filter goes on the register only as register vocabulary — typed text is refused, naming the parameter, and not registered",
          arguments: ServerFixture.databases)
    func art15_registerFilterIsVocabularyOnly(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let fg = try await client.login(fixture, "fg-own")
            // Lowercase words of the right characters too (an attacker's finding): only a pseudonym's
            // shape and an activity of the art. 30 register pass.
            for query in ["subject=Jan%20Jansen", "decision=%3DHYPERLINK(1)", "activity=line1%0Aline2", "from=gisteren",
                          "subject=jan.jansen.12-03-2013", "activity=lotte.testpersoon", "subject=bsn-111222333",
                          "from=2026-13-01", "to=2026-02-30"] {
                let answer = try await client.call(.get, "/v1/register/entries?\(query)", token: fg)
                #expect(answer.status == .badRequest, "\(query): \(answer.body)")
                #expect(!answer.body.contains("Jansen") && !answer.body.contains("HYPERLINK"))
            }
            let entries = try await client.call(.get, "/v1/register/entries?decision=permit&activity=verstrekking-casusoverleg&subject=ps1-abcdefghijklmnopqrstuvwxyz234567", token: fg)
            #expect(entries.status == .ok, "\(entries.body)")
            for path in ["/v1/register/ldv?subject=jan.jansen.12-03-2013", "/v1/register/entries?subject=ldv.jan"] {
                #expect(try await client.call(.get, path, token: fg).status == .badRequest, "\(path)")
            }
            let all = try await fixture.gateway.register.list(.init(limit: 1000)).entries
            #expect(!all.contains { $0.basis.joined().lowercased().contains("jansen") || $0.basis.joined().contains("HYPERLINK") || $0.basis.joined().contains("lotte") })
        }
    }

    @Test("Art. 15, privacy in our own house: text typed into a path where an id belongs (a name, say) never reaches the audit log — a denied request logs the kind of resource only",
          arguments: ServerFixture.databases)
    func art15_pathTextIsNotAudited(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let swv = try await client.login(fixture, "swv")
            let beheer = try await client.login(fixture, "beheer")
            let name = "Jan%20Jansen"
            for (token, path) in [(swv, "/v1/mailbox/\(name)/bundle"), (swv, "/v1/notices/\(name)/acknowledge"), (beheer, "/v1/delegates/\(name)/disable"),
                                  (swv, "/v1/consents/\(name)/revoke"), (swv, "/v1/verzuimoverleg/shared/\(name)")] {
                let method: HTTPRequest.Method = path.hasSuffix("acknowledge") || path.hasSuffix("disable") || path.hasSuffix("revoke") ? .post : .get
                let answer = try await client.call(method, path, token: token)
                #expect(answer.status.code >= 400 && !answer.body.contains("Jansen"), "\(path): \(answer.body)")
            }
            let audit = try await fixture.gateway.store.audit(limit: 500)
            #expect(audit.contains { $0.detail.contains("(not an id; not recorded)") }, "the denials are logged, without the text")
            #expect(!audit.contains { $0.detail.contains("Jansen") }, "\(audit.map(\.detail).filter { $0.contains("Jansen") })")
        }
    }

    @Test("Art. 15: an error names a key of ours (a typo too) but never repeats a key that may be personal data — a name or a BSN typed as a map key, an unknown key or a repeated one; the decision request alike",
          arguments: ServerFixture.databases)
    func art15_keysThatMayBeNamesAreNotEchoed(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let bodies = [
                #"{"name":"A B","birthDate":"2012-05-06","facts":{"Jan Jansen":5},"caseType":"verzuim","parties":[]}"#,
                #"{"name":"A B","birthDate":"2012-05-06","facts":{"123456782":5},"caseType":"verzuim","parties":[]}"#,
                #"{"name":"A B","birthDate":"2012-05-06","Jan Jansen":1,"caseType":"verzuim","parties":[]}"#,
                #"{"name":"A B","birthDate":"2012-05-06","facts":{"Jan Jansen":"x","Jan Jansen":"y"},"caseType":"verzuim","parties":[]}"#,
            ]
            for body in bodies {
                let answer = try await client.call(.post, "/v1/cases", token: zco, json: body)
                #expect(answer.status == .badRequest, "\(answer.body)")
                #expect(!answer.body.contains("Jansen") && !answer.body.contains("123456782"), "\(answer.body)")
                #expect(answer.body.contains("[a key]"), "the error still says where: \(answer.body)")
            }
            let typo = try await client.call(.post, "/v1/cases", token: zco,
                                             json: #"{"name":"A B","birthDate":"2012-05-06","caseTyp":"verzuim","parties":[]}"#)
            #expect(typo.status == .badRequest && typo.body.contains("caseTyp"), "a typo of ours is named: \(typo.body)")
            for body in [#"{"Jan Jansen":1}"#, #"{"forum":"casusoverleg","forum":"casusoverleg","pupil":{"Jan Jansen":1,"Jan Jansen":2}}"#] {
                let answer = try await client.call(.post, "/v1/decisions", token: zco, json: body)
                #expect(answer.status == .badRequest && !answer.body.contains("Jansen"), "\(answer.body)")
            }
        }
    }
}
