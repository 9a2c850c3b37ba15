import Foundation
import SluisCovenant
import SluisRegister

/// Everything Sluis holds about one pupil, and every register entry about them, as the inzage
/// report shows it (convenant art. 13.1 sub a; fn 27: "wie welke informatie over het kind deelt
/// en registreert"). Plain values in Dutch words, ready for the template (`InzageHTML`); made by
/// `Gateway.inzageReport`, never stored. Holds one case's data only: every list is read by that
/// case's id, the register's entries by that pupil's pseudonyms.
struct InzageReport: Sendable {
    struct Row: Sendable { var cells: [String: String] }
    struct Consent: Sendable {
        var holder: String, fields: String, recipients: String, question: String?, endsOn: String?, recordedAt: String
        var revokedAt: String?
        var answers: [Row]
    }

    /// When made (RFC 3339 UTC) and by which party (the regisseur), with its own case reference.
    var madeAt: String, madeBy: String, caseReference: String
    /// The pupil's register pseudonyms: the key the register knows the pupil by.
    var pseudonyms: [String]
    var identity: [Row]
    var caseState: [Row]
    var facts: [Row]
    var informing: [Row]
    var consents: [Consent]
    var meldingen: [Row]
    var sotQuestions: [Row]
    var tafel: [Row]
    /// Disclosures and refusals: who shared (or did not share) what with whom.
    var disclosures: [Row]
    /// Every register entry about the pupil, oldest first (the disclosures among them).
    var entries: [Row]
    /// The register indexes of `entries`, for the tests' and the bench's comparison.
    var entryIndexes: [Int64]
}

/// The register's words in plain Dutch (convenant art. 13.1 sub a; fn 27).
enum InzageWords {
    static let operations: [String: String] = [
        "disclose": "gegevens verstrekt",
        "refuse": "verstrekking geweigerd: niets verstrekt",
        "question": "vraag zonder verstrekking (proef)",
        "inspect": "register ingezien",
        "fetch": "verstrekte gegevens opgehaald door de ontvanger",
        "acknowledge": "ontvangst bevestigd door de ontvanger",
        "consent-revoked": "toestemming ingetrokken",
        "consent-revoked-notice": "ontvanger bericht over de ingetrokken toestemming",
        "sot-question": "vraag aan het schoolondersteuningsteam (SOT)",
        "sot-note": "aantekening van het SOT",
        "sot-notes-read": "aantekeningen van het SOT gelezen",
        "re-identify": "besluit of de leerplichtambtenaar na de DUO-melding de identiteit ziet",
        "read-justification": "schriftelijke verantwoording gelezen door de FG",
        "destroy": "gegevens vernietigd na de bewaartermijn",
        "link": "eerder anoniem verzuimoverleg gekoppeld aan de casus",
        "preview": "voorbeeld van de agenda bekeken",
        "inzage": "inzageoverzicht gemaakt",
        "subject-query": "register over de leerling geraadpleegd",
        "rights-request-received": "verzoek van leerling of ouder ontvangen (artikel 13)",
        "rights-request-extended": "termijn voor het antwoord op het verzoek verlengd",
        "rights-request-granted": "verzoek toegewezen",
        "rights-request-partly-granted": "verzoek deels toegewezen",
        "rights-request-refused": "verzoek afgewezen, met de reden",
        "rights-request-delivered": "antwoord op het verzoek gegeven",
        "data-rectified": "gegeven verbeterd",
        "rectification-notice": "ontvanger bericht over het verbeterde gegeven",
        "case-restricted": "verwerking beperkt",
        "case-restriction-lifted": "beperking van de verwerking opgeheven",
        "portability-export": "gegevens meegegeven (overdraagbaarheid)",
        "verzuimoverleg-koppelen": "eerder anoniem verzuimoverleg gekoppeld aan de casus",
    ]
    static let months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]
    static let kinds: [String: String] = [
        "gemeente": "gemeente", "swv": "samenwerkingsverband", "schoolbestuur": "school", "jgz": "jeugdgezondheidszorg (CJG)",
        "jeugdhulpaanbieder": "jeugdhulp", "derde": "derde",
    ]

    /// `2026-11-30` as "30 november 2026"; anything else as it is.
    static func day(_ text: String?) -> String? {
        guard let text, let date = CalendarDate(String(text.prefix(10))) else { return text }
        return "\(date.day) \(months[date.month - 1]) \(date.year)"
    }

    /// A register time (UTC) as a Dutch reader knows it: "30 november 2026 om 16:07" in Amsterdam.
    static func moment(_ text: String?) -> String? {
        guard let text, text.count > 10, let instant = Gateway.instant(text) else { return day(text) }
        let clock = CalendarDate.amsterdamClock(instant)
        return "\(day(clock.date.description) ?? clock.date.description) om \(String(format: "%02d:%02d", clock.hour, clock.minute))"
    }
    static let decisions = ["permit": "toegestaan", "deny": "geweigerd", "none": "—"]
    static let givers: [ConsentAnswerer: String] = [
        .parent: "ouder", .otherParent: "andere ouder", .legalRepresentative: "wettelijk vertegenwoordiger", .pupil: "leerling",
    ]
    static let answers: [ConsentAnswer: String] = [.given: "gegeven", .refused: "geweigerd"]

    static func operation(_ raw: String) -> String { operations[raw] ?? raw }
}
