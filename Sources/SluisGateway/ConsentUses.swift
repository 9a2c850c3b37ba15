import Foundation
import SluisCovenant
public import SluisRegister
import SluisStore

/// Where a consent was used, for its holder (art. 6.1 sub c–d; art. 11.5): the disclosures that
/// rested on it, and the parties that received data on it — those a revocation will tell.
public struct ConsentUses: Sendable, Codable, Equatable {
    public var consentId: String
    /// The disclosures that rested on the consent, oldest first.
    public var disclosures: [Use]
    /// Whoever received data on it — by a disclosure or a thuiszitterstafel delivery — per party
    /// and, at a gemeente, role: exactly the parties a revocation notifies (art. 11.5).
    public var toBeTold: [Recipient]

    public struct Use: Sendable, Codable, Equatable {
        public var recipient: String
        public var recipientRole: String?
        public var forum: String
        public var purpose: String
        /// The fields that went (field names of art. 5.1).
        public var released: [String]
        public var registerIndex: Int64
        public var created: String
    }

    public struct Recipient: Sendable, Codable, Equatable {
        public var party: String
        public var role: String?
    }
}

extension Gateway {
    /// The uses of a consent the principal's party holds (`view-consent`: the holder only; 404
    /// for a party outside its case). Reads what is stored; writes nothing.
    public func consentUses(_ id: String, by principal: Principal, trace: TraceContext) async throws -> ConsentUses {
        let (consent, _) = try await heldConsent(id, .viewConsent, by: principal, trace: trace)
        let uses = try await store.disclosures(caseID: consent.caseID).filter { $0.consents.contains(id) }.map {
            ConsentUses.Use(recipient: $0.recipient, recipientRole: $0.recipientRole?.rawValue, forum: $0.forum.rawValue, purpose: $0.purpose,
                            released: $0.released.map(\.rawValue), registerIndex: $0.registerIndex, created: $0.created)
        }
        let reached = try await store.recipients(ofConsent: id).map { ConsentUses.Recipient(party: $0.party, role: $0.role?.rawValue) }
        return ConsentUses(consentId: id, disclosures: uses, toBeTold: reached)
    }
}
