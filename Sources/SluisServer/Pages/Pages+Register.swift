import Foundation
import Hummingbird
import SluisGateway
import SluisRegister
import SluisStore

/// The FG's register page, the first of them (issue 13 item 6): the entries in which the FG's
/// own party sent or received (art. 15.2–15.3), filtered by period, the other party, the pupil's
/// register pseudonym and the decision; oldest first, 50 a page. The same use case as
/// `GET /v1/register/entries`, so every view is itself an inspection on the register.
extension Pages {
    static let registerPage = 50

    func addRegister(to pages: RouterGroup<SluisRequestContext>) {
        pages.get("/fg/register") { request, context in
            let principal = try context.requirePrincipal()
            let query = RegisterQuery(request)
            let filter = try query.filter(limit: Self.registerPage)
            // HEAD shows no view: authorized and checked, not read, not registered.
            let page = try await gateway.registerEntries(filter, reading: request.method != .head, by: principal, trace: context.trace)
            let parties = try await gateway.parties(by: principal, trace: context.trace).filter { $0.id != principal.party }
            return Self.html(PageFrame(title: "Register", session: try SessionFrame(context),
                                       content: RegisterPage(query: query, parties: parties, activities: gateway.processingActivityList, page: page)),
                             "fg-register")
        }
    }
}

/// The register page's query: `van`, `tot` (days, YYYY-MM-DD; `tot` not included), `partij`,
/// `leerling` (a register pseudonym), `besluit`, `activiteit` (an art. 30 activity id),
/// `conflict` (`ja`: only disclosures on a conflict of duties, art. 6.1 sub e), `na` (the next
/// page's index). Empty fields are no filter; the gateway checks every value (the problem names
/// the field, never the value).
struct RegisterQuery {
    let from: String?, to: String?, party: String?, subject: String?, decision: String?, activity: String?, conflict: String?, after: String?

    init(_ request: Request) {
        let values = request.uri.queryParameters
        func value(_ name: String) -> String? {
            guard let text = values[Substring(name)].map(String.init)?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        (from, to, party, subject, decision, after) = (value("van"), value("tot"), value("partij"), value("leerling"), value("besluit"), value("na"))
        (activity, conflict) = (value("activiteit"), value("conflict"))
    }

    func filter(limit: Int) throws -> RegisterFilter {
        for (value, field) in [(from, "van"), (to, "tot"), (party, "partij"), (subject, "leerling"), (decision, "besluit"), (activity, "activiteit")] {
            if let value, value.utf8.count > 64 { throw GatewayError.invalid(field: field, problem: "at most 64 bytes") }
        }
        let index = try after.map { text -> Int64 in
            guard let number = Int64(text), number >= 0 else { throw GatewayError.invalid(field: "na", problem: "an entry index") }
            return number
        }
        guard conflict == nil || conflict == "ja" else { throw GatewayError.invalid(field: "conflict", problem: "ja, or leave it out (convenant art. 6.1 sub e)") }
        var filter = RegisterFilter(from: from, to: to, subject: subject, decision: decision, activity: activity, conflictOfDuties: conflict != nil,
                                    after: index, limit: limit)
        filter.counterparty = party
        return filter
    }

    /// The query for the next page: this filter, after `index`.
    func next(_ index: Int64) -> String { next(index, path: "/fg/register") }

    /// This filter at `path` (the page, its CSV), after `index` when given.
    func next(_ index: Int64?, path: String) -> String {
        var components = URLComponents()
        components.path = path
        components.queryItems = [("van", from), ("tot", to), ("partij", party), ("leerling", subject), ("besluit", decision), ("activiteit", activity),
                                 ("conflict", conflict), ("na", index.map(String.init))]
            .compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        return components.string ?? path
    }
}

struct RegisterPage {
    struct Row {
        let index: String; let time: String; let operation: String; let between: String; let decision: String
        let released: String; let withheld: String; let subject: String; let consent: String; let conflict: Bool
    }
    let from: String, to: String, subject: String
    let parties: [Option]
    let decisions: [Option]
    let activities: [Option]
    let conflict: Bool
    /// The same filter as CSV (all its entries up to 1000 a file).
    let csv: String
    let rows: [Row]
    let empty: Bool
    let next: String?

    struct Option { let value: String; let label: String; let selected: Bool }

    init(query: RegisterQuery, parties: [PartyRecord], activities: [ProcessingActivity], page: (entries: [RegisterEntry], next: Int64?)) {
        (from, to, subject) = (query.from ?? "", query.to ?? "", query.subject ?? "")
        self.parties = parties.map { Option(value: $0.id, label: "\($0.name) (\($0.id))", selected: $0.id == query.party) }
        decisions = ["permit", "deny", "none"].map { Option(value: $0, label: PageWords.word(PageWords.decisions, $0), selected: $0 == query.decision) }
        self.activities = activities.map { Option(value: $0.id, label: $0.name, selected: $0.id == query.activity) }
        conflict = query.conflict != nil
        csv = query.next(nil, path: "/fg/register.csv")
        rows = page.entries.map { entry in
            Row(index: String(entry.index), time: PageWords.time(entry.time), operation: entry.operation,
                between: [entry.sender, entry.recipient.map { PageWords.party($0, role: entry.recipientRole) }].compactMap { $0 }.joined(separator: " → "),
                decision: PageWords.word(PageWords.decisions, entry.decision), released: entry.released.map(PageWords.field).joined(separator: ", "),
                withheld: entry.withheld.map(PageWords.field).joined(separator: ", "), subject: entry.subject ?? "",
                consent: entry.consentReference ?? "", conflict: !entry.conflictOfDuties.isEmpty)
        }
        empty = rows.isEmpty
        next = page.next.map(query.next)
    }
}
