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

/// Issue 12 part A: the rights of pupils and parents (convenant art. 13; AVG art. 12, 15–21),
/// handled by the case's convener (Bijlage 3 par. 3) over HTTP, on SQLite and PostgreSQL.
@Suite("Rights of pupils and parents (art. 13)", .serialized)
struct RightsTests {
    /// A request body; the pupil of `DisclosureFlowTests.newCase` is born 2012-05-06.
    static func request(_ ref: String, _ kind: String, requester: String = "parent", receivedOn: String = "2026-11-20") -> String {
        #"{"caseId":"\#(ref)","kind":"\#(kind)","requester":"\#(requester)","requesterName":"Ouder Verzoeker","identityCheck":"legitimatiebewijs","identityNote":"paspoort gezien","receivedOn":"\#(receivedOn)"}"#
    }

    static func received(_ client: some TestClientProtocol, _ token: String, _ ref: String, _ kind: String,
                         requester: String = "parent", receivedOn: String = "2026-11-20") async throws -> [String: Any] {
        let answer = try await client.call(.post, "/v1/rights/requests", token: token, json: request(ref, kind, requester: requester, receivedOn: receivedOn))
        #expect(answer.status == .created, "\(answer.body)")
        return jsonObject(answer.body)
    }

    static func decide(_ client: some TestClientProtocol, _ token: String, _ id: String, _ body: String) async throws -> (status: HTTPResponse.Status, body: [String: Any]) {
        let answer = try await client.call(.post, "/v1/rights/requests/\(id)/decision", token: token, json: body)
        return (answer.status, jsonObject(answer.body))
    }

    static func disclosure(_ ref: String) -> String {
        #"{"caseId":"\#(ref)","recipient":"swv-go","forum":"thuiszitterstafel","purpose":"3.1.d","fields":["absence"]}"#
    }

    @Test("Art. 13.1 fn 28, AVG art. 12 lid 3: a request is recorded with who asked (allowed by age on the day of receipt), its deadline and days left; the name stays sealed and off the register",
          arguments: ServerFixture.databases)
    func art13_1a_interpretation_conveneIsOwnerOrForumConvener_deadlineAndWhoMayAsk(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let ref = try await DisclosureFlowTests().createInformedCase(client, zco)
            // Born 2012-05-06: 11 on 2024-05-05 — but a request is recorded when it arrives, at most
            // three months back (an attacker backdated one past a birthday that changes who may ask).
            let backdated = try await client.call(.post, "/v1/rights/requests", token: zco, json: Self.request(ref, "inzage", requester: "pupil", receivedOn: "2024-05-05"))
            #expect(backdated.status == .badRequest && jsonObject(backdated.body)["field"] as? String == "receivedOn", "\(backdated.body)")
            _ = try await Self.received(client, zco, ref, "inzage", requester: "parent", receivedOn: "2026-11-02")
            // A pupil of 11 does not ask herself; her legal representative does (fn 28).
            let child = try await client.call(.post, "/v1/cases", token: zco, json: DisclosureFlowTests.newCase.replacingOccurrences(of: "2012-05-06", with: "2015-03-01"))
            let childRef = try #require(jsonObject(child.body)["id"] as? String, "\(child.body)")
            let young = try await client.call(.post, "/v1/rights/requests", token: zco, json: Self.request(childRef, "inzage", requester: "pupil", receivedOn: "2026-11-20"))
            #expect(young.status == .conflict && jsonObject(young.body)["code"] as? String == "sluis:rights-requester-not-entitled", "\(young.body)")
            let view = try await Self.received(client, zco, ref, "inzage", requester: "pupil", receivedOn: "2026-11-20")
            // Received Friday 2026-11-20: due Monday 2026-12-21 (the 20th is a Sunday; Reg. 1182/71 art. 3 lid 4).
            #expect(view["dueOn"] as? String == "2026-12-21" && view["status"] as? String == "open" && view["requesterName"] as? String == "Ouder Verzoeker")
            #expect(view["daysLeft"] as? Int == RightsDeadline(receivedOn: CalendarDate(year: 2026, month: 11, day: 20)!, extended: false).daysLeft(today: fixture.gateway.today))
            for (field, body) in [("kind", Self.request(ref, "vergeten")), ("receivedOn", Self.request(ref, "inzage", receivedOn: "2999-01-01"))] {
                let bad = try await client.call(.post, "/v1/rights/requests", token: zco, json: body)
                #expect(bad.status == .badRequest && jsonObject(bad.body)["field"] as? String == field, "\(bad.body)")
            }
            // Only the convener: the leerplichtambtenaar takes part but neither brought the case in nor convenes.
            let lpa = try await client.login(fixture, "lpa")
            let lpaRef = try await client.newestCaseRef(lpa)
            #expect(try await client.call(.post, "/v1/rights/requests", token: lpa, json: Self.request(lpaRef, "inzage")).status == .forbidden)
            // Extension: once, within the first month, to three months after receipt.
            let id = try #require(view["id"] as? String)
            let extended = jsonObject(try await client.call(.post, "/v1/rights/requests/\(id)/extension", token: zco, json: #"{"reason":"Veel stukken bij drie partijen."}"#).body)
            #expect(extended["status"] as? String == "extended" && extended["dueOn"] as? String == "2027-02-22", "\(extended)")
            let twice = try await client.call(.post, "/v1/rights/requests/\(id)/extension", token: zco, json: #"{"reason":"Nog eens."}"#)
            #expect(twice.status == .conflict && jsonObject(twice.body)["code"] as? String == "sluis:rights-extension-not-allowed", "\(twice.body)")
            let entries = try await fixture.gateway.register.list(RegisterFilter(activity: ProcessingActivities.rights, limit: 100)).entries
            #expect(entries.map(\.operation).contains("rights-request-received") && entries.map(\.operation).contains("rights-request-extended"))
            let text = try await client.call(.get, "/v1/register/entries?limit=100", token: try await client.login(fixture, "fg-own")).body
            #expect(!text.contains("Ouder Verzoeker") && !text.contains("paspoort"), "no name or note on the register")
        }
    }

    @Test("AVG art. 12 lid 3: an overdue request is flagged to the FG — in its view, without a name — and as a notice to the convener, once",
          arguments: ServerFixture.databases)
    func avg12_3_overdueRequestIsFlaggedToTheFG(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let ref = try await DisclosureFlowTests().createInformedCase(client, zco)
            let late = try await Self.received(client, zco, ref, "inzage", receivedOn: "2026-09-01")
            _ = try await Self.received(client, zco, ref, "rectificatie")
            #expect(late["overdue"] as? Bool == true && late["dueOn"] as? String == "2026-10-01")
            let first = try await fixture.gateway.sweepRightsDeadlines()
            let second = try await fixture.gateway.sweepRightsDeadlines()
            #expect(first.undecided == 2 && first.overdue == 1 && first.notified == 1 && second.notified == 0, "\(first) \(second)")
            let notices = jsonObject(try await client.call(.get, "/v1/mailbox", token: zco).body)["notices"] as? [[String: Any]] ?? []
            let overdue = notices.filter { $0["kind"] as? String == "rights-request-overdue" }
            #expect(overdue.count == 1 && overdue.first?["caseId"] as? String == ref && overdue.first?["due"] as? String == "2026-10-01", "\(notices)")
            let fg = try await client.login(fixture, "fg-own")
            let oversight = try await client.call(.get, "/v1/rights/oversight", token: fg)
            let rows = jsonArray(oversight.body)
            #expect(oversight.status == .ok && rows.count == 2 && rows.filter { $0["overdue"] as? Bool == true }.count == 1, "\(oversight.body)")
            #expect(!oversight.body.contains("Ouder Verzoeker") && !oversight.body.contains(ref) && rows.allSatisfy { $0["subject"] is String })
            #expect(try await client.call(.get, "/v1/rights/oversight", token: zco).status == .forbidden)
        }
    }

    @Test("Art. 13.2, fn 31: a refusal is written and names a ground of UAVG art. 41 lid 1 sub a–j; then its delivery is recorded",
          arguments: ServerFixture.databases)
    func fn31_refusalNamesAnArt41Ground(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let ref = try await DisclosureFlowTests().createInformedCase(client, zco)
            let id = try #require(try await Self.received(client, zco, ref, "inzage")["id"] as? String)
            let bare = try await Self.decide(client, zco, id, #"{"outcome":"refused","reason":"Gegevens van een ander kind."}"#)
            #expect(bare.status == .badRequest && bare.body["field"] as? String == "refusalGround", "\(bare.body)")
            let early = try await client.call(.post, "/v1/rights/requests/\(id)/delivery", token: zco)
            #expect(early.status == .conflict)
            let refused = try await Self.decide(client, zco, id, #"{"outcome":"refused","reason":"Gegevens van een ander kind.","refusalGround":"i-bescherming-betrokkene-of-anderen"}"#)
            #expect(refused.status == .ok && refused.body["refusalArticle"] as? String == "UAVG art. 41 lid 1 sub i", "\(refused.body)")
            #expect(refused.body["decisionReason"] as? String == "Gegevens van een ander kind.")
            #expect(try await Self.decide(client, zco, id, #"{"outcome":"granted","reason":"x"}"#).status == .conflict)
            let delivered = jsonObject(try await client.call(.post, "/v1/rights/requests/\(id)/delivery", token: zco).body)
            #expect(delivered["status"] as? String == "delivered" && delivered["deliveredAt"] is String)
            #expect(RefusalGround.allCases.count == 10, "UAVG art. 41 lid 1 has grounds a–j")
        }
    }

    @Test("Art. 13.1 sub b, AVG art. 18: a restricted case admits no disclosure until lifted — also when the restriction races disclosures — and every participant is told",
          arguments: ServerFixture.databases)
    func art13_1b_restrictionHoldsUnderConcurrency(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let ref = try await DisclosureFlowTests().createInformedCase(client, zco)
            let id = try #require(try await Self.received(client, zco, ref, "beperking")["id"] as? String)
            // Disclosures and the grant at once: none may commit after the restriction.
            let statuses = try await withThrowingTaskGroup(of: (String, HTTPResponse.Status, String).self) { group in
                for index in 0..<8 {
                    if index == 3 {
                        group.addTask {
                            let answer = try await client.call(.post, "/v1/rights/requests/\(id)/decision", token: zco, json: #"{"outcome":"granted","reason":"Juistheid betwist."}"#)
                            return ("decision", answer.status, answer.body)
                        }
                    }
                    group.addTask {
                        let answer = try await client.call(.post, "/v1/disclosures", token: zco, json: Self.disclosure(ref))
                        return ("disclosure", answer.status, answer.body)
                    }
                }
                var all: [(String, HTTPResponse.Status, String)] = []
                for try await result in group { all.append(result) }
                return all
            }
            #expect(statuses.contains { $0.0 == "decision" && $0.1 == .ok }, "\(statuses)")
            let disclosures = statuses.filter { $0.0 == "disclosure" }
            #expect(disclosures.allSatisfy { $0.1 == .created || ($0.1 == .conflict && $0.2.contains("sluis:case-restricted")) }, "\(disclosures)")
            let id0 = try #require(try await fixture.gateway.store.caseID(ref: ref, party: "sovogo"))
            let subject = try fixture.gateway.registerSubject(try #require(try await fixture.gateway.store.case(id0)))
            let entries = try await fixture.gateway.register.list(RegisterFilter(subject: subject, limit: 1000)).entries
            let restrictedAt = try #require(entries.first { $0.operation == "case-restricted" }?.index)
            #expect(!entries.contains { $0.operation == "disclose" && $0.index > restrictedAt }, "no disclosure on the register after the restriction")
            // After: refused with the code; the participants were told (AVG art. 19).
            let after = try await client.call(.post, "/v1/disclosures", token: zco, json: Self.disclosure(ref))
            #expect(after.status == .conflict && jsonObject(after.body)["code"] as? String == "sluis:case-restricted", "\(after.body)")
            let swv = try await client.login(fixture, "swv")
            let kinds = (jsonObject(try await client.call(.get, "/v1/mailbox", token: swv).body)["notices"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            #expect(kinds.contains("case-restricted"), "\(kinds)")
            // Lifted with a reason of the list: disclosures go again.
            let badLift = try await client.call(.post, "/v1/rights/requests/\(id)/lift", token: zco, json: #"{"reason":"zomaar"}"#)
            #expect(badLift.status == .badRequest)
            let lifted = try await client.call(.post, "/v1/rights/requests/\(id)/lift", token: zco, json: #"{"reason":"juistheid-vastgesteld"}"#)
            #expect(lifted.status == .ok && jsonObject(lifted.body)["restricted"] as? Bool == false, "\(lifted.body)")
            #expect(try await client.call(.post, "/v1/disclosures", token: zco, json: Self.disclosure(ref)).status == .created)
        }
    }

    @Test("AVG art. 18 lid 2: a restricted case's pupil is on no thuiszitterstafel view (the others' agenda goes out without it), and a DUO melding does not re-identify, until lifted",
          arguments: ServerFixture.databases)
    func avg18_2_interpretation_restrictionKeepsThePupilOffEveryViewAndStopsMeldingRecording(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            let ref = try await t.schoolCase(name: "Testnaam Beperkt", caseType: "verzuim")
            let entry = try await t.register("swv", ref, caseType: "verzuim", summary: "Samenvatting-Beperkt")
            let other = try await t.schoolCase(name: "Testnaam Vrij", caseType: "verzuim")
            let otherEntry = try await t.register("swv", other, caseType: "verzuim", summary: "Samenvatting-Vrij")
            let agenda = try #require(try await t.compose([entry, otherEntry])["id"] as? String)
            let before = try await t.preview(agenda).etag
            let zco = try #require(t.tokens["zco"])
            let id = try #require(try await Self.received(client, zco, ref, "beperking")["id"] as? String)
            #expect(try await Self.decide(client, zco, id, #"{"outcome":"granted","reason":"Juistheid betwist."}"#).status == .ok)
            #expect(try await t.send(agenda, etag: before).status == .preconditionFailed, "the restriction changed the views")
            let preview = try await t.preview(agenda)
            #expect(!String(describing: preview.answer).contains("Samenvatting-Beperkt") && !String(describing: preview.answer).contains("Testnaam Beperkt"))
            #expect(try await t.send(agenda, etag: preview.etag).status == .created)
            for meeting in try await t.meetings("lpa") { #expect(meeting["pupils"] as? Int == 1, "\(meeting)") }
            let melding = try await client.call(.post, "/v1/cases/\(ref)/duo-meldingen", token: zco, json: #"{"date":"2026-11-02","kind":"relatief-verzuim","reference":"DUO-BEP-1"}"#)
            #expect(melding.status == .conflict && jsonObject(melding.body)["code"] as? String == "sluis:case-restricted", "\(melding.body)")
            #expect(try await client.call(.post, "/v1/rights/requests/\(id)/lift", token: zco, json: #"{"reason":"juistheid-vastgesteld"}"#).status == .ok)
            let after = try await client.call(.post, "/v1/cases/\(ref)/duo-meldingen", token: zco, json: #"{"date":"2026-11-02","kind":"relatief-verzuim","reference":"DUO-BEP-1"}"#)
            #expect(after.status == .created, "\(after.body)")
        }
    }

    @Test("AVG art. 18 lid 1 sub d, art. 21: an objection restricts the case while it is assessed; refused, the restriction is lifted",
          arguments: ServerFixture.databases)
    func avg18_1d_objectionRestrictsWhileAssessed(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let ref = try await DisclosureFlowTests().createInformedCase(client, zco)
            let objection = try await Self.received(client, zco, ref, "bezwaar")
            #expect(objection["restricted"] as? Bool == true, "\(objection)")
            #expect(try await client.call(.post, "/v1/disclosures", token: zco, json: Self.disclosure(ref)).status == .conflict)
            let id = try #require(objection["id"] as? String)
            let refused = try await Self.decide(client, zco, id, #"{"outcome":"refused","reason":"Dwingende gronden: de leerplicht.","refusalGround":"e-algemeen-belang"}"#)
            #expect(refused.status == .ok && refused.body["restricted"] as? Bool == false, "\(refused.body)")
            #expect(try await client.call(.post, "/v1/disclosures", token: zco, json: Self.disclosure(ref)).status == .created)
        }
    }

    @Test("Art. 13.1 sub c, art. 9: a granted erasure destroys the pupil's data with retention's code — every case-bound table, a tombstone — and register verify passes",
          arguments: ServerFixture.databases)
    func art13_1c_interpretation_erasureIsWholeCase_destroysAndVerifyPasses(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let rich = try await RetentionTests.richClosedCase(fixture, client)
            let open = try await DisclosureFlowTests().createInformedCase(client, rich.zco)
            for ref in [rich.ref, open] {
                let id = try #require(try await Self.received(client, rich.zco, ref, "wissing")["id"] as? String)
                let caseID = try #require(try await fixture.gateway.store.caseID(ref: ref, party: "sovogo"))
                let erased = try await Self.decide(client, rich.zco, id, #"{"outcome":"granted","reason":"Niet langer nodig (art. 9.2)."}"#)
                #expect(erased.status == .ok && erased.body["erased"] as? Bool == true, "\(erased.body)")
                let left = try await RetentionTests.rawRows(fixture, caseID)
                #expect(left.values.allSatisfy { $0 == 0 }, "left: \(left.filter { $0.value != 0 })")
                for table in ["rights_requests", "case_restrictions"] {
                    let count = try await fixture.gateway.store.sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table) WHERE case_id = \(bind: caseID)").first()?
                        .decode(column: "n", as: Int.self)
                    #expect(count == 0, "\(table)")
                }
                #expect(try await client.call(.get, "/v1/cases/\(ref)", token: rich.zco).status == .notFound)
            }
            let tombstones = try await fixture.gateway.store.tombstones()
            // The open case is closed by the erasure; the closed one keeps its own reason (art. 9.3: statistics of a completed quarter).
            #expect(tombstones.count == 2 && Set(tombstones.map(\.closureReason)) == [Gateway.erasureReason, "buiten-de-regio"], "\(tombstones)")
            let report = try await fixture.gateway.register.verifyAll()
            #expect(report.problem == nil, "\(report)")
        }
    }

    @Test("Art. 13.1 sub d, fn 30: portability is refused where the processing rests on a public-interest basis, and exports what rests on consent",
          arguments: ServerFixture.databases)
    func fn30_interpretation_portabilityOnlyOnAGivenUnrevokedConsent(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let ref = try await DisclosureFlowTests().createInformedCase(client, zco)
            let id = try #require(try await Self.received(client, zco, ref, "overdraagbaarheid")["id"] as? String)
            let granted = try await Self.decide(client, zco, id, #"{"outcome":"granted","reason":"Export."}"#)
            #expect(granted.status == .conflict && granted.body["code"] as? String == "sluis:portability-not-consent-based", "\(granted.body)")
            #expect((granted.body["detail"] as? String)?.contains("AVG art. 6 lid 1 sub e") == true, "the basis is named")
            let refused = try await Self.decide(client, zco, id, #"{"outcome":"refused","reason":"Taak van algemeen belang.","refusalGround":"avg-20-1-a"}"#)
            #expect(refused.status == .ok && (refused.body["refusalArticle"] as? String)?.contains("AVG art. 20 lid 1 sub a") == true, "\(refused.body)")
            // With a consent of the pupil and parent: the consent and the values held under it.
            let consent = try await client.call(.post, "/v1/cases/\(ref)/consents", token: zco, json: """
                {"recipients":["swv"],"fields":["absence"],"givers":[\(ServerFixture.given("parent")),\(ServerFixture.given("pupil"))]}
                """)
            #expect(consent.status == .created, "\(consent.body)")
            let second = try #require(try await Self.received(client, zco, ref, "overdraagbaarheid")["id"] as? String)
            #expect(try await Self.decide(client, zco, second, #"{"outcome":"granted","reason":"Export."}"#).status == .ok)
            let export = try await client.call(.get, "/v1/rights/requests/\(second)/export", token: zco)
            let document = jsonObject(export.body)
            #expect(export.status == .ok && (document["consents"] as? [Any])?.count == 1, "\(export.body)")
            let data = document["data"] as? [[String: Any]] ?? []
            #expect(data.map { $0["field"] as? String } == ["absence"] && data.first?["value"] as? String == "verzuim sinds oktober", "\(data)")
        }
    }

    @Test("Art. 8.1, AVG art. 16 and 19: only the party that supplied a field corrects it; every recipient of the wrong value is told, on the register",
          arguments: ServerFixture.databases)
    func art8_1_rectificationBySupplierRecipientsTold(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let swv = try await client.login(fixture, "swv")
            let ref = try await DisclosureFlowTests().createInformedCase(client, zco)
            #expect(try await client.call(.post, "/v1/disclosures", token: zco, json: Self.disclosure(ref)).status == .created)
            let id = try #require(try await Self.received(client, zco, ref, "rectificatie")["id"] as? String)
            let notSupplier = try await client.call(.post, "/v1/rights/requests/\(id)/rectification", token: swv, json: #"{"field":"absence","value":"x"}"#)
            #expect(notSupplier.status == .conflict && jsonObject(notSupplier.body)["code"] as? String == "sluis:rectification-not-supplier", "\(notSupplier.body)")
            let fixed = try await client.call(.post, "/v1/rights/requests/\(id)/rectification", token: zco, json: #"{"field":"absence","value":"verzuim sinds september"}"#)
            #expect(fixed.status == .created && jsonObject(fixed.body)["notified"] as? [String] == ["swv-go"], "\(fixed.body)")
            let view = jsonObject(try await client.call(.get, "/v1/cases/\(ref)", token: zco).body)
            #expect((view["facts"] as? [String: String])?["absence"] == "verzuim sinds september")
            let notices = jsonObject(try await client.call(.get, "/v1/mailbox", token: swv).body)["notices"] as? [[String: Any]] ?? []
            let told = try #require(notices.first { $0["kind"] as? String == "data-rectified" }, "\(notices)")
            #expect((told["disclosures"] as? [String])?.count == 1 && (told["reason"] as? String)?.contains("absence") == true)
            let entries = try await fixture.gateway.register.list(RegisterFilter(activity: ProcessingActivities.rights, limit: 100)).entries
            #expect(entries.contains { $0.operation == "rectification-notice" && $0.recipient == "swv-go" })
            #expect(!entries.contains { $0.basis.joined().contains("september") }, "no value on the register")
        }
    }

    @Test("AVG art. 19, Bijlage 3.3 sub 4: a field that reached a participant only through a thuiszitterstafel view is rectified with a notice to that participant too",
          arguments: ServerFixture.databases)
    func avg19_rectificationReachesTheThuiszitterstafelsRecipients(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            let school = try await t.schoolCase(name: "Testnaam Correctie", caseType: "verzuim")
            try await t.cjgHealthData(school, "Gezondheid-Oud", consentForSWV: true)
            _ = try await t.register("swv", school, caseType: "verzuim", summary: "Samenvatting-Correctie")
            let agenda = try #require(try await t.compose()["id"] as? String)
            let receipt = try await t.previewAndSend(agenda)
            #expect((receipt["deliveries"] as? [[String: Any]])?.contains { $0["recipient"] as? String == "swv-go" } == true, "\(receipt)")
            let id = try #require(try await Self.received(client, t.tokens["zco"]!, school, "rectificatie")["id"] as? String)
            let fixed = try await t.call("arts", .post, "/v1/rights/requests/\(id)/rectification", #"{"field":"healthData","value":"Gezondheid-Nieuw"}"#)
            #expect(fixed.status == .created && (jsonObject(fixed.body)["notified"] as? [String])?.contains("swv-go") == true, "\(fixed.body)")
            #expect((jsonObject(fixed.body)["notified"] as? [String])?.contains("cjg-rijnmond") == false, "not the corrector itself")
        }
    }

    @Test("Art. 13.1 sub c, 5.5, found in review: an erasure ends the case for every party — the SWV, convener by the list, cannot grant one on a school's case (403); the case stays",
          arguments: ServerFixture.databases)
    func art13_1c_onlyTheOwnerGrantsAnErasure(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            let school = try await t.schoolCase(name: "Testnaam Wissen", caseType: "verzuim")
            _ = try await t.register("swv", school, caseType: "verzuim", summary: "Samenvatting-Wissen")
            let swvRef = try await t.ref("swv", of: school)
            let id = try #require(try await Self.received(client, t.tokens["swv"]!, swvRef, "wissing")["id"] as? String)
            let granted = try await Self.decide(client, t.tokens["swv"]!, id, #"{"outcome":"granted","reason":"Verzoek van de ouders."}"#)
            #expect(granted.status == .forbidden, "\(granted.body)")
            #expect(try await t.call("zco", .get, "/v1/cases/\(school)").status == .ok, "the school's case is still there")
        }
    }

    @Test("Fn 30, art. 3.4 sub c, found in review: portability exports only what the deciding party itself holds on consent — another party's consent (the CJG's health data) does not make the school's export, which is refused as not consent-based",
          arguments: ServerFixture.databases)
    func fn30_portabilityExportsOnlyTheDecidersOwnConsentBasedData(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            let school = try await t.schoolCase(name: "Testnaam Export", caseType: "verzuim")
            try await t.cjgHealthData(school, "Gezondheid-Geheim", consentForSWV: true)
            let id = try #require(try await Self.received(client, t.tokens["zco"]!, school, "overdraagbaarheid")["id"] as? String)
            let granted = try await Self.decide(client, t.tokens["zco"]!, id, #"{"outcome":"granted","reason":"Verzoek van de ouders."}"#)
            #expect(granted.status == .conflict && granted.body["code"] as? String == "sluis:portability-not-consent-based", "\(granted.body)")
            let export = try await t.call("zco", .get, "/v1/rights/requests/\(id)/export")
            #expect(!export.body.contains("Gezondheid-Geheim"))
        }
    }

    @Test("AVG art. 18 lid 1 sub d and lid 3, found in review: a restriction is lifted only under the request that set it — not by an unrelated request, and an objection's only by deciding the objection",
          arguments: ServerFixture.databases)
    func avg18_3_onlyTheRequestThatRestrictedLiftsIt(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let zco = try await client.login(fixture, "zco")
            let ref = try await DisclosureFlowTests().createInformedCase(client, zco)
            let objection = try #require(try await Self.received(client, zco, ref, "bezwaar")["id"] as? String)
            let unrelated = try #require(try await Self.received(client, zco, ref, "inzage")["id"] as? String)
            for id in [unrelated, objection] {
                let lifted = try await client.call(.post, "/v1/rights/requests/\(id)/lift", token: zco, json: #"{"reason":"bezwaar-afgewezen"}"#)
                #expect(lifted.status == .conflict, "\(lifted.body)")
            }
            #expect(try await client.call(.post, "/v1/disclosures", token: zco, json: Self.disclosure(ref)).status == .conflict, "still restricted")
            // Nor does the SOT share anything meanwhile (AVG art. 18 lid 2; an attacker's finding).
            let question = try await client.call(.post, "/v1/cases/\(ref)/sot-questions", token: zco, json: #"{"question":"Welke ondersteuning past bij deze leerling?"}"#)
            #expect(question.status == .conflict && jsonObject(question.body)["code"] as? String == "sluis:case-restricted", "\(question.body)")
        }
    }

    @Test("AVG art. 19, art. 7.3, found in review: at a gemeente the leerplicht's correction tells only the recipients of the leerplicht's own disclosures — not those of the consulent jeugd en gezin, whose data it never was",
          arguments: ServerFixture.databases)
    func avg19_aGemeenteUnitsCorrectionTellsOnlyItsOwnRecipients(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let theCase = try await ConsentCaseworkTests.setUp(fixture, client)
            let (jeg, lpa) = (try await client.login(fixture, "jeg"), try await client.login(fixture, "lpa"))
            let (jegRef, lpaRef) = (try await client.newestCaseRef(jeg), try await client.newestCaseRef(lpa))
            #expect(try await client.call(.patch, "/v1/cases/\(jegRef)", token: jeg, json: #"{"facts":{"supportFacts":"Hulp van jeugd en gezin."}}"#).status == .ok)
            #expect(try await client.call(.post, "/v1/cases/\(jegRef)/informing", token: jeg, json: #"{"informedAt":"2026-11-20","method":"brief"}"#).status == .created)
            let shared = try await client.call(.post, "/v1/disclosures", token: jeg, json: #"{"caseId":"\#(jegRef)","recipient":"swv-go","forum":"casusoverleg","purpose":"3.1.d","fields":["supportFacts"]}"#)
            try #require(shared.status == .created && (jsonObject(shared.body)["released"] as? [String])?.contains("supportFacts") == true, "\(shared.body)")
            #expect(try await client.call(.patch, "/v1/cases/\(lpaRef)", token: lpa, json: #"{"facts":{"supportFacts":"Gesprek met de leerplichtambtenaar."}}"#).status == .ok)
            let id = try #require(try await Self.received(client, theCase.zco, theCase.school, "rectificatie")["id"] as? String)
            let fixed = try await client.call(.post, "/v1/rights/requests/\(id)/rectification", token: lpa, json: #"{"field":"supportFacts","value":"Twee gesprekken."}"#)
            #expect(fixed.status == .created && (jsonObject(fixed.body)["notified"] as? [String]) == [], "\(fixed.body)")
        }
    }

    @Test("Art. 13.2, found in review: a request is handled by the convener that recorded it — another convener of the case (the SWV, by its list) neither decides nor lifts it (404, not told it exists)",
          arguments: ServerFixture.databases)
    func art13_2_onlyTheRecordingConvenerHandlesARequest(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            let school = try await t.schoolCase(name: "Testnaam Regie", caseType: "verzuim")
            _ = try await t.register("swv", school, caseType: "verzuim", summary: "Samenvatting-Regie")
            let id = try #require(try await Self.received(client, t.tokens["zco"]!, school, "beperking")["id"] as? String)
            #expect(try await Self.decide(client, t.tokens["zco"]!, id, #"{"outcome":"granted","reason":"Juistheid betwist."}"#).status == .ok)
            let lift = try await t.call("swv", .post, "/v1/rights/requests/\(id)/lift", #"{"reason":"verzoek-ingetrokken"}"#)
            #expect(lift.status == .notFound, "\(lift.body)")
            let swvRef = try await t.ref("swv", of: school)
            let other = try #require(try await Self.received(client, t.tokens["swv"]!, swvRef, "inzage")["id"] as? String)
            #expect(try await Self.decide(client, t.tokens["zco"]!, other, #"{"outcome":"granted","reason":"Inzage gegeven."}"#).status == .notFound)
        }
    }
}
