/// What a school reported at DUO's verzuimloket: the closed list of the situations the
/// verzuimprotocol sends to DUO (hoofdstuk 4.1.2, 5.5 with its late-arrival table, 5.5.2–5.5.4 and
/// Bijlage 4 "Kaart DUO melding"). A kind is a category, never free text: the cause of the absence
/// in general words (convenant art. 5.1 sub d) and nothing more. docs/casework.md cites each.
public enum DuoMeldingKind: String, CaseIterable, Sendable, Hashable {
    /// 16 hours or more unauthorised absence within 4 consecutive weeks: the statutory melding
    /// of Lpw art. 21a within 5 working days — the melding convenant art. 4.3 names.
    case relatiefVerzuim = "relatief-verzuim"
    /// Less than 16 hours in 4 weeks where agreements had no effect: reported in DUO's category
    /// "overig verzuim", no statutory duty (protocol 5.5.2).
    case overigVerzuim = "overig-verzuim"
    /// Late arrival, from the 9th time in a school year (protocol 5.5, the late-arrival table:
    /// 9, 12 and more than 12 times "melden bij DUO"; Bijlage 4).
    case teLaat = "te-laat"
    /// Extra holiday or family visit without leave: always reported (protocol 4.1.2 sub 3, 5.5.3).
    case luxeVerzuim = "luxe-verzuim"
    /// Absence as a symptom of problems behind it; also absence that continues after the CJG
    /// found no obstacle, or when the CJG cannot analyse it (protocol 4.1.2 sub 4, 5.5.4 steps 4,
    /// 7, 8 and 10; Bijlage 4).
    case signaalverzuim
    /// Worrying sick leave where pupil and parents do not cooperate (protocol 5.5.4, the school's
    /// responsibility; Bijlage 4). Otherwise worrying sick leave goes to CJG and SOT, not DUO.
    case zorgwekkendZiekteverzuim = "zorgwekkend-ziekteverzuim"
    /// Enrolment and de-enrolment: absolute absence (protocol 4.1.2 sub 1, 5.1, 5.5.1; Bijlage 4).
    case absoluutVerzuim = "absoluut-verzuim"
    /// A pupil threatening to leave school early or to stay home: reported so that the pupil can
    /// be discussed by name at the thuiszitterstafel (Bijlage 4, last item).
    case dreigendThuiszitten = "dreigend-thuiszitten"

    /// Where the protocol sends this situation to DUO.
    public var article: String {
        switch self {
        case .relatiefVerzuim: "Leerplichtwet art. 21a; convenant art. 4.3; verzuimprotocol 4.1.2 sub 2, 5.5, 5.5.2; Bijlage 4"
        case .overigVerzuim: "verzuimprotocol 5.5 (tabel), 5.5.2 (categorie overig verzuim, geen wettelijke plicht)"
        case .teLaat: "verzuimprotocol 5.5 (tabel te laat komen: 9, 12 en meer dan 12 keer); Bijlage 4"
        case .luxeVerzuim: "verzuimprotocol 4.1.2 sub 3, 5.5, 5.5.3; Bijlage 4"
        case .signaalverzuim: "verzuimprotocol 4.1.2 sub 4, 5.5, 5.5.4 (stappen 4, 7, 8 en 10); Bijlage 4"
        case .zorgwekkendZiekteverzuim: "verzuimprotocol 5.5.4 (verantwoordelijkheid scholen); Bijlage 4"
        case .absoluutVerzuim: "verzuimprotocol 4.1.2 sub 1, 5.1, 5.5.1; Bijlage 4 (in- en uitschrijving)"
        case .dreigendThuiszitten: "Bijlage 4 (dreigend voortijdig schoolverlater of thuiszitter)"
        }
    }

    /// The absence signals (`../shared/contract/absence.md`) a melding of this kind answers: those
    /// whose action is this melding at DUO. Worrying sick leave is a referral to CJG and SOT with
    /// consent, not a DUO melding, so no melding answers it; te-laat-3 and -6 ask for a talk and
    /// a letter, not a melding.
    public var answers: [String] {
        switch self {
        case .relatiefVerzuim: ["relatief-verzuim"]
        case .teLaat: ["te-laat-9", "te-laat-12"]
        case .luxeVerzuim: ["luxe-verzuim"]
        case .overigVerzuim, .signaalverzuim, .zorgwekkendZiekteverzuim, .absoluutVerzuim, .dreigendThuiszitten: []
        }
    }
}
