import Foundation
import Hummingbird
import ServiceLifecycle
import HummingbirdTLS
import Logging
import NIOSSL
import SluisCovenant
import SluisCrypto
import SluisGateway
import SluisRegister
import SluisStore

/// The gateway behind its HTTP face, with everything it opened (to close on shutdown).
public struct GatewayRuntime: Sendable {
    public let gateway: Gateway
    public let demoDelegates: [DemoCovenant.Delegate]

    /// Opens Sluis on `configuration`: policies, keys, register, store. In development mode
    /// (`configuration.demo`) missing development keys are made and — on a gateway without
    /// delegates — the demo covenant is created; otherwise every key must be there already
    /// (`ProductionKeys.Missing` names what is not) and nothing is made.
    public static func open(_ configuration: ServerConfiguration, now: @escaping @Sendable () -> Date = { Date() },
                            passwordHasher: PasswordHasher = .recommended) async throws -> GatewayRuntime {
        let sources = try PolicySources.read(directory: configuration.policies)
        let policy = try PolicyLoader.load(sources)
        let keys = KeyDirectory(configuration.keys)
        if configuration.demo {
            _ = try DevelopmentKeys.ensure(keys, policy: policy)
        } else {
            try ProductionKeys.require(keys, policy: policy)
        }
        let signer = try CheckpointSigner(name: KeyDirectory.registerKeyName, key: keys.registerKey())
        let register = try await RegisterStore.open(configuration.database, signer: signer)
        let store = try await GatewayStore.open(configuration.database)
        let gateway: Gateway
        do {
            gateway = try await Gateway(policy: policy, policyHash: try sources.digest(), store: store, register: register, keys: keys,
                                        now: now, passwordThreads: configuration.passwordThreads,
                                        passwordHasher: passwordHasher)
        } catch {
            try? await store.close()
            try? await register.close()
            throw error
        }
        do {
            let demo = configuration.demo ? try await DemoCovenant.ensure(gateway, hasher: passwordHasher) : []
            return GatewayRuntime(gateway: gateway, demoDelegates: demo)
        } catch {
            await GatewayRuntime(gateway: gateway, demoDelegates: []).close()
            throw error
        }
    }

    public func close() async {
        await gateway.access.close()
        try? await gateway.store.close()
        try? await gateway.register.close()
    }
}

extension PolicySources {
    /// SHA-256 over every file's name and text, in name order: the policy set in force.
    public func digest() throws -> String {
        var bytes: [UInt8] = []
        for file in files {
            let name = (file.name as NSString).lastPathComponent
            bytes += Array(name.utf8) + [0] + Array(String(file.text.utf8.count).utf8) + [0] + Array(file.text.utf8)
        }
        return try SHA256.hex(bytes)
    }
}

/// The router: trace and error middleware, then the API. Every GET route answers HEAD too, as
/// GET without the body (RFC 9110 §9.3.2).
public func buildRouter(gateway: Gateway, logger: Logger, clientCertificates: ServerConfiguration.ClientCertificates = .off) -> Router<SluisRequestContext> {
    let router = Router(context: SluisRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: TraceMiddleware(logger: logger))
    router.add(middleware: MethodNotAllowedMiddleware(openAPI: OpenAPIDocument.text))
    API(gateway: gateway, openAPI: OpenAPIDocument.text, clientCertificates: clientCertificates).add(to: router)
    return router
}

/// The HTTP application, over TLS when a certificate is configured.
public func buildApplication(_ configuration: ServerConfiguration, gateway: Gateway, logger: Logger) throws -> some ApplicationProtocol {
    let router = buildRouter(gateway: gateway, logger: logger, clientCertificates: configuration.clientCertificates)
    let address = ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "Sluis")
    // Renewal and end-date notices for consent holders (fn 28; consent.endNotice), swept periodically.
    let services: [any Service] = [ConsentNoticeService(gateway: gateway, logger: logger)]
    if let certificate = configuration.tlsCertificate, let key = configuration.tlsKey {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        if configuration.clientCertificates != .off {
            // Party certificates chain to the covenant CA (or the deployment's CA in its place).
            let authority = URL(fileURLWithPath: configuration.keys).appendingPathComponent("ca/\(KeyDirectory.caName).crt").path
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(authority))
            tls.certificateVerification = configuration.clientCertificates == .required ? .noHostnameVerification : .optionalVerification
        }
        return Application(router: router, server: try .tls(.http1(), tlsConfiguration: tls), configuration: address, services: services, logger: logger)
    }
    return Application(router: router, server: .http1(), configuration: address, services: services, logger: logger)
}

/// The OpenAPI 3.1 description of the API (also kept as docs/openapi.json).
public enum OpenAPIDocument {
    public static let text: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "{}" }
        return text
    }()
}
