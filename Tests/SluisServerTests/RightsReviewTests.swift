import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SluisGateway
import SluisRegister
import SluisStore
@testable import SluisServer

/// Issue 12, the second outside review of the rights: each finding as the test that failed
/// before its fix, on SQLite and PostgreSQL.
@Suite("Rights of pupils and parents: second review (art. 13; AVG art. 18, 19)", .serialized)
struct RightsReviewTests {
    typealias R = RightsTests
    static let question = #"{"question":"Welke ondersteuning past bij deze leerling?"}"#

    /// Whether the school's case is restricted, seen as the school: a new SOT question is refused
    /// with `case-restricted` exactly then (AVG art. 18 lid 2).
    static func restricted(_ client: some TestClientProtocol, _ zco: String, _ ref: String) async throws -> Bool {
        let asked = try await client.call(.post, "/v1/cases/\(ref)/sot-questions", token: zco, json: question)
        #expect(asked.status == .conflict || asked.status == .created, "\(asked.body)")
        return asked.status == .conflict && jsonObject(asked.body)["code"] as? String == "sluis:case-restricted"
    }

    @Test("AVG art. 18 lid 1 sub d, lid 3, found in review: another convener's refused objection does not lift the school's pending objection — each request restricts on its own",
          arguments: ServerFixture.databases)
    func avg18_3_anotherConvenersRefusedObjectionLeavesTheSchoolsRestriction(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            let school = try await t.schoolCase(name: "Testnaam Bezwaar", caseType: "verzuim")
            _ = try await t.register("swv", school, caseType: "verzuim", summary: "Samenvatting-Bezwaar")
            let zco = try #require(t.tokens["zco"])
            let schools = try #require(try await R.received(client, zco, school, "bezwaar")["id"] as? String)
            let swvs = try #require(try await R.received(client, t.tokens["swv"]!, try await t.ref("swv", of: school), "bezwaar")["id"] as? String)
            let refused = try await R.decide(client, t.tokens["swv"]!, swvs,
                                             #"{"outcome":"refused","reason":"Dwingende gronden.","refusalGround":"e-algemeen-belang"}"#)
            #expect(refused.status == .ok && refused.body["restricted"] as? Bool == true, "the school's objection still restricts: \(refused.body)")
            #expect(try await Self.restricted(client, zco, school))
            // The school's own objection, refused, lifts the last restriction.
            #expect(try await R.decide(client, zco, schools, #"{"outcome":"refused","reason":"Dwingende gronden.","refusalGround":"e-algemeen-belang"}"#).status == .ok)
            #expect(try await Self.restricted(client, zco, school) == false)
        }
    }

    @Test("AVG art. 18 lid 1 sub d, found in review: an objection recorded on a case restricted already gets its own restriction — lifting the earlier beperking leaves the case restricted",
          arguments: ServerFixture.databases)
    func avg18_1d_anObjectionOnARestrictedCaseRestrictsOnItsOwn(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let ref = try await DisclosureFlowTests().createInformedCase(client, zco)
            let beperking = try #require(try await R.received(client, zco, ref, "beperking")["id"] as? String)
            #expect(try await R.decide(client, zco, beperking, #"{"outcome":"granted","reason":"Juistheid betwist."}"#).status == .ok)
            let objection = try #require(try await R.received(client, zco, ref, "bezwaar")["id"] as? String)
            let lifted = try await client.call(.post, "/v1/rights/requests/\(beperking)/lift", token: zco, json: #"{"reason":"juistheid-vastgesteld"}"#)
            #expect(lifted.status == .ok && jsonObject(lifted.body)["restricted"] as? Bool == true, "\(lifted.body)")
            #expect(try await client.call(.post, "/v1/disclosures", token: zco, json: R.disclosure(ref)).status == .conflict)
            // Lifting the beperking again finds nothing of its own; the objection's holds until decided.
            let again = try await client.call(.post, "/v1/rights/requests/\(beperking)/lift", token: zco, json: #"{"reason":"juistheid-vastgesteld"}"#)
            #expect(again.status == .conflict && (jsonObject(again.body)["detail"] as? String)?.contains("another request") == true, "\(again.body)")
            #expect(try await R.decide(client, zco, objection, #"{"outcome":"refused","reason":"Dwingende gronden.","refusalGround":"e-algemeen-belang"}"#).status == .ok)
            #expect(try await client.call(.post, "/v1/disclosures", token: zco, json: R.disclosure(ref)).status == .created)
        }
    }

    @Test("Art. 13.1 sub c, fn 31, found in review: an erasure is granted or refused whole — a partial grant, naming a refusal ground, is refused and destroys nothing",
          arguments: ServerFixture.databases)
    func art13_1c_interpretation_noPartialErasure(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let ref = try await DisclosureFlowTests().createInformedCase(client, zco)
            let id = try #require(try await R.received(client, zco, ref, "wissing")["id"] as? String)
            let partly = try await R.decide(client, zco, id, #"{"outcome":"partly-granted","reason":"Deels.","refusalGround":"e-algemeen-belang"}"#)
            #expect(partly.status == .badRequest && partly.body["field"] as? String == "outcome", "\(partly.body)")
            #expect(try await client.call(.get, "/v1/cases/\(ref)", token: zco).status == .ok, "the case is still there")
        }
    }

    @Test("AVG art. 18 lid 2, art. 10, found in review: a bundle disclosed before the restriction is not fetched while the case is restricted; after the lift it is",
          arguments: ServerFixture.databases)
    func avg18_2_noFetchOfARestrictedCasesBundle(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await AuthorityTests().setUp(fixture, client)
            let ref = try #require(p.refs["zco"])
            #expect(try await client.call(.post, "/v1/disclosures", token: p.zco, json: R.disclosure(ref)).status == .created)
            let item = try #require((jsonObject(try await client.call(.get, "/v1/mailbox", token: p.swv).body)["disclosures"] as? [[String: Any]])?.first?["id"] as? String)
            let id = try #require(try await R.received(client, p.zco, ref, "beperking")["id"] as? String)
            #expect(try await R.decide(client, p.zco, id, #"{"outcome":"granted","reason":"Juistheid betwist."}"#).status == .ok)
            let held = try await client.call(.get, "/v1/mailbox/\(item)/bundle", token: p.swv)
            #expect(held.status == .conflict && jsonObject(held.body)["code"] as? String == "sluis:case-restricted", "\(held.body)")
            let fetches = try await fixture.gateway.register.list(.init(limit: 1000)).entries.filter { $0.operation == "fetch" }
            #expect(fetches.isEmpty, "a refused fetch is no fetch on the register")
            #expect(try await client.call(.post, "/v1/rights/requests/\(id)/lift", token: p.zco, json: #"{"reason":"juistheid-vastgesteld"}"#).status == .ok)
            #expect(try await client.call(.get, "/v1/mailbox/\(item)/bundle", token: p.swv).status == .ok)
        }
    }

    @Test("AVG art. 18 lid 2, art. 19, protocol 5.4, found in review: after a DUO melding the leerplicht sees no identity while the case is restricted, and a corrected address reaches it with a notice on the register",
          arguments: ServerFixture.databases)
    func avg19_theLeerplichtReidentifiedByAMeldingIsToldOfACorrection(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await AuthorityTests().setUp(fixture, client)
            let (ref, lpaRef) = (try #require(p.refs["zco"]), try #require(p.refs["lpa"]))
            #expect(try await DuoMeldingTests().melding(client, p.zco, ref, reference: "DUO-REV-1").status == .created)
            #expect(jsonObject(try await client.call(.get, "/v1/cases/\(lpaRef)", token: p.lpa).body)["identity"] != nil)
            let id = try #require(try await R.received(client, p.zco, ref, "rectificatie")["id"] as? String)
            let fixed = try await client.call(.post, "/v1/rights/requests/\(id)/rectification", token: p.zco, json: #"{"field":"name","value":"Testnaam Verbeterd"}"#)
            #expect(fixed.status == .created, "\(fixed.body)")
            #expect((jsonObject(fixed.body)["notified"] as? [String])?.contains("gemeente-goeree-overflakkee/leerplicht") == true, "\(fixed.body)")
            let notices = try await fixture.gateway.register.list(.init(limit: 1000)).entries.filter { $0.operation == "rectification-notice" }
            #expect(notices.contains { $0.recipient == "gemeente-goeree-overflakkee" && $0.recipientRole == "leerplicht" })
            let objection = try #require(try await R.received(client, p.zco, ref, "bezwaar")["id"] as? String)
            #expect(!objection.isEmpty)
            let view = jsonObject(try await client.call(.get, "/v1/cases/\(lpaRef)", token: p.lpa).body)
            #expect(view["identity"] == nil, "restricted: \(view["identity"].map { _ in "identity shown" } ?? "")")
        }
    }

    @Test("AVG art. 18 lid 2, found in review: on a restricted case a SOT member reads only its own party's questions",
          arguments: ServerFixture.databases)
    func avg18_2_restrictedCaseSharesNoSotQuestion(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await AuthorityTests().setUp(fixture, client)
            let ref = try #require(p.refs["zco"])
            #expect(try await client.call(.post, "/v1/cases/\(ref)/sot-questions", token: p.zco, json: Self.question).status == .created)
            let member = try #require(p.refs["swv"])
            #expect(jsonArray(try await client.call(.get, "/v1/cases/\(member)/sot-questions", token: p.swv).body).count == 1)
            #expect(try await R.received(client, p.zco, ref, "bezwaar")["restricted"] as? Bool == true)
            let listed = try await client.call(.get, "/v1/cases/\(member)/sot-questions", token: p.swv)
            #expect(listed.status == .ok && jsonArray(listed.body).isEmpty, "\(listed.body)")
            #expect(jsonArray(try await client.call(.get, "/v1/cases/\(ref)/sot-questions", token: p.zco).body).count == 1, "the school's own")
        }
    }

    @Test("AVG art. 18, a newcomer's finding: the case view says the processing is restricted before anyone tries; a correction under an inzage request is the wrong kind, not 'decided'",
          arguments: ServerFixture.databases)
    func avg18_caseViewShowsRestriction_wrongKindSaidAsSuch(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let ref = try await DisclosureFlowTests().createInformedCase(client, zco)
            #expect(jsonObject(try await client.call(.get, "/v1/cases/\(ref)", token: zco).body)["restricted"] as? Bool == false)
            let inzage = try #require(try await R.received(client, zco, ref, "inzage")["id"] as? String)
            let wrong = try await client.call(.post, "/v1/rights/requests/\(inzage)/rectification", token: zco, json: #"{"field":"name","value":"Testnaam Anders"}"#)
            #expect(wrong.status == .conflict && jsonObject(wrong.body)["code"] as? String == "sluis:rights-request-wrong-kind", "\(wrong.body)")
            #expect(try await R.received(client, zco, ref, "bezwaar")["restricted"] as? Bool == true)
            #expect(jsonObject(try await client.call(.get, "/v1/cases/\(ref)", token: zco).body)["restricted"] as? Bool == true)
            let report = try await client.call(.get, "/v1/cases/\(ref)/inzage?format=html", token: zco)
            #expect(report.body.contains("verwerking beperkt") && report.body.contains("ja, op uw verzoek"))
        }
    }

    @Test("Found in review: a query parameter given twice is refused naming it; API answers are not cached or sniffed; the inzage report loads nothing",
          arguments: ServerFixture.databases)
    func queryParameterTwiceRefused_answersNotCached(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let ref = try await DisclosureFlowTests().createInformedCase(client, zco)
            let twice = try await client.call(.get, "/v1/cases/\(ref)/inzage?format=html&format=pdf", token: zco)
            #expect(twice.status == .badRequest && jsonObject(twice.body)["field"] as? String == "format", "\(twice.body)")
            let report = try await client.call(.get, "/v1/cases/\(ref)/inzage?format=html", token: zco)
            #expect(report.status == .ok)
            #expect(report.headers[.cacheControl] == "no-store" && report.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(report.headers[HTTPField.Name("Content-Security-Policy")!]?.hasPrefix("default-src 'none'") == true)
            #expect(try await client.call(.get, "/v1/cases", token: zco).headers[.cacheControl] == "no-store")
        }
    }
}
