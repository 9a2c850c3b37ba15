import Foundation
import SluisCovenant
import SluisCrypto
public import SluisRegister
import SluisStore

public struct Revocation: Sendable, Codable, Equatable {
    public var consent: ConsentView
    /// The parties told of the revocation (art. 11.5).
    public var notified: [String]
}

/// The parties a revocation reached, filled in inside the revocation's commit.
final class RevocationRecipients: @unchecked Sendable {
    private let lock = NSLock()
    private var value: [(party: String, role: PartyRole?)] = []
    func set(_ recipients: [(party: String, role: PartyRole?)]) { lock.lock(); value = recipients; lock.unlock() }
    var recipients: [(party: String, role: PartyRole?)] { lock.lock(); defer { lock.unlock() }; return value }
}

extension Gateway {
    /// Art. 6.1 sub d and 11.5: revocation stops further disclosures at once, and every party
    /// that received data on this consent is told — a notice in its mailbox, and an entry on
    /// the register for each. Disclosures before the revocation stay lawful (fn 26). The
    /// revocation, the look-up of who received data on it and their notices commit in one
    /// register transaction, serialized with every disclosure's: a disclosure racing it either
    /// committed first (and its recipient is notified here) or is decided again and refused.
    /// A refused or conflicting consent is revoked the same way, which ends its refusal's reach.
    public func revokeConsent(_ id: String, by principal: Principal, trace: TraceContext) async throws -> Revocation {
        let (consent, access) = try await heldConsent(id, .revokeConsent, by: principal, trace: trace)
        let record = access.record
        let subject = try pseudonyms.pseudonym(of: record.pupilKey, for: Pseudonymizer.registerRecipient)
        let activity = activity(ProcessingActivities.disclosureID(.direct))
        let (revokedAt, delegate, caseID) = (time, principal.delegateID, record.id)
        let reached = RevocationRecipients()
        _ = try await registerEntry(RegisterEntry(
            time: revokedAt, traceID: trace.traceID, spanID: trace.spanID, activity: activity.id, activityVersion: activity.version,
            operation: "consent-revoked", sender: principal.party, actor: principal.delegateID, forum: Forum.direct.rawValue, decision: "none",
            basis: ["convenant art. 6.1 sub d; art. 11.5"], consentReference: id, policyHash: policyHash, subject: subject,
            parentSpanID: trace.parentSpanID)) { sql, _ in
            guard try await GatewayStore.revoke(consent: id, by: delegate, at: revokedAt, on: sql) else {
                throw GatewayError.conflict(.consentRevokedAlready, "the consent was revoked already")
            }
            let recipients = try await GatewayStore.recipients(ofConsent: id, on: sql)
            for recipient in recipients {
                try await GatewayStore.add(notice: NoticeRecord(id: UUID().uuidString.lowercased(), party: recipient.party, caseID: caseID,
                                                                kind: .consentRevoked, consentID: id, created: revokedAt, role: recipient.role),
                                           on: sql)
            }
            reached.set(recipients)
        }
        // The notices are delivered; each is also on the register, addressed as it was.
        for recipient in reached.recipients {
            _ = try await registerEntry(RegisterEntry(
                time: time, traceID: trace.traceID, spanID: trace.spanID, activity: activity.id, activityVersion: activity.version,
                operation: "consent-revoked-notice", sender: principal.party, actor: principal.delegateID, recipient: recipient.party,
                forum: Forum.direct.rawValue, decision: "none", basis: ["convenant art. 11.5; art. 6.1 sub d"], consentReference: id,
                policyHash: policyHash, subject: subject, recipientRole: recipient.role?.rawValue, parentSpanID: trace.parentSpanID))
        }
        try await audited(principal, .revokeConsent, caseID: record.id, "consent \(id)", trace: trace)
        var revoked = consent
        revoked.revokedAt = revokedAt
        revoked.revokedBy = delegate
        return Revocation(consent: try await consentView(revoked, caseRef: access.ref, birthDate: try birthDay(record)),
                          notified: Array(Set(reached.recipients.map(\.party))).sorted())
    }
}
