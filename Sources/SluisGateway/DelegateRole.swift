import SluisCovenant

/// The roles of delegates (persons or systems acting for a party). Which party kinds may hold
/// a role follows the covenant's forums (Bijlage 3); FG and beheerder exist at every party.
public enum DelegateRole: String, CaseIterable, Sendable, Codable {
    case leerplichtambtenaar
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
        case .leerplichtambtenaar: [.gemeente]
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

    /// How the decision engine sees a sender of this role (the gemeente acts as leerplicht).
    public func partyRef(kind: PartyKind, joined: Bool) -> PartyRef {
        PartyRef(kind: kind, role: kind == .gemeente ? (self == .leerplichtambtenaar ? .leerplicht : .jeugdEnGezin) : nil, joined: joined)
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
}
