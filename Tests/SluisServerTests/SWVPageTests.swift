import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import SluisCovenant
@testable import SluisGateway
@testable import SluisServer
import SluisStore

/// The SWV's thuiszitterstafel pages (issue 13 item 3; Bijlage 3.3): the list, composing an
/// agenda, the preview per participant, sending exactly what was previewed (the page's hidden
/// tag as If-Match, RFC 9110 §13.1.1), the minutes and their correction — over HTTP, on SQLite
/// and PostgreSQL, each participant opening what it received with the stock `openssl cms`.
@Suite("SWV pages: thuiszitterstafel", .serialized)
struct SWVPageTests {
    /// Two made-up pupils brought in by the school and put on the list by the SWV; the CJG's
    /// health data of the first with the parents' and pupil's consent for the SWV (fn 28).
    static func listOfTwo(_ t: Tafel) async throws -> [String] {
        var entries: [String] = []
        for name in ["Testnaam Pagina", "Testnaam Tweede"] {
            let school = try await t.schoolCase(name: name, caseType: "verzuim")
            entries.append(try await t.register("swv", school, caseType: "verzuim", summary: "Samenvatting-\(name.split(separator: " ").last!)"))
            if entries.count == 1 { try await t.cjgHealthData(school, "Gezondheid-Pagina", consentForSWV: true) }
        }
        return entries
    }

    /// Composes on the agenda page (today, art. 3.1 sub a, the given entries); the agenda page's path.
    static func composeOnPage(_ t: Tafel, session: String, entries: [String]) async throws -> String {
        let today = CalendarDate.amsterdam(t.fixture.clock.now()).description
        let composed = try await t.client.submit("/swv/agenda", to: "/swv/agenda", session: session,
                                                 form: [("datum", today), ("doel", "3.1.a")] + entries.map { ("regel", $0) })
        #expect(composed.status == .seeOther, "\(composed.body)")
        return try #require(composed.location)
    }

    /// The list of two, the SWV's page session and an agenda of both composed on the page: its path.
    static func agendaOnPage(_ fixture: ServerFixture, _ client: some TestClientProtocol) async throws
        -> (t: Tafel, entries: [String], swv: String, path: String) {
        let t = try await Tafel(fixture, client)
        let entries = try await listOfTwo(t)
        let swv = try await client.pageLogin(fixture, "swv")
        return (t, entries, swv, try await composeOnPage(t, session: swv, entries: entries))
    }

    /// The preview's tag in the page's hidden field.
    static func tag(_ page: PageAnswer) -> String? { PageAnswer.first(#"name="voorbeeld" value="([^"]+)""#, in: page.body) }

    /// HTML as Mustache escapes it.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }

    @Test("Bijlage 3.3 sub 4: what the preview page shows each participant is what its sealed bundle holds (opened with openssl cms), and the confirmation names exactly who gets one",
          arguments: ServerFixture.databases)
    func bijlage3_3_previewPageIsWhatWasSent(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let (t, entries, swv, path) = try await Self.agendaOnPage(fixture, client)
            let agenda = try #require(path.components(separatedBy: "/").last)
            let shown = try await client.page(.get, path, session: swv)
            #expect(shown.status == .ok, "\(shown.body)")
            let tag = try #require(Self.tag(shown))
            let swvView = try #require(try await t.views(agenda).first)
            let sections = shown.body.components(separatedBy: "<section class=\"deelnemer\">").dropFirst()
            let sent = try await client.page(.post, "\(path)/verzenden", session: swv, form: [("csrf", try #require(shown.csrf)), ("voorbeeld", tag)])
            #expect(sent.status == .created, "\(sent.body)")
            let deliveries = try await t.meetings("lpa") + t.meetings("arts") + t.meetings("swv")
            #expect(deliveries.count >= 2, "the leerplicht and the CJG each get one bundle")
            // The confirmation named exactly the recipients before the send, and the others as getting nothing.
            let confirmation = try #require(shown.body.components(separatedBy: "<h2>Verzenden</h2>").last)
            for (user, party) in Tafel.participants {
                let name = party == "gemeente-goeree-overflakkee" ? PageWords.party(party, role: "leerplicht") : party
                guard let item = try await t.meetings(user).first else {
                    #expect(confirmation.contains("<li>\(Self.escaped(name)) krijgt niets"), "\(name) named as getting nothing")
                    continue
                }
                #expect(confirmation.contains("<li>\(Self.escaped(name))</li>"), "\(name) named as a recipient")
                let section = try #require(sections.first { $0.hasPrefix("\n<h3>\(Self.escaped(name))</h3>") }, "a section for \(name)")
                let opened = jsonObject(try await t.openWithOpenSSL(user, delivery: try #require(item["id"] as? String), party: party))
                let full = try #require(opened["view"] as? [String: Any])
                // The SWV sees its own view whole; another's with the texts it may not receive hidden (docs/agenda.md).
                let view = user == "swv" ? full : Tafel.hidden(full, swv: swvView)
                for (index, pupil) in (view["items"] as? [[String: Any]] ?? []).enumerated() {
                    let part = section.components(separatedBy: "<h4>Leerling ")[index + 1]
                    #expect(part.hasPrefix("\(pupil["ref"]!)</h4>"))
                    let fields = pupil["fields"] as? [String: String] ?? [:]
                    #expect(part.components(separatedBy: "<dt>").count - 1 == fields.count, "\(name): exactly the bundle's fields")
                    for (field, text) in fields {
                        #expect(part.contains("<dt>\(Self.escaped(AgendaPage.label(field)))</dt><dd>\(Self.escaped(text))</dd>"), "\(name): \(field)")
                    }
                    let identified = pupil["identity"] as? String == "identified"
                    #expect(part.contains(identified ? "Herkenbaar" : "Onder pseudoniem: \(Self.escaped(pupil["reference"] as? String ?? "?"))."))
                    let withheld = pupil["withheld"] as? [[String: Any]] ?? []
                    #expect(part.components(separatedBy: "<tr><td>").count - 1 == withheld.count, "\(name): every withheld field with its reason")
                    for reason in withheld.compactMap({ $0["reason"] as? String }) { #expect(part.contains(Self.escaped(reason))) }
                }
            }
            // After the send the agenda page says what went to whom, with the register entries.
            let after = try await client.page(.get, path, session: swv)
            #expect(after.body.contains("Verzonden op") && Self.tag(after) == nil, "no second send form")
            for item in deliveries { #expect(after.body.contains("<td>\(item["pupils"]!)</td><td>\(item["registerIndex"]!)</td>")) }
            // Art. 10: the leerplichtambtenaar opens his agenda in the mailbox, in Dutch: per pupil under
            // his own reference, with the reasons — no raw JSON.
            let lpa = try await client.pageLogin(fixture, "lpa")
            let item = try #require(try await t.meetings("lpa").first)
            let opened = try await client.page(.get, "/postvak/\(try #require(item["id"] as? String))", session: lpa)
            #expect(opened.status == .ok)
            let first = try #require(entries.first)
            let caseID = try #require(try await fixture.gateway.store.tafelEntry(first)).caseID
            let own = try #require(try await fixture.gateway.store.ref(caseID: caseID, party: "gemeente-goeree-overflakkee/leerplicht"))
            #expect(opened.body.contains("<h4>Leerling 1</h4>") && opened.body.contains("Onder pseudoniem: \(own)."), "his own reference")
            #expect(!opened.body.contains("&quot;items&quot;"), "no raw JSON")
        }
    }

    @Test("RFC 9110 §13.1.1, Bijlage 3.3 sub 4: a list changed since the preview is refused on the page (412) with the fresh preview and a plain Dutch warning; nothing is sent until that one is sent",
          arguments: ServerFixture.databases)
    func bijlage3_3_staleTagRefusedOnThePage(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let (t, entries, swv, path) = try await Self.agendaOnPage(fixture, client)
            // RFC 9110 §9.3.2, art. 15.1: a HEAD shows nothing, so it is no preview on the register; a GET is one.
            let size = await fixture.gateway.register.size
            #expect(try await client.page(.head, path, session: swv).status == .ok)
            #expect(await fixture.gateway.register.size == size, "a HEAD is not on the register")
            let shown = try await client.page(.get, path, session: swv)
            #expect(await fixture.gateway.register.size == size + 1, "a GET is")
            let old = try #require(Self.tag(shown))
            // The list changes: the SWV's own description of the first pupil.
            #expect(try await t.call("swv", .patch, "/v1/thuiszitterstafel/entries/\(entries[0])", #"{"summary":"Samenvatting-Nieuw"}"#).status == .ok)
            let csrf = try #require(shown.csrf)
            let stale = try await client.page(.post, "\(path)/verzenden", session: swv, form: [("csrf", csrf), ("voorbeeld", old)])
            #expect(stale.status == .preconditionFailed)
            #expect(stale.body.contains("De lijst is veranderd sinds uw voorbeeld — kijk opnieuw."))
            #expect(stale.body.contains("Samenvatting-Nieuw"), "the fresh preview")
            let fresh = try #require(Self.tag(stale))
            #expect(fresh != old)
            // No tag at all: 428, nothing sent either.
            let none = try await client.page(.post, "\(path)/verzenden", session: swv, form: [("csrf", csrf)])
            #expect(none.status == .preconditionRequired && none.body.contains("kijk opnieuw"))
            let (lpaItems, artsItems) = (try await t.meetings("lpa"), try await t.meetings("arts"))
            #expect(lpaItems.isEmpty && artsItems.isEmpty, "nothing was sent")
            let sent = try await client.page(.post, "\(path)/verzenden", session: swv, form: [("csrf", csrf), ("voorbeeld", fresh)])
            #expect(sent.status == .created, "\(sent.body)")
            #expect(try await t.meetings("lpa").count == 1)
        }
    }

    @Test("OWASP synchronizer token: composing, sending and putting on the list without the page's CSRF token are refused (403) and do nothing")
    func csrfOnTheSWVPages() async throws {
        try await ServerFixture.with { fixture, client in
            let t = try await Tafel(fixture, client)
            let entries = try await Self.listOfTwo(t)
            let swv = try await client.pageLogin(fixture, "swv")
            let today = CalendarDate.amsterdam(fixture.clock.now()).description
            let composed = try await client.page(.post, "/swv/agenda", session: swv, form: [("datum", today), ("regel", entries[0])])
            #expect(composed.status == .forbidden && composed.body.contains("Formulier verlopen of ongeldig"))
            #expect(try await t.call("swv", .get, "/v1/thuiszitterstafel/agendas").body == "[]")
            let path = try await Self.composeOnPage(t, session: swv, entries: entries)
            let tag = try #require(Self.tag(try await client.page(.get, path, session: swv)))
            let sent = try await client.page(.post, "\(path)/verzenden", session: swv, form: [("csrf", String(repeating: "a", count: 64)), ("voorbeeld", tag)])
            #expect(sent.status == .forbidden)
            #expect(try await t.meetings("lpa").isEmpty)
            let school = try await t.schoolCase(name: "Testnaam Derde", caseType: "verzuim")
            let listed = try await client.page(.post, "/swv/tafel", session: swv, form: [("dossier", try await t.ref("swv", of: school)),
                                                                                       ("soort", "verzuim"), ("beschrijving", "Samenvatting-Derde")])
            #expect(listed.status == .forbidden)
            #expect(try await t.call("swv", .get, "/v1/thuiszitterstafel/entries").body.components(separatedBy: "\"number\"").count - 1 == 2)
        }
    }

    @Test("Bijlage 3.3 sub 1 and 5, hoofdstuk 5: every SWV page refuses a role the authority table refuses with the API's status",
          arguments: ServerFixture.databases)
    func bijlage3_3_sameAuthorityAsTheAPI(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let t = try await Tafel(fixture, client)
            let entries = try await Self.listOfTwo(t)
            let agenda = try #require(try await t.compose(entries)["id"] as? String)
            let (lpa, jvk) = (try await client.pageLogin(fixture, "lpa"), try await client.pageLogin(fixture, "jvk"))
            let csrf = try #require(try await client.page(.get, "/start", session: lpa).csrf)
            // list-thuiszitterstafel: a jeugdverpleegkundige is no registrar (hoofdstuk 5 names jeugdartsen).
            let list = (try await client.page(.get, "/swv/tafel", session: jvk).status, try await t.call("jvk", .get, "/v1/thuiszitterstafel/entries").status)
            #expect(list.0 == list.1 && list.0 == .forbidden)
            // compose- and send-thuiszitterstafel: the SWV's alone (Bijlage 3.3 sub 1), not the leerplichtambtenaar's.
            let pairs: [(PageAnswer, HTTPResponse.Status)] = [
                (try await client.page(.get, "/swv/agenda", session: lpa), try await t.call("lpa", .get, "/v1/thuiszitterstafel/agendas").status),
                (try await client.page(.post, "/swv/agenda", session: lpa, form: [("csrf", csrf), ("datum", "2030-01-01")]),
                 try await t.call("lpa", .post, "/v1/thuiszitterstafel/agendas", #"{"meeting":"2030-01-01"}"#).status),
                (try await client.page(.get, "/swv/agenda/\(agenda)", session: lpa),
                 try await t.call("lpa", .get, "/v1/thuiszitterstafel/agendas/\(agenda)/preview").status),
                (try await client.page(.post, "/swv/agenda/\(agenda)/verzenden", session: lpa, form: [("csrf", csrf), ("voorbeeld", "x")]),
                 try await t.call("lpa", .post, "/v1/thuiszitterstafel/agendas/\(agenda)/send", headers: [.ifMatch: "\"x\""]).status),
                (try await client.page(.get, "/swv/agenda/\(agenda)/verslag", session: lpa),
                 try await t.call("lpa", .get, "/v1/thuiszitterstafel/agendas/\(agenda)").status),
                (try await client.page(.post, "/swv/tafel/\(entries[0])/afschaling", session: lpa, form: [("csrf", csrf), ("reden", "onderwijs")]),
                 try await t.call("lpa", .post, "/v1/thuiszitterstafel/entries/\(entries[0])/afschaling", #"{"reason":"onderwijs"}"#).status),
            ]
            for (page, api) in pairs {
                #expect(page.status == api && [.forbidden, .notFound].contains(api), "page \(page.status) vs API \(api)")
                #expect(page.body.contains("lang=\"nl\""), "a Dutch page")
            }
            #expect(try await t.meetings("lpa").isEmpty)
            // The menu: the leerplichtambtenaar has the list, not the agendas.
            let start = try await client.page(.get, "/start", session: lpa).body
            #expect(start.contains("/swv/tafel") && !start.contains("/swv/agenda"))
        }
    }

    @Test("Hoofdstuk 5, Bijlage 3.3 sub 4–5, art. 3.4 sub c: the leerplichtambtenaar puts a pupil on the list on the page; the SWV sees the entry without his text, appoints the procesbewaker and takes the pupil off (afschaling)")
    func hoofdstuk5_listOnThePage() async throws {
        try await ServerFixture.with { fixture, client in
            let t = try await Tafel(fixture, client)
            let school = try await t.schoolCase(name: "Testnaam Lijst", caseType: "verzuim")
            let lpa = try await client.pageLogin(fixture, "lpa")
            let form = try await client.page(.get, "/swv/tafel", session: lpa)
            let ref = try await t.ref("lpa", of: school)
            #expect(form.body.contains("<option value=\"\(ref)\">"), "his own case to choose")
            let bad = try await client.submit("/swv/tafel", to: "/swv/tafel", session: lpa, form: [("dossier", ref), ("soort", "geen-soort"), ("beschrijving", "x")])
            #expect(bad.status == .badRequest && bad.body.contains("Soort casus"), "the field named in Dutch")
            let listed = try await client.submit("/swv/tafel", to: "/swv/tafel", session: lpa,
                                                 form: [("dossier", ref), ("soort", "verzuim"), ("beschrijving", "Samenvatting-Lijst")])
            #expect(listed.status == .seeOther, "\(listed.body)")
            let entry = try #require(listed.location)
            #expect(try await client.page(.get, "/swv/tafel", session: lpa).body.contains("Samenvatting-Lijst"))
            let swv = try await client.pageLogin(fixture, "swv")
            let seen = try await client.page(.get, "/swv/tafel", session: swv).body
            #expect(!seen.contains("Samenvatting-Lijst") && seen.contains("tekst van een andere organisatie"), "art. 3.4 sub c")
            let appointed = try await client.submit(entry, to: "\(entry)/procesbewaker", session: swv, form: [("procesbewaker", "arts")])
            #expect(appointed.status == .seeOther, "\(appointed.body)")
            #expect(try await client.page(.get, entry, session: swv).body.contains("<dd>arts</dd>"))
            let off = try await client.submit(entry, to: "\(entry)/afschaling", session: swv, form: [("reden", "onderwijs")])
            #expect(off.status == .seeOther)
            #expect(try await client.page(.get, "/swv/tafel", session: swv).body.contains("nog geen leerling op de lijst"))
        }
    }

    @Test("Bijlage 3.3 sub 4: minutes written on the page are previewed and sent; a later version is a correction that goes only to the participants that received the version it corrects",
          arguments: ServerFixture.databases)
    func bijlage3_3_minutesAndCorrection(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let (t, entries, swv, path) = try await Self.agendaOnPage(fixture, client)
            let agendaPage = try await client.page(.get, path, session: swv)
            let csrf = try #require(agendaPage.csrf)
            #expect(try await client.page(.post, "\(path)/verzenden", session: swv, form: [("csrf", csrf), ("voorbeeld", try #require(Self.tag(agendaPage)))]).status == .created)
            func write(_ decisions: String) async throws -> String {
                let written = try await client.submit("\(path)/verslag", to: "\(path)/verslag", session: swv,
                                                      form: [("besluiten-\(entries[0])", decisions), ("acties-\(entries[0])", "Actie-Pagina")])
                #expect(written.status == .seeOther, "\(written.body)")
                return try #require(written.location)
            }
            let first = try await write("Besluit-Een")
            let preview = try await client.page(.get, first, session: swv)
            #expect(preview.body.contains("Besluit-Een") && !preview.body.contains("Dit is een correctie"))
            let sent = try await client.page(.post, "\(first)/verzenden", session: swv, form: [("csrf", csrf), ("voorbeeld", try #require(Self.tag(preview)))])
            #expect(sent.status == .created, "\(sent.body)")
            let received = Set(try await ["lpa", "arts", "swv"].asyncFilter { try await !t.meetings($0).filter { $0["kind"] as? String == "minutes" }.isEmpty })
            let second = try await write("Besluit-Twee")
            let correction = try await client.page(.get, second, session: swv)
            #expect(correction.body.contains("Dit is een correctie"))
            let resent = try await client.page(.post, "\(second)/verzenden", session: swv, form: [("csrf", csrf), ("voorbeeld", try #require(Self.tag(correction)))])
            #expect(resent.status == .created && resent.body.contains("(correctie)"), "\(resent.body)")
            for user in ["lpa", "arts", "swv"] {
                let corrections = try await t.meetings(user).filter { $0["version"] as? Int == 2 }
                #expect(corrections.count == (received.contains(user) ? 1 : 0), "\(user): a correction only for who received version 1")
                #expect(corrections.allSatisfy { $0["corrects"] as? String != nil })
            }
        }
    }
}

extension Array {
    func asyncFilter(_ keep: (Element) async throws -> Bool) async rethrows -> [Element] {
        var kept: [Element] = []
        for element in self where try await keep(element) { kept.append(element) }
        return kept
    }
}
