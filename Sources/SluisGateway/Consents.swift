import Foundation
public import SluisCovenant
import SluisCrypto
public import SluisRegister
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

    enum CodingKeys: String, CodingKey, CaseIterable { case givenBy, recipients, fields, question, evidence }
}

extension NewConsent: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self)
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

    /// `caseRef`: the viewing party's own reference for the case.
    init(_ record: ConsentRecord, caseRef: String) {
        id = record.id
        caseId = caseRef
        holder = record.holder
        givenBy = record.givenBy.map(\.rawValue)
        recipients = record.recipients.map(\.rawValue)
        fields = record.fields.map(\.rawValue)
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

/// The parties a revocation reached, filled in inside the revocation's commit.
final class RevocationRecipients: @unchecked Sendable {
    private let lock = NSLock()
    private var value: [(party: String, role: PartyRole?)] = []
    func set(_ recipients: [(party: String, role: PartyRole?)]) { lock.lock(); value = recipients; lock.unlock() }
    var recipients: [(party: String, role: PartyRole?)] { lock.lock(); defer { lock.unlock() }; return value }
}

extension Gateway {
    /// Art. 6.1 sub c: the party that obtained a consent records it in writing; it holds it.
    public func recordConsent(caseRef: String, _ input: NewConsent, by principal: Principal, trace: TraceContext) async throws -> ConsentView {
        let access = try await caseAccess(caseRef, .recordConsent, principal, trace: trace)
        guard !input.givenBy.isEmpty, input.givenBy.allSatisfy({ ConsentGiver(rawValue: $0) != nil }), Set(input.givenBy).count == input.givenBy.count else {
            throw GatewayError.invalid(field: "givenBy", problem: "one or both of pupil, parent")
        }
        guard !input.recipients.isEmpty, input.recipients.allSatisfy({ PartyKind(rawValue: $0) != nil && $0 != PartyKind.derde.rawValue }),
              Set(input.recipients).count == input.recipients.count else {
            throw GatewayError.invalid(field: "recipients", problem: "party kinds of the covenant (gemeente, swv, schoolbestuur, jgz, jeugdhulpaanbieder), each once")
        }
        guard !input.fields.isEmpty, input.fields.count <= Field.allCases.count, input.fields.allSatisfy({ Field.named($0) != nil }),
              Set(input.fields).count == input.fields.count else {
            throw GatewayError.invalid(field: "fields", problem: "field names of art. 5.1 and healthData, each once")
        }
        if let question = input.question, question.isEmpty || question.utf8.count > 500 {
            throw GatewayError.invalid(field: "question", problem: "1–500 bytes, or absent")
        }
        guard !input.evidence.isEmpty, input.evidence.utf8.count <= 200 else {
            throw GatewayError.invalid(field: "evidence", problem: "a reference to the written consent, 1–200 bytes (art. 6.1 sub c)")
        }
        // Each name was checked above: the typed lists hold all of them.
        let record = ConsentRecord(id: UUID().uuidString.lowercased(), caseID: access.record.id, holder: principal.unit,
                                   givenBy: input.givenBy.compactMap(ConsentGiver.init(rawValue:)),
                                   recipients: input.recipients.compactMap(PartyKind.init(rawValue:)), fields: input.fields.compactMap(Field.named),
                                   question: input.question, evidence: input.evidence,
                                   recordedBy: principal.delegateID, recordedAt: time)
        try await store.add(consent: record)
        try await audited(principal, .recordConsent, caseID: access.record.id, "consent \(record.id)", trace: trace)
        return ConsentView(record, caseRef: caseRef)
    }

    /// The consents this party holds for a case, revoked ones included (the history).
    public func consents(caseRef: String, by principal: Principal, trace: TraceContext) async throws -> [ConsentView] {
        let access = try await caseAccess(caseRef, .listConsents, principal, trace: trace)
        return try await store.consents(caseID: access.record.id).filter { $0.holder == principal.unit }.map { ConsentView($0, caseRef: caseRef) }
    }

    /// Art. 6.1 sub d and 11.5: revocation stops further disclosures at once, and every party
    /// that received data on this consent is told — a notice in its mailbox, and an entry on
    /// the register for each. Disclosures before the revocation stay lawful (fn 26). The
    /// revocation, the look-up of who received data on it and their notices commit in one
    /// register transaction, serialized with every disclosure's: a disclosure racing it either
    /// committed first (and its recipient is notified here) or is decided again and refused.
    public func revokeConsent(_ id: String, by principal: Principal, trace: TraceContext) async throws -> Revocation {
        try await authorizeRole(.revokeConsent, principal, subject: "consent", trace: trace)
        guard let consent = try await store.consent(id) else {
            await access.denied(principal, "revoke-consent consent \(id): unknown", trace: trace)
            throw GatewayError.notFound(.consentNotFound, "consent")
        }
        let access = try await caseAccess(internal: consent.caseID, .revokeConsent, principal, subject: "consent", trace: trace,
                                          extra: consent.holder == principal.unit ? [.holder] : [])
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
        var revoked = ConsentView(consent, caseRef: access.ref)
        revoked.revokedAt = revokedAt
        return Revocation(consent: revoked, notified: Array(Set(reached.recipients.map(\.party))).sorted())
    }
}
