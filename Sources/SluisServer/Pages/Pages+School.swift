import Foundation
import Hummingbird
import SluisCovenant
import SluisGateway

/// The school's pages (issue 13 item 4), for the school board's zorgcoördinator: upload the
/// absence registrations (contract absence.md: a whole file or nothing, every refused line shown
/// with its number), the open signals with their due dates and the next step, and the DUO
/// melding recorded per case (Lpw art. 21a; verzuimprotocol 5.4–5.5). Each calls the use case
/// of the matching API route with the same principal.
extension Pages {
    func addSchool(to pages: RouterGroup<SluisRequestContext>) {
        pages.get("/school/verzuim") { _, context in
            try await gateway.authorizeForm(.importAbsence, by: try context.requirePrincipal(), trace: context.trace)
            return Self.html(PageFrame(title: "Verzuim aanleveren", session: try SessionFrame(context), content: AbsenceUploadPage()), "school-verzuim")
        }
        pages.post("/school/verzuim") { _, context in try await uploadAbsence(context) }
        pages.get("/school/signalen") { request, context in
            let list = try await gateway.absenceSignalList(today: nil, by: try context.requirePrincipal(), trace: context.trace)
            let page = request.uri.queryParameters["pagina"].flatMap { Int(String($0)) } ?? 1
            return Self.html(PageFrame(title: "Verzuimsignalen", session: try SessionFrame(context), content: SignalsPage(list, page: page)),
                             "school-signalen")
        }
        pages.get("/school/duo-melding") { request, context in
            try await meldingForm(MeldingForm(request.uri.queryParameters), context)
        }
        pages.post("/school/duo-melding") { _, context in
            let form = MeldingForm(context.form ?? PageForm())
            let principal = try context.requirePrincipal()
            try await gateway.authorizeForm(.recordDuoMelding, by: principal, trace: context.trace)
            guard let ref = form.caseRef else {
                return try await meldingForm(form, context, problem: PageProblem(status: .badRequest, title: "Dossier ontbreekt",
                                                                                 message: "Kies het dossier van de leerling die u bij DUO meldde."))
            }
            do {
                let receipt = try await gateway.recordDuoMelding(caseRef: ref, form.input, by: principal, trace: context.trace)
                return Self.html(PageFrame(title: "DUO-melding vastgelegd", session: try SessionFrame(context),
                                           content: MeldingReceiptPage(receipt, caseRef: ref)), "school-duo-vastgelegd", status: .created)
            } catch let error as GatewayError {
                guard case .invalid = error else { throw error }
                return try await meldingForm(form, context, problem: PageProblem.from(error).page)
            }
        }
    }

    /// The upload: the file part `bestand` to the gateway's import as `text/csv` — the page
    /// takes CSV files whatever type the browser guessed for them (many say
    /// `application/vnd.ms-excel` for `.csv`); the gateway checks the bytes themselves. A refused
    /// file shows every line's error with the API's status (400 not a CSV file of the format,
    /// 422 bad values); nothing was imported.
    func uploadAbsence(_ context: SluisRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try await gateway.authorizeForm(.importAbsence, by: principal, trace: context.trace)
        func page(_ content: AbsenceUploadPage, _ status: HTTPResponse.Status) throws -> Response {
            Self.html(PageFrame(title: "Verzuim aanleveren", session: try SessionFrame(context), content: content), "school-verzuim", status: status)
        }
        guard let file = context.form?.files["bestand"], !file.isEmpty else {
            return try page(AbsenceUploadPage(problem: "Kies eerst een CSV-bestand met de verzuimregistraties."), .badRequest)
        }
        do {
            let receipt = try await gateway.importAbsence(contentType: "text/csv; charset=utf-8", body: { file }, by: principal, trace: context.trace)
            return try page(AbsenceUploadPage(receipt: receipt), .created)
        } catch GatewayError.invalidFile(_, let notCSV, let lines) {
            let problem = lines.isEmpty ? "Het bestand valt buiten de periode van deze aanlevering." : nil
            return try page(AbsenceUploadPage(errors: lines.map(AbsenceLineError.init), problem: problem), notCSV ? .badRequest : .unprocessableContent)
        }
    }

    /// The DUO melding form: the school's cases to choose from, the melding's day, kind and DUO's
    /// meldingsnummer, and the signal it answers when it came from the signals page.
    func meldingForm(_ form: MeldingForm, _ context: SluisRequestContext, problem: PageProblem? = nil) async throws -> Response {
        let principal = try context.requirePrincipal()
        try await gateway.authorizeForm(.recordDuoMelding, by: principal, trace: context.trace)
        let cases = try await gateway.cases(by: principal, trace: context.trace)
        let today = CalendarDate.amsterdam(gateway.now()).description
        return Self.html(PageFrame(title: "DUO-melding vastleggen", session: try SessionFrame(context),
                                   content: MeldingFormPage(form, cases: cases, today: today, problem: problem)),
                         "school-duo-melding", status: problem?.status ?? .ok)
    }
}
