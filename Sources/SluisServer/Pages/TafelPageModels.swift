import SluisCovenant
import SluisGateway

/// A value and its Dutch label for a `<select>` or a checkbox.
struct PageOption {
    let value: String
    let label: String
    var selected = false
}

/// The thuiszitterstafel's list as the unit sees it (Bijlage 3.3 sub 1 and 3; art. 7.3): its own
/// case references, who registered each pupil and who is procesbewaker (usernames, shown to every
/// participant), a text only where the unit wrote it.
struct TafelPage {
    struct Row {
        let href: String; let number: Int64; let caseRef: String; let caseType: String; let registeredBy: String; let registeredAt: String
        let procesbewaker: String; let summary: String; let progress: String
    }
    let entries: [Row]
    let empty: Bool
    let cases: [PageOption]
    let noCases: Bool
    let caseTypes: [PageOption]
    let problem: PageProblem?

    /// What the list shows for a text of another unit: it reaches others only through the agenda.
    static let othersText = "— (tekst van een andere organisatie: u leest die alleen op de agenda, als het convenant dat toestaat)"

    init(entries: [TafelEntryView], cases: [CaseView], policy: CovenantPolicy, problem: PageProblem?) {
        self.entries = entries.map { entry in
            Row(href: "/swv/tafel/\(entry.id)", number: entry.number, caseRef: entry.caseId, caseType: Self.caseType(entry.caseType, policy),
                registeredBy: "\(entry.registeredBy) (\(entry.registeredByUnit))", registeredAt: PageWords.time(entry.registeredAt),
                procesbewaker: entry.procesbewaker ?? "nog niet aangewezen", summary: entry.summary ?? Self.othersText,
                progress: entry.progress ?? (entry.progressBy == nil ? "—" : Self.othersText))
        }
        empty = entries.isEmpty
        let listed = Set(entries.map(\.caseId))
        self.cases = cases.filter { !listed.contains($0.id) && $0.status == "open" }.map {
            PageOption(value: $0.id, label: "\($0.id) — \($0.caseType.map { Self.caseType($0, policy) } ?? "nog geen soort casus")")
        }
        noCases = self.cases.isEmpty
        caseTypes = policy.table.rows.map { PageOption(value: $0.caseType, label: $0.label) }
        self.problem = problem
    }

    /// A case type by the protocol's own label (hoofdstuk 5).
    static func caseType(_ id: String?, _ policy: CovenantPolicy) -> String {
        guard let id else { return "onbekend" }
        return policy.table.rows.first { $0.caseType == id }?.label ?? id
    }
}

/// One entry of the list with the forms the role may use (the gateway decides every request).
struct TafelEntryPage {
    let number: Int64
    let caseRef: String
    let registeredBy: String
    let registeredAt: String
    let procesbewaker: String
    let summary: String?
    let progress: String?
    let textsAction: String
    let procesbewakerAction: String?
    let afschalingAction: String?
    let reasons: [PageOption]
    let problem: PageProblem?

    init(_ entry: TafelEntryView, role: DelegateRole, problem: PageProblem?) {
        func may(_ action: GatewayAction) -> Bool { AuthorityTable.rule(action).roles.contains(role) }
        number = entry.number
        caseRef = entry.caseId
        registeredBy = "\(entry.registeredBy) (\(entry.registeredByUnit))"
        registeredAt = PageWords.time(entry.registeredAt)
        procesbewaker = entry.procesbewaker ?? "nog niet aangewezen"
        (summary, progress) = (entry.summary, entry.progress)
        textsAction = "/swv/tafel/\(entry.id)/teksten"
        procesbewakerAction = may(.appointProcesbewaker) ? "/swv/tafel/\(entry.id)/procesbewaker" : nil
        afschalingAction = may(.afschalingTafel) ? "/swv/tafel/\(entry.id)/afschaling" : nil
        reasons = [PageOption(value: "onderwijs", label: "weer volledig naar school (onderwijs)"),
                   PageOption(value: "arbeid", label: "aan het werk (arbeid)")]
        self.problem = problem
    }
}
