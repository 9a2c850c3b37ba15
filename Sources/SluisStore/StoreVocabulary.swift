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

/// What a notice in a party's mailbox tells: a consent was revoked (art. 11.5).
public enum NoticeKind: String, CaseIterable, Sendable, Codable {
    case consentRevoked = "consent-revoked"
}

/// How the pupil/parents were informed (art. 12.1).
public enum InformingMethod: String, CaseIterable, Sendable, Codable {
    case brief, gesprek, telefoon
    case email = "e-mail"
    case ouderportaal
}
