import Foundation
import HTTPTypes
import Hummingbird
import SluisCovenant
import SluisGateway

/// The thuiszitterstafel's list as pages (issue 13 item 3; verzuimprotocol hoofdstuk 5;
/// Bijlage 3.3): the pupils on it with who registered them, case type, procesbewaker and the
/// unit's own texts; putting a pupil on the list (the kernteam — the SWV —, a leerplichtambtenaar
/// or a jeugdarts), changing one's own text, and for the SWV the procesbewaker and afschaling.
/// Every action is the API's gateway use case with the same `Principal`.
extension Pages {
    func addTafel(to pages: RouterGroup<SluisRequestContext>) {
        pages.get("/swv/tafel") { _, context in try await tafelPage(context) }
        pages.post("/swv/tafel") { _, context in
            let form = context.form ?? PageForm()
            let input = TafelRegistrationInput(caseId: form["dossier"] ?? "", caseType: form["soort"] ?? "", summary: form["beschrijving"] ?? "",
                                               progress: form["voortgang"])
            return try await tafelForm(context, page: { problem in try await tafelPage(context, problem: problem) }) { principal in
                let entry = try await gateway.registerOnTafel(input, by: principal, trace: context.trace)
                return "/swv/tafel/\(entry.id)"
            }
        }
        pages.get("/swv/tafel/:entryId") { _, context in try await tafelEntryPage(try parameter(context, "entryId"), context) }
        // Bijlage 3.3 sub 4; art. 3.4 sub c: a text stays its writer's.
        pages.post("/swv/tafel/:entryId/teksten") { _, context in
            let id = try parameter(context, "entryId")
            let form = context.form ?? PageForm()
            let update = TafelEntryUpdate(summary: form["beschrijving"], progress: form["voortgang"])
            return try await tafelEntryForm(id, context) { principal in
                _ = try await gateway.updateTafelEntry(id, update, by: principal, trace: context.trace)
            }
        }
        // Bijlage 3.3 sub 2 and 5: the procesbewaker the table appointed.
        pages.post("/swv/tafel/:entryId/procesbewaker") { _, context in
            let id = try parameter(context, "entryId")
            let update = TafelEntryUpdate(procesbewaker: (context.form ?? PageForm())["procesbewaker"] ?? "")
            return try await tafelEntryForm(id, context) { principal in
                _ = try await gateway.updateTafelEntry(id, update, by: principal, trace: context.trace)
            }
        }
        // Bijlage 3.3 sub 5: afschaling, back in education or in work.
        pages.post("/swv/tafel/:entryId/afschaling") { _, context in
            let id = try parameter(context, "entryId")
            let input = TafelAfschalingInput(reason: (context.form ?? PageForm())["reden"] ?? "")
            do {
                _ = try await gateway.afschaling(id, input, by: try context.requirePrincipal(), trace: context.trace)
            } catch let error as GatewayError {
                guard case .invalid = error else { throw error }
                return try await tafelEntryPage(id, context, problem: PageProblem.from(error).page, status: .badRequest)
            }
            return Self.redirect("/swv/tafel")
        }
    }

    /// A form: `action` does it and names the page to go to (303); bad input shows `page` again
    /// with what to correct (400), any other refusal the error page.
    func tafelForm(_ context: SluisRequestContext, page: (PageProblem) async throws -> Response,
                   _ action: (Principal) async throws -> String) async throws -> Response {
        do {
            return Self.redirect(try await action(try context.requirePrincipal()))
        } catch let error as GatewayError {
            guard case .invalid = error else { throw error }
            var response = try await page(PageProblem.from(error).page)
            response.status = .badRequest
            return response
        }
    }

    func tafelEntryForm(_ id: String, _ context: SluisRequestContext, _ action: (Principal) async throws -> Void) async throws -> Response {
        try await tafelForm(context, page: { problem in try await tafelEntryPage(id, context, problem: problem) }) { principal in
            try await action(principal)
            return "/swv/tafel/\(id)"
        }
    }

    /// The list, and the form to put a pupil on it (the unit's own cases to choose from).
    func tafelPage(_ context: SluisRequestContext, problem: PageProblem? = nil) async throws -> Response {
        let principal = try context.requirePrincipal()
        let entries = try await gateway.tafelList(by: principal, trace: context.trace)
        let cases = try await gateway.cases(by: principal, trace: context.trace)
        let page = TafelPage(entries: entries, cases: cases, policy: gateway.policy, problem: problem)
        return Self.html(PageFrame(title: "Thuiszitterstafel", session: try SessionFrame(context), content: page), "swv-tafel")
    }

    /// One entry of the list (found in the unit's own view of the list: 404 for any other) with
    /// the forms the unit's role may use.
    func tafelEntryPage(_ id: String, _ context: SluisRequestContext, problem: PageProblem? = nil,
                        status: HTTPResponse.Status = .ok) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard let entry = try await gateway.tafelList(by: principal, trace: context.trace).first(where: { $0.id == id }) else {
            throw GatewayError.notFound(.tafelEntryNotFound, "entry")
        }
        let page = TafelEntryPage(entry, role: principal.role, problem: problem)
        return Self.html(PageFrame(title: "Leerling \(entry.number) op de lijst", session: try SessionFrame(context), content: page),
                         "swv-tafel-regel", status: status)
    }
}
