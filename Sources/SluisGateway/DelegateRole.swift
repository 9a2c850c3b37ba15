public import SluisCovenant

/// The roles of delegates (persons or systems acting for a party). Which party kinds may hold
/// a role follows the covenant's forums (Bijlage 3); FG and beheerder exist at every party.
public enum DelegateRole: String, CaseIterable, Sendable, Codable {
    case leerplichtambtenaar
    /// The gemeente's jeugd-en-gezin consulent (Jeugdwet 2.3): the gemeente in the SOT and
    /// the casusoverleg for youth care, not for leerplicht (art. 7.3: separate mailboxes).
    case consulentJeugdEnGezin = "consulent-jeugd-en-gezin"
    case zorgcoordinator = "zorgcoördinator"
    case swvSecretaris = "swv-secretaris"
    case jeugdverpleegkundige
    case jeugdarts
    case jeugdhulpverlener
    case fg
    case beheerder

    /// The party kinds whose delegates may hold this role.
    public var partyKinds: Set<PartyKind> {
        switch self {
        case .leerplichtambtenaar, .consulentJeugdEnGezin: [.gemeente]
        case .zorgcoordinator: [.schoolbestuur]
        case .swvSecretaris: [.swv]
        case .jeugdverpleegkundige, .jeugdarts: [.jgz]
        case .jeugdhulpverlener: [.jeugdhulpaanbieder]
        case .fg, .beheerder: Set(PartyKind.allCases.filter { $0 != .derde })
        }
    }

    /// Roles that work on cases: see the cases of their party, disclose, record consents.
    /// The FG sees the register, not case contents; the beheerder manages delegates (art. 7.3).
    public var worksOnCases: Bool { self != .fg && self != .beheerder }

    /// The role of the party this delegate acts in: at a gemeente, leerplicht or jeugd-en-gezin;
    /// nil elsewhere (the other parties have one role in the covenant).
    public func partyRole(kind: PartyKind) -> PartyRole? {
        kind == .gemeente ? (self == .leerplichtambtenaar ? .leerplicht : .jeugdEnGezin) : nil
    }

    /// How the decision engine sees a sender of this role.
    public func partyRef(kind: PartyKind, joined: Bool) -> PartyRef {
        PartyRef(kind: kind, role: partyRole(kind: kind), joined: joined)
    }
}

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
