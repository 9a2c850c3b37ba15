/// The kinds of organisation the decision contract knows (`../shared/contract/decision.md`).
/// Which kinds are parties, and under which article, is policy data (`Policies/parties.yaml`).
public enum PartyKind: String, CaseIterable, Sendable, Hashable, Codable {
    case gemeente
    case swv
    case schoolbestuur
    case jgz
    case jeugdhulpaanbieder
    case derde

    var bit: UInt8 {
        switch self {
        case .gemeente: 1
        case .swv: 2
        case .schoolbestuur: 4
        case .jgz: 8
        case .jeugdhulpaanbieder: 16
        case .derde: 32
        }
    }
}

/// A role within a party kind. Only the gemeente has roles: the leerplichtambtenaar
/// (art. 1.17, the default) and Team Jeugd en Gezin.
public enum PartyRole: String, CaseIterable, Sendable, Hashable, Codable {
    case leerplicht
    case jeugdEnGezin = "jeugd-en-gezin"
}

/// A small set of party kinds, as a bit mask so that the engine tests membership without
/// allocating.
public struct PartyKindSet: Sendable, Hashable {
    var mask: UInt8 = 0
    public init() {}
    public init(_ kinds: some Sequence<PartyKind>) { for kind in kinds { insert(kind) } }
    public mutating func insert(_ kind: PartyKind) { mask |= kind.bit }
    public func contains(_ kind: PartyKind) -> Bool { mask & kind.bit != 0 }
    public var kinds: [PartyKind] { PartyKind.allCases.filter(contains) }
}
