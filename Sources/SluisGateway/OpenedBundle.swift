import Foundation
import SluisCovenant
public import SluisCrypto
public import SluisRegister
import SluisStore

/// A mailbox bundle opened for a delegate of its recipient party (art. 10: the secure
/// environment): the content only after the GCM tag and the signature verified and the signer
/// chained to the covenant CA.
public struct OpenedBundle: Sendable {
    /// The content as sealed (the disclosure's JSON), in memory that is wiped when freed.
    public let content: SecureBytes
    /// The signer's party (the certificate's CN).
    public let signer: String
    public let signatureAlgorithm: String
}

extension Gateway {
    /// Fetches a mailbox item's bundle (the same authority and the same `fetch` on the register
    /// as `fetch`) and opens it with the principal's party's key, which the gateway holds
    /// (`Keys/parties/<party>.key`: it seals with the parties' keys too). A disclosure's signer
    /// must be its sender. Errors: those of `fetch`; `unavailable(.storedDataDamaged)` when the
    /// bundle does not open or verify — nothing of its content is returned then.
    public func openBundle(_ id: String, by principal: Principal, trace: TraceContext) async throws -> OpenedBundle {
        let bundle = try await fetch(id, by: principal, trace: trace)
        let sender = try await store.disclosure(id)?.sender
        do {
            let own = try credentials.credentials(principal.party)
            let opened = try SealedBundle.open(bundle, recipient: own.certificate, key: own.key, trust: trust,
                                               expectedSigner: try sender.map { try credentials.certificate($0) })
            return OpenedBundle(content: opened.plaintext, signer: opened.signer.commonName ?? opened.signer.subject,
                                signatureAlgorithm: opened.signatureAlgorithm)
        } catch {
            throw GatewayError.unavailable(.storedDataDamaged, "the bundle does not open or verify with the party's key", cause: error)
        }
    }
}
