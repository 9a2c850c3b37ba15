import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing
import SluisCovenant
import SluisCrypto
@testable import SluisGateway
import SluisRegister
@testable import SluisServer
@testable import SluisStore

/// The FG's further pages (issue 13 item 6; convenant art. 15.2–15.3): an entry with its
/// inclusion proof, integrity with a saved checkpoint, charts, the art. 30 register, rights
/// requests, the register as CSV — each a view on the register, each refused to other roles.
@Suite("The FG's pages", .serialized)
struct FGPageTests {
    /// A disclosure from the CJG to the SWV on a consent, and the CJG's FG logged in on the pages.
    static func disclosed(_ fixture: ServerFixture, _ client: some TestClientProtocol) async throws
        -> (theCase: ConsentCaseworkTests.Case, fg: String, consent: String, index: Int64) {
        try await fixture.makeDelegate("fg-cjg", .fg, "cjg-rijnmond")
        let (theCase, _, consent) = try await PageTests.consentOnPage(fixture, client)
        let (status, body) = try await ConsentCaseworkTests.disclose(client, theCase.jvk, case: theCase.cjg)
        #expect(status == .created)
        let index = Int64(try #require((body["register"] as? [String: Any])?["index"] as? Int))
        return (theCase, try await client.pageLogin(fixture, "fg-cjg"), consent, index)
    }

    @Test("Art. 15: an entry's page shows it with its RFC 9162 inclusion proof against the newest signed checkpoint, checked; the view is on the register; another party's entry is 404",
          arguments: ServerFixture.databases)
    func art15_entryWithInclusionProof(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let (_, fg, consent, index) = try await Self.disclosed(fixture, client)
            let size = await fixture.gateway.register.size
            let page = try await client.page(.get, "/fg/register/\(index)", session: fg)
            #expect(page.status == .ok && page.body.contains("staat ongewijzigd in het register") && page.body.contains(consent))
            #expect(page.body.contains("Het pad van de regel naar de wortel") && page.body.contains("sluis.goeree-overflakkee/thuiszitters/register"))
            #expect(await fixture.gateway.register.size == size + 1, "the view is an inspection on the register")
            // The proof shown is the register's own: it checks against the checkpoint's root.
            let proof = try #require(try await fixture.gateway.registerEntryProof(index, by: try await Self.principal(fixture, "fg-cjg"), trace: try .fresh()))
            let hasher = try SHA256Hasher()
            #expect(MerkleTree.verifyInclusion(index: index, size: proof.treeSize, leafHash: Hex.decode(proof.leafHash)!,
                                               proof: proof.proof.map { Hex.decode($0)! }, root: Hex.decode(proof.rootHash)!, hasher))
            // Art. 15.3: the gemeente's FG has nothing to do with this entry; beyond the register is the same 404.
            let other = try await client.pageLogin(fixture, "fg-own")
            #expect(try await client.page(.get, "/fg/register/\(index)", session: other).status == .notFound)
            #expect(try await client.page(.get, "/fg/register/999999", session: fg).status == .notFound)
            #expect(try await client.page(.get, "/fg/register/abc", session: fg).status == .notFound)
        }
    }

    @Test("Art. 15, RFC 9162 §2.1.4: the integrity page says intact and a saved checkpoint consistent; after an entry is changed in the database it flags the register as not intact and the saved checkpoint as no longer held, in Dutch",
          arguments: ServerFixture.databases)
    func art15_tamperedRegisterIsFlagged(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let (_, fg, _, index) = try await Self.disclosed(fixture, client)
            let download = try await client.page(.get, "/fg/integriteit/checkpoint.txt", session: fg)
            #expect(download.status == .ok && download.headers[.contentType] == "text/plain; charset=utf-8")
            let saved = download.body
            let intact = try await client.page(.get, "/fg/integriteit", session: fg)
            #expect(intact.status == .ok && intact.body.contains("Het register is intact") && !intact.body.contains("niet intact"))
            // As a browser sends a textarea: CRLF line ends.
            let consistent = try await client.submit("/fg/integriteit", to: "/fg/integriteit", session: fg,
                                                     form: [("checkpoint", saved.replacingOccurrences(of: "\n", with: "\r\n"))])
            #expect(consistent.status == .ok && consistent.body.contains("bevat ongewijzigd alles wat in uw checkpoint"))

            // Tampering: the disclosure's entry says "deny" now, behind the gateway's back.
            let sql = await fixture.gateway.register.sql
            try await sql.raw("UPDATE register_entries SET body = REPLACE(body, '\"permit\"', '\"deny\"') WHERE idx = \(bind: index)").run()
            // A view goes on from the last whole check (issue 13: quick on a large register) and says
            // when that ran; the whole check, asked for on the page, finds the edit — and from then
            // on every view checks the whole register again.
            let resumed = try await client.page(.get, "/fg/integriteit", session: fg)
            #expect(resumed.status == .ok && resumed.body.contains("nieuwe regels gecontroleerd"), "\(resumed.body)")
            let whole = try await client.submit("/fg/integriteit", to: "/fg/integriteit", session: fg, form: [("volledig", "1")])
            #expect(whole.status == .ok && whole.body.contains("Het register is niet intact"))
            let flagged = try await client.page(.get, "/fg/integriteit", session: fg)
            #expect(flagged.status == .ok && flagged.body.contains("Het register is niet intact"))
            let against = try await client.submit("/fg/integriteit", to: "/fg/integriteit", session: fg, form: [("checkpoint", saved)])
            #expect(against.body.contains("Het register past niet bij uw bewaarde checkpoint") && against.body.contains("opnieuw berekend een andere hash"))
            let entry = try await client.page(.get, "/fg/register/\(index)", session: fg)
            #expect(entry.status == .ok && entry.body.contains("Het bewijs klopt niet"))
        }
    }

    @Test("C2SP signed-note, tlog-checkpoint: an uploaded checkpoint that is malformed, empty, altered (bad signature), by another key or of another log is refused with its Dutch reason, and nothing is registered",
          arguments: [ServerFixture.databases[0]])
    func c2sp_badCheckpointRefusedWithItsReason(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let (_, fg, _, _) = try await Self.disclosed(fixture, client)
            let saved = try await client.page(.get, "/fg/integriteit/checkpoint.txt", session: fg).body
            var lines = saved.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines[1] = String(Int(lines[1])! + 1)
            let altered = lines.joined(separator: "\n")
            let otherKey = try CheckpointSigner(name: Checkpoint.origin, key: .generateEd25519())
                .sign(try Checkpoint.parse(saved))
            let otherLog = try CheckpointSigner(name: "example.org/log", key: .generateEd25519())
                .sign(Checkpoint(origin: "example.org/log", size: 1, root: Array(repeating: 0, count: 32)))
            let cases: [(String, String)] = [
                ("hallo", "Dit is geen checkpoint van Sluis"), ("", "U heeft geen checkpoint geplakt"),
                (altered, "De handtekening onder dit checkpoint klopt niet"), (otherKey, "niet ondertekend met de sleutel van dit register"),
                (otherLog, "hoort bij een ander register"), (String(repeating: "a", count: 5000), "te lang voor een checkpoint"),
            ]
            let csrf = try #require(try await client.page(.get, "/fg/integriteit", session: fg).csrf)
            for (text, reason) in cases {
                let size = await fixture.gateway.register.size
                let answer = try await client.page(.post, "/fg/integriteit", session: fg, form: [("csrf", csrf), ("checkpoint", text)])
                #expect(answer.status == .badRequest && answer.body.contains("Checkpoint geweigerd") && answer.body.contains(reason), "\(reason)")
                #expect(!answer.body.contains("Het register is intact"), "a refused upload reads nothing")
                #expect(await fixture.gateway.register.size == size, "a refused upload is not registered: \(reason)")
            }
        }
    }

    @Test("The CSV export of the filtered register: text/csv in UTF-8, the register's columns, the filter applied; a cell starting with = + - @ gets a quote first (OWASP CSV injection); the export is on the register (art. 15.2)")
    func art15_2_csvExportEscaped() async throws {
        try await ServerFixture.with { fixture, client in
            let (_, fg, consent, _) = try await Self.disclosed(fixture, client)
            let size = await fixture.gateway.register.size
            let csv = try await client.page(.get, "/fg/register.csv?partij=swv-go&besluit=permit", session: fg)
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8; header=present")
            #expect(csv.headers[.contentDisposition] == "attachment; filename=\"register.csv\"")
            let rows = csv.body.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(rows.first?.hasPrefix("index,time,traceId") == true && rows.count == 2 && rows[1].contains(consent))
            #expect(await fixture.gateway.register.size == size + 1, "the export is an inspection on the register")
            let none = try await client.page(.get, "/fg/register.csv?besluit=deny", session: fg)
            #expect(none.body.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 1, "the filter holds: no refusal")
            // The rendering the page uses, with cells a spreadsheet would run as formulas.
            let page = try await fixture.gateway.registerEntries(RegisterFilter(decision: "permit"), by: try await Self.principal(fixture, "fg-cjg"),
                                                                 trace: try .fresh())
            var entry = try #require(page.entries.first)
            (entry.purpose, entry.forum, entry.recipientRole, entry.consentReference) = ("=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)")
            let text = RegisterExport.render([entry], as: .csv)
            for cell in [#""'=HYPERLINK(""x"")""#, ",'+1,", ",'-2,", ",'@SUM(A1),"] { #expect(text.contains(cell), "\(cell)") }
        }
    }

    @Test("Art. 15.2, 6.1 sub e: the register page filters by processing activity and by the conflict-of-duties mark; a filter value outside the register's vocabulary is refused naming the field",
          arguments: [ServerFixture.databases[0]])
    func art15_2_activityAndConflictFilters(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let (_, fg, consent, index) = try await Self.disclosed(fixture, client)
            let direct = try await client.page(.get, "/fg/register?activiteit=verstrekking-casusoverleg", session: fg)
            #expect(direct.status == .ok && direct.body.contains(consent) && direct.body.contains("/fg/register/\(index)"))
            let other = try await client.page(.get, "/fg/register?activiteit=fg-inzage-register", session: fg)
            #expect(other.status == .ok && !other.body.contains(consent))
            let marked = try await client.page(.get, "/fg/register?conflict=ja", session: fg)
            #expect(marked.status == .ok && !marked.body.contains(consent), "no conflict of duties was invoked")
            let size = await fixture.gateway.register.size
            let typed = try await client.page(.get, "/fg/register?activiteit=Jantje", session: fg)
            #expect(typed.status == .badRequest && typed.body.contains("Verwerkingsactiviteit") && !typed.body.contains("Jantje"))
            #expect(try await client.page(.get, "/fg/register?conflict=nee", session: fg).status == .badRequest)
            #expect(await fixture.gateway.register.size == size, "a refused filter is no inspection")
            #expect(try await client.page(.get, "/fg/register?partij=swv-go", session: fg).body.contains("/fg/register.csv?partij=swv-go"))
        }
    }

    @Test("Art. 15.2, AVG art. 30: the charts (inline SVG, no inline style, a table beside each) count the disclosure per week and party; the art. 30 register lists the activities; both views are on the register")
    func art15_2_chartsAndArt30() async throws {
        try await ServerFixture.with { fixture, client in
            let (_, fg, _, _) = try await Self.disclosed(fixture, client)
            let size = await fixture.gateway.register.size
            let charts = try await client.page(.get, "/fg/grafieken", session: fg)
            #expect(charts.status == .ok && charts.body.contains("<svg class=\"grafiek\"") && charts.body.contains("<th scope=\"col\">swv-go</th>"))
            #expect(!charts.body.contains("style=") && !charts.body.contains("<script"))
            let week = try #require(Gateway.isoWeek(RegisterTime.format(fixture.clock.now())))
            #expect(charts.body.contains("<tr><th scope=\"row\">\(week)</th><td>1</td></tr>"))
            let past = try await client.page(.get, "/fg/grafieken?tot=2020-01-01", session: fg)
            #expect(past.body.contains("Geen verstrekkingen in deze periode"))
            let art30 = try await client.page(.get, "/fg/verwerkingsregister", session: fg)
            #expect(art30.status == .ok && art30.body.contains("verstrekking-casusoverleg") && art30.body.contains("Bewaartermijn"))
            #expect(await fixture.gateway.register.size == size + 3, "each view is an inspection on the register")
            #expect(try await client.page(.get, "/fg/grafieken?van=gisteren", session: fg).status == .badRequest)
        }
    }

    @Test("Art. 13, AVG art. 12 lid 3: the FG's rights page lists a request about her party's case by register pseudonym, with its days left, no name; the view is on the register",
          arguments: [ServerFixture.databases[0]])
    func art13_rightsRequestsWithDaysLeft(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let theCase = try await ConsentCaseworkTests.setUp(fixture, client)
            let today = CalendarDateText.today(fixture)
            _ = try await RightsTests.received(client, theCase.zco, theCase.school, "inzage", receivedOn: today)
            let fg = try await client.pageLogin(fixture, "fg-own")
            let size = await fixture.gateway.register.size
            let page = try await client.page(.get, "/fg/verzoeken", session: fg)
            #expect(page.status == .ok && page.body.contains("inzage (AVG art. 15)") && page.body.contains("dagen</td>"))
            #expect(page.body.contains("ps1-") && !page.body.contains("Ouder Verzoeker"))
            #expect(await fixture.gateway.register.size == size + 1)
        }
    }

    @Test("A page is never a way around the authority table: a nurse gets the API's 403 on every FG page and on the CSV, the checkpoint and the integrity form",
          arguments: ServerFixture.databases)
    func art15_2_everyFGPageRefusedToANurse(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let (theCase, _, _, index) = try await Self.disclosed(fixture, client)
            let nurse = try await client.pageLogin(fixture, "jvk")
            for uri in ["/fg/register/\(index)", "/fg/register.csv", "/fg/integriteit", "/fg/integriteit/checkpoint.txt", "/fg/grafieken",
                        "/fg/verwerkingsregister", "/fg/verzoeken"] {
                #expect(try await client.page(.get, uri, session: nurse).status == .forbidden, "\(uri)")
            }
            let post = try await client.submit("/cjg", to: "/fg/integriteit", session: nurse, form: [("checkpoint", "hallo")])
            #expect(post.status == .forbidden && !post.body.contains("Checkpoint geweigerd"), "the authority comes before the upload's check")
            for uri in ["/v1/register/entries", "/v1/register/checkpoint", "/v1/rights/oversight"] {
                #expect(try await client.call(.get, uri, token: theCase.jvk).status == .forbidden, "\(uri)")
            }
            let start = try await client.page(.get, "/start", session: nurse).body
            #expect(!start.contains("/fg/integriteit") && !start.contains("/fg/verzoeken"))
        }
    }

    @Test("HEAD on the FG's pages shows and registers nothing; the authority still holds (RFC 9110 §9.3.2; art. 15.2)")
    func headOnFGPagesRegistersNothing() async throws {
        try await ServerFixture.with { fixture, client in
            let (_, fg, _, index) = try await Self.disclosed(fixture, client)
            let size = await fixture.gateway.register.size
            for uri in ["/fg/register/\(index)", "/fg/register.csv", "/fg/integriteit", "/fg/grafieken", "/fg/verwerkingsregister", "/fg/verzoeken"] {
                let head = try await client.page(.head, uri, session: fg)
                #expect(head.status == .ok && head.body.isEmpty, "\(uri)")
            }
            #expect(await fixture.gateway.register.size == size, "HEAD registered something")
        }
    }

    static func principal(_ fixture: ServerFixture, _ username: String) async throws -> Principal {
        fixture.clock.advance(by: 30)
        let session = try await fixture.gateway.access.login(username: username, password: SecureBytes(Array(fixture.secrets[username]!.password.utf8)),
                                                             code: try fixture.totp(username), trace: try .fresh())
        return try await fixture.gateway.access.authenticate(token: session.token, trace: try .fresh())
    }
}

/// Today's date on the fixture's clock, as a rights request's `receivedOn`.
enum CalendarDateText {
    static func today(_ fixture: ServerFixture) -> String { String(RegisterTime.format(fixture.clock.now()).prefix(10)) }
}
