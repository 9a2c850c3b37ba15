import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SluisCovenant
@testable import SluisGateway
@testable import SluisServer
@testable import SluisStore

/// Every action of the authority table × every delegate (role, party kind, relation to the
/// resource) → the outcome the table gives (allowed, 403, 404), checked over HTTP. The
/// expectations come from `AuthorityTable.decide`, not from this file; this file only says
/// which HTTP call performs an action and how each delegate's party stands to the resource.
@Suite("Authorization matrix", .serialized)
struct AuthorizationMatrixTests {
    /// One action's HTTP call: per delegate (it may need a fresh resource), and the relations
    /// of that delegate's party to what it acts on.
    struct Endpoint {
        let action: GatewayAction
        let call: (String) async throws -> (HTTPRequest.Method, String, String?)
        let relations: (String) -> Set<GatewayRelation>
    }

    /// What the response says about authority: 404 → not found, 403 "geen toegang" → forbidden,
    /// anything else (success, a covenant refusal, a conflict, a bad input) → allowed.
    static func outcome(_ status: HTTPResponse.Status, _ body: String) -> AuthorityOutcome {
        if status == .notFound { return .notFound }
        if status == .forbidden, (jsonObject(body)["type"] as? String)?.hasSuffix("geen-toegang") == true {
            return .forbidden(jsonObject(body)["article"] as? String ?? "")
        }
        return .allowed
    }

    @Test("Generated from AuthorityTable: every action × every delegate's role, party kind and relation", arguments: ServerFixture.databases)
    func matrix(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            var tokens: [String: String] = [:]
            for (username, _, _) in ServerFixture.delegates { tokens[username] = try await client.login(fixture, username) }
            // Case units: at the gemeente the leerplichtambtenaar's role takes part, the consulent's does not.
            let participants: Set<String> = ["sovogo", "swv-go", "gemeente-goeree-overflakkee/leerplicht", "cjg-rijnmond"]
            /// A school case with SWV, gemeente and CJG taking part, at the thuiszitterstafel (the SWV
            /// convenes), informed; each party's own reference for it.
            func newCase() async throws -> [String: String] {
                let created = try await client.call(.post, "/v1/cases", token: tokens["zco"], json: DisclosureFlowTests.newCase)
                let ref = try #require(jsonObject(created.body)["id"] as? String)
                _ = try await client.call(.post, "/v1/cases/\(ref)/informing", token: tokens["zco"], json: #"{"informedAt":"2026-11-01","method":"brief"}"#)
                let table = try await client.call(.post, "/v1/disclosures", token: tokens["zco"], json: """
                    {"caseId":"\(ref)","recipient":"swv-go","forum":"thuiszitterstafel","purpose":"3.1.d","fields":["absence"]}
                    """)
                #expect(table.status == .created, "\(table.body)")
                var refs = ["sovogo": ref]
                for (username, party) in [("swv", "swv-go"), ("lpa", "gemeente-goeree-overflakkee"), ("jvk", "cjg-rijnmond")] {
                    refs[party] = try #require(jsonArray(try await client.call(.get, "/v1/cases", token: tokens[username]).body).first?["id"] as? String)
                }
                return refs
            }
            let refs = try await newCase()
            func ref(_ username: String) -> String {
                let party = ServerFixture.delegates.first { $0.0 == username }!.2
                return refs[party] ?? refs["sovogo"]!   // a party outside the case tries the owner's reference
            }
            func partyOf(_ username: String) -> String { ServerFixture.delegates.first { $0.0 == username }!.2 }
            func unitOf(_ username: String) -> String {
                let (_, role, party) = ServerFixture.delegates.first { $0.0 == username }!
                return party == "gemeente-goeree-overflakkee" ? party + "/" + (role == .leerplichtambtenaar ? "leerplicht" : "jeugd-en-gezin") : party
            }
            func caseRelations(_ username: String) -> Set<GatewayRelation> {
                let party = partyOf(username)
                guard participants.contains(unitOf(username)) else { return [] }
                var relations: Set<GatewayRelation> = [.participant]
                if party == "sovogo" { relations.insert(.owner) }
                if party == "swv-go" { relations.insert(.convener) }
                return relations
            }
            // A disclosure to the gemeente's leerplicht, and one consent held by the school.
            let disclosed = try await client.call(.post, "/v1/disclosures", token: tokens["zco"], json: """
                {"caseId":"\(refs["sovogo"]!)","recipient":"gemeente-goeree-overflakkee","forum":"casusoverleg","purpose":"3.1.a","fields":["absence"]}
                """)
            let disclosureID = try #require(jsonObject(disclosed.body)["disclosureId"] as? String)
            func newConsent() async throws -> String {
                let consent = try await client.call(.post, "/v1/cases/\(refs["sovogo"]!)/consents", token: tokens["zco"], json: """
                    {"recipients":["swv"],"fields":["absence"],"givers":[{"giver":"parent","answer":"given","answeredOn":"2026-11-01","evidence":"formulier"},{"giver":"pupil","answer":"given","answeredOn":"2026-11-01","evidence":"formulier"}]}
                    """)
                return try #require(jsonObject(consent.body)["id"] as? String)
            }
            let consentID = try await newConsent()
            // A SOT question with a consent bound to it (so its notes may be written), asked by the school.
            let asked = try await client.call(.post, "/v1/cases/\(refs["sovogo"]!)/sot-questions", token: tokens["zco"],
                                              json: #"{"question":"Welke ondersteuning helpt de leerling terug naar school?"}"#)
            let questionID = try #require(jsonObject(asked.body)["id"] as? String)
            let bound = try await client.call(.post, "/v1/cases/\(refs["sovogo"]!)/consents", token: tokens["zco"], json: """
                {"recipients":["swv"],"fields":["absence"],"sotQuestion":"\(questionID)","givers":[\(ServerFixture.given("parent")),\(ServerFixture.given("pupil"))]}
                """)
            #expect(bound.status == .created, "\(bound.body)")
            // SOT members (Bijlage 3.2 sub 1): of the parties in the case, all but the leerplichtambtenaar.
            func sotRelations(_ username: String) -> Set<GatewayRelation> {
                let relations = caseRelations(username)
                return relations.contains(.participant) && unitOf(username) != "gemeente-goeree-overflakkee/leerplicht"
                    ? relations.union([.sotMember]) : relations
            }
            let proposal = try await client.call(.post, "/v1/accessions", token: tokens["beheer-gem"], json: #"{"party":"matrix-vooraf","name":"Vooraf"}"#)
            let accessionID = try #require(jsonObject(proposal.body)["id"] as? String)
            // A revocation notice for the SWV, and the school's zorgcoördinator as a delegate to manage.
            let noticeID = UUID().uuidString.lowercased()
            try await fixture.gateway.store.add(notice: NoticeRecord(id: noticeID, party: "swv-go", caseID: try #require(try await fixture.gateway.store.caseID(
                ref: refs["sovogo"]!, party: "sovogo")), kind: .consentRevoked, consentID: nil, created: "2026-11-30T00:00:00.000Z"))
            let zcoID = try #require(try await fixture.gateway.store.delegate(username: "zco")).id
            // A melding the leerplichtambtenaar can move forward.
            let melding = try await client.call(.post, "/v1/cases/\(refs["sovogo"]!)/duo-meldingen", token: tokens["zco"],
                                                json: #"{"date":"2026-11-02","kind":"te-laat","reference":"DUO-MATRIX"}"#)
            let meldingID = try #require((jsonObject(melding.body)["melding"] as? [String: Any])?["id"] as? String)
            // It showed the leerplicht the pupil (protocol 5.4): the leerplicht unit stands `reidentified` to the case.
            let reidentified = (jsonObject(melding.body)["reidentification"] as? [String: Any])?["decision"] as? String == "permit"
            #expect(reidentified, "\(melding.body)")
            // The school's absence file, and a verzuimoverleg list shared with both recipients: each
            // recipient's own id for it and its own reference for one pupil.
            let today = CalendarDate.amsterdam(fixture.clock.now())
            #expect(try await client.upload(VerzuimoverlegTests.file(fixture), token: tokens["zco"]).status == .created)
            let shareBody = #"{"meetingDate":"\#(today)","recipients":["gemeente-goeree-overflakkee","cjg-rijnmond"]}"#
            #expect(try await client.call(.post, "/v1/verzuimoverleg/lists", token: tokens["zco"], json: shareBody).status == .created)
            var lists: [String: String] = [:], references: [String: String] = [:]
            for username in ["lpa", "jvk"] {
                let list = try #require(jsonArray(try await client.call(.get, "/v1/verzuimoverleg/shared", token: tokens[username]).body)
                    .first?["id"] as? String)
                lists[username] = list
                let pupils = jsonObject(try await client.call(.get, "/v1/verzuimoverleg/shared/\(list)", token: tokens[username]).body)["pupils"]
                references[username] = try #require((pupils as? [[String: Any]])?.first?["reference"] as? String)
            }
            /// The recipient whose list a delegate tries: its own unit's, else the leerplicht's.
            func recipient(_ username: String) -> String { unitOf(username) == "cjg-rijnmond" ? "jvk" : "lpa" }
            func listRelations(_ username: String) -> Set<GatewayRelation> {
                ["gemeente-goeree-overflakkee/leerplicht", "cjg-rijnmond"].contains(unitOf(username)) ? [.addressee] : []
            }
            let contract = try String(contentsOf: ServerFixture.packageRoot.appendingPathComponent("docs/examples/contract-example.json"), encoding: .utf8)
            // The thuiszitterstafel (Bijlage 3.3): the SWV puts the case's pupil on the list and composes an agenda.
            func newEntry(_ refs: [String: String]) async throws -> String {
                let registered = try await client.call(.post, "/v1/thuiszitterstafel/entries", token: tokens["swv"],
                                                       json: #"{"caseId":"\#(refs["swv-go"]!)","caseType":"verzuim","summary":"matrix"}"#)
                return try #require(jsonObject(registered.body)["id"] as? String, "\(registered.body)")
            }
            let entryID = try await newEntry(refs)
            let meeting = CalendarDate.amsterdam(fixture.clock.now()).adding(days: 7)
            let composed = try await client.call(.post, "/v1/thuiszitterstafel/agendas", token: tokens["swv"], json: #"{"meeting":"\#(meeting)"}"#)
            let agendaID = try #require(jsonObject(composed.body)["id"] as? String, "\(composed.body)")
            // A request for rectification on the school's case (convenant art. 13.1 sub b, art. 8.1).
            let rectification = try await client.call(.post, "/v1/rights/requests", token: tokens["zco"], json: RightsTests.request(refs["sovogo"]!, "rectificatie"))
            let rightsRequestID = try #require(jsonObject(rectification.body)["id"] as? String, "\(rectification.body)")

            let none: (String) -> Set<GatewayRelation> = { _ in [] }
            // The pupil's register pseudonym: what the FG knows a pupil by (art. 15.2).
            let caseID = try #require(try await fixture.gateway.store.caseID(ref: refs["sovogo"]!, party: "sovogo"))
            let caseRecord = try #require(try await fixture.gateway.store.case(caseID))
            let registerPseudonym = try fixture.gateway.registerSubject(caseRecord)

            let endpoints: [Endpoint] = [
                Endpoint(action: .listParties, call: { _ in (.get, "/v1/parties", nil) }, relations: none),
                Endpoint(action: .me, call: { _ in (.get, "/v1/me", nil) }, relations: none),
                Endpoint(action: .issueSystemToken, call: { _ in (.post, "/v1/tokens", nil) }, relations: none),
                Endpoint(action: .decide, call: { _ in (.post, "/v1/decisions", contract) }, relations: none),
                Endpoint(action: .createCase, call: { _ in (.post, "/v1/cases", DisclosureFlowTests.newCase) }, relations: none),
                Endpoint(action: .listCases, call: { _ in (.get, "/v1/cases", nil) }, relations: none),
                Endpoint(action: .viewCase, call: { (.get, "/v1/cases/\(ref($0))", nil) }, relations: caseRelations),
                Endpoint(action: .recordFacts, call: { (.patch, "/v1/cases/\(ref($0))", #"{"facts":{"supportFacts":"eigen gegeven"}}"#) },
                         relations: caseRelations),
                Endpoint(action: .changePhase, call: { (.patch, "/v1/cases/\(ref($0))", #"{"phase":"intake"}"#) }, relations: caseRelations),
                Endpoint(action: .changeCaseType, call: { (.patch, "/v1/cases/\(ref($0))", #"{"caseType":"verzuim"}"#) }, relations: caseRelations),
                Endpoint(action: .closeCase, call: { username in
                    // A fresh case each time: closing is for good.
                    let fresh = try await newCase()
                    let party = partyOf(username)
                    return (.patch, "/v1/cases/\(fresh[party] ?? fresh["sovogo"]!)", #"{"closureReason":"buiten-de-regio"}"#)
                }, relations: caseRelations),
                Endpoint(action: .recordDuoMelding, call: {
                    (.post, "/v1/cases/\(ref($0))/duo-meldingen", #"{"date":"2026-11-02","kind":"luxe-verzuim","reference":"DUO-2026-1"}"#)
                }, relations: caseRelations),
                Endpoint(action: .listDuoMeldingen, call: { (.get, "/v1/cases/\(ref($0))/duo-meldingen", nil) }, relations: caseRelations),
                Endpoint(action: .setDuoMeldingStatus, call: {
                    (.patch, "/v1/cases/\(ref($0))/duo-meldingen/\(meldingID)", #"{"status":"in-behandeling"}"#)
                }, relations: caseRelations),
                Endpoint(action: .recordInforming, call: { (.post, "/v1/cases/\(ref($0))/informing", #"{"informedAt":"2026-11-02","method":"gesprek"}"#) },
                         relations: caseRelations),
                Endpoint(action: .recordConsent, call: {
                    (.post, "/v1/cases/\(ref($0))/consents", #"{"recipients":["swv"],"fields":["absence"],"givers":[{"giver":"parent","answer":"given","answeredOn":"2026-11-01","evidence":"formulier"},{"giver":"pupil","answer":"given","answeredOn":"2026-11-01","evidence":"formulier"}]}"#)
                }, relations: caseRelations),
                Endpoint(action: .recordConsentAnswer, call: { _ in
                    (.post, "/v1/consents/\(try await newConsent())/answers", ServerFixture.given("other-parent"))
                }, relations: { caseRelations($0).union(partyOf($0) == "sovogo" ? [.holder] : []) }),
                Endpoint(action: .listConsents, call: { (.get, "/v1/cases/\(ref($0))/consents", nil) }, relations: caseRelations),
                Endpoint(action: .viewConsent, call: { _ in (.get, "/v1/consents/\(consentID)", nil) },
                         relations: { caseRelations($0).union(partyOf($0) == "sovogo" ? [.holder] : []) }),
                Endpoint(action: .askSotQuestion, call: {
                    (.post, "/v1/cases/\(ref($0))/sot-questions", #"{"question":"Hoe kan de leerling weer naar school?"}"#)
                }, relations: caseRelations),
                Endpoint(action: .listSotQuestions, call: { (.get, "/v1/cases/\(ref($0))/sot-questions", nil) }, relations: sotRelations),
                Endpoint(action: .recordSotNote, call: {
                    (.post, "/v1/cases/\(ref($0))/sot-questions/\(questionID)/notes", #"{"text":"Besproken; afspraak over een aangepast rooster."}"#)
                }, relations: sotRelations),
                Endpoint(action: .readSotNotes, call: { (.get, "/v1/cases/\(ref($0))/sot-questions/\(questionID)/notes", nil) }, relations: sotRelations),
                Endpoint(action: .giveCjgFeedback, call: {
                    (.post, "/v1/cases/\(ref($0))/cjg-feedback", #"{"recipient":"sovogo","conversationOn":"2026-11-20"}"#)
                }, relations: caseRelations),
                Endpoint(action: .revokeConsent, call: { _ in (.post, "/v1/consents/\(try await newConsent())/revoke", nil) },
                         relations: { caseRelations($0).union(partyOf($0) == "sovogo" ? [.holder] : []) }),
                Endpoint(action: .disclose, call: { username in
                    let recipient = partyOf(username) == "swv-go" ? "sovogo" : "swv-go"
                    return (.post, "/v1/disclosures", """
                        {"caseId":"\(ref(username))","recipient":"\(recipient)","forum":"casusoverleg","purpose":"3.1.a","fields":["supportFacts"]}
                        """)
                }, relations: caseRelations),
                Endpoint(action: .invokeConflictOfDuties, call: { username in
                    let recipient = partyOf(username) == "swv-go" ? "sovogo" : "swv-go"
                    return (.post, "/v1/disclosures", """
                        {"caseId":"\(ref(username))","recipient":"\(recipient)","forum":"casusoverleg","purpose":"3.1.a","fields":["supportFacts"],
                         "conflictOfDuties":{"justification":"Afweging volgens de eigen beroepscode, schriftelijk vastgelegd."}}
                        """)
                }, relations: caseRelations),
                Endpoint(action: .readMailbox, call: { _ in (.get, "/v1/mailbox", nil) }, relations: none),
                Endpoint(action: .acknowledgeNotice, call: { _ in (.post, "/v1/notices/\(noticeID)/acknowledge", nil) },
                         relations: { $0 == "swv" ? [.addressee] : [] }),
                Endpoint(action: .fetchBundle, call: { _ in (.get, "/v1/mailbox/\(disclosureID)/bundle", nil) },
                         relations: { $0 == "lpa" ? [.addressee] : [] }),
                Endpoint(action: .acknowledgeBundle, call: { _ in (.post, "/v1/mailbox/\(disclosureID)/acknowledge", nil) },
                         relations: { $0 == "lpa" ? [.addressee] : [] }),
                Endpoint(action: .inspectRegister, call: { _ in (.get, "/v1/register/entries", nil) }, relations: none),
                Endpoint(action: .exportRegisterLDV, call: { _ in (.get, "/v1/register/ldv", nil) }, relations: none),
                Endpoint(action: .reviewConflictsOfDuties, call: { _ in (.get, "/v1/register/conflict-of-duties", nil) }, relations: none),
                Endpoint(action: .readCheckpoint, call: { _ in (.get, "/v1/register/checkpoint", nil) }, relations: none),
                Endpoint(action: .inspectRetention, call: { _ in (.get, "/v1/retention", nil) }, relations: none),
                Endpoint(action: .readStatistics, call: { _ in (.get, "/v1/statistics?format=csv", nil) }, relations: none),
                Endpoint(action: .listDelegates, call: { _ in (.get, "/v1/delegates", nil) }, relations: none),
                Endpoint(action: .createDelegate, call: {
                    (.post, "/v1/delegates", #"{"username":"m-\#($0)","role":"fg","password":"een-lang-wachtwoord-1"}"#)
                }, relations: none),
                Endpoint(action: .listAccessions, call: { _ in (.get, "/v1/accessions", nil) }, relations: none),
                Endpoint(action: .proposeAccession, call: { _ in (.post, "/v1/accessions", #"{"party":"matrix-test","name":"Matrix"}"#) }, relations: none),
                Endpoint(action: .approveAccession, call: { _ in (.post, "/v1/accessions/\(accessionID)/approve", nil) }, relations: none),
                Endpoint(action: .completeAccession, call: { _ in
                    (.post, "/v1/accessions/\(accessionID)/signed-form",
                     #"{"formReference":"f","signedOn":"2026-11-25"}"#)
                }, relations: none),
                Endpoint(action: .importAbsence, call: { _ in (.post, "/v1/absence/imports", nil) }, relations: none),
                Endpoint(action: .readAbsenceSignals, call: { _ in (.get, "/v1/absence/signals", nil) }, relations: none),
                Endpoint(action: .prepareVerzuimoverleg, call: { _ in (.get, "/v1/verzuimoverleg/candidates", nil) }, relations: none),
                Endpoint(action: .shareVerzuimoverleg, call: { _ in (.post, "/v1/verzuimoverleg/lists", shareBody) }, relations: none),
                Endpoint(action: .readVerzuimoverleg, call: { (.get, "/v1/verzuimoverleg/shared/\(lists[recipient($0)]!)", nil) },
                         relations: listRelations),
                Endpoint(action: .noteVerzuimoverleg, call: {
                    (.post, "/v1/verzuimoverleg/references/\(references[recipient($0)]!)/notes", #"{"text":"besproken in de matrix"}"#)
                }, relations: listRelations),
                Endpoint(action: .linkVerzuimoverleg, call: { (.post, "/v1/cases/\(ref($0))/verzuimoverleg-link", nil) }, relations: {
                    caseRelations($0).union(reidentified && unitOf($0) == "gemeente-goeree-overflakkee/leerplicht" ? [.reidentified] : [])
                }),
                Endpoint(action: .registerOnTafel, call: {
                    (.post, "/v1/thuiszitterstafel/entries", #"{"caseId":"\#(ref($0))","caseType":"verzuim","summary":"matrix"}"#)
                }, relations: caseRelations),
                Endpoint(action: .listTafel, call: { _ in (.get, "/v1/thuiszitterstafel/entries", nil) }, relations: none),
                Endpoint(action: .writeTafelTexts, call: { _ in (.patch, "/v1/thuiszitterstafel/entries/\(entryID)", #"{"progress":"matrix"}"#) },
                         relations: caseRelations),
                Endpoint(action: .appointProcesbewaker, call: { _ in (.patch, "/v1/thuiszitterstafel/entries/\(entryID)", #"{"procesbewaker":"jvk"}"#) },
                         relations: caseRelations),
                Endpoint(action: .afschalingTafel, call: { _ in
                    // A fresh entry each time: afschaling is for good.
                    (.post, "/v1/thuiszitterstafel/entries/\(try await newEntry(try await newCase()))/afschaling", #"{"reason":"onderwijs"}"#)
                }, relations: caseRelations),
                Endpoint(action: .composeAgenda, call: { _ in (.post, "/v1/thuiszitterstafel/agendas", #"{"meeting":"\#(meeting)"}"#) }, relations: none),
                Endpoint(action: .sendAgenda, call: { _ in (.post, "/v1/thuiszitterstafel/agendas/\(agendaID)/send", nil) }, relations: none),
                Endpoint(action: .listRightsRequests, call: { _ in (.get, "/v1/rights/requests", nil) }, relations: none),
                Endpoint(action: .handleRightsRequest, call: { (.post, "/v1/rights/requests", RightsTests.request(ref($0), "inzage")) }, relations: caseRelations),
                Endpoint(action: .rectifyData, call: { _ in
                    (.post, "/v1/rights/requests/\(rightsRequestID)/rectification", #"{"field":"absence","value":"gecorrigeerd"}"#)
                }, relations: caseRelations),
                Endpoint(action: .inspectRightsRequests, call: { _ in (.get, "/v1/rights/oversight", nil) }, relations: none),
                Endpoint(action: .inzage, call: { (.get, "/v1/cases/\(ref($0))/inzage", nil) }, relations: caseRelations),
                Endpoint(action: .queryRegisterCase, call: { (.get, "/v1/register/subjects?case=\(ref($0))", nil) }, relations: caseRelations),
                Endpoint(action: .queryRegisterSubject, call: { _ in (.get, "/v1/register/subjects?subject=\(registerPseudonym)", nil) }, relations: none),
                // Last: enabling ends the zorgcoördinator's sessions (it is not called again after this).
                Endpoint(action: .manageDelegate, call: { _ in (.post, "/v1/delegates/\(zcoID)/enable", nil) },
                         relations: { partyOf($0) == "sovogo" ? [.colleague] : [] }),
            ]
            // The matrix covers the whole table.
            #expect(Set(endpoints.map(\.action)) == Set(GatewayAction.allCases))
            var checked = 0
            for endpoint in endpoints {
                let (method, path, body) = try await endpoint.call("zco")
                let anonymous = try await client.call(method, path, json: body)
                #expect(anonymous.status == .unauthorized, "\(endpoint.action) without a token")
                for (username, role, party) in ServerFixture.delegates {
                    let record = try await fixture.gateway.store.party(party)
                    let kind = try #require(record?.kind)
                    let expected = AuthorityTable.decide(endpoint.action, role: role, partyKind: kind, relations: endpoint.relations(username))
                    let (method, path, body) = try await endpoint.call(username)
                    let result = try await client.call(method, path, token: tokens[username], json: body)
                    let got = Self.outcome(result.status, result.body)
                    #expect(got == expected || (got.isForbidden && expected.isForbidden),
                            "\(endpoint.action.rawValue) as \(username) (\(role.rawValue)): expected \(expected), got \(result.status) \(result.body.prefix(240))")
                    if result.status == .forbidden || result.status == .notFound {
                        #expect(result.headers[.contentType] == "application/problem+json")
                    }
                    checked += 1
                }
            }
            #expect(checked == endpoints.count * ServerFixture.delegates.count)
            // Every 403 and 404 of the table was audited.
            let audit = try await fixture.gateway.store.audit(limit: 100_000)
            #expect(audit.filter { $0.event == "access" && $0.outcome == "denied" }.count >= 100)
        }
    }
}

@Suite("Authority table documentation")
struct AuthorityTableDocumentationTests {
    @Test("docs/authorization.md holds the authority table exactly as SluisGateway enforces it")
    func documentedTableIsTheEnforcedTable() throws {
        let url = ServerFixture.packageRoot.appendingPathComponent("docs/authorization.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        let begin = "<!-- authority table: generated from AuthorityTable.markdown -->", end = "<!-- end of authority table -->"
        let start = try #require(text.range(of: begin)), stop = try #require(text.range(of: end))
        let documented = text[start.upperBound..<stop.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        if documented != AuthorityTable.markdown {
            try? AuthorityTable.markdown.write(toFile: NSTemporaryDirectory() + "authority-table.md", atomically: true, encoding: .utf8)
        }
        #expect(documented == AuthorityTable.markdown, "regenerate: the expected table is in \(NSTemporaryDirectory())authority-table.md")
    }
}

extension AuthorityOutcome {
    var isForbidden: Bool { if case .forbidden = self { true } else { false } }
}
