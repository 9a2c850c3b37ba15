public import Foundation
public import Hummingbird
import ServiceLifecycle
import HummingbirdTLS
public import Logging
public import NIOCore
import NIOSSL
public import SluisCovenant
public import SluisCrypto
public import SluisGateway
import SluisRegister
import SluisStore

/// The gateway behind its HTTP face, with everything it opened (to close on shutdown).
public struct GatewayRuntime: Sendable {
    public let gateway: Gateway
    let configuration: ServerConfiguration
    let passwordHasher: PasswordHasher
    /// What the start repaired in data stored by earlier versions: consent evidence sealed, DUO
    /// pupil keys bound to their case, and keys left unbound (a second key of a case, or one
    /// already on another case: wrong before, retried at each start until someone looks).
    public let repairs: (sealedEvidence: Int, boundPupilKeys: Int, unboundPupilKeys: Int)

    /// Opens Sluis on `configuration`: policies, keys, register, store. In development mode
    /// (`configuration.demo`) missing development keys are made; otherwise every key must be
    /// there already (`ProductionKeys.Missing` names what is not) and nothing is made. The demo
    /// covenant is made apart, by `ensureDemoCovenant()`, once the port is bound: its secrets
    /// are shown once, so they must not be made by a start that then fails to listen.
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
        // Each store closes what it opened when it fails; the register, opened first, is closed
        // here — a PostgreSQL connection dropped unclosed traps (postgres-nio).
        let store: GatewayStore
        do {
            store = try await GatewayStore.open(configuration.database)
        } catch {
            try? await register.close()
            throw error
        }
        let gateway: Gateway
        let repairs: (sealedEvidence: Int, boundPupilKeys: Int, unboundPupilKeys: Int)
        do {
            gateway = try await Gateway(policy: policy, policyHash: try sources.digest(), store: store, register: register, keys: keys,
                                        now: now, passwordThreads: configuration.passwordThreads,
                                        passwordHasher: passwordHasher)
            // Evidence stored before it was sealed at rest is sealed now, before anyone reads it.
            let sealed = try await gateway.sealStoredEvidence()
            // Pupil keys stored before migration 13 are bound to their cases (Bijlage 3.1).
            let keys = try await gateway.hashStoredPupilKeys()
            repairs = (sealed, keys.bound, keys.unbound)
            // The FG's witnesses (C2SP tlog-witness; docs/witness.md): none, quorum 0 — today's behaviour.
            if !configuration.witnesses.isEmpty {
                gateway.configureWitnessing(CheckpointWitnessing(witnesses: configuration.witnesses, quorum: configuration.effectiveWitnessQuorum,
                                                                 transport: HTTPWitnessTransport(), register: register))
            }
        } catch {
            try? await store.close()
            try? await register.close()
            throw error
        }
        return GatewayRuntime(gateway: gateway, configuration: configuration, passwordHasher: passwordHasher, repairs: repairs)
    }

    /// In development mode, on a gateway without delegates: the demo covenant (delegates and demo
    /// cases), whose passwords and TOTP secrets are returned to be shown once. Empty otherwise.
    public func ensureDemoCovenant() async throws -> [DemoCovenant.Delegate] {
        configuration.demo ? try await DemoCovenant.ensure(gateway, hasher: passwordHasher) : []
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

/// The router: trace and error middleware, then the API and the web pages (docs/pages.md).
/// Every GET route answers HEAD too, as GET without the body (RFC 9110 §9.3.2). `secure`: the
/// server speaks TLS, so page cookies are `Secure` and `__Host-` prefixed and pages send HSTS.
public func buildRouter(gateway: Gateway, logger: Logger, clientCertificates: ServerConfiguration.ClientCertificates = .off,
                        secure: Bool = false) -> Router<SluisRequestContext> {
    let router = Router(context: SluisRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: TraceMiddleware(logger: logger))
    router.add(middleware: MethodNotAllowedMiddleware(openAPI: OpenAPIDocument.text))
    router.add(middleware: QueryStrictnessMiddleware())
    API(gateway: gateway, openAPI: OpenAPIDocument.text, clientCertificates: clientCertificates).add(to: router)
    Pages(gateway: gateway, cookies: PageCookies(secure: secure), logger: logger).add(to: router)
    return router
}

/// The HTTP application, over TLS when a certificate is configured. `onServerRunning` runs once
/// the port is bound, before the first connection is accepted.
public func buildApplication(_ configuration: ServerConfiguration, gateway: Gateway, logger: Logger,
                             onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }) throws -> some ApplicationProtocol {
    let router = buildRouter(gateway: gateway, logger: logger, clientCertificates: configuration.clientCertificates,
                             secure: configuration.tlsCertificate != nil)
    let address = ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "Sluis")
    // Renewal and end-date notices for consent holders (fn 28; consent.endNotice), swept periodically;
    // closed cases destroyed at the end of their term (art. 9.2), daily.
    var services: [any Service] = [PeriodicService.consentNotices(gateway, logger: logger), PeriodicService.retention(gateway, logger: logger)]
    if let witnessing = gateway.witnessing {
        services.append(PeriodicService.witnessing(witnessing, interval: .seconds(configuration.witnessInterval), logger: logger))
    }
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
        return Application(router: router, server: try .tls(.http1(), tlsConfiguration: tls), configuration: address, services: services,
                           onServerRunning: onServerRunning, logger: logger)
    }
    return Application(router: router, server: .http1(), configuration: address, services: services, onServerRunning: onServerRunning,
                       logger: logger)
}

/// The OpenAPI 3.1 description of the API (also kept as docs/openapi.json).
public enum OpenAPIDocument {
    public static let text: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "{}" }
        return text
    }()
}
