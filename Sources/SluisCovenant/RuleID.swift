/// The rules the engine applies. Their meaning is code (docs/decision-engine.md); their article
/// and Dutch reason are policy data (`Policies/rules.yaml`), which must name every one of them.
public enum RuleID: String, CaseIterable, Sendable, Hashable {
    // Request-level: any of these blocks the whole disclosure.
    case senderNotAParty = "sender-not-a-party"
    case accessionIncomplete = "accession-incomplete"
    case thirdPartyRecipient = "third-party-recipient"
    case purposeNotInCovenant = "purpose-not-in-covenant"
    case phaseNotInCovenant = "phase-not-in-covenant"
    case purposeNotForPhase = "purpose-not-for-phase"
    case pupilOutOfScope = "pupil-out-of-scope"
    case caseClosed = "case-closed"
    case notInformed = "not-informed"
    case forumNotParticipant = "forum-not-participant"
    case sotQuestionMissing = "sot-question-missing"
    case noLegalBasis = "no-legal-basis"
    case noFieldsRequested = "no-fields-requested"
    // Field-level: each withholds one field.
    case fieldNotInCovenant = "field-not-in-covenant"
    case fieldNotForForum = "field-not-for-forum"
    case bsnNotToSwv = "bsn-not-to-swv"
    case swvHealthOnlyToSchool = "swv-health-only-to-school"
    case specialCategoryNeedsConsent = "special-category-needs-consent"
    case consentRequired = "consent-required"
    case consentRevoked = "consent-revoked"
    case consentWrongGiver = "consent-wrong-giver"
    case sotQuestionConsent = "sot-question-consent"
    case leerplichtBeforeDuo = "leerplicht-before-duo"
    case verzuimoverlegAnonymous = "verzuimoverleg-anonymous"
    case thuiszitterstafelCaseTypeUnknown = "thuiszitterstafel-case-type-unknown"
    case thuiszitterstafelNeedsConsent = "thuiszitterstafel-needs-consent"
    case thuiszitterstafelNeedsDuo = "thuiszitterstafel-needs-duo"
    case thuiszitterstafelNeedsDuoOrConsent = "thuiszitterstafel-needs-duo-or-consent"

    /// Position in `allCases`: a payload-free enum is stored as its case number, so this is
    /// a load, not a search (checked by a test against `allCases`).
    var index: Int { Int(unsafeBitCast(self, to: UInt8.self)) }
}
