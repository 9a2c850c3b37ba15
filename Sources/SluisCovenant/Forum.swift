/// Where a disclosure happens (contract `forum`): the case meetings of Bijlage 3, the
/// school's DUO report (Leerplichtwet art. 21a), direct follow-up (art. 5.6) and the CJG's
/// content-free feedback (verzuimprotocol 5.5.4).
public enum Forum: String, CaseIterable, Sendable, Hashable, Codable {
    case verzuimoverleg
    case sot
    case thuiszitterstafel
    case casusoverleg
    case duoMelding = "duo-melding"
    case direct
    /// The CJG telling the school board, without consent, only that a conversation took place
    /// (verzuimprotocol 5.5.4, procedure CJG sub 4; Bijlage 4). Sluis adds it to the contract.
    case cjgTerugkoppeling = "cjg-terugkoppeling"
}

/// The case's status (art. 5.5): a closed case discloses nothing.
public enum CaseStatus: String, CaseIterable, Sendable, Hashable, Codable {
    case open, closed
}
