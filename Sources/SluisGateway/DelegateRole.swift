public import SluisCovenant

/// An authenticated delegate.
public struct Principal: Sendable, Equatable {
    public let delegateID: String
    public let username: String
    public let party: String
    public let partyKind: PartyKind
    public let role: DelegateRole
    /// `session` for a person who logged in with password and TOTP, `system` for a bearer token.
    public let kind: String

    /// The party's role this delegate acts in (a gemeente: leerplicht or jeugd-en-gezin).
    public var partyRole: PartyRole? { role.partyRole(kind: partyKind) }

    /// Who takes part in a case and owns data in it: the party, and at a gemeente the party in
    /// one role (`gemeente-…/leerplicht`, `gemeente-…/jeugd-en-gezin`). The leerplichtambtenaar
    /// and the consulent jeugd en gezin keep separate case data, consents and informing
    /// (art. 7.3: only who needs it for the task; protocol 5.4: leerplicht's own processing).
    public var unit: String { CaseUnit.name(party: party, role: partyRole) }
}

/// Names for the units that take part in cases: a party id, or `party/role` at a gemeente.
public enum CaseUnit {
    public static func name(party: String, role: PartyRole?) -> String {
        role.map { "\(party)/\($0.rawValue)" } ?? party
    }

    /// The party id of a unit name.
    public static func party(of unit: String) -> String {
        unit.split(separator: "/", maxSplits: 1).first.map(String.init) ?? unit
    }
}
