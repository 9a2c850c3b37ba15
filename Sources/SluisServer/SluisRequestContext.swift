public import Hummingbird
public import NIOCore
public import SluisGateway
public import SluisRegister

/// The request context: Hummingbird's core storage plus the W3C trace context of this request.
public struct SluisRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `TraceMiddleware` from an incoming `traceparent`, or fresh.
    public var trace: TraceContext
    /// The connection, to read the client's TLS certificate when mutual TLS is on.
    public let channel: any Channel
    /// Set by `AuthenticationMiddleware` on every route that is not declared public.
    public var principal: Principal?
    /// On a page (`PageSessionMiddleware`): the session token from the cookie, for the CSRF
    /// token and for logging out; never set on the JSON API.
    var pageSession: String?
    /// On a page's POST: the submitted form, read once by `PageSessionMiddleware` for its CSRF check.
    var form: PageForm?

    public init(source: Source) {
        coreContext = .init(source: source)
        channel = source.channel
        trace = (try? TraceContext.fresh()) ?? TraceContext(traceID: String(repeating: "0", count: 31) + "1", spanID: String(repeating: "0", count: 15) + "1")
    }

    /// The authenticated delegate; a route behind the authentication middleware always has one.
    public func requirePrincipal() throws -> Principal {
        guard let principal else { throw GatewayError.unauthenticated(.notLoggedIn, "log in first (POST /v1/sessions)") }
        return principal
    }

    /// A path parameter (a case reference, a consent id …): present and at most 64 bytes, for
    /// the API and the pages alike.
    func pathParameter(_ name: String) throws -> String {
        guard let value = parameters.get(name), !value.isEmpty, value.utf8.count <= 64 else {
            throw GatewayError.invalid(field: name, problem: "missing or too long")
        }
        return value
    }

    /// Every JSON body through the strict edge: duplicate and unknown keys refused, naming them.
    public var requestDecoder: StrictRequestDecoder { StrictRequestDecoder() }

    /// Every JSON answer through one encoder: sorted keys, unescaped slashes.
    public var responseEncoder: SluisResponseEncoder { SluisResponseEncoder() }

    /// JSON request bodies are small: facts about one pupil at most.
    public var maxUploadSize: Int { 64 * 1024 }
}
