/// Where a disclosure happens (contract `forum`): the case meetings of Bijlage 3, the
/// school's DUO report (Leerplichtwet art. 21a) and direct follow-up (art. 5.6).
public enum Forum: String, CaseIterable, Sendable, Hashable, Codable {
    case verzuimoverleg
    case sot
    case thuiszitterstafel
    case casusoverleg
    case duoMelding = "duo-melding"
    case direct
}

/// The case's status (art. 5.5): a closed case discloses nothing.
public enum CaseStatus: String, CaseIterable, Sendable, Hashable, Codable {
    case open, closed
}
