import Hummingbird
import NIOSSL
import SluisCrypto
import SluisGateway

/// Authentication by default: every route of a group this middleware guards needs a bearer
/// token of a delegate (art. 10.2). The few public routes are declared in one place,
/// `API.publicRoutes`, on a group without it. With mutual TLS on, a presented party certificate
/// must belong to the token's party.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = SluisRequestContext
    let gateway: Gateway
    let clientCertificates: ServerConfiguration.ClientCertificates

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var token: String?
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") { token = String(header.dropFirst(7)) }
        let principal: Principal
        do {
            principal = try await gateway.access.authenticate(token: token, trace: context.trace)
        } catch let error as GatewayError where token != nil {
            // A token came but is unknown or expired: say so in the challenge (RFC 6750 §3.1).
            var problem = Problem.from(error)
            if problem.status == .unauthorized { problem.bearerError = "invalid_token" }
            throw problem
        }
        if clientCertificates != .off { try await checkClientCertificate(principal, context) }
        var context = context
        context.principal = principal
        return try await next(request, context)
    }

    /// Mutual TLS: a presented party certificate (already chained to the covenant CA by TLS)
    /// must be the delegate's own party's — a token alone then does not suffice from elsewhere.
    func checkClientCertificate(_ principal: Principal, _ context: Context) async throws {
        // Read on the channel's event loop: the TLS handler itself is not Sendable, its certificate is.
        let channel = context.channel
        let peer = try? await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).peerCertificate
        }.get()
        guard let certificate = peer ?? nil else {
            if clientCertificates == .required {
                await gateway.access.denied(principal, "no client certificate", trace: context.trace)
                throw GatewayError.unauthenticated(.clientCertificateRequired, "present your party's certificate (mutual TLS)")
            }
            return
        }
        // Read the name with Sluis's own certificate code: the CN is the party id.
        let commonName = (try? certificate.toDERBytes()).flatMap { try? Certificate.load($0) }?.commonName
        guard let commonName, commonName == principal.party else {
            await gateway.access.denied(principal, "client certificate of another party", trace: context.trace)
            throw GatewayError.forbidden(.clientCertificateMismatch, "the client certificate belongs to another party", article: "convenant art. 10.2")
        }
    }
}
