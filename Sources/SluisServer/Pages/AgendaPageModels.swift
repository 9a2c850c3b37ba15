import SluisCovenant
import SluisGateway

/// The SWV's agendas and the form to compose one (Bijlage 3.3 sub 1: "SWV GO maakt vooraf de agenda").
struct AgendasPage {
    struct Row { let href: String; let meeting: String; let purpose: String; let pupils: Int; let composed: String; let sent: String; let minutes: String }
    let agendas: [Row]
    let noAgendas: Bool
    let today: String
    let purposes: [PageOption]
    let entries: [PageOption]
    let noEntries: Bool
    let problem: PageProblem?

    init(agendas: [TafelAgendaView], entries: [TafelEntryView], policy: CovenantPolicy, today: String, problem: PageProblem?) {
        self.agendas = agendas.map { agenda in
            Row(href: "/swv/agenda/\(agenda.id)", meeting: agenda.meeting, purpose: agenda.purpose, pupils: agenda.items.count,
                composed: PageWords.time(agenda.composedAt), sent: agenda.sentAt.map(PageWords.time) ?? "nog niet",
                minutes: agenda.minutes.isEmpty ? "nog geen" : agenda.minutes.map { "versie \($0.version)" + ($0.sentAt == nil ? "" : " (verzonden)") }
                    .joined(separator: ", "))
        }
        noAgendas = agendas.isEmpty
        self.today = today
        purposes = policy.purposes.map { PageOption(value: $0.id, label: "\($0.id) — \($0.text)", selected: $0.id == Gateway.tafelPurpose) }
        self.entries = entries.map {
            PageOption(value: $0.id, label: "Leerling \($0.number) — uw kenmerk \($0.caseId) — \(TafelPage.caseType($0.caseType, policy))", selected: true)
        }
        noEntries = entries.isEmpty
        self.problem = problem
    }
}

/// One agenda or minutes version: before the send every participant's view exactly as it will
/// be sealed for it (the texts the SWV may not receive itself hidden, `AgendaAnswer.hiding`),
/// with the reasons, and the send form with the preview's tag; after the send what went to whom.
struct AgendaPage {
    struct Field { let label: String; let text: String }
    struct Withheld { let field: String; let sender: String; let reason: String; let article: String }
    struct Item {
        let number: String
        let identified: Bool
        let reference: String?
        /// Why the pupil is under a pseudonym: the reasons its identifying fields were withheld.
        let pseudonymReasons: [String]
        let fields: [Field]
        let noFields: Bool
        let withheld: [Withheld]
        let hasWithheld: Bool
    }
    struct Participant { let name: String; let receives: Bool; let reason: String?; let items: [Item] }
    struct Delivery { let recipient: String; let pupils: Int; let registerIndex: Int64; let created: String; let fetched: String; let acknowledged: String; let correction: Bool }
    struct Version { let href: String; let text: String }

    let title: String
    let meeting: String
    let purpose: String
    let isMinutes: Bool
    let isCorrection: Bool
    let stale: String?
    let sentAt: String?
    let deliveries: [Delivery]
    let noDeliveries: Bool
    let participants: [Participant]
    let receivers: [String]
    let nonReceivers: [Participant]
    let hasNonReceivers: Bool
    let noReceivers: Bool
    let tag: String?
    let sendAction: String
    let listItems: [String]
    let versions: [Version]
    let minutesHref: String
    let agendaHref: String

    /// Bijlage 3.3 sub 4 and RFC 9110 §13.1.1: what the page says when the preview's tag no longer fits.
    static let stale = "De lijst of de gegevens zijn veranderd sinds uw voorbeeld (bijvoorbeeld een tekst, een toestemming of een leerling "
        + "die van de lijst ging). Er is niets verzonden. Hieronder staat het nieuwe voorbeeld: kijk het opnieuw na en verzend dan."

    /// The Dutch words for a field of the agenda (Bijlage 3.3 sub 4; contract agenda.md).
    static let labels = ["summary": "Korte beschrijving", "progress": "Voortgang", "registeredBy": "Op de lijst gezet door",
                         "procesbewaker": "Procesbewaker", "decisions": "Besluiten", "actions": "Acties"]
    static func label(_ name: String) -> String { labels[name] ?? PageWords.field(name) }

    static func name(_ party: AgendaParty) -> String {
        PageWords.party(party.id ?? PageWords.word(PageWords.partyKinds, party.party.kind.rawValue), role: party.party.role?.rawValue)
    }

    init(_ agenda: TafelAgendaView, minutes version: Int?, sentAt: String?, preview: TafelPreview?, sent: [TafelSentDelivery],
         policy: CovenantPolicy, stale: String?) {
        meeting = agenda.meeting
        purpose = policy.purposes.first { $0.id == agenda.purpose }.map { "\($0.id) — \($0.text)" } ?? agenda.purpose
        isMinutes = version != nil
        isCorrection = version.map { v in agenda.minutes.contains { $0.version < v && $0.sentAt != nil } } ?? false
        title = version.map { "Verslag versie \($0) — thuiszitterstafel \(agenda.meeting)" } ?? "Agenda thuiszitterstafel \(agenda.meeting)"
        self.stale = stale
        self.sentAt = sentAt.map(PageWords.time)
        deliveries = sent.map {
            Delivery(recipient: PageWords.party($0.recipient, role: $0.recipientRole), pupils: $0.pupils, registerIndex: $0.registerIndex,
                     created: PageWords.time($0.created), fetched: $0.fetchedAt.map(PageWords.time) ?? "nog niet",
                     acknowledged: $0.acknowledgedAt.map(PageWords.time) ?? "nog niet", correction: $0.corrects != nil)
        }
        noDeliveries = sent.isEmpty
        let outcomes = preview?.outcomes ?? []
        participants = zip(preview?.answer.views ?? [], outcomes).map { view, outcome in
            Participant(name: Self.name(view.participant), receives: outcome.receives, reason: outcome.reason.map(Self.notSent), items: view.items.map { item in
                Item(number: item.ref, identified: item.identity == .identified, reference: item.reference, fields: item.fields.map { ($0.name, $0.text) },
                     withheld: item.withheld.map { ($0.field, Self.name($0.sender), $0.citation.reason, $0.citation.article) })
            })
        }
        receivers = participants.filter(\.receives).map(\.name)
        nonReceivers = participants.filter { !$0.receives }
        hasNonReceivers = !nonReceivers.isEmpty
        noReceivers = receivers.isEmpty
        tag = preview?.tag
        let base = "/swv/agenda/\(agenda.id)"
        sendAction = base + (version.map { "/verslag/\($0)" } ?? "") + "/verzenden"
        listItems = agenda.items.map { "Leerling \($0.number) — uw kenmerk \($0.caseId)" }
        versions = agenda.minutes.map {
            Version(href: "\(base)/verslag/\($0.version)", text: "Versie \($0.version), geschreven \(PageWords.time($0.writtenAt))"
                    + ($0.sentAt.map { ", verzonden \(PageWords.time($0))" } ?? ", nog niet verzonden"))
        }
        minutesHref = base + "/verslag"
        agendaHref = base
    }

    /// Where no contribution for this participant names the pupil at all.
    static let noName = "Geen enkele bijdrage op de agenda noemt de naam van deze leerling aan deze deelnemer; die ziet de leerling alleen onder een eigen kenmerk."

    /// The send's reasons for sending nothing, in Dutch.
    static func notSent(_ reason: String) -> String {
        reason.hasPrefix("empty view")
            ? "krijgt niets: er staat niets op van een andere organisatie dat het convenant aan deze deelnemer laat gaan (eigen bijdragen heeft zij al)"
            : "krijgt niets: een correctie gaat alleen naar wie de eerdere versie ontving"
    }

    static func unique(_ texts: [String]) -> [String] {
        var seen = Set<String>()
        return texts.filter { seen.insert($0).inserted }
    }
}

extension AgendaPage.Item {
    /// The identifying fields of the contract (agenda.md): shown only to a participant that may identify the pupil.
    static let identifying: Set<String> = ["name", "birthDate", "address", "bsn"]

    /// A pupil of a view: its fields in Dutch, each withheld field (name, sender, reason, article)
    /// and, under a pseudonym, why — the reasons its identifying fields were withheld.
    init(number: String, identified: Bool, reference: String?, fields: [(name: String, text: String)],
         withheld: [(field: String, sender: String, reason: String, article: String)]) {
        let names = withheld.filter { Self.identifying.contains($0.field) }
        self.init(number: number, identified: identified, reference: reference,
                  pseudonymReasons: names.isEmpty ? [AgendaPage.noName]
                      : AgendaPage.unique(names.map { "\(PageWords.field($0.field)): \($0.reason) (\($0.article))" }),
                  fields: fields.map { AgendaPage.Field(label: AgendaPage.label($0.name), text: $0.text) }, noFields: fields.isEmpty,
                  withheld: withheld.map { AgendaPage.Withheld(field: AgendaPage.label($0.field), sender: $0.sender, reason: $0.reason, article: $0.article) },
                  hasWithheld: !withheld.isEmpty)
    }

    /// A pupil as a participant's opened bundle holds it (`AgendaView.json`, contract agenda.md).
    init(json item: [String: Any]) {
        let fields = (item["fields"] as? [String: Any] ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, OpenedPage.text($0.value)) }
        let withheld = (item["withheld"] as? [[String: Any]] ?? []).map { entry -> (String, String, String, String) in
            let sender = entry["sender"] as? [String: Any] ?? [:]
            let name = PageWords.party((sender["id"] as? String) ?? PageWords.word(PageWords.partyKinds, sender["kind"] as? String ?? ""), role: sender["role"] as? String)
            return (entry["field"] as? String ?? "", name, entry["reason"] as? String ?? "", entry["article"] as? String ?? "")
        }
        self.init(number: OpenedPage.text(item["ref"] ?? ""), identified: item["identity"] as? String == "identified",
                  reference: item["reference"] as? String, fields: fields, withheld: withheld)
    }
}

/// What a send did: one sealed bundle per recipient in its mailbox with its first register
/// entry, and who got nothing and why.
struct SentPage {
    struct Delivery { let recipient: String; let pupils: Int; let registerIndex: Int64; let correction: Bool }
    let title: String
    let deliveries: [Delivery]
    let noDeliveries: Bool
    let notSent: [String]
    let hasNotSent: Bool
    let agendaHref: String

    init(_ receipt: TafelSendReceipt, agenda: String) {
        title = receipt.kind == "agenda" ? "Agenda verzonden" : "Verslag versie \(receipt.version) verzonden"
        deliveries = receipt.deliveries.map {
            Delivery(recipient: PageWords.party($0.recipient, role: $0.recipientRole), pupils: $0.pupils, registerIndex: $0.registerIndex,
                     correction: $0.corrects != nil)
        }
        noDeliveries = deliveries.isEmpty
        notSent = receipt.notSent.map { "\(PageWords.party($0.recipient, role: $0.recipientRole)) \(AgendaPage.notSent($0.reason))" }
        hasNotSent = !notSent.isEmpty
        agendaHref = "/swv/agenda/\(agenda)"
    }
}

/// The form for a new minutes version (Bijlage 3.3 sub 4: "Besluiten en acties").
struct MinutesFormPage {
    struct Item { let number: Int64; let caseRef: String; let decisions: String; let actions: String }
    let meeting: String
    let action: String
    let agendaHref: String
    let items: [Item]
    let problem: PageProblem?

    init(_ agenda: TafelAgendaView, problem: PageProblem?) {
        meeting = agenda.meeting
        action = "/swv/agenda/\(agenda.id)/verslag"
        agendaHref = "/swv/agenda/\(agenda.id)"
        items = agenda.items.map { Item(number: $0.number, caseRef: $0.caseId, decisions: "besluiten-\($0.entry)", actions: "acties-\($0.entry)") }
        self.problem = problem
    }
}
