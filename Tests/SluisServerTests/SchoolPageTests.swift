import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import SluisCovenant
@testable import SluisGateway
import SluisRegister
@testable import SluisServer
@testable import SluisStore

/// The school's pages (issue 13 item 4; docs/pages.md): the absence upload with its line errors,
/// the signals with their due dates, the DUO melding form, each through the authority table.
@Suite("School pages", .serialized)
struct SchoolPageTests {
    /// A file with a refused value on lines 3, 4 and 5: a comma for a dot, a name where the pupil
    /// key goes, a BSN where the kind goes. None of the three may come back on the page.
    static let badFile = """
        pupil,date,kind,hours,unit\r
        L-0001,2026-05-04,ongeoorloofd,6,lesuur\r
        L-0001,2026-05-06,ongeoorloofd,"1,5",lesuur\r
        Testnaam Geheim,2026-05-07,te-laat,,\r
        L-0002,2026-05-08,123456782,,\r

        """

    /// 16 unauthorised lesuren of one pupil in the four weeks up to `today` (relatief-verzuim
    /// since today, due the 5th working day after) and three late arrivals of another (te-laat-3).
    static func goodFile(today: CalendarDate) -> String {
        let rows = [("L-0001", -9, "ongeoorloofd,6,lesuur"), ("L-0001", -2, "ongeoorloofd,6,lesuur"), ("L-0001", 0, "ongeoorloofd,4,lesuur"),
                    ("L-0002", -3, "te-laat,,"), ("L-0002", -2, "te-laat,,"), ("L-0002", -1, "te-laat,,")]
        return "pupil,date,kind,hours,unit\r\n" + rows.map { "\($0.0),\(today.adding(days: $0.1)),\($0.2)\r\n" }.joined()
    }

    static func today(_ fixture: ServerFixture) -> CalendarDate { CalendarDate.amsterdam(fixture.clock.now()) }

    @Test("Contract absence.md: one bad line refuses the whole upload — every refused line is on the page with its number and what is wrong, in Dutch, no value echoed, nothing imported",
          arguments: ServerFixture.databases)
    func contractAbsence_uploadShowsEveryLineErrorAndImportsNothing(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let session = try await client.pageLogin(fixture, "zco")
            let form = try await client.page(.get, "/school/verzuim", session: session)
            #expect(form.status == .ok && form.body.contains(#"enctype="multipart/form-data""#) && form.body.contains(#"type="file""#))
            let csrf = try #require(form.csrf)
            let refused = try await client.pageUpload(Self.badFile, session: session, csrf: csrf)
            #expect(refused.status == .unprocessableContent, "the API's status for a refused file")
            #expect(refused.body.contains("Er is niets ingelezen"))
            for (line, words) in [(3, "geen getal: gebruik een punt"), (4, "geen leerlingsleutel: er staat een spatie in"), (5, "geen soort verzuim")] {
                #expect(refused.body.contains("<tr><td>\(line)</td>") && refused.body.contains(words), "line \(line): \(words)")
            }
            for value in ["Testnaam", "Geheim", "123456782", "1,5"] {
                #expect(!refused.body.contains(value), "a value of the file is never shown")
            }
            #expect(try await fixture.gateway.store.absence(unit: "sovogo").isEmpty, "nothing was imported")
            #expect(try await fixture.gateway.register.list(.init(limit: 10)).entries.isEmpty, "and nothing registered")

            let imported = try await client.pageUpload(Self.goodFile(today: Self.today(fixture)), session: session, csrf: csrf)
            #expect(imported.status == .created)
            #expect(imported.body.contains("6 registraties van 2 leerlingen"))
            #expect(try await fixture.gateway.store.absence(unit: "sovogo").count == 6)
        }
    }

    @Test("CSRF (docs/pages.md): an upload without the session's token, or with another's, is refused before anything is read into the store")
    func csrf_uploadWithoutTheSessionsTokenImportsNothing() async throws {
        try await ServerFixture.with { fixture, client in
            let session = try await client.pageLogin(fixture, "zco")
            let file = Self.goodFile(today: Self.today(fixture))
            #expect(try await client.pageUpload(file, session: session, csrf: nil).status == .forbidden)
            let other = try await client.pageLogin(fixture, "zco-other")
            let othersToken = try #require(try await client.page(.get, "/start", session: other).csrf)
            #expect(try await client.pageUpload(file, session: session, csrf: othersToken).status == .forbidden)
            #expect(try await fixture.gateway.store.absence(unit: "sovogo").isEmpty)
        }
    }

    @Test("Verzuimprotocol Bijlage 4, Lpw art. 21a: the signals page shows the due date (5th working day) and the time left; the DUO melding recorded from it answers the signal, which leaves the list",
          arguments: ServerFixture.databases)
    func bijlage4_signalsShowDueDateAndTheMeldingAnswersIt(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let parties = try await AuthorityTests().setUp(fixture, client)
            let session = try await client.pageLogin(fixture, "zco")
            let today = Self.today(fixture)
            let csrf = try #require(try await client.page(.get, "/school/verzuim", session: session).csrf)
            #expect(try await client.pageUpload(Self.goodFile(today: today), session: session, csrf: csrf).status == .created)

            let due = WorkingDays.workingDay(5, after: today)
            let signals = try await client.page(.get, "/school/signalen", session: session)
            #expect(signals.status == .ok)
            #expect(signals.body.contains("16 uur of meer ongeoorloofd verzuim") && signals.body.contains("<td>\(due)</td>"))
            #expect(signals.body.contains("\(due.dayNumber - today.dayNumber) dagen (5 werkdagen)"))
            #expect(signals.body.contains("3e keer te laat") && signals.body.contains("geen termijn"), "te-laat-3 asks a talk, no deadline")
            let link = try #require(PageAnswer.first(#"href="(/school/duo-melding\?[^"]+)""#, in: signals.body)).replacingOccurrences(of: "&amp;", with: "&")
            #expect(link.contains("signaal=relatief-verzuim") && link.contains("leerling=L-0001"))

            let form = try await client.page(.get, link, session: session)
            #expect(form.status == .ok && form.body.contains(#"name="leerling" value="L-0001""#))
            let ref = try #require(parties.refs["zco"])
            // The school picks the case by the pupil it brought in (a newcomer's finding: by reference
            // alone a wrong pick unmasks the wrong pupil to the leerplicht; protocol 5.4, art. 3.4 sub c).
            #expect(form.body.contains("Testnaam Geheim (geboren 2012-05-06) — \(ref)"))
            let recorded = try await client.submit(link, to: "/school/duo-melding", session: session, form: [
                ("leerling", "L-0001"), ("signaal", "relatief-verzuim"), ("sinds", today.description), ("soort", "relatief-verzuim"),
                ("dossier", ref), ("datum", today.description), ("meldingsnummer", "DUO-PAGINA-1"),
            ])
            #expect(recorded.status == .created, "\(recorded.status)")
            #expect(recorded.body.contains("DUO-melding vastgelegd") && recorded.body.contains("ziet in het dossier nu"))
            // 100 signals a page (docs/performance.md: pages under 100 KB): one page here, no paging links.
            #expect(signals.body.contains("(2 in totaal)") && !signals.body.contains("Volgende pagina"))
            let after = try await client.page(.get, "/school/signalen", session: session).body
            #expect(!after.contains("16 uur of meer ongeoorloofd verzuim") && after.contains("3e keer te laat"), "the answered signal is done")

            // A melding without a case chosen shows the form again, saying what is missing.
            let missing = try await client.submit("/school/duo-melding", to: "/school/duo-melding", session: session,
                                                  form: [("soort", "dreigend-thuiszitten"), ("datum", today.description), ("meldingsnummer", "DUO-2")])
            #expect(missing.status == .badRequest && missing.body.contains("Kies het dossier"))
        }
    }

    @Test("Verzuimprotocol 5.4.1, Bijlage 3.1: the verzuimoverleg page lists beginning absence under the school's keys, shares counts only with the leerplichtambtenaar and the jeugdverpleegkundige, leaving out whom the school keeps back",
          arguments: ServerFixture.databases)
    func bijlage3_1_verzuimoverlegPageSharesCountsOnly(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let session = try await client.pageLogin(fixture, "zco")
            let today = Self.today(fixture)
            let csrf = try #require(try await client.page(.get, "/school/verzuim", session: session).csrf)
            let file = Self.goodFile(today: today) + "L-0003,\(today.adding(days: -1)),ongeoorloofd,2,lesuur\r\n"
            #expect(try await client.pageUpload(file, session: session, csrf: csrf).status == .created)
            let page = try await client.page(.get, "/school/verzuimoverleg", session: session)
            #expect(page.status == .ok && page.body.contains("L-0002") && page.body.contains("L-0003") && page.body.contains("2 lesuren"))
            #expect(!page.body.contains(">L-0001<"), "at the threshold the school reports at DUO instead (Bijlage 3.1)")
            let shared = try await client.submit("/school/verzuimoverleg", to: "/school/verzuimoverleg", session: session, form: [
                ("ontvanger", "gemeente-goeree-overflakkee"), ("ontvanger", "cjg-rijnmond"), ("weglaten", "L-0003"), ("datum", today.description),
            ])
            #expect(shared.status == .seeOther, "\(shared.body)")
            let list = try await client.page(.get, try #require(shared.location), session: session).body
            #expect(list.contains("L-0002") && !list.contains("L-0003"), "the pupil left out is not on the shared list")
            #expect(list.contains("gemeente-goeree-overflakkee (leerplicht)") && list.contains("cjg-rijnmond"))
            #expect(list.contains("alleen de aantallen"))
            // The SWV has no seat at the verzuimoverleg (Bijlage 3.1 sub 1): refused with the article, nothing shared.
            let swv = try await client.submit("/school/verzuimoverleg", to: "/school/verzuimoverleg", session: session,
                                              form: [("ontvanger", "swv-go"), ("datum", today.description)])
            #expect(swv.status == .forbidden && swv.body.contains("Bijlage 3.1"))
        }
    }

    @Test("docs/performance.md: the signals page shows 100 signals a page with links to the others, so a large board's page stays under 100 KB")
    func performance_signalsPageIsPaged() throws {
        let today = try CalendarDate(text: "2026-11-30")
        let items = (0..<250).map {
            AbsenceSignalItem(signal: AbsenceSignal(pupil: "L-\($0)", kind: .teLaat3, since: today, due: nil, today: today))
        }
        let list = AbsenceSignalList(today: today, items: items)
        let first = SignalsPage(list, page: 1), last = SignalsPage(list, page: 3), beyond = SignalsPage(list, page: 9)
        #expect(first.rows.count == 100 && first.previous == nil && first.next == "/school/signalen?pagina=2")
        #expect(last.rows.count == 50 && last.rows.first?.pupil == "L-200" && last.previous == "/school/signalen?pagina=2" && last.next == nil)
        #expect(beyond.rows.count == 50 && first.total == 250, "a page past the end shows the last")
    }

    @Test("Authority table (docs/authorization.md): each school page refuses a role the table refuses, with the API's status",
          arguments: ServerFixture.databases)
    func authorityTable_eachSchoolPageRefusesWithTheAPIsStatus(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let parties = try await AuthorityTests().setUp(fixture, client)
            for username in ["lpa", "jvk"] {
                let token = username == "lpa" ? parties.lpa : parties.jvk
                let session = try await client.pageLogin(fixture, username)
                let csrf = try #require(try await client.page(.get, "/start", session: session).csrf)
                // import-absence
                let upload = try await client.pageUpload(Self.goodFile(today: Self.today(fixture)), session: session, csrf: csrf)
                let apiUpload = try await client.call(.post, "/v1/absence/imports", token: token, json: nil)
                #expect(upload.status == .forbidden && upload.status == apiUpload.status, "\(username) upload")
                #expect(try await client.page(.get, "/school/verzuim", session: session).status == .forbidden)
                // read-absence-signals
                let signals = try await client.page(.get, "/school/signalen", session: session)
                let apiSignals = try await client.call(.get, "/v1/absence/signals", token: token)
                #expect(signals.status == .forbidden && signals.status == apiSignals.status)
                // record-duo-melding
                let ref = try #require(parties.refs[username])
                let melding = try await client.page(.post, "/school/duo-melding", session: session, form: [
                    ("csrf", csrf), ("dossier", ref), ("soort", "relatief-verzuim"), ("datum", "2026-11-02"), ("meldingsnummer", "DUO-X"),
                ])
                let apiMelding = try await client.call(.post, "/v1/cases/\(ref)/duo-meldingen", token: token,
                                                       json: #"{"date":"2026-11-02","kind":"relatief-verzuim","reference":"DUO-X"}"#)
                #expect(melding.status == .forbidden && melding.status == apiMelding.status, "\(username) melding")
                #expect(try await client.page(.get, "/school/duo-melding", session: session).status == .forbidden)
                // prepare-verzuimoverleg
                let overleg = try await client.page(.get, "/school/verzuimoverleg", session: session)
                let apiOverleg = try await client.call(.get, "/v1/verzuimoverleg/candidates", token: token)
                #expect(overleg.status == .forbidden && overleg.status == apiOverleg.status)
                let menu = try await client.page(.get, "/start", session: session).body
                #expect(!menu.contains("/school/"), "the menu offers the school's pages only to the school")
            }
            #expect(try await fixture.gateway.store.absence(unit: "sovogo").isEmpty)
            let school = try await client.pageLogin(fixture, "zco")
            let menu = try await client.page(.get, "/start", session: school).body
            #expect(menu.contains("/school/verzuim\"") && menu.contains("/school/signalen") && menu.contains("/school/verzuimoverleg"))
        }
    }
}

extension TestClientProtocol {
    /// Uploads `csv` as the page's form does: `multipart/form-data` (RFC 7578) with the CSRF
    /// field (left out when nil) and the file part `bestand`, typed as a browser on Windows types a `.csv`.
    func pageUpload(_ csv: String, session: String, csrf: String?, thenAlso second: String? = nil,
                    fileName: String = "verzuim.csv") async throws -> PageAnswer {
        let boundary = "----SluisTestGrens7MA4YWxkTrZu0gW"
        var body = ""
        if let csrf { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n" }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"\(fileName)\"\r\n"
            + "Content-Type: application/vnd.ms-excel\r\n\r\n\(csv)\r\n"
        if let second { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"tweede.csv\"\r\nContent-Type: text/csv\r\n\r\n\(second)\r\n" }
        body += "--\(boundary)--\r\n"
        let headers: HTTPFields = [.cookie: "sluis_sessie=\(session)", .contentType: "multipart/form-data; boundary=\(boundary)"]
        return try await execute(uri: "/school/verzuim", method: .post, headers: headers, body: ByteBuffer(string: body)) {
            PageAnswer(status: $0.status, headers: $0.headers, body: String(buffer: $0.body))
        }
    }
}
