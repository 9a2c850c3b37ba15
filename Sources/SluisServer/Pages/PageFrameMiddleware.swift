import HTTPTypes
import Hummingbird
import Logging
import SluisRegister

/// Around every page and the stylesheet: an error becomes a Dutch page with the API's status
/// (never a stack trace; a 5xx cause goes to the operator's log as `TraceMiddleware` logs it),
/// and every answer carries the page's security headers — a strict Content-Security-Policy (no
/// script at all, styles only from our own stylesheet, forms only to ourselves, no framing) and
/// HSTS under TLS; Referrer-Policy no-referrer, nosniff and no caching of pages with personal data
/// come from `TraceMiddleware`, as for every answer (OWASP Secure Headers; RFC 6797).
struct PageFrameMiddleware: RouterMiddleware {
    typealias Context = SluisRequestContext
    let logger: Logger
    let secure: Bool

    static let contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    static let csp = HTTPField.Name("Content-Security-Policy")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let hsts = HTTPField.Name("Strict-Transport-Security")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = Self.errorPage(error, context, session: nil, logger: logger)
        }
        // The page's own policy; no-referrer, nosniff and no-store come with every answer from
        // `TraceMiddleware`, the router's outermost middleware.
        response.headers[Self.csp] = Self.contentSecurityPolicy
        if secure { response.headers[Self.hsts] = "max-age=31536000" }
        return response
    }
}

extension PageFrameMiddleware {
    /// The Dutch error page for `error`, with the API's status; with the menu and the logout
    /// form when the delegate is logged in (`session`). A 5xx cause goes to the operator's log.
    static func errorPage(_ error: any Error, _ context: SluisRequestContext, session: SessionFrame?, logger: Logger) -> Response {
        let (page, problem) = PageProblem.from(error)
        if let problem { TraceMiddleware.logCause(of: problem, logger: logger, trace: context.trace) }
        return Pages.html(PageFrame(title: page.title, session: session, content: ErrorPage(page, trace: context.trace.traceID)), "fout",
                          status: page.status)
    }
}

/// The error page's content.
struct ErrorPage {
    let message: String
    let article: String?
    let note: String?
    let trace: String

    init(_ page: PageProblem, trace: String) {
        (message, article, note, self.trace) = (page.message, page.article, page.note, trace)
    }
}
