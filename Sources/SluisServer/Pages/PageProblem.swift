import HTTPTypes
import SluisCovenant
import SluisGateway

/// What a page says when something cannot be done: a status, a Dutch title and explanation,
/// the article where a covenant rule refused, and the field to check. Never personal data, never
/// a stack trace: the words come from here or from the gateway's own (value-free) errors.
struct PageProblem: Error, Sendable {
    var status: HTTPResponse.Status
    var title: String
    var message: String
    var article: String?
    /// The gateway's technical note (field shape, rule), shown below the Dutch text.
    var note: String?

    static let csrf = PageProblem(status: .forbidden, title: "Formulier verlopen of ongeldig",
                                  message: "Dit formulier kwam niet van deze pagina of is verlopen. Ga terug, laad de pagina opnieuw en probeer het nog eens.")
    static let badForm = PageProblem(status: .badRequest, title: "Formulier niet leesbaar",
                                     message: "Het formulier kon niet gelezen worden. Ga terug en probeer het opnieuw.")

    /// What a conflict (409) means, in Dutch, for the codes the pages meet; by `GatewayError.Code`.
    static let conflicts: [String: String] = {
        typealias C = GatewayError.Code
        let words: [(C, String)] = [
            (.consentRevokedAlready, "Dit kan nu niet: deze toestemming is al ingetrokken (convenant art. 6.1 sub d)."),
            (.consentLapsed, "Dit kan nu niet: deze toestemming is verlopen of moet eerst worden vernieuwd (convenant art. 6.1, voetnoot 28)."),
            (.tafelListedAlready, "Deze leerling staat al op de lijst van de thuiszitterstafel."),
            (.tafelCaseTypeDiffers, "De soort casus die u koos is niet die van het dossier. Kies de soort van het dossier; die verandert alleen de partij die het dossier inbracht of de regie heeft."),
            (.tafelCaseTypeMissing, "Het dossier heeft nog geen soort casus. Die legt de partij vast die het dossier inbracht, of het samenwerkingsverband als regisseur, voordat de leerling op de lijst komt."),
            (.tafelTextOfAnother, "Deze tekst is van een andere organisatie: alleen wie hem schreef, past hem aan (convenant art. 3.4 sub c)."),
            (.tafelNotListed, "Deze leerling staat niet (meer) op de lijst van de thuiszitterstafel."),
            (.tafelMeetingNotHeld, "Het verslag kan pas op of na de dag van het overleg worden vastgelegd."),
            (.agendaSentAlready, "Deze agenda is al verzonden; een tweede verzending zou een tweede verstrekking zijn."),
            (.minutesSentAlready, "Dit verslag is al verzonden. Een correctie gaat als een nieuwe versie."),
            (.minutesSuperseded, "Er is al een nieuwere versie van dit verslag; werk in die versie."),
            (.duoMeldingOtherBoard, "Alleen het schoolbestuur dat de leerling inbracht legt de DUO-melding vast (Leerplichtwet art. 21a)."),
            (.duoMeldingNumberTaken, "Dit meldingsnummer van DUO is al gebruikt voor een andere melding."),
            (.duoMeldingPupilKeyDiffers, "Deze leerlingsleutel past niet bij de andere meldingen van dit dossier: controleer welk dossier over deze leerling gaat."),
            (.duoMeldingPupilKeyOnOtherCase, "Deze leerlingsleutel hoort bij een ander dossier: controleer welk dossier over deze leerling gaat."),
            (.informingLimit, "Het informeren is voor dit dossier al zo vaak vastgelegd als kan."),
        ]
        return Dictionary(uniqueKeysWithValues: words.map { ($0.0.rawValue, $0.1) })
    }()

    /// The page problem for any error a page handler threw (via the API's `Problem`, so the
    /// status is the API's for the same refusal).
    static func from(_ error: any Error) -> (page: PageProblem, problem: Problem?) {
        if let page = error as? PageProblem { return (page, nil) }
        let problem = Problem.from(error)
        var page = PageProblem(status: problem.status, title: problem.title, message: "", article: problem.article)
        switch problem.status.code {
        case 400:
            let label = problem.field.map(PageWords.input)
            page.message = "Niet alles is goed ingevuld" + (label.map { ": controleer ‘\($0)’." } ?? ".")
            page.note = problem.detail
        case 401: page.message = "U bent niet (meer) ingelogd. Log opnieuw in."
        case 403:
            if case .refused(let answer, _)? = error as? GatewayError {
                page.message = "Het convenant staat deze verstrekking niet toe. Er is niets verstrekt; de weigering staat in het register."
                page.note = answer.reasons.map { "\($0.reason) (\($0.article))" }.joined(separator: " ")
            } else {
                page.message = "U heeft geen toegang tot deze handeling of deze gegevens."
            }
        case 404: page.message = "Dit onderdeel bestaat niet, of uw organisatie is er niet bij betrokken."
        case 409:
            // Conflicts with a reason of their own say it (a newcomer read "reload" where the case was restricted).
            switch problem.code {
            case GatewayError.Code.caseRestricted.rawValue:
                page.title = "Verwerking beperkt"
                page.message = "De verwerking van de gegevens van deze leerling is beperkt op verzoek van de leerling of de ouders "
                    + "(AVG art. 18; convenant art. 13.1). Er wordt niets verstrekt tot de regisseur de beperking opheft."
                page.article = "AVG art. 18; convenant art. 13.1 sub b"
            case GatewayError.Code.caseClosed.rawValue:
                page.title = "Casus gesloten"
                page.message = "Deze casus is gesloten (convenant art. 5.5): er verandert niets meer aan en er wordt niets meer verstrekt."
            default:
                // The conflict in Dutch where the pages meet it (a newcomer read "it happened already"
                // where the case type differed); the gateway's own words stay as the technical note.
                page.message = Self.conflicts[problem.code]
                    ?? "Dit kan nu niet: het is al gebeurd of de gegevens zijn intussen veranderd. Laad de pagina opnieuw."
                page.note = problem.detail
            }
        case 413: page.message = "Het formulier is te groot."
        case 429: page.message = "Te veel mislukte pogingen. Probeer het later opnieuw."
        case 503: page.message = "Sluis is even niet beschikbaar. Probeer het over enkele ogenblikken opnieuw."
        default:
            page.message = problem.status.code >= 500 ? "Er ging iets mis aan de kant van Sluis. Noem het kenmerk hieronder als u contact opneemt."
                                                       : "Dit verzoek kan niet worden uitgevoerd."
        }
        return (page, problem)
    }
}
