import Foundation
import SluisCovenant
import SluisGateway

/// Dutch words for the covenant's vocabulary on the pages: field names of art. 5.1, party
/// kinds, givers of fn 28, consent states, roles, register words. Words only — no rule.
enum PageWords {
    static let fields: [String: String] = [
        "name": "Naam", "birthDate": "Geboortedatum", "address": "Adres", "bsn": "BSN", "lastSchool": "Laatste school",
        "absence": "Verzuim", "guardianship": "Gezag", "familySituation": "Gezinssituatie", "supportFacts": "Ondersteuning",
        "masInterventions": "Interventies MAS", "schoolInterventions": "Interventies school", "healthData": "Gezondheidsgegevens",
        "conversationHeld": "Gesprek gevoerd",
    ]
    static let partyKinds: [String: String] = [
        "gemeente": "Gemeente (leerplicht, jeugd en gezin)", "swv": "Samenwerkingsverband passend onderwijs", "schoolbestuur": "Schoolbestuur",
        "jgz": "Jeugdgezondheidszorg (CJG)", "jeugdhulpaanbieder": "Jeugdhulpaanbieder",
    ]
    static let givers: [String: String] = [
        "parent": "Ouder", "other-parent": "Andere ouder", "legal-representative": "Wettelijk vertegenwoordiger", "pupil": "Jongere",
    ]
    static let answers: [String: String] = ["given": "gegeven", "refused": "geweigerd"]
    static let states: [String: String] = [
        "pending": "wacht op toestemming", "given": "gegeven", "refused": "geweigerd", "conflicting": "tegenstrijdig",
        "needs-renewal": "moet vernieuwd worden", "revoked": "ingetrokken", "lapsed": "verlopen",
    ]
    static let roles: [String: String] = [
        "leerplichtambtenaar": "leerplichtambtenaar", "consulent-jeugd-en-gezin": "consulent jeugd en gezin", "zorgcoördinator": "zorgcoördinator",
        "swv-secretaris": "secretaris samenwerkingsverband", "jeugdverpleegkundige": "jeugdverpleegkundige", "jeugdarts": "jeugdarts",
        "jeugdhulpverlener": "jeugdhulpverlener", "fg": "functionaris gegevensbescherming", "beheerder": "beheerder",
    ]
    static let partyRoles: [String: String] = ["leerplicht": "leerplicht", "jeugd-en-gezin": "jeugd en gezin"]
    static let decisions: [String: String] = ["permit": "toegestaan", "deny": "geweigerd", "none": "geen besluit"]
    static let forums: [String: String] = [
        "direct": "rechtstreeks", "verzuimoverleg": "verzuimoverleg", "sot": "SOT", "thuiszitterstafel": "thuiszitterstafel",
    ]
    static let noticeKinds: [String: String] = [
        "consent-revoked": "Toestemming ingetrokken", "consent-needs-renewal": "Toestemming moet vernieuwd worden",
        "consent-ends-soon": "Toestemming loopt binnenkort af",
    ]

    static func word(_ table: [String: String], _ key: String) -> String { table[key] ?? key }
    static func field(_ name: String) -> String { word(fields, name) }

    /// A party with its role at a gemeente: "gemeente-goeree-overflakkee (leerplicht)".
    static func party(_ id: String, role: String?) -> String { role.map { "\(id) (\(word(partyRoles, $0)))" } ?? id }

    /// The fields a consent may name (art. 5.1 and health data), in the vocabulary's order; the
    /// CJG's content-free feedback is written by the gateway, never consented.
    static var consentFields: [Field] { Field.allCases.filter { $0 != .conversationHeld } }
    /// The party kinds a consent may name as recipients (the covenant's, no third party).
    static var recipientKinds: [PartyKind] { PartyKind.allCases.filter { $0 != .derde } }
}

extension PageWords {
    /// An RFC 3339 time as the clock on the wall in the Netherlands (`2026-11-30 18:20`), as the
    /// inzage report gives it (`CalendarDate.amsterdamClock`) — not UTC (a newcomer's finding).
    static func time(_ text: String) -> String {
        guard text.count >= 16, text.dropFirst(10).first == "T", let instant = Gateway.instant(text) else { return text }
        let clock = CalendarDate.amsterdamClock(instant)
        return "\(clock.date) " + String(format: "%02d:%02d", clock.hour, clock.minute)
    }
}

extension PageWords {
    /// The form input a gateway error names (`endsOn`, `givers[1].evidence`, `counterparty`), in Dutch.
    static func input(_ name: String) -> String {
        let inputs = [
            "recipients": "Ontvangers", "fields": "Gegevens", "endsOn": "Einddatum", "sotQuestion": "SOT-vraag", "givers": "Antwoorden",
            "giver": "Gever", "answer": "Antwoord", "answeredOn": "Datum antwoord", "evidence": "Schriftelijk bewijs",
            "from": "Van", "to": "Tot", "counterparty": "Partij", "subject": "Leerling (registerpseudoniem)", "decision": "Besluit", "na": "Pagina",
            "recipient": "Ontvanger", "recipientRole": "Rol bij de gemeente", "forum": "Overleg", "purpose": "Doel", "caseId": "Dossier",
            "activity": "Verwerkingsactiviteit (art. 30 AVG)", "conflict": "Alleen verstrekkingen bij conflict van plichten",
            // The thuiszitterstafel's pages (Bijlage 3.3).
            "caseType": "Soort casus", "summary": "Zeer korte casusbeschrijving", "progress": "Voortgang", "procesbewaker": "Procesbewaker",
            "reason": "Reden", "meeting": "Datum van het overleg", "entries": "Leerlingen op de agenda", "items": "Besluiten en acties",
        ]
        // givers[1].evidence: the second giver of the form's order as recorded, then the part.
        if name.hasPrefix("givers["), let close = name.firstIndex(of: "]"), let dot = name.firstIndex(of: ".") {
            let number = Int(name[name.index(name.startIndex, offsetBy: 7)..<close]).map { $0 + 1 } ?? 0
            return "antwoord \(number): " + (inputs[String(name[name.index(after: dot)...])] ?? String(name[name.index(after: dot)...]))
        }
        return inputs[name] ?? fields[name] ?? name
    }
}

extension PageWords {
    /// The policy's age bands of fn 28 as one Dutch sentence: "Van 0 tot en met 11 jaar: ouder. …"
    static func whoGives(_ consent: ConsentPolicy) -> String {
        let bands = consent.bands.map { band -> String in
            let ages = band.toAge.map { "van \(band.fromAge) tot en met \($0) jaar" } ?? "vanaf \(band.fromAge) jaar"
            let who = band.required.givers.map { $0 == .pupil ? "de jongere" : "een ouder of wettelijk vertegenwoordiger" }.joined(separator: " én ")
            return "\(ages) \(who)"
        }
        return "Toestemming geven: " + bands.joined(separator: "; ") + " (\(consent.article))."
    }
}
