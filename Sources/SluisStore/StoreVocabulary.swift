/// The closed vocabularies of the gateway's own tables. A column that holds one is read as its
/// enum, so a value outside it is `StoreError.unreadable` naming the table and column — never
/// a silent default. The covenant's vocabularies (`PartyKind`, `PartyRole`, `CaseStatus`,
/// `Field`, `ConsentGiver`, `Forum`, `DelegateRole`) live in SluisCovenant; phases, case types,
/// closure reasons and purposes are policy data (`Policies/`), checked when written.

/// A party's standing (art. 18): a jeugdhulpaanbieder is `proposed` until its accession completes.
public enum PartyStatus: String, CaseIterable, Sendable, Codable {
    case active, proposed
}

/// An accession (art. 18, Bijlage 1): `proposed`, then `active` once the signed form is recorded.
public enum AccessionStatus: String, CaseIterable, Sendable, Codable {
    case proposed, active
}

/// A bearer token: a person's `session` (password and TOTP) or a `system` token (art. 10.2).
public enum SessionKind: String, CaseIterable, Sendable, Codable {
    case session, system
}

/// What a notice in a party's mailbox tells: to a recipient, a consent was revoked (art. 11.5);
/// to a consent's holder, it needs renewal since a birthday (fn 28) or its end date is near.
public enum NoticeKind: String, CaseIterable, Sendable, Codable {
    case consentRevoked = "consent-revoked"
    case consentNeedsRenewal = "consent-needs-renewal"
    case consentEndsSoon = "consent-ends-soon"
    /// A rights request past its AVG art. 12 lid 3 deadline, to its handler (once per request).
    case rightsRequestOverdue = "rights-request-overdue"
    /// The case is restricted (AVG art. 18, 19): no further disclosure until lifted.
    case caseRestricted = "case-restricted"
    case caseRestrictionLifted = "case-restriction-lifted"
    /// A field the recipient received was corrected at its source (convenant art. 8.1; AVG art. 16, 19).
    case dataRectified = "data-rectified"
}

/// How the pupil/parents were informed (art. 12.1).
public enum InformingMethod: String, CaseIterable, Sendable, Codable {
    case brief, gesprek, telefoon
    case email = "e-mail"
    case ouderportaal
}
