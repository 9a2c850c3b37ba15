import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SluisRegister
import SluisStore
import Testing
@testable import SluisCovenant
@testable import SluisGateway
@testable import SluisServer

/// The web pages (issue 13) over HTTP on SQLite and PostgreSQL: the page session and the JSON
/// API kept apart, CSRF on every form, the security headers, the same authority as the API,
/// expiry and logout, and the CJG's consent, the mailbox and the FG's register as pages.
@Suite("Web pages", .serialized)
struct PageTests {
    /// The consent form as the CJG nurse fills it in: SWV, support facts, parent and pupil (fn 28: 14 years old).
    static let consentForm: [(String, String)] = [
        ("ontvanger", "swv"), ("veld", "supportFacts"),
        ("parent-antwoord", "given"), ("parent-datum", "2026-11-01"), ("parent-bewijs", "formulier moeder Jantje Pagina"),
        ("pupil-antwoord", "given"), ("pupil-datum", "2026-11-01"), ("pupil-bewijs", "formulier jongere"),
        ("other-parent-antwoord", ""), ("legal-representative-antwoord", ""),
    ]

    /// A case with the CJG, a consent recorded on the page; returns the case, the nurse's page session and the consent id.
    static func consentOnPage(_ fixture: ServerFixture, _ client: some TestClientProtocol) async throws
        -> (theCase: ConsentCaseworkTests.Case, session: String, consent: String) {
        let theCase = try await ConsentCaseworkTests.setUp(fixture, client)
        let session = try await client.pageLogin(fixture, "jvk")
        let recorded = try await client.submit("/cjg/dossiers/\(theCase.cjg)", to: "/cjg/dossiers/\(theCase.cjg)/toestemmingen", session: session,
                                               form: consentForm)
        #expect(recorded.status == .seeOther, "\(recorded.body)")
        let consent = try #require(recorded.location?.components(separatedBy: "/").last)
        return (theCase, session, consent)
    }

    @Test("The page session's cookie is not accepted by the JSON API (no CSRF through the API; art. 10.2)", arguments: ServerFixture.databases)
    func pageCookieIsNotAcceptedByTheAPI(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let session = try await client.pageLogin(fixture, "jvk")
            #expect(try await client.page(.get, "/start", session: session).status == .ok)
            let withCookie = try await client.call(.get, "/v1/me", headers: [.cookie: "sluis_sessie=\(session)"])
            #expect(withCookie.status == .unauthorized, "the API must not read the page cookie")
            let posted = try await client.call(.post, "/v1/cases/x/consents", json: "{}", headers: [.cookie: "sluis_sessie=\(session)"])
            #expect(posted.status == .unauthorized)
            // The same token as a bearer is a valid session: only the cookie is refused.
            #expect(try await client.call(.get, "/v1/me", token: session).status == .ok)
        }
    }

    @Test("A page POST without the CSRF token, or with a wrong one, is refused and records nothing (OWASP synchronizer token)",
          arguments: ServerFixture.databases)
    func csrfRefused(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let theCase = try await ConsentCaseworkTests.setUp(fixture, client)
            let session = try await client.pageLogin(fixture, "jvk")
            let action = "/cjg/dossiers/\(theCase.cjg)/toestemmingen"
            let missing = try await client.page(.post, action, session: session, form: Self.consentForm)
            #expect(missing.status == .forbidden)
            #expect(missing.body.contains("Formulier verlopen of ongeldig"))
            let wrong = try await client.page(.post, action, session: session, form: [("csrf", String(repeating: "a", count: 64))] + Self.consentForm)
            #expect(wrong.status == .forbidden)
            // Another session's token does not fit this session either.
            let other = try await client.pageLogin(fixture, "arts")
            let foreign = try #require(try await client.page(.get, "/start", session: other).csrf)
            #expect(try await client.page(.post, action, session: session, form: [("csrf", foreign)] + Self.consentForm).status == .forbidden)
            #expect(try await client.call(.get, "/v1/cases/\(theCase.cjg)/consents", token: theCase.jvk).body == "[]")
            // Logging out is a form too.
            #expect(try await client.page(.post, "/uitloggen", session: session, form: []).status == .forbidden)
            // With the page's own token it goes through.
            let good = try await client.submit("/cjg/dossiers/\(theCase.cjg)", to: action, session: session, form: Self.consentForm)
            #expect(good.status == .seeOther)
        }
    }

    @Test("A page POST that is not a small form is refused with a Dutch page: another media type 415, bad encoding 400, over 32 KiB 413")
    func formsOnly() async throws {
        try await ServerFixture.with { fixture, client in
            let session = try await client.pageLogin(fixture, "jvk")
            let csrf = try #require(try await client.page(.get, "/start", session: session).csrf)
            func post(_ body: String, type: String) async throws -> PageAnswer {
                try await client.execute(uri: "/uitloggen", method: .post, headers: [.cookie: "sluis_sessie=\(session)", .contentType: type],
                                         body: ByteBuffer(string: body)) { PageAnswer(status: $0.status, headers: $0.headers, body: String(buffer: $0.body)) }
            }
            let json = try await post(#"{"csrf":"\#(csrf)"}"#, type: "application/json")
            #expect(json.status == .unsupportedMediaType && json.body.contains("Alleen formulieren"))
            let garbled = try await post("csrf=\(csrf)&x=%zz", type: "application/x-www-form-urlencoded")
            #expect(garbled.status == .badRequest && garbled.body.contains("Formulier niet leesbaar"))
            let large = try await post("csrf=\(csrf)&x=" + String(repeating: "a", count: 40_000), type: "application/x-www-form-urlencoded")
            #expect(large.status == .contentTooLarge)
            // None of them logged out.
            #expect(try await client.page(.get, "/start", session: session).status == .ok)
        }
    }

    @Test("The login form is refused without its CSRF cookie, and opens no session")
    func loginCSRF() async throws {
        try await ServerFixture.with { fixture, client in
            fixture.clock.advance(by: 30)
            let form = try await client.page(.get, "/inloggen")
            let secret = fixture.secrets["jvk"]!
            let answer = try await client.page(.post, "/inloggen", form: [("csrf", try #require(form.csrf)), ("gebruikersnaam", "jvk"),
                                                                        ("wachtwoord", secret.password), ("code", try fixture.totp("jvk"))])
            #expect(answer.status == .forbidden)
            #expect(answer.cookie("sluis_sessie") == nil)
            // The code was not spent: the API login with it still opens a session.
            #expect(try await client.login(fixture, "jvk").isEmpty == false)
        }
    }

    @Test("Security headers on every page, the stylesheet and the error page; HSTS and __Host- cookies only under TLS")
    func securityHeaders() async throws {
        try await ServerFixture.with { fixture, client in
            try await fixture.makeDelegate("fg-cjg", .fg, "cjg-rijnmond")
            let nurse = try await client.pageLogin(fixture, "jvk"), fg = try await client.pageLogin(fixture, "fg-cjg")
            let answers = [try await client.page(.get, "/inloggen"), try await client.page(.get, "/start", session: nurse),
                           try await client.page(.get, "/cjg", session: nurse), try await client.page(.get, "/postvak", session: nurse),
                           try await client.page(.get, "/fg/register", session: fg), try await client.page(.get, "/static/sluis.css"),
                           try await client.page(.get, "/cjg/toestemmingen/onbekend", session: nurse)]
            for answer in answers {
                #expect(answer.headers[PageFrameMiddleware.csp] == "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
                #expect(answer.headers[PageFrameMiddleware.referrerPolicy] == "no-referrer")
                #expect(answer.headers[PageFrameMiddleware.contentTypeOptions] == "nosniff")
                #expect(answer.headers[PageFrameMiddleware.hsts] == nil)
                #expect(!answer.body.contains("<script"))
            }
            #expect(answers[6].status == .notFound)
            #expect(answers[6].body.contains("Dit onderdeel bestaat niet"))
            #expect(answers[1].headers[.cacheControl] == "no-store")
            #expect(answers[0].body.contains(#"<html lang="nl">"#))
            let cookie = try #require(answers[0].headers[values: .setCookie].first)
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && !cookie.contains("Secure"))
        }
        // Under TLS (the router as `buildApplication` builds it when a certificate is configured).
        let fixture = try await ServerFixture()
        let logger = Logger(label: "sluis-test") { _ in CapturingLogHandler(logs: fixture.logs) }
        let application = Application(router: buildRouter(gateway: fixture.gateway, logger: logger, secure: true), logger: logger)
        do {
            try await application.test(.router) { client in
                let form = try await client.page(.get, "/inloggen")
                #expect(form.headers[PageFrameMiddleware.hsts] == "max-age=31536000")
                let cookie = try #require(form.headers[values: .setCookie].first)
                #expect(cookie.hasPrefix("__Host-sluis_inloggen=") && cookie.contains("; Secure") && cookie.contains("Path=/"))
                // The plain-HTTP cookie name is not a session under TLS.
                #expect(try await client.page(.get, "/start", session: "x", cookieName: "sluis_sessie").location == "/inloggen")
            }
        } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }

    @Test("A page's action is refused for a role the authority table refuses, with the API's status (docs/authorization.md)",
          arguments: ServerFixture.databases)
    func sameAuthorityAsTheAPI(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let theCase = try await ConsentCaseworkTests.setUp(fixture, client)
            let (fgToken, otherToken) = (try await client.login(fixture, "fg-own"), try await client.login(fixture, "zco-other"))
            let fg = try await client.pageLogin(fixture, "fg-own"), other = try await client.pageLogin(fixture, "zco-other")
            // record-consent: the FG has no case work (403); a school outside the case is not told it exists (404).
            for (session, token) in [(fg, fgToken), (other, otherToken)] {
                let csrf = try #require(try await client.page(.get, "/start", session: session).csrf)
                let onPage = try await client.page(.post, "/cjg/dossiers/\(theCase.school)/toestemmingen", session: session,
                                                   form: [("csrf", csrf)] + Self.consentForm)
                let onAPI = try await client.call(.post, "/v1/cases/\(theCase.school)/consents", token: token,
                                                  json: #"{"recipients":["swv"],"fields":["supportFacts"],"givers":[]}"#)
                #expect(onPage.status == onAPI.status, "page \(onPage.status) vs API \(onAPI.status)")
                #expect([.forbidden, .notFound].contains(onPage.status))
                let listed = try await client.page(.get, "/cjg/dossiers/\(theCase.school)", session: session)
                #expect(listed.status == (try await client.call(.get, "/v1/cases/\(theCase.school)/consents", token: token)).status)
            }
            // inspect-register: a nurse is not an FG, on the page as on the API.
            let nurse = try await client.pageLogin(fixture, "jvk")
            #expect(try await client.page(.get, "/fg/register", session: nurse).status == .forbidden)
            #expect(try await client.call(.get, "/v1/register/entries", token: theCase.jvk).status == .forbidden)
            // The menu offers only what the table gives the role.
            let start = try await client.page(.get, "/start", session: nurse).body
            #expect(start.contains("/postvak") && start.contains("/cjg") && !start.contains("/fg/register"))
        }
    }

    @Test("A page session expires with the gateway's session (8 hours, art. 10.2) and ends on logout")
    func expiryAndLogout() async throws {
        try await ServerFixture.with { fixture, client in
            let session = try await client.pageLogin(fixture, "jvk")
            #expect(try await client.page(.get, "/start", session: session).status == .ok)
            fixture.clock.advance(by: AccessControl.sessionLifetime + 60)
            let expired = try await client.page(.get, "/start", session: session)
            #expect(expired.status == .seeOther && expired.location == "/inloggen?verlopen=1")
            #expect(expired.cookie("sluis_sessie") == "")
            #expect(try await client.page(.get, "/inloggen?verlopen=1").body.contains("Uw sessie is verlopen"))

            let second = try await client.pageLogin(fixture, "jvk")
            let out = try await client.submit("/start", to: "/uitloggen", session: second, form: [])
            #expect(out.status == .seeOther && out.location == "/inloggen?uitgelogd=1" && out.cookie("sluis_sessie") == "")
            #expect(try await client.page(.get, "/start", session: second).location == "/inloggen?verlopen=1")
            #expect(try await client.call(.get, "/v1/me", token: second).status == .unauthorized)
        }
    }

    @Test("One TOTP code opens one page session too, and the login page says so in Dutch (RFC 6238 §5.2; art. 10.2)")
    func loginReplay() async throws {
        try await ServerFixture.with { fixture, client in
            _ = try await client.pageLogin(fixture, "jvk")
            let form = try await client.page(.get, "/inloggen")
            let secret = fixture.secrets["jvk"]!
            let again = try await client.page(.post, "/inloggen", form: [("csrf", try #require(form.csrf)), ("gebruikersnaam", "jvk"),
                                                                       ("wachtwoord", secret.password), ("code", try fixture.totp("jvk"))],
                                              headers: [.cookie: "sluis_inloggen=\(try #require(form.cookie("sluis_inloggen")))"])
            #expect(again.status == .unauthorized)
            #expect(again.body.contains("Deze code is al gebruikt"))
            #expect(again.cookie("sluis_sessie") == nil)
            let wrong = try await client.page(.post, "/inloggen", form: [("csrf", try #require(again.csrf)), ("gebruikersnaam", "niemand"),
                                                                       ("wachtwoord", "fout-wachtwoord-123"), ("code", "000000")],
                                              headers: [.cookie: "sluis_inloggen=\(try #require(again.cookie("sluis_inloggen")))"])
            #expect(wrong.status == .unauthorized && wrong.body.contains("Gebruikersnaam, wachtwoord of code klopt niet."))
        }
    }

    @Test("AVG art. 18, found in review: on a restricted case the page says the processing is restricted and why — not 'reload the page' — and nothing is disclosed",
          arguments: [ServerFixture.databases[0]])
    func avg18_aRestrictedCaseSaysSoOnThePage(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let (theCase, session, _) = try await Self.consentOnPage(fixture, client)
            let request = try await client.call(.post, "/v1/rights/requests", token: theCase.zco, json: RightsTests.request(theCase.school, "bezwaar", receivedOn: "2026-11-20"))
            #expect(request.status == .created, "\(request.body)")
            let size = await fixture.gateway.register.size
            let refused = try await client.submit("/cjg/dossiers/\(theCase.cjg)", to: "/cjg/dossiers/\(theCase.cjg)/verstrekkingen", session: session,
                                                  form: [("ontvanger", "swv-go"), ("rol", ""), ("overleg", "casusoverleg"), ("doel", "3.1.d"), ("veld", "supportFacts")])
            #expect(refused.status == .conflict && refused.body.contains("Verwerking beperkt") && refused.body.contains("AVG art. 18"), "\(refused.body)")
            #expect(await fixture.gateway.register.size == size, "nothing on the register: nothing disclosed")
        }
    }

    @Test("Record, use and revoke a consent on the CJG's pages: the confirmation names whom the revocation tells, the reach is shown (art. 6.1 sub c–d, 11.5)",
          arguments: ServerFixture.databases)
    func consentPages(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let (theCase, session, consent) = try await Self.consentOnPage(fixture, client)
            let detail = try await client.page(.get, "/cjg/toestemmingen/\(consent)", session: session)
            #expect(detail.status == .ok)
            #expect(detail.body.contains("<strong>gegeven</strong>") && detail.body.contains("formulier moeder Jantje Pagina"))
            #expect(detail.body.contains("Op deze toestemming zijn nog geen gegevens verstrekt."))
            // The nurse discloses on the case page; the consent carries it.
            let disclosed = try await client.submit("/cjg/dossiers/\(theCase.cjg)", to: "/cjg/dossiers/\(theCase.cjg)/verstrekkingen", session: session,
                                                    form: [("ontvanger", "swv-go"), ("rol", ""), ("overleg", "casusoverleg"), ("doel", "3.1.d"),
                                                           ("veld", "supportFacts")])
            #expect(disclosed.status == .created, "\(disclosed.body)")
            #expect(disclosed.body.contains("Verstrekking: toegestaan"))
            let used = try await client.page(.get, "/cjg/toestemmingen/\(consent)", session: session).body
            #expect(used.contains("swv-go") && used.contains("Ondersteuning"))
            // The confirmation lists exactly who will be told; nothing is revoked by looking at it.
            let confirm = try await client.page(.get, "/cjg/toestemmingen/\(consent)/intrekken", session: session)
            #expect(confirm.body.contains("<li>swv-go</li>"))
            #expect(try await fixture.gateway.store.consent(consent)?.revokedAt == nil)
            let revoked = try await client.page(.post, "/cjg/toestemmingen/\(consent)/intrekken", session: session, form: [("csrf", try #require(confirm.csrf))])
            #expect(revoked.status == .seeOther)
            let after = try await client.page(.get, "/cjg/toestemmingen/\(consent)", session: session).body
            #expect(after.contains("<strong>ingetrokken</strong>") && after.contains("Bereik van de intrekking") && after.contains("nog niet bevestigd"))
            // The history keeps it; a second revocation is a conflict, in Dutch.
            let casePage = try await client.page(.get, "/cjg/dossiers/\(theCase.cjg)", session: session).body
            #expect(casePage.contains("ingetrokken"))
            // Who gives consent at which age comes from the policy in force (fn 28), not from the page.
            #expect(casePage.contains("van 12 tot en met 15 jaar de jongere én een ouder of wettelijk vertegenwoordiger"))
            let twice = try await client.page(.post, "/cjg/toestemmingen/\(consent)/intrekken", session: session, form: [("csrf", try #require(confirm.csrf))])
            #expect(twice.status == .conflict && twice.body.contains("Dit kan nu niet"))
        }
    }

    @Test("A giver's later answer on the consent page: the pupil of 14 answers after the parent and the consent becomes given (fn 28; art. 6.1 sub c)")
    func laterAnswer() async throws {
        try await ServerFixture.with { fixture, client in
            let theCase = try await ConsentCaseworkTests.setUp(fixture, client)
            let session = try await client.pageLogin(fixture, "jvk")
            let parentOnly = Self.consentForm.filter { !$0.0.hasPrefix("pupil-") }
            let recorded = try await client.submit("/cjg/dossiers/\(theCase.cjg)", to: "/cjg/dossiers/\(theCase.cjg)/toestemmingen", session: session,
                                                   form: parentOnly)
            let page = try #require(recorded.location)
            let pending = try await client.page(.get, page, session: session).body
            #expect(pending.contains("<strong>wacht op toestemming</strong>") && pending.contains("toestemming van de jongere"))
            #expect(pending.contains(#"<option value="pupil">Jongere</option>"#) && !pending.contains(#"<option value="parent">"#))
            let bad = try await client.submit(page, to: page + "/antwoorden", session: session,
                                              form: [("gever", "pupil"), ("antwoord", "given"), ("datum", "2999-01-01"), ("bewijs", "formulier")])
            #expect(bad.status == .badRequest && bad.body.contains("controleer ‘Datum antwoord’"))
            let good = try await client.submit(page, to: page + "/antwoorden", session: session,
                                               form: [("gever", "pupil"), ("antwoord", "given"), ("datum", "2026-11-02"), ("bewijs", "formulier jongere")])
            #expect(good.status == .seeOther)
            let given = try await client.page(.get, page, session: session).body
            #expect(given.contains("<strong>gegeven</strong>") && given.contains("formulier jongere"))
        }
    }

    @Test("What a person typed reaches a page escaped: evidence with markup is shown as text, never as HTML")
    func escaped() async throws {
        try await ServerFixture.with { fixture, client in
            let theCase = try await ConsentCaseworkTests.setUp(fixture, client)
            let consent = try await ConsentCaseworkTests.consent(client, theCase.jvk, case: theCase.cjg,
                                                                 givers: [ServerFixture.given("parent", evidence: "<script>x</script> & <b>y</b>")])
            let session = try await client.pageLogin(fixture, "jvk")
            let page = try await client.page(.get, "/cjg/toestemmingen/\(try #require(consent["id"] as? String))", session: session).body
            #expect(page.contains("&lt;script&gt;x&lt;/script&gt; &amp; &lt;b&gt;y&lt;/b&gt;"))
            #expect(!page.contains("<script") && !page.contains("<b>y"))
        }
    }

    @Test("A bad consent form shows the case page again naming the field in Dutch, and records nothing (art. 6.1 sub c)")
    func consentFormErrors() async throws {
        try await ServerFixture.with { fixture, client in
            let theCase = try await ConsentCaseworkTests.setUp(fixture, client)
            let session = try await client.pageLogin(fixture, "jvk")
            let answer = try await client.submit("/cjg/dossiers/\(theCase.cjg)", to: "/cjg/dossiers/\(theCase.cjg)/toestemmingen", session: session,
                                                 form: Self.consentForm.map { $0.0 == "parent-bewijs" ? ($0.0, "") : $0 })
            #expect(answer.status == .badRequest)
            #expect(answer.body.contains("controleer ‘antwoord 1: Schriftelijk bewijs’"))
            #expect(answer.body.contains("Toestemming vastleggen"))
            #expect(try await client.call(.get, "/v1/cases/\(theCase.cjg)/consents", token: theCase.jvk).body == "[]")
        }
    }

    @Test("The mailbox page opens a bundle for the recipient's delegate, offers the .p7m and acknowledges; the revocation notice shows (art. 10, 11.5)",
          arguments: ServerFixture.databases)
    func mailboxPages(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            let (theCase, _, consent) = try await Self.consentOnPage(fixture, client)
            let (status, body) = try await ConsentCaseworkTests.disclose(client, theCase.jvk, case: theCase.cjg)
            #expect(status == .created)
            let item = try #require(body["disclosureId"] as? String)
            let swv = try await client.pageLogin(fixture, "swv")
            let box = try await client.page(.get, "/postvak", session: swv)
            #expect(box.body.contains("/postvak/\(item)") && box.body.contains("cjg-rijnmond"))
            let opened = try await client.page(.get, "/postvak/\(item)", session: swv)
            #expect(opened.status == .ok)
            #expect(opened.body.contains("begeleiding JGZ") && opened.body.contains("Ondertekend door cjg-rijnmond"))
            let download = try await client.page(.get, "/postvak/\(item)/bundel.p7m", session: swv)
            #expect(download.headers[.contentType] == "application/pkcs7-mime; smime-type=authEnveloped-data")
            #expect(download.body.utf8.count > 500)
            // Another party's delegate cannot open it: 404, as over the API.
            let school = try await client.pageLogin(fixture, "zco")
            #expect(try await client.page(.get, "/postvak/\(item)", session: school).status == .notFound)
            let acknowledged = try await client.submit("/postvak", to: "/postvak/\(item)/ontvangst", session: swv, form: [])
            #expect(acknowledged.status == .seeOther)
            #expect(try await fixture.gateway.store.disclosure(item)?.acknowledgedAt != nil)
            _ = try await client.call(.post, "/v1/consents/\(consent)/revoke", token: theCase.jvk)
            let notices = try await client.page(.get, "/postvak", session: swv).body
            #expect(notices.contains("Toestemming ingetrokken") && notices.contains("/postvak/meldingen/"))
            let notice = try #require(PageAnswer.first(#"action="(/postvak/meldingen/[^"]+)""#, in: notices))
            #expect(try await client.submit("/postvak", to: notice, session: swv, form: []).status == .seeOther)
        }
    }

    @Test("The FG's register page filters by period, party, pupil and decision, shows the consent a disclosure rested on, and every view is itself on the register (art. 15.2)",
          arguments: ServerFixture.databases)
    func registerPage(database: String) async throws {
        try await ServerFixture.with(database: database) { fixture, client in
            try await fixture.makeDelegate("fg-cjg", .fg, "cjg-rijnmond")
            let (theCase, _, consent) = try await Self.consentOnPage(fixture, client)
            #expect(try await ConsentCaseworkTests.disclose(client, theCase.jvk, case: theCase.cjg).status == .created)
            let fg = try await client.pageLogin(fixture, "fg-cjg")
            let before = await fixture.gateway.register.size
            let all = try await client.page(.get, "/fg/register?partij=swv-go&besluit=permit&van=2020-01-01", session: fg)
            #expect(all.status == .ok)
            #expect(all.body.contains(consent) && all.body.contains("cjg-rijnmond → swv-go"))
            #expect(await fixture.gateway.register.size == before + 1, "the view is an inspection on the register")
            let refused = try await client.page(.get, "/fg/register?besluit=deny", session: fg)
            #expect(!refused.body.contains(consent) && refused.body.contains("Geen verwerkingen gevonden"))
            let elsewhere = try await client.page(.get, "/fg/register?partij=sovogo&besluit=permit", session: fg)
            #expect(!elsewhere.body.contains(consent))
            let past = try await client.page(.get, "/fg/register?tot=2020-01-01", session: fg)
            #expect(past.body.contains("Geen verwerkingen gevonden"))
            let typed = try await client.page(.get, "/fg/register?leerling=Jantje", session: fg)
            #expect(typed.status == .badRequest && typed.body.contains("Leerling (registerpseudoniem)") && !typed.body.contains("Jantje"))
            let size = await fixture.gateway.register.size
            let party = try await client.page(.get, "/fg/register?partij=Jantje", session: fg)
            #expect(party.status == .badRequest && party.body.contains("controleer ‘Partij’") && !party.body.contains("Jantje"))
            #expect(await fixture.gateway.register.size == size, "a refused filter is no inspection")
        }
    }

    @Test("HEAD on a mailbox item, its .p7m or the FG's register page moves no data and registers nothing; the authority still holds (RFC 9110 §9.3.2; art. 15.2)")
    func headRegistersNothing() async throws {
        try await ServerFixture.with { fixture, client in
            try await fixture.makeDelegate("fg-cjg", .fg, "cjg-rijnmond")
            let (theCase, _, _) = try await Self.consentOnPage(fixture, client)
            let (_, body) = try await ConsentCaseworkTests.disclose(client, theCase.jvk, case: theCase.cjg)
            let item = try #require(body["disclosureId"] as? String)
            let swv = try await client.pageLogin(fixture, "swv"), fg = try await client.pageLogin(fixture, "fg-cjg")
            let school = try await client.pageLogin(fixture, "zco")
            let size = await fixture.gateway.register.size
            for (uri, session) in [("/postvak/\(item)", swv), ("/postvak/\(item)/bundel.p7m", swv), ("/fg/register", fg)] {
                let head = try await client.page(.head, uri, session: session)
                #expect(head.status == .ok && head.body.isEmpty, "\(uri)")
            }
            #expect(await fixture.gateway.register.size == size, "HEAD registered something")
            #expect(try await fixture.gateway.store.disclosure(item)?.fetchedAt == nil)
            #expect(try await client.page(.head, "/postvak/\(item)", session: school).status == .notFound)
            #expect(try await client.page(.head, "/fg/register", session: swv).status == .forbidden)
        }
    }

    @Test("No personal data of the pages in the log: names, evidence, tokens and form values stay out")
    func noPersonalDataInLogs() async throws {
        try await ServerFixture.with { fixture, client in
            let (theCase, session, _) = try await Self.consentOnPage(fixture, client)
            _ = try await client.page(.get, "/cjg/dossiers/\(theCase.cjg)", session: session)
            _ = try await client.page(.post, "/cjg/dossiers/\(theCase.cjg)/toestemmingen", session: session, form: Self.consentForm)
            _ = try await client.page(.get, "/fg/register?leerling=Jantje", session: session)
            let logs = fixture.logs.all.joined(separator: "\n")
            #expect(!logs.isEmpty)
            for secret in ["Jantje", "formulier moeder", session, fixture.secrets["jvk"]!.password, theCase.cjg] {
                #expect(!logs.contains(secret), "the log must not contain a personal or secret value")
            }
        }
    }
}

/// Accessibility that the HTML alone shows (WCAG 2.1 1.3.1, 2.4.1, 3.1.1, 4.1.2); the browser run
/// scans the rendered pages with axe-core besides.
@Suite("Web pages: labels and language")
struct PageMarkupTests {
    /// Every visible input and select has a unique, non-empty id and a label for it.
    static func unlabelled(_ html: String) -> [String] {
        let controls = matches(#"<(?:input|select)\b[^>]*>"#, in: html).filter { !$0.contains(#"type="hidden""#) }
        var problems: [String] = [], seen: Set<String> = []
        for control in controls {
            guard let id = PageAnswer.first(#"\bid="([^"]+)""#, in: control), !id.isEmpty else { problems.append("no id: \(control)"); continue }
            if !seen.insert(id).inserted { problems.append("duplicate id \(id)") }
            if !html.contains(#"<label for="\#(id)">"#) { problems.append("no label for \(id)") }
        }
        return problems
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        let expression = try! NSRegularExpression(pattern: pattern)
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range, in: text).map { String(text[$0]) } }
    }

    @Test("Every input on the login, case, mailbox and register pages has a label, ids are unique, the language is nl (WCAG 2.1 AA)")
    func labels() async throws {
        try await ServerFixture.with { fixture, client in
            let theCase = try await ConsentCaseworkTests.setUp(fixture, client)
            try await fixture.makeDelegate("fg-cjg", .fg, "cjg-rijnmond")
            let consent = try await ConsentCaseworkTests.consent(client, theCase.jvk, case: theCase.cjg, givers: [ServerFixture.given("parent")])
            let nurse = try await client.pageLogin(fixture, "jvk"), fg = try await client.pageLogin(fixture, "fg-cjg")
            for (name, html) in [("inloggen", try await client.page(.get, "/inloggen").body),
                                 ("toestemming", try await client.page(.get, "/cjg/toestemmingen/\(try #require(consent["id"] as? String))", session: nurse).body),
                                 ("dossier", try await client.page(.get, "/cjg/dossiers/\(theCase.cjg)", session: nurse).body),
                                 ("postvak", try await client.page(.get, "/postvak", session: nurse).body),
                                 ("register", try await client.page(.get, "/fg/register", session: fg).body)] {
                #expect(html.contains(#"<html lang="nl">"#), "\(name)")
                #expect(html.contains(##"href="#inhoud""##) && html.contains(#"<main id="inhoud">"#), "\(name): skip link")
                #expect(Self.unlabelled(html).isEmpty, "\(name): \(Self.unlabelled(html))")
            }
        }
    }
}
