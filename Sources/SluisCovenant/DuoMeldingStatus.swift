/// What the leerplichtambtenaar did with a DUO melding, as the school sees it: received when the
/// school records it, in behandeling once the investigation starts (protocol 5.5.2: "De
/// leerplichtambtenaar start een onderzoek na ontvangst van de DUO melding"), afgesloten with the
/// afdoening (5.5.2–5.5.4: a letter, cc to the school). Forward only: an afgedane melding is
/// not reopened — continuing absence is a new melding with a number of its own (5.5.2 "bij een
/// vervolg verzuimsituatie"), and what the school was told stays what it was told.
public enum DuoMeldingStatus: String, CaseIterable, Sendable, Hashable, Comparable {
    case received
    case inBehandeling = "in-behandeling"
    case afgesloten

    /// The order of the steps: a status only moves to a later one.
    public var rank: Int {
        switch self {
        case .received: 0
        case .inBehandeling: 1
        case .afgesloten: 2
        }
    }

    /// The statuses a melding may move to this one from.
    public var predecessors: [DuoMeldingStatus] { Self.allCases.filter { $0 < self } }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }

    public static let article = "verzuimprotocol 5.5.2–5.5.4 (onderzoek en afdoening door de leerplichtambtenaar, cc naar de school)"
}
