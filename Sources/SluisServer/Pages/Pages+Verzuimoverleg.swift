import Foundation
import Hummingbird
import SluisCovenant
import SluisGateway
import SluisStore

/// The school's verzuimoverleg pages (verzuimprotocol 5.4.1; Bijlage 3.1): today's list from
/// the filter with its own pupil keys, the form to share it — leaving out whom the school
/// discusses internally first — with the leerplichtambtenaar and the jeugdverpleegkundige, and
/// each shared list with what each participant received. The same use cases as
/// `/v1/verzuimoverleg/candidates`, `/lists` and `/lists/{id}`.
extension Pages {
    func addVerzuimoverleg(to pages: RouterGroup<SluisRequestContext>) {
        pages.get("/school/verzuimoverleg") { _, context in try await verzuimoverlegPage(context) }
        pages.post("/school/verzuimoverleg") { _, context in
            let form = context.form ?? PageForm()
            let input = VerzuimoverlegShareInput(meetingDate: form["datum"] ?? "", recipients: form.all("ontvanger"), leaveOut: form.all("weglaten"))
            do {
                let list = try await gateway.shareVerzuimoverleg(input, by: try context.requirePrincipal(), trace: context.trace)
                return Self.redirect("/school/verzuimoverleg/\(list.id)")
            } catch let error as GatewayError {
                guard case .invalid = error else { throw error }
                return try await verzuimoverlegPage(context, problem: PageProblem.from(error).page)
            }
        }
        pages.get("/school/verzuimoverleg/:listId") { _, context in
            let list = try await gateway.verzuimoverlegList(try parameter(context, "listId"), by: try context.requirePrincipal(), trace: context.trace)
            return Self.html(PageFrame(title: "Lijst verzuimoverleg", session: try SessionFrame(context), content: VerzuimoverlegListPage(list)),
                             "school-verzuimoverleg-lijst")
        }
    }

    /// Today's list, the share form and the lists shared before.
    func verzuimoverlegPage(_ context: SluisRequestContext, problem: PageProblem? = nil) async throws -> Response {
        let principal = try context.requirePrincipal()
        let candidates = try await gateway.verzuimoverlegCandidates(asOf: nil, by: principal, trace: context.trace)
        let lists = try await gateway.verzuimoverlegLists(by: principal, trace: context.trace)
        let parties = try await gateway.parties(by: principal, trace: context.trace)
        return Self.html(PageFrame(title: "Verzuimoverleg", session: try SessionFrame(context),
                                   content: VerzuimoverlegPage(candidates, lists: lists, parties: parties, problem: problem)),
                         "school-verzuimoverleg", status: problem?.status ?? .ok)
    }
}
