import Foundation
import Hummingbird
import SluisCovenant
import SluisGateway
import SluisStore

/// The CJG's consent pages (issue 13 item 2): per pupil (case, under the party's own
/// reference) the consents with their history; record one (each giver's answer with its
/// evidence, art. 6.1 sub c; fn 28), see where it was used and, after a revocation, whether the
/// notice reached each recipient (art. 11.5); revoke it after a confirmation that names the
/// parties that will be told (art. 6.1 sub d). Also a disclosure from the case, so that a
/// consent's use can be seen from the browser. Every action is a gateway use case.
extension Pages {
    func addConsents(to pages: RouterGroup<SluisRequestContext>) {
        pages.get("/cjg") { _, context in
            let session = try SessionFrame(context)
            let cases = try await gateway.cases(by: try context.requirePrincipal(), trace: context.trace)
            return Self.html(PageFrame(title: "Dossiers", session: session, content: CasesPage(cases)), "cjg-dossiers")
        }
        pages.get("/cjg/dossiers/:caseId") { _, context in
            try await casePage(try parameter(context, "caseId"), context)
        }
        pages.post("/cjg/dossiers/:caseId/toestemmingen") { _, context in
            try await caseForm(context) { ref, form, principal in
                let view = try await gateway.recordConsent(caseRef: ref, try ConsentForm.input(form), by: principal, trace: context.trace)
                return "/cjg/toestemmingen/\(view.id)"
            }
        }
        // Art. 12.1: the party informs the pupil and parents before it discloses.
        pages.post("/cjg/dossiers/:caseId/informeren") { _, context in
            try await caseForm(context) { ref, form, principal in
                _ = try await gateway.recordInforming(caseRef: ref, informedAt: form["datum"] ?? "", method: form["wijze"] ?? "", by: principal,
                                                      trace: context.trace)
                return "/cjg/dossiers/\(ref)"
            }
        }
        // Art. 3.4 sub c: a party discloses only what it supplied itself — the CJG's own facts.
        pages.post("/cjg/dossiers/:caseId/gegevens") { _, context in
            try await caseForm(context) { ref, form, principal in
                _ = try await gateway.updateCase(ref, CaseUpdate(facts: [form["veld"] ?? "": form["waarde"] ?? ""]), by: principal, trace: context.trace)
                return "/cjg/dossiers/\(ref)"
            }
        }
        pages.post("/cjg/dossiers/:caseId/verstrekkingen") { _, context in
            let ref = try parameter(context, "caseId")
            let form = context.form ?? PageForm()
            let input = DisclosureInput(caseId: ref, recipient: form["ontvanger"] ?? "", recipientRole: form["rol"], forum: form["overleg"] ?? "",
                                        purpose: form["doel"] ?? "", fields: form.all("veld"))
            let receipt = try await gateway.disclose(input, by: try context.requirePrincipal(), trace: context.trace)
            return Self.html(PageFrame(title: "Verstrekking", session: try SessionFrame(context), content: ReceiptPage(receipt, caseRef: ref)),
                             "cjg-verstrekking", status: .created)
        }
        pages.get("/cjg/toestemmingen/:consentId") { _, context in
            try await consentPage(try parameter(context, "consentId"), context)
        }
        // One more giver's answer, later (fn 28: the pupil's once 12, the other parent's; art. 6.1 sub c).
        pages.post("/cjg/toestemmingen/:consentId/antwoorden") { _, context in
            let id = try parameter(context, "consentId")
            let form = context.form ?? PageForm()
            let input = GiverAnswerInput(giver: form["gever"] ?? "", answer: form["antwoord"] ?? "", answeredOn: form["datum"] ?? "",
                                         evidence: form["bewijs"] ?? "")
            do {
                _ = try await gateway.recordAnswer(consent: id, input, by: try context.requirePrincipal(), trace: context.trace)
            } catch let error as GatewayError {
                guard case .invalid = error else { throw error }
                return try await consentPage(id, context, problem: PageProblem.from(error).page, status: .badRequest)
            }
            return Self.redirect("/cjg/toestemmingen/\(id)")
        }
        pages.get("/cjg/toestemmingen/:consentId/intrekken") { _, context in
            let id = try parameter(context, "consentId")
            let principal = try context.requirePrincipal()
            let consent = try await gateway.consent(id, by: principal, trace: context.trace)
            let uses = try await gateway.consentUses(id, by: principal, trace: context.trace)
            return Self.html(PageFrame(title: "Toestemming intrekken", session: try SessionFrame(context),
                                       content: RevokePage(consent, uses: uses)), "cjg-intrekken")
        }
        pages.post("/cjg/toestemmingen/:consentId/intrekken") { _, context in
            let id = try parameter(context, "consentId")
            _ = try await gateway.revokeConsent(id, by: try context.requirePrincipal(), trace: context.trace)
            return Self.redirect("/cjg/toestemmingen/\(id)")
        }
    }

    /// A form on the case page: `action` does it and names the page to go to (303); a refusal
    /// for bad input shows the case page again with what to correct (400), any other refusal
    /// the error page.
    func caseForm(_ context: SluisRequestContext,
                  _ action: (String, PageForm, Principal) async throws -> String) async throws -> Response {
        let ref = try parameter(context, "caseId")
        do {
            return Self.redirect(try await action(ref, context.form ?? PageForm(), try context.requirePrincipal()))
        } catch let error as GatewayError {
            guard case .invalid = error else { throw error }
            return try await casePage(ref, context, problem: PageProblem.from(error).page, status: .badRequest)
        }
    }

    /// One consent: its state, answers, uses and reach, and the form for a further answer.
    func consentPage(_ id: String, _ context: SluisRequestContext, problem: PageProblem? = nil,
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        let principal = try context.requirePrincipal()
        let consent = try await gateway.consent(id, by: principal, trace: context.trace)
        let uses = try await gateway.consentUses(id, by: principal, trace: context.trace)
        return Self.html(PageFrame(title: "Toestemming", session: try SessionFrame(context), content: ConsentPage(consent, uses: uses, problem: problem)),
                         "cjg-toestemming", status: status)
    }

    /// One case: its consents (the history: revoked and lapsed ones too), the form to record
    /// one, and the form to disclose.
    func casePage(_ ref: String, _ context: SluisRequestContext, problem: PageProblem? = nil,
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let principal = try context.requirePrincipal()
        let view = try await gateway.caseView(ref, by: principal, trace: context.trace)
        let consents = try await gateway.consents(caseRef: ref, by: principal, trace: context.trace)
        let parties = try await gateway.parties(by: principal, trace: context.trace)
        let page = CasePage(ref: ref, view: view, consents: consents, parties: parties.filter { $0.id != principal.party }, policy: gateway.policy,
                            problem: problem)
        return Self.html(PageFrame(title: "Dossier \(ref)", session: try SessionFrame(context), content: page), "cjg-dossier", status: status)
    }
}

/// The consent form's fields → the gateway's `NewConsent`: recipients and fields as checked,
/// and one answer per giver whose answer was chosen (`<giver>-antwoord`, `-datum`, `-bewijs`).
enum ConsentForm {
    static func input(_ form: PageForm) throws -> NewConsent {
        let givers = ConsentAnswerer.allCases.compactMap { giver -> GiverAnswerInput? in
            let key = giver.rawValue
            guard let answer = form["\(key)-antwoord"] else { return nil }
            return GiverAnswerInput(giver: key, answer: answer, answeredOn: form["\(key)-datum"] ?? "", evidence: form["\(key)-bewijs"] ?? "")
        }
        return NewConsent(recipients: form.all("ontvanger"), fields: form.all("veld"), sotQuestion: form["sotvraag"], endsOn: form["einddatum"],
                          givers: givers)
    }
}
