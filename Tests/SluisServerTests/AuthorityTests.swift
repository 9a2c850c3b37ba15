import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SluisCrypto
@testable import SluisGateway
@testable import SluisServer
import SluisStore
import SluisRegister

/// The holes found from outside (issue 8), each reproduced over HTTP: a party supplying facts
/// it has no authority over, disclosing what is not its own or to itself, reading another
/// role's mailbox, linking recipients through a shared id, and racing a revocation.
@Suite("Authority over a case", .serialized)
struct AuthorityTests {
    struct Parties {
        let zco, lpa, jeg, swv, jvk, other: String
        /// The case as each party refers to it.
        var refs: [String: String] = [:]
    }

    /// A school case (SWV, gemeente and CJG take part), informed by the school.
    func setUp(_ fixture: ServerFixture, _ client: some TestClientProtocol) async throws -> Parties {
        var parties = Parties(zco: try await client.login(fixture, "zco"), lpa: try await client.login(fixture, "lpa"),
                              jeg: try await client.login(fixture, "jeg"), swv: try await client.login(fixture, "swv"),
                              jvk: try await client.login(fixture, "jvk"), other: try await client.login(fixture, "zco-other"))
        let created = try await client.call(.post, "/v1/cases", token: parties.zco, json: DisclosureFlowTests.newCase)
        #expect(created.status == .created, "\(created.body)")
        let ref = try #require(jsonObject(created.body)["id"] as? String)
        #expect(try await client.call(.post, "/v1/cases/\(ref)/informing", token: parties.zco,
                                      json: #"{"informedAt":"2026-11-01","method":"brief"}"#).status == .created)
        parties.refs["zco"] = ref
        for (name, token) in [("lpa", parties.lpa), ("swv", parties.swv), ("jvk", parties.jvk)] {
            parties.refs[name] = try await client.newestCaseRef(token)
        }
        return parties
    }

    @Test("Lpw art. 21a, art. 4.3: only the school board that made it records the DUO melding, with date and reference — never the party it unlocks",
          arguments: ServerFixture.databases)
    func lpwArt21aOnlyTheSchoolRecordsTheDuoMelding(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await setUp(fixture, client)
            let melding = #"{"duoMelding":{"date":"2026-11-02","reference":"VL-2026-00042"}}"#
            let byLeerplicht = try await client.call(.patch, "/v1/cases/\(p.refs["lpa"]!)", token: p.lpa, json: melding)
            #expect(byLeerplicht.status == .forbidden, "\(byLeerplicht.body)")
            #expect(jsonObject(byLeerplicht.body)["article"] as? String == "Leerplichtwet art. 21a; convenant art. 3.4 sub c, art. 4.3; verzuimprotocol 5.4")
            // Nor by bringing in a case of its own with the melding set.
            var withMelding = jsonObject(DisclosureFlowTests.newCase)
            withMelding["duoMelding"] = ["date": "2026-11-02", "reference": "VL-1"]
            let body = String(decoding: try JSONSerialization.data(withJSONObject: withMelding), as: UTF8.self)
            #expect(try await client.call(.post, "/v1/cases", token: p.lpa, json: body).status == .forbidden)
            #expect(jsonObject(try await client.call(.get, "/v1/cases/\(p.refs["lpa"]!)", token: p.lpa).body)["duoMelding"] as? Bool == false)
            // A bare flag is not a melding: the date and DUO's reference are required.
            #expect(try await client.call(.patch, "/v1/cases/\(p.refs["zco"]!)", token: p.zco, json: #"{"duoMelding":true}"#).status == .badRequest)
            #expect(try await client.call(.patch, "/v1/cases/\(p.refs["zco"]!)", token: p.zco,
                                          json: #"{"duoMelding":{"date":"2999-01-01","reference":"X"}}"#).status == .badRequest)
            let bySchool = try await client.call(.patch, "/v1/cases/\(p.refs["zco"]!)", token: p.zco, json: melding)
            #expect(bySchool.status == .ok, "\(bySchool.body)")
            #expect(jsonObject(bySchool.body)["duoMeldingReference"] as? String == "VL-2026-00042")
            let seen = jsonObject(try await client.call(.get, "/v1/cases/\(p.refs["lpa"]!)", token: p.lpa).body)
            #expect(seen["duoMelding"] as? Bool == true && seen["duoMeldingDate"] as? String == "2026-11-02" && seen["duoMeldingBy"] as? String == "sovogo")
            #expect(seen["duoMeldingReference"] as? String == "VL-2026-00042", "DUO forwarded the melding to the leerplicht under its number")
            let swv = jsonObject(try await client.call(.get, "/v1/cases/\(p.refs["swv"]!)", token: p.swv).body)
            #expect(swv["duoMelding"] as? Bool == true && swv["duoMeldingReference"] == nil, "DUO's number stays with the school and the leerplicht")
        }
    }

    @Test("Art. 3.4 sub c, 14.2, protocol 5.4: the leerplichtambtenaar cannot pass on the school's identity data, to itself or to anyone",
          arguments: ServerFixture.databases)
    func art3_4cLeerplichtCannotDiscloseTheSchoolsData(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await setUp(fixture, client)
            let lpaRef = p.refs["lpa"]!
            // Informing recorded by the leerplicht is its own act, and the case shows who informed.
            #expect(try await client.call(.post, "/v1/cases/\(lpaRef)/informing", token: p.lpa,
                                          json: #"{"informedAt":"2026-11-03","method":"brief"}"#).status == .created)
            let view = jsonObject(try await client.call(.get, "/v1/cases/\(lpaRef)", token: p.lpa).body)
            #expect((view["informing"] as? [[String: Any]])?.map { $0["party"] as? String } == ["sovogo", "gemeente-goeree-overflakkee/leerplicht"])
            #expect(view["identity"] == nil && (view["facts"] as? [String: Any]) == nil, "what the school supplied is not the gemeente's")
            let toItself = try await client.call(.post, "/v1/disclosures", token: p.lpa, json: """
                {"caseId":"\(lpaRef)","recipient":"gemeente-goeree-overflakkee","forum":"casusoverleg","purpose":"3.1.a","fields":["name","bsn","address"]}
                """)
            #expect(toItself.status == .forbidden)
            #expect(jsonObject(toItself.body)["type"] as? String == "https://sluis.goeree-overflakkee/problemen/geen-toegang")
            let onward = try await client.call(.post, "/v1/disclosures", token: p.lpa, json: """
                {"caseId":"\(lpaRef)","recipient":"swv-go","forum":"casusoverleg","purpose":"3.1.a","fields":["name","bsn","address","absence"]}
                """)
            #expect(onward.status == .forbidden, "\(onward.body)")
            let withheld = (jsonObject(onward.body)["answer"] as? [String: Any])?["withheld"] as? [[String: Any]] ?? []
            #expect(withheld.count == 4 && withheld.allSatisfy { $0["rule"] as? String == "not-supplied-by-sender" })
            #expect(jsonArray(try await client.call(.get, "/v1/cases", token: p.swv).body).count == 1)
            #expect((jsonObject(try await client.call(.get, "/v1/mailbox", token: p.swv).body)["disclosures"] as? [Any])?.isEmpty == true)
            // What the gemeente supplies itself it may disclose, with its provenance on the case.
            #expect(try await client.call(.patch, "/v1/cases/\(lpaRef)", token: p.lpa,
                                          json: #"{"facts":{"masInterventions":"gesprek leerplicht 2026-11-04"}}"#).status == .ok)
            let own = jsonObject(try await client.call(.get, "/v1/cases/\(lpaRef)", token: p.lpa).body)
            #expect((own["provenance"] as? [[String: Any]])?.first?["suppliedBy"] as? String == "gemeente-goeree-overflakkee/leerplicht")
            let school = jsonObject(try await client.call(.get, "/v1/cases/\(p.refs["zco"]!)", token: p.zco).body)
            #expect((school["facts"] as? [String: String])?["masInterventions"] == nil, "one party's facts are not another's")
        }
    }

    @Test("Art. 3.4 sub c, 7.3: no party discloses to itself — SWV, CJG and gemeente alike", arguments: ServerFixture.databases)
    func art7_3NoDisclosureToOnesOwnParty(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await setUp(fixture, client)
            for (name, token, party) in [("swv", p.swv, "swv-go"), ("jvk", p.jvk, "cjg-rijnmond"), ("zco", p.zco, "sovogo")] {
                _ = try await client.call(.patch, "/v1/cases/\(p.refs[name]!)", token: token, json: #"{"facts":{"supportFacts":"eigen"}}"#)
                let result = try await client.call(.post, "/v1/disclosures", token: token, json: """
                    {"caseId":"\(p.refs[name]!)","recipient":"\(party)","forum":"casusoverleg","purpose":"3.1.a","fields":["supportFacts"]}
                    """)
                #expect(result.status == .forbidden, "\(name): \(result.body)")
                #expect(jsonObject(result.body)["article"] as? String == "convenant art. 3.4 sub c; art. 7.3")
            }
            #expect(try await fixture.gateway.register.list(.init(limit: 10)).entries.isEmpty, "nothing was disclosed or decided")
        }
    }

    @Test("Art. 3.4, 5.5, Bijlage 3.3: case type and phase only by the party that brought the case in or the forum's convener; closure only by the party that brought it in",
          arguments: ServerFixture.databases)
    func art5_5OnlyOwnerOrConvenerChangesTheCase(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await setUp(fixture, client)
            for body in [#"{"caseType":"ontheffing"}"#, #"{"phase":"triage"}"#, #"{"closureReason":"buiten-de-regio"}"#] {
                let result = try await client.call(.patch, "/v1/cases/\(p.refs["lpa"]!)", token: p.lpa, json: body)
                #expect(result.status == .forbidden, "\(body): \(result.body)")
            }
            // Facts of its own may go along, but a change it may not make stops the whole request.
            #expect(try await client.call(.patch, "/v1/cases/\(p.refs["lpa"]!)", token: p.lpa,
                                          json: #"{"facts":{"supportFacts":"x"},"closureReason":"buiten-de-regio"}"#).status == .forbidden)
            #expect(jsonObject(try await client.call(.get, "/v1/cases/\(p.refs["lpa"]!)", token: p.lpa).body)["facts"] == nil)
            // The SWV convenes once the case is at the thuiszitterstafel.
            #expect(try await client.call(.patch, "/v1/cases/\(p.refs["swv"]!)", token: p.swv, json: #"{"phase":"triage"}"#).status == .forbidden)
            _ = try await client.call(.patch, "/v1/cases/\(p.refs["zco"]!)", token: p.zco, json: #"{"facts":{"supportFacts":"aanmelding"}}"#)
            let aanmelding = try await client.call(.post, "/v1/disclosures", token: p.zco, json: """
                {"caseId":"\(p.refs["zco"]!)","recipient":"swv-go","forum":"thuiszitterstafel","purpose":"3.1.d","fields":["absence"]}
                """)
            #expect(aanmelding.status == .created, "\(aanmelding.body)")
            #expect(try await client.call(.patch, "/v1/cases/\(p.refs["swv"]!)", token: p.swv, json: #"{"phase":"triage"}"#).status == .ok)
            // Closing is final and starts the destruction term: the owner's alone (art. 5.5, 9.2; an attacker's finding).
            #expect(try await client.call(.patch, "/v1/cases/\(p.refs["swv"]!)", token: p.swv, json: #"{"closureReason":"overleden"}"#).status == .forbidden)
            // The owner is never locked out by another party.
            let owner = try await client.call(.patch, "/v1/cases/\(p.refs["zco"]!)", token: p.zco, json: #"{"caseType":"ontheffing"}"#)
            #expect(owner.status == .ok, "\(owner.body)")
            #expect(jsonObject(owner.body)["status"] as? String == "open" && jsonObject(owner.body)["phase"] as? String == "triage")
        }
    }

    @Test("Art. 7.3: a disclosure to the gemeente's jeugd-en-gezin role reaches only that role, and says so on the register",
          arguments: ServerFixture.databases)
    func art7_3RoleBoundDeliveryAtTheGemeente(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await setUp(fixture, client)
            let disclosed = try await client.call(.post, "/v1/disclosures", token: p.zco, json: """
                {"caseId":"\(p.refs["zco"]!)","recipient":"gemeente-goeree-overflakkee","recipientRole":"jeugd-en-gezin",
                 "forum":"casusoverleg","purpose":"3.1.a","fields":["absence"]}
                """)
            #expect(disclosed.status == .created, "\(disclosed.body)")
            let id = try #require(jsonObject(disclosed.body)["disclosureId"] as? String)
            #expect((jsonObject(try await client.call(.get, "/v1/mailbox", token: p.lpa).body)["disclosures"] as? [Any])?.isEmpty == true)
            let items = jsonObject(try await client.call(.get, "/v1/mailbox", token: p.jeg).body)["disclosures"] as? [[String: Any]] ?? []
            #expect(items.count == 1 && items.first?["recipientRole"] as? String == "jeugd-en-gezin")
            #expect(try await client.call(.get, "/v1/mailbox/\(id)/bundle", token: p.lpa).status == .notFound)
            #expect(try await client.call(.post, "/v1/mailbox/\(id)/acknowledge", token: p.lpa).status == .notFound)
            #expect(try await client.call(.get, "/v1/mailbox/\(id)/bundle", token: p.jeg).status == .ok)
            // Within the gemeente the roles keep separate case data: the consulent now takes part
            // under a reference of its own, and sees none of the leerplichtambtenaar's facts or consents.
            _ = try await client.call(.patch, "/v1/cases/\(p.refs["lpa"]!)", token: p.lpa, json: #"{"facts":{"masInterventions":"leerplicht"}}"#)
            _ = try await client.call(.post, "/v1/cases/\(p.refs["lpa"]!)/consents", token: p.lpa,
                                      json: #"{"recipients":["swv"],"fields":["masInterventions"],"givers":[{"giver":"parent","answer":"given","answeredOn":"2026-11-01","evidence":"formulier"},{"giver":"pupil","answer":"given","answeredOn":"2026-11-01","evidence":"formulier"}]}"#)
            let jegRef = try await client.newestCaseRef(p.jeg)
            #expect(jegRef != p.refs["lpa"])
            #expect(try await client.call(.get, "/v1/cases/\(p.refs["lpa"]!)", token: p.jeg).status == .notFound)
            let jegView = jsonObject(try await client.call(.get, "/v1/cases/\(jegRef)", token: p.jeg).body)
            #expect(jegView["facts"] == nil && jegView["owner"] as? String == "sovogo")
            #expect(jsonArray(try await client.call(.get, "/v1/cases/\(jegRef)/consents", token: p.jeg).body).isEmpty)
            let onward = try await client.call(.post, "/v1/disclosures", token: p.jeg, json: """
                {"caseId":"\(jegRef)","recipient":"swv-go","forum":"direct","purpose":"3.1.d","fields":["masInterventions"]}
                """)
            #expect(onward.status == .forbidden)
            #expect(((jsonObject(onward.body)["answer"] as? [String: Any])?["withheld"] as? [[String: Any]])?.first?["rule"] as? String == "not-supplied-by-sender")
            let entries = try await fixture.gateway.register.list(.init(limit: 10)).entries
            #expect(entries.first { $0.operation == "disclose" }?.recipientRole == "jeugd-en-gezin")
            #expect(entries.first { $0.operation == "fetch" }?.recipientRole == "jeugd-en-gezin")
        }
    }

    @Test("docs/crypto.md unlinkability: each party has its own case reference and pseudonym, in views, mailboxes and bundles",
          arguments: ServerFixture.databases)
    func unlinkablePerRecipientReferences(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await setUp(fixture, client)
            #expect(Set(p.refs.values).count == 4, "school, gemeente, SWV and CJG: four different references")
            var seen: [(ref: String, pseudonym: String)] = []
            for (recipient, token, name) in [("swv-go", p.swv, "swv"), ("gemeente-goeree-overflakkee", p.lpa, "lpa")] {
                let disclosed = try await client.call(.post, "/v1/disclosures", token: p.zco, json: """
                    {"caseId":"\(p.refs["zco"]!)","recipient":"\(recipient)","forum":"casusoverleg","purpose":"3.1.a","fields":["absence"]}
                    """)
                #expect(disclosed.status == .created, "\(disclosed.body)")
                let item = try #require((jsonObject(try await client.call(.get, "/v1/mailbox", token: token).body)["disclosures"] as? [[String: Any]])?.first)
                #expect(item["caseId"] as? String == p.refs[name], "the mailbox names the recipient's own reference")
                let fetched = try await client.execute(uri: "/v1/mailbox/\(item["id"] as! String)/bundle", method: .get,
                                                       headers: [.authorization: "Bearer \(token)"]) { $0 }
                let credentials = try fixture.gateway.credentials.credentials(recipient)
                let opened = try SealedBundle.open(Array(buffer: fetched.body), recipient: credentials.certificate, key: credentials.key,
                                                   trust: fixture.gateway.trust, expectedSigner: try fixture.gateway.credentials.certificate("sovogo"))
                let content = jsonObject(String(decoding: opened.plaintext.bytes, as: UTF8.self))
                let view = jsonObject(try await client.call(.get, "/v1/cases/\(p.refs[name]!)", token: token).body)
                #expect(content["caseId"] as? String == p.refs[name] && content["pseudonym"] as? String == view["pseudonym"] as? String)
                seen.append((try #require(content["caseId"] as? String), try #require(content["pseudonym"] as? String)))
            }
            #expect(seen[0].ref != seen[1].ref && seen[0].pseudonym != seen[1].pseudonym)
            // Another party's reference is no handle at all.
            #expect(try await client.call(.get, "/v1/cases/\(p.refs["zco"]!)", token: p.swv).status == .notFound)
        }
    }

    @Test("Art. 7.3: a party outside the case gets 404 for its case, consents and mailbox items — the same as for ids that do not exist",
          arguments: ServerFixture.databases)
    func art7_3NoExistenceOracle(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await setUp(fixture, client)
            let ref = p.refs["zco"]!
            let consent = try await client.call(.post, "/v1/cases/\(ref)/consents", token: p.zco,
                                                json: #"{"recipients":["swv"],"fields":["absence"],"givers":[{"giver":"parent","answer":"given","answeredOn":"2026-11-01","evidence":"formulier"},{"giver":"pupil","answer":"given","answeredOn":"2026-11-01","evidence":"formulier"}]}"#)
            let consentID = try #require(jsonObject(consent.body)["id"] as? String)
            let disclosed = try await client.call(.post, "/v1/disclosures", token: p.zco, json: """
                {"caseId":"\(ref)","recipient":"swv-go","forum":"casusoverleg","purpose":"3.1.a","fields":["absence"]}
                """)
            let itemID = try #require(jsonObject(disclosed.body)["disclosureId"] as? String)
            let unknown = "00000000-0000-0000-0000-000000000000"
            let probes: [(HTTPRequest.Method, String, String, String?)] = [
                (.get, "/v1/cases/\(ref)", "/v1/cases/\(unknown)", nil),
                (.get, "/v1/cases/\(ref)/consents", "/v1/cases/\(unknown)/consents", nil),
                (.patch, "/v1/cases/\(ref)", "/v1/cases/\(unknown)", #"{"phase":"triage"}"#),
                (.post, "/v1/cases/\(ref)/informing", "/v1/cases/\(unknown)/informing", #"{"informedAt":"2026-11-01","method":"brief"}"#),
                (.post, "/v1/consents/\(consentID)/revoke", "/v1/consents/\(unknown)/revoke", nil),
                (.get, "/v1/mailbox/\(itemID)/bundle", "/v1/mailbox/\(unknown)/bundle", nil),
            ]
            for (method, existing, missing, body) in probes {
                let real = try await client.call(method, existing, token: p.other, json: body)
                let none = try await client.call(method, missing, token: p.other, json: body)
                #expect(real.status == .notFound && none.status == .notFound, "\(method) \(existing): \(real.status) / \(none.status)")
                #expect(jsonObject(real.body)["detail"] as? String == jsonObject(none.body)["detail"] as? String)
            }
            let denied = try await fixture.gateway.store.audit(limit: 1000).filter { $0.event == "access" && $0.party == "horizon" }
            #expect(denied.count >= probes.count * 2, "each probe is on the audit log for the FG")
        }
    }

    @Test("Art. 6.1 sub d, 11.5: a revocation racing a disclosure — either the disclosure committed first and its recipient is notified, or it is refused",
          arguments: ServerFixture.databases)
    func art11_5RevocationRacingADisclosureIsSerialized(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await setUp(fixture, client)
            let ref = p.refs["jvk"]!
            #expect(try await client.call(.patch, "/v1/cases/\(ref)", token: p.jvk, json: #"{"facts":{"supportFacts":"JGZ-gegeven"}}"#).status == .ok)
            var outcomes: [String: Int] = [:]
            for round in 0..<24 {
                let consent = try await client.call(.post, "/v1/cases/\(ref)/consents", token: p.jvk,
                                                    json: #"{"recipients":["swv"],"fields":["supportFacts"],"givers":[{"giver":"parent","answer":"given","answeredOn":"2026-11-01","evidence":"formulier"},{"giver":"pupil","answer":"given","answeredOn":"2026-11-01","evidence":"formulier"}]}"#)
                let consentID = try #require(jsonObject(consent.body)["id"] as? String)
                async let disclosure = client.call(.post, "/v1/disclosures", token: p.jvk, json: """
                    {"caseId":"\(ref)","recipient":"swv-go","forum":"casusoverleg","purpose":"3.1.d","fields":["supportFacts"]}
                    """)
                // The revocation starts 0–5 ms after the disclosure, so both orders occur.
                async let revocation = { () async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: String) in
                    try await Task.sleep(for: .milliseconds(round % 6))
                    return try await client.call(.post, "/v1/consents/\(consentID)/revoke", token: p.jvk)
                }()
                let (disclosed, revoked) = try await (disclosure, revocation)
                #expect(revoked.status == .ok, "\(revoked.body)")
                let notified = jsonObject(revoked.body)["notified"] as? [String] ?? []
                if disclosed.status == .created {
                    let consents = jsonObject(disclosed.body)["register"] != nil
                    #expect(consents && notified == ["swv-go"], "the disclosure went out, so its recipient must be told: \(notified)")
                    outcomes["disclosed first", default: 0] += 1
                } else {
                    #expect(disclosed.status == .forbidden, "\(disclosed.body)")
                    let rule = ((jsonObject(disclosed.body)["answer"] as? [String: Any])?["withheld"] as? [[String: Any]])?.first?["rule"] as? String
                    #expect(rule == "consent-revoked" && notified.isEmpty)
                    outcomes["revoked first", default: 0] += 1
                }
            }
            // Every notice in the SWV's mailbox belongs to a disclosure that went out on that consent.
            let mailbox = jsonObject(try await client.call(.get, "/v1/mailbox", token: p.swv).body)
            #expect((mailbox["notices"] as? [Any])?.count == outcomes["disclosed first", default: 0])
            #expect(try await fixture.gateway.register.verifyAll().problem == nil)
        }
    }

    // MARK: Found by the review of the running gateway (issue 8, closing note)

    @Test("Art. 5.5: concurrent changes of one case lose nothing — an accepted closure stays, an accepted DUO melding stays",
          arguments: ServerFixture.databases)
    func art5_5ConcurrentChangesLoseNothing(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            for _ in 0..<8 {
                let created = try await client.call(.post, "/v1/cases", token: zco, json: DisclosureFlowTests.newCase)
                let ref = try #require(jsonObject(created.body)["id"] as? String)
                async let close = client.call(.patch, "/v1/cases/\(ref)", token: zco, json: #"{"closureReason":"overleden"}"#)
                async let phase = client.call(.patch, "/v1/cases/\(ref)", token: zco, json: #"{"phase":"triage"}"#)
                async let melding = client.call(.patch, "/v1/cases/\(ref)", token: zco, json: #"{"duoMelding":{"date":"2026-11-02","reference":"VL-9"}}"#)
                let (closed, phased, reported) = try await (close, phase, melding)
                #expect(closed.status == .ok, "\(closed.body)")
                for other in [phased, reported] { #expect(other.status == .ok || other.status == .conflict, "\(other.body)") }
                let final = jsonObject(try await client.call(.get, "/v1/cases/\(ref)", token: zco).body)
                #expect(final["status"] as? String == "closed")
                if phased.status == .ok { #expect(final["phase"] as? String == "triage") }
                if reported.status == .ok { #expect(final["duoMelding"] as? Bool == true) }
            }
        }
    }

    @Test("Art. 12.1–12.2: informing is a date and one of the listed ways — no free text for the other participants", arguments: ServerFixture.databases)
    func art12_2InformingCarriesNoFreeText(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await setUp(fixture, client)
            let ref = p.refs["lpa"]!
            for body in [#"{"informedAt":"2026-11-30garbage","method":"brief"}"#, #"{"informedAt":"0001-01-01","method":"brief"}"#,
                         #"{"informedAt":"2999-01-01","method":"brief"}"#, #"{"informedAt":"2026-11-02","method":"Naam Leerling, BSN 123456782"}"#] {
                let result = try await client.call(.post, "/v1/cases/\(ref)/informing", token: p.lpa, json: body)
                #expect(result.status == .badRequest, "\(body): \(result.body)")
            }
            #expect(try await client.call(.post, "/v1/cases/\(ref)/informing", token: p.lpa,
                                          json: #"{"informedAt":"2026-11-02T10:15:00+01:00","method":"telefoon"}"#).status == .created)
        }
    }

    @Test("Art. 15, privacy in our own house: the register holds only the covenant's vocabulary, never text a caller typed",
          arguments: ServerFixture.databases)
    func art15RegisterHoldsNoTypedText(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await setUp(fixture, client)
            let refused = try await client.call(.post, "/v1/disclosures", token: p.zco, json: """
                {"caseId":"\(p.refs["zco"]!)","recipient":"swv-go","forum":"direct","purpose":"Testnaam Geheim","fields":["naam=Testnaam","absence"]}
                """)
            #expect(refused.status == .forbidden)
            let entry = try #require(try await fixture.gateway.register.list(.init(limit: 10)).entries.last)
            #expect(entry.purpose == "onbekend-doel" && entry.withheld.contains("onbekend-veld"))
            #expect(!String(decoding: entry.canonicalJSON, as: UTF8.self).contains("Testnaam"))
        }
    }

    @Test("Pupil data where it enters: no control or format characters in a name; a DUO melding not before the pupil was five",
          arguments: ServerFixture.databases)
    func pupilDataIsPlainTextAndPlausible(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            for name in ["\u{202E}Naam", "\u{200B}", "Na\u{0000}am"] {
                var body = jsonObject(DisclosureFlowTests.newCase)
                body["name"] = name
                let text = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
                #expect(try await client.call(.post, "/v1/cases", token: zco, json: text).status == .badRequest)
            }
            let created = try await client.call(.post, "/v1/cases", token: zco, json: DisclosureFlowTests.newCase)
            let ref = try #require(jsonObject(created.body)["id"] as? String)
            #expect(try await client.call(.patch, "/v1/cases/\(ref)", token: zco,
                                          json: #"{"duoMelding":{"date":"2013-01-01","reference":"VL-1"}}"#).status == .badRequest)
        }
    }

    @Test("A duplicate JSON key is refused on every endpoint, naming the key; BSN and birth date are checked where they enter (art. 5.1 sub a–b, 1.11)",
          arguments: ServerFixture.databases)
    func duplicateKeysAndPupilIdentityAreRefusedWhereTheyEnter(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await setUp(fixture, client)
            let twice = try await client.call(.post, "/v1/cases", token: p.zco,
                                              json: #"{"name":"A","name":"B","birthDate":"2012-05-06"}"#)
            #expect(twice.status == .badRequest && jsonObject(twice.body)["field"] as? String == "name", "\(twice.body)")
            let nested = try await client.call(.patch, "/v1/cases/\(p.refs["zco"]!)", token: p.zco,
                                               json: #"{"duoMelding":{"date":"2026-11-02","date":"2026-11-03","reference":"VL-1"}}"#)
            #expect(nested.status == .badRequest && jsonObject(nested.body)["field"] as? String == "duoMelding.date", "\(nested.body)")
            let login = try await client.call(.post, "/v1/sessions", json: #"{"username":"zco","username":"lpa","password":"x","code":"1"}"#)
            #expect(login.status == .badRequest && jsonObject(login.body)["field"] as? String == "username")
            for (field, value) in [("bsn", "123456789"), ("bsn", "000000000"), ("birthDate", "2001-01-01"), ("birthDate", "2012-02-30")] {
                var body = jsonObject(DisclosureFlowTests.newCase)
                body[field] = value
                let result = try await client.call(.post, "/v1/cases", token: p.zco,
                                                   json: String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self))
                #expect(result.status == .badRequest && jsonObject(result.body)["field"] as? String == field, "\(field) \(value): \(result.body)")
                #expect(!result.body.contains(value), "the error names the field, not the value")
            }
        }
    }
}
