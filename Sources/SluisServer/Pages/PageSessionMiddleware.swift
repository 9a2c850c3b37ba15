import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SluisGateway

/// Every page but the login page needs a page session: the session cookie's token,
/// authenticated by the gateway exactly as a bearer token is (`AccessControl.authenticate`:
/// unknown, expired, disabled — all refused and audited). Without one a page redirects to the
/// login page. Every POST must carry the session's CSRF token in the form field `csrf`
/// (OWASP synchronizer token), else 403 and a denial in the audit log; only
/// `application/x-www-form-urlencoded` bodies are taken.
struct PageSessionMiddleware: RouterMiddleware {
    typealias Context = SluisRequestContext
    let gateway: Gateway
    let cookies: PageCookies
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = PageCookies.value(cookies.sessionName, in: request.headers) else {
            return Pages.redirect("/inloggen")
        }
        let principal: Principal
        do {
            principal = try await gateway.access.authenticate(token: token, trace: context.trace)
        } catch GatewayError.unauthenticated {
            // Expired or ended: the cookie goes, and the login page says why.
            var response = Pages.redirect("/inloggen?verlopen=1")
            response.headers[.setCookie] = cookies.cookie(cookies.sessionName, "", maxAge: 0)
            return response
        }
        var context = context
        context.principal = principal
        context.pageSession = token
        var request = request
        if request.method == .post {
            context.form = try await Self.form(&request, context)
            guard let sent = context.form?["csrf"], PageCookies.matches(sent, try PageCookies.csrfToken(session: token)) else {
                await gateway.access.denied(principal, "page form without a valid CSRF token", trace: context.trace)
                throw PageProblem.csrf
            }
        }
        do {
            return try await next(request, context)
        } catch {
            // Refused or failed: the error page still shows who is logged in, with the menu.
            return PageFrameMiddleware.errorPage(error, context, session: try? SessionFrame(context), logger: logger)
        }
    }

    /// The POST body as a form; another media type, a body over 32 KiB or bad encoding is refused.
    static func form(_ request: inout Request, _ context: Context) async throws -> PageForm {
        if let upload = try await PageUpload.form(&request) { return upload }
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else {
            throw PageProblem(status: .unsupportedMediaType, title: "Formulier niet leesbaar",
                              message: "Alleen formulieren van deze pagina's worden aangenomen.")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: PageForm.maxSize)
        } catch {
            throw PageProblem(status: .contentTooLarge, title: "Formulier te groot", message: "Het formulier is te groot.")
        }
        guard let form = try? PageForm(String(buffer: buffer)) else { throw PageProblem.badForm }
        return form
    }
}
