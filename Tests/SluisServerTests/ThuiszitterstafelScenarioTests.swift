import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import SluisCovenant
@testable import SluisGateway
import SluisRegister
@testable import SluisStore

/// Issue 11 items 1–3 and the scenario of item 7: from registration on the thuiszitterstafel
/// list to the corrected minutes, over HTTP, every participant opening its own bundle with the
/// openssl command (Bijlage 3.3; verzuimprotocol hoofdstuk 5; contract agenda.md).
@Suite("Thuiszitterstafel: list, agenda, minutes (Bijlage 3.3)", .serialized)
struct ThuiszitterstafelScenarioTests {
    @Test("Bijlage 3.3 sub 1–5: list → compose → preview → send → every participant opens exactly its view with openssl cms → minutes → a correction reaching exactly the earlier recipients",
          arguments: ServerFixture.databases)
    func bijlage3_3_fromTheListToTheCorrectedMinutes(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            // Pupil A: no DUO melding; the CJG holds health data and the parents' and pupil's consent for the SWV (fn 28).
            let a = try await t.schoolCase(name: "Testnaam Eerste", caseType: "verzuim")
            try await t.cjgHealthData(a, "Gezondheid-Eerste-geheim", consentForSWV: true)
            // Pupil B: the school made a DUO melding (protocol 5.4: the leerplichtambtenaar may see the pupil).
            let b = try await t.schoolCase(name: "Testnaam Tweede", caseType: "absoluut-verzuim")
            let melding = try await t.call("zco", .post, "/v1/cases/\(b)/duo-meldingen", #"{"date":"2026-11-02","kind":"absoluut-verzuim","reference":"DUO-TAFEL-1"}"#)
            #expect(melding.status == .created, "\(melding.body)")

            // 1. The list (hoofdstuk 5: kernteam, leerplichtambtenaar, jeugdarts), one entry per case.
            let entryA = try await t.register("swv", a, caseType: "verzuim", summary: "Samenvatting-Eerste", progress: "Voortgang-Eerste")
            let entryB = try await t.register("lpa", b, caseType: "absoluut-verzuim", summary: "Samenvatting-Tweede")
            let again = try await t.call("lpa", .post, "/v1/thuiszitterstafel/entries", """
                {"caseId":"\(try await t.ref("lpa", of: a))","caseType":"verzuim","summary":"nogmaals"}
                """)
            #expect(again.status == .conflict && jsonObject(again.body)["code"] as? String == "sluis:tafel-listed-already", "\(again.body)")
            let appointed = try await t.call("swv", .patch, "/v1/thuiszitterstafel/entries/\(entryA)", #"{"procesbewaker":"jvk"}"#)
            #expect(appointed.status == .ok && jsonObject(appointed.body)["procesbewaker"] as? String == "jvk", "\(appointed.body)")
            let list = jsonArray(try await t.call("swv", .get, "/v1/thuiszitterstafel/entries").body)
            #expect(list.map { $0["number"] as? Int } == [1, 2] && list.map { $0["registeredBy"] as? String } == ["swv", "lpa"])
            // A text is its author's own: the SWV does not read the leerplichtambtenaar's description on the list.
            #expect(list[0]["summary"] as? String == "Samenvatting-Eerste" && list[1]["summary"] == nil && list[1]["summaryBy"] as? String == "gemeente-goeree-overflakkee/leerplicht")

            // 2. Compose, preview, send (Bijlage 3.3 sub 1 and 4).
            let agenda = try #require(try await t.compose()["id"] as? String)
            let (preview, etag) = try await t.preview(agenda)
            let shown = try #require(preview["views"] as? [[String: Any]])
            #expect(shown.count == 3)
            #expect(try await t.send(agenda, etag: nil).status == .preconditionRequired)
            let stale = try await t.send(agenda, etag: "\"ps1-anders\"")
            #expect(stale.status == .preconditionFailed && jsonObject(stale.body)["code"] as? String == "sluis:preview-changed")
            let sizeBefore = await fixture.gateway.register.size
            let sent = try await t.send(agenda, etag: etag)
            #expect(sent.status == .created, "\(sent.body)")
            let receipt = jsonObject(sent.body)
            let deliveries = try #require(receipt["deliveries"] as? [[String: Any]])
            #expect(Set(deliveries.compactMap { $0["recipient"] as? String }) == ["swv-go", "cjg-rijnmond", "gemeente-goeree-overflakkee"])
            // Art. 15: one register entry per participant and pupil, each naming its bundle.
            #expect(await fixture.gateway.register.size == sizeBefore + 6)
            let twice = try await t.send(agenda, etag: etag)
            #expect(twice.status == .conflict && jsonObject(twice.body)["code"] as? String == "sluis:agenda-sent-already", "\(twice.body)")

            // 3. Every participant fetches its own bundle and opens it with openssl: exactly its view.
            let full = try await t.views(agenda)
            let swvView = try #require(full.first)
            var references: [String: String] = [:]
            for (index, (user, party)) in Tafel.participants.enumerated() {
                let item = try #require(try await t.meetings(user).first { $0["kind"] as? String == "agenda" })
                #expect(item["pupils"] as? Int == 2 && item["meeting"] as? String != nil)
                let opened = try await t.openWithOpenSSL(user, delivery: try #require(item["id"] as? String), party: party)
                let content = jsonObject(opened)
                #expect(content["kind"] as? String == "agenda" && content["recipient"] as? String == party && content["sender"] as? String == "swv-go")
                let view = try #require(content["view"] as? [String: Any])
                #expect(Tafel.same(view, full[index]), "\(user): the bundle holds exactly the preview function's view")
                // The preview showed it to the secretary with only what the SWV may itself receive.
                #expect(Tafel.same(shown[index], index == 0 ? view : Tafel.hidden(view, swv: swvView)), "\(user): the preview is this view as the SWV may see it")
                for viewItem in view["items"] as? [[String: Any]] ?? [] {
                    if let reference = viewItem["reference"] as? String { references[user + "#" + (viewItem["ref"] as! String)] = reference }
                }
                references["opened-" + user] = opened
            }
            // Each reference is that participant's own stored case reference, and in no other bundle.
            for (user, _) in Tafel.participants {
                for (key, reference) in references where key.hasPrefix(user + "#") {
                    let schoolRef = key.hasSuffix("#1") ? a : b
                    #expect(reference == (try await t.ref(user, of: schoolRef)), "\(key)")
                    for (other, _) in Tafel.participants where other != user {
                        #expect(references["opened-" + other]?.contains(reference) == false, "\(user)'s reference is not in \(other)'s bundle")
                    }
                }
            }
            // Protocol 5.4: no DUO melding for A, so the leerplichtambtenaar sees A under his reference, not by name; no health data.
            let lpaBundle = try #require(references["opened-lpa"])
            #expect(!lpaBundle.contains("Testnaam Eerste") && !lpaBundle.contains("Gezondheid-Eerste-geheim") && lpaBundle.contains("Samenvatting-Eerste"))
            #expect(lpaBundle.contains("Testnaam Tweede"), "after the DUO melding B is discussed by name with the leerplichtambtenaar")
            // Art. 6.1: the CJG's health data reached the SWV on consent, nobody else.
            #expect(references["opened-swv"]?.contains("Gezondheid-Eerste-geheim") == true)
            #expect(try await t.meetings("zco").isEmpty, "the school is no participant of the thuiszitterstafel")

            // 4. Minutes (Bijlage 3.3 sub 1, 4), then a correction to exactly those who received them.
            let minutes = try await t.call("swv", .post, "/v1/thuiszitterstafel/agendas/\(agenda)/minutes", """
                {"items":[{"entry":"\(entryA)","decisions":"Besluit-Eerste-v1","actions":"Actie-Eerste-v1"},{"entry":"\(entryB)","decisions":"Besluit-Tweede-v1"}]}
                """)
            #expect(minutes.status == .created && jsonObject(minutes.body)["version"] as? Int == 1, "\(minutes.body)")
            let first = try #require(try await t.previewAndSend(agenda, minutes: 1)["deliveries"] as? [[String: Any]])
            let firstByRecipient = Dictionary(uniqueKeysWithValues: first.map { ($0["recipient"] as! String, $0["id"] as! String) })
            let correction = try await t.call("swv", .post, "/v1/thuiszitterstafel/agendas/\(agenda)/minutes", """
                {"items":[{"entry":"\(entryA)","decisions":"Besluit-Eerste-v2"},{"entry":"\(entryB)","decisions":"Besluit-Tweede-v2"}]}
                """)
            #expect(jsonObject(correction.body)["version"] as? Int == 2, "\(correction.body)")
            let resent = try await t.send(agenda, minutes: 1, etag: "\"x\"")
            #expect(resent.status == .conflict && jsonObject(resent.body)["code"] as? String == "sluis:minutes-sent-already")
            let second = try #require(try await t.previewAndSend(agenda, minutes: 2)["deliveries"] as? [[String: Any]])
            #expect(Set(second.compactMap { $0["recipient"] as? String }) == Set(firstByRecipient.keys), "a correction reaches exactly the earlier recipients")
            for delivery in second {
                #expect(delivery["corrects"] as? String == firstByRecipient[delivery["recipient"] as! String], "each correction names the recipient's own earlier delivery")
            }
            let corrected = try await t.views(agenda, minutes: 2)
            for (index, (user, party)) in Tafel.participants.enumerated() {
                let item = try #require(try await t.meetings(user).first { $0["kind"] as? String == "minutes" && $0["version"] as? Int == 2 })
                let content = jsonObject(try await t.openWithOpenSSL(user, delivery: item["id"] as! String, party: party))
                #expect(content["corrects"] as? String == item["corrects"] as? String && content["version"] as? Int == 2)
                #expect(Tafel.same(try #require(content["view"] as? [String: Any]), corrected[index]), "\(user): the corrected minutes are exactly its view")
            }
            #expect(!(try await t.openWithOpenSSL("lpa", delivery: second.first { $0["recipient"] as? String == "gemeente-goeree-overflakkee" }!["id"] as! String,
                                                  party: "gemeente-goeree-overflakkee")).contains("Besluit-Eerste-v1"))
            // The register verifies with all of it.
            #expect(try await fixture.gateway.register.verifyAll().problem == nil)
        }
    }
}
