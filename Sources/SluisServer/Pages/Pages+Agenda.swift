import Foundation
import HTTPTypes
import Hummingbird
import SluisCovenant
import SluisGateway

/// The SWV's agenda pages (issue 13 item 3; Bijlage 3.3 sub 1 and 4): compose an agenda from the
/// list, preview per participant exactly the document it will receive (each pupil's identity or
/// pseudonym with the reason, each withheld field with the reason), send it as previewed, and
/// the minutes with their own preview and send — a later version a correction to those who got
/// the earlier one. The page carries the preview's tag in a hidden field and sends with it as
/// `If-Match`: a list changed since the preview is refused by the gateway (412) and the page
/// shows the fresh preview, never sends what was not previewed.
extension Pages {
    func addAgenda(to pages: RouterGroup<SluisRequestContext>) {
        pages.get("/swv/agenda") { _, context in try await agendasPage(context) }
        pages.post("/swv/agenda") { _, context in
            let form = context.form ?? PageForm()
            // No pupil ticked is no pupil (the gateway refuses naming `entries`), never "the whole list".
            let input = TafelAgendaInput(meeting: form["datum"] ?? "", purpose: form["doel"], entries: form.all("regel"))
            return try await tafelForm(context, page: { problem in try await agendasPage(context, problem: problem) }) { principal in
                "/swv/agenda/\(try await gateway.composeAgenda(input, by: principal, trace: context.trace).id)"
            }
        }
        // HEAD (answered by these GET routes) shows nothing, so it is no preview on the register
        // (RFC 9110 §9.3.2; art. 15.1), as over the API: authorized and built, not registered.
        pages.get("/swv/agenda/:agendaId") { request, context in
            let id = try parameter(context, "agendaId")
            if request.method == .head { return try await headPreview(id, minutes: nil, context) }
            return try await agendaPage(id, minutes: nil, context)
        }
        pages.post("/swv/agenda/:agendaId/verzenden") { _, context in try await sendPage(try parameter(context, "agendaId"), minutes: nil, context) }
        pages.get("/swv/agenda/:agendaId/verslag") { _, context in try await minutesForm(try parameter(context, "agendaId"), context) }
        pages.post("/swv/agenda/:agendaId/verslag") { _, context in
            let id = try parameter(context, "agendaId")
            let principal = try context.requirePrincipal()
            let agenda = try await gateway.agenda(id, by: principal, trace: context.trace)
            let form = context.form ?? PageForm()
            let items = agenda.items.compactMap { item -> TafelMinutesInput.Item? in
                let (decisions, actions) = (form["besluiten-\(item.entry)"], form["acties-\(item.entry)"])
                return decisions == nil && actions == nil ? nil : TafelMinutesInput.Item(entry: item.entry, decisions: decisions, actions: actions)
            }
            return try await tafelForm(context, page: { problem in try await minutesForm(id, context, problem: problem) }) { principal in
                let version = try await gateway.writeMinutes(id, TafelMinutesInput(items: items), by: principal, trace: context.trace)
                return "/swv/agenda/\(id)/verslag/\(version.version)"
            }
        }
        pages.get("/swv/agenda/:agendaId/verslag/:version") { request, context in
            let (id, version) = (try parameter(context, "agendaId"), try minutesVersion(context))
            if request.method == .head { return try await headPreview(id, minutes: version, context) }
            return try await agendaPage(id, minutes: version, context)
        }
        pages.post("/swv/agenda/:agendaId/verslag/:version/verzenden") { _, context in
            try await sendPage(try parameter(context, "agendaId"), minutes: try minutesVersion(context), context)
        }
    }

    /// A HEAD on an agenda page: the preview's authority and build, nothing shown or registered.
    func headPreview(_ id: String, minutes version: Int?, _ context: SluisRequestContext) async throws -> Response {
        _ = try await gateway.previewTafel(id, minutes: version, reading: false, by: try context.requirePrincipal(), trace: context.trace)
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"])
    }

    /// A minutes version from the path, as the API reads it.
    func minutesVersion(_ context: SluisRequestContext) throws -> Int {
        guard let version = Int(try parameter(context, "version")), version >= 1, version <= 10_000 else {
            throw GatewayError.notFound(.minutesNotFound, "minutes")
        }
        return version
    }

    /// The SWV's agendas and the form to compose one from the list.
    func agendasPage(_ context: SluisRequestContext, problem: PageProblem? = nil) async throws -> Response {
        let principal = try context.requirePrincipal()
        let agendas = try await gateway.agendas(by: principal, trace: context.trace)
        let entries = try await gateway.tafelList(by: principal, trace: context.trace)
        let page = AgendasPage(agendas: agendas, entries: entries, policy: gateway.policy, today: CalendarDate.amsterdam(gateway.now()).description,
                               problem: problem)
        return Self.html(PageFrame(title: "Agenda’s thuiszitterstafel", session: try SessionFrame(context), content: page), "swv-agendas")
    }

    /// An agenda (or a minutes version): before it is sent, every participant's view as the
    /// gateway previews it (on the register, art. 15.1) with the send form carrying its tag;
    /// after, what went to whom with the register entries.
    func agendaPage(_ id: String, minutes version: Int?, _ context: SluisRequestContext, stale: String? = nil,
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        let principal = try context.requirePrincipal()
        let agenda = try await gateway.agenda(id, by: principal, trace: context.trace)
        let sentAt = version.map { v in agenda.minutes.first { $0.version == v }?.sentAt } ?? agenda.sentAt
        if let version, !agenda.minutes.contains(where: { $0.version == version }) { throw GatewayError.notFound(.minutesNotFound, "minutes") }
        var preview: TafelPreview?
        var sent: [TafelSentDelivery] = []
        if sentAt == nil {
            preview = try await gateway.previewTafel(id, minutes: version, by: principal, trace: context.trace)
        } else {
            sent = try await gateway.tafelSent(id, minutes: version, by: principal, trace: context.trace)
        }
        let page = AgendaPage(agenda, minutes: version, sentAt: sentAt, preview: preview, sent: sent, policy: gateway.policy, stale: stale)
        return Self.html(PageFrame(title: page.title, session: try SessionFrame(context), content: page), "swv-agenda", status: status)
    }

    /// Sends exactly what was previewed: the form's tag as `If-Match`. A tag that no longer fits
    /// (412) or none (428) shows the fresh preview with a plain Dutch warning; nothing is sent.
    func sendPage(_ id: String, minutes version: Int?, _ context: SluisRequestContext) async throws -> Response {
        let tag = (context.form ?? PageForm())["voorbeeld"]
        do {
            let receipt = try await gateway.sendTafel(id, minutes: version, ifMatch: tag.map { "\"\($0)\"" }, by: try context.requirePrincipal(),
                                                      trace: context.trace)
            let page = SentPage(receipt, agenda: id)
            return Self.html(PageFrame(title: page.title, session: try SessionFrame(context), content: page), "swv-verzonden", status: .created)
        } catch GatewayError.precondition(let code, _) {
            let status: HTTPResponse.Status = code == .previewRequired ? .preconditionRequired : .preconditionFailed
            return try await agendaPage(id, minutes: version, context, stale: AgendaPage.stale, status: status)
        }
    }

    /// The form for a new minutes version: per pupil of the agenda its decisions and actions
    /// (Bijlage 3.3 sub 4), by list number and the SWV's own case reference.
    func minutesForm(_ id: String, _ context: SluisRequestContext, problem: PageProblem? = nil) async throws -> Response {
        let agenda = try await gateway.agenda(id, by: try context.requirePrincipal(), trace: context.trace)
        let page = MinutesFormPage(agenda, problem: problem)
        return Self.html(PageFrame(title: "Verslag schrijven", session: try SessionFrame(context), content: page), "swv-verslag")
    }
}
