import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SluisRegister
import SluisStore
import Testing
@testable import SluisCovenant
@testable import SluisCrypto
@testable import SluisGateway
@testable import SluisServer

/// Consent as the CJG meets it (issue 10 item 5), over HTTP on SQLite and PostgreSQL: each
/// giver on their own, conflicting answers, age transitions and end dates with notices to the
/// holder, revocation reach per recipient, and the CJG's feedback without consent.
@Suite("Consent as the CJG meets it", .serialized)
struct ConsentCaseworkTests {
    struct Case {
        let zco, jvk, swv: String
        /// The case as the school and as the CJG refer to it.
        let school, cjg: String
    }

    /// A case brought in by the school (SWV, gemeente and CJG taking part, informed by the
    /// school), for a pupil born on `birthDate`; the CJG has support facts of its own.
    static func setUp(_ fixture: ServerFixture, _ client: some TestClientProtocol, birthDate: String = "2012-05-06") async throws -> Case {
        let zco = try await client.login(fixture, "zco"), jvk = try await client.login(fixture, "jvk"), swv = try await client.login(fixture, "swv")
        let body = DisclosureFlowTests.newCase.replacingOccurrences(of: "2012-05-06", with: birthDate)
            .replacingOccurrences(of: #""gemeente-goeree-overflakkee","#, with: #""gemeente-goeree-overflakkee","gemeente-goeree-overflakkee/jeugd-en-gezin","#)
        let created = try await client.call(.post, "/v1/cases", token: zco, json: body)
        #expect(created.status == .created, "\(created.body)")
        let school = try #require(jsonObject(created.body)["id"] as? String)
        #expect(try await client.call(.post, "/v1/cases/\(school)/informing", token: zco,
                                      json: #"{"informedAt":"2026-11-01","method":"brief"}"#).status == .created)
        let cjg = try await client.newestCaseRef(jvk)
        #expect(try await client.call(.patch, "/v1/cases/\(cjg)", token: jvk,
                                      json: #"{"facts":{"supportFacts":"begeleiding JGZ","healthData":"medisch gegeven"}}"#).status == .ok)
        return Case(zco: zco, jvk: jvk, swv: swv, school: school, cjg: cjg)
    }

    static func consent(_ client: some TestClientProtocol, _ token: String, case ref: String, to recipients: String = #"["swv"]"#,
                        fields: String = #"["supportFacts"]"#, givers: [String], extra: String = "") async throws -> [String: Any] {
        let recorded = try await client.call(.post, "/v1/cases/\(ref)/consents", token: token, json: """
            {"recipients":\(recipients),"fields":\(fields),"givers":[\(givers.joined(separator: ","))]\(extra)}
            """)
        #expect(recorded.status == .created, "\(recorded.body)")
        return jsonObject(recorded.body)
    }

    static func disclose(_ client: some TestClientProtocol, _ token: String, case ref: String, to recipient: String = "swv-go",
                         role: String? = nil, fields: String = #"["supportFacts"]"#) async throws -> (status: HTTPResponse.Status, body: [String: Any]) {
        let result = try await client.call(.post, "/v1/disclosures", token: token, json: """
            {"caseId":"\(ref)","recipient":"\(recipient)",\(role.map { #""recipientRole":"\#($0)","# } ?? "")"forum":"casusoverleg","purpose":"3.1.d","fields":\(fields)}
            """)
        return (result.status, jsonObject(result.body))
    }

    static func withheldRule(_ body: [String: Any], _ field: String) -> String? {
        ((body["answer"] as? [String: Any])?["withheld"] as? [[String: Any]])?.first { $0["field"] as? String == field }?["rule"] as? String
    }

    /// A birth date so that the pupil turns `age` in `days` days (Amsterdam calendar).
    static func birthDate(turning age: Int, inDays days: Int) -> String {
        let day = CalendarDate.amsterdam(Date()).adding(days: days)
        return (CalendarDate(year: day.year - age, month: day.month, day: day.day) ?? CalendarDate(year: day.year - age, month: 3, day: 1)!).description
    }

    @Test("Art. 6.1 sub b, interpretation: two parents disagreeing make the consent conflicting — nothing goes until it is revoked and asked again",
          arguments: ServerFixture.databases)
    func art6_1b_interpretation_conflictingConsentCountsForNothing(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let c = try await Self.setUp(fixture, client)
            let conflicting = try await Self.consent(client, c.jvk, case: c.cjg, givers: [
                ServerFixture.given("parent"), ServerFixture.given("pupil"), ServerFixture.given("other-parent", answer: "refused", evidence: "gespreksverslag"),
            ])
            #expect(conflicting["state"] as? String == "conflicting")
            #expect((conflicting["givers"] as? [[String: Any]])?.map { $0["giver"] as? String } == ["parent", "other-parent", "pupil"])
            let refused = try await Self.disclose(client, c.jvk, case: c.cjg)
            #expect(refused.status == .forbidden && Self.withheldRule(refused.body, "supportFacts") == "consent-required")
            // A second consent of the same scope does not outweigh the refusal while it stands.
            let second = try await Self.consent(client, c.jvk, case: c.cjg, givers: [ServerFixture.given("parent"), ServerFixture.given("pupil")])
            #expect(second["state"] as? String == "given")
            #expect(try await Self.disclose(client, c.jvk, case: c.cjg).status == .forbidden)
            // Revoking the conflicting consent ends its refusal's reach; the new consent counts.
            let id = try #require(conflicting["id"] as? String)
            let revoked = try await client.call(.post, "/v1/consents/\(id)/revoke", token: c.jvk)
            #expect(revoked.status == .ok && (jsonObject(revoked.body)["consent"] as? [String: Any])?["state"] as? String == "revoked")
            #expect(try await Self.disclose(client, c.jvk, case: c.cjg).status == .created)
            // Each giver answers once: a changed mind is a revocation or a new consent.
            let again = try await client.call(.post, "/v1/consents/\(try #require(second["id"] as? String))/answers", token: c.jvk,
                                              json: ServerFixture.given("parent", answer: "refused"))
            #expect(again.status == .conflict, "\(again.body)")
            #expect(jsonObject(again.body)["code"] as? String == "sluis:giver-answered-already")
        }
    }

    @Test("Art. 6.1 sub c, AVG art. 32: the evidence of each answer is sealed at rest (it may name a person) and shown to the holder as typed; evidence stored unsealed before is sealed when the gateway starts",
          arguments: ServerFixture.databases)
    func art6_1c_evidenceIsSealedAtRest(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let c = try await Self.setUp(fixture, client)
            let typed = "toestemming moeder mevr. Geheimnaam per brief"
            let recorded = try await Self.consent(client, c.jvk, case: c.cjg, givers: [ServerFixture.given("parent", evidence: typed), ServerFixture.given("pupil")])
            let id = try #require(recorded["id"] as? String)
            #expect((recorded["givers"] as? [[String: Any]])?.first?["evidence"] as? String == typed, "the holder reads it as typed")
            let stored = try #require(try await fixture.gateway.store.consent(id)).answers
            #expect(stored.count == 2 && stored.allSatisfy { $0.evidence.hasPrefix("aes256gcm:") && !$0.evidence.contains("Geheimnaam") && !$0.evidence.contains("formulier") })
            // Evidence as migration 8 left it, in plain text: sealed at the next start.
            let parent = try #require(stored.first { $0.giver == .parent })
            #expect(try await fixture.gateway.store.replaceEvidence(of: parent, with: typed))
            #expect(try await fixture.gateway.sealStoredEvidence() == 1)
            #expect(try await fixture.gateway.sealStoredEvidence() == 0, "sealed once")
            let resealed = try #require(try await fixture.gateway.store.consent(id)?.answers.first { $0.giver == .parent })
            #expect(resealed.evidence.hasPrefix("aes256gcm:") && !resealed.evidence.contains("Geheimnaam"))
            let view = jsonObject(try await client.call(.get, "/v1/consents/\(id)", token: c.jvk).body)
            #expect((view["givers"] as? [[String: Any]])?.first { $0["giver"] as? String == "parent" }?["evidence"] as? String == typed)
        }
    }

    @Test("Fn 28: a 12-year-old needs the pupil too — pending until the pupil's own answer is recorded", arguments: ServerFixture.databases)
    func fn28_twelveYearOldNeedsThePupilToo(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let c = try await Self.setUp(fixture, client, birthDate: Self.birthDate(turning: 12, inDays: -30))
            let consent = try await Self.consent(client, c.jvk, case: c.cjg, givers: [ServerFixture.given("parent")])
            #expect(consent["state"] as? String == "pending" && consent["missing"] as? [String] == ["pupil"])
            let refused = try await Self.disclose(client, c.jvk, case: c.cjg)
            #expect(refused.status == .forbidden && Self.withheldRule(refused.body, "supportFacts") == "consent-wrong-giver")
            let id = try #require(consent["id"] as? String)
            let pupil = try await client.call(.post, "/v1/consents/\(id)/answers", token: c.jvk,
                                              json: ServerFixture.given("pupil", on: CalendarDate.amsterdam(Date()).description))
            #expect(pupil.status == .created && jsonObject(pupil.body)["state"] as? String == "given", "\(pupil.body)")
            #expect(try await Self.disclose(client, c.jvk, case: c.cjg).status == .created)
            // Only the holder records answers; another participant gets 403, an outsider 404.
            let other = try await client.call(.post, "/v1/consents/\(id)/answers", token: c.zco, json: ServerFixture.given("other-parent"))
            #expect(other.status == .forbidden)
            let outsider = try await client.call(.post, "/v1/consents/\(id)/answers", token: try await client.login(fixture, "zco-other"),
                                                 json: ServerFixture.given("other-parent"))
            #expect(outsider.status == .notFound)
            // The evidence is a reference: bounded, no control characters; the giver one of four.
            for (body, field) in [(ServerFixture.given("other-parent", evidence: "regel\\u0000"), "evidence"),
                                  (ServerFixture.given("grandparent"), "giver"),
                                  (ServerFixture.given("other-parent", on: "2999-01-01"), "answeredOn")] {
                let bad = try await client.call(.post, "/v1/consents/\(id)/answers", token: c.jvk, json: body)
                #expect(bad.status == .badRequest && jsonObject(bad.body)["field"] as? String == field, "\(bad.body)")
            }
            // Recording a consent names the answer at fault; each giver answers once; nothing is stored.
            for (givers, field) in [([ServerFixture.given("parent"), ServerFixture.given("pupil", answer: "misschien")], "givers[1].answer"),
                                    ([ServerFixture.given("parent"), ServerFixture.given("parent")], "givers")] {
                let bad = try await client.call(.post, "/v1/cases/\(c.cjg)/consents", token: c.jvk,
                                                json: #"{"recipients":["swv"],"fields":["absence"],"givers":[\#(givers.joined(separator: ","))]}"#)
                #expect(bad.status == .badRequest && jsonObject(bad.body)["field"] as? String == field, "\(bad.body)")
            }
            #expect(jsonArray(try await client.call(.get, "/v1/cases/\(c.cjg)/consents", token: c.jvk).body).count == 1)
        }
    }

    @Test("Fn 28: on the 12th birthday a parents-only consent stops sufficing; the holder's view says needs-renewal and the holder is told once, also past 16",
          arguments: ServerFixture.databases)
    func fn28_birthdayMakesAParentsOnlyConsentNeedRenewal_holderToldOnce(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let birthday = CalendarDate.amsterdam(Date()).adding(days: 10)
            let c = try await Self.setUp(fixture, client, birthDate: Self.birthDate(turning: 12, inDays: 10))
            let consent = try await Self.consent(client, c.jvk, case: c.cjg, givers: [ServerFixture.given("parent"), ServerFixture.given("other-parent")])
            let id = try #require(consent["id"] as? String)
            #expect(consent["state"] as? String == "given", "11 years old: the parents' consent suffices")
            #expect(try await Self.disclose(client, c.jvk, case: c.cjg).status == .created)
            #expect(try await fixture.gateway.sweepConsentNotices().renewals == 0)

            fixture.clock.advance(by: 11 * 86_400)
            let jvk = try await client.login(fixture, "jvk")
            let view = jsonObject(try await client.call(.get, "/v1/consents/\(id)", token: jvk).body)
            #expect(view["state"] as? String == "needs-renewal" && view["missing"] as? [String] == ["pupil"])
            let renewal = try #require(view["renewal"] as? [String: Any])
            #expect(renewal["since"] as? String == birthday.description && renewal["age"] as? Int == 12 && renewal["required"] as? [String] == ["parent", "pupil"])
            #expect((renewal["reason"] as? String)?.contains("werd de leerling 12 jaar") == true)
            #expect(renewal["article"] as? String == "convenant art. 13.1 voetnoot 28; verzuimprotocol hoofdstuk 10")
            let refused = try await Self.disclose(client, jvk, case: c.cjg)
            #expect(refused.status == .forbidden && Self.withheldRule(refused.body, "supportFacts") == "consent-wrong-giver")
            // The sweep tells the holder once, however often it runs.
            #expect(try await fixture.gateway.sweepConsentNotices().renewals == 1)
            #expect(try await fixture.gateway.sweepConsentNotices().renewals == 0)
            let notices = (jsonObject(try await client.call(.get, "/v1/mailbox", token: jvk).body)["notices"] as? [[String: Any]] ?? [])
                .filter { $0["kind"] as? String == "consent-needs-renewal" }
            #expect(notices.count == 1)
            #expect(notices.first?["consentId"] as? String == id && notices.first?["due"] as? String == birthday.description)
            #expect(notices.first?["caseId"] as? String == c.cjg && (notices.first?["reason"] as? String)?.contains("12 jaar") == true)
            // Not to the recipient of the earlier disclosure: the notice is the holder's.
            let swv = try await client.login(fixture, "swv")
            #expect((jsonObject(try await client.call(.get, "/v1/mailbox", token: swv).body)["notices"] as? [Any])?.isEmpty == true)
            // Four years on, at 16, it still needs renewal since the 12th birthday: no second notice.
            fixture.clock.advance(by: 4 * 366 * 86_400)
            #expect(try await fixture.gateway.sweepConsentNotices().renewals == 0)
        }
    }

    @Test("Fn 28, interpretation: at 16 only the pupil's consent counts — a consent of parent and pupil from 12–15 keeps sufficing, parents alone never did",
          arguments: ServerFixture.databases)
    func fn28_interpretation_sixteenthBirthdayKeepsAConsentThatIncludesThePupil(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let c = try await Self.setUp(fixture, client, birthDate: Self.birthDate(turning: 16, inDays: 5))
            let both = try await Self.consent(client, c.jvk, case: c.cjg, givers: [ServerFixture.given("parent"), ServerFixture.given("pupil")])
            let parents = try await Self.consent(client, c.jvk, case: c.cjg, to: #"["schoolbestuur"]"#,
                                                 givers: [ServerFixture.given("parent"), ServerFixture.given("legal-representative")])
            #expect(both["state"] as? String == "given" && parents["state"] as? String == "pending")
            fixture.clock.advance(by: 6 * 86_400)
            let jvk = try await client.login(fixture, "jvk")
            let views = Dictionary(uniqueKeysWithValues: jsonArray(try await client.call(.get, "/v1/cases/\(c.cjg)/consents", token: jvk).body)
                .map { ($0["id"] as? String ?? "", $0) })
            #expect(views[both["id"] as? String ?? ""]?["state"] as? String == "given")
            let stillPending = views[parents["id"] as? String ?? ""]
            #expect(stillPending?["state"] as? String == "pending" && stillPending?["missing"] as? [String] == ["pupil"])
            #expect(try await fixture.gateway.sweepConsentNotices().renewals == 0)
            #expect(try await Self.disclose(client, jvk, case: c.cjg).status == .created)
        }
    }

    @Test("Art. 6.1, interpretation: the holder is told 42 days before the end date the giver set; after it the consent counts for nothing",
          arguments: ServerFixture.databases)
    func art6_1_interpretation_endDateNoticeBeforeAndNothingAfter(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let c = try await Self.setUp(fixture, client)
            let endsOn = CalendarDate.amsterdam(Date()).adding(days: 50)
            let consent = try await Self.consent(client, c.jvk, case: c.cjg, givers: [ServerFixture.given("parent"), ServerFixture.given("pupil")],
                                                 extra: #","endsOn":"\#(endsOn)""#)
            #expect(consent["endsOn"] as? String == endsOn.description && consent["state"] as? String == "given")
            #expect(try await fixture.gateway.sweepConsentNotices().endings == 0, "50 days ahead: not yet")
            fixture.clock.advance(by: 9 * 86_400)
            #expect(try await fixture.gateway.sweepConsentNotices().endings == 1, "41 days ahead")
            #expect(try await fixture.gateway.sweepConsentNotices().endings == 0, "once")
            var jvk = try await client.login(fixture, "jvk")
            let notice = try #require((jsonObject(try await client.call(.get, "/v1/mailbox", token: jvk).body)["notices"] as? [[String: Any]])?
                .first { $0["kind"] as? String == "consent-ends-soon" })
            #expect(notice["due"] as? String == endsOn.description && (notice["article"] as? String)?.contains("zes weken") == true)
            #expect(try await Self.disclose(client, jvk, case: c.cjg).status == .created, "it holds until its end date")
            fixture.clock.advance(by: 42 * 86_400)
            jvk = try await client.login(fixture, "jvk")
            let view = jsonObject(try await client.call(.get, "/v1/consents/\(try #require(consent["id"] as? String))", token: jvk).body)
            #expect(view["state"] as? String == "lapsed")
            let refused = try await Self.disclose(client, jvk, case: c.cjg)
            #expect(refused.status == .forbidden && Self.withheldRule(refused.body, "supportFacts") == "consent-required")
            // A lapsed consent takes no more answers; an end date in the past is refused.
            let lapsedAnswer = try await client.call(.post, "/v1/consents/\(try #require(consent["id"] as? String))/answers", token: jvk,
                                                     json: ServerFixture.given("other-parent"))
            #expect(lapsedAnswer.status == .conflict && jsonObject(lapsedAnswer.body)["code"] as? String == "sluis:consent-lapsed")
            let past = try await client.call(.post, "/v1/cases/\(c.cjg)/consents", token: jvk,
                                             json: #"{"recipients":["swv"],"fields":["absence"],"givers":[],"endsOn":"2020-01-01"}"#)
            #expect(past.status == .badRequest && jsonObject(past.body)["field"] as? String == "endsOn")
        }
    }

    @Test("Art. 11.5: the holder sees per recipient, party and role, that the revocation reached it and when it was acknowledged",
          arguments: ServerFixture.databases)
    func art11_5_revocationReachPerRecipientWithAcknowledgement(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let c = try await Self.setUp(fixture, client)
            let consent = try await Self.consent(client, c.jvk, case: c.cjg, to: #"["swv","gemeente"]"#,
                                                 givers: [ServerFixture.given("parent"), ServerFixture.given("pupil")])
            let id = try #require(consent["id"] as? String)
            #expect(consent["revocationReach"] == nil, "only after a revocation")
            #expect(try await Self.disclose(client, c.jvk, case: c.cjg).status == .created)
            #expect(try await Self.disclose(client, c.jvk, case: c.cjg, to: "gemeente-goeree-overflakkee", role: "jeugd-en-gezin").status == .created)
            let revoked = try await client.call(.post, "/v1/consents/\(id)/revoke", token: c.jvk)
            #expect(jsonObject(revoked.body)["notified"] as? [String] == ["gemeente-goeree-overflakkee", "swv-go"])
            var reach = (jsonObject(try await client.call(.get, "/v1/consents/\(id)", token: c.jvk).body)["revocationReach"] as? [[String: Any]]) ?? []
            #expect(reach.map { "\($0["party"] as? String ?? "")/\($0["role"] as? String ?? "")" } == ["gemeente-goeree-overflakkee/jeugd-en-gezin", "swv-go/"])
            #expect(reach.allSatisfy { $0["notifiedAt"] != nil && $0["acknowledgedAt"] == nil })
            // The SWV acknowledges; the consulent has not yet.
            let notice = try #require((jsonObject(try await client.call(.get, "/v1/mailbox", token: c.swv).body)["notices"] as? [[String: Any]])?.first)
            #expect(try await client.call(.post, "/v1/notices/\(try #require(notice["id"] as? String))/acknowledge", token: c.swv).status == .ok)
            reach = (jsonObject(try await client.call(.get, "/v1/consents/\(id)", token: c.jvk).body)["revocationReach"] as? [[String: Any]]) ?? []
            #expect(reach.first { $0["party"] as? String == "swv-go" }?["acknowledgedAt"] != nil)
            #expect(reach.first { $0["role"] as? String == "jeugd-en-gezin" }?["acknowledgedAt"] == nil)
            // Only the holder sees the reach.
            #expect(try await client.call(.get, "/v1/consents/\(id)", token: c.zco).status == .forbidden)
            #expect(try await client.call(.get, "/v1/consents/\(id)", token: try await client.login(fixture, "zco-other")).status == .notFound)
        }
    }

    @Test("Protocol 5.5.4 procedure CJG sub 4: the CJG's feedback carries only that a conversation took place, rests on no consent, and is on the register",
          arguments: ServerFixture.databases)
    func protocol5_5_4_cjgFeedbackCarriesNoContentAndNoConsent(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let c = try await Self.setUp(fixture, client)
            let sent = try await client.call(.post, "/v1/cases/\(c.cjg)/cjg-feedback", token: c.jvk,
                                             json: #"{"recipient":"sovogo","conversationOn":"2026-11-20"}"#)
            #expect(sent.status == .created, "\(sent.body)")
            #expect(jsonObject(sent.body)["released"] as? [String] == ["conversationHeld"])
            let item = try #require((jsonObject(try await client.call(.get, "/v1/mailbox", token: c.zco).body)["disclosures"] as? [[String: Any]])?.first)
            #expect(item["forum"] as? String == "cjg-terugkoppeling" && item["sender"] as? String == "cjg-rijnmond" && item["caseId"] as? String == c.school)
            let fetched = try await client.execute(uri: "/v1/mailbox/\(item["id"] as! String)/bundle", method: .get,
                                                   headers: [.authorization: "Bearer \(c.zco)"]) { $0 }
            let credentials = try fixture.gateway.credentials.credentials("sovogo")
            let opened = try SealedBundle.open(Array(buffer: fetched.body), recipient: credentials.certificate, key: credentials.key,
                                               trust: fixture.gateway.trust, expectedSigner: try fixture.gateway.credentials.certificate("cjg-rijnmond"))
            let text = String(decoding: opened.plaintext.bytes, as: UTF8.self)
            let content = jsonObject(text)
            #expect(content["fields"] as? [String: String] == ["conversationHeld": "2026-11-20"])
            #expect((content["message"] as? String)?.contains("geen toestemming") == true)
            #expect(!text.contains("medisch gegeven") && !text.contains("begeleiding JGZ") && !text.contains("Testnaam"), "nothing of the CJG's content")
            let entry = try #require(try await fixture.gateway.register.list(.init(limit: 100)).entries.last { $0.operation == "disclose" })
            #expect(entry.activity == "verstrekking-cjg-terugkoppeling" && entry.consentReference == nil)
            #expect(entry.basis.contains { $0.contains("verzuimprotocol 5.5.4") })
            // Only this way: not as a generic disclosure, not as a fact, not to another party, not by the school.
            let generic = try await client.call(.post, "/v1/disclosures", token: c.jvk, json: """
                {"caseId":"\(c.cjg)","recipient":"sovogo","forum":"cjg-terugkoppeling","purpose":"3.1.g","fields":["conversationHeld"]}
                """)
            #expect(generic.status == .badRequest && jsonObject(generic.body)["field"] as? String == "forum")
            let fact = try await client.call(.patch, "/v1/cases/\(c.cjg)", token: c.jvk, json: #"{"facts":{"conversationHeld":"wat er besproken is"}}"#)
            #expect(fact.status == .badRequest)
            let toSwv = try await client.call(.post, "/v1/cases/\(c.cjg)/cjg-feedback", token: c.jvk, json: #"{"recipient":"swv-go","conversationOn":"2026-11-20"}"#)
            #expect(toSwv.status == .badRequest && jsonObject(toSwv.body)["field"] as? String == "recipient")
            #expect(try await client.call(.post, "/v1/cases/\(c.school)/cjg-feedback", token: c.zco,
                                          json: #"{"recipient":"sovogo","conversationOn":"2026-11-20"}"#).status == .forbidden)
        }
    }

    @Test("Protocol 5.5.4: the school reports sick leave to the CJG only with consent of ouder/leerling (fn 28)", arguments: ServerFixture.databases)
    func protocol5_5_4_sickLeaveReportNeedsConsent(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let c = try await Self.setUp(fixture, client)
            let report = #"{"caseId":"\#(c.school)","recipient":"cjg-rijnmond","forum":"direct","purpose":"3.1.d","fields":["absence"]}"#
            let without = try await client.call(.post, "/v1/disclosures", token: c.zco, json: report)
            #expect(without.status == .forbidden && Self.withheldRule(jsonObject(without.body), "absence") == "sick-leave-report-needs-consent")
            _ = try await Self.consent(client, c.zco, case: c.school, to: #"["jgz"]"#, fields: #"["absence"]"#,
                                       givers: [ServerFixture.given("parent"), ServerFixture.given("pupil")])
            #expect(try await client.call(.post, "/v1/disclosures", token: c.zco, json: report).status == .created)
        }
    }
}
