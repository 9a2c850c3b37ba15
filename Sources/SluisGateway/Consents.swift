import Foundation
import SluisCovenant
import SluisCrypto
import SluisRegister
import SluisStore

public struct NewConsent: Sendable, Codable {
    /// `pupil`, `parent`: who gave it (fn 28 decides who must, by age).
    public var givenBy: [String]
    /// Party kinds it allows disclosure to.
    public var recipients: [String]
    public var fields: [String]
    /// The SOT question it is for (Bijlage 3.2 sub 4), or none.
    public var question: String?
    /// Where the written consent is kept (art. 6.1 sub c): a reference, not the document.
    public var evidence: String
}

public struct ConsentView: Sendable, Codable, Equatable {
    public var id: String
    public var caseId: String
    public var holder: String
    public var givenBy: [String]
    public var recipients: [String]
    public var fields: [String]
    public var question: String?
    public var evidence: String
    public var recordedAt: String
    public var revokedAt: String?

    init(_ record: ConsentRecord) {
        id = record.id
        caseId = record.caseID
        holder = record.holder
        givenBy = record.givenBy
        recipients = record.recipients
        fields = record.fields
        question = record.question
        evidence = record.evidence
        recordedAt = record.recordedAt
        revokedAt = record.revokedAt
    }
}

public struct Revocation: Sendable, Codable, Equatable {
    public var consent: ConsentView
    /// The parties told of the revocation (art. 11.5).
    public var notified: [String]
}

extension Gateway {
    /// Art. 6.1 sub c: the party that obtained a consent records it in writing.
    public func recordConsent(caseID: String, _ input: NewConsent, by principal: Principal, trace: TraceContext) async throws -> ConsentView {
        _ = try await caseForCaseworker(caseID, principal, trace: trace)
        guard !input.givenBy.isEmpty, input.givenBy.allSatisfy({ ConsentGiver(rawValue: $0) != nil }), Set(input.givenBy).count == input.givenBy.count else {
            throw GatewayError.invalid(field: "givenBy", problem: "one or both of pupil, parent")
        }
        guard !input.recipients.isEmpty, input.recipients.allSatisfy({ PartyKind(rawValue: $0) != nil && $0 != PartyKind.derde.rawValue }) else {
            throw GatewayError.invalid(field: "recipients", problem: "party kinds of the covenant (gemeente, swv, schoolbestuur, jgz, jeugdhulpaanbieder)")
        }
        guard !input.fields.isEmpty, input.fields.count <= Field.allCases.count, input.fields.allSatisfy({ Field.named($0) != nil }) else {
            throw GatewayError.invalid(field: "fields", problem: "field names of art. 5.1 and healthData")
        }
        if let question = input.question, question.isEmpty || question.utf8.count > 500 {
            throw GatewayError.invalid(field: "question", problem: "1–500 bytes, or absent")
        }
        guard !input.evidence.isEmpty, input.evidence.utf8.count <= 200 else {
            throw GatewayError.invalid(field: "evidence", problem: "a reference to the written consent, 1–200 bytes (art. 6.1 sub c)")
        }
        let record = ConsentRecord(id: UUID().uuidString.lowercased(), caseID: caseID, holder: principal.party, givenBy: input.givenBy,
                                   recipients: input.recipients, fields: input.fields, question: input.question, evidence: input.evidence,
                                   recordedBy: principal.delegateID, recordedAt: time)
        try await store.add(consent: record)
        return ConsentView(record)
    }

    /// The consents of a case, revoked ones included (the history).
    public func consents(caseID: String, by principal: Principal, trace: TraceContext) async throws -> [ConsentView] {
        _ = try await caseForCaseworker(caseID, principal, trace: trace)
        return try await store.consents(caseID: caseID).map(ConsentView.init)
    }

    /// Art. 6.1 sub d and 11.5: revocation stops further disclosures at once, and every party
    /// that received data on this consent is told — a notice in its mailbox, and an entry on
    /// the register for each. Disclosures before the revocation stay lawful (fn 26).
    public func revokeConsent(_ id: String, by principal: Principal, trace: TraceContext) async throws -> Revocation {
        guard let consent = try await store.consent(id) else { throw GatewayError.notFound("consent \(id)") }
        let record = try await caseForCaseworker(consent.caseID, principal, trace: trace)
        guard consent.holder == principal.party else {
            await access.denied(principal, "revoke consent \(id): held by another party", trace: trace)
            throw GatewayError.forbidden("only the party that obtained the consent records its revocation", article: "convenant art. 6.1 sub d")
        }
        guard try await store.revoke(consent: id, by: principal.delegateID, at: time) else {
            throw GatewayError.conflict("the consent was revoked already")
        }
        let recipients = try await store.recipients(ofConsent: id)
        let subject = try pseudonyms.pseudonym(of: record.pupilKey, for: Pseudonymizer.registerRecipient)
        let activity = activity(ProcessingActivities.disclosureID(.direct))
        for recipient in recipients {
            _ = try await registerEntry(RegisterEntry(
                time: time, traceID: trace.traceID, spanID: trace.spanID, activity: activity.id, activityVersion: activity.version,
                operation: "consent-revoked-notice", sender: principal.party, actor: principal.delegateID, recipient: recipient,
                forum: Forum.direct.rawValue, decision: "none", basis: ["convenant art. 11.5; art. 6.1 sub d"], consentReference: id,
                policyHash: policyHash, subject: subject))
            try await store.add(notice: NoticeRecord(id: UUID().uuidString.lowercased(), party: recipient, caseID: consent.caseID,
                                                     kind: "consent-revoked", consentID: id, created: time))
        }
        var revoked = ConsentView(consent)
        revoked.revokedAt = try await store.consent(id)?.revokedAt
        return Revocation(consent: revoked, notified: recipients)
    }
}
