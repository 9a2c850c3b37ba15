/// What a pupil or parent asks of the case meeting's convener (convenant art. 13.1; AVG art.
/// 15–21). The raw values are the covenant's Dutch words, as on the register.
public enum RightsRequestKind: String, CaseIterable, Sendable, Codable {
    /// Art. 13.1 sub a; AVG art. 15.
    case inzage
    /// Art. 13.1 sub b, art. 8.1; AVG art. 16.
    case rectificatie
    /// Art. 13.1 sub b; AVG art. 18.
    case beperking
    /// Art. 13.1 sub b; AVG art. 21.
    case bezwaar
    /// Art. 13.1 sub c, art. 9; AVG art. 17.
    case wissing
    /// Art. 13.1 sub d, fn 30; AVG art. 20.
    case overdraagbaarheid

    /// The article of the covenant and of the AVG the request rests on, as cited on the register.
    public var article: String {
        switch self {
        case .inzage: "convenant art. 13.1 sub a; AVG art. 15"
        case .rectificatie: "convenant art. 13.1 sub b, art. 8.1; AVG art. 16, 19"
        case .beperking: "convenant art. 13.1 sub b; AVG art. 18, 19"
        case .bezwaar: "convenant art. 13.1 sub b; AVG art. 21, 18 lid 1 sub d"
        case .wissing: "convenant art. 13.1 sub c, art. 9; AVG art. 17, 19"
        case .overdraagbaarheid: "convenant art. 13.1 sub d (fn 30); AVG art. 20"
        }
    }
}

/// Who asked (fn 28 at art. 13.1): the pupil, or a parent or other legal representative (art.
/// 1.4; art. 12.5: "de ouders als wettelijk vertegenwoordiger"). Never a name: the requester's
/// name and contact are sealed at rest apart from this.
public enum RightsRequester: String, CaseIterable, Sendable, Codable {
    case pupil
    case parent
    case legalRepresentative = "legal-representative"

    /// A parent is the legal representative of fn 28 (art. 12.5); a guardian is one too.
    public var representsThePupil: Bool { self != .pupil }
}

/// How the convener checked who asked (AVG art. 12 lid 6: reasonable doubt → ask for more):
/// a short fixed list, so the record carries no free text in clear; a note goes sealed.
public enum IdentityCheck: String, CaseIterable, Sendable, Codable {
    /// An identity document shown in person (Wet op de identificatieplicht art. 1).
    case legitimatiebewijs
    /// Logged in with DigiD to a party's portal.
    case digid
    /// Known in person to the convener from the case (a participant of the casusoverleg, art. 12.5).
    case persoonlijkBekend = "persoonlijk-bekend"
    /// Called back on a number the party had on file before the request.
    case terugbelverificatie
}

/// Where a request stands (AVG art. 12 lid 3–4): open → extended → granted, refused or partly
/// granted → delivered.
public enum RightsRequestStatus: String, CaseIterable, Sendable, Codable {
    case open, extended, granted, refused
    case partlyGranted = "partly-granted"
    case delivered

    /// Decided or delivered: no deadline runs any more.
    public var isDecided: Bool { ![.open, .extended].contains(self) }
}
