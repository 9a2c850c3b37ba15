/// The roles of delegates (persons or systems acting for a party). Which party kinds may hold
/// a role follows the covenant's forums (Bijlage 3); FG and beheerder exist at every party.
/// Here, below the store, so that `delegates.role` is read as this type (SluisStore).
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
