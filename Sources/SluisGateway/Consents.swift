import Foundation
public import SluisCovenant
import SluisCrypto
public import SluisRegister
import SluisStore

/// One giver's answer as the holder records it (art. 6.1 sub b–c; fn 28; ch. 10).
public struct GiverAnswerInput: Sendable, Codable {
    /// `parent`, `other-parent`, `legal-representative` or `pupil`.
    public var giver: String
    /// `given` or `refused`.
    public var answer: String
    /// The day the giver answered (YYYY-MM-DD): not in the future, not before the pupil was born.
    public var answeredOn: String
    /// A reference to the written evidence (the signed form, or the note of a refusal), 1–200
    /// bytes, no control or format characters — a reference, not the document.
    public var evidence: String

    enum CodingKeys: String, CodingKey, CaseIterable { case giver, answer, answeredOn, evidence }

    public init(giver: String, answer: String, answeredOn: String, evidence: String) {
        (self.giver, self.answer, self.answeredOn, self.evidence) = (giver, answer, answeredOn, evidence)
    }
}

extension GiverAnswerInput: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self)
}

/// A consent as the party that obtained it records it: its scope and the givers' answers so
/// far (0–4, each giver once; more can be added later, `POST /v1/consents/{id}/answers`).
public struct NewConsent: Sendable, Codable {
    /// Party kinds it allows disclosure to.
    public var recipients: [String]
    public var fields: [String]
    /// The id of a SOT question of this case it is bound to (Bijlage 3.2 sub 4), or none.
    public var sotQuestion: String?
    /// The last day it holds, where the giver set one (YYYY-MM-DD, today or later).
    public var endsOn: String?
    public var givers: [GiverAnswerInput]

    enum CodingKeys: String, CodingKey, CaseIterable { case recipients, fields, sotQuestion, endsOn, givers }

    public init(recipients: [String], fields: [String], sotQuestion: String?, endsOn: String?, givers: [GiverAnswerInput]) {
        (self.recipients, self.fields, self.sotQuestion, self.endsOn, self.givers) = (recipients, fields, sotQuestion, endsOn, givers)
    }
}

extension NewConsent: StrictJSONDecodable {
    public static let jsonShape = JSONShape.object(CodingKeys.self, nested: ["givers": .list(GiverAnswerInput.jsonShape)])
}

extension Gateway {
    /// A reference as it enters (evidence): 1–200 bytes with no control or format characters,
    /// which could hide or reorder what a reader sees.
    static func isReference(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 200
            && !text.unicodeScalars.contains { [.control, .format, .surrogate, .privateUse, .unassigned].contains($0.properties.generalCategory) }
    }

    /// Validates one answer; `path` names it in an error (`givers[1].answeredOn`; empty: `answeredOn`).
    func validate(_ input: GiverAnswerInput, birthDate: CalendarDate, path: String = "") throws -> (ConsentAnswerer, ConsentAnswer) {
        let path = path.isEmpty ? "" : path + "."
        guard let giver = ConsentAnswerer(rawValue: input.giver) else {
            throw GatewayError.invalid(field: "\(path)giver", problem: "one of \(ConsentAnswerer.allCases.map(\.rawValue).joined(separator: ", ")) (fn 28)")
        }
        guard let answer = ConsentAnswer(rawValue: input.answer) else {
            throw GatewayError.invalid(field: "\(path)answer", problem: "given or refused")
        }
        guard let day = CalendarDate(input.answeredOn), day <= today, birthDate <= day else {
            throw GatewayError.invalid(field: "\(path)answeredOn", problem: "a day as YYYY-MM-DD: not in the future, not before the pupil was born")
        }
        guard Self.isReference(input.evidence) else {
            throw GatewayError.invalid(field: "\(path)evidence",
                                       problem: "a reference to the written evidence, 1–200 bytes, no control or format characters (art. 6.1 sub c)")
        }
        return (giver, answer)
    }

    /// Art. 6.1 sub c: the party that obtained a consent records it in writing; it holds it.
    /// Each giver's answer is recorded on its own, with its evidence (fn 28, ch. 10).
    public func recordConsent(caseRef: String, _ input: NewConsent, by principal: Principal, trace: TraceContext) async throws -> ConsentView {
        let access = try await caseAccess(caseRef, .recordConsent, principal, trace: trace)
        guard !input.recipients.isEmpty, input.recipients.allSatisfy({ PartyKind(rawValue: $0) != nil && $0 != PartyKind.derde.rawValue }),
              Set(input.recipients).count == input.recipients.count else {
            throw GatewayError.invalid(field: "recipients", problem: "party kinds of the covenant (gemeente, swv, schoolbestuur, jgz, jeugdhulpaanbieder), each once")
        }
        guard !input.fields.isEmpty, input.fields.allSatisfy({ Field.named($0) != nil && $0 != Field.conversationHeld.rawValue }),
              Set(input.fields).count == input.fields.count else {
            throw GatewayError.invalid(field: "fields", problem: "field names of art. 5.1 and healthData, each once")
        }
        if let question = input.sotQuestion {
            guard try await store.sotQuestion(question)?.caseID == access.record.id else {
                throw GatewayError.invalid(field: "sotQuestion", problem: "the id of a SOT question of this case (Bijlage 3.2 sub 4)")
            }
        }
        if let endsOn = input.endsOn {
            guard let day = CalendarDate(endsOn), today <= day else {
                throw GatewayError.invalid(field: "endsOn", problem: "the last day the consent holds, as YYYY-MM-DD, today or later")
            }
        }
        guard input.givers.count <= ConsentAnswerer.allCases.count, Set(input.givers.map(\.giver)).count == input.givers.count else {
            throw GatewayError.invalid(field: "givers", problem: "at most one answer per giver (parent, other-parent, legal-representative, pupil)")
        }
        let birthDate = try birthDay(access.record)
        let id = UUID().uuidString.lowercased(), recordedAt = time
        var answers: [ConsentAnswerRecord] = []
        for (index, giver) in input.givers.enumerated() {
            let (who, answer) = try validate(giver, birthDate: birthDate, path: "givers[\(index)]")
            answers.append(ConsentAnswerRecord(consentID: id, giver: who, answer: answer, answeredOn: giver.answeredOn,
                                               evidence: try sealEvidence(giver.evidence, consent: id, giver: who), recordedBy: principal.delegateID,
                                               recordedAt: recordedAt))
        }
        // Each name was checked above: the typed lists hold all of them.
        let record = ConsentRecord(id: id, caseID: access.record.id, holder: principal.unit, recipients: input.recipients.compactMap(PartyKind.init(rawValue:)),
                                   fields: input.fields.compactMap(Field.named), question: input.sotQuestion, endsOn: input.endsOn, answers: answers, recordedBy: principal.delegateID,
                                   recordedAt: recordedAt)
        try await store.add(consent: record)
        try await audited(principal, .recordConsent, caseID: access.record.id, "consent \(id)", trace: trace)
        return try await consentView(record, caseRef: caseRef, birthDate: birthDate)
    }

    /// One more giver's answer to a consent the party holds (fn 28: e.g. the pupil's, once
    /// 12; the other parent's). A giver answers once: a changed mind is a revocation, or a new
    /// consent. A revoked or lapsed consent takes no answers (409).
    public func recordAnswer(consent id: String, _ input: GiverAnswerInput, by principal: Principal, trace: TraceContext) async throws -> ConsentView {
        let (consent, access) = try await heldConsent(id, .recordConsentAnswer, by: principal, trace: trace)
        let birthDate = try birthDay(access.record)
        let (giver, answer) = try validate(input, birthDate: birthDate)
        guard consent.revokedAt == nil else { throw GatewayError.conflict(.consentRevokedAlready, "the consent was revoked (art. 6.1 sub d); record a new one") }
        if let endsOn = consent.endsOn, Self.recorded(consent).isLapsed(on: today) {
            throw GatewayError.conflict(.consentLapsed, "the consent lapsed after \(endsOn); record a new one")
        }
        guard !consent.answers.contains(where: { $0.giver == giver }) else {
            throw GatewayError.conflict(.giverAnsweredAlready, "this giver answered already; a changed mind is a revocation or a new consent (art. 6.1 sub d)")
        }
        guard try await store.addAnswer(ConsentAnswerRecord(consentID: id, giver: giver, answer: answer, answeredOn: input.answeredOn,
                                                            evidence: try sealEvidence(input.evidence, consent: id, giver: giver),
                                                            recordedBy: principal.delegateID, recordedAt: time)) else {
            throw GatewayError.conflict(.consentChanged, "the consent changed meanwhile (revoked, or this giver answered); nothing was recorded")
        }
        try await audited(principal, .recordConsentAnswer, caseID: access.record.id, "consent \(id): \(giver.rawValue) \(answer.rawValue)", trace: trace)
        guard let updated = try await store.consent(id) else { throw GatewayError.notFound(.consentNotFound, "consent") }
        return try await consentView(updated, caseRef: access.ref, birthDate: birthDate)
    }

    /// The consents this party holds for a case, revoked and lapsed ones included (the history),
    /// each with its state today.
    public func consents(caseRef: String, by principal: Principal, trace: TraceContext) async throws -> [ConsentView] {
        let access = try await caseAccess(caseRef, .listConsents, principal, trace: trace)
        let held = try await store.consents(caseID: access.record.id).filter { $0.holder == principal.unit }
        guard !held.isEmpty else { return [] }
        let birthDate = try birthDay(access.record)
        var views: [ConsentView] = []
        for consent in held { views.append(try await consentView(consent, caseRef: caseRef, birthDate: birthDate)) }
        return views
    }

    /// One consent the party holds, with revocation reach (art. 11.5).
    public func consent(_ id: String, by principal: Principal, trace: TraceContext) async throws -> ConsentView {
        let (consent, access) = try await heldConsent(id, .viewConsent, by: principal, trace: trace)
        return try await consentView(consent, caseRef: access.ref, birthDate: try birthDay(access.record))
    }

    /// A consent by id for an action of its holder: 404 for a party outside its case (no
    /// existence oracle), 403 for a participant that does not hold it.
    func heldConsent(_ id: String, _ action: GatewayAction, by principal: Principal, trace: TraceContext) async throws -> (ConsentRecord, CaseAccess) {
        try await authorizeRole(action, principal, subject: "consent", trace: trace)
        guard let consent = try await store.consent(id) else {
            await access.denied(principal, "\(action.rawValue) \(Self.auditable("consent \(id)")): unknown", trace: trace)
            throw GatewayError.notFound(.consentNotFound, "consent")
        }
        let access = try await caseAccess(internal: consent.caseID, action, principal, subject: "consent", trace: trace,
                                          extra: consent.holder == principal.unit ? [.holder] : [])
        return (consent, access)
    }

    // MARK: The written evidence at rest (art. 6.1 sub c; AVG art. 32)

    /// How sealed evidence begins; text without it was stored before evidence was sealed.
    static let sealedEvidencePrefix = "aes256gcm:"

    /// The reference to the written evidence, sealed with the data key and bound to its consent
    /// and giver: it is typed by a person and may name one ("toestemming moeder per mail").
    func sealEvidence(_ text: String, consent id: String, giver: ConsentAnswerer) throws -> String {
        Self.sealedEvidencePrefix + (try vault.seal(Array(text.utf8), context: "consent-evidence:\(id):\(giver.rawValue)"))
    }

    /// The evidence as its holder typed it. Errors: `unavailable(.storedDataDamaged)` when it
    /// is not sealed or does not open.
    func openEvidence(_ answer: ConsentAnswerRecord) throws -> String {
        guard answer.evidence.hasPrefix(Self.sealedEvidencePrefix) else {
            throw GatewayError.unavailable(.storedDataDamaged, "a consent's evidence is stored unsealed")
        }
        let sealed = String(answer.evidence.dropFirst(Self.sealedEvidencePrefix.count))
        return try vault.open(sealed, context: "consent-evidence:\(answer.consentID):\(answer.giver.rawValue)")
            .withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Seals evidence stored before it was sealed (migration 8 copied it in plain text): run when
    /// the gateway starts; each row is replaced only if it still holds the text read, so two
    /// instances starting at once seal it once. Returns how many were sealed.
    @discardableResult
    public func sealStoredEvidence() async throws -> Int {
        var sealed = 0
        for answer in try await store.unsealedEvidence(prefix: Self.sealedEvidencePrefix) {
            let cipher = try sealEvidence(answer.evidence, consent: answer.consentID, giver: answer.giver)
            if try await store.replaceEvidence(of: answer, with: cipher) { sealed += 1 }
        }
        return sealed
    }
}
