import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing
import SluisCovenant
@testable import SluisGateway
import SluisRegister
@testable import SluisServer
@testable import SluisStore

/// Sending the thuiszitterstafel's agenda and minutes (issue 11 items 2–3; Bijlage 3.3 sub 4;
/// convenant art. 15): all or nothing, nothing for an empty view, the preview hides from the
/// secretary what the SWV may not receive, a send happens once.
@Suite("Thuiszitterstafel sending (Bijlage 3.3 sub 4, art. 15)", .serialized)
struct ThuiszitterstafelSendTests {
    /// Two pupils on the list and an agenda of both: the agenda's id.
    static func agendaOfTwo(_ t: Tafel) async throws -> String {
        for name in ["Testnaam Een", "Testnaam Twee"] {
            let school = try await t.schoolCase(name: name, caseType: "verzuim")
            _ = try await t.register("swv", school, caseType: "verzuim", summary: "Samenvatting-\(name.split(separator: " ").last!)")
        }
        return try #require(try await t.compose()["id"] as? String)
    }

    @Test("Art. 15, art. 10: a real failure injected mid-send (the database refuses the second delivery) leaves no delivery, no mailbox item and no register entry; the same preview is then sent whole",
          arguments: ServerFixture.databases)
    func art15_aFailureMidSendLeavesNothingSent(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            let agenda = try await Self.agendaOfTwo(t)
            let etag = try await t.preview(agenda).etag
            let sql = fixture.gateway.store.sql
            let postgres = sql.dialect.name == "postgresql"
            let refuse: [SQLQueryString] = postgres ? [
                """
                CREATE FUNCTION refuse_second_delivery() RETURNS trigger AS $$ BEGIN
                IF (SELECT COUNT(*) FROM tafel_deliveries WHERE agenda_id = NEW.agenda_id) >= 1 THEN RAISE EXCEPTION 'injected failure'; END IF;
                RETURN NEW; END $$ LANGUAGE plpgsql
                """,
                "CREATE TRIGGER refuse_second_delivery BEFORE INSERT ON tafel_deliveries FOR EACH ROW EXECUTE FUNCTION refuse_second_delivery()",
            ] : ["""
                CREATE TRIGGER refuse_second_delivery BEFORE INSERT ON tafel_deliveries
                WHEN (SELECT COUNT(*) FROM tafel_deliveries WHERE agenda_id = NEW.agenda_id) >= 1 BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                """]
            for statement in refuse { try await sql.raw(statement).run() }
            let size = await fixture.gateway.register.size
            let failed = try await t.send(agenda, etag: etag)
            #expect(failed.status == .serviceUnavailable && jsonObject(failed.body)["code"] as? String == "sluis:register-unavailable", "\(failed.body)")
            #expect(!failed.body.contains("injected"), "the driver's words stay in the operator's log")
            #expect(await fixture.gateway.register.size == size, "no register entry")
            try await Self.nothingSent(t, agenda: agenda, sent: false)
            try await sql.raw("DROP TRIGGER refuse_second_delivery\(unsafeRaw: postgres ? " ON tafel_deliveries" : "")").run()
            let sent = try await t.send(agenda, etag: etag)
            #expect(sent.status == .created, "\(sent.body)")
            // The CJG and the leerplichtambtenaar get a bundle; the SWV's view holds only what it
            // brought itself (its texts and the school's aanmelding), so none goes to it.
            #expect((jsonObject(sent.body)["deliveries"] as? [[String: Any]])?.compactMap { $0["recipient"] as? String }.sorted()
                    == ["cjg-rijnmond", "gemeente-goeree-overflakkee"], "\(sent.body)")
            // One entry per participant and pupil about whom something from another organisation
            // was decided: the CJG's and the leerplicht's, not the SWV's (its view is its own).
            #expect(await fixture.gateway.register.size == size + 4, "one entry per participant and pupil with a decision")
        }
    }

    @Test("Art. 15.1, found in review: HEAD on a preview answers the same ETag as GET, shows nothing and writes no register entry; GET writes one",
          arguments: [ServerFixture.databases[0]])
    func art15_1_headOnAPreviewIsNotAReading(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            let school = try await t.schoolCase(name: "Testnaam Kop", caseType: "verzuim")
            _ = try await t.register("swv", school, caseType: "verzuim", summary: "Samenvatting-Kop")
            let agenda = try #require(try await t.compose()["id"] as? String)
            let size = await fixture.gateway.register.size
            let head = try await t.call("swv", .head, "/v1/thuiszitterstafel/agendas/\(agenda)/preview")
            #expect(head.status == .ok && head.body.isEmpty, "\(head.status)")
            #expect(await fixture.gateway.register.size == size, "a HEAD is not on the register")
            let get = try await t.preview(agenda)
            #expect(head.headers[.eTag] == get.etag)
            #expect(await fixture.gateway.register.size == size + 1, "a GET is")
        }
    }

    @Test("Bijlage 3.3 sub 4, interpretation (nothing for an empty view): a participant whose view holds nothing from another organisation gets no bundle, only refusals on the register; a correction reaches nobody who got nothing",
          arguments: ServerFixture.databases)
    func bijlage3_3_emptyViewsGetNothing(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            // Phase afschaling serves 3.1.b and g only (art. 3.4): an agenda for 3.1.a releases nothing to anyone.
            let school = try await t.schoolCase(name: "Testnaam Leeg", caseType: "verzuim", phase: "afschaling", aanmelding: false)
            let entry = try await t.register("swv", school, caseType: "verzuim", summary: "Samenvatting-Leeg")
            let agenda = try #require(try await t.compose(purpose: "3.1.a")["id"] as? String)
            let size = await fixture.gateway.register.size
            let receipt = try await t.previewAndSend(agenda)
            #expect((receipt["deliveries"] as? [Any])?.isEmpty == true, "\(receipt)")
            let notSent = receipt["notSent"] as? [[String: Any]] ?? []
            #expect(Set(notSent.compactMap { $0["recipient"] as? String }) == ["swv-go", "cjg-rijnmond", "gemeente-goeree-overflakkee"])
            #expect(notSent.allSatisfy { ($0["reason"] as? String)?.hasPrefix("empty view") == true })
            let entries = try await fixture.gateway.register.list(RegisterFilter(after: size - 1, limit: 100)).entries.filter { $0.activity.contains("thuiszitterstafel") }
            #expect(entries.count == 2 + 1 && entries.filter { $0.operation == "refuse" }.count == 2,
                    "one refusal per participant and pupil with something withheld (beside the preview); the SWV's own texts are no decision")
            #expect(entries.allSatisfy { $0.bundleDigest == nil })
            try await Self.nothingSent(t, agenda: agenda, sent: true)
            // Minutes v1 reach nobody; after the phase changes, v2 (a correction) still reaches nobody.
            let minutes = #"{"items":[{"entry":"\#(entry)","decisions":"Besluit"}]}"#
            #expect(try await t.call("swv", .post, "/v1/thuiszitterstafel/agendas/\(agenda)/minutes", minutes).status == .created)
            #expect((try await t.previewAndSend(agenda, minutes: 1)["deliveries"] as? [Any])?.isEmpty == true)
            #expect(try await t.call("zco", .patch, "/v1/cases/\(school)", #"{"phase":"monitoring"}"#).status == .ok)
            #expect(try await t.call("swv", .post, "/v1/thuiszitterstafel/agendas/\(agenda)/minutes", minutes).status == .created)
            let full = try await t.views(agenda, minutes: 2)
            #expect(full.contains { view in (view["items"] as? [[String: Any]])?.contains { ($0["fields"] as? [String: String])?["decisions"] != nil } == true },
                    "version 2 would show the minutes")
            let correction = try await t.previewAndSend(agenda, minutes: 2)
            #expect((correction["deliveries"] as? [Any])?.isEmpty == true)
            #expect((correction["notSent"] as? [[String: Any]])?.allSatisfy { ($0["reason"] as? String)?.hasPrefix("received no earlier version") == true } == true)
        }
    }

    @Test("Bijlage 3.3, interpretation (the secretary sees no text the SWV may not receive): the CJG's health data without consent is in the CJG's own view and in no byte of the preview",
          arguments: ServerFixture.databases)
    func bijlage3_3_thePreviewHidesFromTheSecretaryWhatTheSWVMayNotReceive(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            let school = try await t.schoolCase(name: "Testnaam Verborgen", caseType: "verzuim")
            try await t.cjgHealthData(school, "Gezondheid-Zonder-Toestemming", consentForSWV: false)
            _ = try await t.register("arts", school, caseType: "verzuim", summary: "Samenvatting-Arts")
            let agenda = try #require(try await t.compose()["id"] as? String)
            let full = try await t.views(agenda)
            let cjg = try #require(full.first { ($0["participant"] as? [String: Any])?["id"] as? String == "cjg-rijnmond" })
            #expect(((cjg["items"] as? [[String: Any]])?.first?["fields"] as? [String: String])?["healthData"] == "Gezondheid-Zonder-Toestemming",
                    "the CJG's own contribution is shown to it whole (contract)")
            let preview = try await t.call("swv", .get, "/v1/thuiszitterstafel/agendas/\(agenda)/preview")
            #expect(preview.status == .ok)
            #expect(!preview.body.contains("Gezondheid-Zonder-Toestemming"), "the health data is hidden from the secretary")
            #expect(preview.body.contains(AgendaAnswer.hiddenText) && preview.body.contains("healthData"), "the field shows, its text does not")
            for (user, _) in Tafel.participants where user != "swv" {
                #expect(!preview.body.contains(try await t.ref(user, of: school)), "\(user)'s reference is hidden")
            }
        }
    }

    @Test("Art. 11.5: a consent revoked after an agenda went out on it is announced to that agenda's recipient, naming its delivery; not to a recipient the consent did not reach",
          arguments: ServerFixture.databases)
    func art11_5_aRevocationReachesTheAgendasRecipients(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            let school = try await t.schoolCase(name: "Testnaam Herroepen", caseType: "verzuim")
            let consentID = try #require(try await t.cjgHealthData(school, "Gezondheid-Herroepen", consentForSWV: true))
            _ = try await t.register("swv", school, caseType: "verzuim", summary: "Samenvatting-Herroepen")
            let agenda = try #require(try await t.compose()["id"] as? String)
            let size = await fixture.gateway.register.size
            let deliveries = try #require(try await t.previewAndSend(agenda)["deliveries"] as? [[String: Any]])
            let toSwv = try #require(deliveries.first { $0["recipient"] as? String == "swv-go" }?["id"] as? String, "the health data went to the SWV on consent")
            let entries = try await fixture.gateway.register.list(RegisterFilter(after: size - 1, limit: 100)).entries
            #expect(entries.contains { $0.recipient == "swv-go" && $0.operation == "disclose" && $0.consentReference == consentID && $0.released.contains("healthData") })
            let revoked = try await t.call("arts", .post, "/v1/consents/\(consentID)/revoke")
            #expect(revoked.status == .ok && (jsonObject(revoked.body)["notified"] as? [String]) == ["swv-go"], "\(revoked.body)")
            let notices = jsonObject(try await t.call("swv", .get, "/v1/mailbox").body)["notices"] as? [[String: Any]] ?? []
            #expect(notices.count == 1 && notices.first?["kind"] as? String == "consent-revoked" && notices.first?["disclosures"] as? [String] == [toSwv],
                    "\(notices)")
            #expect(notices.first?["caseId"] as? String == (try await t.ref("swv", of: school)), "under the SWV's own reference")
            for user in ["lpa", "zco"] {
                #expect((jsonObject(try await t.call(user, .get, "/v1/mailbox").body)["notices"] as? [Any])?.isEmpty == true, "\(user)")
            }
        }
    }

    @Test("Bijlage 3.3 sub 1 and 5: only the table's participants contribute — the consulent jeugd en gezin's own facts are on no view, also when the leerplichtambtenaar of the same gemeente released that field to the SWV",
          arguments: ServerFixture.databases)
    func bijlage3_3_onlyParticipantsContribute(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client, users: ["zco", "swv", "lpa", "jeg"])
            let created = try await t.call("zco", .post, "/v1/cases", """
                {"name":"Testnaam Consulent","birthDate":"2012-05-06","caseType":"verzuim","phase":"casusoverleg",
                 "parties":["swv-go","gemeente-goeree-overflakkee","gemeente-goeree-overflakkee/jeugd-en-gezin","cjg-rijnmond"]}
                """)
            let school = try #require(jsonObject(created.body)["id"] as? String, "\(created.body)")
            #expect(try await t.call("zco", .post, "/v1/cases/\(school)/informing", #"{"informedAt":"2026-11-01","method":"brief"}"#).status == .created)
            let jegRef = try await t.ref("jeg", of: school), lpaRef = try await t.ref("lpa", of: school)
            #expect(try await t.call("jeg", .patch, "/v1/cases/\(jegRef)", #"{"facts":{"absence":"Consulent-Eigen-Gegeven"}}"#).status == .ok)
            #expect(try await t.call("lpa", .patch, "/v1/cases/\(lpaRef)", #"{"facts":{"absence":"Leerplicht-Verzuim"}}"#).status == .ok)
            let released = try await t.call("lpa", .post, "/v1/disclosures", """
                {"caseId":"\(lpaRef)","recipient":"swv-go","forum":"thuiszitterstafel","purpose":"3.1.a","fields":["absence"]}
                """)
            #expect(released.status == .created, "\(released.body)")
            _ = try await t.register("swv", school, caseType: "verzuim", summary: "Samenvatting-Consulent")
            let agenda = try #require(try await t.compose()["id"] as? String)
            let views = String(decoding: try JSONSerialization.data(withJSONObject: try await t.views(agenda)), as: UTF8.self)
            #expect(views.contains("Leerplicht-Verzuim"), "the leerplichtambtenaar is at the table")
            #expect(!views.contains("Consulent-Eigen-Gegeven"), "the consulent is not, and its values never travel under the leerplicht's release")
        }
    }

    @Test("Contract agenda.md (one sender per field of an item), interpretation: where two organisations supplied the same field about a pupil, the agenda carries the SWV's text (the school's aanmelding), then the first organisation's by name; the other's text is on no view",
          arguments: ServerFixture.databases)
    func agendaContract_oneTextPerFieldOfAPupil(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            // The school's aanmelding releases its absence to the SWV; the leerplicht and the CJG record an absence of their own.
            let school = try await t.schoolCase(name: "Testnaam Dubbel", caseType: "verzuim")
            for user in ["lpa", "arts"] {
                #expect(try await t.call(user, .patch, "/v1/cases/\(try await t.ref(user, of: school))", #"{"facts":{"absence":"Verzuim-van-\#(user)"}}"#).status == .ok)
            }
            _ = try await t.register("swv", school, caseType: "verzuim", summary: "Samenvatting-Dubbel")
            let agenda = try #require(try await t.compose()["id"] as? String)
            let built = try await t.built(agenda)
            for contribution in built.document.request.items[0].contributions {
                #expect(contribution.fields.filter { $0.name == "absence" }.count <= 1)
            }
            let absences = built.document.request.items[0].contributions.flatMap(\.fields).filter { $0.name == "absence" }
            #expect(absences.map(\.text) == ["Verzuim-Dubbel"], "one text, the school's through the SWV: \(absences.map(\.text))")
            for view in built.answer.views {
                let names = view.items[0].fields.map(\.name)
                #expect(Set(names).count == names.count, "\(view.participant.label): one text per name, \(names)")
                #expect(!view.items[0].fields.contains { $0.text.hasPrefix("Verzuim-van-") })
            }
        }
    }

    @Test("Bijlage 3.3 sub 4: two sends of one previewed agenda at once (two gateway instances) send it once; the other is 409",
          arguments: ServerFixture.databases)
    func bijlage3_3_aSendHappensOnce(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            let agenda = try await Self.agendaOfTwo(t)
            let etag = try await t.preview(agenda).etag
            try await fixture.withSecondInstance { other in
                async let a = t.send(agenda, etag: etag)
                async let b = other.call(.post, "/v1/thuiszitterstafel/agendas/\(agenda)/send", token: t.tokens["swv"], headers: [.ifMatch: etag])
                let statuses = [try await a.status, try await b.status]
                #expect(statuses.filter { $0 == .created }.count == 1 && statuses.filter { $0 == .conflict }.count == 1, "\(statuses)")
            }
            let deliveries = try await fixture.gateway.store.sql.raw("SELECT COUNT(*) AS n FROM tafel_deliveries").first()?.decode(column: "n", as: Int.self)
            #expect(deliveries == 2)
        }
    }
}

extension ThuiszitterstafelSendTests {
    /// After a send that delivered nothing: no delivery, no mailbox item; the agenda marked sent or not.
    static func nothingSent(_ t: Tafel, agenda: String, sent: Bool) async throws {
        let deliveries = try await t.fixture.gateway.store.sql.raw("SELECT COUNT(*) AS n FROM tafel_deliveries").first()?.decode(column: "n", as: Int.self)
        #expect(deliveries == 0)
        for (user, _) in Tafel.participants { #expect(try await t.meetings(user).isEmpty, "\(user)'s mailbox") }
        #expect((jsonObject(try await t.call("swv", .get, "/v1/thuiszitterstafel/agendas/\(agenda)").body)["sentAt"] != nil) == sent)
    }
}
