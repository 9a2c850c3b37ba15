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
                page.message = "Dit kan nu niet: het is al gebeurd of de gegevens zijn intussen veranderd. Laad de pagina opnieuw."
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
