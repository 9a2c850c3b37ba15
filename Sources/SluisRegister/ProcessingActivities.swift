import Foundation
public import SluisCovenant
import SluisCrypto

/// One processing activity of the art. 30 AVG register (covenant art. 15.1), generated from
/// `Policies/`. Its version is a hash of its content: change the policy and the activity gets
/// a new version, while register entries keep pointing at the version in force when they
/// were written.
public struct ProcessingActivity: Sendable, Equatable {
    public var id: String
    public var name: String
    public var purposes: [String]
    public var legalBases: [String]
    public var dataSubjects: [String]
    public var dataCategories: [String]
    public var recipients: [String]
    public var retention: String
    public var security: [String]
    public var article: String

    /// The content hash (16 hex digits) that names this version.
    public var version: String {
        Hex.encode(((try? SHA256.hash(canonicalJSON(includingVersion: false))) ?? []).prefix(8))
    }

    /// The register's canonical JSON of the activity (`CanonicalJSON`, with the escaping its
    /// content hash has always been computed with, so that versions in force stay the same).
    public func canonicalJSON(includingVersion: Bool = true) -> [UInt8] {
        var json = CanonicalJSON(escaping: .version1)
        json.string("article", article)
        json.strings("dataCategories", dataCategories)
        json.strings("dataSubjects", dataSubjects)
        json.string("id", id)
        json.strings("legalBases", legalBases)
        json.string("name", name)
        json.strings("purposes", purposes)
        json.strings("recipients", recipients)
        json.string("retention", retention)
        json.strings("security", security)
        if includingVersion { json.string("version", version) }
        return json.finish()
    }
}

public enum ProcessingActivities {
    public static let security = [
        "versleuteling per ontvanger: CMS AuthEnvelopedData, AES-256-GCM, ondertekend (convenant art. 10.2)",
        "meerfactorauthenticatie: wachtwoord (scrypt) en TOTP (art. 10.2)",
        "ophalen uit een beveiligde omgeving in plaats van e-mail (art. 10, toelichting)",
        "manipulatiebestendig verwerkingsregister: Merkle-boom, ondertekende checkpoints (art. 15)",
        "pseudoniemen per ontvanger (art. 14.3)",
    ]

    static let subjects = [
        "leerlingen die (dreigen) thuis (te) zitten (art. 1.11)",
        "ouders/wettelijk vertegenwoordigers (art. 1.4)",
    ]

    static let inspectionID = "fg-inzage-register"
    static let questionID = "beslissingsvraag"
    static let absenceImportID = "verzuimregistratie-inlezen"
    static let retentionID = "vernietiging-na-bewaartermijn"
    static let verzuimoverlegLinkID = "verzuimoverleg-koppelen"
    static let rightsID = "rechten-betrokkene"
    static let inzageID = "inzage-betrokkene"

    /// The activity id under which a disclosure in `forum` is registered.
    public static func disclosureID(_ forum: Forum) -> String { "verstrekking-\(forum.rawValue)" }
    public static var inspection: String { inspectionID }
    public static var question: String { questionID }
    /// A school board reads its own absence registrations in (contract absence.md): its own
    /// processing, not a disclosure.
    public static var absenceImport: String { absenceImportID }
    /// The destruction of a closed case's personal data at the end of its term (art. 9.2): a
    /// processing of its own (AVG art. 4 sub 2: "wissen of vernietigen"), one entry per case.
    public static var retention: String { retentionID }
    /// After a DUO melding the leerplichtambtenaar links its own earlier anonymous verzuimoverleg
    /// to the case (verzuimprotocol 5.4; Bijlage 3.1): its own processing, not a disclosure.
    public static var verzuimoverlegLink: String { verzuimoverlegLinkID }
    /// Handling the rights of pupils and parents (convenant art. 13; AVG art. 12, 15–21): every
    /// request, extension, decision and delivery, restriction, rectification, erasure and export.
    public static var rights: String { rightsID }
    /// The regisseur of the case meeting answers a pupil's or parent's request for inzage
    /// (convenant art. 13.1 sub a; AVG art. 15): the report made and handed over, and the
    /// regisseur's queries of the register about that pupil. Its own processing, not a disclosure
    /// between parties.
    public static var inzage: String { inzageID }

    public static func generate(_ policy: CovenantPolicy) -> [ProcessingActivity] {
        let retention = "uiterlijk \(policy.retention.destroyWithinMonths) maanden na sluiting van de casus "
            + "(\(policy.retention.destroyArticle)); alleen niet-herleidbare gegevens langer (\(policy.retention.anonymisedArticle))"
        let purposes = policy.purposes.map { "\($0.id) \($0.text)" }
        var activities = policy.forums.map { forum -> ProcessingActivity in
            let bases = policy.bases.filter { $0.forums.contains(forum.forum) }.map { basis in
                "\(basis.sender): \(basis.basis.gdpr) AVG; \(basis.basis.law.joined(separator: ", ")); \(basis.basis.article)"
                    + (basis.consentRequired ? " (alleen met toestemming)" : "")
            }
            let special = forum.fields.contains(.healthData)
                ? ["gezondheidsgegevens: \(policy.specialCategoryBasis.gdpr) AVG, \(policy.specialCategoryBasis.article)"] : []
            let fields = forum.fields.fields.map { field in
                let info = policy.fieldInfo(field)
                return "\(info.label) (\(info.article))"
            }
            let recipients = forum.participants.map(\.description) + forum.routes.map { "\($0.from) → \($0.to)" }
            return ProcessingActivity(
                id: disclosureID(forum.forum), name: "Verstrekking in: \(forum.label)", purposes: purposes,
                legalBases: bases + special, dataSubjects: subjects, dataCategories: fields, recipients: recipients,
                retention: retention, security: security, article: forum.article)
        }
        activities.append(ProcessingActivity(
            id: questionID, name: "Beslissingsvraag (proefverstrekking zonder verstrekking)", purposes: purposes,
            legalBases: ["vastleggen van de vraag: 6(1)(c)/(e) AVG; verantwoordingsplicht art. 5 lid 2 AVG; convenant art. 15"],
            dataSubjects: subjects, dataCategories: ["pseudoniem van de leerling", "gevraagde gegevenssoorten, geen inhoud"],
            recipients: ["geen (alleen het register)"], retention: retention, security: security,
            article: "convenant art. 15.1"))
        activities.append(ProcessingActivity(
            id: inspectionID, name: "Inzage in het verwerkingsregister door de FG", purposes: ["toezicht (art. 15.2–15.3)"],
            legalBases: ["6(1)(c) AVG; art. 39 AVG; convenant art. 15.2"],
            dataSubjects: ["functionarissen gegevensbescherming van de partijen"],
            dataCategories: ["filters van de inzage, aantal getoonde regels"], recipients: ["de FG van de eigen partij"],
            retention: "zolang het register wordt bewaard", security: security, article: "convenant art. 15.2"))
        activities.append(ProcessingActivity(
            id: absenceImportID, name: "Inlezen van de eigen verzuimregistratie door het schoolbestuur (geen verstrekking)",
            purposes: ["signaleren wat volgens het verzuimprotocol moet gebeuren: melding bij DUO, gesprek, CJG/SOT, verzuimoverleg "
                       + "(verzuimprotocol 5.3–5.5, Bijlage 4)"],
            legalBases: ["6(1)(c) AVG; Leerplichtwet art. 21a (melding van verzuim); verzuimprotocol 5.3 (verzuimregistratie van de school)"],
            dataSubjects: ["leerlingen van het schoolbestuur, onder de eigen pseudonieme leerlingsleutel van de school"],
            dataCategories: ["leerlingsleutel van de school (versleuteld opgeslagen)",
                             "datum, soort en uren van afwezigheid (convenant art. 5.1 sub d)"],
            recipients: ["geen: blijft bij het eigen schoolbestuur; het register telt alleen de import, zonder leerlingsleutels"],
            retention: "als de verzuimregistratie van de school zelf; een nieuwe import vervangt de periode die zij beslaat",
            security: security, article: "verzuimprotocol 5.3; contract absence.md"))
        activities.append(ProcessingActivity(
            id: retentionID, name: "Vernietiging van de persoonsgegevens van een gesloten casus na de bewaartermijn",
            purposes: ["bewaren en vernietigen: niet langer dan noodzakelijk (convenant art. 9.1–9.2)"],
            legalBases: ["6(1)(c) AVG; art. 5 lid 1 sub e AVG (opslagbeperking); convenant art. 9.2: uiterlijk "
                         + "\(policy.retention.destroyWithinMonths) maanden na het besluit tot sluiting (art. 5.5)"],
            dataSubjects: subjects,
            dataCategories: ["pseudoniem van de leerling in het register (berekend vóór de vernietiging)",
                             "aantallen vernietigde rijen per tabel, geen inhoud"],
            recipients: ["geen (alleen het register)"],
            retention: "zolang het register wordt bewaard; wat overblijft is niet tot personen herleidbaar (\(policy.retention.anonymisedArticle))",
            security: security, article: policy.retention.destroyArticle))
        activities.append(ProcessingActivity(
            id: verzuimoverlegLinkID,
            name: "Koppelen van het eerdere anonieme verzuimoverleg aan de casus door de leerplichtambtenaar, na een DUO melding (geen verstrekking)",
            purposes: purposes.filter { $0.hasPrefix("3.1.a ") },
            legalBases: ["6(1)(c) AVG; Leerplichtwet art. 21a; convenant art. 4.3; verzuimprotocol 5.4 (met een DUO melding verwerkt de "
                         + "leerplichtambtenaar gegevens op persoonsniveau) en 5.5.2 (onderzoek na de melding)"],
            dataSubjects: ["leerlingen die hun school bij DUO meldde en die eerder anoniem in het verzuimoverleg zijn besproken (Bijlage 3.1)"],
            dataCategories: ["de eigen verwijzing van de leerplichtambtenaar uit het verzuimoverleg (pseudoniem)",
                             "aantallen verzuim uit de lijsten van het verzuimoverleg (convenant art. 5.1 sub d)",
                             "de eigen notities van de leerplichtambtenaar bij die verwijzing",
                             "de leerlingsleutel van de school, versleuteld bij de melding: alleen om de verwijzing te herberekenen"],
            recipients: ["geen: blijft bij de leerplichtambtenaar die aan het overleg deelnam; de school en de jeugdverpleegkundige zien de koppeling niet"],
            retention: retention, security: security, article: "verzuimprotocol 5.4, 5.4.1; Bijlage 3.1"))
        activities.append(ProcessingActivity(
            id: rightsID, name: "Behandeling van verzoeken van leerlingen en ouders om hun rechten (inzage, rectificatie, beperking, bezwaar, wissing, overdraagbaarheid)",
            purposes: ["de rechten van betrokkenen uitvoeren binnen de termijnen van de AVG (convenant art. 13; AVG art. 12 lid 3)"],
            legalBases: ["6(1)(c) AVG; AVG art. 12, 15–21; Uitvoeringswet AVG art. 41 (weigeringsgronden); convenant art. 13.1–13.2"],
            dataSubjects: subjects,
            dataCategories: ["pseudoniem van de leerling in het register", "soort verzoek, wie het deed (leerling, ouder, wettelijk vertegenwoordiger; "
                             + "geen naam), termijnen en besluit", "bij rectificatie: de naam van het gecorrigeerde gegeven, geen inhoud"],
            recipients: ["de regisseur van het overleg (Bijlage 3 par. 3) en de FG's van de partijen; bij rectificatie en beperking de ontvangers (AVG art. 19)"],
            retention: retention, security: security, article: "convenant art. 13"))
        activities.append(ProcessingActivity(
            id: inzageID,
            name: "Inzage voor de betrokkene: het overzicht van wat Sluis over de leerling bewaart en verstrekte, gemaakt door de regisseur van het overleg",
            purposes: ["het recht op inzage van de leerling en de ouders (convenant art. 13.1 sub a, fn 27; AVG art. 15)"],
            legalBases: ["6(1)(c) AVG; art. 12 en 15 AVG; convenant art. 13.1 sub a en 13.2 (reactietermijnen van de AVG)"],
            dataSubjects: subjects,
            dataCategories: ["alle gegevens over de leerling in Sluis (convenant art. 5.1) en de regels van het register over de leerling",
                             "in het register alleen: het pseudoniem, het formaat en de SHA-256 van het gemaakte overzicht"],
            recipients: ["de regisseur van het overleg (Bijlage 3 paragraaf 3), die het overzicht aan de leerling of de ouders geeft"],
            retention: retention, security: security, article: "convenant art. 13.1 sub a; Bijlage 3 paragraaf 3"))
        return activities
    }

    public enum Format: String, CaseIterable, Sendable { case md, csv, json }

    public static func render(_ activities: [ProcessingActivity], as format: Format) -> String {
        switch format {
        case .json:
            var writer = JSONWriter(pretty: true)
            writer.beginArray()
            for activity in activities {
                writer.beginObject()
                writer.string(activity.id, key: "id")
                writer.string(activity.version, key: "version")
                writer.string(activity.name, key: "name")
                writer.strings(activity.purposes, key: "purposes")
                writer.strings(activity.legalBases, key: "legalBases")
                writer.strings(activity.dataSubjects, key: "dataSubjects")
                writer.strings(activity.dataCategories, key: "dataCategories")
                writer.strings(activity.recipients, key: "recipients")
                writer.string(activity.retention, key: "retention")
                writer.strings(activity.security, key: "security")
                writer.string(activity.article, key: "article")
                writer.endObject()
            }
            writer.endArray()
            return writer.output + "\n"
        case .csv:
            let header = ["id", "versie", "naam", "doelen", "grondslagen", "betrokkenen", "gegevens", "ontvangers", "bewaartermijn", "beveiliging", "artikel"]
            let rows = activities.map { a in
                [a.id, a.version, a.name, a.purposes.joined(separator: "; "), a.legalBases.joined(separator: " | "),
                 a.dataSubjects.joined(separator: "; "), a.dataCategories.joined(separator: "; "),
                 a.recipients.joined(separator: "; "), a.retention, a.security.joined(separator: "; "), a.article]
            }
            return ([header] + rows).map { $0.map(CSV.field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        case .md:
            var out = ["# Register van verwerkingsactiviteiten (art. 30 AVG, convenant art. 15.1)", ""]
            for a in activities {
                out += ["## \(a.name)", "", "- id: `\(a.id)`, versie `\(a.version)` (\(a.article))",
                        "- doelen: " + a.purposes.joined(separator: "; "),
                        "- grondslagen: " + a.legalBases.joined(separator: " | "),
                        "- betrokkenen: " + a.dataSubjects.joined(separator: "; "),
                        "- gegevens: " + a.dataCategories.joined(separator: "; "),
                        "- ontvangers: " + a.recipients.joined(separator: "; "),
                        "- bewaartermijn: " + a.retention,
                        "- beveiliging: " + a.security.joined(separator: "; "), ""]
            }
            return out.joined(separator: "\n")
        }
    }
}

/// RFC 4180 fields; a leading =, +, - or @ is prefixed with a quote so that a spreadsheet does
/// not run it as a formula (CSV injection).
public enum CSV {
    public static func field(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
