import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SluisCovenant
import SluisCrypto
import SluisGateway

/// The web pages in Dutch (issue 13), server-rendered from Mustache templates, without any
/// script. Thin handlers like the API's: authenticate (the page session), read the form, call
/// the same gateway use case with the same `Principal`, render. No rule lives here: what a
/// delegate may do is the authority table's (docs/authorization.md), and a page is refused
/// with the API's status for the same action (docs/pages.md).
struct Pages: Sendable {
    let gateway: Gateway
    let cookies: PageCookies
    let logger: Logger

    func add(to router: Router<SluisRequestContext>) {
        let frame = PageFrameMiddleware(logger: logger, secure: cookies.secure)
        let open = router.group().add(middleware: frame)
        open.get("/static/sluis.css") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/css; charset=utf-8"
            headers[.cacheControl] = "public, max-age=3600"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: PageTemplates.stylesheet)))
        }
        open.get("/") { _, _ in Self.redirect("/start") }
        open.get("/inloggen") { request, _ in try loginPage(request) }
        open.post("/inloggen") { request, context in try await login(request, context) }

        let pages = router.group().add(middleware: frame).add(middleware: PageSessionMiddleware(gateway: gateway, cookies: cookies, logger: logger))
        pages.post("/uitloggen") { _, context in
            if let token = context.pageSession { try await gateway.access.logout(token: token) }
            var response = Self.redirect("/inloggen?uitgelogd=1")
            response.headers[.setCookie] = cookies.cookie(cookies.sessionName, "", maxAge: 0)
            return response
        }
        pages.get("/start") { _, context in
            let session = try SessionFrame(context)
            return Self.html(PageFrame(title: "Start", session: session, content: StartPage(links: session.links)), "start")
        }
        addConsents(to: pages)
        addMailbox(to: pages)
        addRegister(to: pages)
        addSchool(to: pages)
        addVerzuimoverleg(to: pages)
        addFG(to: pages)
        addTafel(to: pages)
        addAgenda(to: pages)
    }

    // MARK: Logging in (art. 10.2: password and TOTP, through the gateway's own login)

    func loginPage(_ request: Request, message: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        let query = request.uri.queryParameters
        let shown = message ?? (query["verlopen"] != nil ? "Uw sessie is verlopen of beëindigd. Log opnieuw in."
                                : query["uitgelogd"] != nil ? "U bent uitgelogd." : nil)
        let nonce = try PageCookies.loginNonce()
        var response = Self.html(PageFrame(title: "Inloggen", session: nil, content: LoginPage(csrf: nonce, message: shown)), "inloggen", status: status)
        response.headers[.setCookie] = cookies.cookie(cookies.loginName, nonce, maxAge: 3600)
        return response
    }

    /// The login form: its CSRF value (double submit: the cookie set with the form) first, then
    /// the gateway's login — lockout, one code one session, the audit log — unchanged.
    func login(_ request: Request, _ context: SluisRequestContext) async throws -> Response {
        var request = request
        let form = try await PageSessionMiddleware.form(&request, context)
        guard let expected = PageCookies.value(cookies.loginName, in: request.headers), let sent = form["csrf"],
              PageCookies.matches(sent, expected) else {
            return try loginPage(request, message: "Het formulier was verlopen. Probeer het opnieuw.", status: .forbidden)
        }
        let (username, password, code) = (form["gebruikersnaam"] ?? "", form.values["wachtwoord"]?.first ?? "", form["code"] ?? "")
        let session: AccessControl.Session
        do {
            try API.checkLoginSizes(username: username, password: password, code: code)
            session = try await gateway.access.login(username: username, password: SecureBytes(Array(password.utf8)), code: code, trace: context.trace)
        } catch let error as GatewayError {
            return try loginPage(request, message: Self.loginRefusal(error), status: Problem.from(error).status)
        }
        var response = Self.redirect("/start")
        response.headers[values: .setCookie] = [cookies.cookie(cookies.sessionName, session.token, maxAge: Int(AccessControl.sessionLifetime)),
                                                cookies.cookie(cookies.loginName, "", maxAge: 0)]
        return response
    }

    /// The login's refusal in Dutch; the same for an unknown user as for a wrong password.
    static func loginRefusal(_ error: GatewayError) -> String {
        switch error {
        case .unauthenticated(_, let why) where why == AccessControl.reusedCode:
            "Deze code is al gebruikt om in te loggen: één code opent één sessie. Wacht op de volgende code en log daarmee in."
        case .locked(let until): "Te veel mislukte pogingen: dit account is tijdelijk geblokkeerd (tot \(until) UTC)."
        case .busy: "Het is even te druk. Probeer het over enkele seconden opnieuw."
        case .invalid: "Gebruikersnaam, wachtwoord of code is te lang."
        default: "Gebruikersnaam, wachtwoord of code klopt niet."
        }
    }

    // MARK: Rendering

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// A page: `frame` rendered in `template`, as UTF-8 HTML. A template that cannot be rendered
    /// (a broken install) gives a plain Dutch page, never the error.
    static func html(_ frame: PageFrame, _ template: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        let text = (try? PageTemplates.render(frame, template))
            ?? "<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Fout</title></head><body><main><h1>Fout</h1><p>Deze pagina kan niet worden getoond.</p></main></body></html>"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func parameter(_ context: SluisRequestContext, _ name: String) throws -> String { try context.pathParameter(name) }
}

/// What every page shows around its content: the title, and for a logged-in delegate who is
/// logged in, with the form to log out and the links of the pages for the role.
struct PageFrame {
    let title: String
    let session: SessionFrame?
    let content: Any
    /// The session's CSRF token, at the top so that every form in the content finds it.
    let csrf: String?

    init(title: String, session: SessionFrame?, content: Any) {
        (self.title, self.session, self.content, csrf) = (title, session, content, session?.csrf)
    }
}

struct SessionFrame {
    let username: String
    let role: String
    let party: String
    let csrf: String
    let links: [NavLink]

    init(_ context: SluisRequestContext) throws {
        let principal = try context.requirePrincipal()
        guard let token = context.pageSession else { throw GatewayError.unauthenticated(.notLoggedIn, "log in first") }
        username = principal.username
        role = PageWords.word(PageWords.roles, principal.role.rawValue)
        party = principal.party
        csrf = try PageCookies.csrfToken(session: token)
        links = NavLink.all.filter { AuthorityTable.rule($0.action).roles.contains(principal.role) }
    }
}

/// The pages a role may use, shown where the authority table gives its role the action the
/// page is for (the gateway still decides every request).
struct NavLink {
    let href: String
    let text: String
    let action: GatewayAction

    static let all = [
        NavLink(href: "/cjg", text: "Dossiers en toestemmingen", action: .listConsents),
        NavLink(href: "/postvak", text: "Postvak", action: .readMailbox),
        NavLink(href: "/fg/register", text: "Register", action: .inspectRegister),
        NavLink(href: "/school/verzuim", text: "Verzuim aanleveren", action: .importAbsence),
        NavLink(href: "/school/signalen", text: "Verzuimsignalen", action: .readAbsenceSignals),
        NavLink(href: "/school/verzuimoverleg", text: "Verzuimoverleg", action: .prepareVerzuimoverleg),
        NavLink(href: "/fg/integriteit", text: "Integriteit", action: .readCheckpoint),
        NavLink(href: "/fg/grafieken", text: "Grafieken", action: .inspectRegister),
        NavLink(href: "/fg/verwerkingsregister", text: "Verwerkingsregister", action: .inspectRegister),
        NavLink(href: "/fg/verzoeken", text: "Rechtenverzoeken", action: .inspectRightsRequests),
        NavLink(href: "/swv/tafel", text: "Thuiszitterstafel", action: .listTafel),
        NavLink(href: "/swv/agenda", text: "Agenda’s", action: .composeAgenda),
    ]
}

struct LoginPage {
    let csrf: String
    let message: String?
}

struct StartPage {
    let links: [NavLink]
}
