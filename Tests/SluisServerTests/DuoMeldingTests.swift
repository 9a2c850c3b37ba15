import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SluisCovenant
@testable import SluisCrypto
@testable import SluisGateway
import SluisRegister
import SluisStore
@testable import SluisServer

/// The DUO melding as an event (issue 10 item 2): who records it, what it may be, the signal it
/// answers, the re-identification it brings the leerplichtambtenaar through the engine and on
/// the register, the status the leerplichtambtenaar gives it, and the races around it.
@Suite("DUO melding", .serialized)
struct DuoMeldingTests {
    typealias Answer = (status: HTTPResponse.Status, headers: HTTPFields, body: String)

    /// A school case with SWV, gemeente (leerplicht) and CJG taking part, informed by the school.
    func setUp(_ fixture: ServerFixture, _ client: some TestClientProtocol) async throws -> AuthorityTests.Parties {
        try await AuthorityTests().setUp(fixture, client)
    }

    func melding(_ client: some TestClientProtocol, _ token: String, _ ref: String, kind: String? = "relatief-verzuim",
                 reference: String, date: String = "2026-11-02", signal: String? = nil) async throws -> Answer {
        var body = #"{"date":"\#(date)","reference":"\#(reference)""#
        if let kind { body += #","kind":"\#(kind)""# }
        if let signal { body += #","signal":\#(signal)"# }
        return try await client.call(.post, "/v1/cases/\(ref)/duo-meldingen", token: token, json: body + "}")
    }

    func setStatus(_ client: some TestClientProtocol, _ token: String, _ ref: String, _ id: String, _ status: String) async throws -> Answer {
        try await client.call(.patch, "/v1/cases/\(ref)/duo-meldingen/\(id)", token: token, json: #"{"status":"\#(status)"}"#)
    }

    /// The id of the melding a recording answered with.
    func meldingID(_ answer: Answer) throws -> String {
        try #require((jsonObject(answer.body)["melding"] as? [String: Any])?["id"] as? String, "\(answer.body)")
    }

    func reidentifications(_ fixture: ServerFixture) async throws -> [RegisterEntry] {
        try await fixture.gateway.register.list(.init(limit: 1000)).entries.filter { $0.operation == "re-identify" }
    }

    @Test("Lpw art. 21a, art. 4.3: only the school board's zorgcoördinator in the case records a melding — not the leerplicht it unlocks, not the SWV or CJG",
          arguments: ServerFixture.databases)
    func lpwArt21a_onlyTheSchoolBoardRecordsAMelding(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await setUp(fixture, client)
            for (name, token) in [("lpa", p.lpa), ("swv", p.swv), ("jvk", p.jvk)] {
                let refused = try await melding(client, token, p.refs[name]!, reference: "DUO-\(name)")
                #expect(refused.status == .forbidden, "\(name): \(refused.body)")
                #expect(jsonObject(refused.body)["article"] as? String == "Leerplichtwet art. 21a; convenant art. 3.4 sub c, art. 4.3; verzuimprotocol 5.4")
            }
            // Another school board outside the case is not told the case exists.
            #expect(try await melding(client, p.other, p.refs["zco"]!, reference: "DUO-other").status == .notFound)
            let fg = try await client.login(fixture, "fg-own")
            #expect(try await melding(client, fg, p.refs["zco"]!, reference: "DUO-fg").status == .forbidden)
            #expect(try await reidentifications(fixture).isEmpty, "no refused attempt reached the register")
            let recorded = try await melding(client, p.zco, p.refs["zco"]!, reference: "DUO-2026-000123")
            #expect(recorded.status == .created, "\(recorded.body)")
            let item = try #require(jsonObject(recorded.body)["melding"] as? [String: Any])
            #expect(item["by"] as? String == "sovogo" && item["status"] as? String == "received" && item["kind"] as? String == "relatief-verzuim")
        }
    }

    @Test("Protocol 5.5, Bijlage 4: the kind is one of the closed list — every kind is accepted, anything else is refused without echoing it",
          arguments: ServerFixture.databases)
    func protocol5_5_bijlage4_meldingKindsAreAClosedList(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await setUp(fixture, client)
            let ref = p.refs["zco"]!
            for (index, kind) in DuoMeldingKind.allCases.enumerated() {
                let recorded = try await melding(client, p.zco, ref, kind: kind.rawValue, reference: "DUO-K\(index)")
                #expect(recorded.status == .created, "\(kind): \(recorded.body)")
            }
            for kind in ["spijbelen", "Testnaam Geheim", "RELATIEF-VERZUIM"] {
                let refused = try await melding(client, p.zco, ref, kind: kind, reference: "DUO-X")
                #expect(refused.status == .badRequest && jsonObject(refused.body)["field"] as? String == "kind", "\(kind): \(refused.body)")
                #expect(!refused.body.contains("Testnaam"), "the error names the field, not the value")
            }
            let withoutKind = try await melding(client, p.zco, ref, kind: nil, reference: "DUO-Y")
            #expect(withoutKind.status == .badRequest && jsonObject(withoutKind.body)["field"] as? String == "kind", "a posted melding names its kind")
            for (field, body) in [("date", #"{"date":"2999-01-01","kind":"luxe-verzuim","reference":"DUO-Z"}"#),
                                  ("date", #"{"date":"2013-01-01","kind":"luxe-verzuim","reference":"DUO-Z"}"#),
                                  ("date", #"{"date":"2026-02-30","kind":"luxe-verzuim","reference":"DUO-Z"}"#),
                                  ("reference", #"{"date":"2026-11-02","kind":"luxe-verzuim","reference":"Testnaam Geheim"}"#),
                                  ("signal.extra", #"{"date":"2026-11-02","kind":"luxe-verzuim","reference":"DUO-Z","signal":{"pupil":"L-1","signal":"luxe-verzuim","since":"2026-11-01","extra":1}}"#)] {
                let refused = try await client.call(.post, "/v1/cases/\(ref)/duo-meldingen", token: p.zco, json: body)
                #expect(refused.status == .badRequest && jsonObject(refused.body)["field"] as? String == field, "\(body): \(refused.body)")
            }
            let list = jsonArray(try await client.call(.get, "/v1/cases/\(ref)/duo-meldingen", token: p.zco).body)
            #expect(list.map { $0["kind"] as? String } == DuoMeldingKind.allCases.map(\.rawValue), "several meldingen per case, in order")
            #expect(try await reidentifications(fixture).count == DuoMeldingKind.allCases.count, "one register entry per melding")
        }
    }

    @Test("Contract absence.md: the signal a melding answers is stored under a keyed hash of the school's pupil key, and found as done",
          arguments: ServerFixture.databases)
    func contractAbsence_answeredSignalIsStored(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await setUp(fixture, client)
            let ref = p.refs["zco"]!
            let signal = #"{"pupil":"L-0042","signal":"relatief-verzuim","since":"2026-10-20"}"#
            let recorded = try await melding(client, p.zco, ref, reference: "DUO-S1", signal: signal)
            #expect(recorded.status == .created, "\(recorded.body)")
            let item = try #require(jsonObject(recorded.body)["melding"] as? [String: Any])
            #expect((item["signal"] as? [String: String]) == ["signal": "relatief-verzuim", "since": "2026-10-20"])
            let stored = try await fixture.gateway.store.answeredSignals(unit: "sovogo")
            #expect(stored.count == 1 && stored[0].signal == "relatief-verzuim" && stored[0].since == "2026-10-20")
            #expect(stored[0].meldingID == item["id"] as? String)
            #expect(!stored[0].pupil.contains("0042"), "the pupil key itself never rests in Sluis")
            let answered = try await fixture.gateway.answeredSignals(unit: "sovogo")
            #expect(answered.isAnswered(pupil: "L-0042", signal: "relatief-verzuim", since: "2026-10-20"))
            #expect(!answered.isAnswered(pupil: "L-0043", signal: "relatief-verzuim", since: "2026-10-20"))
            #expect(!answered.isAnswered(pupil: "L-0042", signal: "relatief-verzuim", since: "2026-11-20"), "a later signal is open again")
            #expect(!answered.isAnswered(pupil: "L-0042", signal: "luxe-verzuim", since: "2026-10-20"))
            #expect(try await fixture.gateway.answeredSignals(unit: "horizon").records.isEmpty, "another school's list is its own")
            // A signal is answered once; a melding answers only the signals whose action it is.
            let again = try await melding(client, p.zco, ref, reference: "DUO-S2", signal: signal)
            #expect(again.status == .conflict, "\(again.body)")
            for (kind, body, field) in [("luxe-verzuim", signal, "signal.signal"),
                                        ("te-laat", #"{"pupil":"L-1","signal":"te-laat-3","since":"2026-10-20"}"#, "signal.signal"),
                                        ("zorgwekkend-ziekteverzuim", #"{"pupil":"L-1","signal":"zorgwekkend-ziekteverzuim","since":"2026-10-20"}"#, "signal.signal"),
                                        ("te-laat", #"{"pupil":"L-1","signal":"te-laat-9","since":"2026-11-03"}"#, "signal.since"),
                                        ("te-laat", #"{"pupil":"Naam Leerling","signal":"te-laat-9","since":"2026-10-20"}"#, "signal.pupil")] {
                let refused = try await melding(client, p.zco, ref, kind: kind, reference: "DUO-S3", signal: body)
                #expect(refused.status == .badRequest && jsonObject(refused.body)["field"] as? String == field, "\(kind) \(body): \(refused.body)")
            }
            #expect(try await melding(client, p.zco, ref, kind: "te-laat", reference: "DUO-S4",
                                      signal: #"{"pupil":"L-0042","signal":"te-laat-9","since":"2026-11-02"}"#).status == .created)
            #expect(try await fixture.gateway.answeredSignals(unit: "sovogo").isAnswered(pupil: "L-0042", signal: "te-laat-9", since: "2026-11-02"))
            // The leerplicht sees the melding, not the school's own signal.
            let seen = jsonArray(try await client.call(.get, "/v1/cases/\(p.refs["lpa"]!)/duo-meldingen", token: p.lpa).body)
            #expect(seen.count == 2 && seen.allSatisfy { $0["signal"] == nil })
        }
    }

    @Test("Protocol 5.4, Lpw art. 21a: the leerplicht's view shows identity after the melding and not before; the re-identification, decided for art. 3.1 sub a, is its own register entry",
          arguments: ServerFixture.databases)
    func protocol5_4_leerplichtSeesIdentityAfterTheMeldingDecidedForPurpose3_1a(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await setUp(fixture, client)
            let lpaRef = p.refs["lpa"]!
            let before = jsonObject(try await client.call(.get, "/v1/cases/\(lpaRef)", token: p.lpa).body)
            #expect(before["identity"] == nil && before["duoMelding"] as? Bool == false)
            let recorded = try await melding(client, p.zco, p.refs["zco"]!, reference: "DUO-2026-7")
            #expect(recorded.status == .created, "\(recorded.body)")
            let decision = try #require(jsonObject(recorded.body)["reidentification"] as? [String: Any])
            #expect(decision["decision"] as? String == "permit" && decision["identity"] as? String == "identified")
            #expect(decision["released"] as? [String] == ["name", "birthDate", "bsn", "absence"])
            #expect(decision["recipient"] as? String == "gemeente-goeree-overflakkee")
            #expect((decision["basis"] as? [[String: Any]])?.first?["gdpr"] as? String == "6(1)(c)")
            let after = jsonObject(try await client.call(.get, "/v1/cases/\(lpaRef)", token: p.lpa).body)
            let identity = try #require(after["identity"] as? [String: String])
            #expect(identity == ["name": "Testnaam Geheim", "birthDate": "2012-05-06", "bsn": "123456782"])
            #expect((after["provenance"] as? [[String: Any]])?.contains { $0["field"] as? String == "name" && $0["suppliedBy"] as? String == "sovogo" } == true)
            #expect(after["duoMeldingReference"] as? String == "DUO-2026-7", "DUO forwarded the melding to the leerplicht under this number")
            #expect((after["duoMeldingen"] as? [[String: Any]])?.count == 1)
            // On the register: one entry, the engine's decision, the pupil under the register pseudonym.
            let entries = try await reidentifications(fixture)
            let entry = try #require(entries.first)
            #expect(entries.count == 1)
            #expect(entry.index == ((decision["register"] as? [String: Any])?["index"] as? NSNumber)?.int64Value)
            #expect(entry.sender == "sovogo" && entry.recipient == "gemeente-goeree-overflakkee" && entry.recipientRole == "leerplicht")
            #expect(entry.forum == "duo-melding" && entry.decision == "permit" && entry.released == ["name", "birthDate", "bsn", "absence"])
            #expect(entry.activity == "verstrekking-duo-melding" && entry.purpose == "3.1.a")
            let caseID = try #require(try await fixture.gateway.store.caseID(ref: lpaRef, party: "gemeente-goeree-overflakkee/leerplicht"))
            let record = try #require(try await fixture.gateway.store.case(caseID))
            #expect(try entry.subject == fixture.gateway.pseudonyms.pseudonym(of: record.pupilKey, for: Pseudonymizer.registerRecipient))
            let text = String(decoding: entry.canonicalJSON, as: UTF8.self)
            #expect(!text.contains("Testnaam") && !text.contains("123456782") && !text.contains("DUO-2026-7"))
            #expect(try await fixture.gateway.register.verifyAll().problem == nil)
        }
    }

    @Test("Protocol 5.4, art. 3.4 sub c: identity shown to the leerplicht after a melding is shown, not supplied — it cannot pass it on",
          arguments: ServerFixture.databases)
    func protocol5_4_reidentifiedIdentityIsShownNotOwned(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await setUp(fixture, client)
            #expect(try await melding(client, p.zco, p.refs["zco"]!, reference: "DUO-1").status == .created)
            let onward = try await client.call(.post, "/v1/disclosures", token: p.lpa, json: """
                {"caseId":"\(p.refs["lpa"]!)","recipient":"swv-go","forum":"casusoverleg","purpose":"3.1.a","fields":["name","bsn"]}
                """)
            #expect(onward.status == .forbidden, "\(onward.body)")
            let withheld = (jsonObject(onward.body)["answer"] as? [String: Any])?["withheld"] as? [[String: Any]] ?? []
            #expect(withheld.count == 2 && withheld.allSatisfy { $0["rule"] as? String == "not-supplied-by-sender" })
        }
    }

    @Test("Protocol 5.4: a leerplichtambtenaar who joins the case after the melding sees the identity too — the melding reached the leerplicht through DUO",
          arguments: ServerFixture.databases)
    func protocol5_4_leerplichtJoiningAfterTheMeldingSeesIdentity(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco"), lpa = try await client.login(fixture, "lpa")
            var body = jsonObject(DisclosureFlowTests.newCase)
            body["parties"] = ["swv-go"]
            let created = try await client.call(.post, "/v1/cases", token: zco,
                                                json: String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self))
            let ref = try #require(jsonObject(created.body)["id"] as? String)
            let recorded = try await melding(client, zco, ref, reference: "DUO-EERST")
            #expect(recorded.status == .created, "\(recorded.body)")
            #expect((jsonObject(recorded.body)["reidentification"] as? [String: Any])?["recipient"] == nil, "no leerplicht takes part yet")
            #expect(try await reidentifications(fixture).first?.recipient == nil)
            #expect(jsonArray(try await client.call(.get, "/v1/cases", token: lpa).body).isEmpty)
            _ = try await client.call(.post, "/v1/cases/\(ref)/informing", token: zco, json: #"{"informedAt":"2026-11-01","method":"brief"}"#)
            let disclosed = try await client.call(.post, "/v1/disclosures", token: zco, json: """
                {"caseId":"\(ref)","recipient":"gemeente-goeree-overflakkee","forum":"casusoverleg","purpose":"3.1.a","fields":["absence"]}
                """)
            #expect(disclosed.status == .created, "\(disclosed.body)")
            let view = jsonObject(try await client.call(.get, "/v1/cases/\(try await client.newestCaseRef(lpa))", token: lpa).body)
            #expect((view["identity"] as? [String: String])?["name"] == "Testnaam Geheim")
        }
    }

    @Test("Protocol 5.4, art. 1.11: when the engine says no (the pupil is out of scope), the melding stands, the identity stays hidden and the answer says why",
          arguments: ServerFixture.databases)
    func protocol5_4_engineDeniesIdentityStaysHidden(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await setUp(fixture, client)
            // The pupil, born 2012-05-06, turns 18 (art. 1.11, 1.13: a thuiszitter is 5 to 17).
            fixture.clock.advance(by: 4 * 366 * 86_400)
            let zco = try await client.login(fixture, "zco"), lpa = try await client.login(fixture, "lpa")
            let recorded = try await melding(client, zco, p.refs["zco"]!, reference: "DUO-LATE")
            #expect(recorded.status == .created, "\(recorded.body)")
            let decision = try #require(jsonObject(recorded.body)["reidentification"] as? [String: Any])
            #expect(decision["decision"] as? String == "deny" && (decision["released"] as? [Any])?.isEmpty == true)
            #expect((decision["reasons"] as? [[String: Any]])?.first?["rule"] as? String == "pupil-out-of-scope")
            let view = jsonObject(try await client.call(.get, "/v1/cases/\(p.refs["lpa"]!)", token: lpa).body)
            #expect(view["identity"] == nil && view["duoMelding"] as? Bool == true)
            #expect((view["duoMeldingen"] as? [[String: Any]])?.first?["reidentification"] as? String == "deny")
            #expect(try await reidentifications(fixture).map(\.decision) == ["deny"])
        }
    }

    @Test("Protocol 5.4, art. 7.3: a melding changes the SWV's and the CJG's views in nothing but that a melding exists — the meldingsnummer stays with school and leerplicht",
          arguments: ServerFixture.databases)
    func protocol5_4_swvAndCjgViewsDoNotChangeMeldingsnummerStaysWithSchoolAndLeerplicht(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await setUp(fixture, client)
            let others = [("swv", p.swv), ("jvk", p.jvk)]
            var before: [String: [String: Any]] = [:]
            for (name, token) in others { before[name] = jsonObject(try await client.call(.get, "/v1/cases/\(p.refs[name]!)", token: token).body) }
            #expect(try await melding(client, p.zco, p.refs["zco"]!, reference: "DUO-2026-8").status == .created)
            let meldingState: Set<String> = ["duoMelding", "duoMeldingDate", "duoMeldingBy"]
            for (name, token) in others {
                let after = jsonObject(try await client.call(.get, "/v1/cases/\(p.refs[name]!)", token: token).body)
                #expect(after["identity"] == nil && after["duoMeldingReference"] == nil && after["duoMeldingen"] == nil, "\(name)")
                func rest(_ view: [String: Any]) throws -> String {
                    String(decoding: try JSONSerialization.data(withJSONObject: view.filter { !meldingState.contains($0.key) }, options: .sortedKeys),
                           as: UTF8.self)
                }
                #expect(try rest(after) == rest(before[name]!), "\(name): nothing else changed")
                #expect(after["duoMelding"] as? Bool == true && after["duoMeldingBy"] as? String == "sovogo")
                let list = try await client.call(.get, "/v1/cases/\(p.refs[name]!)/duo-meldingen", token: token)
                #expect(list.status == .forbidden, "\(name): the meldingen stay with the school and the leerplicht")
            }
            // The gemeente's jeugd-en-gezin role is another unit: it does not take part.
            #expect(try await client.call(.get, "/v1/cases/\(p.refs["lpa"]!)", token: p.jeg).status == .notFound)
        }
    }

    @Test("Protocol 5.5.2: the status moves forward only, set only by the leerplicht in the case, timestamped, audited (not registered) and visible to the school",
          arguments: ServerFixture.databases)
    func protocol5_5_2_statusForwardOnlyByLeerplichtAuditedNotRegistered(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await setUp(fixture, client)
            let recorded = try await melding(client, p.zco, p.refs["zco"]!, reference: "DUO-ST")
            let id = try meldingID(recorded)
            let lpaRef = p.refs["lpa"]!
            let registered = try await fixture.gateway.register.list(.init(limit: 1000)).entries.count
            #expect(try await setStatus(client, p.zco, p.refs["zco"]!, id, "afgesloten").status == .forbidden, "not by the school")
            #expect(try await setStatus(client, p.swv, p.refs["swv"]!, id, "afgesloten").status == .forbidden, "not by the SWV")
            for bad in ["received", "open", "AFGESLOTEN"] {
                let refused = try await setStatus(client, p.lpa, lpaRef, id, bad)
                #expect(refused.status == .badRequest && jsonObject(refused.body)["field"] as? String == "status", "\(bad)")
            }
            #expect(try await setStatus(client, p.lpa, lpaRef, "00000000-0000-0000-0000-000000000000", "afgesloten").status == .notFound)
            let started = try await setStatus(client, p.lpa, lpaRef, id, "in-behandeling")
            #expect(started.status == .ok, "\(started.body)")
            #expect(jsonObject(started.body)["inBehandelingAt"] is String && jsonObject(started.body)["handledBy"] as? String == "gemeente-goeree-overflakkee/leerplicht")
            let school = jsonObject(try await client.call(.get, "/v1/cases/\(p.refs["zco"]!)", token: p.zco).body)
            #expect((school["duoMeldingen"] as? [[String: Any]])?.first?["status"] as? String == "in-behandeling")
            #expect(try await setStatus(client, p.lpa, lpaRef, id, "in-behandeling").status == .conflict, "the same step twice")
            #expect(try await setStatus(client, p.lpa, lpaRef, id, "afgesloten").status == .ok)
            let back = try await setStatus(client, p.lpa, lpaRef, id, "in-behandeling")
            #expect(back.status == .conflict && (jsonObject(back.body)["detail"] as? String)?.contains("5.5.2") == true, "no way back: \(back.body)")
            let listed = jsonArray(try await client.call(.get, "/v1/cases/\(p.refs["zco"]!)/duo-meldingen", token: p.zco).body)
            #expect(listed.first?["status"] as? String == "afgesloten" && listed.first?["afgeslotenAt"] is String && listed.first?["inBehandelingAt"] is String)
            let audit = try await fixture.gateway.store.audit(limit: 1000).filter { $0.event == "change" && $0.detail.contains("set-duo-melding-status") }
            #expect(audit.count == 2 && audit.allSatisfy { $0.party == "gemeente-goeree-overflakkee" })
            #expect(try await fixture.gateway.register.list(.init(limit: 1000)).entries.count == registered, "feedback, not a disclosure")
            // A melding of another case is not found through this case.
            let second = try await client.call(.post, "/v1/cases", token: p.zco, json: DisclosureFlowTests.newCase)
            let otherRef = try #require(jsonObject(second.body)["id"] as? String)
            let otherID = try meldingID(try await melding(client, p.zco, otherRef, reference: "DUO-OTHER"))
            #expect(try await setStatus(client, p.lpa, lpaRef, otherID, "afgesloten").status == .notFound)
        }
    }

    @Test("Art. 4.3, Lpw art. 21a: the PATCH form and a new case with a melding go through the same use case; without a kind it is the relatief-verzuim melding art. 4.3 names",
          arguments: ServerFixture.databases)
    func art4_3_patchFormIsTheSameUseCaseDefaultKindRelatiefVerzuim(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await setUp(fixture, client)
            let ref = p.refs["zco"]!
            let patched = try await client.call(.patch, "/v1/cases/\(ref)", token: p.zco, json: #"{"duoMelding":{"date":"2026-11-02","reference":"VL-1"}}"#)
            #expect(patched.status == .ok, "\(patched.body)")
            #expect((jsonObject(patched.body)["duoMeldingen"] as? [[String: Any]])?.first?["kind"] as? String == "relatief-verzuim")
            #expect(jsonObject(try await client.call(.get, "/v1/cases/\(p.refs["lpa"]!)", token: p.lpa).body)["identity"] != nil)
            #expect(try await reidentifications(fixture).count == 1)
            let same = try await client.call(.patch, "/v1/cases/\(ref)", token: p.zco, json: #"{"duoMelding":{"date":"2026-11-02","reference":"VL-1"}}"#)
            #expect(same.status == .conflict, "one meldingsnummer, one melding: \(same.body)")
            let combined = try await client.call(.patch, "/v1/cases/\(ref)", token: p.zco,
                                                 json: #"{"duoMelding":{"date":"2026-11-02","reference":"VL-2"},"phase":"triage"}"#)
            #expect(combined.status == .badRequest && jsonObject(combined.body)["field"] as? String == "duoMelding")
            #expect(try await client.call(.patch, "/v1/cases/\(ref)", token: p.zco,
                                          json: #"{"duoMelding":{"date":"2026-11-02","kind":"luxe-verzuim","reference":"VL-3"}}"#).status == .ok)
            #expect(jsonArray(try await client.call(.get, "/v1/cases/\(ref)/duo-meldingen", token: p.zco).body).map { $0["kind"] as? String }
                    == ["relatief-verzuim", "luxe-verzuim"])
            // A case brought in with its melding: the same path, one transaction.
            var body = jsonObject(DisclosureFlowTests.newCase)
            body["duoMelding"] = ["date": "2026-11-02", "reference": "VL-NEW"]
            let created = try await client.call(.post, "/v1/cases", token: p.zco,
                                                json: String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self))
            #expect(created.status == .created, "\(created.body)")
            #expect(jsonObject(created.body)["duoMelding"] as? Bool == true)
            #expect((jsonObject(created.body)["duoMeldingen"] as? [[String: Any]])?.first?["reidentification"] as? String == "permit")
            #expect(try await reidentifications(fixture).count == 3)
            let lpaNew = try await client.newestCaseRef(p.lpa)
            #expect(jsonObject(try await client.call(.get, "/v1/cases/\(lpaNew)", token: p.lpa).body)["identity"] != nil)
        }
    }

    @Test("Protocol 5.5.2, concurrency: two status changes at once are serialized — forward only holds, and of two closings exactly one wins",
          arguments: ServerFixture.databases)
    func protocol5_5_2_concurrentStatusChangesAreSerialized(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let p = try await setUp(fixture, client)
            let lpaRef = p.refs["lpa"]!
            for round in 0..<8 {
                let recorded = try await melding(client, p.zco, p.refs["zco"]!, reference: "DUO-R\(round)")
                let id = try meldingID(recorded)
                async let first = setStatus(client, p.lpa, lpaRef, id, round % 2 == 0 ? "in-behandeling" : "afgesloten")
                async let second = setStatus(client, p.lpa, lpaRef, id, "afgesloten")
                let (a, b) = try await (first, second)
                let final = try #require(try await fixture.gateway.store.melding(id))
                #expect(final.status == "afgesloten")
                if round % 2 == 0 {
                    #expect(b.status == .ok, "afgesloten follows either step: \(b.body)")
                    #expect(a.status == .ok ? final.inBehandelingAt != nil : (a.status == .conflict && final.inBehandelingAt == nil), "\(a.body)")
                } else {
                    #expect(Set([a.status, b.status]) == [.ok, .conflict], "exactly one closing wins: \(a.status) \(b.status)")
                }
            }
        }
    }

    @Test("Art. 5.5, concurrency: a melding racing a case closure either commits before it, with its register entry, or is refused and leaves nothing",
          arguments: ServerFixture.databases)
    func art5_5_meldingRacingClosure(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            var recorded = 0
            for round in 0..<8 {
                let created = try await client.call(.post, "/v1/cases", token: zco, json: DisclosureFlowTests.newCase)
                let ref = try #require(jsonObject(created.body)["id"] as? String)
                async let close = client.call(.patch, "/v1/cases/\(ref)", token: zco, json: #"{"closureReason":"overleden"}"#)
                async let reported = melding(client, zco, ref, reference: "DUO-C\(round)")
                let (closed, melded) = try await (close, reported)
                #expect(closed.status == .ok, "\(closed.body)")
                #expect(melded.status == .created || melded.status == .conflict, "\(melded.body)")
                let caseID = try #require(try await fixture.gateway.store.caseID(ref: ref, party: "sovogo"))
                let stored = try await fixture.gateway.store.meldingen(caseID: caseID)
                #expect(stored.count == (melded.status == .created ? 1 : 0))
                #expect(try await fixture.gateway.store.case(caseID)?.duoMelding == (melded.status == .created))
                if melded.status == .created { recorded += 1 }
            }
            #expect(try await reidentifications(fixture).count == recorded, "a refused melding left no register entry")
            #expect(try await fixture.gateway.register.verifyAll().problem == nil)
        }
    }
}
